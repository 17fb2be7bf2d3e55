/* SPDX-License-Identifier: MIT */
/*
 * layout.h - where each pane of the replay screen goes for a terminal size.
 *
 * The one entry point screen.c calls to draw a frame (layout_draw), the
 * smallest size it accepts (layout_fits), and what is under the mouse
 * (layout_hit).  Pure placement: the drawing is the panes' (view.h).
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stdbool.h>

#include "cells.h"
#include "view.h"

#define LAYOUT_MIN_W 80
#define LAYOUT_MIN_H 24

/**
 * layout_fits - whether a terminal of @w x @h can show the panes
 * @w: columns
 * @h: rows
 *
 * Below LAYOUT_MIN_W x LAYOUT_MIN_H screen.c shows only its
 * "terminal too small" message.
 * Return: true when every pane fits.
 */
bool layout_fits(int w, int h);

/**
 * layout_place - the rectangle of each pane for a grid of @w x @h
 * @w: columns
 * @h: rows
 * @at: filled with one rectangle per enum view_pane (w = 0: not shown)
 *
 * Deterministic: the same size always gives the same places (golden tests).
 * Nothing is placed when !layout_fits(w, h).
 */
void layout_place(int w, int h, struct rect at[PANE_COUNT]);

/**
 * layout_draw - draw one frame of the replay screen
 * @g: the grid, already sized to the terminal
 * @s: the session
 * @vs: the view state; its at[] and rows[] are updated
 *
 * Clears @g and draws every pane in its place.  When the grid is too small
 * it only clears it (screen.c prints the "too small" message).
 */
void layout_draw(struct cells *g, struct session *s, struct view_state *vs);

/* What is at a cell of the screen. */
struct layout_hit {
	enum view_pane pane;         /* PANE_COUNT: nothing */
	long row;                    /* row of the pane's list area, 0 = first
					shown (add vs->scroll[pane].top for the
					list index); -1 on the pane's title */
};

/**
 * layout_hit - which pane and row is at (@x, @y)
 * @vs: the view state of the last layout_draw()
 * @x: column
 * @y: row
 *
 * For mouse clicks and the wheel.
 * Return: the pane and row at that cell; pane PANE_COUNT when none.
 */
struct layout_hit layout_hit(const struct view_state *vs, int x, int y);

#endif
