/* SPDX-License-Identifier: MIT */
/*
 * layout.c - one frame of the replay screen: each pane drawn in the place
 * layout_place() gives it for the grid's size.  The only file that calls
 * the panes; screen.c calls layout_draw() and nothing else of theirs
 * (besides the helpers view.h names for Enter and clicks).
 */
#include <string.h>

#include "layout.h"
#include "session.h"

typedef void (*pane_draw)(struct cells *g, struct rect r, struct session *s,
			  struct view_state *vs);

static const pane_draw panes[PANE_COUNT] = {
	[PANE_TIMELINE] = view_timeline_draw,
	[PANE_CACHES] = view_caches_draw,
	[PANE_MEMORY] = view_memory_draw,
	[PANE_DMA] = view_dma_draw,
	[PANE_FINDINGS] = view_findings_draw,
	[PANE_STATUS] = view_status_draw,
};

/* The smallest rectangle holding @a and @b. */
static struct rect hull(struct rect a, struct rect b)
{
	int x = a.x < b.x ? a.x : b.x, y = a.y < b.y ? a.y : b.y;
	int r = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
	int d = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;

	return (struct rect){ x, y, r - x, d - y };
}

/* What-if views: the edited run's timeline in the timeline's place; in the
 * diff view the diff over the caches' and memory's places (their one). */
static void whatif_place(enum session_run run, struct view_state *vs, pane_draw *draw)
{
	if (run == SESSION_RUN_RECORDED)
		return;
	draw[PANE_TIMELINE] = view_whatif_timeline_draw;
	if (run != SESSION_RUN_DIFF || vs->at[PANE_CACHES].w <= 0)
		return;
	draw[PANE_CACHES] = view_whatif_diff_draw;
	vs->at[PANE_CACHES] = hull(vs->at[PANE_CACHES], vs->at[PANE_MEMORY]);
	vs->at[PANE_MEMORY].w = 0;
}

void layout_draw(struct cells *g, struct session *s, struct view_state *vs)
{
	pane_draw draw[PANE_COUNT];

	cells_clear(g, (struct rect){ 0, 0, g->w, g->h });
	layout_place(g->w, g->h, vs->at);
	memcpy(draw, panes, sizeof(draw));
	whatif_place(session_run(s), vs, draw);
	for (int p = 0; p < PANE_COUNT; p++) {
		vs->rows[p] = 0;
		if (vs->at[p].w > 0 && vs->at[p].h > 0)
			draw[p](g, vs->at[p], s, vs);
	}
}
