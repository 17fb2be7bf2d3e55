/* SPDX-License-Identifier: MIT */
/*
 * view.h - the panes of the replay screen and the state they share.
 *
 * Each pane (view_*.c) draws itself into a rectangle of a struct cells
 * from a struct session and the screen's struct view_state; no pane calls
 * another, none knows curses.  screen.c owns one struct view_state, changes
 * it on keys and mouse clicks, and calls layout_draw() (layout.h), which
 * places the panes and calls the draw functions below.
 */
#ifndef VIEW_H
#define VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cells.h"

struct session;

/* The panes, in the order Tab cycles through them. */
enum view_pane {
	PANE_TIMELINE = 0,
	PANE_CACHES,
	PANE_MEMORY,
	PANE_DMA,
	PANE_FINDINGS,
	PANE_STATUS,         /* the status line: never focused */
	PANE_COUNT
};

/* What the caches and memory panes show: the mapping of the current event
 * (VIEW_BUF_AUTO), a live mapping by index, or an address range. */
enum view_buf_kind { VIEW_BUF_AUTO = 0, VIEW_BUF_MAPPING, VIEW_BUF_RANGE };

struct view_buf {
	enum view_buf_kind kind;
	size_t mapping;              /* VIEW_BUF_MAPPING: coh_sim_mapping() index */
	uint64_t lo, hi;             /* VIEW_BUF_RANGE: [lo, hi) */
};

/* Per pane: the first row shown and the selected row (rows of that pane's
 * own list: findings rows for findings, line and byte rows for caches,
 * byte rows for memory, entries for DMA).  The timeline is different: top
 * is the engine index of the first event shown (the wheel moves it; hidden
 * events are skipped) and sel the current event when it was last drawn
 * (the session's position is its selection); when the position moves out
 * of sight, the pane brings it back to the middle.  The other panes scroll
 * to sel when it changes (set it, and the next draw brings it in sight);
 * otherwise top rules, so the wheel can move top alone. */
struct view_scroll {
	long top;                    /* first row shown */
	long sel;                    /* selected row, -1 none */
	long drawn;                  /* the panes': the row they last scrolled to */
	long height;                 /* the timeline's: rows it last showed (when
				      * they change, the current event is brought
				      * back into sight) */
};

struct view_state {
	enum view_pane focus;        /* the focused pane (its title is highlighted) */
	struct view_scroll scroll[PANE_COUNT];
	bool versions;               /* caches/memory: versions instead of values */
	struct view_buf buf;         /* the buffer caches and memory show */
	bool watching;               /* a watch is set */
	uint64_t watch;              /* the watched address (memory marks it) */
	uint64_t watch_hi;           /* a range: [watch, watch_hi); <= watch: one byte */
	const char *hint;            /* status line: the keys that matter now (screen's) */
	const char *veil;            /* set: the findings are not shown (a lesson's
				      * prediction not yet answered) and this is
				      * said instead; NULL: shown */
	char msg[320];               /* status line: a message, "" none (screen's);
				      * UTF-8, room for a translated one */
	/* Filled by layout_draw(): where each pane was drawn (w = 0: not shown)
	 * and how many rows its list has, for layout_hit() and PgUp/PgDn. */
	struct rect at[PANE_COUNT];
	long rows[PANE_COUNT];
	long whatif_top;             /* the edited run's timeline: its first row, */
	long whatif_sel;             /* and its current row when last drawn */
};

/**
 * view_state_init - a view state with nothing selected
 * @vs: the state to fill
 *
 * Focus on the timeline, no scroll, values (not versions), the buffer of
 * the current event, no watch, no hint or message.
 */
void view_state_init(struct view_state *vs);

/*
 * The panes.  Each clears @r, draws a one-line title (highlighted when
 * @vs->focus is that pane) and its contents from @s (taking the session's
 * lock itself where it reads the engine), clipped to @r, and records in
 * @vs->rows[pane] how many rows its list has.  It may adjust
 * @vs->scroll[pane].top so the selected row (or the current event) stays
 * visible; it never moves the session.
 */
void view_timeline_draw(struct cells *g, struct rect r, struct session *s,
			struct view_state *vs);
void view_caches_draw(struct cells *g, struct rect r, struct session *s,
		      struct view_state *vs);
void view_memory_draw(struct cells *g, struct rect r, struct session *s,
		      struct view_state *vs);
void view_dma_draw(struct cells *g, struct rect r, struct session *s,
		   struct view_state *vs);
void view_findings_draw(struct cells *g, struct rect r, struct session *s,
			struct view_state *vs);
void view_status_draw(struct cells *g, struct rect r, struct session *s,
		      struct view_state *vs);

/*
 * The what-if panes (view_whatif.c): the edited run's timeline, drawn in
 * the timeline's place in the edited and diff views, and the diff of the
 * two runs, drawn over the caches and memory in the diff view.
 */
void view_whatif_timeline_draw(struct cells *g, struct rect r, struct session *s,
			       struct view_state *vs);
void view_whatif_diff_draw(struct cells *g, struct rect r, struct session *s,
			   struct view_state *vs);
/* A click on the edited timeline's row @row: the recorded event there (an
 * inserted call's: the one it precedes).  Return: 0, or 1 for no event. */
int view_whatif_event(struct session *s, const struct view_state *vs, long row,
		      uint64_t *event);

/**
 * view_omit_fill - (re)fill the list @o with the session's omission
 * matrix (view_omit.c), keeping its selection: one row per maintenance
 * call, naming its event (Enter shows that omission's diff)
 */
struct overlay;
void view_omit_fill(struct overlay *o, struct session *s);

/**
 * view_findings_event - the event of the selected findings row
 * @s: the session
 * @vs: the view state (its PANE_FINDINGS selection)
 * @event: set to the engine index of the finding's event
 *
 * For Enter in the findings pane: screen.c then calls session_seek().
 * Return: 0, or 1 when no finding is selected.
 */
int view_findings_event(struct session *s, const struct view_state *vs, uint64_t *event);

/**
 * view_timeline_event - the event shown on a row of the timeline
 * @s: the session
 * @vs: the view state (after a layout_draw())
 * @row: a row of the timeline pane's list area, 0 = the first shown
 * @event: set to the engine index of that event
 *
 * For a mouse click on the timeline: screen.c then calls session_seek().
 * Return: 0, or 1 when that row shows no event.
 */
int view_timeline_event(struct session *s, const struct view_state *vs, long row,
			uint64_t *event);

/**
 * view_timeline_scroll - the wheel on the timeline: its first row moves by
 * @d visible events (negative: up); the current event does not move
 */
void view_timeline_scroll(struct session *s, struct view_state *vs, long d);

#endif
