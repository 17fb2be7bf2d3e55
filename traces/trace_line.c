/* SPDX-License-Identifier: MIT */
/*
 * trace_line.c - an event as the file's own tools show it, and where it is
 * in a text file, for reports that point the reader at the trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int trace_line_brief(struct trace *t, uint64_t src, char *buf, size_t n)
{
	return t->ops->brief ? t->ops->brief(t, src, buf, n) : trace_line(t, src, buf, n);
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

#define LINE_CHUNK (1u << 16)   /* bytes read at a time while counting lines */

static int push_run(struct dmt *d, uint64_t at, uint64_t add)
{
	if (d->nline_runs == d->capline) {
		uint64_t cap = d->capline ? 2 * d->capline : 16;
		uint64_t *a = realloc(d->line_at, cap * sizeof(*a));

		if (!a)
			return -1;
		d->line_at = a;
		a = realloc(d->line_add, cap * sizeof(*a));
		if (!a)
			return -1;
		d->line_add = a;
		d->capline = cap;
	}
	d->line_at[d->nline_runs] = at;
	d->line_add[d->nline_runs++] = add;
	return 0;
}

/* A file read forwards a chunk at a time, counting its newlines. */
struct line_cursor {
	FILE *f;
	char buf[LINE_CHUNK];
	uint64_t pos;                /* file offset of buf[0] */
	size_t len;                  /* bytes in buf */
	uint64_t at;                 /* counted up to this offset */
	uint64_t line;               /* 1 + the newlines before @at */
};

/* Count up to offset @to.  Return: 0, or -1 when the file ends first. */
static int count_to(struct line_cursor *c, uint64_t to)
{
	while (c->at < to) {
		const char *p, *end;

		if (c->at == c->pos + c->len) {
			c->pos = c->at;
			c->len = fread(c->buf, 1, sizeof(c->buf), c->f);
			if (!c->len)
				return -1;
		}
		p = c->buf + (c->at - c->pos);
		end = c->buf + (to - c->pos < c->len ? to - c->pos : c->len);
		c->at = c->pos + (uint64_t)(end - c->buf);
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			c->line++;
			p++;
		}
	}
	return 0;
}

/* One pass over the file: the line of every file event, as runs of events
 * whose line minus index is the same (one run when only events follow the
 * header).  Events past an early end of the file stay unknown. */
static void read_lines(struct dmt *d)
{
	struct line_cursor *c = malloc(sizeof(*c));
	uint64_t add = 0;

	d->lines_read = 1;
	if (!c || fseeko(d->f, 0, SEEK_SET) < 0) {
		free(c);
		return;
	}
	c->f = d->f;
	c->pos = c->at = 0;
	c->len = 0;
	c->line = 1;
	for (uint64_t i = 0; i < d->nfile; i++) {
		if (d->off[i] < c->at || count_to(c, d->off[i]) < 0)
			break;
		if ((i == 0 || c->line - i != add) && push_run(d, i, c->line - i) < 0)
			break;
		add = c->line - i;
		d->nlined = i + 1;
	}
	free(c);
}

uint64_t trace_lineno(struct trace *t, uint64_t src)
{
	struct dmt *d = t->priv;
	int64_t i = t->ops->format == TRACE_FMT_DMT && d ? dmt_index(t, src) : -1;
	uint64_t lo = 0, hi;

	if (i < 0 || (uint64_t)i >= d->nfile || !d->f)
		return 0;
	if (!d->lines_read)
		read_lines(d);
	if ((uint64_t)i >= d->nlined)
		return 0;
	hi = d->nline_runs;
	while (hi - lo > 1) {        /* the last run starting at or before i */
		uint64_t mid = lo + (hi - lo) / 2;

		if (d->line_at[mid] <= (uint64_t)i)
			lo = mid;
		else
			hi = mid;
	}
	return (uint64_t)i + d->line_add[lo];
}
