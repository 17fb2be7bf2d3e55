/* SPDX-License-Identifier: MIT */
/*
 * overlay.c - a list over the panes (overlay.h): the help screen and the
 * other lists the replay screen shows on a key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overlay.h"

void overlay_open(struct overlay *o, enum overlay_kind kind, const char *title,
		  const char *footer)
{
	overlay_close(o);
	o->on = true;
	o->kind = kind;
	snprintf(o->title, sizeof(o->title), "%s", title);
	snprintf(o->footer, sizeof(o->footer), "%s", footer);
}

static int grow(struct overlay *o)
{
	size_t cap = o->cap ? o->cap * 2 : 32;
	char **l = realloc(o->lines, cap * sizeof(*l));
	uint64_t *e;

	if (!l)
		return -1;
	o->lines = l;
	e = realloc(o->events, cap * sizeof(*e));
	if (!e)
		return -1;
	o->events = e;
	o->cap = cap;
	return 0;
}

int overlay_add(struct overlay *o, uint64_t event, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (o->n == o->cap && grow(o) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	o->lines[o->n] = strdup(buf);
	if (!o->lines[o->n])
		return -1;
	o->events[o->n++] = event;
	return 0;
}

void overlay_close(struct overlay *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->lines[i]);
	free(o->lines);
	free(o->events);
	*o = (struct overlay){ 0 };
}

void overlay_move(struct overlay *o, long d)
{
	long last = (long)o->n - 1;

	o->sel += d;
	if (o->sel > last)
		o->sel = last;
	if (o->sel < 0)
		o->sel = 0;
}

/* The box: as wide as the widest row (within the grid), nearly as high. */
static struct rect box_of(const struct overlay *o, const struct cells *g)
{
	int w = cells_width(o->title) + 4, h = (int)o->n + 4;

	for (size_t i = 0; i < o->n; i++)
		if (cells_width(o->lines[i]) + 4 > w)
			w = cells_width(o->lines[i]) + 4;
	if (cells_width(o->footer) + 4 > w)
		w = cells_width(o->footer) + 4;
	if (w > g->w - 2)
		w = g->w - 2;
	if (h > g->h - 2)
		h = g->h - 2;
	return (struct rect){ (g->w - w) / 2, (g->h - h) / 2, w, h };
}

static void frame(struct cells *g, struct rect b)
{
	cells_clear(g, b);
	for (int y = 0; y < b.h; y++) {
		int last = y == 0 || y == b.h - 1;

		cells_put(g, b, 0, y, ROLE_TITLE, 0, last ? "+" : "|");
		cells_put(g, b, b.w - 1, y, ROLE_TITLE, 0, last ? "+" : "|");
		for (int x = 1; last && x < b.w - 1; x++)
			cells_put(g, b, x, y, ROLE_TITLE, 0, "-");
	}
}

void overlay_draw(struct overlay *o, struct cells *g)
{
	struct rect b = box_of(o, g), in = { b.x + 2, b.y + 1, b.w - 4, b.h - 2 };

	o->page = in.h - 2 > 1 ? in.h - 2 : 1;
	if (o->kind == OVERLAY_HELP) {   /* no selection: j/k scroll */
		long max = (long)o->n > o->page ? (long)o->n - o->page : 0;

		o->sel = o->sel > max ? max : o->sel;
		o->top = o->sel;
	}
	if (o->sel < o->top)
		o->top = o->sel;
	if (o->sel >= o->top + o->page)
		o->top = o->sel - o->page + 1;
	frame(g, b);
	cells_put(g, in, 0, 0, ROLE_TITLE, CELL_BOLD, o->title);
	for (long i = 0; i < o->page && o->top + i < (long)o->n; i++) {
		long k = o->top + i;

		cells_put(g, in, 0, 1 + (int)i, ROLE_NORMAL, 0, o->lines[k]);
		if (k == o->sel && o->kind != OVERLAY_HELP)
			cells_paint(g, in, 0, 1 + (int)i, in.w, ROLE_SELECTED, CELL_REVERSE);
	}
	cells_put(g, in, 0, in.h - 1, ROLE_DIM, 0, o->footer);
}
