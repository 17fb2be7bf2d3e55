/* SPDX-License-Identifier: MIT */
/*
 * run.c - the replay loop: events of a source into a simulation, with a
 * per-event callback that may stop the run, and progress reports.
 */
#include <stdio.h>
#include <string.h>

#include "coh_run.h"

static int failed(struct coh_run_result *r, uint64_t i, uint64_t src, int source, int code,
		  const char *why)
{
	if (r) {
		r->next = i;
		r->src = src;
		r->source = source;
		snprintf(r->errmsg, sizeof(r->errmsg), "%s", why && *why ? why : coh_strerror(code));
	}
	return code;
}

/* One event: 0 applied, < 0 failed (with @r filled in). */
static int one(struct coh_sim *s, const struct coh_source *src, uint64_t i,
	       struct coh_event *ev, struct coh_run_result *r)
{
	int err = src->get(src->ctx, i, ev);

	if (err < 0)
		return failed(r, i, COH_SRC_NONE, 1, err, NULL);
	err = coh_sim_apply(s, ev);
	if (err < 0)
		return failed(r, i, ev->src, 0, err, coh_sim_errmsg(s));
	return 0;
}

int coh_run(struct coh_sim *s, const struct coh_source *src, uint64_t from, uint64_t to,
	    const struct coh_run_opts *o, struct coh_run_result *r)
{
	uint64_t count = src->count(src->ctx);
	struct coh_event ev;
	int ret = COH_RUN_DONE;
	uint64_t i;

	if (r)
		*r = (struct coh_run_result){ .next = from, .src = COH_SRC_NONE };
	if (to > count)
		to = count;
	for (i = from; i < to && ret == COH_RUN_DONE; i++) {
		ret = one(s, src, i, &ev, r);
		if (ret == 0 && o && o->event) {
			ret = o->event(o->ctx, s, &ev, i);
			if (ret < 0)
				failed(r, i + 1, COH_SRC_NONE, 0, ret, NULL);
		}
		if (o && o->progress && i % COH_RUN_PROGRESS_EVERY == 0)
			o->progress(o->ctx, i, count);
	}
	if (r && ret >= 0)
		r->next = i;
	return ret;
}
