/* SPDX-License-Identifier: MIT */
/*
 * test_limits.c - bounds per simulation (struct coh_sim_limits): the
 * defaults are the engine's bounds; small ones stop a run with
 * -COH_E_TOOBIG and a message naming the bound, on the fast path and the
 * full one; clones and timelines keep them.
 */
#include "coh_timeline.h"
#include "replay-test.h"

static struct coh_sim *x86(unsigned flags, const struct coh_sim_limits *l)
{
	struct coh_platform p;
	struct coh_sim *s;

	assert_int_equal(coh_platform_preset("x86", &p), 0);
	s = coh_sim_new(&p, flags, NULL);
	assert_non_null(s);
	if (l)
		assert_int_equal(coh_sim_set_limits(s, l), 0);
	return s;
}

static int write8(struct coh_sim *s, uint64_t addr, uint64_t len)
{
	struct coh_event ev = { .kind = COH_EV_CPU_WRITE, .addr = addr, .len = len,
				.src = COH_SRC_NONE };

	return coh_sim_apply(s, &ev);
}

static void defaults(void **state)
{
	struct coh_sim_limits d, got, big;
	struct coh_sim *s = x86(0, NULL);

	(void)state;
	coh_sim_default_limits(&d);
	assert_int_equal(d.mem_bytes, 16ull << 30);
	assert_int_equal(d.mapped_bytes, 1ull << 30);
	assert_int_equal(d.event_bytes, 0);
	coh_sim_get_limits(s, &got);
	assert_memory_equal(&got, &d, sizeof(d));
	big = d;
	big.mem_bytes++;
	assert_int_equal(coh_sim_set_limits(s, &big), -COH_E_INVAL);
	big = d;
	big.mapped_bytes *= 2;
	assert_int_equal(coh_sim_set_limits(s, &big), -COH_E_INVAL);
	big = (struct coh_sim_limits){ .event_bytes = 99 };      /* zeros: defaults */
	assert_int_equal(coh_sim_set_limits(s, &big), 0);
	coh_sim_get_limits(s, &got);
	assert_int_equal(got.mem_bytes, d.mem_bytes);
	assert_int_equal(got.mapped_bytes, d.mapped_bytes);
	assert_int_equal(got.event_bytes, 99);
	coh_sim_free(s);
}

/* Two pages of memory: the third page touched fails, fast path or not. */
static void memory_bound(unsigned flags)
{
	struct coh_sim_limits l = { .mem_bytes = 8192 };
	struct coh_sim *s = x86(flags, &l), *c;

	assert_int_equal(write8(s, 0x1000, 8), 0);
	assert_int_equal(write8(s, 0x2000, 8), 0);
	c = coh_sim_clone(s);
	assert_int_equal(write8(s, 0x3000, 8), -COH_E_TOOBIG);
	assert_string_equal(coh_sim_errmsg(s), "cpu_write: the simulation reached its bound of "
			    "8 KiB of simulated memory touched");
	assert_int_equal(write8(c, 0x5000, 8), -COH_E_TOOBIG);     /* the clone keeps it */
	coh_sim_free(c);
	coh_sim_free(s);
}

static void memory_fast(void **state)
{
	(void)state;
	memory_bound(0);
}

static void memory_slow(void **state)
{
	(void)state;
	memory_bound(COH_SIM_NO_FAST);
}

static void event_bound(void **state)
{
	struct coh_sim_limits l = { .event_bytes = 16 };
	struct coh_sim *s = x86(0, &l);

	(void)state;
	assert_int_equal(write8(s, 0x1000, 16), 0);
	assert_int_equal(write8(s, 0x1000, 17), -COH_E_TOOBIG);
	assert_non_null(strstr(coh_sim_errmsg(s), "at most 16 per event"));
	assert_int_equal(coh_sim_pos(s), 1);
	coh_sim_free(s);
}

/* A 2048-byte mapping under a 1 KiB bound: the sample stops at its dma_map. */
static void mapped_bound(void **state)
{
	struct trace *t = rt_open_sample("linux-rx-nosync.bug.dmt");
	struct coh_sim_limits l = { .mapped_bytes = 1024 };
	struct coh_sim *s = rt_sim(t, NULL, 0);
	struct coh_source src = trace_source(t);
	struct coh_run_result r;

	(void)state;
	assert_int_equal(coh_sim_set_limits(s, &l), 0);
	assert_int_equal(coh_run(s, &src, 0, UINT64_MAX, NULL, &r), -COH_E_TOOBIG);
	assert_int_equal(r.next, 1);
	assert_string_equal(r.errmsg, "dma_map: the simulation reached its bound of "
			    "1 KiB covered by live mappings");
	coh_sim_free(s);
	trace_close(t);
}

static void timeline_keeps_them(void **state)
{
	struct trace *t = rt_open_sample("linux-rx-nosync.bug.dmt");
	struct coh_sim_limits l = { .mapped_bytes = 1024 }, got;
	struct coh_timeline_opts o = { .limits = &l, .interval = 1 };
	struct coh_source src = trace_source(t);
	struct coh_platform p;
	struct coh_timeline *tl;
	struct coh_sim *fork;

	(void)state;
	rt_platform(t, NULL, &p);
	tl = coh_timeline_new(&p, &src, &o, NULL);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, 1), 0);
	assert_int_equal(coh_timeline_seek(tl, 0), 0);              /* from a snapshot */
	fork = coh_timeline_fork(tl);
	coh_sim_get_limits(fork, &got);
	assert_int_equal(got.mapped_bytes, 1024);
	coh_sim_free(fork);
	assert_int_equal(coh_timeline_seek(tl, 3), -COH_E_TOOBIG);
	assert_non_null(strstr(coh_timeline_errmsg(tl), "event 1: dma_map: the simulation "
			       "reached its bound of 1 KiB"));
	coh_timeline_free(tl);
	trace_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(memory_fast),
		cmocka_unit_test(memory_slow),
		cmocka_unit_test(event_bound),
		cmocka_unit_test(mapped_bound),
		cmocka_unit_test(timeline_keeps_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
