/* SPDX-License-Identifier: MIT */
/*
 * coh_run.h - replaying a range of an event source into a simulation.
 *
 * The one replay loop of the project: `dmascope check` and `run`, the
 * timeline's re-execution after a restore and its searches all go through
 * coh_run(), so a screen, a what-if explorer or a lesson sees the same
 * replay, with the same error messages, as the command line.
 */
#ifndef COH_RUN_H
#define COH_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "coh_log.h"
#include "coh_sim.h"

/* How coh_run() ended (a negative COH_E_* code is a failure). */
enum coh_run_end {
	COH_RUN_DONE = 0,            /* every event up to @to was applied */
	COH_RUN_STOPPED = 1          /* the per-event callback asked to stop */
};

#define COH_RUN_PROGRESS_EVERY 65536u   /* events between progress calls */

/**
 * struct coh_run_opts - what coh_run() calls along the way (all optional)
 * @ctx:      passed to the callbacks
 * @event:    after event @i (its index in the source) was applied to @s:
 *            return 0 to go on, > 0 to stop (COH_RUN_STOPPED), or a
 *            negative COH_E_* code to fail with it
 * @progress: after event @i when @i % COH_RUN_PROGRESS_EVERY == 0, whether
 *            it applied or not; @count is the source's event count
 */
struct coh_run_opts {
	void *ctx;
	int (*event)(void *ctx, struct coh_sim *s, const struct coh_event *ev, uint64_t i);
	void (*progress)(void *ctx, uint64_t i, uint64_t count);
};

/**
 * struct coh_run_result - where and why coh_run() stopped
 * @next:   index of the first event not applied (the failing one on error)
 * @src:    on error, the failing event's ev->src (COH_SRC_NONE when the
 *          source itself failed or the event has none)
 * @source: 1 when the source's get() failed, 0 when the simulation did
 * @errmsg: on error, why: coh_sim_errmsg(), or coh_strerror() of the code
 *          when the simulation or the source gave no message; else ""
 */
struct coh_run_result {
	uint64_t next;
	uint64_t src;
	int source;
	char errmsg[256];
};

/**
 * coh_run - apply events [@from, @to) of @src to @s, in order
 * @s:    the simulation (normally at position @from, but not required)
 * @src:  the events
 * @from: first event index
 * @to:   one past the last; clamped to the source's count (UINT64_MAX: to
 *        the end)
 * @o:    callbacks, may be NULL
 * @r:    may be NULL; receives where and why it stopped
 *
 * Return: COH_RUN_DONE, COH_RUN_STOPPED, or the negative COH_E_* code of
 * the event, source or callback that failed (the run stops there; a failed
 * event leaves @s as coh_sim_apply() documents).
 */
int coh_run(struct coh_sim *s, const struct coh_source *src, uint64_t from, uint64_t to,
	    const struct coh_run_opts *o, struct coh_run_result *r);

#endif
