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

#define CHECK_FIRST 256               /* events from an edit to the first check */
#define CHECK_MAX   65536             /* the widest stretch between checks */

/* Both runs at one edited position. */
struct pair {
	struct coh_sim *a, *b;       /* recorded, edited */
	uint64_t epos;               /* edited events applied */
};

struct lockstep {
	struct coh_whatif *w;
	const struct coh_source *rsrc;
	struct coh_source esrc;
	struct pair cur;
	uint64_t ecount;             /* edited events in all */
	bool same;                   /* the states were equal at the last compare */
	bool compare;                /* 0: another platform, states not compared */
	const char *why;             /* the failing simulation's message */
	size_t nf0;                  /* findings both runs share (raised before the edit) */
	struct coh_run_diff *d;
};

static bool is_edit(struct lockstep *ls, uint64_t epos)
{
	struct whatif_item it;

	coh_whatif_plan_item(coh_whatif_plan_of(ls->w), epos, &it);
	return it.inserted || it.over;
}

/* Apply the next edited event to @p->b and its recorded counterpart (an
 * inserted event has none) to @p->a. */
static int step(struct lockstep *ls, struct pair *p)
{
	struct whatif_item it;
	struct coh_event ev;
	int err;

	coh_whatif_plan_item(coh_whatif_plan_of(ls->w), p->epos, &it);
	if ((err = ls->esrc.get(ls->esrc.ctx, p->epos, &ev)) < 0)
		return err;
	if ((err = coh_sim_apply(p->b, &ev)) < 0) {
		ls->why = coh_sim_errmsg(p->b);
		return err;
	}
	p->epos++;
	if (it.inserted)
		return 0;
	if ((err = ls->rsrc->get(ls->rsrc->ctx, it.rec, &ev)) < 0)
		return err;
	if ((err = coh_sim_apply(p->a, &ev)) < 0)
		ls->why = coh_sim_errmsg(p->a);
	return err;
}

static bool equal(const struct pair *p)
{
	return coh_sim_state_equal(p->a, p->b);
}

/* Record a change of equality seen after edited position @epos - 1. */
static void note(struct lockstep *ls, uint64_t epos, bool now)
{
	if (now == ls->same)
		return;
	ls->same = now;
	if (!now && ls->d->diverge == COH_SEQ_NONE)
		ls->d->diverge = epos - 1;
	else if (now && ls->d->diverge != COH_SEQ_NONE && ls->d->rejoin == COH_SEQ_NONE)
		ls->d->rejoin = epos - 1;
}

static void pair_free(struct pair *p)
{
	coh_sim_free(p->a);
	coh_sim_free(p->b);
	p->a = p->b = NULL;
}

static int pair_clone(struct pair *dst, const struct pair *src)
{
	dst->a = coh_sim_clone(src->a);
	dst->b = coh_sim_clone(src->b);
	dst->epos = src->epos;
	if (dst->a && dst->b)
		return 0;
	pair_free(dst);
	return -COH_E_NOMEM;
}

/* The states are unequal at @lo (clones; consumed) and equal at edited
 * position @hi, with no edit in between: the first equal position is found
 * by halving, each half re-run from a copy. */
static int bisect(struct lockstep *ls, struct pair *lo, uint64_t hi)
{
	int err = 0;

	while (!err && hi - lo->epos > 1) {
		uint64_t mid = lo->epos + (hi - lo->epos) / 2;
		struct pair m;

		if ((err = pair_clone(&m, lo)) < 0)
			break;
		while (!err && m.epos < mid)
			err = step(ls, &m);
		if (!err && equal(&m)) {
			hi = mid;
			pair_free(&m);
		} else {
			pair_free(lo);
			*lo = m;
		}
	}
	pair_free(lo);
	if (!err)
		note(ls, hi, true);
	return err;
}

/* Where the last check was made, with copies of both states. */
struct check {
	struct pair at;
	uint64_t spacing;            /* events to the next check */
};

static int take(struct check *c, const struct lockstep *ls, uint64_t spacing)
{
	pair_free(&c->at);
	c->spacing = spacing;
	return pair_clone(&c->at, &ls->cur);
}

/* Compare now, as a stretch with no edit ends: rejoined somewhere in it? */
static int close_stretch(struct lockstep *ls, struct check *c)
{
	uint64_t spacing = c->spacing * 2 < CHECK_MAX ? c->spacing * 2 : CHECK_MAX;

	if (equal(&ls->cur)) {
		int err = bisect(ls, &c->at, ls->cur.epos);

		c->at.a = c->at.b = NULL;
		if (err)
			return err;
	}
	return take(c, ls, spacing);
}

/* An edited event: compare right after it (divergence happens only at
 * edits), having closed the stretch before it. */
static int edit_step(struct lockstep *ls, struct check *c)
{
	int err = 0;

	if (ls->compare && !ls->same && ls->cur.epos > c->at.epos)
		err = close_stretch(ls, c);
	if (!err)
		err = step(ls, &ls->cur);
	if (!err && ls->compare) {
		note(ls, ls->cur.epos, equal(&ls->cur));
		err = take(c, ls, CHECK_FIRST);
	}
	return err;
}

/* Go on for about @events edited events (a stretch's re-run may take more). */
static int lockstep_some(struct lockstep *ls, struct check *c, uint64_t events)
{
	uint64_t stop = ls->ecount - ls->cur.epos > events ? ls->cur.epos + events : ls->ecount;
	int err = 0;

	while (!err && ls->cur.epos < stop) {
		if (is_edit(ls, ls->cur.epos)) {
			err = edit_step(ls, c);
			continue;
		}
		if ((err = step(ls, &ls->cur)) < 0 || !ls->compare || ls->same)
			continue;       /* equal states stay equal until an edit */
		if (ls->cur.epos - c->at.epos >= c->spacing || ls->cur.epos == ls->ecount)
			err = close_stretch(ls, c);
	}
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

/* The findings of @s from the @from-th on, sorted by key (a finding may
 * name an earlier event than the one that raised it: a leak names its map
 * call, so findings are told apart by when they were raised, not by seq). */
static struct fkey *keys_of(const struct coh_sim *s, size_t from, size_t *n)
{
	size_t nf = coh_sim_nfindings(s);
	struct fkey *k = malloc((nf + 1) * sizeof(*k));

	*n = 0;
	if (!k)
		return NULL;
	for (size_t i = from; i < nf; i++)
		k[(*n)++] = (struct fkey){ coh_sim_finding(s, i), i, false };
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

static int compare_findings(const struct lockstep *ls, size_t from, struct coh_run_diff *d)
{
	size_t na, nb;
	struct fkey *ka = keys_of(ls->cur.a, from, &na), *kb = keys_of(ls->cur.b, from, &nb);
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
	ls->cur.a = coh_timeline_state_at(coh_whatif_recorded(ls->w), same, &err);
	if (ls->cur.a)
		ls->cur.b = coh_timeline_state_at(etl, same, &err);
	if (ls->cur.b)
		ls->nf0 = coh_sim_nfindings(ls->cur.b);
	return ls->cur.a && ls->cur.b ? 0 : err;
}

/* A diff made a part at a time. */
struct coh_diff_job {
	struct lockstep ls;
	struct check c;
	struct coh_run_diff d;
};

static int job_failed(struct coh_diff_job *j, int err)
{
	coh_whatif_fail(j->ls.w, "edited event %llu: %s", j->ls.cur.epos,
			j->ls.why && *j->ls.why ? j->ls.why : coh_strerror(err));
	return err;
}

struct coh_diff_job *coh_whatif_diff_start(struct coh_whatif *w, int *err)
{
	struct coh_diff_job *j = calloc(1, sizeof(*j));
	uint64_t same = coh_whatif_same_until(w);
	int e;

	if (!j) {
		*err = -COH_E_NOMEM;
		return NULL;
	}
	j->ls = (struct lockstep){ .w = w, .same = true, .compare = true, .d = &j->d };
	j->c.spacing = CHECK_FIRST;
	j->d.diverge = j->d.rejoin = COH_SEQ_NONE;
	j->ls.rsrc = coh_timeline_source(coh_whatif_recorded(w));
	j->ls.esrc = coh_whatif_source(w);
	j->ls.ecount = j->ls.esrc.count(j->ls.esrc.ctx);
	j->ls.cur.epos = same;
	if (coh_whatif_platform(w) != coh_timeline_platform(coh_whatif_recorded(w))) {
		j->ls.compare = false;       /* another machine: never compared */
		j->d.diverge = 0;
	}
	if ((e = start(&j->ls, same)) == 0)
		e = take(&j->c, &j->ls, CHECK_FIRST);
	if (e < 0) {
		*err = job_failed(j, e);
		coh_whatif_diff_end(j);
		return NULL;
	}
	return j;
}

int coh_whatif_diff_step(struct coh_diff_job *j, uint64_t events, struct coh_run_diff *out)
{
	int err = lockstep_some(&j->ls, &j->c, events);

	if (!err && j->ls.cur.epos < j->ls.ecount)
		return 0;
	if (!err)
		err = compare_findings(&j->ls, j->ls.nf0, &j->d);
	if (err < 0)
		return job_failed(j, err);
	*out = j->d;
	memset(&j->d, 0, sizeof(j->d));
	return 1;
}

void coh_whatif_diff_progress(const struct coh_diff_job *j, uint64_t *done, uint64_t *total)
{
	*done = j->ls.cur.epos;
	*total = j->ls.ecount;
}

void coh_whatif_diff_end(struct coh_diff_job *j)
{
	if (!j)
		return;
	pair_free(&j->c.at);
	pair_free(&j->ls.cur);
	coh_run_diff_free(&j->d);
	free(j);
}

int coh_whatif_diff(struct coh_whatif *w, struct coh_run_diff *out)
{
	struct coh_diff_job *j;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->diverge = out->rejoin = COH_SEQ_NONE;
	if (!(j = coh_whatif_diff_start(w, &err)))
		return err;
	err = coh_whatif_diff_step(j, UINT64_MAX, out);
	coh_whatif_diff_end(j);
	return err < 0 ? err : 0;
}
