/* SPDX-License-Identifier: MIT */
/*
 * test_session_groups.c - the findings pane groups a session's findings as
 * `dmascope check`'s text report does: for every sample and the buggy
 * capture, the groups of session_report_ctx() (the pane's) equal those of
 * report_ctx_build() over check's own replay with check's trace callbacks
 * (same groups, same members, same order; without the trace's events the
 * calls omitted, and so the groups, differ on the buggy capture).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"
#include "session-test.h"
#include "ftrace-test.h"

/* check's callbacks (cmd_check.c): the trace itself behind them. */
static int ref_event(void *ctx, uint64_t seq, struct coh_event *ev)
{
	return trace_get(ctx, seq, ev) < 0 ? -1 : 0;
}

static uint64_t ref_src(void *ctx, uint64_t seq)
{
	struct coh_event ev;

	return trace_get(ctx, seq, &ev) < 0 ? COH_SRC_NONE : ev.src;
}

/* Each group as "code@src xmembers call;", in the report's order. */
static void keys(const struct report_file *rf, const struct report_ctx *c, char *out, size_t n)
{
	size_t len = 0;

	out[0] = 0;
	for (size_t i = 0; i < rf->nfindings && len < n; i++)
		if (c->group[i] == (long)i)
			len += (size_t)snprintf(out + len, n - len, "%s@%llu x%zu %s; ",
						coh_fid_code(rf->findings[i]->id),
						(unsigned long long)report_finding_src(rf, rf->findings[i]),
						c->members[i], c->notes[i].call ? c->notes[i].call : "-");
}

/* The groups check's text report prints for @path. */
static void check_keys(const char *path, char *out, size_t n)
{
	struct trace *t = rt_open(path);
	struct coh_sim *ref = st_reference(t, NULL, UINT64_MAX);
	size_t nf = coh_sim_nfindings(ref);
	const struct coh_finding **fs = calloc(nf ? nf : 1, sizeof(*fs));
	struct coh_platform p;
	struct report_file rf = { .path = path, .plat = &p, .nfindings = nf, .findings = fs,
				  .src_of = ref_src, .src_ctx = t, .event = ref_event };
	struct report_ctx c;
	char err[256];

	assert_non_null(fs);
	assert_int_equal(trace_platform(t, NULL, &p, err, sizeof(err)), 0);
	for (size_t i = 0; i < nf; i++)
		fs[i] = coh_sim_finding(ref, i);
	assert_int_equal(report_ctx_build(&rf, &c), 0);
	keys(&rf, &c, out, n);
	report_ctx_free(&c);
	free(fs);
	coh_sim_free(ref);
	trace_close(t);
}

/* The groups the session's pane lists for @path. */
static void pane_keys(const char *path, char *out, size_t n)
{
	struct session *s = st_open(path, NULL, SESSION_SYNC);
	size_t nf = session_nfindings(s);
	const struct coh_finding **fs = calloc(nf ? nf : 1, sizeof(*fs));
	struct report_file rf = { .nfindings = nf, .findings = fs };
	struct report_ctx c;

	assert_non_null(fs);
	for (size_t i = 0; i < nf; i++)
		fs[i] = session_finding(s, i);
	assert_int_equal(session_report_ctx(s, &rf, &c), 0);
	keys(&rf, &c, out, n);
	report_ctx_free(&c);
	free(fs);
	session_close(s);
}

static void same_groups(const char *path)
{
	static char a[1 << 16], b[1 << 16];

	check_keys(path, a, sizeof(a));
	pane_keys(path, b, sizeof(b));
	assert_string_equal(a, b);
}

static void every_sample(void **state)
{
	char **names = rt_sample_names(), path[1024];

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		rt_sample_path(path, sizeof(path), names[i]);
		same_groups(path);
	}
	rt_free_names(names);
}

static void buggy_capture(void **state)
{
	char path[1024];

	(void)state;
	capture_path(path, sizeof(path), "buggy", "trace.dat");
	if (need_file(path) < 0)
		fail();
	same_groups(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_sample),
		cmocka_unit_test(buggy_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
