/* SPDX-License-Identifier: MIT */
/*
 * timeline_search.c - searching a timeline backward and forward for an
 * event where a condition holds, replaying stretches between snapshots on
 * silent copies (reverse-continue, breakpoints, "who last wrote this byte").
 */
#include "coh_run.h"
#include "timeline-local.h"

struct hunt {
	coh_timeline_pred pred;
	void *ctx;
	int first;                   /* stop at the first match (forward) */
	int hit;
	uint64_t found;
};

static int look(void *ctx, struct coh_sim *s, const struct coh_event *ev, uint64_t i)
{
	struct hunt *h = ctx;

	if (!h->pred(h->ctx, s, ev, i))
		return 0;
	h->hit = 1;
	h->found = i;
	return h->first;
}

/* Test @h on events [from, to), starting from the last snapshot at or before @from. */
static int scan(const struct coh_timeline *tl, uint64_t from, uint64_t to, struct hunt *h)
{
	const struct coh_source *src = coh_timeline_source(tl);
	struct coh_run_opts o = { .ctx = h, .event = look };
	uint64_t at;
	struct coh_sim *c = coh_sim_clone(coh_timeline_snap_before(tl, from, &at));
	int err;

	if (!c)
		return -COH_E_NOMEM;
	coh_sim_set_hooks(c, NULL);
	err = coh_run(c, src, at, from, NULL, NULL);
	if (err >= 0)
		err = coh_run(c, src, from, to, &o, NULL);
	coh_sim_free(c);
	return err < 0 ? err : 0;
}

int coh_timeline_search_back(const struct coh_timeline *tl, uint64_t n,
			     coh_timeline_pred pred, void *ctx, uint64_t *found)
{
	const struct coh_source *src = coh_timeline_source(tl);
	struct hunt h = { .pred = pred, .ctx = ctx };
	uint64_t end = n, start;
	int err;

	if (n > src->count(src->ctx))
		return -COH_E_SEEK;
	while (end > 0) {
		coh_timeline_snap_before(tl, end - 1, &start);
		if ((err = scan(tl, start, end, &h)) < 0)
			return err;
		if (h.hit) {
			*found = h.found;
			return 1;
		}
		end = start;
	}
	return 0;
}

int coh_timeline_search_fwd(const struct coh_timeline *tl, uint64_t from, uint64_t to,
			    coh_timeline_pred pred, void *ctx, uint64_t *found)
{
	struct hunt h = { .pred = pred, .ctx = ctx, .first = 1 };
	int err;

	if (from >= to)
		return 0;
	if ((err = scan(tl, from, to, &h)) < 0)
		return err;
	if (h.hit)
		*found = h.found;
	return h.hit;
}
