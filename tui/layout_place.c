/* SPDX-License-Identifier: MIT */
/*
 * layout_place.c - the rectangle of each pane for a terminal size, and the
 * pane and row under a cell (mouse).  Pure arithmetic, no drawing, so tests
 * check it without a session or a grid.
 *
 * Narrow (under 160 columns): timeline on top; caches | memory; DMA |
 * findings; the status line.  Wide: timeline over findings on the left,
 * caches over memory over DMA on the right.  Side-by-side panes leave one
 * blank column between them.
 */
#include <string.h>

#include "layout.h"

#define LAYOUT_WIDE_W 160

bool layout_fits(int w, int h)
{
	return w >= LAYOUT_MIN_W && h >= LAYOUT_MIN_H;
}

static struct rect box(int x, int y, int w, int h)
{
	return (struct rect){ .x = x, .y = y, .w = w, .h = h };
}

/* Two rectangles side by side in [x, x + w): the left one @lw wide. */
static void split_h(int x, int y, int w, int h, int lw, struct rect *l, struct rect *r)
{
	*l = box(x, y, lw - 1, h);
	*r = box(x + lw, y, w - lw, h);
}

static void place_narrow(int w, int avail, struct rect at[PANE_COUNT])
{
	int th = avail * 7 / 23;
	int mh = avail * 9 / 23;

	at[PANE_TIMELINE] = box(0, 0, w, th);
	split_h(0, th, w, mh, w / 2, &at[PANE_CACHES], &at[PANE_MEMORY]);
	split_h(0, th + mh, w, avail - th - mh, w / 2, &at[PANE_DMA], &at[PANE_FINDINGS]);
}

static void place_wide(int w, int avail, struct rect at[PANE_COUNT])
{
	int lw = w / 2, rw = w - lw;
	int th = avail / 2;
	int ch = avail * 2 / 5, mh = avail * 3 / 10;

	at[PANE_TIMELINE] = box(0, 0, lw - 1, th);
	at[PANE_FINDINGS] = box(0, th, lw - 1, avail - th);
	at[PANE_CACHES] = box(lw, 0, rw, ch);
	at[PANE_MEMORY] = box(lw, ch, rw, mh);
	at[PANE_DMA] = box(lw, ch + mh, rw, avail - ch - mh);
}

void layout_place(int w, int h, struct rect at[PANE_COUNT])
{
	memset(at, 0, sizeof(struct rect) * PANE_COUNT);
	if (!layout_fits(w, h))
		return;
	if (w >= LAYOUT_WIDE_W)
		place_wide(w, h - 1, at);
	else
		place_narrow(w, h - 1, at);
	at[PANE_STATUS] = box(0, h - 1, w, 1);
}

static bool inside(struct rect r, int x, int y)
{
	return r.w > 0 && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

struct layout_hit layout_hit(const struct view_state *vs, int x, int y)
{
	struct layout_hit hit = { .pane = PANE_COUNT, .row = -1 };

	for (int p = 0; p < PANE_COUNT; p++) {
		if (!inside(vs->at[p], x, y))
			continue;
		hit.pane = (enum view_pane)p;
		hit.row = p == PANE_STATUS ? 0 : y - vs->at[p].y - 1;
		break;
	}
	return hit;
}
