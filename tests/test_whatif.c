/* SPDX-License-Identifier: MIT */
/*
 * test_whatif.c - the edit list of a what-if run (coh_whatif.h) and its
 * edit file (traces/whatif_file.h): positions map both ways, the edited
 * source holds what the edits say, leaving a sync out of a correct
 * receive path brings the stale read its rules predict, undo returns the
 * recorded run's state, and a saved edit file reloads to the same run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "coh_whatif.h"
#include "dmt-test.h"
#include "gen.h"
#include "replay-test.h"
#include "whatif_file.h"

struct fx {
	struct trace *t;
	struct coh_platform p;
	struct coh_source src;
	struct coh_timeline *rec;
	struct coh_whatif *w;
};

static void fx_open(struct fx *f, const char *sample)
{
	int err = 0;

	f->t = rt_open_sample(sample);
	rt_platform(f->t, NULL, &f->p);
	f->src = trace_source(f->t);
	f->rec = coh_timeline_new(&f->p, &f->src, NULL, &err);
	assert_non_null(f->rec);
	f->w = coh_whatif_new(f->rec, &err);
	assert_non_null(f->w);
}

static void fx_close(struct fx *f)
{
	coh_whatif_free(f->w);
	coh_timeline_free(f->rec);
	trace_close(f->t);
}

/* The first event of @kind at or after @from. */
static uint64_t find_kind(struct trace *t, unsigned kind, uint64_t from)
{
	for (uint64_t i = from; i < trace_count(t); i++)
		if (dt_get(t, i).kind == kind)
			return i;
	fail_msg("no %s", coh_kind_name(kind));
	return 0;
}

/* coh_sim_hash() of the edited run at its end. */
static uint64_t edited_end_hash(struct coh_whatif *w)
{
	struct coh_timeline *tl = coh_whatif_timeline(w, NULL);
	struct coh_source s = coh_whatif_source(w);

	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, s.count(s.ctx)), 0);
	return coh_sim_hash(coh_timeline_sim(tl));
}

static uint64_t recorded_end_hash(struct fx *f)
{
	struct coh_sim *s = coh_timeline_state_at(f->rec, trace_count(f->t), NULL);
	uint64_t h;

	assert_non_null(s);
	h = coh_sim_hash(s);
	coh_sim_free(s);
	return h;
}

/* Leaving out the first sync_for_cpu of the fixed receive path: the CPU's
 * read of the first frame returns the stale cached bytes (DC001, docs/model.md
 * section 3), the run diverges at the left-out call, and undo gives back
 * the recorded state. */
static void test_delete_sync_and_undo(void **state)
{
	struct fx f = { 0 };
	struct coh_edit e = { .op = COH_EDIT_DELETE };
	struct coh_run_diff d;
	uint64_t h0, h1, read;
	size_t i;

	(void)state;
	fx_open(&f, "linux-rx-nosync.ok.dmt");
	h0 = recorded_end_hash(&f);
	e.at = find_kind(f.t, COH_EV_DMA_SYNC_CPU, 0);
	read = find_kind(f.t, COH_EV_CPU_READ, e.at);
	assert_int_equal(coh_whatif_add(f.w, &e), 0);
	assert_int_equal(coh_whatif_same_until(f.w), e.at);
	assert_int_equal(coh_whatif_diff(f.w, &d), 0);
	assert_int_equal(d.diverge, e.at);
	assert_true(d.nadded >= 1);
	assert_int_equal(d.nremoved, 0);
	for (i = 0; i < d.nadded; i++)
		if (d.added[i].id == COH_DC001)
			break;
	assert_true(i < d.nadded);
	assert_int_equal(d.added[i].seq, read);
	assert_int_not_equal(d.added[i].seen[0], d.added[i].expected[0]);
	coh_run_diff_free(&d);
	h1 = edited_end_hash(f.w);
	assert_int_not_equal(h1, h0);

	assert_int_equal(coh_whatif_undo(f.w), 1);
	assert_int_equal(coh_whatif_nedits(f.w), 0);
	assert_int_equal(edited_end_hash(f.w), h0);
	assert_int_equal(coh_whatif_diff(f.w, &d), 0);
	assert_int_equal(d.nadded + d.nremoved, 0);
	assert_int_equal(d.diverge, COH_SEQ_NONE);
	coh_run_diff_free(&d);
	assert_int_equal(coh_whatif_redo(f.w), 1);
	assert_int_equal(edited_end_hash(f.w), h1);
	assert_int_equal(coh_whatif_redo(f.w), 0);
	fx_close(&f);
}

/* The bytes that differ after the stale read: the cached line of the
 * buffer (CPU 0) holds the old version in the edited run. */
static void test_bytes_differ(void **state)
{
	struct fx f = { 0 };
	struct coh_edit e = { .op = COH_EDIT_DELETE };
	struct coh_byte_diff out[64];
	uint64_t read;
	long n;
	int cache = 0;

	(void)state;
	fx_open(&f, "linux-rx-nosync.ok.dmt");
	e.at = find_kind(f.t, COH_EV_DMA_SYNC_CPU, 0);
	read = find_kind(f.t, COH_EV_CPU_READ, e.at);
	assert_int_equal(coh_whatif_bytes(f.w, read + 1, out, 64), 0);
	assert_int_equal(coh_whatif_add(f.w, &e), 0);
	n = coh_whatif_bytes(f.w, read + 1, out, 64);
	assert_true(n > 0);
	for (long i = 0; i < n && i < 64; i++)
		if (out[i].where == COH_DIFF_CACHE && out[i].addr == dt_get(f.t, read).addr &&
		    out[i].in_a && out[i].in_b) {
			cache = 1;
			assert_int_not_equal(out[i].a_ver[0], out[i].b_ver[0]);
		}
	assert_true(cache);
	fx_close(&f);
}

/* ---- positions over a generated run ---------------------------------------- */

#define NGEN 600

static void same_event(const struct coh_event *a, const struct coh_event *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->src, b->src);
}

/* Every edited position maps back to what the edit list says stands there. */
static void check_positions(struct coh_whatif *w, struct coh_log *log, uint64_t ninserted)
{
	struct coh_source s = coh_whatif_source(w);
	uint64_t n = coh_log_count(log), seen_ins = 0;

	assert_int_equal(s.count(s.ctx), n + ninserted);
	for (uint64_t ed = 0; ed < n + ninserted; ed++) {
		struct coh_event ev, rv;
		int ins;
		uint64_t r = coh_whatif_to_recorded(w, ed, &ins);

		assert_int_equal(s.get(s.ctx, ed, &ev), 0);
		if (ins) {
			seen_ins++;
			assert_true(r <= n);
			continue;
		}
		assert_int_equal(coh_whatif_to_edited(w, r), ed);
		assert_int_equal(coh_log_get(log, r, &rv), 0);
		if (ev.kind == COH_EV_MARK && rv.kind != COH_EV_MARK)
			assert_non_null(strstr(ev.text, "what-if:"));
		else
			same_event(&ev, &rv);
	}
	assert_int_equal(seen_ins, ninserted);
}

static void test_positions(void **state)
{
	struct coh_log *log;
	struct coh_platform p;
	struct coh_source src;
	struct coh_timeline *tl;
	struct coh_whatif *w;
	uint64_t ins = 0, rng = 7;
	int err;

	(void)state;
	gen_platform(&p);
	log = gen_log(42, NGEN);
	src = coh_log_source(log);
	tl = coh_timeline_new(&p, &src, NULL, &err);
	w = coh_whatif_new(tl, &err);
	assert_non_null(w);
	for (int k = 0; k < 40; k++) {
		struct coh_edit e = { 0 };
		struct coh_event ev;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		e.op = (uint16_t)(COH_EDIT_DELETE + (rng >> 33) % 3);
		e.at = (rng >> 40) % NGEN;
		e.to = (rng >> 20) % (NGEN + 1);
		coh_event_init(&ev, COH_EV_MARK);
		ev.text = "inserted";
		e.ev = ev;
		if (coh_whatif_add(w, &e) == 0)
			ins += e.op != COH_EDIT_DELETE;
	}
	assert_true(coh_whatif_nedits(w) > 20);
	check_positions(w, log, ins);
	coh_whatif_free(w);
	coh_timeline_free(tl);
	coh_log_free(log);
}

/* Where the runs diverge and rejoin, by brute force: both runs event by
 * event from the start, compared after each (a delete keeps positions). */
static void brute(struct coh_log *log, const struct coh_platform *p, struct coh_whatif *w,
		  uint64_t *diverge, uint64_t *rejoin)
{
	struct coh_source es = coh_whatif_source(w);
	struct coh_sim *a = coh_sim_new(p, 0, NULL), *b = coh_sim_new(p, 0, NULL);
	uint64_t n = coh_log_count(log);

	*diverge = *rejoin = COH_SEQ_NONE;
	for (uint64_t i = 0; i < n; i++) {
		struct coh_event ev;
		int eq;

		assert_int_equal(coh_log_get(log, i, &ev), 0);
		assert_int_equal(coh_sim_apply(a, &ev), 0);
		assert_int_equal(es.get(es.ctx, i, &ev), 0);
		assert_int_equal(coh_sim_apply(b, &ev), 0);
		eq = coh_sim_state_equal(a, b);
		if (i % 64 == 0)
			assert_int_equal(eq, coh_sim_state_hash(a) == coh_sim_state_hash(b));
		if (!eq && *diverge == COH_SEQ_NONE)
			*diverge = i;
		if (eq && *diverge != COH_SEQ_NONE && *rejoin == COH_SEQ_NONE)
			*rejoin = i;
	}
	coh_sim_free(a);
	coh_sim_free(b);
}

/* The diff's divergence and rejoin are exact, found with far fewer
 * comparisons than events (stretches checked at growing spacing, a rejoin
 * placed by halving). */
static void test_diverge_rejoin_exact(void **state)
{
	struct coh_log *log = gen_log(11, 2500);
	struct coh_source src = coh_log_source(log);
	struct coh_platform p;
	struct coh_timeline *tl;
	unsigned rejoined = 0, tried = 0;

	(void)state;
	gen_platform(&p);
	tl = coh_timeline_new(&p, &src, NULL, NULL);
	assert_non_null(tl);
	for (uint64_t at = 37; at < 2500 && tried < 16; at += 151) {
		struct coh_whatif *w = coh_whatif_new(tl, NULL);
		struct coh_edit e = { .op = COH_EDIT_DELETE, .at = at };
		struct coh_run_diff d;
		uint64_t dv, rj;

		assert_int_equal(coh_whatif_add(w, &e), 0);
		assert_int_equal(coh_whatif_diff(w, &d), 0);
		brute(log, &p, w, &dv, &rj);
		assert_int_equal(d.diverge, dv);
		assert_int_equal(d.rejoin, rj);
		rejoined += rj != COH_SEQ_NONE && rj > dv + 1;
		tried++;
		coh_run_diff_free(&d);
		coh_whatif_free(w);
	}
	if (rejoined < 2)
		fail_msg("only %u of %u deletions rejoined", rejoined, tried);
	coh_timeline_free(tl);
	coh_log_free(log);
}

/* The diff made a part at a time (coh_whatif_diff_step(), as the screen
 * makes it) is the one made at once, whatever the parts: divergence,
 * rejoin and every field of every finding added and removed. */
static void test_diff_in_steps(void **state)
{
	struct coh_log *log = gen_log(11, 2500);
	struct coh_source src = coh_log_source(log);
	const uint64_t parts[] = { 1, 7, 100, 1000 };
	struct coh_platform p;
	struct coh_timeline *tl;

	(void)state;
	gen_platform(&p);
	tl = coh_timeline_new(&p, &src, NULL, NULL);
	assert_non_null(tl);
	for (uint64_t at = 37; at < 2500; at += 397) {
		struct coh_whatif *w = coh_whatif_new(tl, NULL);
		struct coh_edit e = { .op = COH_EDIT_DELETE, .at = at };
		struct coh_run_diff whole;

		assert_int_equal(coh_whatif_add(w, &e), 0);
		assert_int_equal(coh_whatif_diff(w, &whole), 0);
		for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
			struct coh_diff_job *j;
			struct coh_run_diff d;
			uint64_t done, total, steps = 0;
			int err = 0, r;

			assert_non_null(j = coh_whatif_diff_start(w, &err));
			while ((r = coh_whatif_diff_step(j, parts[k], &d)) == 0) {
				coh_whatif_diff_progress(j, &done, &total);
				assert_true(done < total);
				steps++;
			}
			assert_int_equal(r, 1);
			assert_true(parts[k] > 1 || steps > 0);   /* it did go in parts */
			assert_int_equal(d.diverge, whole.diverge);
			assert_int_equal(d.rejoin, whole.rejoin);
			assert_int_equal(d.nadded, whole.nadded);
			assert_int_equal(d.nremoved, whole.nremoved);
			if (d.nadded)
				assert_memory_equal(d.added, whole.added, d.nadded * sizeof(*d.added));
			if (d.nremoved)
				assert_memory_equal(d.removed, whole.removed,
						    d.nremoved * sizeof(*d.removed));
			coh_run_diff_free(&d);
			coh_whatif_diff_end(j);
		}
		/* a job given up half way frees what it holds (LeakSanitizer) */
		{
			int err = 0;
			struct coh_diff_job *j = coh_whatif_diff_start(w, &err);
			struct coh_run_diff d;

			assert_non_null(j);
			assert_int_equal(coh_whatif_diff_step(j, 5, &d), 0);
			coh_whatif_diff_end(j);
		}
		coh_run_diff_free(&whole);
		coh_whatif_free(w);
	}
	coh_timeline_free(tl);
	coh_log_free(log);
}

/* ---- the edit file -------------------------------------------------------------- */

static char *tmpname(void)
{
	char *p = strdup("/tmp/dmascope-whatif-XXXXXX");
	int fd = mkstemp(p);

	assert_true(fd >= 0);
	close(fd);
	return p;
}

static void same_edits(struct coh_whatif *a, struct coh_whatif *b)
{
	assert_int_equal(coh_whatif_nedits(a), coh_whatif_nedits(b));
	for (size_t i = 0; i < coh_whatif_nedits(a); i++) {
		struct coh_edit x, y;

		assert_int_equal(coh_whatif_edit(a, i, &x), 0);
		assert_int_equal(coh_whatif_edit(b, i, &y), 0);
		assert_int_equal(x.op, y.op);
		if (x.op == COH_EDIT_PLATFORM) {
			assert_memory_equal(x.plat, y.plat, sizeof(*x.plat));
			continue;
		}
		assert_int_equal(x.at, y.at);
		if (x.op == COH_EDIT_MOVE)
			assert_int_equal(x.to, y.to);
		if (x.op == COH_EDIT_INSERT || x.op == COH_EDIT_REPLACE) {
			assert_int_equal(x.ev.kind, y.ev.kind);
			assert_int_equal(x.ev.bus, y.ev.bus);
			assert_int_equal(x.ev.len, y.ev.len);
			assert_int_equal(x.ev.dir, y.ev.dir);
			assert_int_equal(x.ev.dev, y.ev.dev);
		}
	}
}

static void test_file_roundtrip(void **state)
{
	struct fx f = { 0 }, g = { 0 };
	struct coh_event sync = { 0 };
	struct coh_edit e;
	char err[512], *path = tmpname();
	uint64_t at;

	(void)state;
	fx_open(&f, "linux-rx-nosync.bug.dmt");
	fx_open(&g, "linux-rx-nosync.bug.dmt");
	at = find_kind(f.t, COH_EV_CPU_READ, 0);
	coh_event_init(&sync, COH_EV_DMA_SYNC_CPU);
	sync.dev = 0;
	sync.bus = 0x80000;
	sync.len = 2048;
	sync.dir = COH_DIR_FROM_DEVICE;
	e = (struct coh_edit){ .op = COH_EDIT_INSERT, .at = at, .ev = sync };
	if (coh_whatif_add(f.w, &e) < 0)
		fail_msg("%s", coh_whatif_errmsg(f.w));
	e = (struct coh_edit){ .op = COH_EDIT_MOVE, .at = 1, .to = at + 2 };
	assert_int_equal(coh_whatif_add(f.w, &e), 0);
	e = (struct coh_edit){ .op = COH_EDIT_DELETE, .at = at + 1 };
	assert_int_equal(coh_whatif_add(f.w, &e), 0);
	assert_int_equal(whatif_file_save(path, f.t, f.w, err, sizeof(err)), 0);
	if (whatif_file_load(path, g.t, g.w, err, sizeof(err)) != 3)
		fail_msg("%s", err);
	same_edits(f.w, g.w);
	assert_int_equal(edited_end_hash(f.w), edited_end_hash(g.w));
	unlink(path);
	free(path);
	fx_close(&f);
	fx_close(&g);
}

static void test_file_platform(void **state)
{
	struct fx f = { 0 }, g = { 0 };
	struct coh_platform p;
	struct coh_edit e = { .op = COH_EDIT_PLATFORM, .plat = &p };
	char err[512], *path = tmpname();

	(void)state;
	fx_open(&f, "linux-rx-nosync.bug.dmt");
	fx_open(&g, "linux-rx-nosync.bug.dmt");
	rt_platform(f.t, "x86", &p);
	p.devs[0].coherent = 0;
	p.devs[0].bounce = 1;
	assert_int_equal(coh_whatif_add(f.w, &e), 0);
	assert_int_equal(coh_whatif_same_until(f.w), 0);
	assert_int_equal(whatif_file_save(path, f.t, f.w, err, sizeof(err)), 0);
	assert_int_equal(whatif_file_load(path, g.t, g.w, err, sizeof(err)), 1);
	same_edits(f.w, g.w);
	assert_int_equal(coh_whatif_platform(g.w)->devs[0].bounce, 1);
	assert_int_equal(edited_end_hash(f.w), edited_end_hash(g.w));
	unlink(path);
	free(path);
	fx_close(&f);
	fx_close(&g);
}

/* A damaged file names its line and adds nothing. */
static void test_file_damaged(void **state)
{
	static const char *const bad[] = {
		"dmascope-whatif 1\ndelete 2\nfrobnicate 3\n",
		"dmascope-whatif 1\ndelete 2\ndelete 999999\n",
		"dmascope-whatif 1\ndelete 2\ninsert before 3: dma_sync_for_cpu dev=nosuch bus=0 len=4 dir=FROM_DEVICE\n",
		"dmascope-whatif 1\ndelete 2\ndelete 2\n",
		"not-an-edit-file\n",
	};
	static const char *const line[] = { ":3:", ":3:", ":3:", ":3:", ":1:" };
	struct fx f = { 0 };
	char err[512];

	(void)state;
	fx_open(&f, "linux-rx-nosync.bug.dmt");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *path = dt_tmptext(bad[i]);

		assert_int_equal(whatif_file_load(path, f.t, f.w, err, sizeof(err)), -1);
		assert_non_null(strstr(err, path));
		assert_non_null(strstr(err, line[i]));
		assert_int_equal(coh_whatif_nedits(f.w), 0);
		dt_rmtmp(path);
	}
	assert_int_equal(whatif_file_load("/nonexistent/x.whatif", f.t, f.w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.whatif"));
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delete_sync_and_undo),
		cmocka_unit_test(test_bytes_differ),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_diverge_rejoin_exact),
		cmocka_unit_test(test_diff_in_steps),
		cmocka_unit_test(test_file_roundtrip),
		cmocka_unit_test(test_file_platform),
		cmocka_unit_test(test_file_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
