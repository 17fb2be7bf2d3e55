/* SPDX-License-Identifier: MIT */
/*
 * test_hooks.c - struct coh_hooks: the event hook fires once per applied
 * event with the file's index, the finding hook once per finding; clones
 * keep hooks only with COH_HOOKS_INHERIT; a timeline keeps its hooks across
 * restores, silent while re-executing unless COH_TIMELINE_HOOKS_REEXEC.
 */
#include "coh_timeline.h"
#include "replay-test.h"

struct tally {
	uint64_t nev, nfind;
	uint64_t last_src, last_pos;
	size_t last_idx;
};

static void on_event(void *ctx, const struct coh_sim *s, const struct coh_event *ev)
{
	struct tally *t = ctx;

	t->nev++;
	t->last_src = ev->src;
	t->last_pos = coh_sim_pos(s);
}

static void on_finding(void *ctx, const struct coh_sim *s, size_t idx)
{
	struct tally *t = ctx;

	assert_true(idx < coh_sim_nfindings(s));
	t->nfind++;
	t->last_idx = idx;
}

static struct coh_hooks hooks_of(struct tally *t, unsigned flags)
{
	return (struct coh_hooks){ .ctx = t, .event = on_event, .finding = on_finding,
				   .flags = flags };
}

/* Each event and each finding fires once; ev->src is the file's index. */
static void fires_per_event_and_finding(void **state)
{
	struct trace *tr = rt_open_sample("linux-rx-nosync.bug.dmt");
	struct coh_sim *s = rt_sim(tr, NULL, 0);
	struct tally t = { 0 };
	struct coh_hooks h = hooks_of(&t, 0), got;
	struct coh_event ev;

	(void)state;
	coh_sim_set_hooks(s, &h);
	coh_sim_get_hooks(s, &got);
	assert_ptr_equal(got.event, on_event);
	for (uint64_t i = 0; i < trace_count(tr); i++) {
		assert_int_equal(trace_get(tr, i, &ev), 0);
		assert_int_equal(coh_sim_apply(s, &ev), 0);
		assert_int_equal(t.nev, i + 1);
		assert_int_equal(t.last_pos, i + 1);
		assert_int_equal(t.last_src, ev.src);
	}
	assert_true(coh_sim_nfindings(s) >= 2);
	assert_int_equal(t.nfind, coh_sim_nfindings(s));
	assert_int_equal(t.last_idx, coh_sim_nfindings(s) - 1);
	/* a refused event fires nothing */
	ev.len = 0;
	ev.kind = COH_EV_CPU_READ;
	assert_true(coh_sim_apply(s, &ev) < 0);
	assert_int_equal(t.nev, trace_count(tr));
	coh_sim_set_hooks(s, NULL);
	coh_sim_get_hooks(s, &got);
	assert_null(got.event);
	coh_sim_free(s);
	trace_close(tr);
}

/* Run the rest of @tr on @s. */
static void run_rest(struct trace *tr, struct coh_sim *s)
{
	struct coh_source src = trace_source(tr);

	assert_int_equal(coh_run(s, &src, coh_sim_pos(s), UINT64_MAX, NULL, NULL), 0);
}

static void clones_inherit_on_request(void **state)
{
	struct trace *tr = rt_open_sample("linux-rx-nosync.bug.dmt");
	struct coh_sim *s = rt_sim(tr, NULL, 0), *c;
	struct tally t = { 0 };
	struct coh_hooks h = hooks_of(&t, 0);

	(void)state;
	rt_replay(tr, s, 2);
	coh_sim_set_hooks(s, &h);
	c = coh_sim_clone(s);
	run_rest(tr, c);
	assert_int_equal(t.nev, 0);
	coh_sim_free(c);
	h.flags = COH_HOOKS_INHERIT;
	coh_sim_set_hooks(s, &h);
	c = coh_sim_clone(s);
	run_rest(tr, c);
	assert_int_equal(t.nev, trace_count(tr) - 2);
	assert_true(t.nfind >= 2);
	coh_sim_free(c);
	coh_sim_free(s);
	trace_close(tr);
}

static struct coh_timeline *small_timeline(struct trace *tr)
{
	struct coh_timeline_opts o = { .interval = 64, .snapshot_budget = SIZE_MAX };
	struct coh_platform p;
	struct coh_source src = trace_source(tr);
	struct coh_timeline *tl;

	rt_platform(tr, NULL, &p);
	tl = coh_timeline_new(&p, &src, &o, NULL);
	assert_non_null(tl);
	return tl;
}

static void timeline_restores(unsigned flags, uint64_t expect_back)
{
	char path[1024];
	struct trace *tr;
	struct coh_timeline *tl;
	struct tally t = { 0 };
	struct coh_hooks h = hooks_of(&t, 0);
	struct coh_sim *fork;

	snprintf(path, sizeof(path), "%s/nic/trace.dat",
		 getenv("CAPTURES") ? getenv("CAPTURES") : "tests/data/captures");
	tr = rt_open(path);
	assert_true(trace_count(tr) > 300);
	tl = small_timeline(tr);
	coh_timeline_set_hooks(tl, &h, flags);
	assert_int_equal(coh_timeline_seek(tl, 300), 0);    /* forward from 0: fires */
	assert_int_equal(t.nev, 300);
	assert_int_equal(t.last_pos, 300);
	t.nev = 0;
	assert_int_equal(coh_timeline_seek(tl, 100), 0);    /* restore 64, re-run 36 */
	assert_int_equal(t.nev, expect_back);
	t.nev = 0;
	assert_int_equal(coh_timeline_seek(tl, 110), 0);    /* forward again: fires */
	assert_int_equal(t.nev, 10);
	assert_int_equal(t.last_pos, 110);
	fork = coh_timeline_fork(tl);                       /* no COH_HOOKS_INHERIT */
	t.nev = 0;
	rt_replay(tr, fork, 120);
	assert_int_equal(t.nev, 0);
	coh_sim_free(fork);
	h.flags = COH_HOOKS_INHERIT;
	coh_timeline_set_hooks(tl, &h, flags);
	fork = coh_timeline_fork(tl);
	rt_replay(tr, fork, 120);
	assert_int_equal(t.nev, 10);
	coh_sim_free(fork);
	coh_timeline_free(tl);
	trace_close(tr);
}

static void timeline_silent_reexec(void **state)
{
	(void)state;
	timeline_restores(0, 0);
}

static void timeline_loud_reexec(void **state)
{
	(void)state;
	timeline_restores(COH_TIMELINE_HOOKS_REEXEC, 100 - 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fires_per_event_and_finding),
		cmocka_unit_test(clones_inherit_on_request),
		cmocka_unit_test(timeline_silent_reexec),
		cmocka_unit_test(timeline_loud_reexec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
