/* SPDX-License-Identifier: MIT */
/*
 * whatif_run.c - the diff of the recorded and the edited run.
 *
 * Both runs start from the recorded state where the first edit is, and go
 * on in lockstep: each edited event, then its recorded counterpart (an
 * inserted event has none).  Their machines (coh_sim_state_hash()) are
 * compared after every event near an edit, and every CHECK_EVERY events
 * elsewhere: away from edits the two runs apply the same events, so equal
 * states stay equal, and unequal ones can only become equal, which a
 * re-run of the stretch from the last check then places exactly.
 * Findings are matched by the file's event index; bytes by the recorded
 * event that wrote them (whatif_bytes.c).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "coh_run.h"
#include "whatif-local.h"

#define CHECK_EVERY 256

struct lockstep {
	struct coh_whatif *w;
	const struct coh_source *rsrc;
	struct coh_source esrc;
	struct coh_sim *a, *b;       /* recorded, edited */
	uint64_t epos, ecount;       /* edited events applied; in all */
	uint64_t fine_until;         /* compare after every event up to here */
	bool same;                   /* the states were equal at the last compare */
	bool compare;                /* 0: another platform, states not compared */
	const char *why;             /* the failing simulation's message */
	struct coh_run_diff *d;
};

/* Apply the next edited event and its recorded counterpart. */
static int step(struct lockstep *ls, bool *edit)
{
	struct whatif_item it;
	struct coh_event ev;
	int err;

	coh_whatif_plan_item(coh_whatif_plan_of(ls->w), ls->epos, &it);
	*edit = it.inserted || it.over;
	if ((err = ls->esrc.get(ls->esrc.ctx, ls->epos, &ev)) < 0)
		return err;
	if ((err = coh_sim_apply(ls->b, &ev)) < 0) {
		ls->why = coh_sim_errmsg(ls->b);
		return err;
	}
	ls->epos++;
	if (it.inserted)
		return 0;
	if ((err = ls->rsrc->get(ls->rsrc->ctx, it.rec, &ev)) < 0)
		return err;
	if ((err = coh_sim_apply(ls->a, &ev)) < 0)
		ls->why = coh_sim_errmsg(ls->a);
	return err;
}

static bool equal(const struct lockstep *ls)
{
	return coh_sim_state_hash(ls->a) == coh_sim_state_hash(ls->b);
}

/* Record a change of equality seen after edited position ls->epos - 1. */
static void note(struct lockstep *ls, bool now)
{
	if (now == ls->same)
		return;
	ls->same = now;
	if (!now && ls->d->diverge == COH_SEQ_NONE)
		ls->d->diverge = ls->epos - 1;
	else if (now && ls->d->diverge != COH_SEQ_NONE && ls->d->rejoin == COH_SEQ_NONE)
		ls->d->rejoin = ls->epos - 1;
}

/* The last check: clones of both states, where, and whether they were equal. */
struct check {
	struct coh_sim *a, *b;
	uint64_t pos;
	bool same;
};

static int take(struct check *c, const struct lockstep *ls)
{
	coh_sim_free(c->a);
	coh_sim_free(c->b);
	c->a = coh_sim_clone(ls->a);
	c->b = coh_sim_clone(ls->b);
	c->pos = ls->epos;
	c->same = ls->same;
	return c->a && c->b ? 0 : -COH_E_NOMEM;
}

/* The states became equal somewhere since check @c: re-run that stretch
 * from it, comparing after each event. */
static int refine(struct lockstep *ls, struct check *c)
{
	uint64_t to = ls->epos;
	bool edit;
	int err;

	coh_sim_free(ls->a);
	coh_sim_free(ls->b);
	ls->a = c->a;
	ls->b = c->b;
	c->a = c->b = NULL;
	ls->epos = c->pos;
	ls->same = c->same;
	while (ls->epos < to) {
		if ((err = step(ls, &edit)) < 0)
			return err;
		note(ls, equal(ls));
	}
	return 0;
}

/* Whether the states still need comparing: not once they rejoined. */
static bool watching(const struct lockstep *ls)
{
	return ls->compare && ls->d->rejoin == COH_SEQ_NONE;
}

static int lockstep_run(struct lockstep *ls)
{
	struct check c = { 0 };
	bool edit;
	int err = take(&c, ls);

	while (!err && ls->epos < ls->ecount) {
		if ((err = step(ls, &edit)) < 0 || !watching(ls))
			continue;
		if (edit)
			ls->fine_until = ls->epos + CHECK_EVERY;
		if (ls->epos <= ls->fine_until) {
			note(ls, equal(ls));
			if (ls->epos == ls->fine_until || ls->epos == ls->ecount)
				err = take(&c, ls);
			continue;
		}
		if ((ls->epos - c.pos) % CHECK_EVERY && ls->epos < ls->ecount)
			continue;
		if (!ls->same && equal(ls))
			err = refine(ls, &c);
		if (!err)
			err = take(&c, ls);
	}
	coh_sim_free(c.a);
	coh_sim_free(c.b);
	return err;
}

/* ---- findings ------------------------------------------------------------ */

struct fkey {
	const struct coh_finding *f;
	size_t idx;
	bool matched;
};

/**
 * coh_whatif_key_cmp - the order of two findings by what matches them
 * across runs: id, rule, the file's event index, address, length, device
 * (the diff here, the omission matrix in whatif_omit.c)
 */
int coh_whatif_key_cmp(const struct coh_finding *x, const struct coh_finding *y)
{
	uint64_t kx[6] = { x->id, x->rule, x->src, x->addr, x->len, (uint64_t)(int64_t)x->dev };
	uint64_t ky[6] = { y->id, y->rule, y->src, y->addr, y->len, (uint64_t)(int64_t)y->dev };

	for (int i = 0; i < 6; i++)
		if (kx[i] != ky[i])
			return kx[i] < ky[i] ? -1 : 1;
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;
	int c = coh_whatif_key_cmp(x->f, y->f);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static int by_idx(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;

	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* The findings of @s from engine position @from on, sorted by key. */
static struct fkey *keys_of(const struct coh_sim *s, uint64_t from, size_t *n)
{
	size_t nf = coh_sim_nfindings(s);
	struct fkey *k = malloc((nf + 1) * sizeof(*k));

	*n = 0;
	if (!k)
		return NULL;
	for (size_t i = 0; i < nf; i++) {
		const struct coh_finding *f = coh_sim_finding(s, i);

		if (f->seq >= from)
			k[(*n)++] = (struct fkey){ f, i, false };
	}
	qsort(k, *n, sizeof(*k), by_key);
	return k;
}

/* Mark the pairs found in both lists. */
static void match(struct fkey *x, size_t nx, struct fkey *y, size_t ny)
{
	size_t i = 0, j = 0;

	while (i < nx && j < ny) {
		int c = coh_whatif_key_cmp(x[i].f, y[j].f);

		if (!c)
			x[i++].matched = y[j++].matched = true;
		else if (c < 0)
			i++;
		else
			j++;
	}
}

/* The unmatched findings of @k, in the order they fired. */
static struct coh_finding *unmatched(struct fkey *k, size_t n, size_t *out_n)
{
	struct coh_finding *v = malloc((n + 1) * sizeof(*v));

	*out_n = 0;
	if (!v)
		return NULL;
	qsort(k, n, sizeof(*k), by_idx);
	for (size_t i = 0; i < n; i++)
		if (!k[i].matched)
			v[(*out_n)++] = *k[i].f;
	return v;
}

static int compare_findings(const struct lockstep *ls, uint64_t from, struct coh_run_diff *d)
{
	size_t na, nb;
	struct fkey *ka = keys_of(ls->a, from, &na), *kb = keys_of(ls->b, from, &nb);
	int err = 0;

	if (ka && kb) {
		match(ka, na, kb, nb);
		d->removed = unmatched(ka, na, &d->nremoved);
		d->added = unmatched(kb, nb, &d->nadded);
	}
	if (!ka || !kb || !d->removed || !d->added)
		err = -COH_E_NOMEM;
	free(ka);
	free(kb);
	return err;
}

/* ---- the diff -------------------------------------------------------------- */

void coh_run_diff_free(struct coh_run_diff *d)
{
	if (!d)
		return;
	free(d->added);
	free(d->removed);
	memset(d, 0, sizeof(*d));
}

/* Both runs at the first edit: the recorded state there, and the edited
 * timeline's (the same state, or a fresh one on another platform). */
static int start(struct lockstep *ls, uint64_t same)
{
	struct coh_timeline *etl;
	int err;

	if (!(etl = coh_whatif_timeline(ls->w, &err)))
		return err;
	ls->a = coh_timeline_state_at(coh_whatif_recorded(ls->w), same, &err);
	if (ls->a)
		ls->b = coh_timeline_state_at(etl, same, &err);
	return ls->a && ls->b ? 0 : err;
}

int coh_whatif_diff(struct coh_whatif *w, struct coh_run_diff *out)
{
	uint64_t same = coh_whatif_same_until(w);
	struct lockstep ls = { .w = w, .same = true, .compare = true, .d = out };
	int err;

	memset(out, 0, sizeof(*out));
	out->diverge = out->rejoin = COH_SEQ_NONE;
	ls.rsrc = coh_timeline_source(coh_whatif_recorded(w));
	ls.esrc = coh_whatif_source(w);
	ls.ecount = ls.esrc.count(ls.esrc.ctx);
	ls.epos = same;
	if (coh_whatif_platform(w) != coh_timeline_platform(coh_whatif_recorded(w))) {
		ls.compare = false;         /* another machine: never compared */
		out->diverge = 0;
	}
	err = start(&ls, same);
	if (!err)
		err = lockstep_run(&ls);
	if (!err)
		err = compare_findings(&ls, same, out);
	coh_sim_free(ls.a);
	coh_sim_free(ls.b);
	if (err < 0) {
		coh_whatif_fail(w, "edited event %llu: %s", ls.epos,
				ls.why && *ls.why ? ls.why : coh_strerror(err));
		coh_run_diff_free(out);
	}
	return err;
}
