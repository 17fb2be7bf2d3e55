/* SPDX-License-Identifier: MIT */
/*
 * whatif_fix.c - the minimal fix: the smallest set of inserted, moved or
 * re-sized maintenance calls after which no finding a call can cure is
 * left, on every platform asked.
 *
 * Search: replay the edited run on each platform (a coh_whatif over the
 * recorded run with the edits so far, and a PLATFORM edit for another
 * platform, so that nothing before the first edit is replayed again), ask
 * coh_whatif_propose() for every DC001-DC012 finding that is a root, or a
 * consequence of a root no call cures (a stale read after a wrong-direction
 * unmap still has a sync that prevents it), add what it proposes
 * (translated back to recorded positions), and replay again until no such
 * finding is left.  Then minimize: drop each edit in turn and keep it
 * dropped when the run stays clean everywhere.  The search stops at the
 * limits (edits, replays) or when a pass proposes nothing new, and then
 * says the fix is incomplete rather than guess.  The roots no call cures
 * are listed, each with what the driver must change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_timeline.h"
#include "coh_whatif.h"
#include "propose.h"

enum pass_mode { PASS_ADD, PASS_CHECK, PASS_UNCURED };

struct plist {
	struct coh_proposal *v;
	size_t n, cap;
};

struct fixer {
	const struct coh_timeline *rec;
	const struct coh_platform *plats;
	unsigned nplats;
	unsigned max_edits, max_runs, runs;
	int changed;                 /* the last pass added or changed an edit */
	struct plist edits, uncured;
};

static void repoint(struct coh_proposal *p)
{
	p->edit.ev.segs = p->edit.ev.nsegs ? p->segs : NULL;
}

static int plist_push(struct plist *l, const struct coh_proposal *p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct coh_proposal *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		l->v = v;
		l->cap = cap;
		for (size_t i = 0; i < l->n; i++)
			repoint(&l->v[i]);
	}
	l->v[l->n] = *p;
	repoint(&l->v[l->n++]);
	return 0;
}

static void plist_remove(struct plist *l, size_t i)
{
	memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(*l->v));
	l->n--;
	for (size_t k = i; k < l->n; k++)
		repoint(&l->v[k]);
}

static int plist_insert(struct plist *l, size_t i, const struct coh_proposal *p)
{
	int err = plist_push(l, p);

	if (err < 0)
		return err;
	memmove(&l->v[i + 1], &l->v[i], (l->n - 1 - i) * sizeof(*l->v));
	l->v[i] = *p;
	for (size_t k = i; k < l->n; k++)
		repoint(&l->v[k]);
	return 0;
}

/* a new edit, unless the list has it already (then 0) */
static int add_new(struct fixer *fx, const struct coh_proposal *p)
{
	const struct coh_edit *e = &p->edit;

	for (size_t j = 0; j < fx->edits.n; j++) {
		const struct coh_edit *o = &fx->edits.v[j].edit;

		if (o->op == e->op && o->at == e->at && o->ev.kind == e->ev.kind &&
		    (e->op != COH_EDIT_MOVE || o->to == e->to))
			return 0;
		if (o->at == e->at && e->op != COH_EDIT_INSERT && o->op != COH_EDIT_INSERT)
			return 0;           /* that event is moved or replaced already */
	}
	fx->changed = 1;
	return plist_push(&fx->edits, p);
}

/* the recorded place an edit puts its event before (a replace: the event
 * it replaces) */
static uint64_t place(const struct coh_edit *e)
{
	return e->op == COH_EDIT_MOVE ? e->to : e->at;
}

/* the edit whose inserted or moved event of kind @kind stands before
 * recorded event @r, or -1 */
static long edit_placed(const struct fixer *fx, uint64_t r, unsigned kind)
{
	for (size_t j = 0; j < fx->edits.n; j++) {
		const struct coh_edit *o = &fx->edits.v[j].edit;

		if (o->op != COH_EDIT_REPLACE && place(o) == r && o->ev.kind == kind)
			return (long)j;
	}
	return -1;
}

/* edit @k's event goes before recorded event @to instead */
static int replace_place(struct fixer *fx, long k, uint64_t to)
{
	struct coh_edit *o = &fx->edits.v[k].edit;

	if (k < 0 || o->op == COH_EDIT_REPLACE || place(o) == to || (o->op == COH_EDIT_MOVE &&
								  o->at == to))
		return 0;
	if (o->op == COH_EDIT_MOVE)
		o->to = to;
	else
		o->at = to;
	fx->changed = 1;
	return 0;
}

/* a proposal made on the edited run @w, as an edit of the recorded one */
static int adopt(struct fixer *fx, const struct coh_whatif *w, struct coh_proposal *p)
{
	struct coh_edit *e = &p->edit;
	int ins;
	uint64_t r;

	p->finding_seq = coh_whatif_to_recorded(w, p->finding_seq, NULL);
	r = coh_whatif_to_recorded(w, e->at, &ins);
	if (e->op == COH_EDIT_MOVE) {
		uint64_t to = coh_whatif_to_recorded(w, e->to, NULL);

		if (ins)                 /* an event the fix put there already */
			return replace_place(fx, edit_placed(fx, r, e->ev.kind), to);
		if (to == r || to == r + 1)
			return 0;
		e->to = to;
	}
	if (ins && e->op == COH_EDIT_REPLACE)
		return 0;                /* re-sizing a call the fix made: no new edit */
	e->at = r;
	return add_new(fx, p);
}

static int is_inserted(const struct coh_whatif *w, uint64_t ed)
{
	int ins;

	coh_whatif_to_recorded(w, ed, &ins);
	return ins;
}

/* "DC007 shared-cache-line: " before what the driver must change */
static int add_uncured(struct fixer *fx, const struct coh_whatif *w,
		       const struct coh_finding *f, struct coh_proposal *p)
{
	char why[sizeof(p->why) + 64];

	p->finding_seq = coh_whatif_to_recorded(w, p->finding_seq, NULL);
	snprintf(why, sizeof(why), "%s %s: %s", coh_fid_code(f->id), coh_fid_name(f->id), p->why);
	snprintf(p->why, sizeof(p->why), "%.*s", (int)sizeof(p->why) - 1, why);
	for (size_t j = 0; j < fx->uncured.n; j++)
		if (fx->uncured.v[j].finding_seq == p->finding_seq &&
		    strcmp(fx->uncured.v[j].why, p->why) == 0)
			return 0;
	return plist_push(&fx->uncured, p);
}

static int judge_one(struct fixer *fx, struct coh_timeline *tl, const struct coh_whatif *w,
		     const struct coh_finding *f, int mode, size_t *left)
{
	struct coh_proposal p;
	int err = coh_whatif_propose(tl, f, &p);

	if (err < 0)
		return err;
	/* a consequence of a root no call cures: a call only when it works alone */
	if (p.edit.op != COH_EDIT_NONE && f->parent >= 0 &&
	    (err = coh_propose_try(tl, &p.edit, f)) <= 0) {
		if (err == -COH_E_NOMEM)
			return err;     /* any other failure: the call does not fit */
		p.edit.op = COH_EDIT_NONE;
	}
	if (p.edit.op == COH_EDIT_NONE && is_inserted(w, f->seq))
		(*left)++;           /* the fix's own call is wrong: not clean */
	if (p.edit.op == COH_EDIT_NONE)
		return mode == PASS_UNCURED && f->parent < 0 ? add_uncured(fx, w, f, &p) : 0;
	(*left)++;
	if (mode == PASS_ADD && (err = adopt(fx, w, &p)) < 0)
		return err;
	return 1;
}

/* the findings of one edited run: what is left to cure (*left), and by mode
 * the edits that cure it or the roots nothing cures */
static int judge(struct fixer *fx, struct coh_timeline *tl, const struct coh_whatif *w,
		 const struct coh_sim *end, int mode, size_t *left)
{
	size_t n = coh_sim_nfindings(end);
	uint8_t *cured = calloc(n ? n : 1, 1);
	int err = 0;

	if (!cured)
		return -COH_E_NOMEM;
	for (size_t i = 0; i < n && err >= 0; i++) {
		const struct coh_finding *f = coh_sim_finding(end, i);

		if (!coh_fid_is_error(f->id) || (f->parent >= 0 && cured[f->parent]))
			continue;
		err = judge_one(fx, tl, w, f, mode, left);
		cured[i] = err > 0;
	}
	free(cured);
	return err < 0 ? err : 0;
}

/* the recorded run with the edits so far, on @p */
static struct coh_whatif *edited(struct fixer *fx, const struct coh_platform *p, int *err)
{
	struct coh_whatif *w = coh_whatif_new(fx->rec, err);
	struct coh_edit pe = { .op = COH_EDIT_PLATFORM, .plat = p };

	if (w && memcmp(p, coh_timeline_platform(fx->rec), sizeof(*p)) != 0)
		*err = coh_whatif_add(w, &pe);
	for (size_t i = 0; w && *err >= 0 && i < fx->edits.n; i++)
		*err = coh_whatif_add(w, &fx->edits.v[i].edit);
	if (w && *err < 0) {
		coh_whatif_free(w);
		return NULL;
	}
	return w;
}

/* replay the edited run on @p to its end and judge its findings */
static int one_platform(struct fixer *fx, const struct coh_platform *p, int mode,
			size_t *left)
{
	int err = 0;
	struct coh_whatif *w = edited(fx, p, &err);
	struct coh_timeline *tl;
	struct coh_source src;

	fx->runs++;
	if (!w)
		return err;
	src = coh_whatif_source(w);
	if ((tl = coh_whatif_timeline(w, &err)) &&
	    (err = coh_timeline_seek(tl, src.count(src.ctx))) >= 0)
		err = judge(fx, tl, w, coh_timeline_sim(tl), mode, left);
	coh_whatif_free(w);
	return err;
}

static int pass(struct fixer *fx, int mode, size_t *left)
{
	int err = 0;

	*left = 0;
	for (unsigned i = 0; i < fx->nplats && err >= 0; i++)
		err = one_platform(fx, &fx->plats[i], mode, left);
	return err;
}

/* 1: nothing curable left, 0: the search stopped short, or -COH_E_* */
static int search(struct fixer *fx)
{
	for (;;) {
		size_t left;
		int err;

		fx->changed = 0;
		if ((err = pass(fx, PASS_ADD, &left)) < 0)
			return fx->edits.n && err != -COH_E_NOMEM ? 0 : err;
		if (!left)
			return 1;
		if (!fx->changed || fx->edits.n > fx->max_edits || fx->runs >= fx->max_runs)
			return 0;
	}
}

/* drop each edit in turn, last first; keep it dropped when all stays clean */
static int minimize(struct fixer *fx)
{
	for (size_t i = fx->edits.n; i-- > 0 && fx->runs + fx->nplats <= fx->max_runs;) {
		struct coh_proposal p = fx->edits.v[i];
		size_t left;
		int err;

		plist_remove(&fx->edits, i);
		err = pass(fx, PASS_CHECK, &left);
		if (err == -COH_E_NOMEM)
			return err;
		if ((err < 0 || left) && (err = plist_insert(&fx->edits, i, &p)) < 0)
			return err;
	}
	return 0;
}

static void sort_by_place(struct plist *l)
{
	for (size_t i = 1; i < l->n; i++) {
		struct coh_proposal p = l->v[i];
		size_t j = i;

		for (; j > 0 && place(&l->v[j - 1].edit) > place(&p.edit); j--)
			l->v[j] = l->v[j - 1];
		l->v[j] = p;
	}
	for (size_t i = 0; i < l->n; i++)
		repoint(&l->v[i]);
}

static void setup(struct fixer *fx, const struct coh_timeline *rec,
		  const struct coh_fix_opts *o)
{
	memset(fx, 0, sizeof(*fx));
	fx->rec = rec;
	fx->plats = o && o->plats ? o->plats : coh_timeline_platform(rec);
	fx->nplats = o && o->plats ? o->nplats : 1;
	fx->max_edits = o && o->max_edits ? o->max_edits : 64;
	fx->max_runs = o && o->max_runs ? o->max_runs : 1000;
}

int coh_whatif_fix(const struct coh_timeline *rec, const struct coh_fix_opts *o,
		   struct coh_fix *out)
{
	struct fixer fx;
	size_t left = 0;
	int err;

	if (!rec || !out || (o && o->plats && !o->nplats))
		return -COH_E_INVAL;
	memset(out, 0, sizeof(*out));
	setup(&fx, rec, o);
	err = search(&fx);
	out->complete = err > 0;
	if (err > 0)
		err = minimize(&fx);
	if (err >= 0 && fx.runs + fx.nplats <= fx.max_runs)
		err = pass(&fx, PASS_UNCURED, &left);
	if (err < 0) {
		free(fx.edits.v);
		free(fx.uncured.v);
		return err;
	}
	out->complete = out->complete && !left;
	sort_by_place(&fx.edits);
	*out = (struct coh_fix){ .complete = out->complete, .nedits = fx.edits.n,
				 .edits = fx.edits.v, .nuncured = fx.uncured.n,
				 .uncured = fx.uncured.v, .runs = fx.runs };
	return 0;
}

void coh_fix_free(struct coh_fix *f)
{
	if (!f)
		return;
	free(f->edits);
	free(f->uncured);
	memset(f, 0, sizeof(*f));
}
