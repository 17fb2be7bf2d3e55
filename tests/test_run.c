/* SPDX-License-Identifier: MIT */
/*
 * test_run.c - coh_run(), the one replay loop: a range replay equals a
 * straight one, the per-event callback sees every event and can stop the
 * run or fail it, progress comes every COH_RUN_PROGRESS_EVERY events, and
 * a failing event or source is reported with its index and message; a clone
 * of an earlier state replays without copying the shared event indexes.
 */
#include "replay-test.h"

/* A synthetic source: event i is an 8-byte CPU write; it fails at @bad. */
struct fake {
	uint64_t n, bad;
};

static uint64_t fake_count(void *ctx)
{
	return ((struct fake *)ctx)->n;
}

static int fake_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	struct fake *f = ctx;

	if (i == f->bad)
		return -COH_E_SOURCE;
	memset(ev, 0, sizeof(*ev));
	ev->kind = i % 2 ? COH_EV_CPU_READ : COH_EV_CPU_WRITE;
	ev->addr = 0x10000 + (i % 512) * 8;
	ev->len = i == f->bad + 1 ? 0 : 8;      /* len 0: invalid */
	ev->src = 1000 + i;
	return 0;
}

struct seen {
	uint64_t nev, last, stop_at, nprog, prog[8];
	int fail;
};

static int on_event(void *ctx, struct coh_sim *s, const struct coh_event *ev, uint64_t i)
{
	struct seen *w = ctx;

	assert_int_equal(coh_sim_pos(s), i + 1);
	assert_int_equal(ev->src, 1000 + i);
	w->nev++;
	w->last = i;
	if (i == w->stop_at)
		return w->fail ? -COH_E_INVAL : 1;
	return 0;
}

static void on_progress(void *ctx, uint64_t i, uint64_t count)
{
	struct seen *w = ctx;

	assert_int_equal(count, 200000);
	if (w->nprog < 8)
		w->prog[w->nprog] = i;
	w->nprog++;
}

static struct coh_sim *x86_sim(void)
{
	struct coh_platform p;
	struct coh_sim *s;

	assert_int_equal(coh_platform_preset("x86", &p), 0);
	s = coh_sim_new(&p, 0, NULL);
	assert_non_null(s);
	return s;
}

/* Events [0, k) then [k, end) give the state of a straight replay. */
static void ranges_equal_straight(void **state)
{
	struct trace *t = rt_open_sample("linux-sg-rx.bug.dmt");
	struct coh_source src = trace_source(t);
	struct coh_sim *ref = rt_sim(t, NULL, 0), *s = rt_sim(t, NULL, 0);
	struct coh_run_result r;
	uint64_t n = trace_count(t);

	(void)state;
	rt_replay(t, ref, n);
	assert_int_equal(coh_run(s, &src, 0, 3, NULL, &r), COH_RUN_DONE);
	assert_int_equal(r.next, 3);
	assert_int_equal(coh_sim_pos(s), 3);
	assert_int_equal(coh_run(s, &src, 3, UINT64_MAX, NULL, &r), COH_RUN_DONE);
	assert_int_equal(r.next, n);
	assert_string_equal(r.errmsg, "");
	assert_int_equal(coh_sim_hash(s), coh_sim_hash(ref));
	assert_true(coh_sim_nfindings(s) > 0);
	assert_int_equal(coh_sim_nfindings(s), coh_sim_nfindings(ref));
	coh_sim_free(s);
	coh_sim_free(ref);
	trace_close(t);
}

static void callback_sees_and_stops(void **state)
{
	struct fake f = { .n = 100, .bad = UINT64_MAX - 1 };
	struct coh_source src = { .ctx = &f, .count = fake_count, .get = fake_get };
	struct seen w = { .stop_at = 41 };
	struct coh_run_opts o = { .ctx = &w, .event = on_event };
	struct coh_run_result r;
	struct coh_sim *s = x86_sim();

	(void)state;
	assert_int_equal(coh_run(s, &src, 0, UINT64_MAX, &o, &r), COH_RUN_STOPPED);
	assert_int_equal(w.nev, 42);
	assert_int_equal(r.next, 42);
	assert_int_equal(coh_sim_pos(s), 42);
	w.stop_at = 77;
	w.fail = 1;
	assert_int_equal(coh_run(s, &src, 42, 100, &o, &r), -COH_E_INVAL);
	assert_int_equal(r.next, 78);
	assert_int_equal(r.source, 0);
	assert_string_equal(r.errmsg, coh_strerror(-COH_E_INVAL));
	coh_sim_free(s);
}

static void progress_every(void **state)
{
	struct fake f = { .n = 200000, .bad = UINT64_MAX - 1 };
	struct coh_source src = { .ctx = &f, .count = fake_count, .get = fake_get };
	struct seen w = { .stop_at = UINT64_MAX };
	struct coh_run_opts o = { .ctx = &w, .event = on_event, .progress = on_progress };
	struct coh_sim *s = x86_sim();

	(void)state;
	assert_int_equal(coh_run(s, &src, 0, UINT64_MAX, &o, NULL), COH_RUN_DONE);
	assert_int_equal(w.nev, 200000);
	assert_int_equal(w.nprog, 4);
	assert_int_equal(w.prog[0], 0);
	assert_int_equal(w.prog[1], 65536);
	assert_int_equal(w.prog[3], 3 * 65536);
	coh_sim_free(s);
}

static void failures_name_the_event(void **state)
{
	struct fake f = { .n = 100, .bad = 30 };
	struct coh_source src = { .ctx = &f, .count = fake_count, .get = fake_get };
	struct coh_run_result r;
	struct coh_sim *s = x86_sim();

	(void)state;
	assert_int_equal(coh_run(s, &src, 0, UINT64_MAX, NULL, &r), -COH_E_SOURCE);
	assert_int_equal(r.next, 30);
	assert_int_equal(r.source, 1);
	assert_int_equal(r.src, COH_SRC_NONE);
	assert_int_equal(coh_sim_pos(s), 30);
	/* event 31 has length 0: the simulation refuses it */
	assert_true(coh_run(s, &src, 31, UINT64_MAX, NULL, &r) < 0);
	assert_int_equal(r.next, 31);
	assert_int_equal(r.source, 0);
	assert_int_equal(r.src, 1031);
	assert_string_equal(r.errmsg, coh_sim_errmsg(s));
	assert_non_null(strstr(r.errmsg, "length 0"));
	coh_sim_free(s);
}

/* A clone of an earlier state replaying the same events shares the event
 * indexes the original logged (no copy of the log at its first event),
 * and ends in the same state. */
static void clone_replays_shared(void **state)
{
	struct fake f = { .n = 100000, .bad = UINT64_MAX - 1 };
	struct coh_source src = { .ctx = &f, .count = fake_count, .get = fake_get };
	struct coh_sim *s = x86_sim(), *c;
	size_t before, after;

	(void)state;
	assert_int_equal(coh_run(s, &src, 0, 20000, NULL, NULL), COH_RUN_DONE);
	c = coh_sim_clone(s);
	assert_non_null(c);
	assert_int_equal(coh_run(s, &src, 20000, f.n, NULL, NULL), COH_RUN_DONE);
	before = coh_sim_mem_bytes(c);
	assert_int_equal(coh_run(c, &src, 20000, 20001, NULL, NULL), COH_RUN_DONE);
	after = coh_sim_mem_bytes(c);
	assert_true(after < before + 65536 && before < after + 65536);
	assert_int_equal(coh_run(c, &src, 20001, f.n, NULL, NULL), COH_RUN_DONE);
	assert_int_equal(coh_sim_hash(c), coh_sim_hash(s));
	coh_sim_free(c);
	coh_sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges_equal_straight),
		cmocka_unit_test(callback_sees_and_stops),
		cmocka_unit_test(progress_every),
		cmocka_unit_test(failures_name_the_event),
		cmocka_unit_test(clone_replays_shared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
