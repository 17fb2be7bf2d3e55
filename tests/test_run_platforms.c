/* SPDX-License-Identifier: MIT */
/*
 * test_run_platforms.c - coh_run_platforms() replays presets that replay a
 * source alike once, and what every preset gets is what replaying it alone
 * gives: on a Linux capture (nic; a Linux sample under the sanitizers) and
 * on an ETW sample, each preset's shared result is compared with a
 * separate coh_run() of that preset (state hash, position, stale reads,
 * every finding).  The presets whose DMA granule is the cache line and
 * that equal another but for a wider granule get results derived from
 * that one's replay (granule.c): on the buggy capture, whose arm64 runs
 * raise dma-alignment findings, and on a run whose look-up of mappings
 * near a write is cut at its room, which must be replayed instead.  Also
 * which platforms share (coh_plat_same()), what a source says of its
 * event groups (coh_source_groups()), and a failed run of a shared replay
 * naming its own platform.
 */
#include <stdio.h>
#include <unistd.h>

#include "replay-test.h"
#include "ftrace-test.h"

#include "coh_whatif.h"

#define NPRESETS 8

/* The presets, their platforms for one trace, and the runs over them. */
struct matrix {
	const char *name[NPRESETS];
	struct coh_platform plat[NPRESETS];
	struct coh_plat_run run[NPRESETS];
	unsigned n;
};

static void matrix_init(struct matrix *m, const struct trace *t)
{
	const char *p;

	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; (p = coh_platform_preset_at(i, NULL)); i++) {
		assert_true(i < NPRESETS);
		m->name[i] = p;
		rt_platform(t, p, &m->plat[i]);
		m->run[i].plat = &m->plat[i];
		m->n = i + 1;
	}
	assert_int_equal(m->n, NPRESETS);
}

static int preset(const struct matrix *m, const char *name)
{
	for (unsigned i = 0; i < m->n; i++)
		if (strcmp(m->name[i], name) == 0)
			return (int)i;
	fail_msg("no preset %s", name);
	return -1;
}

/* Every field of every finding of @a equals @b's. */
static void same_findings(const struct coh_sim *a, const struct coh_sim *b)
{
	assert_int_equal(coh_sim_nfindings(a), coh_sim_nfindings(b));
	for (size_t i = 0; i < coh_sim_nfindings(a); i++) {
		const struct coh_finding *x = coh_sim_finding(a, i), *y = coh_sim_finding(b, i);

		assert_int_equal(x->id, y->id);
		assert_int_equal(x->rule, y->rule);
		assert_int_equal(x->flags, y->flags);
		assert_int_equal(x->parent, y->parent);
		assert_int_equal(x->seq, y->seq);
		assert_int_equal(x->src, y->src);
		assert_int_equal(x->dev, y->dev);
		assert_int_equal(x->cpu, y->cpu);
		assert_int_equal(x->addr, y->addr);
		assert_int_equal(x->len, y->len);
		assert_int_equal(x->other_seq, y->other_seq);
		assert_int_equal(x->omitted, y->omitted);
		assert_int_equal(x->nbytes, y->nbytes);
		assert_memory_equal(x->seen, y->seen, x->nbytes);
		assert_memory_equal(x->expected, y->expected, x->nbytes);
	}
}

/* Each run's result equals @t replayed alone on that run's platform. */
static void same_as_alone(struct trace *t, const struct matrix *m)
{
	struct coh_source src = trace_source(t);

	for (unsigned i = 0; i < m->n; i++) {
		struct coh_sim *alone = coh_sim_new(&m->plat[i], 0, NULL);
		const struct coh_sim *shared = m->run[i].sim;
		int rc;

		assert_non_null(alone);
		rc = coh_run(alone, &src, 0, UINT64_MAX, NULL, NULL);
		assert_int_equal(rc < 0 ? rc : 0, m->run[i].err);
		if (rc >= 0) {
			assert_non_null(shared);
			assert_int_equal(coh_sim_pos(alone), coh_sim_pos(shared));
			assert_int_equal(coh_sim_stale_reads(alone), coh_sim_stale_reads(shared));
			assert_int_equal(coh_sim_hash(alone), coh_sim_hash(shared));
			same_findings(alone, shared);
		}
		coh_sim_free(alone);
	}
}

/* The preset pairs (narrow, wide) whose narrow run is derived. */
struct derived {
	const char *const (*pairs)[2];
	unsigned n;
};

/* Each run's wider is as @d says: the wide preset's index, else -1; a
 * derived run's simulation is its own. */
static void check_derived(const struct matrix *m, const struct derived *d)
{
	for (unsigned i = 0; i < m->n; i++) {
		int want = -1;

		for (unsigned k = 0; d && k < d->n; k++)
			if (strcmp(m->name[i], d->pairs[k][0]) == 0)
				want = preset(m, d->pairs[k][1]);
		assert_int_equal(m->run[i].wider, want);
		if (want >= 0) {
			assert_non_null(m->run[i].sim);
			assert_ptr_not_equal(m->run[i].sim, m->run[want].sim);
		}
	}
}

/* Replay @path on every preset with two workers; @pairs lists (follower,
 * replayed) preset names, the only runs that may share, @d the runs
 * derived from a wider one; then compare each with its replay alone. */
static void matrix_check(const char *path, const char *const pairs[][2], unsigned npairs,
			 const struct derived *d)
{
	struct trace *t[2] = { rt_open(path), rt_open(path) };
	struct coh_source src[2] = { trace_source(t[0]), trace_source(t[1]) };
	struct matrix m;
	unsigned replayed = 0;

	matrix_init(&m, t[0]);
	assert_int_equal(coh_run_platforms(src, 2, m.run, m.n, 0, NULL), 0);
	for (unsigned k = 0; k < npairs; k++) {
		int f = preset(&m, pairs[k][0]), r = preset(&m, pairs[k][1]);

		assert_int_equal(m.run[f].same_as, r);
		assert_ptr_equal(m.run[f].sim, m.run[r].sim);
	}
	for (unsigned i = 0; i < m.n; i++)
		replayed += m.run[i].same_as == i;
	assert_int_equal(replayed, m.n - npairs);
	check_derived(&m, d);
	same_as_alone(t[0], &m);
	coh_plat_runs_free(m.run, m.n);
	for (unsigned i = 0; i < m.n; i++)
		assert_null(m.run[i].sim);
	trace_close(t[0]);
	trace_close(t[1]);
}

/* On a Linux trace the Windows transfer fields are never read: the presets
 * that differ only there share, and those with equal fields too. */
static const char *const linux_pairs[][2] = {
	{ "nt-busmaster", "nt-slave-dma" },
	{ "nt-doublebuffer", "x86-swiotlb" },
};

/* ... and those whose granule is the line take the arm64 replays'. */
static const char *const linux_narrow[][2] = {
	{ "nt-slave-dma", "arm-noncoherent" },
	{ "nt-v3", "arm-speculative" },
};
static const struct derived linux_derived = { linux_narrow, 2 };

static void linux_capture(void **state)
{
	char path[1024];

	(void)state;
	if (sanitized()) {           /* the capture is slow there: a sample */
		rt_sample_path(path, sizeof(path), "linux-rx-nosync.bug.dmt");
	} else {
		capture_path(path, sizeof(path), "nic", "trace.dat");
		if (need_file(path) < 0)
			fail();
	}
	matrix_check(path, linux_pairs, 2, &linux_derived);
}

static size_t count_id(const struct coh_sim *s, unsigned id)
{
	size_t n = 0;

	for (size_t i = 0; i < coh_sim_nfindings(s); i++)
		n += coh_sim_finding(s, i)->id == id;
	return n;
}

/* The buggy capture's arm64 runs raise dma-alignment findings, which the
 * runs derived from them must not hold; the others keep their order and
 * roots (compared with each preset replayed alone). */
static void buggy_capture(void **state)
{
	char path[1024];
	struct trace *t;
	struct coh_source src;
	struct matrix m;

	(void)state;
	capture_path(path, sizeof(path), "buggy", "trace.dat");
	if (need_file(path) < 0)
		fail();
	matrix_check(path, linux_pairs, 2, &linux_derived);
	t = rt_open(path);
	src = trace_source(t);
	matrix_init(&m, t);
	assert_int_equal(coh_run_platforms(&src, 1, m.run, m.n, 0, NULL), 0);
	assert_true(count_id(m.run[preset(&m, "arm-noncoherent")].sim, COH_ALIGN) > 0);
	assert_int_equal(count_id(m.run[preset(&m, "nt-slave-dma")].sim, COH_ALIGN), 0);
	assert_true(coh_sim_nfindings(m.run[preset(&m, "nt-slave-dma")].sim) > 0);
	coh_plat_runs_free(m.run, m.n);
	trace_close(t);
}

/* A CPU write over more mappings than a look-up has room for: the wider
 * granule's look-up is cut, so the narrower runs are replayed themselves
 * (and still equal their replays alone). */
static void wide_lookup_full(void **state)
{
	char path[] = "/tmp/dmascope-test-wide-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	(void)state;
	assert_non_null(f);
	fprintf(f, "dmascope-trace 1\nplatform arm-noncoherent\ndevice eth0\n");
	fprintf(f, "cpu_write addr=0x200000 len=4096\n");
	for (unsigned i = 0; i < 70; i++)
		fprintf(f, "dma_map dev=eth0 addr=0x%x bus=0x%x len=16 dir=FROM_DEVICE\n",
			0x200000 + 48 * i, 0x200000 + 48 * i);
	fprintf(f, "cpu_write addr=0x200000 len=4096\n");
	for (unsigned i = 0; i < 70; i++)
		fprintf(f, "dma_unmap dev=eth0 bus=0x%x len=16 dir=FROM_DEVICE\n", 0x200000 + 48 * i);
	fprintf(f, "cpu_read addr=0x200000 len=4096\n");
	assert_int_equal(fclose(f), 0);
	matrix_check(path, linux_pairs, 2, NULL);
	unlink(path);
}

/* On a Windows trace only the presets with equal fields share. */
static const char *const windows_pairs[][2] = { { "nt-doublebuffer", "x86-swiotlb" } };

static void sample_check(const char *name)
{
	char path[1024];

	rt_sample_path(path, sizeof(path), name);
	matrix_check(path, windows_pairs, 1, NULL);
}

static void etw_sample(void **state)
{
	(void)state;
	sample_check("etw-busmaster.csv");
}

/* A Windows .dmt whose findings differ between the controller and the
 * posted-write buffer: those presets must not share. */
static void windows_dmt(void **state)
{
	(void)state;
	sample_check("slave-dma-tail.bug.dmt");
}

/* ---- the key ---------------------------------------------------------------- */

static void plat_same(void **state)
{
	uint32_t linux_only = (1u << COH_GROUP_ACCESS) | (1u << COH_GROUP_LINUX);
	struct coh_platform a, b;

	(void)state;
	assert_int_equal(coh_platform_preset("nt-slave-dma", &a), 0);
	assert_int_equal(coh_platform_preset("nt-busmaster", &b), 0);
	assert_int_equal(coh_platform_add_dev(&a, "dev0"), 0);
	assert_int_equal(coh_platform_add_dev(&b, "dev0"), 0);
	assert_true(coh_plat_same(&a, &b, linux_only));
	assert_false(coh_plat_same(&a, &b, linux_only | (1u << COH_GROUP_WINDOWS)));
	assert_false(coh_plat_same(&a, &b, COH_SOURCE_GROUPS_ALL));
	b = a;
	snprintf(b.name, sizeof(b.name), "another");
	assert_true(coh_plat_same(&a, &b, COH_SOURCE_GROUPS_ALL));   /* the name: never */
	b.dma_align = 128;
	assert_false(coh_plat_same(&a, &b, linux_only));
	b = a;
	b.devs[0].coherent = 1;
	assert_false(coh_plat_same(&a, &b, linux_only));
	b = a;
	snprintf(b.devs[0].name, sizeof(b.devs[0].name), "dev1");
	assert_false(coh_plat_same(&a, &b, linux_only));
	b = a;
	b.devs[0].ctrl_chunk = 5;    /* invalid: never shared, it must fail alone */
	assert_false(coh_plat_same(&a, &b, linux_only));
}

static int fail_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	(void)ctx;
	(void)i;
	(void)ev;
	return -COH_E_SEEK;
}

static uint64_t one(void *ctx)
{
	(void)ctx;
	return 1;
}

static void source_groups(void **state)
{
	struct coh_log *log = coh_log_new();
	struct coh_event ev = { .kind = COH_EV_CPU_WRITE, .addr = 0x1000, .len = 4 };
	struct coh_source src = coh_log_source(log), bad = { .count = one, .get = fail_get };

	(void)state;
	assert_int_equal(coh_source_groups(&src), 0);
	assert_int_equal(coh_log_append(log, &ev), 0);
	assert_int_equal(coh_source_groups(&src), 1u << COH_GROUP_ACCESS);
	ev = (struct coh_event){ .kind = COH_EV_KE_FLUSH, .flags = COH_F_DMA_OP };
	ev.segs = &(struct coh_seg){ 0x1000, 0x1000, 64 };
	ev.nsegs = 1;
	assert_int_equal(coh_log_append(log, &ev), 0);
	assert_true(coh_source_groups(&src) & (1u << COH_GROUP_WINDOWS));
	assert_int_equal(coh_source_groups(&bad), COH_SOURCE_GROUPS_ALL);
	coh_log_free(log);
}

/* A simulation that cannot be made: every run says so with its own name. */
static void failed_names_own(void **state)
{
	struct trace *t;
	struct coh_source src;
	struct matrix m;
	char path[1024];

	(void)state;
	rt_sample_path(path, sizeof(path), "linux-rx-nosync.bug.dmt");
	t = rt_open(path);
	src = trace_source(t);
	matrix_init(&m, t);
	assert_int_equal(coh_run_platforms(&src, 1, m.run, m.n, 1u << 30, NULL), 0);
	assert_int_equal(m.run[preset(&m, "nt-busmaster")].same_as, preset(&m, "nt-slave-dma"));
	for (unsigned i = 0; i < m.n; i++) {
		char want[128];

		assert_null(m.run[i].sim);
		assert_int_equal(m.run[i].err, -COH_E_INVAL);
		snprintf(want, sizeof(want), "platform %s: ", m.name[i]);
		assert_true(strncmp(m.run[i].errmsg, want, strlen(want)) == 0);
	}
	coh_plat_runs_free(m.run, m.n);
	trace_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(linux_capture),
		cmocka_unit_test(buggy_capture),
		cmocka_unit_test(wide_lookup_full),
		cmocka_unit_test(etw_sample),
		cmocka_unit_test(windows_dmt),
		cmocka_unit_test(plat_same),
		cmocka_unit_test(source_groups),
		cmocka_unit_test(failed_names_own),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
