/* SPDX-License-Identifier: MIT */
/*
 * test_timeline_snap.c - a timeline's snapshots on a real capture (nic,
 * two CPUs, on arm-noncoherent): a snapshot keeps its caches in compact
 * form (engine/cache_snap.c), so a state restored from one, exactly at its
 * position or replayed on from it, must hash as the straight replay does;
 * so must the states of a timeline derived from it (which shares the
 * compact caches) and coh_timeline_state_at(); and the snapshots stay
 * within their budget while the timeline seeks back and forth.
 * A snapshot also holds the memory pages written since the one before in
 * compact form (engine/mem.c): on a synthetic run that rewrites every page
 * with mixed versions and both CPUs' last-touch bytes, each snapshot holds
 * far less than the pages themselves, and every restored byte and version
 * is the straight replay's.  Snapshots with no fixed interval are spaced
 * by replay work, not by events.  A state a seek lets go is freed a part
 * at a time by the seeks after it.
 */
#include "replay-test.h"
#include "ftrace-test.h"

#include "coh_log.h"
#include "coh_timeline.h"

#define STEP  128                    /* reference hashes every STEP events */
#define SNAP  (2 * STEP)             /* the timeline's interval */
#define MAXREF 1024

struct ref {
	uint64_t hash;               /* coh_sim_hash() */
	uint64_t state;              /* coh_sim_state_hash() */
};

static struct trace *trace;
static struct coh_platform plat;
static struct ref refs[MAXREF];      /* refs[k]: after k * STEP events */
static size_t nrefs;
static size_t nonuniform;            /* held lines not uniform, summed over refs */

/* Lines of @s's caches held with bytes of different versions. */
static size_t count_nonuniform(const struct coh_sim *s)
{
	uint32_t vers[256];
	size_t n = 0;

	for (unsigned cpu = 0; cpu < plat.ncpus; cpu++)
		for (unsigned set = 0; set < plat.sets; set++)
			for (unsigned way = 0; way < plat.ways; way++) {
				struct coh_line_view v;

				assert_int_equal(coh_sim_cache_line(s, cpu, set, way, &v, NULL, vers,
								    NULL), 0);
				if (v.state == COH_LINE_INVALID)
					continue;
				for (uint32_t i = 1; i < plat.line; i++)
					if (vers[i] != vers[0]) {
						n++;
						break;
					}
			}
	return n;
}

static int setup(void **state)
{
	char path[1024];
	struct coh_source src;
	struct coh_sim *s;
	int err = 0;

	(void)state;
	capture_path(path, sizeof(path), "nic", "trace.dat");
	trace = rt_open(path);
	rt_platform(trace, "arm-noncoherent", &plat);
	assert_true(plat.ncpus >= 2);
	assert_true(plat.line <= 256);
	src = trace_source(trace);
	s = coh_sim_new(&plat, 0, &err);
	assert_non_null(s);
	for (nrefs = 0; nrefs < MAXREF && nrefs * STEP <= trace_count(trace); nrefs++) {
		assert_true(coh_run(s, &src, coh_sim_pos(s), nrefs * STEP, NULL, NULL) >= 0);
		refs[nrefs] = (struct ref){ coh_sim_hash(s), coh_sim_state_hash(s) };
		nonuniform += count_nonuniform(s);
	}
	coh_sim_free(s);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	trace_close(trace);
	return 0;
}

static void same_as_ref(const struct coh_sim *s, size_t k)
{
	assert_int_equal(coh_sim_pos(s), k * STEP);
	assert_int_equal(coh_sim_hash(s), refs[k].hash);
	assert_int_equal(coh_sim_state_hash(s), refs[k].state);
}

static struct coh_timeline *timeline(size_t budget)
{
	struct coh_timeline_opts o = { .interval = SNAP, .snapshot_budget = budget };
	struct coh_source src = trace_source(trace);
	struct coh_timeline *tl;
	int err = 0;

	tl = coh_timeline_new(&plat, &src, &o, &err);
	assert_non_null(tl);
	assert_int_equal(err, 0);
	return tl;
}

/* The capture fills lines whose bytes differ, so the compact form's
 * versions are exercised, not only its uniform lines. */
static void capture_has_nonuniform_lines(void **state)
{
	(void)state;
	print_message("%zu references, %zu non-uniform held lines among them\n", nrefs,
		      nonuniform);
	assert_true(nrefs > 50);
	assert_true(nonuniform > 0);
}

/* Backward seeks, each restoring a snapshot: exactly at a snapshot, and
 * STEP events past one. */
static void restored_hash_as_replayed(void **state)
{
	struct coh_timeline *tl = timeline(SIZE_MAX);

	(void)state;
	assert_int_equal(coh_timeline_seek(tl, (nrefs - 1) * STEP), 0);
	assert_int_equal(coh_timeline_nsnapshots(tl), (nrefs - 1) * STEP / SNAP + 1);
	for (size_t k = nrefs; k-- > 0;) {
		assert_int_equal(coh_timeline_seek(tl, k * STEP), 0);
		same_as_ref(coh_timeline_sim(tl), k);
	}
	/* and forward again from the start, past every snapshot */
	assert_int_equal(coh_timeline_seek(tl, (nrefs - 1) * STEP), 0);
	same_as_ref(coh_timeline_sim(tl), nrefs - 1);
	coh_timeline_free(tl);
}

/* A state made from a snapshot without moving the timeline, and the states
 * of a timeline derived from it, sharing its snapshots' compact caches. */
static void state_at_and_derived(void **state)
{
	struct coh_timeline *tl = timeline(SIZE_MAX), *d;
	struct coh_source src = trace_source(trace);
	size_t half = nrefs / 2;
	int err = 0;

	(void)state;
	assert_int_equal(coh_timeline_seek(tl, (nrefs - 1) * STEP), 0);
	for (size_t k = 0; k < nrefs; k += 3) {
		struct coh_sim *s = coh_timeline_state_at(tl, k * STEP, &err);

		assert_non_null(s);
		same_as_ref(s, k);
		coh_sim_free(s);
	}
	d = coh_timeline_derive(tl, &src, half * STEP, NULL, &err);
	assert_non_null(d);
	for (size_t k = half + 1; k-- > 0;) {
		assert_int_equal(coh_timeline_seek(d, k * STEP), 0);
		same_as_ref(coh_timeline_sim(d), k);
	}
	assert_int_equal(coh_timeline_seek(d, (nrefs - 1) * STEP), 0);
	same_as_ref(coh_timeline_sim(d), nrefs - 1);
	coh_timeline_free(d);
	same_as_ref(coh_timeline_sim(tl), nrefs - 1);
	coh_timeline_free(tl);
}

/* With a budget a fraction of what unlimited snapshots take, the
 * snapshots stay within it at the end, after seeks back (which rebuild
 * states from early snapshots) and forward again, and seeks stay exact. */
static void bytes_within_budget(void **state)
{
	struct coh_timeline *tl = timeline(SIZE_MAX);
	uint64_t end = (nrefs - 1) * STEP;
	size_t all, budget, n;

	(void)state;
	assert_int_equal(coh_timeline_seek(tl, end), 0);
	all = coh_timeline_snapshot_bytes(tl);
	n = coh_timeline_nsnapshots(tl);
	coh_timeline_free(tl);
	budget = all / 8;
	tl = timeline(budget);
	assert_int_equal(coh_timeline_seek(tl, end), 0);
	print_message("unlimited: %zu snapshots, %zu bytes; budget %zu: %zu, %zu bytes\n", n,
		      all, budget, coh_timeline_nsnapshots(tl), coh_timeline_snapshot_bytes(tl));
	assert_true(coh_timeline_nsnapshots(tl) < n);
	assert_true(coh_timeline_nsnapshots(tl) > 2);
	assert_true(coh_timeline_snapshot_bytes(tl) <= budget);
	for (size_t k = 1; k < 4; k++) {
		size_t at = nrefs * k / 4;

		assert_int_equal(coh_timeline_seek(tl, at * STEP), 0);
		same_as_ref(coh_timeline_sim(tl), at);
		assert_true(coh_timeline_snapshot_bytes(tl) <= budget);
	}
	assert_int_equal(coh_timeline_seek(tl, end), 0);
	same_as_ref(coh_timeline_sim(tl), nrefs - 1);
	assert_true(coh_timeline_snapshot_bytes(tl) <= budget);
	coh_timeline_free(tl);
}

/* ---- compact pages ------------------------------------------------------- */

#define CP_PAGES    48               /* 192 KiB: six times the cache */
#define CP_BASE     0x100000ull
#define CP_INTERVAL 256
#define CP_EVENTS   (40 * CP_INTERVAL)

/* Writes of 1-3 bytes by two CPUs all over CP_PAGES pages: each interval
 * writes nearly every page, lines are evicted with bytes of different
 * versions (detailed blocks in memory), and pages get last-CPU bytes. */
static struct coh_log *scattered_writes(void)
{
	struct coh_log *log = coh_log_new();
	uint64_t r = 0x2545f4914f6cdd1dull;

	assert_non_null(log);
	for (unsigned i = 0; i < CP_EVENTS; i++) {
		struct coh_event ev;

		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		coh_event_init(&ev, i % 5 == 4 ? COH_EV_CPU_READ : COH_EV_CPU_WRITE);
		ev.cpu = i & 1;
		ev.addr = CP_BASE + (r >> 8) % (CP_PAGES * 4096ull - 4);
		ev.len = 1 + (r & 3) % 3;
		ev.ts = i;
		assert_int_equal(coh_log_append(log, &ev), 0);
	}
	return log;
}

static void same_memory(const struct coh_sim *a, const struct coh_sim *b)
{
	static uint8_t ba[CP_PAGES * 4096], bb[CP_PAGES * 4096];
	static uint32_t va[CP_PAGES * 4096], vb[CP_PAGES * 4096];

	assert_int_equal(coh_sim_mem_read(a, CP_BASE, sizeof(ba), ba, va), 0);
	assert_int_equal(coh_sim_mem_read(b, CP_BASE, sizeof(bb), bb, vb), 0);
	assert_memory_equal(ba, bb, sizeof(ba));
	assert_memory_equal(va, vb, sizeof(va));
	assert_int_equal(coh_sim_state_hash(a), coh_sim_state_hash(b));
}

static void snapshots_hold_pages_compact(void **state)
{
	struct coh_timeline_opts o = { .interval = CP_INTERVAL, .snapshot_budget = SIZE_MAX };
	struct coh_log *log = scattered_writes();
	struct coh_source src = coh_log_source(log);
	struct coh_platform p;
	struct coh_timeline *tl;
	struct coh_sim *ref;
	size_t per_snap, pages;
	int err = 0;

	(void)state;
	assert_int_equal(coh_platform_preset("arm-noncoherent", &p), 0);
	p.ncpus = 2;
	tl = coh_timeline_new(&p, &src, &o, &err);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, CP_EVENTS), 0);
	/* what the snapshots hold beyond the state, against its memory */
	per_snap = coh_timeline_snapshot_bytes(tl) / (coh_timeline_nsnapshots(tl) - 1);
	pages = coh_sim_mem_bytes(coh_timeline_sim(tl));
	print_message("state %zu bytes, %zu snapshots holding %zu bytes each\n", pages,
		      coh_timeline_nsnapshots(tl), per_snap);
	assert_true(per_snap < pages / 2);
	/* backward, each seek restoring a snapshot and replaying from it */
	ref = coh_sim_new(&p, 0, &err);
	assert_non_null(ref);
	for (uint64_t k = CP_EVENTS / CP_INTERVAL; k-- > 0;) {
		uint64_t at = k * CP_INTERVAL + (k % 3) * 77;
		struct coh_sim *fresh = coh_sim_new(&p, 0, &err);

		assert_non_null(fresh);
		assert_true(coh_run(fresh, &src, 0, at, NULL, NULL) >= 0);
		assert_int_equal(coh_timeline_seek(tl, at), 0);
		same_memory(coh_timeline_sim(tl), fresh);
		coh_sim_free(fresh);
	}
	/* and forward from the start past every snapshot, beside a straight run */
	for (uint64_t at = 100; at <= CP_EVENTS; at += 3 * CP_INTERVAL + 100) {
		assert_true(coh_run(ref, &src, coh_sim_pos(ref), at, NULL, NULL) >= 0);
		assert_int_equal(coh_timeline_seek(tl, at), 0);
		same_memory(coh_timeline_sim(tl), ref);
	}
	coh_sim_free(ref);
	coh_timeline_free(tl);
	coh_log_free(log);
}

/* ---- spacing by work --------------------------------------------------------- */

#define CHEAP 100000                 /* one-byte reads of one line: hits */
#define DEAR  2000                   /* reads of 64 KiB: 1024 lines, all missing */

static struct coh_log *cheap_then_dear(void)
{
	struct coh_log *log = coh_log_new();

	assert_non_null(log);
	for (unsigned i = 0; i < CHEAP + DEAR; i++) {
		struct coh_event ev;

		coh_event_init(&ev, COH_EV_CPU_READ);
		ev.addr = i < CHEAP ? 0x100000 + i % 64 : 0x200000 + (i % 4) * 0x10000;
		ev.len = i < CHEAP ? 1 : 0x10000;
		ev.ts = i;
		assert_int_equal(coh_log_append(log, &ev), 0);
	}
	return log;
}

/* With no fixed interval, snapshots are spaced by replay work: far apart
 * where events only hit, close where each fills a thousand lines; seeks
 * are exact either way. */
static void spaced_by_work(void **state)
{
	struct coh_timeline_opts o = { .snapshot_budget = SIZE_MAX };
	struct coh_log *log = cheap_then_dear();
	struct coh_source src = coh_log_source(log);
	struct coh_platform p;
	struct coh_timeline *tl;
	uint64_t cheap_gap, dear_gap, at;
	int err = 0;

	(void)state;
	assert_int_equal(coh_platform_preset("arm-noncoherent", &p), 0);
	tl = coh_timeline_new(&p, &src, &o, &err);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, CHEAP + DEAR), 0);
	at = coh_timeline_snap_pos(tl, CHEAP - 1);
	cheap_gap = at - coh_timeline_snap_pos(tl, at - 1);
	at = coh_timeline_snap_pos(tl, CHEAP + DEAR);
	dear_gap = at - coh_timeline_snap_pos(tl, at - 1);
	print_message("events between snapshots: %llu where they hit, %llu where they fill\n",
		      (unsigned long long)cheap_gap, (unsigned long long)dear_gap);
	assert_true(at > CHEAP);
	assert_true(cheap_gap > 10 * dear_gap);
	for (uint64_t k = 0; k < 6; k++) {
		struct coh_sim *ref = coh_sim_new(&p, 0, &err);

		at = k == 5 ? CHEAP + DEAR - 7 : k * (CHEAP + DEAR) / 5 + 333;
		assert_non_null(ref);
		assert_true(coh_run(ref, &src, 0, at, NULL, NULL) >= 0);
		assert_int_equal(coh_timeline_seek(tl, at), 0);
		assert_int_equal(coh_sim_state_hash(coh_timeline_sim(tl)), coh_sim_state_hash(ref));
		coh_sim_free(ref);
	}
	coh_timeline_free(tl);
	coh_log_free(log);
}

/* ---- states let go ----------------------------------------------------------- */

#define WIDE_PAGES 12000             /* three times what a seek frees of one */

/* One byte written to each of WIDE_PAGES pages, twice over. */
static struct coh_log *wide_writes(void)
{
	struct coh_log *log = coh_log_new();

	assert_non_null(log);
	for (unsigned i = 0; i < 2 * WIDE_PAGES; i++) {
		struct coh_event ev;

		coh_event_init(&ev, COH_EV_CPU_WRITE);
		ev.addr = 0x10000000ull + (uint64_t)(i % WIDE_PAGES) * 4096 + i / WIDE_PAGES;
		ev.len = 1;
		ev.ts = i;
		assert_int_equal(coh_log_append(log, &ev), 0);
	}
	return log;
}

/* The state at the end holds 12 000 pages alone; a seek back lets it go,
 * and later seeks free it a part at a time (timeline.c): every state is
 * still the straight replay's, the snapshots keep their budget, and
 * (LeakSanitizer, AddressSanitizer) nothing is lost or freed twice, even
 * when the timeline is freed with a state half freed. */
static void states_let_go(void **state)
{
	struct coh_log *log = wide_writes();
	struct coh_source src = coh_log_source(log);
	const size_t budget = 8 << 20;
	struct coh_timeline_opts o = { .interval = 2000, .snapshot_budget = budget };
	uint64_t at[] = { 2 * WIDE_PAGES, 10, 2 * WIDE_PAGES - 1, 5000, 17000, 3, 2 * WIDE_PAGES };
	struct coh_platform p;
	struct coh_timeline *tl;
	int err = 0;

	(void)state;
	assert_int_equal(coh_platform_preset("arm-noncoherent", &p), 0);
	for (int round = 0; round < 2; round++) {
		tl = coh_timeline_new(&p, &src, &o, &err);
		assert_non_null(tl);
		for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
			struct coh_sim *ref = coh_sim_new(&p, 0, &err);

			assert_non_null(ref);
			assert_true(coh_run(ref, &src, 0, at[k], NULL, NULL) >= 0);
			assert_int_equal(coh_timeline_seek(tl, at[k]), 0);
			assert_int_equal(coh_sim_state_hash(coh_timeline_sim(tl)),
					 coh_sim_state_hash(ref));
			coh_sim_free(ref);
			if (round == 1 && k == 2)
				break;       /* freed with the end's state let go */
		}
		if (round == 0)
			assert_true(coh_timeline_snapshot_bytes(tl) <= budget);
		coh_timeline_free(tl);
	}
	coh_log_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capture_has_nonuniform_lines),
		cmocka_unit_test(restored_hash_as_replayed),
		cmocka_unit_test(state_at_and_derived),
		cmocka_unit_test(bytes_within_budget),
		cmocka_unit_test(snapshots_hold_pages_compact),
		cmocka_unit_test(spaced_by_work),
		cmocka_unit_test(states_let_go),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
