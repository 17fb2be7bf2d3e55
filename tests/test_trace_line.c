/* SPDX-License-Identifier: MIT */
/*
 * test_trace_line.c - trace_line() shows every event of a real capture
 * exactly as `trace-cmd report` prints it (the report kept beside the
 * capture), so a user can search a report's line in trace-cmd's output;
 * trace_lineno() names the line of a .dmt event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ftrace-test.h"
#include "report.h"
#include "trace.h"

/* report_ts() of every engine event is the time trace-cmd prints on its line. */
static void same_ts(struct trace *t)
{
	char line[8192], ts[40], sec[24];
	struct coh_event ev;
	size_t checked = 0;

	for (uint64_t i = 0; i < trace_count(t); i++) {
		assert_int_equal(trace_get(t, i, &ev), 0);
		if (ev.src == COH_SRC_NONE)
			continue;
		assert_true(trace_line(t, ev.src, line, sizeof(line)) > 0);
		snprintf(ts, sizeof(ts), "] %12s: ", report_ts(sec, sizeof(sec), ev.ts));
		if (!strstr(line, ts))
			fail_msg("event %llu: '%s' not in '%s'", (unsigned long long)ev.src, ts, line);
		checked++;
	}
	assert_true(checked > 0);
}

/* Every event of @cap against its report.txt.xz, line by line. */
static void same_as_report(const char *cap)
{
	char dir[64], src[4096], dst[4200], path[4096], err[256], line[8192];
	struct trace *t = NULL;
	char *text, *save = NULL, *l;
	uint64_t i = 0;

	assert_int_equal(tmpdir_make(dir, sizeof(dir)), 0);
	capture_path(src, sizeof(src), cap, "report.txt.xz");
	snprintf(dst, sizeof(dst), "%s/report.txt", dir);
	assert_int_equal(need_file(src), 0);
	assert_int_equal(unxz(src, dst), 0);
	text = slurp(dst, NULL);
	assert_non_null(text);
	capture_path(path, sizeof(path), cap, "trace.dat");
	assert_int_equal(trace_open(path, NULL, &t, err, sizeof(err)), 0);
	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "cpus=", 5) == 0)
			continue;
		assert_true(trace_line(t, i, line, sizeof(line)) > 0);
		if (strcmp(line, l) != 0)
			fail_msg("%s event %llu:\n  got  '%s'\n  want '%s'", cap,
				 (unsigned long long)i, line, l);
		i++;
	}
	assert_int_equal(i, trace_stats(t)->events);
	assert_int_equal(trace_line(t, i, line, sizeof(line)), -1);
	same_ts(t);
	trace_close(t);
	free(text);
	tmpdir_remove(dir);
}

static void buggy_lines(void **state)
{
	(void)state;
	same_as_report("buggy");
}

static void nic_lines(void **state)
{
	(void)state;
	if (sanitized())
		skip();
	same_as_report("nic");
}

static void dmt_lineno(void **state)
{
	char dir[64], path[128], err[256], line[256];
	static const char text[] =
		"dmascope-trace 1\nplatform arm-noncoherent\ndevice eth0\n\n# a comment\n"
		"cpu_write addr=0x80000 len=64\n\n"
		"dma_map dev=eth0 addr=0x80000 bus=0x80000 len=64 dir=TO_DEVICE\n";
	struct trace *t = NULL;

	(void)state;
	assert_int_equal(tmpdir_make(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/x.dmt", dir);
	assert_int_equal(spit(path, text, sizeof(text) - 1), 0);
	assert_int_equal(trace_open(path, NULL, &t, err, sizeof(err)), 0);
	assert_int_equal(trace_lineno(t, 0), 6);
	assert_int_equal(trace_lineno(t, 1), 8);
	assert_int_equal(trace_lineno(t, 1), 8);   /* again, from the cursor */
	assert_int_equal(trace_lineno(t, 0), 6);   /* backwards from the cursor */
	assert_int_equal(trace_lineno(t, 1), 8);
	assert_int_equal(trace_lineno(t, 7), 0);
	assert_true(trace_line(t, 1, line, sizeof(line)) > 0);
	assert_string_equal(line, "dma_map dev=eth0 addr=0x80000 bus=0x80000 len=64 dir=TO_DEVICE");
	trace_close(t);
	tmpdir_remove(dir);
}

/* Thousands of events, past several read chunks, with blank and comment
 * lines here and there: each event's line is the one counted in the text. */
static void dmt_lineno_many(void **state)
{
	char dir[64], path[128], err[256];
	size_t cap = 1 << 20, len = 0, nev = 0;
	char *text = malloc(cap);
	uint64_t *want = malloc(4000 * sizeof(*want)), line = 4;
	struct trace *t = NULL;

	(void)state;
	assert_non_null(text);
	assert_non_null(want);
	len += (size_t)snprintf(text, cap, "dmascope-trace 1\nplatform arm-noncoherent\n"
				"device eth0\n");
	for (unsigned i = 0; i < 4000; i++) {
		if (i % 97 == 5 || i % 1000 == 999) {
			len += (size_t)snprintf(text + len, cap - len, i % 2 ? "\n" :
						"# comment %u\n", i);
			line++;
			continue;
		}
		want[nev++] = line++;
		len += (size_t)snprintf(text + len, cap - len,
					"cpu_write addr=0x%x len=%u\n", 0x80000 + 64 * i, 1 + i % 64);
	}
	assert_int_equal(tmpdir_make(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/many.dmt", dir);
	assert_int_equal(spit(path, text, len), 0);
	assert_int_equal(trace_open(path, NULL, &t, err, sizeof(err)), 0);
	for (size_t k = nev; k-- > 0;)           /* from the end first */
		assert_int_equal(trace_lineno(t, k), want[k]);
	for (size_t k = 0; k < nev; k += 7)
		assert_int_equal(trace_lineno(t, k), want[k]);
	assert_int_equal(trace_lineno(t, nev + 5), 0);
	trace_close(t);
	tmpdir_remove(dir);
	free(text);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buggy_lines),
		cmocka_unit_test(nic_lines),
		cmocka_unit_test(dmt_lineno),
		cmocka_unit_test(dmt_lineno_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
