/* SPDX-License-Identifier: MIT */
/*
 * bench-table.h - a row of the one table `make bench` ends with.
 *
 * Each bench prints its figures as it likes and, for the table, one line per
 * figure: "@row<TAB>figure<TAB>dmascope<TAB>compared with<TAB>ratio<TAB>target
 * <TAB>status", status "met", "MISSED", "" (no target) or "not built".
 * scripts/bench-table.sh gathers those lines from every bench's output.
 * Also: the monotonic clock they time with, the median and range of a set of timed runs, the
 * version-6 copy of a trace.dat the load and check figures are also taken on, and what one
 * bench leaves the next in the same `make bench` (BENCH_DIR, the directory bench-run keeps the
 * logs in): that copy, made once, and the timings of trace-cmd report bench_check took, which
 * bench_load compares with instead of running report again.
 */
#ifndef BENCH_TABLE_H
#define BENCH_TABLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock. */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void bench_row(const char *figure, const char *value, const char *other,
			     const char *ratio, const char *target, const char *status)
{
	printf("@row\t%s\t%s\t%s\t%s\t%s\t%s\n", figure, value ? value : "",
	       other ? other : "", ratio ? ratio : "", target ? target : "",
	       status ? status : "");
	fflush(stdout);
}

static inline const char *bench_met(int met)
{
	return met ? "met" : "MISSED";
}

struct bench_stat {
	double median, min, max;
};

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median, least and greatest of @v[0..n) (sorts @v). */
static inline struct bench_stat bench_stats(double *v, size_t n)
{
	struct bench_stat s = { 0, 0, 0 };

	if (!n)
		return s;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

/* A version-6 uncompressed copy of @src at @dst, made by trace-cmd itself. */
static inline int bench_make_v6(const char *src, const char *dst)
{
	char cmd[16384];

	snprintf(cmd, sizeof(cmd), "trace-cmd convert --file-version 6 --compression none "
		 "-i '%s' -o '%s' > /dev/null 2>&1", src, dst);
	return system(cmd) == 0 ? 0 : -1;
}

/* A version-6 copy of a trace.dat and where it lives. */
struct bench_v6 {
	char path[4200];
	char dir[32];                /* a directory of its own, removed after; "" when shared */
};

/*
 * The version-6 copy of @src: in make bench (@shared and BENCH_DIR set) the one in BENCH_DIR,
 * made there by the first bench that asks and kept for the next; else one made in a directory
 * of its own.  Return: 0, or -1 when trace-cmd convert failed; release with bench_v6_done().
 */
static inline int bench_v6_get(struct bench_v6 *v, const char *src, int shared)
{
	const char *d = getenv("BENCH_DIR");
	char tmp[4300];

	v->dir[0] = '\0';
	if (shared && d && *d) {
		snprintf(v->path, sizeof(v->path), "%s/big-v6.dat", d);
		if (access(v->path, R_OK) == 0)
			return 0;
		snprintf(tmp, sizeof(tmp), "%s.part", v->path);
		if (bench_make_v6(src, tmp) == 0 && rename(tmp, v->path) == 0)
			return 0;
		unlink(tmp);
		return -1;
	}
	snprintf(v->dir, sizeof(v->dir), "/tmp/dmascope-bench-XXXXXX");
	if (!mkdtemp(v->dir)) {
		v->dir[0] = '\0';
		return -1;
	}
	snprintf(v->path, sizeof(v->path), "%s/big-v6.dat", v->dir);
	return bench_make_v6(src, v->path);
}

/* Remove @v's copy when it is not the shared one. */
static inline void bench_v6_done(struct bench_v6 *v)
{
	if (!v->dir[0])
		return;
	unlink(v->path);
	rmdir(v->dir);
}

/* $BENCH_DIR/report-times, opened with @mode, or NULL (no BENCH_DIR). */
static inline FILE *bench_report_times(const char *mode)
{
	const char *d = getenv("BENCH_DIR");
	char path[4200];

	if (!d || !*d)
		return NULL;
	snprintf(path, sizeof(path), "%s/report-times", d);
	return fopen(path, mode);
}

/*
 * Keep @n timings of `trace-cmd report @file` for a later bench of the same make bench:
 * lines "report<TAB>FILE<TAB>SECONDS" in $BENCH_DIR/report-times, FILE as realpath() gives it.
 */
static inline void bench_report_save(const char *file, const double *secs, int n)
{
	char real[4096];
	FILE *f;

	if (!realpath(file, real) || !(f = bench_report_times("a")))
		return;
	for (int i = 0; i < n; i++)
		fprintf(f, "report\t%s\t%.6f\n", real, secs[i]);
	fclose(f);
}

/* The timings of `trace-cmd report @file` kept in this make bench, at most @max into @secs.
 * Return: how many (0: none kept, or no BENCH_DIR). */
static inline int bench_report_load(const char *file, double *secs, int max)
{
	char real[4096], line[4200], *t;
	int n = 0;
	FILE *f;

	if (!realpath(file, real) || !(f = bench_report_times("r")))
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "report\t", 7) != 0 || !(t = strrchr(line, '\t')) || t < line + 7)
			continue;
		*t = '\0';
		if (strcmp(line + 7, real) == 0)
			secs[n++] = strtod(t + 1, NULL);
	}
	fclose(f);
	return n;
}

#endif
