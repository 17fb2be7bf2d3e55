/* SPDX-License-Identifier: MIT */
/*
 * bench_load.c - how fast the trace.dat reader loads big/trace.dat, and how
 * much memory it keeps per event.
 *
 * For the capture as recorded (version 7, zstd) and a version-6 copy made
 * with `trace-cmd convert`, it times, back to back on the same machine:
 *   - `trace-cmd report FILE > /dev/null` (once: it takes seconds),
 *   - a bare tracecmd_open + tracecmd_iterate_events loop that only counts,
 *   - trace_open() of the file (best of BENCH_RUNS, default 3, for both),
 * and prints the ratios the reader is meant to meet (report / load >= 10,
 * bare / load >= 1) with the bytes per file event the loaded trace holds in
 * its own allocations.  It prints; it does not fail on slow figures.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "bench-quick.h"
#include "ftrace/ftrace-local.h"
#include "trace.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
	double t0 = now();
	struct tracecmd_input *h = tracecmd_open(path, 0);

	*n = 0;
	if (!h)
		return -1;
	tracecmd_iterate_events(h, NULL, 0, count_cb, n);
	tracecmd_close(h);
	return now() - t0;
}

static double run_report(const char *path)
{
	char cmd[4096];
	double t0 = now();

	snprintf(cmd, sizeof(cmd), "trace-cmd report '%s' > /dev/null 2>&1", path);
	if (system(cmd) != 0)
		return -1;
	return now() - t0;
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
	double t0 = now();

	if (trace_open(path, NULL, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_load: %s\n", err);
		return -1;
	}
	out->secs = now() - t0;
	out->heap = (long long)heap_now() - (long long)before;
	out->events = trace_stats(t)->events;
	out->engine = trace_count(t);
	out->bytes = ftrace_bytes(t);
	trace_close(t);
	return 0;
}

static int bench_file(const char *label, const char *path, int runs)
{
	double rep, bare = 1e9, best = 1e9;
	unsigned long long n = 0;
	struct loaded l = { 0 }, one;

	rep = run_report(path);
	for (int i = 0; i < runs; i++) {
		double b = bare_iterate(path, &n);

		if (b >= 0 && b < bare)
			bare = b;
		if (load_once(path, &one) < 0)
			return -1;
		if (one.secs < best) {
			best = one.secs;
			l = one;
		}
	}
	printf("%s: %s\n", label, path);
	printf("  trace-cmd report      %8.3f s\n", rep);
	printf("  bare iterate loop     %8.3f s  (%llu records)\n", bare, n);
	printf("  dmascope load         %8.3f s  (%llu events, %llu engine events)\n", best,
	       (unsigned long long)l.events, (unsigned long long)l.engine);
	printf("  report / load         %8.1f x  (target >= 10)\n", rep > 0 ? rep / best : 0);
	printf("  bare loop / load      %8.2f x  (target >= 1)\n", bare / best);
	printf("  memory held           %8.1f bytes/event own allocations (target <= 48), "
	       "%.1f bytes/event heap\n", (double)l.bytes / (double)(l.events ? l.events : 1),
	       (double)l.heap / (double)(l.events ? l.events : 1));
	return 0;
}

/* A version-6 uncompressed copy of @src in @dir, made by trace-cmd itself. */
static int make_v6(const char *src, const char *dst)
{
	char cmd[16384];

	snprintf(cmd, sizeof(cmd), "trace-cmd convert --file-version 6 --compression none "
		 "-i '%s' -o '%s' > /dev/null 2>&1", src, dst);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const char *trace = getenv("BENCH_TRACE");
	const char *runs_env = getenv("BENCH_RUNS");
	int runs = runs_env ? atoi(runs_env) : 3;
	char big[4096], dir[] = "/tmp/dmascope-bench-XXXXXX", v6[4200];
	struct stat sb;
	int ret = 0;

	snprintf(big, sizeof(big), "%s", trace && *trace ? trace : "tests/data/captures/big/trace.dat");
	if (stat(big, &sb) < 0) {
		printf("bench_load: %s: not found; give a trace.dat with BENCH_TRACE=FILE\n", big);
		return 1;
	}
	if (bench_quick()) {
		printf("bench_load: skipped (QUICK): it times trace-cmd report on big/trace.dat\n");
		return 0;
	}
	if (runs < 1)
		runs = 1;
	if (bench_file("version 7 (zstd, as recorded)", big, runs) < 0)
		ret = 1;
	if (!mkdtemp(dir))
		return 1;
	snprintf(v6, sizeof(v6), "%s/big-v6.dat", dir);
	if (make_v6(big, v6) < 0)
		printf("bench_load: trace-cmd convert failed: no version-6 figures\n");
	else if (bench_file("version 6 (uncompressed, trace-cmd convert)", v6, runs) < 0)
		ret = 1;
	unlink(v6);
	rmdir(dir);
	return ret;
}
