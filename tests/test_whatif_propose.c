/* SPDX-License-Identifier: MIT */
/*
 * test_whatif_propose.c - "insert the right call here" on the sample
 * scenarios of traces/samples: for each NAME.bug.dmt, the proposal for its
 * first root finding is the call its fixed twin NAME.ok.dmt has (same kind,
 * device, direction and range; a sync of the whole mapping covers the
 * twin's partial one), or, for a finding docs/model.md says no call cures,
 * no call and a reason; applying the proposed edit leaves no DC001-DC012
 * when that finding was the scenario's only root.  propose_at() at the
 * proposal's own place gives the same call, and nothing at event 0 of a
 * correct twin.  The minimal fix of each scenario leaves no finding but
 * those it lists as no call cures, needs every one of its edits, and is
 * empty for the twins; at its replay limit it says it is incomplete.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coh_timeline.h"
#include "coh_whatif.h"
#include "dmt-test.h"

struct loaded {
	struct trace *t;
	struct coh_platform plat;
	struct coh_source src;
	struct coh_timeline *tl;
	struct coh_sim *end;         /* the state after every event */
};

static void load(struct loaded *l, const char *path)
{
	char err[256];
	int e;

	l->t = dt_open(path, NULL);
	assert_int_equal(trace_platform(l->t, NULL, &l->plat, err, sizeof(err)), 0);
	l->src = trace_source(l->t);
	l->tl = coh_timeline_new(&l->plat, &l->src, NULL, &e);
	assert_non_null(l->tl);
	l->end = coh_timeline_state_at(l->tl, trace_count(l->t), &e);
	assert_non_null(l->end);
}

static void unload(struct loaded *l)
{
	coh_sim_free(l->end);
	coh_timeline_free(l->tl);
	trace_close(l->t);
}

static const struct coh_finding *first_root(const struct coh_sim *s, size_t *nroots)
{
	const struct coh_finding *first = NULL;

	*nroots = 0;
	for (size_t i = 0; i < coh_sim_nfindings(s); i++) {
		const struct coh_finding *f = coh_sim_finding(s, i);

		if (f->parent < 0 && coh_fid_is_error(f->id) && (*nroots)++ == 0)
			first = f;
	}
	return first;
}

/* docs/model.md section 3: no call cures a shared line, an ignored status,
 * a wrong direction, a wrong size or other bad use (bar a flush outside its
 * chain, which a re-sized flush replaces), nor a v1/v2 speculative fill */
static int no_call_cures(const struct coh_finding *f)
{
	return f->id == COH_DC007 || f->id == COH_DC009 || f->id == COH_DC010 ||
	       (f->id == COH_DC011 && f->rule != COH_R_EX_RANGE) ||
	       f->rule == COH_R_STALE_SPECULATIVE;
}

/* the bytes an event covers, on the side it names them: [lo, hi) */
static void span(const struct coh_event *ev, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (uint32_t k = 0; k < ev->nsegs; k++) {
		uint64_t a = ev->segs[k].bus != COH_ADDR_NONE ? ev->segs[k].bus : ev->segs[k].addr;

		*lo = a < *lo ? a : *lo;
		*hi = a + ev->segs[k].len > *hi ? a + ev->segs[k].len : *hi;
	}
	if (!ev->nsegs) {
		*lo = ev->bus != COH_ADDR_NONE ? ev->bus : ev->addr;
		*hi = *lo + ev->len;
	}
	if (ev->kind == COH_EV_FLUSH_ADAPTER || ev->kind == COH_EV_FLUSH_ADAPTER_EX) {
		*lo += ev->off;              /* the flushed part of the chain */
		*hi = *lo + ev->len;
	}
}

static int is_sync(unsigned kind)
{
	return kind == COH_EV_DMA_SYNC_CPU || kind == COH_EV_DMA_SYNC_DEV ||
	       kind == COH_EV_DMA_SYNC_SG_CPU || kind == COH_EV_DMA_SYNC_SG_DEV;
}

#define FLAGS_CMP (COH_F_WRITE_TO_DEVICE | COH_F_READ_OP | COH_F_DMA_OP)

/* @want (the twin's event) is the call @got proposes */
static int same_call(struct loaded *bug, const struct coh_event *got, struct loaded *ok,
		     const struct coh_event *want)
{
	uint64_t glo, ghi, wlo, whi;

	if (got->kind != want->kind || got->dir != want->dir ||
	    (got->flags & FLAGS_CMP) != (want->flags & FLAGS_CMP) ||
	    strcmp(trace_dev_name(bug->t, got->dev), trace_dev_name(ok->t, want->dev)) != 0)
		return 0;
	span(got, &glo, &ghi);
	span(want, &wlo, &whi);
	if (is_sync(got->kind))
		return glo <= wlo && whi <= ghi;
	return glo == wlo && ghi == whi && got->handle == want->handle && got->irp == want->irp;
}

static void expect_twin_has(struct loaded *bug, const struct coh_proposal *p, const char *okpath)
{
	struct loaded ok;
	struct coh_event ev;
	int seen = 0;

	load(&ok, okpath);
	for (uint64_t i = 0; i < trace_count(ok.t) && !seen; i++) {
		assert_int_equal(trace_get(ok.t, i, &ev), 0);
		seen = same_call(bug, &p->edit.ev, &ok, &ev);
	}
	if (!seen) {
		char d[256];

		coh_event_describe(&p->edit.ev, &bug->plat, d, sizeof(d));
		fail_msg("%s has no event like the proposed %s", okpath, d);
	}
	unload(&ok);
}

/* the recorded events with edit @e applied */
static struct coh_log *edited(struct loaded *l, const struct coh_edit *e)
{
	struct coh_log *log = coh_log_new();
	struct coh_event ev;
	uint64_t n = trace_count(l->t);

	assert_non_null(log);
	for (uint64_t i = 0; i <= n; i++) {
		if ((e->op == COH_EDIT_INSERT && e->at == i) || (e->op == COH_EDIT_MOVE && e->to == i))
			assert_int_equal(coh_log_append(log, &e->ev), 0);
		if (i == n || (e->op == COH_EDIT_MOVE && e->at == i))
			continue;
		assert_int_equal(trace_get(l->t, i, &ev), 0);
		assert_int_equal(coh_log_append(log, e->op == COH_EDIT_REPLACE && e->at == i ?
						&e->ev : &ev), 0);
	}
	return log;
}

static size_t errors_after(struct loaded *l, const struct coh_edit *e)
{
	struct coh_log *log = edited(l, e);
	struct coh_source src = coh_log_source(log);
	struct coh_sim *s = coh_sim_new(&l->plat, 0, NULL);
	struct coh_event ev;
	size_t n = 0;

	assert_non_null(s);
	for (uint64_t i = 0; i < coh_log_count(log); i++) {
		assert_int_equal(src.get(src.ctx, i, &ev), 0);
		if (coh_sim_apply(s, &ev) < 0)
			fail_msg("edited event %llu: %s", (unsigned long long)i, coh_sim_errmsg(s));
	}
	for (size_t i = 0; i < coh_sim_nfindings(s); i++)
		n += coh_fid_is_error(coh_sim_finding(s, i)->id);
	coh_sim_free(s);
	coh_log_free(log);
	return n;
}

/* propose_at() at the proposal's own place proposes the same call there */
static void expect_at_same(struct loaded *l, const struct coh_proposal *p, const char *name)
{
	uint64_t pos = p->edit.op == COH_EDIT_MOVE ? p->edit.to : p->edit.at;
	struct coh_proposal q;

	if (coh_whatif_propose_at(l->tl, pos, &q) != 1)
		fail_msg("%s: nothing proposed at %llu", name, (unsigned long long)pos);
	assert_int_equal(q.edit.op, p->edit.op);
	assert_int_equal(q.edit.ev.kind, p->edit.ev.kind);
	assert_int_equal(q.edit.at, p->edit.at);
}

static void one_sample(const char *dir, const char *name)
{
	char bugpath[512], okpath[512];
	struct loaded bug;
	struct coh_proposal p;
	const struct coh_finding *f;
	size_t nroots;

	snprintf(bugpath, sizeof(bugpath), "%s/%s.bug.dmt", dir, name);
	snprintf(okpath, sizeof(okpath), "%s/%s.ok.dmt", dir, name);
	load(&bug, bugpath);
	f = first_root(bug.end, &nroots);
	assert_non_null(f);
	assert_int_equal(coh_whatif_propose(bug.tl, f, &p), 0);
	assert_true(p.why[0] != '\0');
	assert_int_equal(p.finding_seq, f->seq);
	if (no_call_cures(f)) {
		if (p.edit.op != COH_EDIT_NONE)
			fail_msg("%s: %s should have no call (%s)", name, coh_fid_code(f->id), p.why);
	} else {
		if (p.edit.op == COH_EDIT_NONE)
			fail_msg("%s: no call for %s: %s", name, coh_fid_code(f->id), p.why);
		expect_twin_has(&bug, &p, okpath);
		if (nroots == 1 && errors_after(&bug, &p.edit) != 0)
			fail_msg("%s: findings remain after the proposed edit", name);
		expect_at_same(&bug, &p, name);
	}
	unload(&bug);
}

/* @fn on each NAME of traces/samples/NAME.bug.dmt */
static void each_sample(void (*fn)(const char *dir, const char *name))
{
	char dir[512];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/traces/samples", dt_srcdir());
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char name[256];

		if (len < 9 || len >= sizeof(name) || strcmp(e->d_name + len - 8, ".bug.dmt") != 0)
			continue;
		memcpy(name, e->d_name, len - 8);
		name[len - 8] = '\0';
		fn(dir, name);
		n++;
	}
	closedir(d);
	assert_true(n >= 20);
}

static void samples(void **state)
{
	(void)state;
	each_sample(one_sample);
}

/* a correct scenario needs no call anywhere */
static void nothing_on_ok(void **state)
{
	char path[512];
	struct loaded ok;
	struct coh_proposal p;

	(void)state;
	snprintf(path, sizeof(path), "%s/traces/samples/linux-rx-nosync.ok.dmt", dt_srcdir());
	load(&ok, path);
	for (uint64_t i = 0; i <= trace_count(ok.t); i++)
		assert_int_equal(coh_whatif_propose_at(ok.tl, i, &p), 0);
	unload(&ok);
}

static int listed(const struct coh_fix *fx, uint64_t seq)
{
	for (size_t i = 0; i < fx->nuncured; i++)
		if (fx->uncured[i].finding_seq == seq)
			return 1;
	return 0;
}

/* with the fix's edits (all but @skip), every DC001-DC012 finding left is a
 * root the fix lists as no call cures, and each it lists is left */
static int only_uncured(struct loaded *l, const struct coh_fix *fx, size_t skip)
{
	struct coh_whatif *w = coh_whatif_new(l->tl, NULL);
	struct coh_timeline *tl;
	const struct coh_sim *s;
	size_t n = 0, bad = 0;

	assert_non_null(w);
	for (size_t i = 0; i < fx->nedits; i++)
		if (i != skip)
			assert_int_equal(coh_whatif_add(w, &fx->edits[i].edit), 0);
	assert_non_null(tl = coh_whatif_timeline(w, NULL));
	assert_int_equal(coh_timeline_seek(tl, coh_whatif_source(w).count(coh_whatif_source(w).ctx)),
			 0);
	s = coh_timeline_sim(tl);
	for (size_t i = 0; i < coh_sim_nfindings(s); i++) {
		const struct coh_finding *f = coh_sim_finding(s, i);

		if (!coh_fid_is_error(f->id))
			continue;
		n++;
		bad += f->parent >= 0 || !listed(fx, coh_whatif_to_recorded(w, f->seq, NULL));
	}
	coh_whatif_free(w);
	return !bad && n == fx->nuncured;
}

static void fix_one(const char *dir, const char *name)
{
	char path[512];
	struct loaded l;
	struct coh_fix fx;

	snprintf(path, sizeof(path), "%s/%s.bug.dmt", dir, name);
	load(&l, path);
	assert_int_equal(coh_whatif_fix(l.tl, NULL, &fx), 0);
	if (!fx.complete)
		fail_msg("%s: no complete fix", name);
	assert_true(fx.nedits + fx.nuncured > 0);
	if (!only_uncured(&l, &fx, SIZE_MAX))
		fail_msg("%s: findings left that the fix does not list", name);
	for (size_t i = 0; i < fx.nedits; i++)
		if (only_uncured(&l, &fx, i))
			fail_msg("%s: edit %zu is not needed", name, i);
	for (size_t i = 0; i < fx.nuncured; i++)
		assert_int_equal(fx.uncured[i].edit.op, COH_EDIT_NONE);
	coh_fix_free(&fx);
	unload(&l);
	snprintf(path, sizeof(path), "%s/%s.ok.dmt", dir, name);
	load(&l, path);
	assert_int_equal(coh_whatif_fix(l.tl, NULL, &fx), 0);
	assert_true(fx.complete && !fx.nedits && !fx.nuncured);
	coh_fix_free(&fx);
	unload(&l);
}

static void fix_samples(void **state)
{
	(void)state;
	each_sample(fix_one);
}

/* one replay cannot show that its edits cure anything: incomplete */
static void fix_limit(void **state)
{
	char path[512];
	struct loaded l;
	struct coh_fix fx;
	struct coh_fix_opts o = { .max_runs = 1 };

	(void)state;
	snprintf(path, sizeof(path), "%s/traces/samples/linux-rx-nosync.bug.dmt", dt_srcdir());
	load(&l, path);
	assert_int_equal(coh_whatif_fix(l.tl, &o, &fx), 0);
	assert_int_equal(fx.complete, 0);
	assert_true(fx.runs <= o.max_runs);
	coh_fix_free(&fx);
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(samples),
		cmocka_unit_test(nothing_on_ok),
		cmocka_unit_test(fix_samples),
		cmocka_unit_test(fix_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
