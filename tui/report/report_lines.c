/* SPDX-License-Identifier: MIT */
/*
 * report_lines.c - the trace's own line of an event (report_line), and the
 * lines a JSON or SARIF report will print, read ahead in one go in file
 * order (report_ctx_lines): the finding's line and its map, unmap and write
 * calls' lines, each read once and in increasing order instead of hopping
 * back and forth between a finding and its map call.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define LINE_NONE SIZE_MAX           /* the file could not say */

struct report_lines {
	size_t n;                    /* events read */
	uint64_t *src;               /* their file indexes, increasing */
	size_t *at;                  /* where each line starts in @text, LINE_NONE */
	char *text;                  /* the lines, each 0-terminated */
	size_t len, cap;
};

const char *report_line(const struct report_file *rf, uint64_t src, char *buf, size_t n)
{
	int len;

	if (!rf->line || src == COH_SRC_NONE || !n)
		return NULL;
	len = rf->line(rf->src_ctx, src, buf, n);
	if (len < 0)
		return NULL;
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return buf + strspn(buf, " ");   /* trace-cmd right-aligns the task name */
}

static int by_src(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The file indexes of the lines a JSON finding prints (report_json_ctx.c). */
static size_t wanted(const struct report_file *rf, const struct report_ctx *c, uint64_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < rf->nfindings; i++) {
		const struct coh_finding *f = rf->findings[i];
		const struct report_note *n = &c->notes[i];

		out[k++] = report_finding_src(rf, f);
		if (n->map.kind != COH_EV_NONE && n->map.seq != f->seq)
			out[k++] = report_src(rf, n->map.seq);
		if (n->end.kind != COH_EV_NONE)
			out[k++] = report_src(rf, n->end.seq);
		if (n->write_seq != COH_SEQ_NONE)
			out[k++] = report_src(rf, n->write_seq);
	}
	return k;
}

static int keep_line(struct report_lines *l, const char *s)
{
	size_t len = strlen(s) + 1;

	if (l->len + len > l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1 << 16;
		char *t;

		while (cap < l->len + len)
			cap *= 2;
		t = realloc(l->text, cap);
		if (!t)
			return -1;
		l->text = t;
		l->cap = cap;
	}
	memcpy(l->text + l->len, s, len);
	l->len += len;
	return 0;
}

/* Read the lines of the @n sorted indexes in @src (duplicates and none skipped). */
static int read_all(struct report_lines *l, const struct report_file *rf, const uint64_t *src,
		    size_t n)
{
	char buf[REPORT_LINE_MAX];

	for (size_t k = 0; k < n; k++) {
		const char *s;

		if (src[k] == COH_SRC_NONE || (l->n && l->src[l->n - 1] == src[k]))
			continue;
		s = report_line(rf, src[k], buf, sizeof(buf));
		l->src[l->n] = src[k];
		l->at[l->n++] = s ? l->len : LINE_NONE;
		if (s && keep_line(l, s) < 0)
			return -1;
	}
	return 0;
}

int report_ctx_lines(const struct report_file *rf, struct report_ctx *c)
{
	size_t max = 4 * (rf->nfindings ? rf->nfindings : 1), n;
	struct report_lines *l = calloc(1, sizeof(*l));
	uint64_t *src = malloc(max * sizeof(*src));

	if (!l || !src || !(l->src = malloc(max * sizeof(*l->src))) ||
	    !(l->at = malloc(max * sizeof(*l->at))))
		goto fail;
	if (rf->line) {
		n = wanted(rf, c, src);
		qsort(src, n, sizeof(*src), by_src);
		if (read_all(l, rf, src, n) < 0)
			goto fail;
	}
	free(src);
	report_lines_free(c->lines);
	c->lines = l;
	return 0;
fail:
	free(src);
	report_lines_free(l);
	return -1;
}

const char *report_ctx_line(const struct report_file *rf, const struct report_ctx *c,
			    uint64_t src, char *buf)
{
	const struct report_lines *l = c->lines;
	size_t lo = 0, hi = l ? l->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->src[mid] < src)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (l && lo < l->n && l->src[lo] == src)
		return l->at[lo] == LINE_NONE ? NULL : l->text + l->at[lo];
	return report_line(rf, src, buf, REPORT_LINE_MAX);
}

void report_lines_free(struct report_lines *l)
{
	if (!l)
		return;
	free(l->src);
	free(l->at);
	free(l->text);
	free(l);
}
