/* SPDX-License-Identifier: MIT */
/*
 * bench-table.h - a row of the one table `make bench` ends with.
 *
 * Each bench prints its figures as it likes and, for the table, one line per
 * figure: "@row<TAB>figure<TAB>dmascope<TAB>compared with<TAB>ratio<TAB>target
 * <TAB>status", status "met", "MISSED", "" (no target) or "not built".
 * scripts/bench-table.sh gathers those lines from every bench's output.
 * Also: the monotonic clock they time with, the median and range of a set of timed runs, and the version-6 copy
 * of a trace.dat the load and check figures are also taken on.
 */
#ifndef BENCH_TABLE_H
#define BENCH_TABLE_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

#endif
