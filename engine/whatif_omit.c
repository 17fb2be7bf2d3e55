/* SPDX-License-Identifier: MIT */
/*
 * whatif_omit.c - the omission matrix: the recorded run replayed once per
 * maintenance call with that call left out (a mark in its place, so
 * positions stay aligned with the recorded run's).
 *
 * A row starts from the recorded state just before its call: each worker
 * keeps a state of the recorded run (its cursor) that it moves forward to
 * the next row's call, starting from the recorded timeline's last snapshot
 * before it when that is further on; rows are handed out in event order,
 * so a worker replays the recorded run about once, not once per row.  The
 * row then runs until its state hash equals the recorded one at the same
 * position, looked at on the recorded checkpoints, further and further
 * apart (counters every hash mixes in are compared first: a row that lost
 * a map call never rejoins and pays no hash for it).  From there on the
 * run is the recorded one, so its findings are the recorded ones and only
 * the stretch before is compared.
 *
 * Threads: one worker per source given, each with its own states; what
 * they share of the recorded snapshots is copy-on-write with atomic sharer
 * counts (util.h), and each starts from a snapshot through
 * coh_sim_clone_alone(), never appending to a log another thread reads.
 * The recorded timeline must not move while the matrix runs.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "coh_run.h"
#include "sim-local.h"
#include "timeline-local.h"
#include "whatif-local.h"
#include "whatif_omit.h"

/* ---- comparing a row's findings with the recorded ones ------------------- */

/* Findings match by coh_whatif_key_cmp(); equal keys stay in the order raised. */
static int sort_cmp(const void *a, const void *b)
{
	const struct coh_finding *x = *(const struct coh_finding *const *)a;
	const struct coh_finding *y = *(const struct coh_finding *const *)b;
	int c = coh_whatif_key_cmp(x, y);

	return c ? c : (x > y) - (x < y);    /* equal keys: in the order raised */
}

static const struct coh_finding **sorted(const struct coh_finding *f, size_t n)
{
	const struct coh_finding **v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = &f[i];
	qsort(v, n, sizeof(*v), sort_cmp);
	return v;
}

/* Merge the two sorted windows: what only the row has goes to @added,
 * what only the recorded run has is counted as removed. */
static size_t merge(struct coh_omit_row *row, const struct coh_finding **a, size_t na,
		    const struct coh_finding **b, size_t nb, const struct coh_finding **added)
{
	size_t i = 0, j = 0, nadd = 0;

	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : coh_whatif_key_cmp(a[i], b[j]);

		if (c < 0)
			added[nadd++] = a[i++];
		else if (c > 0)
			row->removed[b[j++]->id % COH_FID_COUNT]++;
		else
			i++, j++;
	}
	return nadd;
}

static int stale_read(const struct coh_finding *f)
{
	return f->id == COH_DC001 || f->id == COH_DC002;
}

/* Counts, bytes read wrong and the first wrong read (by position, then as
 * raised) of the findings added. */
static void note_added(struct coh_omit_row *row, const struct coh_finding **v, size_t n)
{
	const struct coh_finding *first = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct coh_finding *f = v[i];

		row->added[f->id % COH_FID_COUNT]++;
		row->broke |= coh_fid_is_error(f->id) != 0;
		if (!stale_read(f))
			continue;
		row->wrong_bytes += f->len;
		if (!first || f->seq < first->seq || (f->seq == first->seq && f < first))
			first = f;
	}
	row->has_first_wrong = first != NULL;
	if (first)
		row->first_wrong = *first;
}

/* The row's findings since @nf0 against the recorded ones [nf0, rec_end). */
static int compare(struct coh_omit_row *row, const struct coh_sim *s, size_t nf0,
		   const struct omit_rec *r, size_t rec_end)
{
	size_t na = coh_sim_nfindings(s) - nf0, nb = rec_end - nf0;
	struct coh_finding *mine = malloc((na ? na : 1) * sizeof(*mine));
	const struct coh_finding **a = NULL, **b = NULL, **added = NULL;
	int err = -COH_E_NOMEM;

	for (size_t i = 0; mine && i < na; i++)
		mine[i] = *coh_sim_finding(s, nf0 + i);
	if (mine && (a = sorted(mine, na)) && (b = sorted(r->f + nf0, nb)) &&
	    (added = malloc((na ? na : 1) * sizeof(*added)))) {
		note_added(row, added, merge(row, a, na, b, nb, added));
		err = 0;
	}
	free(added);
	free(a);
	free(b);
	free(mine);
	return err;
}

/* ---- one row ------------------------------------------------------------- */

struct matrix {
	const struct omit_rec *r;
	const struct coh_omit_opts *o;
	struct coh_omit_row *rows;
	const size_t *which;         /* the rows to run, in event order; NULL: all */
	size_t n;                    /* how many */
	uint64_t bit;                /* 0: fill the rows; else the needed_on bit a row
				      * that breaks here gets */
	atomic_size_t next;          /* the next of them to hand out */
	atomic_int err;              /* the first failure */
	atomic_size_t *rejoined;     /* rows that rejoined the recorded run before
				      * its end */
	mtx_t lock;                  /* serializes progress */
	size_t *done, total;
};

struct worker {
	struct matrix *m;
	const struct coh_source *src;
	struct coh_sim *cur;         /* the recorded run, moved forward row by row */
	char text[80];               /* the mark's */
};

/* Events [from, to) of the worker's source; a failed event is reported as
 * such (1), the source's own failure as its error. */
static int replay(struct worker *w, struct coh_sim *s, uint64_t to)
{
	struct coh_run_result res;
	int err = coh_run(s, w->src, coh_sim_pos(s), to, NULL, &res);

	if (err >= 0)
		return 0;
	return res.source || err == -COH_E_NOMEM ? err : 1;
}

/* The worker's recorded state at @at: moved on from where it is, or from
 * a later snapshot. */
static int cursor_to(struct worker *w, uint64_t at)
{
	const struct omit_rec *r = w->m->r;
	uint64_t sp = 0;
	int err = 0;

	if (r->tl)
		coh_timeline_snap_before(r->tl, at, &sp);
	if (!w->cur || coh_sim_pos(w->cur) > at || sp > coh_sim_pos(w->cur)) {
		coh_sim_free(w->cur);
		if (!(w->cur = coh_omit_start(r, at, &err)))
			return err;
	}
	err = replay(w, w->cur, at);
	return err > 0 ? -COH_E_INVAL : err;     /* the recorded run replayed whole once */
}

/* The call left out: a mark in its place, with its time and file index. */
static int leave_out(struct worker *w, struct coh_sim *s, const struct omit_call *c)
{
	struct coh_event ev;

	coh_event_init(&ev, COH_EV_MARK);
	snprintf(w->text, sizeof(w->text), "what-if: left out %s", coh_kind_name(c->kind));
	ev.text = w->text;
	ev.ts = c->ts;
	ev.src = c->src;
	return coh_sim_apply(s, &ev) < 0 ? -COH_E_NOMEM : 0;
}

/* Whether @s is the recorded state at checkpoint @j: the keys first. */
static int rejoined(const struct omit_rec *r, const struct coh_sim *s, uint64_t j)
{
	struct omit_key k;

	coh_omit_key(s, &k);
	return memcmp(&k, &r->ck_key[j], sizeof(k)) == 0 && coh_sim_state_hash(s) == r->ck[j];
}

/* Run the row on until its state is the recorded one at a checkpoint
 * (looked at further and further apart) or the end; *@rec_end: the
 * recorded findings raised by then.
 * Return: 1 when it rejoined at the first checkpoint after the call, 0
 * when later or never, or -COH_E_*. */
static int run_on(struct worker *w, struct coh_sim *s, struct coh_omit_row *row,
		  const struct omit_call *c, size_t *rec_end)
{
	const struct omit_rec *r = w->m->r;
	uint64_t j = c->at / r->every + 1, gap = 1;
	int err;

	for (;; j += gap, gap *= 2) {
		uint64_t to = MIN(j * r->every, r->n);

		if ((err = replay(w, s, to)) != 0) {
			row->broke = err > 0;           /* the run cannot go on without it */
			*rec_end = r->ck_nf[coh_sim_pos(s) / r->every];
			return err < 0 ? err : 0;
		}
		if (to == r->n) {
			*rec_end = r->nf;
			return 0;
		}
		if (rejoined(r, s, j)) {
			*rec_end = r->ck_nf[j];
			atomic_fetch_add(w->m->rejoined, 1);
			return gap == 1;
		}
	}
}

/* A row that rejoined at once changed the state at all only if the call
 * itself did: compare the recorded state before and after it. */
static int call_changes_state(struct worker *w, uint64_t at, int *err)
{
	uint64_t before = coh_sim_state_hash(w->cur);

	*err = replay(w, w->cur, at + 1);
	if (*err > 0)
		*err = -COH_E_INVAL;
	return before != coh_sim_state_hash(w->cur);
}

static int run_row(struct worker *w, const struct omit_call *c, struct coh_omit_row *row)
{
	struct coh_sim *s;
	size_t rec_end = 0;
	int err = cursor_to(w, c->at), at_once = 0;

	if (err < 0)
		return err;
	if (!(s = coh_sim_clone(w->cur)))
		return -COH_E_NOMEM;
	err = leave_out(w, s, c);
	if (!err)
		err = at_once = run_on(w, s, row, c, &rec_end);
	if (err >= 0)
		err = compare(row, s, c->nf_before, w->m->r, rec_end);
	coh_sim_free(s);
	for (unsigned i = 0; err >= 0 && i < COH_FID_COUNT; i++)
		row->changed |= row->added[i] || row->removed[i];
	if (err >= 0 && !row->changed)
		row->changed = !at_once || call_changes_state(w, c->at, &err);
	return err < 0 ? err : 0;
}

/* Row @k: filled in, or on another preset, its needed_on bit. */
static int do_row(struct worker *w, size_t k)
{
	struct matrix *m = w->m;
	const struct omit_call *c = &m->r->calls[k];
	struct coh_omit_row tmp, *row = m->bit ? &tmp : &m->rows[k];
	int err;

	memset(row, 0, sizeof(*row));
	row->at = c->at;
	row->src = c->src;
	row->kind = c->kind;
	err = run_row(w, c, row);
	if (!err && m->bit && row->broke)
		m->rows[k].needed_on |= m->bit;
	return err;
}

/* ---- the workers --------------------------------------------------------- */

static void progress(struct matrix *m)
{
	mtx_lock(&m->lock);
	++*m->done;
	if (m->o->progress)
		m->o->progress(m->o->ctx, *m->done, m->total);
	mtx_unlock(&m->lock);
}

static int work(void *arg)
{
	struct worker *w = arg;
	struct matrix *m = w->m;

	for (;;) {
		size_t k = atomic_fetch_add(&m->next, 1);
		int err, none = 0;

		if (k >= m->n || atomic_load(&m->err))
			break;
		if ((err = do_row(w, m->which ? m->which[k] : k)) < 0) {
			atomic_compare_exchange_strong(&m->err, &none, err);
			break;
		}
		progress(m);
	}
	coh_sim_free(w->cur);
	w->cur = NULL;
	return 0;
}

/* Run m->n rows on the workers: the calling thread and one thread more
 * per source beyond the first. */
static int run_matrix(struct matrix *m, const struct coh_source *srcs, unsigned nsrcs)
{
	struct worker *w = calloc(nsrcs, sizeof(*w));
	thrd_t *t = calloc(nsrcs, sizeof(*t));
	unsigned started = 0;

	if (!w || !t || mtx_init(&m->lock, mtx_plain) != thrd_success) {
		free(w);
		free(t);
		return -COH_E_NOMEM;
	}
	for (unsigned i = 0; i < nsrcs; i++)
		w[i] = (struct worker){ .m = m, .src = &srcs[i] };
	for (unsigned i = 1; i < nsrcs && i < m->n; i++, started++)
		if (thrd_create(&t[i], work, &w[i]) != thrd_success)
			break;
	work(&w[0]);
	for (unsigned i = 1; i <= started; i++)
		thrd_join(t[i], NULL);
	mtx_destroy(&m->lock);
	free(w);
	free(t);
	return atomic_load(&m->err);
}

/* ---- the matrix ---------------------------------------------------------- */

/* The rows that do not break the recorded run, to try on other presets. */
static size_t unbroken(const struct coh_omit_row *rows, size_t n, size_t *which)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!rows[i].changed || !rows[i].broke)
			which[k++] = i;
	return k;
}

/* needed_on: the unbroken rows replayed on each other preset of the API. */
static int other_presets(const struct omit_rec *r, struct matrix *base,
			 const struct coh_source *srcs, unsigned nsrcs)
{
	size_t *which = malloc((r->ncalls ? r->ncalls : 1) * sizeof(*which));
	size_t nw = which ? unbroken(base->rows, r->ncalls, which) : 0;
	struct coh_platform p;
	int err = which ? 0 : -COH_E_NOMEM, k;

	for (unsigned i = 0; !err && nw && i < 64 && coh_platform_preset_at(i, NULL); i++) {
		struct omit_rec pr = { .flags = r->flags, .lim = r->lim };
		struct matrix m = { .r = &pr, .o = base->o, .rows = base->rows, .which = which,
				    .n = nw, .bit = 1ull << i, .done = base->done,
				    .total = base->total, .rejoined = base->rejoined };

		if ((k = coh_omit_preset(r, i, &p)) <= 0) {
			err = k;
			continue;
		}
		pr.plat = p;
		/* a preset on which the recorded run itself fails tells nothing */
		if (coh_omit_rec_run(&pr, &srcs[0]) == 0 && pr.ncalls == r->ncalls)
			err = run_matrix(&m, srcs, nsrcs);
		coh_omit_rec_fini(&pr);
	}
	free(which);
	return err;
}

static void rec_init(struct omit_rec *r, const struct coh_timeline *rec)
{
	uint64_t at;
	const struct coh_sim *s0 = coh_timeline_snap_before(rec, 0, &at);

	memset(r, 0, sizeof(*r));
	r->plat = *coh_timeline_platform(rec);
	r->flags = coh_sim_flags(s0);
	coh_sim_get_limits(s0, &r->lim);
	r->tl = rec;
}

static size_t presets_total(const struct omit_rec *r, const struct coh_omit_row *rows)
{
	struct coh_platform p;
	size_t np = 0, nw = 0;

	for (unsigned i = 0; i < 64 && coh_platform_preset_at(i, NULL); i++)
		np += coh_omit_preset(r, i, &p) > 0;
	for (size_t i = 0; i < r->ncalls; i++)
		nw += !rows[i].broke;
	return np * nw;
}

int coh_whatif_omit_each(const struct coh_timeline *rec, const struct coh_omit_opts *o,
			 struct coh_omit_row **rows, size_t *nrows)
{
	return coh_omit_each_counted(rec, o, rows, nrows, NULL);
}

/**
 * coh_omit_each_counted - coh_whatif_omit_each(), also counting in
 * *@rejoined (when not NULL) the rows, on every preset, that stopped at a
 * checkpoint before the end, their state the recorded one again (the
 * benchmark and the tests look at the early stop)
 */
int coh_omit_each_counted(const struct coh_timeline *rec, const struct coh_omit_opts *o,
			  struct coh_omit_row **rows, size_t *nrows, size_t *rejoined)
{
	static const struct coh_omit_opts none;
	const struct coh_omit_opts *opt = o ? o : &none;
	const struct coh_source *srcs = opt->srcs ? opt->srcs : coh_timeline_source(rec);
	unsigned nsrcs = opt->srcs && opt->nsrcs ? opt->nsrcs : 1;
	struct omit_rec r;
	size_t done = 0;
	atomic_size_t nrejoined = 0;
	struct matrix m = { .r = &r, .o = opt, .done = &done, .rejoined = &nrejoined };
	int err;

	*rows = NULL;
	*nrows = 0;
	rec_init(&r, rec);
	if ((err = coh_omit_rec_run(&r, &srcs[0])) < 0 ||
	    !(m.rows = calloc(r.ncalls ? r.ncalls : 1, sizeof(*m.rows)))) {
		coh_omit_rec_fini(&r);
		return err < 0 ? err : -COH_E_NOMEM;
	}
	m.n = m.total = r.ncalls;
	err = run_matrix(&m, srcs, nsrcs);
	if (!err && opt->other_presets) {
		m.total += presets_total(&r, m.rows);
		err = other_presets(&r, &m, srcs, nsrcs);
	}
	coh_omit_rec_fini(&r);
	if (rejoined)
		*rejoined = atomic_load(&nrejoined);
	if (err < 0) {
		free(m.rows);
		return err;
	}
	*rows = m.rows;
	*nrows = r.ncalls;
	return 0;
}
