/* SPDX-License-Identifier: MIT */
/*
 * test_snap_maps.c - a timeline's snapshots keep their live mappings in a
 * few bytes (engine/map_copy.c: a blob of fields, segments, per-byte arrays
 * and index order) and their pages in compact form (engine/mem.c).  On
 * every sample of traces/samples (Linux sg lists, partial unmaps, shared
 * lines; Windows transfers with their IRPs, map registers and flushes) on
 * its own platform, on x86-swiotlb (bounce slots) and on arm-noncoherent,
 * and on the buggy capture (24 labelled sequences), a state restored from
 * each snapshot must hash as the straight replay at that event, list the
 * same mappings (every field a view shows, every segment, every byte's
 * owner), and, replayed on to the end, give every finding the straight
 * replay gives, field for field (what a mapping remembers of the call that
 * made it, or of its flush, shows there).
 */
#include <dirent.h>
#include <stdbool.h>

#include "replay-test.h"
#include "ftrace-test.h"

#include "coh_timeline.h"

#define INTERVAL 3                   /* a snapshot every 3 events */
#define ONWARD   24                  /* restored states replayed to the end */
#define MAXSEGS  64

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static void same_mappings(const struct coh_sim *a, const struct coh_sim *b)
{
	struct coh_seg sa[MAXSEGS], sb[MAXSEGS];
	struct coh_map_view va, vb;
	uint8_t oa[4096], ob[4096];

	for (size_t i = 0;; i++) {
		int ea = coh_sim_mapping(a, i, &va, sa, MAXSEGS);

		assert_int_equal(ea, coh_sim_mapping(b, i, &vb, sb, MAXSEGS));
		if (ea < 0)
			return;
		assert_memory_equal(&va, &vb, sizeof(va));
		assert_memory_equal(sa, sb, MIN(va.nsegs, MAXSEGS) * sizeof(*sa));
		for (uint64_t off = 0; off < va.len; off += sizeof(oa)) {
			size_t n = (size_t)MIN(va.len - off, sizeof(oa));

			assert_int_equal(coh_sim_mapping_owner(a, i, off, n, oa),
					 coh_sim_mapping_owner(b, i, off, n, ob));
			assert_memory_equal(oa, ob, n);
		}
	}
}

static void same_findings(const struct coh_sim *a, const struct coh_sim *b)
{
	assert_int_equal(coh_sim_nfindings(a), coh_sim_nfindings(b));
	for (size_t i = 0; i < coh_sim_nfindings(a); i++)
		assert_memory_equal(coh_sim_finding(a, i), coh_sim_finding(b, i),
				    sizeof(struct coh_finding));
}

/* Restore each snapshot of @t's timeline on @preset; returns the mappings
 * seen live in restored states (so the caller knows some were). */
static size_t check_trace(struct trace *t, const char *preset)
{
	struct coh_timeline_opts o = { .interval = INTERVAL, .snapshot_budget = SIZE_MAX };
	struct coh_source src = trace_source(t);
	uint64_t n = trace_count(t), step = MAX(1, n / INTERVAL / ONWARD) * INTERVAL;
	struct coh_sim *ref, *end;
	struct coh_timeline *tl;
	struct coh_platform p;
	size_t live = 0;
	int err = 0;

	rt_platform(t, preset, &p);
	tl = coh_timeline_new(&p, &src, &o, &err);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, n), 0);
	end = coh_sim_new(&p, 0, &err);
	assert_non_null(end);
	rt_replay(t, end, n);
	ref = coh_sim_new(&p, 0, &err);
	assert_non_null(ref);
	for (uint64_t k = 0; k <= n; k += INTERVAL) {
		const struct coh_sim *s;
		struct coh_map_view v;

		rt_replay(t, ref, k);
		assert_int_equal(coh_timeline_seek(tl, k), 0);
		s = coh_timeline_sim(tl);
		assert_int_equal(coh_sim_pos(s), k);
		assert_int_equal(coh_sim_hash(s), coh_sim_hash(ref));
		assert_int_equal(coh_sim_state_hash(s), coh_sim_state_hash(ref));
		same_mappings(s, ref);
		for (size_t i = 0; coh_sim_mapping(s, i, &v, NULL, 0) == 0; i++)
			live++;
		if (k % step == 0) {         /* on to the end from this restore */
			struct coh_sim *c = coh_sim_clone(s);

			assert_non_null(c);
			rt_replay(t, c, n);
			assert_int_equal(coh_sim_hash(c), coh_sim_hash(end));
			same_findings(c, end);
			same_mappings(c, end);
			coh_sim_free(c);
		}
	}
	coh_sim_free(ref);
	coh_sim_free(end);
	coh_timeline_free(tl);
	return live;
}

static bool is_trace(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && (!strcmp(name + n - 4, ".dmt") || !strcmp(name + n - 4, ".csv") ||
			  !strcmp(name + n - 4, ".xml")));
}

static void every_sample(void **state)
{
	const char *presets[] = { NULL, "x86-swiotlb", "arm-noncoherent" };
	char dir[1024];
	struct dirent *de;
	size_t files = 0, live = 0;
	DIR *d;

	(void)state;
	rt_sample_path(dir, sizeof(dir), "");
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		struct trace *t;

		if (!is_trace(de->d_name))
			continue;
		t = rt_open_sample(de->d_name);
		for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
			struct coh_platform p;
			char err[256];

			if (trace_platform(t, presets[i] ? presets[i] : trace_names_platform(t) ? NULL
									   : "x86",
					   &p, err, sizeof(err)) == 0)
				live += check_trace(t, presets[i]);
		}
		trace_close(t);
		files++;
	}
	closedir(d);
	print_message("%zu samples, %zu live mappings restored\n", files, live);
	assert_true(files >= 20);
	assert_true(live > 0);
}

static void buggy_capture(void **state)
{
	char path[1024];
	struct trace *t;
	size_t live;

	(void)state;
	capture_path(path, sizeof(path), "buggy", "trace.dat");
	t = rt_open(path);
	live = check_trace(t, "arm-noncoherent");
	live += check_trace(t, "x86-swiotlb");
	trace_close(t);
	print_message("buggy: %zu live mappings restored\n", live);
	assert_true(live > 0);
}

/* A root reported inside a live Windows transfer: the reads after it are
 * listed inside it through what the mapping remembers (its noflush_root),
 * which a restored state must remember too. */
static void root_inside_transfer(void **state)
{
	const char *src = getenv("SRCDIR");
	char path[1024];
	struct coh_platform p;
	struct coh_sim *s;
	struct trace *t;
	size_t inside = 0;
	int err = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/root-inside-transfer.dmt", src ? src : ".");
	t = rt_open(path);
	rt_platform(t, NULL, &p);
	s = coh_sim_new(&p, 0, &err);
	assert_non_null(s);
	rt_replay(t, s, trace_count(t));
	for (size_t i = 0; i < coh_sim_nfindings(s); i++) {
		const struct coh_finding *f = coh_sim_finding(s, i);

		if (f->id == COH_DC001) {
			assert_true(f->parent >= 0);
			assert_int_equal(coh_sim_finding(s, (size_t)f->parent)->id, COH_DC004);
			inside++;
		}
	}
	assert_int_equal(inside, 2);          /* what the restores must give again */
	coh_sim_free(s);
	assert_true(check_trace(t, NULL) > 0);
	trace_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_sample),
		cmocka_unit_test(buggy_capture),
		cmocka_unit_test(root_inside_transfer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
