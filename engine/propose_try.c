/* SPDX-License-Identifier: MIT */
/*
 * propose_try.c - does one edit cure a finding?  The recorded events with
 * that one edit (an insert, a move or a replace) as a source of their own,
 * replayed from the recorded state before the edit up to just past the
 * event that raised the finding: cheap, and independent of the what-if's
 * edit list.
 */
#include "coh_run.h"
#include "coh_timeline.h"
#include "propose.h"

struct one_edit {
	const struct coh_source *rec;
	const struct coh_edit *e;
	uint64_t n;                  /* recorded events */
};

static uint64_t one_count(void *ctx)
{
	const struct one_edit *o = ctx;

	return o->n + (o->e->op == COH_EDIT_INSERT);
}

/* the recorded index edited event @i stands for, or UINT64_MAX: the edit's event */
static uint64_t one_map(const struct one_edit *o, uint64_t i)
{
	const struct coh_edit *e = o->e;

	switch (e->op) {
	case COH_EDIT_INSERT:
		return i < e->at ? i : i == e->at ? UINT64_MAX : i - 1;
	case COH_EDIT_REPLACE:
		return i == e->at ? UINT64_MAX : i;
	case COH_EDIT_MOVE:
		if (e->to < e->at)   /* [0, to) at [to, at) (at, n) */
			return i < e->to || i > e->at ? i : i == e->to ? e->at : i - 1;
		/* [0, at) (at, to) at [to, n) */
		return i < e->at || i >= e->to ? i : i == e->to - 1 ? e->at : i + 1;
	}
	return i;
}

static int one_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	const struct one_edit *o = ctx;
	uint64_t r = one_map(o, i);

	if (r == UINT64_MAX) {
		*ev = o->e->ev;
		return 0;
	}
	return o->rec->get(o->rec->ctx, r, ev);
}

/**
 * coh_finding_raised_at - the recorded event at which @f was raised: its
 * own event, or for a leak (reported at its map call) the end of the scope
 */
uint64_t coh_finding_raised_at(const struct coh_finding *f)
{
	return f->id == COH_DC012 && f->other_seq != COH_SEQ_NONE ? f->other_seq : f->seq;
}

static int same(const struct coh_finding *a, const struct coh_finding *b)
{
	return a->id == b->id && a->src == b->src &&
	       (a->src != COH_SRC_NONE || a->addr == b->addr);
}

/**
 * coh_propose_try - replay the recorded run with edit @e alone, from the
 * recorded state before it to just past the event that raised @f
 *
 * Return: 1 when @f (same id, same event of the file) is not raised, 0
 * when it still is, or -COH_E_* (an event failed: the edit does not fit).
 */
int coh_propose_try(const struct coh_timeline *rec, const struct coh_edit *e,
		    const struct coh_finding *f)
{
	struct one_edit o = { .rec = coh_timeline_source(rec), .e = e };
	struct coh_source src = { .ctx = &o, .count = one_count, .get = one_get };
	uint64_t from = e->op == COH_EDIT_MOVE && e->to < e->at ? e->to : e->at;
	uint64_t upto = coh_finding_raised_at(f) + 2;
	struct coh_sim *s;
	size_t n0;
	int err, cured = 1;

	o.n = o.rec->count(o.rec->ctx);
	if (e->op == COH_EDIT_MOVE && e->to > e->at && upto < e->to + 1)
		upto = e->to + 1;
	if (!(s = coh_timeline_state_at(rec, from, &err)))
		return err;
	n0 = coh_sim_nfindings(s);
	err = coh_run(s, &src, from, upto, NULL, NULL);
	for (size_t i = n0; err >= 0 && i < coh_sim_nfindings(s); i++)
		if (same(coh_sim_finding(s, i), f))
			cured = 0;
	coh_sim_free(s);
	return err < 0 ? err : cured;
}
