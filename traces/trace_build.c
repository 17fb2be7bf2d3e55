/* SPDX-License-Identifier: MIT */
/*
 * trace_build.c - what a reader calls while it loads a trace: the device
 * table, warnings, statistics counters, progress and the text of a load
 * error.  The bottom of traces/: it calls nothing above it, so the readers
 * (dmt/, ftrace/, etw/) and the dispatch (trace.c) that calls them both
 * rest on it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace-local.h"

void trace_errf(char *err, size_t n, const struct trace *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (!err || !n)
		return;
	k = snprintf(err, n, "%s: ", t && t->path ? t->path : "?");
	if (k < 0 || (size_t)k >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(err + k, n - (size_t)k, fmt, ap);
	va_end(ap);
}

int trace_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void trace_progress(struct trace *t, uint64_t done, uint64_t total)
{
	if (t->opts.progress)
		t->opts.progress(t->opts.progress_ctx, done, total);
}

static void free_counts(struct trace_count *c, size_t nc)
{
	for (size_t i = 0; i < nc; i++) {
		free((char *)c[i].name);
		free((char *)c[i].sub);
	}
	free(c);
}

unsigned trace_ndevs(const struct trace *t)
{
	return t->ndevs;
}

const char *trace_dev_name(const struct trace *t, unsigned i)
{
	return i < t->ndevs ? t->devs[i] : NULL;
}

int trace_add_dev(struct trace *t, const char *name)
{
	char **devs;

	/* names are kept to COH_NAME_MAX - 1 bytes: compare what is kept */
	for (unsigned i = 0; i < t->ndevs; i++)
		if (strncmp(t->devs[i], name, COH_NAME_MAX - 1) == 0)
			return (int)i;
	if (t->ndevs >= COH_MAX_DEVS)
		return -1;
	devs = realloc(t->devs, (t->ndevs + 1) * sizeof(*devs));
	if (!devs)
		return -1;
	t->devs = devs;
	devs[t->ndevs] = strndup(name, COH_NAME_MAX - 1);
	if (!devs[t->ndevs])
		return -1;
	return (int)t->ndevs++;
}

/* Keep warning @buf about device @dev (-1: none), once. */
static void add_warning(struct trace *t, int dev, const char *buf)
{
	for (size_t i = 0; i < t->nwarnings; i++)
		if (strcmp(t->warnings[i], buf) == 0)
			return;
	if (t->nwarnings == t->capwarnings) {
		size_t cap = t->capwarnings ? 2 * t->capwarnings : 8;
		char **w = realloc(t->warnings, cap * sizeof(*w));
		int *d = w ? realloc(t->warndev, cap * sizeof(*d)) : NULL;

		if (w)
			t->warnings = w;
		if (!d)
			return;
		t->warndev = d;
		t->capwarnings = cap;
	}
	t->warnings[t->nwarnings] = strdup(buf);
	t->warndev[t->nwarnings] = dev;
	if (t->warnings[t->nwarnings])
		t->nwarnings++;
}

void trace_warn(struct trace *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add_warning(t, -1, buf);
}

void trace_warn_dev(struct trace *t, unsigned dev, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add_warning(t, (int)dev, buf);
}

static int count_add(struct trace_count **arr, size_t *na, const char *name, const char *sub,
		     uint64_t n)
{
	struct trace_count *c;

	for (size_t i = 0; i < *na; i++) {
		c = &(*arr)[i];
		if (strcmp(c->name, name) == 0 &&
		    ((!sub && !c->sub) || (sub && c->sub && strcmp(sub, c->sub) == 0))) {
			c->n += n;
			return 0;
		}
	}
	c = realloc(*arr, (*na + 1) * sizeof(*c));
	if (!c)
		return -1;
	*arr = c;
	c = &c[*na];
	c->name = strdup(name);
	c->sub = sub ? strdup(sub) : NULL;
	c->n = n;
	if (!c->name || (sub && !c->sub)) {
		free((char *)c->name);
		free((char *)c->sub);
		return -1;
	}
	(*na)++;
	return 0;
}

int trace_stats_kind(struct trace *t, const char *kind, uint64_t n)
{
	return count_add(&t->stats.kinds, &t->stats.nkinds, kind, NULL, n);
}

int trace_stats_dev(struct trace *t, const char *dev, uint64_t n)
{
	return count_add(&t->stats.devs, &t->stats.ndevs, dev, NULL, n);
}

int trace_stats_devkind(struct trace *t, const char *dev, const char *kind, uint64_t n)
{
	return count_add(&t->stats.devkinds, &t->stats.ndevkinds, dev, kind, n);
}

int trace_stats_cpu(struct trace *t, unsigned cpu, uint64_t n)
{
	if (cpu >= t->stats.ncpus) {
		uint64_t *c = realloc(t->stats.cpus, (cpu + 1) * sizeof(*c));

		if (!c)
			return -1;
		memset(c + t->stats.ncpus, 0, (cpu + 1 - t->stats.ncpus) * sizeof(*c));
		t->stats.cpus = c;
		t->stats.ncpus = cpu + 1;
	}
	t->stats.cpus[cpu] += n;
	return 0;
}

void trace_build_free(struct trace *t)
{
	for (unsigned i = 0; i < t->ndevs; i++)
		free(t->devs[i]);
	free(t->devs);
	for (size_t i = 0; i < t->nwarnings; i++)
		free(t->warnings[i]);
	free(t->warnings);
	free(t->warndev);
	free_counts(t->stats.kinds, t->stats.nkinds);
	free_counts(t->stats.devs, t->stats.ndevs);
	free_counts(t->stats.devkinds, t->stats.ndevkinds);
	free(t->stats.cpus);
}

FILE *trace_fopen(const struct trace *t, uint64_t *size, char *err, size_t n)
{
	FILE *f = fopen(t->file, "rb");
	struct stat sb;

	if (!f) {
		trace_errf(err, n, t, "%s", strerror(errno));
		return NULL;
	}
	*size = fstat(fileno(f), &sb) == 0 ? (uint64_t)sb.st_size : 0;
	return f;
}
