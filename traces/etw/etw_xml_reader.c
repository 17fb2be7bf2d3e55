/* SPDX-License-Identifier: MIT */
/*
 * etw_xml_reader.c - Dmascope.Dma events from the XML of `tracerpt -of XML`
 * or etl2xml: the Windows event schema,
 *
 *   <Events><Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
 *     <System><Provider Name=".." Guid=".."/>..<TimeCreated SystemTime=".."/>
 *       <Execution ProcessID=".." ThreadID=".." ProcessorID=".."/>..</System>
 *     <EventData><Data Name="..">value</Data>..</EventData>
 *     <RenderingInfo Culture=".."><Task>EventName</Task>..</RenderingInfo>
 *   </Event>..</Events>
 *
 * read with expat as a stream.  An event is ours when its provider's Name
 * or Guid is Dmascope.Dma's; its name is RenderingInfo/Task (the manifest gives
 * each event a task of its name), else RenderingInfo/EventName,
 * EventData's Name, or a non-numeric System/Task.  See docs/etw.md.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>

#include "coh_err.h"
#include "coh_buf.h"
#include "etw-local.h"

#define DUMP_CHUNK     4096
#define DUMP_DEPTH     8

static const char ns_event[] = "http://schemas.microsoft.com/win/2004/08/events/event";

/* ---- probe ------------------------------------------------------------------ */

/* The head as 8-bit text (UTF-16 with a BOM narrowed), into @out. */
static size_t narrow(const unsigned char *h, size_t n, char *out, size_t cap)
{
	size_t k = 0, i = 0, step = 1;

	if (n >= 2 && h[0] == 0xff && h[1] == 0xfe) {
		i = 2;
		step = 2;
	} else if (n >= 2 && h[0] == 0xfe && h[1] == 0xff) {
		i = 3;
		step = 2;
	} else if (n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0) {
		i = 3;
	}
	for (; i < n && k < cap; i += step)
		out[k++] = (char)h[i];
	return k;
}

static int probe(const unsigned char *head, size_t n)
{
	char txt[4096];
	size_t k = narrow(head, n, txt, sizeof(txt)), i = 0;

	while (i < k && isspace((unsigned char)txt[i]))
		i++;
	if (k - i < 6 || txt[i] != '<')
		return 0;
	if (strncmp(txt + i, "<?xml", 5) != 0 && strncmp(txt + i, "<Events", 7) != 0 &&
	    strncmp(txt + i, "<Event ", 7) != 0 && strncmp(txt + i, "<!--", 4) != 0)
		return 0;
	if (!memmem(txt, k, "<Event", 6) || !memmem(txt, k, ns_event, sizeof(ns_event) - 1))
		return 0;
	return 90;
}

/* ---- loading ------------------------------------------------------------------ */

static int load(struct trace *t, char *err, size_t n)
{
	struct etw_store *st = etw_store_new();
	uint64_t size;
	FILE *f;
	int rc;

	t->priv = st;
	if (!st) {
		trace_errf(err, n, t, "out of memory");
		return -1;
	}
	f = trace_fopen(t, &size, err, n);
	if (!f)
		return -1;
	rc = etw_xml_read(t, st, f, size, err, n);
	fclose(f);
	if (rc < 0)
		return -1;
	etw_store_finish(t, st);
	return 0;
}

/* ---- detail: one <Event> again, element by element ------------------------------ */

struct dump {
	XML_Parser p;
	char *buf;
	size_t n, len;
	int depth;
	int done;                    /* the <Event> closed */
	char path[DUMP_DEPTH][48];   /* names of the open elements */
	char dname[48];              /* Name of the open <Data> */
	char text[512];              /* its text so far (shortened) */
	size_t ntext;
	bool brief;                  /* only the Data, name=value on one line */
	char task[64];               /* brief: RenderingInfo/Task's text */
	char last[48];               /* brief: the Name of the <Data> before */
};

static void put(struct dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct dump *d, const char *fmt, ...)
{
	struct coh_buf b = { d->buf, d->n, d->len };
	va_list ap;

	va_start(ap, fmt);
	coh_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	d->len = b.len;
}

/* "System/Provider", leaving out the <Event> itself */
static void put_path(struct dump *d)
{
	for (int i = 1; i < d->depth && i < DUMP_DEPTH; i++)
		put(d, "%s%s", i > 1 ? "/" : "", d->path[i]);
}

static void XMLCALL dump_start(void *data, const XML_Char *el, const XML_Char **atts)
{
	struct dump *d = data;
	const char *name = etw_xml_local(el);

	if (d->depth < DUMP_DEPTH)
		snprintf(d->path[d->depth], sizeof(d->path[0]), "%s", name);
	d->depth++;
	d->ntext = 0;
	d->dname[0] = 0;
	if (strcmp(name, "Data") == 0) {
		for (int i = 0; atts[i]; i += 2)
			if (strcmp(etw_xml_local(atts[i]), "Name") == 0)
				snprintf(d->dname, sizeof(d->dname), "%s", atts[i + 1]);
		return;
	}
	if (!atts[0] || d->depth == 1 || d->brief)
		return;
	put_path(d);
	put(d, ":");
	for (int i = 0; atts[i]; i += 2)
		put(d, " %s=%s", etw_xml_local(atts[i]), atts[i + 1]);
	put(d, "\n");
}

static void XMLCALL dump_text(void *data, const XML_Char *s, int len)
{
	struct dump *d = data;

	for (int i = 0; i < len && d->ntext + 1 < sizeof(d->text); i++)
		d->text[d->ntext++] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Is @name an array field of the schema (any event's: names mean one thing)? */
static bool array_field(const char *name)
{
	const struct etw_evdef *d;
	int k;

	for (unsigned i = 0; (d = etw_evdef_at(i)); i++)
		if ((k = etw_field_index(d, name)) >= 0)
			return etw_is_array(d->fields[k].type);
	return false;
}

/* Brief: a <Data> with a value as " name=value", an array's elements (one
 * <Data> each, or packed in one as the reader splits them) as a,b like the
 * CSV export's cells; RenderingInfo/Task kept. */
static void brief_end(struct dump *d)
{
	char v[sizeof(d->text) + 1], *items[sizeof(d->text) / 2 + 1];
	long n = 1;

	snprintf(v, sizeof(v), "%.*s", (int)d->ntext, d->text);
	items[0] = v;
	if (d->dname[0] && array_field(d->dname))
		n = etw_split_list(v, items, sizeof(items) / sizeof(items[0]));
	else                                 /* a scalar: trimmed */
		for (size_t k = strlen(v); k && isspace((unsigned char)v[k - 1]); k--)
			v[k - 1] = 0;
	while (n == 1 && isspace((unsigned char)*items[0]))
		items[0]++;
	if (d->dname[0] && n > 0 && *items[0]) {
		if (strcmp(d->dname, d->last) == 0)      /* the next element of an array */
			put(d, ",");
		else
			put(d, " %s=", d->dname);
		snprintf(d->last, sizeof(d->last), "%s", d->dname);
		for (long k = 0; k < n; k++)
			put(d, "%s%s", k ? "," : "", items[k]);
	} else if (d->depth == 3 && !strcmp(d->path[1], "RenderingInfo") &&
		   !strcmp(d->path[2], "Task")) {
		snprintf(d->task, sizeof(d->task), "%s", items[0]);
	}
}

static void XMLCALL dump_end(void *data, const XML_Char *el)
{
	struct dump *d = data;

	(void)el;
	if (d->brief) {
		brief_end(d);
	} else if (d->dname[0]) {
		put(d, "%s: %.*s\n", d->dname, (int)d->ntext, d->text);
	} else if (!blank(d->text, d->ntext) && d->depth > 1) {
		put_path(d);
		put(d, ": %.*s\n", (int)d->ntext, d->text);
	}
	d->ntext = 0;
	d->dname[0] = 0;
	if (--d->depth == 0) {
		d->done = 1;
		XML_StopParser(d->p, XML_FALSE);
	}
}

/* Parse from the <Event> tag @f is at until it closes. */
static int dump_event(const struct etw_store *st, FILE *f, struct dump *d)
{
	char chunk[DUMP_CHUNK];
	size_t got;
	int final = 0;

	d->p = XML_ParserCreate(st->enc[0] ? st->enc : NULL);
	if (!d->p)
		return -1;
	XML_SetUserData(d->p, d);
	XML_SetElementHandler(d->p, dump_start, dump_end);
	XML_SetCharacterDataHandler(d->p, dump_text);
	while (!d->done && !final) {
		got = fread(chunk, 1, sizeof(chunk), f);
		final = got < sizeof(chunk);
		if (XML_Parse(d->p, chunk, (int)got, final) == XML_STATUS_ERROR)
			break;
	}
	XML_ParserFree(d->p);
	return d->done ? 0 : -1;
}

/* @brief: the task, then the Data as name=value (the fields collected
 * first, since RenderingInfo comes after them). */
static int etw_xml_dump(struct trace *t, const struct etw_store *st, uint64_t src, FILE *f,
			char *buf, size_t n, bool brief)
{
	struct dump *d = calloc(1, sizeof(*d));
	char *fields = brief ? malloc(n ? n : 1) : NULL;
	int k;

	if (!d || (brief && !fields)) {
		free(d);
		free(fields);
		return -1;
	}
	d->buf = brief ? fields : buf;
	d->n = n;
	d->brief = brief;
	if (n)
		d->buf[0] = 0;
	if (!brief)
		put(d, "%s:%u:%u: event %llu\n", t->path, st->pos[src].line, st->pos[src].col,
		    (unsigned long long)src);
	k = dump_event(st, f, d) == 0 ? (int)d->len : -1;
	if (brief && k >= 0)
		k = snprintf(buf, n, "%s%s", d->task, fields);
	free(fields);
	free(d);
	return k;
}

static int event_text(struct trace *t, uint64_t src, char *buf, size_t n, bool brief)
{
	const struct etw_store *st = t->priv;
	FILE *f;
	int k;

	if (n)
		buf[0] = 0;
	if (!st || src >= st->npos || !(f = fopen(t->file, "rb")))
		return -1;
	k = -1;
	if (fseeko(f, (off_t)st->pos[src].off, SEEK_SET) == 0)
		k = etw_xml_dump(t, st, src, f, buf, n, brief);
	fclose(f);
	return k;
}

static int detail(struct trace *t, uint64_t src, char *buf, size_t n)
{
	return event_text(t, src, buf, n, false);
}

static int brief(struct trace *t, uint64_t src, char *buf, size_t n)
{
	return event_text(t, src, buf, n, true);
}

const struct trace_reader_ops trace_etw_xml_ops = {
	.name = "etw-xml", .format = TRACE_FMT_ETW_XML, .probe = probe, .load = load,
	.count = etw_count, .get = etw_get, .detail = detail, .brief = brief, .bytes = etw_bytes,
	.close = etw_close,
};
