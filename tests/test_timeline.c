/* SPDX-License-Identifier: MIT */
/*
 * test_timeline.c - time travel over a long random scenario: seeking to event
 * n, forward or backward, gives the state (coh_sim_hash) and the findings of
 * a straight replay of events 0..n; clones and forks are independent of what
 * they were made from; the snapshot budget holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "coh_timeline.h"
#include "gen.h"



#define NEV      20000
#define NTARGET  120

struct target {
	uint64_t n;                  /* events applied */
	uint64_t hash;               /* coh_sim_hash() after them */
	size_t nfind;                /* findings after them */
};

static struct coh_platform plat;
static struct coh_log *elog;
static struct coh_sim *straight;     /* all NEV events: its findings are the reference */
static struct target targets[NTARGET];
static size_t ntargets;

static void replay(struct coh_sim *s, uint64_t to)
{
	struct coh_event ev;

	while (coh_sim_pos(s) < to) {
		uint64_t i = coh_sim_pos(s);

		assert_int_equal(coh_log_get(elog, i, &ev), 0);
		if (coh_sim_apply(s, &ev) < 0)
			fail_msg("event %llu: %s", (unsigned long long)i, coh_sim_errmsg(s));
	}
}

static struct coh_sim *fresh(void)
{
	int err;
	struct coh_sim *s = coh_sim_new(&plat, 0, &err);

	assert_non_null(s);
	return s;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Random targets plus the edges (0, 1, NEV, around snapshot intervals). */
static void pick_targets(void)
{
	static const uint64_t edges[] = { 0, 1, 499, 500, 501, 8191, 8192, 8193, NEV - 1, NEV };
	uint64_t n[NTARGET], rng = 12345;
	size_t k = 0;

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		n[k++] = edges[i];
	while (k < NTARGET) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		n[k++] = (rng >> 33) % (NEV + 1);
	}
	qsort(n, k, sizeof(n[0]), cmp_u64);
	ntargets = 0;
	for (size_t i = 0; i < k; i++)
		if (!ntargets || targets[ntargets - 1].n != n[i])
			targets[ntargets++].n = n[i];
}

static int setup(void **state)
{
	(void)state;
	memset(&plat, 0, sizeof(plat));
	gen_platform(&plat);
	elog = gen_log(7, NEV);
	if (!elog || coh_log_count(elog) != NEV)
		return -1;
	pick_targets();
	straight = coh_sim_new(&plat, 0, NULL);
	if (!straight)
		return -1;
	for (size_t i = 0; i < ntargets; i++) {
		struct coh_event ev;

		while (coh_sim_pos(straight) < targets[i].n) {
			if (coh_log_get(elog, coh_sim_pos(straight), &ev) < 0 ||
			    coh_sim_apply(straight, &ev) < 0)
				return -1;
		}
		targets[i].hash = coh_sim_hash(straight);
		targets[i].nfind = coh_sim_nfindings(straight);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	coh_sim_free(straight);
	coh_log_free(elog);
	return 0;
}

/* The findings of @s are the first ones of the straight replay. */
static void same_findings(const struct coh_sim *s, size_t nfind)
{
	assert_int_equal(coh_sim_nfindings(s), nfind);
	for (size_t i = 0; i < nfind; i++)
		assert_memory_equal(coh_sim_finding(s, i), coh_sim_finding(straight, i),
				    sizeof(struct coh_finding));
}

/* The scenario is what it claims: long, mixed, all valid, with findings. */
static void scenario_sanity(void **state)
{
	size_t kinds[COH_EV_COUNT] = { 0 };
	struct coh_event ev;

	(void)state;
	assert_int_equal(coh_sim_pos(straight), NEV);
	for (uint64_t i = 0; i < NEV; i++) {
		assert_int_equal(coh_log_get(elog, i, &ev), 0);
		kinds[ev.kind]++;
	}
	assert_true(kinds[COH_EV_CPU_READ] > 1000 && kinds[COH_EV_CPU_WRITE] > 1000);
	assert_true(kinds[COH_EV_DMA_MAP] > 100 && kinds[COH_EV_DMA_UNMAP] > 100);
	assert_true(kinds[COH_EV_DMA_SYNC_CPU] > 100 && kinds[COH_EV_DEV_WRITE] > 500);
	assert_true(kinds[COH_EV_MAP_TRANSFER] > 50 && kinds[COH_EV_FLUSH_ADAPTER] > 50);
	assert_true(coh_sim_nfindings(straight) > 100);
	assert_true(targets[ntargets - 1].nfind == coh_sim_nfindings(straight));
}

/* Replaying from 0 on a fresh simulation reaches the recorded hash. */
static void fresh_replays_agree(void **state)
{
	(void)state;
	for (size_t i = 0; i < ntargets; i += ntargets / 6) {
		struct coh_sim *s = fresh();

		replay(s, targets[i].n);
		assert_int_equal(coh_sim_hash(s), targets[i].hash);
		same_findings(s, targets[i].nfind);
		coh_sim_free(s);
	}
}

static void seek_all(struct coh_timeline *tl, uint64_t rng)
{
	for (size_t k = 0; k < ntargets; k++) {
		const struct target *t;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		t = &targets[(rng >> 33) % ntargets];
		assert_int_equal(coh_timeline_seek(tl, t->n), 0);
		assert_int_equal(coh_timeline_pos(tl), t->n);
		assert_int_equal(coh_sim_hash(coh_timeline_sim(tl)), t->hash);
		assert_int_equal(coh_sim_pos(coh_timeline_sim(tl)), t->n);
		same_findings(coh_timeline_sim(tl), t->nfind);
	}
}

static struct coh_timeline *timeline(uint64_t interval, size_t budget)
{
	struct coh_source src = coh_log_source(elog);
	struct coh_timeline_opts o = { .sim_flags = 0, .snapshot_budget = budget,
				       .interval = interval };
	int err = -1;
	struct coh_timeline *tl = coh_timeline_new(&plat, &src, &o, &err);

	assert_non_null(tl);
	assert_int_equal(err, 0);
	assert_int_equal(coh_timeline_pos(tl), 0);
	return tl;
}

/* Random seeks, forward and backward, with automatic and short intervals. */
static void seek_matches_replay(void **state)
{
	struct coh_timeline *tl;

	(void)state;
	tl = timeline(0, 0);
	seek_all(tl, 1);
	coh_timeline_free(tl);

	tl = timeline(500, SIZE_MAX);
	assert_int_equal(coh_timeline_seek(tl, NEV), 0);
	assert_true(coh_timeline_nsnapshots(tl) >= NEV / 500);
	seek_all(tl, 2);
	/* a strictly backward walk */
	for (size_t i = ntargets; i-- > 0;) {
		assert_int_equal(coh_timeline_seek(tl, targets[i].n), 0);
		assert_int_equal(coh_sim_hash(coh_timeline_sim(tl)), targets[i].hash);
	}
	coh_timeline_free(tl);
}

/* With a small budget, snapshots are thinned to fit and seeking still works. */
static void snapshot_budget(void **state)
{
	const size_t budget = 3u << 20;
	struct coh_timeline *tl;
	size_t nsnap;

	(void)state;
	tl = timeline(250, budget);
	assert_int_equal(coh_timeline_seek(tl, NEV), 0);
	nsnap = coh_timeline_nsnapshots(tl);
	assert_true(nsnap >= 2);
	assert_true(nsnap < NEV / 250);                  /* some were dropped */
	assert_true(coh_timeline_snapshot_bytes(tl) <= budget);
	seek_all(tl, 3);
	/* still within it after seeking back (the logs of the furthest run,
	 * now held only by snapshots, count too) */
	assert_true(coh_timeline_snapshot_bytes(tl) <= budget);
	coh_timeline_free(tl);

	/* automatic interval: the interval grows instead */
	tl = timeline(0, budget);
	assert_int_equal(coh_timeline_seek(tl, NEV), 0);
	assert_true(coh_timeline_snapshot_bytes(tl) <= budget);
	seek_all(tl, 4);
	coh_timeline_free(tl);
}

/* A clone is independent of its original, both ways, and outlives it. */
static void clone_independent(void **state)
{
	const struct target *t1 = &targets[ntargets / 3], *t2 = &targets[2 * ntargets / 3];
	struct coh_sim *a, *b, *c;
	uint64_t ha;

	(void)state;
	a = fresh();
	replay(a, t1->n);
	ha = coh_sim_hash(a);
	assert_int_equal(ha, t1->hash);
	b = coh_sim_clone(a);
	assert_non_null(b);
	assert_int_equal(coh_sim_hash(b), ha);
	replay(b, t2->n);                                  /* change the clone */
	assert_int_equal(coh_sim_hash(b), t2->hash);
	same_findings(b, t2->nfind);
	assert_int_equal(coh_sim_hash(a), ha);             /* the original is untouched */
	assert_int_equal(coh_sim_pos(a), t1->n);
	same_findings(a, t1->nfind);

	c = coh_sim_clone(b);
	replay(a, t1->n + (t2->n - t1->n) / 2);            /* change the original */
	assert_int_equal(coh_sim_hash(b), t2->hash);
	same_findings(b, t2->nfind);
	coh_sim_free(b);                                   /* the clone outlives it */
	replay(c, NEV);
	assert_int_equal(coh_sim_hash(c), targets[ntargets - 1].hash);
	same_findings(c, targets[ntargets - 1].nfind);
	replay(a, t2->n);
	assert_int_equal(coh_sim_hash(a), t2->hash);
	coh_sim_free(c);
	coh_sim_free(a);
}

/* A fork of the timeline's state is a what-if run: changing it leaves the
 * timeline alone, seeking leaves it alone, and it outlives the timeline. */
static void fork_independent(void **state)
{
	const struct target *t1 = &targets[ntargets / 4], *t2 = &targets[3 * ntargets / 4];
	struct coh_timeline *tl;
	struct coh_sim *f, *w;
	struct coh_event ev;
	uint64_t hw;

	(void)state;
	tl = timeline(1000, 0);
	assert_int_equal(coh_timeline_seek(tl, t1->n), 0);
	f = coh_timeline_fork(tl);
	w = coh_timeline_fork(tl);
	assert_non_null(f);
	assert_non_null(w);
	assert_int_equal(coh_sim_hash(f), t1->hash);
	/* a what-if: an eviction the recording never had */
	coh_event_init(&ev, COH_EV_EVICT);
	ev.addr = GEN_BASE;
	ev.len = GEN_REGION;
	assert_int_equal(coh_sim_apply(w, &ev), 0);
	hw = coh_sim_hash(w);
	assert_int_not_equal(hw, t1->hash);
	assert_int_equal(coh_sim_hash(coh_timeline_sim(tl)), t1->hash);
	assert_int_equal(coh_sim_hash(f), t1->hash);
	/* seeking the timeline leaves the forks alone */
	assert_int_equal(coh_timeline_seek(tl, t2->n), 0);
	assert_int_equal(coh_sim_hash(coh_timeline_sim(tl)), t2->hash);
	assert_int_equal(coh_timeline_seek(tl, t1->n / 2), 0);
	assert_int_equal(coh_sim_hash(f), t1->hash);
	assert_int_equal(coh_sim_hash(w), hw);
	coh_timeline_free(tl);
	/* they outlive it: the faithful fork replays to where the recording went */
	replay(f, t2->n);
	assert_int_equal(coh_sim_hash(f), t2->hash);
	same_findings(f, t2->nfind);
	assert_int_equal(coh_sim_hash(w), hw);
	coh_sim_free(w);
	coh_sim_free(f);
}

/* A clone of a simulation with a live mapping has that mapping, and each
 * side can end it on its own. */
static void clone_live_mapping(void **state)
{
	struct coh_platform p;
	struct coh_map_view mv;
	struct coh_sim *a, *b;
	struct coh_event ev;

	(void)state;
	coh_platform_preset("arm-noncoherent", &p);
	coh_platform_add_dev(&p, "dev0");
	a = coh_sim_new(&p, 0, NULL);
	assert_non_null(a);
	coh_event_init(&ev, COH_EV_DMA_MAP);
	ev.dev = 0;
	ev.addr = 0x10000;
	ev.bus = 0x80000;
	ev.len = 128;
	ev.dir = COH_DIR_FROM_DEVICE;
	assert_int_equal(coh_sim_apply(a, &ev), 0);
	b = coh_sim_clone(a);
	assert_non_null(b);
	assert_int_equal(coh_sim_hash(b), coh_sim_hash(a));
	assert_int_equal(coh_sim_nmappings(b), 1);
	assert_int_equal(coh_sim_mapping(b, 0, &mv, NULL, 0), 0);
	assert_int_equal(mv.addr, 0x10000);
	assert_int_equal(mv.bus, 0x80000);
	ev.kind = COH_EV_DMA_UNMAP;
	ev.addr = COH_ADDR_NONE;
	assert_int_equal(coh_sim_apply(b, &ev), 0);
	assert_int_equal(coh_sim_nmappings(b), 0);
	assert_int_equal(coh_sim_nmappings(a), 1);
	coh_sim_free(b);
	assert_int_equal(coh_sim_apply(a, &ev), 0);
	assert_int_equal(coh_sim_nfindings(a), 0);
	coh_sim_free(a);
}

/* After many writes with explicit data, a clone and its original each write
 * more and each sees its own bytes. */
static void clone_data_diverge(void **state)
{
	static const uint8_t one = 0x11, two = 0x22;
	struct coh_platform p;
	struct coh_sim *a, *b;
	struct coh_event ev;
	uint8_t v;

	(void)state;
	coh_platform_preset("x86", &p);
	a = coh_sim_new(&p, 0, NULL);
	assert_non_null(a);
	coh_event_init(&ev, COH_EV_CPU_WRITE);
	ev.len = 1;
	ev.data = &one;
	for (unsigned i = 0; i < 100; i++) {
		ev.addr = 0x1000 + i;
		assert_int_equal(coh_sim_apply(a, &ev), 0);
	}
	b = coh_sim_clone(a);
	assert_non_null(b);
	ev.addr = 0x2000;
	ev.data = &two;
	assert_int_equal(coh_sim_apply(b, &ev), 0);        /* version 101 in b */
	ev.data = &one;
	assert_int_equal(coh_sim_apply(a, &ev), 0);        /* version 101 in a */
	assert_int_equal(coh_sim_cpu_view(a, 0, 0x2000, 1, &v, NULL), 0);
	assert_int_equal(v, 0x11);
	assert_int_equal(coh_sim_cpu_view(b, 0, 0x2000, 1, &v, NULL), 0);
	assert_int_equal(v, 0x22);
	assert_int_equal(coh_sim_cpu_view(b, 0, 0x1063, 1, &v, NULL), 0);
	assert_int_equal(v, 0x11);
	coh_sim_free(a);
	coh_sim_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scenario_sanity),
		cmocka_unit_test(fresh_replays_agree),
		cmocka_unit_test(clone_live_mapping),
		cmocka_unit_test(clone_data_diverge),
		cmocka_unit_test(seek_matches_replay),
		cmocka_unit_test(snapshot_budget),
		cmocka_unit_test(clone_independent),
		cmocka_unit_test(fork_independent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
