/* SPDX-License-Identifier: MIT */
/*
 * coh_timeline.h - a replay that can be sought, forward and backward.
 *
 * The rr idea: a timeline replays an event source into a simulation and
 * keeps snapshots (clones sharing unchanged pages) along the way; seeking
 * restores the nearest snapshot at or before the target and re-executes
 * forward.  Snapshots are spaced so that they stay within a memory budget
 * (by default a quarter of what the source reports for its events) and are
 * thinned as the run grows.  The recorded run is never changed: what-if
 * runs use coh_timeline_fork().
 */
#ifndef COH_TIMELINE_H
#define COH_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "coh_log.h"
#include "coh_sim.h"

struct coh_timeline;

struct coh_timeline_opts {
	unsigned sim_flags;          /* COH_SIM_* */
	size_t snapshot_budget;      /* bytes all snapshots may hold; 0 = a quarter of
				      * what the source holds (no limit when it does not
				      * say); SIZE_MAX = no limit */
	uint64_t interval;           /* events between snapshots; 0 = automatic:
				      * spaced by replay work (lines touched), so
				      * that a seek replays about as long anywhere */
	const struct coh_sim_limits *limits;  /* bounds of its states; NULL = defaults */
};

/**
 * coh_timeline_new - a timeline over @src, positioned at event 0
 * @p:    the platform
 * @src:  the events (copied; its ctx must outlive the timeline)
 * @opts: may be NULL for defaults
 * @err:  if not NULL, receives 0 or -COH_E_*
 *
 * Return: caller frees with coh_timeline_free(), or NULL on error.
 */
struct coh_timeline *coh_timeline_new(const struct coh_platform *p,
				      const struct coh_source *src,
				      const struct coh_timeline_opts *opts, int *err);

/**
 * coh_timeline_free - free a timeline and its snapshots (NULL is fine)
 */
void coh_timeline_free(struct coh_timeline *tl);

/**
 * coh_timeline_seek - move to the state after the first @pos events
 *
 * Return: 0, -COH_E_SEEK when pos exceeds the source's count, or the error
 * of an event that failed to apply (the timeline then stops before it;
 * coh_timeline_errmsg() says which).
 */
int coh_timeline_seek(struct coh_timeline *tl, uint64_t pos);

/**
 * coh_timeline_pos - events applied in the current state
 */
uint64_t coh_timeline_pos(const struct coh_timeline *tl);

/**
 * coh_timeline_sim - the current state, read-only
 *
 * Return: borrowed until the next seek or coh_timeline_free().
 */
const struct coh_sim *coh_timeline_sim(const struct coh_timeline *tl);

/**
 * coh_timeline_fork - a copy of the current state for what-if runs
 *
 * Return: caller frees with coh_sim_free(), or NULL when out of memory.
 */
struct coh_sim *coh_timeline_fork(const struct coh_timeline *tl);

/**
 * coh_timeline_derive - a timeline over @src whose first @same events are
 * those of @rec (same platform, flags and limits), sharing @rec's snapshots
 * up to @same; @p, when not NULL and different from @rec's platform, means
 * nothing is shared.  The what-if's edited timeline is one.
 *
 * Return: caller frees with coh_timeline_free(), or NULL (*err).
 */
struct coh_timeline *coh_timeline_derive(const struct coh_timeline *rec,
					 const struct coh_source *src, uint64_t same,
					 const struct coh_platform *p, int *err);

/**
 * coh_timeline_platform - the platform a timeline replays on (borrowed)
 */
const struct coh_platform *coh_timeline_platform(const struct coh_timeline *tl);

/**
 * coh_timeline_source - the source a timeline replays (borrowed)
 */
const struct coh_source *coh_timeline_source(const struct coh_timeline *tl);

/**
 * coh_timeline_state_at - a new state after the first @pos events, from a
 * copy of the last snapshot at or before @pos; the timeline's current
 * state and snapshots are not changed
 *
 * Return: caller frees with coh_sim_free(), or NULL (*err: -COH_E_*).
 */
struct coh_sim *coh_timeline_state_at(const struct coh_timeline *tl, uint64_t pos, int *err);

/**
 * coh_timeline_errmsg - why the last seek failed ("" when it did not)
 *
 * Return: borrowed until the next seek.
 */
const char *coh_timeline_errmsg(const struct coh_timeline *tl);

#define COH_TIMELINE_HOOKS_REEXEC (1u << 0)  /* fire hooks while re-executing */

/**
 * coh_timeline_set_hooks - hooks on the timeline's current state
 * @h:     copied; NULL removes them
 * @flags: COH_TIMELINE_HOOKS_*
 *
 * The hooks fire for each event a seek applies to the current state going
 * forward from it.  A seek that restores a snapshot (any seek backward, or
 * forward past a later snapshot) re-executes the events from that snapshot
 * to the target: silently by default, which is what a screen wants while
 * it seeks; with COH_TIMELINE_HOOKS_REEXEC they fire for those events too
 * (a what-if run that wants every event).  Snapshots never hold hooks;
 * coh_timeline_fork() keeps them only with COH_HOOKS_INHERIT; the searches
 * below never fire them.
 */
void coh_timeline_set_hooks(struct coh_timeline *tl, const struct coh_hooks *h,
			    unsigned flags);

/**
 * typedef coh_timeline_pred - a condition on an event and the state after it
 * @ctx: the caller's
 * @s:   the state after event @i (coh_sim_pos(@s) == @i + 1), read-only
 * @ev:  event @i
 *
 * Return: nonzero when it holds.
 */
typedef int (*coh_timeline_pred)(void *ctx, const struct coh_sim *s,
				 const struct coh_event *ev, uint64_t i);

/**
 * coh_timeline_search_back - the last event before @n where @pred holds
 * (reverse-continue to a breakpoint, "who last wrote this byte")
 * @n:     search events [0, n); at most the source's count
 * @found: receives the event's index (seek to @found + 1 for the state
 *         after it)
 *
 * Searches the stretch between the last snapshot before @n and @n, then
 * the stretch before that snapshot, and so on, each on a silent copy of a
 * snapshot: never a replay from event 0 unless the answer is there.  The
 * timeline's current state and snapshots are not changed.
 *
 * Return: 1 with *@found set, 0 when no event matches, or a negative
 * COH_E_* (-COH_E_SEEK when @n is past the end, the error of an event
 * that failed).
 */
int coh_timeline_search_back(const struct coh_timeline *tl, uint64_t n,
			     coh_timeline_pred pred, void *ctx, uint64_t *found);

/**
 * coh_timeline_search_fwd - the first event in [@from, @to) where @pred
 * holds (continue to a breakpoint); @to is clamped to the source's count
 *
 * Starts from the last snapshot at or before @from; like the backward
 * search it changes neither the current state nor the snapshots.
 *
 * Return: 1 with *@found set, 0 when none, or a negative COH_E_*.
 */
int coh_timeline_search_fwd(const struct coh_timeline *tl, uint64_t from, uint64_t to,
			    coh_timeline_pred pred, void *ctx, uint64_t *found);

/**
 * coh_timeline_nsnapshots - snapshots held now
 */
size_t coh_timeline_nsnapshots(const struct coh_timeline *tl);

/**
 * coh_timeline_interval - events between two snapshots now: the fixed
 * interval, else their mean spacing, 0 before the second (the work between
 * two doubles each time the snapshots are thinned to fit their budget)
 */
uint64_t coh_timeline_interval(const struct coh_timeline *tl);

/**
 * coh_timeline_snap_pos - the position of the last snapshot at or before
 * @pos: where a seek or search to @pos starts replaying
 */
uint64_t coh_timeline_snap_pos(const struct coh_timeline *tl, uint64_t pos);

/**
 * coh_timeline_snapshot_bytes - memory the snapshots cost: everything the
 * timeline holds beyond one full state (the furthest one reached)
 */
size_t coh_timeline_snapshot_bytes(const struct coh_timeline *tl);

#endif
