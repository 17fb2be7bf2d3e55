/* SPDX-License-Identifier: MIT */
/*
 * trace_line.c - an event as the file's own tools show it, and where it is
 * in a text file, for reports that point the reader at the trace.
 */
#include <stdio.h>
#include <sys/types.h>

#include "dmt-local.h"
#include "ftrace-local.h"
#include "trace-local.h"

int trace_line(struct trace *t, uint64_t src, char *buf, size_t n)
{
	if (t->ops->format == TRACE_FMT_FTRACE)
		return t->priv ? fx_line(t, t->priv, src, buf, n) : -1;
	return trace_detail(t, src, buf, n);
}

/* The engine index of file event @src of a .dmt file, or -1. */
static int64_t dmt_index(struct trace *t, uint64_t src)
{
	uint64_t i = trace_find_src(t, src);
	struct coh_event ev;

	if (i >= trace_count(t) || trace_get(t, i, &ev) < 0 || ev.src != src)
		return -1;
	return (int64_t)i;
}

uint64_t trace_lineno(struct trace *t, uint64_t src)
{
	const struct dmt *d = t->priv;
	int64_t i = t->ops->format == TRACE_FMT_DMT && d ? dmt_index(t, src) : -1;
	uint64_t line = 1, at = 0;
	int c;

	if (i < 0 || (uint64_t)i >= d->nfile || !d->f || fseeko(d->f, 0, SEEK_SET) < 0)
		return 0;
	while (at < d->off[i] && (c = getc(d->f)) != EOF) {
		line += c == '\n';
		at++;
	}
	return at == d->off[i] ? line : 0;
}
