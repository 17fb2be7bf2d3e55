/* SPDX-License-Identifier: MIT */
/*
 * test_source_bytes.c - every reader's event source says how much memory its
 * events hold (struct coh_source.bytes), so a timeline's default snapshot
 * budget (a quarter of it) applies to trace.dat, .dmt and ETW files alike:
 * the figure is there, grows with the events, and a timeline over a capture
 * keeps its snapshots within the budget.
 */
#include "replay-test.h"
#include "ftrace-test.h"

#include "coh_timeline.h"

/* The source of @path reports a size of at least a few bytes per event. */
static size_t reported(const char *path)
{
	struct trace *t = rt_open(path);
	struct coh_source src = trace_source(t);
	size_t b;

	assert_non_null(src.bytes);
	b = src.bytes(src.ctx);
	assert_true(trace_count(t) > 0);
	assert_true(b >= trace_count(t) * 4);
	trace_close(t);
	return b;
}

static void every_reader(void **state)
{
	char path[1024];

	(void)state;
	rt_sample_path(path, sizeof(path), "linux-rx-nosync.bug.dmt");
	reported(path);
	rt_sample_path(path, sizeof(path), "etw-busmaster.csv");
	reported(path);
	rt_sample_path(path, sizeof(path), "etw-busmaster.xml");
	reported(path);
	capture_path(path, sizeof(path), "buggy", "trace.dat");
	reported(path);
}

/* More events, more bytes: the nic capture holds more than the buggy one. */
static void grows(void **state)
{
	char a[1024], b[1024];

	(void)state;
	capture_path(a, sizeof(a), "buggy", "trace.dat");
	capture_path(b, sizeof(b), "nic", "trace.dat");
	assert_true(reported(b) > reported(a));
}

/* Snapshots a timeline over @t keeps once at its end, with @opts. */
static size_t snapshots(struct trace *t, const struct coh_timeline_opts *opts, size_t *bytes)
{
	struct coh_source src = trace_source(t);
	struct coh_platform p;
	struct coh_timeline *tl;
	size_t n;
	int err = 0;

	rt_platform(t, "arm-noncoherent", &p);
	tl = coh_timeline_new(&p, &src, opts, &err);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, trace_count(t)), 0);
	n = coh_timeline_nsnapshots(tl);
	*bytes = coh_timeline_snapshot_bytes(tl);
	coh_timeline_free(tl);
	return n;
}

/* A timeline with the default budget (a quarter of what the trace.dat
 * source holds) keeps fewer snapshots than one with no limit, snapshots
 * asked every 256 events, within the budget or down to the two it always
 * keeps. */
static void budget_applies(void **state)
{
	struct coh_timeline_opts dflt = { .interval = 256 };
	struct coh_timeline_opts unlimited = { .interval = 256, .snapshot_budget = SIZE_MAX };
	char path[1024];
	struct trace *t;
	size_t nd, nu, bd, bu, budget;

	(void)state;
	capture_path(path, sizeof(path), "nic", "trace.dat");
	t = rt_open(path);
	assert_non_null(trace_source(t).bytes);
	budget = trace_source(t).bytes(t) / 4;
	nd = snapshots(t, &dflt, &bd);
	nu = snapshots(t, &unlimited, &bu);
	print_message("budget %zu: %zu snapshots, %zu bytes; unlimited %zu, %zu bytes\n",
		      budget, nd, bd, nu, bu);
	assert_true(nd < nu);
	assert_true(bd <= budget || nd <= 2);
	trace_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_reader),
		cmocka_unit_test(grows),
		cmocka_unit_test(budget_applies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
