/* SPDX-License-Identifier: MIT */
/*
 * trace_line.c - an event as the file's own tools show it, and where it is
 * in a text file, for reports that point the reader at the trace.
 */
#include <stdio.h>
#include <sys/types.h>

#include "dmt/dmt-local.h"
#include "ftrace/ftrace-local.h"
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

/* Newlines in [from, to) of @f, or -1 when the file ends first. */
static int64_t newlines(FILE *f, uint64_t from, uint64_t to)
{
	int64_t n = 0;
	int c;

	if (fseeko(f, (off_t)from, SEEK_SET) < 0)
		return -1;
	for (uint64_t at = from; at < to; at++) {
		if ((c = getc(f)) == EOF)
			return -1;
		n += c == '\n';
	}
	return n;
}

uint64_t trace_lineno(struct trace *t, uint64_t src)
{
	struct dmt *d = t->priv;
	int64_t i = t->ops->format == TRACE_FMT_DMT && d ? dmt_index(t, src) : -1;
	uint64_t off, cur = 0, line = 1;
	int64_t n;

	if (i < 0 || (uint64_t)i >= d->nfile || !d->f)
		return 0;
	off = d->off[i];
	if (d->lineno_line) {         /* count from the last answer, either way */
		cur = d->lineno_off;
		line = d->lineno_line;
	}
	n = off >= cur ? newlines(d->f, cur, off) : newlines(d->f, off, cur);
	if (n < 0)
		return 0;
	line = off >= cur ? line + (uint64_t)n : line - (uint64_t)n;
	d->lineno_off = off;
	d->lineno_line = line;
	return line;
}
