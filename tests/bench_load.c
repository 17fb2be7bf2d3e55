/* SPDX-License-Identifier: MIT */
/*
 * bench_load.c - how fast the trace.dat reader loads big/trace.dat, and how
 * much memory it keeps per event.
 *
 * For the capture as recorded (version 7, zstd) and a version-6 copy made
 * with `trace-cmd convert`, it times, back to back on the same machine:
 *   - `trace-cmd report FILE > /dev/null`,
 *   - a bare tracecmd_open + tracecmd_iterate_events loop that only counts,
 *   - trace_open() of the file,
 * alternated, BENCH_RUNS rounds (default 5; medians and ranges), and prints the ratios the reader is meant to meet (report / load >= 10,
 * bare / load >= 1) with the bytes per file event the loaded trace holds in
 * its own allocations, and the rows of `make bench`'s table (bench-table.h).
 * In make bench, bench_check has already timed trace-cmd report on both
 * files, in its own rounds: those timings are used (bench_report_load()) and
 * report is not run again; run alone, it runs report in its rounds as above.
 * The capture: BENCH_TRACE, else $CAPTURES/big/trace.dat.
 * It prints; it does not fail on slow figures.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_MAX_RUNS 32

#include <trace-cmd.h>

#include "bench-quick.h"
#include "bench-table.h"
#include "ftrace/ftrace-local.h"
#include "trace.h"

static int count_cb(struct tracecmd_input *h, struct tep_record *r, int cpu, void *ctx)
{
	(void)h;
	(void)r;
	(void)cpu;
	(*(unsigned long long *)ctx)++;
	return 0;
}

/* The bare library loop: open the file and visit every record in time order. */
static double bare_iterate(const char *path, unsigned long long *n)
{
	double t0 = bench_now();
	struct tracecmd_input *h = tracecmd_open(path, 0);

	*n = 0;
	if (!h)
		return -1;
	tracecmd_iterate_events(h, NULL, 0, count_cb, n);
	tracecmd_close(h);
	return bench_now() - t0;
}

static double run_report(const char *path)
{
	char cmd[4096];
	double t0 = bench_now();

	snprintf(cmd, sizeof(cmd), "trace-cmd report '%s' > /dev/null 2>&1", path);
	if (system(cmd) != 0)
		return -1;
	return bench_now() - t0;
}

struct loaded {
	double secs;
	uint64_t events;
	uint64_t engine;
	uint64_t bytes;              /* ftrace_bytes() */
	long long heap;              /* malloc'd bytes held after the load (mallinfo2) */
};

static size_t heap_now(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static int load_once(const char *path, struct loaded *out)
{
	struct trace *t;
	char err[512];
	size_t before = heap_now();
	double t0 = bench_now();

	if (trace_open(path, NULL, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_load: %s\n", err);
		return -1;
	}
	out->secs = bench_now() - t0;
	out->heap = (long long)heap_now() - (long long)before;
	out->events = trace_stats(t)->events;
	out->engine = trace_count(t);
	out->bytes = ftrace_bytes(t);
	trace_close(t);
	return 0;
}

static int bench_file(const char *label, const char *path, int runs)
{
	double rep[BENCH_MAX_RUNS], bare[BENCH_MAX_RUNS], load[BENCH_MAX_RUNS];
	int nrep = bench_report_load(path, rep, BENCH_MAX_RUNS);
	struct bench_stat sr, sbare, sl;
	unsigned long long n = 0;
	struct loaded l = { 0 };
	struct stat sb;
	char fig[160], val[96], oth[96], ratio[64];
	double mb;

	nrep = nrep >= runs ? nrep : 0;          /* too few kept: time report here */
	for (int i = 0; i < runs; i++) {
		if (!nrep && (rep[i] = run_report(path)) < 0)
			return -1;
		bare[i] = bare_iterate(path, &n);
		if (bare[i] < 0 || load_once(path, &l) < 0)
			return -1;
		load[i] = l.secs;
	}
	sr = bench_stats(rep, (size_t)(nrep ? nrep : runs));
	sbare = bench_stats(bare, (size_t)runs);
	sl = bench_stats(load, (size_t)runs);
	mb = stat(path, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
	printf("%s: %s (median of %d alternated runs, min-max)\n", label, path, runs);
	printf("  trace-cmd report      %8.3f s  (%.3f-%.3f%s)\n", sr.median, sr.min, sr.max,
	       nrep ? ", bench_check's rounds of this make bench" : "");
	printf("  bare iterate loop     %8.3f s  (%.3f-%.3f, %llu records)\n", sbare.median,
	       sbare.min, sbare.max, n);
	printf("  dmascope load         %8.3f s  (%.3f-%.3f, %llu events, %llu engine events)\n",
	       sl.median, sl.min, sl.max, (unsigned long long)l.events,
	       (unsigned long long)l.engine);
	printf("  report / load         %8.1f x  (target >= 10)\n", sr.median / sl.median);
	printf("  bare loop / load      %8.2f x  (target >= 1)\n", sbare.median / sl.median);
	printf("  memory held           %8.1f bytes/event own allocations (target <= 48), "
	       "%.1f bytes/event heap\n", (double)l.bytes / (double)(l.events ? l.events : 1),
	       (double)l.heap / (double)(l.events ? l.events : 1));
	snprintf(fig, sizeof(fig), "load %s, against trace-cmd report", label);
	snprintf(val, sizeof(val), "%.3f s (%.3f-%.3f)", sl.median, sl.min, sl.max);
	snprintf(oth, sizeof(oth), "%.3f s (%.3f-%.3f)", sr.median, sr.min, sr.max);
	snprintf(ratio, sizeof(ratio), "%.1fx faster", sr.median / sl.median);
	bench_row(fig, val, oth, ratio, ">= 10x", bench_met(sr.median / sl.median >= 10));
	snprintf(fig, sizeof(fig), "load %s, against a bare tracecmd_iterate_events loop", label);
	snprintf(oth, sizeof(oth), "%.3f s (%.3f-%.3f)", sbare.median, sbare.min, sbare.max);
	snprintf(ratio, sizeof(ratio), "%.2fx", sbare.median / sl.median);
	bench_row(fig, val, oth, ratio, ">= 1x", bench_met(sbare.median / sl.median >= 1));
	snprintf(fig, sizeof(fig), "load %s (events/s, MB/s)", label);
	snprintf(val, sizeof(val), "%.2f M, %.0f MB/s", (double)l.events / sl.median / 1e6,
		 mb / sl.median);
	snprintf(oth, sizeof(oth), "%.2f M, %.0f MB/s", (double)l.events / sr.median / 1e6,
		 mb / sr.median);
	bench_row(fig, val, oth, NULL, NULL, NULL);
	snprintf(fig, sizeof(fig), "load %s (bytes per event held)", label);
	snprintf(val, sizeof(val), "%.1f", (double)l.bytes / (double)(l.events ? l.events : 1));
	bench_row(fig, val, NULL, NULL, "<= 48", bench_met((double)l.bytes <= 48.0 *
							   (double)(l.events ? l.events : 1)));
	return 0;
}

int main(void)
{
	const char *trace = getenv("BENCH_TRACE"), *captures = getenv("CAPTURES");
	const char *runs_env = getenv("BENCH_RUNS");
	int runs = runs_env ? atoi(runs_env) : 5, other = trace && *trace;
	char big[4096];
	struct bench_v6 v6;
	struct stat sb;
	int ret = 0;

	if (other)
		snprintf(big, sizeof(big), "%s", trace);
	else
		snprintf(big, sizeof(big), "%s/big/trace.dat",
			 captures && *captures ? captures : "tests/data/captures");
	if (stat(big, &sb) < 0) {
		printf("bench_load: %s: not found; give a trace.dat with BENCH_TRACE=FILE\n", big);
		return 1;
	}
	if (bench_quick()) {
		printf("bench_load: skipped (QUICK): it times trace-cmd report on big/trace.dat\n");
		bench_row("load big", "skipped (QUICK)", NULL, NULL, NULL, NULL);
		return 0;
	}
	runs = runs < 1 ? 1 : runs > BENCH_MAX_RUNS ? BENCH_MAX_RUNS : runs;
	if (bench_file("version 7 (zstd, as recorded)", big, runs) < 0)
		ret = 1;
	if (bench_v6_get(&v6, big, !other) < 0)
		printf("bench_load: trace-cmd convert failed: no version-6 figures\n");
	else if (bench_file("version 6 (uncompressed, trace-cmd convert)", v6.path, runs) < 0)
		ret = 1;
	bench_v6_done(&v6);
	return ret;
}
