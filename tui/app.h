/* SPDX-License-Identifier: MIT */
/*
 * app.h - the replay screen without the terminal: a session, the panes'
 * view state, the grid they draw into, the prompt and the overlay (help,
 * bookmarks, breakpoints, a watch's history).
 *
 * screen.c feeds it keys and mouse events and copies app.g to the
 * terminal; `dmascope replay --script` feeds it keys from a file and dumps
 * app.g as text.  Either way the same code runs, so the golden screens and
 * the tmux tests see the same program.
 */
#ifndef APP_H
#define APP_H

#include <stdbool.h>
#include <stdint.h>

#include "cells.h"
#include "overlay.h"
#include "prompt.h"
#include "view.h"

struct frontend;
struct session;

/* What the background's progress was at the last frame: a change redraws. */
struct app_seen {
	uint64_t replayed, count;
	size_t nfindings;
	int phase;
	int percent;                 /* of the reading (its bar moves) */
	uint64_t omit;               /* the omission matrix's progress */
	uint64_t diff;               /* the what-if diff's (being made) */
};

struct app {
	struct session *s;
	struct view_state vs;
	struct cells g;              /* the frame, sized to the terminal */
	struct prompt pr;            /* the input line, when on */
	struct overlay ov;           /* a list over the panes, when on */
	int pending;                 /* 'm' or '\'' waiting for a letter, 0 none */
	bool searched;               /* a search regex is set (n / N work) */
	bool quit;                   /* q: the loop ends */
	bool repaint;                /* Ctrl-L: the terminal is redrawn in full */
	struct app_seen seen;        /* the progress last drawn */
};

enum app_mouse { APP_CLICK, APP_WHEEL_UP, APP_WHEEL_DOWN };

/**
 * app_init - a screen over session @s, with a grid of @w x @h
 *
 * Return: 0, or -1 out of memory.
 */
int app_init(struct app *a, struct session *s, int w, int h);

/**
 * app_free - free what app_init() and the keys allocated (not the session)
 */
void app_free(struct app *a);

/**
 * app_key - one key (keys.h): to the prompt when it is on, else the
 * overlay, else a pending bookmark letter, else the action table
 */
void app_key(struct app *a, int key);

/**
 * app_mouse - a click at (@x, @y) selects the row under it and focuses its
 * pane (on the timeline it moves to that event); the wheel scrolls the pane
 * under it
 */
void app_mouse(struct app *a, enum app_mouse what, int x, int y);

/**
 * app_resize - the terminal is now @w x @h
 *
 * Return: 0, or -1 out of memory.
 */
int app_resize(struct app *a, int w, int h);

/**
 * app_draw - draw the frame into a->g: the panes (layout_draw), or the
 * "terminal too small" message; then the overlay and the prompt
 */
void app_draw(struct app *a);

/**
 * app_msg - put a message on the status line (printf-style)
 */
void app_msg(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * app_frontend - @a as a front end (frontend.h) for screen_loop() and
 * script_run_frontend(); @f borrows @a
 */
void app_frontend(struct app *a, struct frontend *f);

/**
 * app_changed - the background replay or the omission matrix moved since
 * the last call (the frame must be drawn again)
 */
bool app_changed(struct app *a);

#endif
