/* SPDX-License-Identifier: MIT */
/*
 * overlay.h - a scrolling list drawn over the panes: the help screen, the
 * bookmarks, the breakpoints, a watched byte's history, the omission matrix.  A row may name an
 * event, which Enter jumps to.
 */
#ifndef OVERLAY_H
#define OVERLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cells.h"

#define OVERLAY_NO_EVENT UINT64_MAX

enum overlay_kind { OVERLAY_HELP, OVERLAY_MARKS, OVERLAY_BREAKS, OVERLAY_WATCH, OVERLAY_OMIT };

struct overlay {
	bool on;
	enum overlay_kind kind;
	char title[192];             /* UTF-8: room for a translated one */
	char footer[192];            /* the keys it takes */
	char **lines;
	uint64_t *events;            /* per row: an event, or OVERLAY_NO_EVENT */
	size_t n, cap;
	long top, sel;
	long page;                   /* rows shown by the last overlay_draw() */
};

/**
 * overlay_open - empty @o and show it with @title and @footer
 */
void overlay_open(struct overlay *o, enum overlay_kind kind, const char *title,
		  const char *footer);

/**
 * overlay_add - append a row (printf-style) naming @event (or OVERLAY_NO_EVENT)
 *
 * Return: 0, or -1 out of memory (the row is dropped).
 */
int overlay_add(struct overlay *o, uint64_t event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * overlay_close - hide @o and free its rows
 */
void overlay_close(struct overlay *o);

/**
 * overlay_move - move the selection by @d rows (clamped); the rows shown
 * follow it at the next overlay_draw()
 */
void overlay_move(struct overlay *o, long d);

/**
 * overlay_draw - draw @o in a box over the middle of @g
 */
void overlay_draw(struct overlay *o, struct cells *g);

#endif
