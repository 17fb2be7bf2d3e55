/* SPDX-License-Identifier: MIT */
/*
 * layout.c - one frame of the replay screen: each pane drawn in the place
 * layout_place() gives it for the grid's size.  The only file that calls
 * the panes; screen.c calls layout_draw() and nothing else of theirs
 * (besides the helpers view.h names for Enter and clicks).
 */
#include "layout.h"

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

void layout_draw(struct cells *g, struct session *s, struct view_state *vs)
{
	cells_clear(g, (struct rect){ 0, 0, g->w, g->h });
	layout_place(g->w, g->h, vs->at);
	for (int p = 0; p < PANE_COUNT; p++) {
		vs->rows[p] = 0;
		if (vs->at[p].w > 0 && vs->at[p].h > 0)
			panes[p](g, vs->at[p], s, vs);
	}
}
