/* SPDX-License-Identifier: MIT */
/*
 * etw_csv_reader.c - Dmascope.Dma events from `tracerpt -of CSV` output.
 *
 * The first row names the columns ("Event Name, Type, Event ID, ...,
 * Clock-Time, Kernel(ms), User(ms), User Data"); an event's own fields
 * fill the "User Data" column and the columns after it, so rows have as
 * many columns as their event has fields.  Rows of our provider have
 * "Dmascope.Dma" as Event Name and the event's name as Task; every other
 * row is another provider's and is skipped.  libcsv does the RFC 4180
 * work; the file is fed to it line by line so that errors can name the
 * line a row starts on.  See docs/etw.md.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "coh_err.h"
#include "coh_buf.h"
#include "etw-local.h"

#define CSV_CHUNK       (64u << 10)
#define CSV_DETAIL_CHUNK 4096
#define CSV_RECORD_MAX  (16u << 20)   /* bytes of one row */
#define CSV_MAX_CELLS   (64 + 3 * ETW_MAX_ITEMS)

/* The columns the reader uses, by their header names. */
enum col { COL_NAME, COL_TYPE, COL_TASK, COL_ID, COL_CPU, COL_CLOCK, COL_USER, NCOLS };

static const char *const col_names[NCOLS] = {
	"Event Name", "Type", "Task", "Event ID", "Processor Number", "Clock-Time", "User Data",
};

struct csvr {
	struct trace *t;
	struct etw_store *st;
	char *err;                   /* where load() reports */
	size_t errn;
	int failed;
	char **cells;                /* the row being read, owned */
	size_t ncells, capcells;
	size_t rec_bytes;            /* bytes of the row so far */
	uint32_t rec_line;           /* line the row starts on */
	uint64_t rec_off;            /* its file offset */
	int need_start;              /* the next non-blank byte starts a row */
	uint32_t line;               /* line being fed, 1-based */
	int have_header;
	int col[NCOLS];              /* column indices, -1 when absent */
	int one;                     /* detail: stop after one row */
	int done_one;
};

static int fail(struct csvr *r, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct csvr *r, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (r->failed)
		return -1;
	r->failed = 1;
	if (!r->err || !r->errn)
		return -1;
	k = snprintf(r->err, r->errn, "%s:%u: ", r->t->path, line);
	if (k >= 0 && (size_t)k < r->errn) {
		va_start(ap, fmt);
		vsnprintf(r->err + k, r->errn - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *cell(const struct csvr *r, int c)
{
	return c >= 0 && (size_t)c < r->ncells ? r->cells[c] : "";
}

/* ---- the header row --------------------------------------------------------- */

static void find_cols(int *col, char *const *names, size_t n)
{
	for (int c = 0; c < NCOLS; c++) {
		col[c] = -1;
		for (size_t i = 0; i < n && col[c] < 0; i++)
			if (strcasecmp(names[i], col_names[c]) == 0)
				col[c] = (int)i;
	}
}

static int header(struct csvr *r)
{
	static const int required[] = { COL_NAME, COL_TASK, COL_CLOCK, COL_USER };

	if (strcasecmp(cell(r, 0), "Event Name") != 0)
		return fail(r, r->rec_line, "expected the tracerpt header row (Event Name, Type, "
			    "Event ID, ..., User Data), found '%.40s'", cell(r, 0));
	find_cols(r->col, r->cells, r->ncells);
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (r->col[required[i]] < 0)
			return fail(r, r->rec_line, "the header row has no '%s' column",
				    col_names[required[i]]);
	if ((size_t)r->col[COL_USER] != r->ncells - 1)
		return fail(r, r->rec_line, "'User Data' is not the last column of the header row");
	r->have_header = 1;
	r->st->names = r->cells;
	r->st->nnames = r->ncells;
	r->cells = NULL;
	r->capcells = 0;
	r->ncells = 0;
	return 0;
}

/* ---- a row's payload into schema values -------------------------------------- */

struct layout {
	struct etw_value v[ETW_MAX_FIELDS];
	char **lists[ETW_MAX_FIELDS];   /* packed arrays split, owned */
};

static void layout_free(struct layout *l)
{
	for (int i = 0; i < ETW_MAX_FIELDS; i++)
		free(l->lists[i]);
}

static size_t count_arrays(const struct etw_evdef *d)
{
	size_t n = 0;

	for (int i = 0; i < d->nfields; i++)
		n += (size_t)etw_is_array(d->fields[i].type);
	return n;
}

/* One cell per array element ("expanded") when the count says so, else
 * one cell per field with arrays packed in it ("[a, b]", "a;b"). */
static int layout_cells(struct layout *l, const struct etw_evdef *d, char **pay, size_t npay,
			char *msg, size_t n)
{
	size_t nf = d->nfields, narr = count_arrays(d), want = nf, cnt = 1, j = 0;
	int ci = etw_count_field(d), expanded;
	uint64_t u;

	if (ci >= 0 && (size_t)ci < npay && etw_parse_u64(pay[ci], &u) == 0 && u <= ETW_MAX_ITEMS) {
		cnt = (size_t)u;
		want = nf - narr + narr * cnt;
	}
	expanded = npay == want && cnt != 1;
	if (!expanded && npay + 1 == nf && d->fields[nf - 1].type == ETW_T_BIN) {
		/* version 1 of CpuWrite/DeviceWrite: the bytes were not known */
		static const char *const none[] = { "" };

		l->v[nf - 1].items = none;
		l->v[nf - 1].n = 1;
		nf--;
	} else if (!expanded && npay != nf) {
		snprintf(msg, n, "event %s has %zu fields, expected %zu", d->name, npay, want);
		return -1;
	}
	for (size_t i = 0; i < nf; i++) {
		struct etw_value *v = &l->v[i];
		long k;

		if (!etw_is_array(d->fields[i].type) || expanded) {
			v->items = (const char *const *)&pay[j];
			v->n = etw_is_array(d->fields[i].type) ? cnt : 1;
			j += v->n;
			continue;
		}
		l->lists[i] = malloc(etw_list_cap(pay[j]) * sizeof(char *));
		if (!l->lists[i]) {
			snprintf(msg, n, "out of memory");
			return -1;
		}
		k = etw_split_list(pay[j], l->lists[i], etw_list_cap(pay[j]));
		j++;
		if (k < 0) {
			snprintf(msg, n, "%s: field %s: more than %d elements", d->name,
				 d->fields[i].name, ETW_MAX_ITEMS);
			return -1;
		}
		v->items = (const char *const *)l->lists[i];
		v->n = (size_t)k;
	}
	return 0;
}

/* ---- data rows ------------------------------------------------------------------ */

static int row_time_cpu(struct csvr *r, uint64_t *ts, uint16_t *cpu)
{
	uint64_t ft, c = 0;

	if (etw_parse_u64(cell(r, r->col[COL_CLOCK]), &ft) < 0 || etw_filetime_ns(ft, ts) < 0)
		return fail(r, r->rec_line, "Clock-Time '%.40s' is not a FILETIME (100 ns units)",
			    cell(r, r->col[COL_CLOCK]));
	if (r->col[COL_CPU] >= 0 &&
	    (etw_parse_u64(cell(r, r->col[COL_CPU]), &c) < 0 || c > UINT16_MAX))
		return fail(r, r->rec_line, "Processor Number '%.40s' is not a CPU number",
			    cell(r, r->col[COL_CPU]));
	*cpu = (uint16_t)c;
	return 0;
}

static int convert_row(struct csvr *r, const struct etw_evdef *d, struct coh_event *ev)
{
	size_t user = (size_t)r->col[COL_USER];
	char msg[ETW_MSG_MAX];
	struct layout l = { 0 };
	int badf, k;

	if (layout_cells(&l, d, r->cells + user, r->ncells - user, msg, sizeof(msg)) < 0) {
		layout_free(&l);
		return fail(r, r->rec_line, "%s", msg);
	}
	k = etw_convert(r->t, d, l.v, ev, &badf, msg, sizeof(msg));
	layout_free(&l);
	if (k < 0)
		return fail(r, r->rec_line, "%s", msg);
	if (k != ETW_CONV_OK)
		trace_warn(r->t, "line %u: %s", r->rec_line, msg);
	return k;
}

/* Our row's event: by its task name, else (a Task column of numbers) by its
 * Event ID. */
static const struct etw_evdef *row_event(const struct csvr *r)
{
	const struct etw_evdef *d = etw_evdef_find(cell(r, r->col[COL_TASK]));
	uint64_t id;

	if (!d && etw_parse_u64(cell(r, r->col[COL_ID]), &id) == 0)
		d = etw_evdef_by_id(id);
	return d;
}

static int ours(struct csvr *r, uint64_t src)
{
	const char *name = cell(r, r->col[COL_TASK]);
	const struct etw_evdef *d = row_event(r);
	struct coh_event ev;
	uint64_t ts = 0;
	uint16_t cpu = 0;
	int k;

	if (r->ncells < (size_t)r->col[COL_USER] + 1)
		return fail(r, r->rec_line, "row has %zu columns, the header %zu", r->ncells,
			    (size_t)r->col[COL_USER] + 1);
	if (!d)
		return fail(r, r->rec_line, "unknown event '%.60s' of provider %s (column Task)",
			    name, ETW_PROVIDER_NAME);
	if (row_time_cpu(r, &ts, &cpu) < 0)
		return -1;
	k = convert_row(r, d, &ev);
	if (k < 0 || k == ETW_CONV_DROP)
		return k < 0 ? -1 : 0;
	ev.ts = ts;
	ev.cpu = cpu;
	ev.src = src;
	if (etw_store_add(r->t, r->st, d, &ev) < 0)
		return fail(r, r->rec_line, "out of memory");
	return 0;
}

/* The EventTrace header row carries EventsLost as its 12th field. */
static void header_event(struct csvr *r)
{
	size_t at = (size_t)r->col[COL_USER] + 11;
	uint64_t lost;

	if (strcasecmp(cell(r, r->col[COL_NAME]), "EventTrace") == 0 &&
	    strcasecmp(cell(r, r->col[COL_TYPE]), "Header") == 0 && at < r->ncells &&
	    etw_parse_u64(r->cells[at], &lost) == 0)
		r->st->lost += lost;
}

static int data_row(struct csvr *r)
{
	int64_t src = etw_store_pos(r->st, r->rec_off, r->rec_line, 0);
	const char *name = cell(r, r->col[COL_NAME]);

	if (src < 0)
		return fail(r, r->rec_line, "out of memory");
	if (strcasecmp(name, ETW_PROVIDER_NAME) == 0)
		return ours(r, (uint64_t)src);
	header_event(r);
	if (etw_store_foreign(r->t, r->st, name) < 0)
		return fail(r, r->rec_line, "out of memory");
	return 0;
}

/* ---- feeding libcsv ------------------------------------------------------------- */

static void on_field(void *s, size_t len, void *data)
{
	struct csvr *r = data;
	char *copy;

	if (r->failed || r->done_one)
		return;
	if (r->ncells == CSV_MAX_CELLS) {
		fail(r, r->rec_line, "more than %d columns", CSV_MAX_CELLS);
		return;
	}
	if (r->ncells == r->capcells) {
		size_t cap = r->capcells ? 2 * r->capcells : 32;
		char **c = realloc(r->cells, cap * sizeof(*c));

		if (!c) {
			fail(r, r->rec_line, "out of memory");
			return;
		}
		r->cells = c;
		r->capcells = cap;
	}
	copy = malloc(len + 1);
	if (!copy) {
		fail(r, r->rec_line, "out of memory");
		return;
	}
	memcpy(copy, s, len);
	copy[len] = 0;
	r->cells[r->ncells++] = copy;
}

static void clear_row(struct csvr *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		free(r->cells[i]);
	r->ncells = 0;
	r->rec_bytes = 0;
	r->need_start = 1;
}

static void on_record(int c, void *data)
{
	struct csvr *r = data;

	(void)c;
	if (r->failed || r->done_one)
		return;
	if (r->one)
		r->done_one = 1;
	else if (!r->have_header)
		header(r);
	else
		data_row(r);
	if (!r->one)
		clear_row(r);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int csv_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int csv_term(unsigned char c)
{
	return c == '\n';
}

/* One line (or the part of it in this chunk) into the parser. */
static int feed_line(struct csvr *r, struct csv_parser *p, const char *s, size_t n, uint64_t off)
{
	if (memchr(s, 0, n))
		return fail(r, r->line, "NUL byte: not a text file (a UTF-16 export must be "
			    "converted to UTF-8 first)");
	for (size_t k = 0; r->need_start && k < n; k++)
		if (!is_blank(s[k])) {
			r->need_start = 0;
			r->rec_line = r->line;
			r->rec_off = off + k;
		}
	if (!r->need_start) {
		r->rec_bytes += n;
		if (r->rec_bytes > CSV_RECORD_MAX)
			return fail(r, r->rec_line, "row longer than %u bytes", CSV_RECORD_MAX);
	}
	if (csv_parse(p, s, n, on_field, on_record, r) != n && !r->failed)
		return fail(r, r->line, "malformed CSV (RFC 4180 quoting): %s",
			    csv_strerror(csv_error(p)));
	if (n && s[n - 1] == '\n')
		r->line++;
	return r->failed ? -1 : 0;
}

static int feed(struct csvr *r, struct csv_parser *p, const char *buf, size_t n, uint64_t off)
{
	size_t i = 0;

	if (off == 0 && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && !r->done_one) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - buf) + 1 : n;

		if (feed_line(r, p, buf + i, end - i, off + i) < 0)
			return -1;
		i = end;
	}
	return 0;
}

static int utf16(const unsigned char *h, size_t n)
{
	return n >= 2 && ((h[0] == 0xff && h[1] == 0xfe) || (h[0] == 0xfe && h[1] == 0xff));
}

/* Read @f from its current position through libcsv. */
static int read_csv(struct csvr *r, FILE *f, uint64_t off, uint64_t total)
{
	size_t chunk = r->one ? CSV_DETAIL_CHUNK : CSV_CHUNK, got;
	char *buf = malloc(chunk);
	struct csv_parser p;
	int rc = 0;

	if (!buf || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(buf);
		return fail(r, r->line, "out of memory");
	}
	csv_set_space_func(&p, csv_space);
	csv_set_term_func(&p, csv_term);
	r->need_start = 1;
	while (rc == 0 && !r->done_one && (got = fread(buf, 1, chunk, f)) > 0) {
		if (off == 0 && utf16((unsigned char *)buf, got))
			rc = fail(r, 1, "UTF-16 text: convert it to UTF-8 first "
				  "(iconv -f UTF-16 -t UTF-8)");
		else
			rc = feed(r, &p, buf, got, off);
		off += got;
		if (!r->one)
			trace_progress(r->t, off, total);
	}
	if (rc == 0 && ferror(f))
		rc = fail(r, r->line, "read error: %s", strerror(errno));
	if (rc == 0 && !r->done_one && csv_fini(&p, on_field, on_record, r) != 0 && !r->failed)
		rc = fail(r, r->line, "malformed CSV at end of file (unterminated quoted field)");
	if (rc == 0 && r->failed)
		rc = -1;
	csv_free(&p);
	free(buf);
	return rc;
}

/* ---- the reader ---------------------------------------------------------------- */

static int probe(const unsigned char *head, size_t n)
{
	static const char want[] = "Event Name";
	static const unsigned char want16[] = "E\0v\0e\0n\0t\0 \0N\0a\0m\0e";
	size_t i = 0;

	if (n >= 2 + sizeof(want16) - 1 && utf16(head, n) &&
	    (memcmp(head + 2, want16, sizeof(want16) - 1) == 0 ||
	     memcmp(head + 3, want16, sizeof(want16) - 2) == 0))
		return 90;
	if (n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && is_blank((char)head[i]))
		i++;
	if (i < n && head[i] == '"')
		i++;
	if (n - i >= sizeof(want) - 1 && memcmp(head + i, want, sizeof(want) - 1) == 0)
		return 90;
	return 0;
}

static int load(struct trace *t, char *err, size_t n)
{
	struct csvr r = { .t = t, .err = err, .errn = n, .line = 1 };
	uint64_t size;
	FILE *f;
	int rc;

	t->priv = r.st = etw_store_new();
	if (!r.st) {
		trace_errf(err, n, t, "out of memory");
		return -1;
	}
	f = trace_fopen(t, &size, err, n);
	if (!f)
		return -1;
	rc = read_csv(&r, f, 0, size);
	fclose(f);
	clear_row(&r);
	free(r.cells);
	if (rc == 0 && !r.have_header)
		rc = fail(&r, r.line, "no tracerpt header row");
	if (rc < 0)
		return -1;
	etw_store_finish(t, r.st);
	return 0;
}

/* ---- detail: one row again, column by column ---------------------------------- */

#define put coh_buf_printf

/* The row's columns, one "Name: value" line each; @brief: on one line, its
 * task then each of the event's own fields that has a value, name=value. */
static void put_fields(struct coh_buf *b, struct csvr *r, const struct etw_store *st,
		       bool brief)
{
	size_t user = (size_t)r->col[COL_USER];
	const struct etw_evdef *d = NULL;
	struct layout l = { 0 };
	char msg[ETW_MSG_MAX];

	if (brief)
		put(b, "%s", cell(r, r->col[COL_TASK]));
	for (size_t i = 0; !brief && i < r->ncells && i < user; i++)
		put(b, "%s: %s\n", i < st->nnames ? st->names[i] : "?", r->cells[i]);
	if (r->ncells <= user)
		return;
	if (strcasecmp(cell(r, r->col[COL_NAME]), ETW_PROVIDER_NAME) == 0)
		d = row_event(r);
	if (d && layout_cells(&l, d, r->cells + user, r->ncells - user, msg, sizeof(msg)) == 0) {
		for (int i = 0; i < d->nfields; i++) {
			if (brief && (!l.v[i].n || !*l.v[i].items[0]))
				continue;
			put(b, brief ? " %s=" : "%s:", d->fields[i].name);
			for (size_t k = 0; k < l.v[i].n; k++)
				put(b, "%s%s", k ? (brief ? "," : ", ") : brief ? "" : " ",
				    l.v[i].items[k]);
			if (!brief)
				put(b, "\n");
		}
	} else {
		for (size_t j = user; j < r->ncells; j++)
			put(b, brief ? " [%zu]=%s" : "User Data[%zu]: %s\n", j - user, r->cells[j]);
	}
	layout_free(&l);
}

static int row_text(struct trace *t, uint64_t src, char *buf, size_t n, bool brief)
{
	const struct etw_store *st = t->priv;
	struct csvr r = { .t = t, .one = 1 };
	struct coh_buf b = { buf, n, 0 };
	FILE *f;
	int rc;

	if (n)
		buf[0] = 0;
	if (!st || src >= st->npos || !(f = fopen(t->file, "rb")))
		return -1;
	r.line = st->pos[src].line;
	rc = fseeko(f, (off_t)st->pos[src].off, SEEK_SET) == 0 ?
		read_csv(&r, f, st->pos[src].off, 0) : -1;
	fclose(f);
	if (rc == 0 && r.done_one) {
		find_cols(r.col, st->names, st->nnames);
		if (!brief)
			put(&b, "%s:%u: event %llu\n", t->path, st->pos[src].line,
			    (unsigned long long)src);
		put_fields(&b, &r, st, brief);
	}
	clear_row(&r);
	free(r.cells);
	return rc == 0 && r.done_one ? (int)b.len : -1;
}

static int detail(struct trace *t, uint64_t src, char *buf, size_t n)
{
	return row_text(t, src, buf, n, false);
}

static int brief(struct trace *t, uint64_t src, char *buf, size_t n)
{
	return row_text(t, src, buf, n, true);
}

const struct trace_reader_ops trace_etw_csv_ops = {
	.name = "etw-csv", .format = TRACE_FMT_ETW_CSV, .probe = probe, .load = load,
	.count = etw_count, .get = etw_get, .detail = detail, .brief = brief, .bytes = etw_bytes,
	.close = etw_close,
};
