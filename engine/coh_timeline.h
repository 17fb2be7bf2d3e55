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
	uint64_t interval;           /* events between snapshots; 0 = automatic */
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
 * coh_timeline_errmsg - why the last seek failed ("" when it did not)
 *
 * Return: borrowed until the next seek.
 */
const char *coh_timeline_errmsg(const struct coh_timeline *tl);

/**
 * coh_timeline_nsnapshots - snapshots held now
 */
size_t coh_timeline_nsnapshots(const struct coh_timeline *tl);

/**
 * coh_timeline_snapshot_bytes - memory the snapshots cost: everything the
 * timeline holds beyond one full state (the furthest one reached)
 */
size_t coh_timeline_snapshot_bytes(const struct coh_timeline *tl);

#endif
