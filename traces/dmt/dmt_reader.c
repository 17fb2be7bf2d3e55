/* SPDX-License-Identifier: MIT */
/*
 * dmt_reader.c - the reader backend of the native text format, .dmt
 * (docs/trace-format.md).
 *
 * The whole file is parsed when it is opened: the header fills the trace's
 * platform and device table, each event line becomes one engine event kept in
 * a struct coh_log (with the file offset of its line, for trace_detail()),
 * and a trace_end is appended unless the file ends with one or says
 * "ends open".  An event's src is its 0-based ordinal among the file's event
 * lines unless the line gives src=; the log stores src only when it is not
 * the ordinal, so most events need no side record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "dmt-local.h"

#define PROGRESS_LINES 65536u

/* ---- storing events --------------------------------------------------------- */

static int push_u64(uint64_t **arr, uint64_t *n, uint64_t *cap, uint64_t v)
{
	if (*n == *cap) {
		uint64_t c = *cap ? 2 * *cap : 1024;
		uint64_t *a = realloc(*arr, c * sizeof(*a));

		if (!a)
			return -1;
		*arr = a;
		*cap = c;
	}
	(*arr)[(*n)++] = v;
	return 0;
}

static void count_event(struct dmt_parser *ps, const struct coh_event *ev, uint32_t seen)
{
	struct dmt_stats *st = ps->st;
	unsigned k = ev->kind;

	if (!st->kind[k]++)
		st->kind_order[st->nkind_order++] = (uint8_t)k;
	st->cpu[ev->cpu]++;
	if (seen & DMT_BIT(DEV)) {
		st->dev[ev->dev]++;
		if (!st->devkind[ev->dev][k]++ &&
		    ps->st->npairs < (size_t)COH_MAX_DEVS * COH_EV_COUNT)
			st->pair_order[st->npairs++] = (uint32_t)(ev->dev * COH_EV_COUNT + k);
	}
	if (!ps->have_prev || ev->ts < st->min_ts)
		st->min_ts = ev->ts;
	if (!ps->have_prev || ev->ts > st->max_ts)
		st->max_ts = ev->ts;
}

/* Resolve an event's src (ordinal unless given) and note how srcs run. */
static int event_src(struct dmt_parser *ps, struct coh_event *ev, uint32_t seen)
{
	struct dmt *d = ps->d;
	uint64_t ordinal = d->nfile;

	if (!(seen & DMT_BIT(SRC))) {
		ev->src = ordinal;
	} else {
		d->explicit_src = 1;
		if (ev->src == COH_SRC_NONE) {
			d->src_sorted = 0;
			if (push_u64(&d->none_src, &d->nnone, &d->capnone, ordinal) < 0)
				return -1;
			return 0;
		}
	}
	if (d->nfile && ev->src < d->last_src)
		d->src_sorted = 0;
	d->last_src = ev->src;
	if (ev->src == ordinal)
		ev->src = COH_SRC_NONE;    /* stored as "the ordinal" */
	return 0;
}

static int store_event(struct dmt_parser *ps, struct coh_event *ev, uint32_t seen, uint64_t off)
{
	struct dmt *d = ps->d;
	uint64_t ts = ev->ts;

	if (ps->have_prev && ts < ps->prev_ts && !ps->backwards++)
		ps->backwards_line = ps->lineno;
	if (event_src(ps, ev, seen) < 0 || coh_log_append(d->log, ev) < 0 ||
	    push_u64(&d->off, &d->nfile, &d->capoff, off) < 0)
		return dmt_perr(ps, 1, "out of memory");
	count_event(ps, ev, seen);
	ps->prev_ts = ts;
	ps->have_prev = 1;
	ps->in_body = 1;
	return 0;
}

/* ---- the load loop ------------------------------------------------------------ */

static int magic_line(struct dmt_parser *ps, const struct dmt_tok *first)
{
	struct dmt_tok ver, extra;
	uint64_t v;
	int r;

	if (!dmt_word_is(first, DMT_MAGIC))
		return dmt_perr(ps, first->col, "expected '%s %d' as the first line", DMT_MAGIC,
				DMT_VERSION);
	r = dmt_lex_next(&ps->lx, &ver);
	if (r < 0)
		return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
	if (r == 0 || ver.val || ver.quoted || dmt_parse_u64(ver.word, ver.wlen, &v) < 0)
		return dmt_perr(ps, r ? ver.col : dmt_lex_endcol(&ps->lx),
				"expected the format version (%d) after '%s'", DMT_VERSION,
				DMT_MAGIC);
	if (v != DMT_VERSION)
		return dmt_perr(ps, ver.col, "unsupported .dmt version %llu (this dmascope reads "
				"version %d)", (unsigned long long)v, DMT_VERSION);
	r = dmt_lex_next(&ps->lx, &extra);
	if (r != 0)
		return dmt_perr(ps, r < 0 ? ps->lx.errcol : extra.col, "%s",
				r < 0 ? ps->lx.msg : "unexpected text after the format version");
	ps->seen_magic = 1;
	return 0;
}

static int one_line(struct dmt_parser *ps, char *line, size_t len, uint64_t off)
{
	struct coh_event ev;
	struct dmt_tok first;
	uint32_t seen;
	int r;

	if (ps->lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;    /* a UTF-8 byte order mark */
		len -= 3;
	}
	if (dmt_lex_init(&ps->lx, line, len) < 0)
		return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
	r = dmt_lex_next(&ps->lx, &first);
	if (r <= 0)
		return r < 0 ? dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg) : 0;
	if (!ps->seen_magic)
		return magic_line(ps, &first);
	r = dmt_header_line(ps, &first);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (dmt_event_line(ps, &first, &ev, &seen) < 0)
		return -1;
	return store_event(ps, &ev, seen, off);
}

static int read_lines(struct dmt_parser *ps, FILE *f, uint64_t total)
{
	struct dmt_reader rd;
	uint64_t off;
	size_t len;
	char *line;
	int r;

	if (dmt_reader_init(&rd, f) < 0)
		return dmt_perr(ps, 1, "out of memory");
	while ((r = dmt_reader_next(&rd, &line, &len, &off)) > 0) {
		ps->lineno++;
		if (one_line(ps, line, len, off) < 0)
			break;
		if (ps->lineno % PROGRESS_LINES == 0)
			trace_progress(ps->t, off, total);
	}
	if (r == -1) {
		ps->lineno++;
		dmt_perr(ps, 1, "read error: %s", strerror(rd.err));
	} else if (r == -2) {
		ps->lineno++;
		dmt_perr(ps, DMT_LINE_MAX + 1, "line longer than %u bytes", DMT_LINE_MAX);
	}
	dmt_reader_free(&rd);
	return r == 0 ? 0 : -1;
}

/* ---- after the last line --------------------------------------------------------- */

static int add_implicit_end(struct dmt_parser *ps)
{
	struct dmt *d = ps->d;
	struct coh_event ev;

	if (ps->ends_open)
		return 0;
	if (d->nfile && coh_log_get(d->log, d->nfile - 1, &ev) == 0 &&
	    ev.kind == COH_EV_TRACE_END)
		return 0;
	coh_event_init(&ev, COH_EV_TRACE_END);
	ev.ts = dmt_next_ts(ps->have_prev, ps->prev_ts);
	if (coh_log_append(d->log, &ev) < 0)
		return -1;
	d->implicit_end = 1;
	return 0;
}

static int flush_stats(struct dmt_parser *ps)
{
	struct trace *t = ps->t;
	struct dmt_stats *st = ps->st;
	int r = 0;

	for (unsigned i = 0; i < st->nkind_order; i++)
		r |= trace_stats_kind(t, coh_kind_name(st->kind_order[i]),
				      st->kind[st->kind_order[i]]);
	for (unsigned i = 0; i < t->ndevs; i++)
		if (st->dev[i])
			r |= trace_stats_dev(t, t->devs[i], st->dev[i]);
	for (size_t i = 0; i < st->npairs; i++) {
		unsigned dev = st->pair_order[i] / COH_EV_COUNT;
		unsigned k = st->pair_order[i] % COH_EV_COUNT;

		r |= trace_stats_devkind(t, t->devs[dev], coh_kind_name(k), st->devkind[dev][k]);
	}
	for (unsigned i = 0; i < COH_MAX_CPUS; i++)
		if (st->cpu[i])
			r |= trace_stats_cpu(t, i, st->cpu[i]);
	t->stats.events = ps->d->nfile;
	t->stats.first_ts = st->min_ts;
	t->stats.last_ts = st->max_ts;
	return r ? -1 : 0;
}

static void parser_free(struct dmt_parser *ps)
{
	free(ps->s.segs);
	free(ps->s.data);
	free(ps->s.text);
	if (ps->st)
		free(ps->st->pair_order);
	free(ps->st);
}

static int parse_file(struct dmt_parser *ps, FILE *f, uint64_t total)
{
	if (read_lines(ps, f, total) < 0)
		return -1;
	if (!ps->seen_magic) {
		ps->lineno = ps->lineno ? ps->lineno : 1;
		return dmt_perr(ps, 1, "expected '%s %d' (the file has no such line)", DMT_MAGIC,
				DMT_VERSION);
	}
	if (add_implicit_end(ps) < 0 || flush_stats(ps) < 0)
		return dmt_perr(ps, 1, "out of memory");
	if (ps->backwards)
		trace_warn(ps->t, "%s:%llu: timestamp earlier than the previous event's (lines "
			   "doing so: %llu)",
			   ps->t->path, (unsigned long long)ps->backwards_line,
			   (unsigned long long)ps->backwards);
	trace_progress(ps->t, total, total);
	return 0;
}

static int load(struct trace *t, char *err, size_t n)
{
	struct dmt_parser ps = { .t = t, .err = err, .errn = n };
	struct dmt *d;
	uint64_t size;
	FILE *f;
	int r;

	d = calloc(1, sizeof(*d));
	t->priv = d;
	ps.st = calloc(1, sizeof(*ps.st));
	if (!d || !ps.st || !(d->log = coh_log_new()) ||
	    !(ps.st->pair_order = malloc((size_t)COH_MAX_DEVS * COH_EV_COUNT * sizeof(uint32_t)))) {
		parser_free(&ps);
		trace_errf(err, n, t, "out of memory");
		return -1;
	}
	d->src_sorted = 1;
	ps.d = d;
	ps.chk.ncpus = COH_MAX_CPUS;
	f = trace_fopen(t, &size, err, n);
	if (!f) {
		parser_free(&ps);
		return -1;
	}
	d->f = f;            /* kept open for detail() */
	r = parse_file(&ps, f, size);
	parser_free(&ps);
	return r;
}

/* ---- the backend --------------------------------------------------------------- */

static int probe(const unsigned char *head, size_t n)
{
	size_t i = 0, m = strlen(DMT_MAGIC);

	if (n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n) {
		while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r'))
			i++;
		if (i < n && head[i] == '#') {
			while (i < n && head[i] != '\n')
				i++;
		}
		if (i < n && head[i] == '\n') {
			i++;
			continue;
		}
		break;
	}
	if (n - i < m || memcmp(head + i, DMT_MAGIC, m) != 0)
		return 0;
	i += m;
	return i == n || head[i] == ' ' || head[i] == '\t' || head[i] == '\n' ||
	       head[i] == '\r' || head[i] == '#' ? 100 : 0;
}

static uint64_t count(struct trace *t)
{
	struct dmt *d = t->priv;

	return d && d->log ? coh_log_count(d->log) : 0;
}

static int explicit_none(const struct dmt *d, uint64_t i)
{
	uint64_t lo = 0, hi = d->nnone;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (d->none_src[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nnone && d->none_src[lo] == i;
}

static int get(struct trace *t, uint64_t i, struct coh_event *ev)
{
	struct dmt *d = t->priv;
	int g, r = coh_log_get(d->log, i, ev);

	if (r < 0)
		return r;
	if (ev->src == COH_SRC_NONE && i < d->nfile && !(d->nnone && explicit_none(d, i)))
		ev->src = i;
	g = coh_kind_group(ev->kind);
	if (g == COH_GROUP_LINUX || g == COH_GROUP_WINDOWS) {
		if (t->opts.infer == TRACE_INFER_NEVER)
			ev->flags &= ~COH_F_INFER;
		else if (t->opts.infer == TRACE_INFER_ALWAYS)
			ev->flags |= COH_F_INFER;
	}
	return 0;
}

/* The engine index of the file event whose src is @src, or -1. */
static int64_t find_src(struct trace *t, uint64_t src)
{
	struct dmt *d = t->priv;
	struct coh_event ev;
	uint64_t lo = 0, hi = d->nfile;

	if (src == COH_SRC_NONE)
		return -1;
	if (!d->explicit_src)
		return src < d->nfile ? (int64_t)src : -1;
	if (!d->src_sorted) {
		for (uint64_t i = 0; i < d->nfile; i++)
			if (get(t, i, &ev) == 0 && ev.src == src)
				return (int64_t)i;
		return -1;
	}
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (get(t, mid, &ev) < 0)
			return -1;
		if (ev.src < src)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nfile && get(t, lo, &ev) == 0 && ev.src == src ? (int64_t)lo : -1;
}

static int detail(struct trace *t, uint64_t src, char *buf, size_t n)
{
	struct dmt *d = t->priv;
	int64_t i = find_src(t, src);
	FILE *f = d->f;
	size_t len = 0;
	int c, last = 0;

	if (i < 0 || !f || fseeko(f, (off_t)d->off[i], SEEK_SET) < 0)
		return -1;
	while ((c = getc(f)) != EOF && c != '\n' && len <= DMT_LINE_MAX) {
		if (n && len < n - 1)
			buf[len] = (char)c;
		len++;
		last = c;
	}
	if (last == '\r')
		len--;
	if (n)
		buf[len < n ? len : n - 1] = 0;
	return len > INT32_MAX ? INT32_MAX : (int)len;
}

static void close_(struct trace *t)
{
	struct dmt *d = t->priv;

	if (!d)
		return;
	if (d->f)
		fclose(d->f);
	coh_log_free(d->log);
	free(d->off);
	free(d->none_src);
	free(d->line_at);
	free(d->line_add);
	free(d);
	t->priv = NULL;
}

/* The event log, the line offsets and the explicit src=none list. */
static size_t bytes(struct trace *t)
{
	const struct dmt *d = t->priv;

	if (!d)
		return 0;
	return sizeof(*d) + (d->log ? coh_log_bytes(d->log) : 0) + d->capoff * sizeof(*d->off) +
	       d->capnone * sizeof(*d->none_src);
}

const struct trace_reader_ops trace_dmt_ops = {
	.name = "dmt", .format = TRACE_FMT_DMT, .probe = probe, .load = load,
	.count = count, .get = get, .detail = detail, .bytes = bytes, .close = close_,
};
