/* SPDX-License-Identifier: MIT */
/*
 * ftrace_detail.c - re-read one record of a trace.dat and print every field.
 *
 * The loaded trace keeps each record's file offset (record->offset), so a
 * detail pane can fetch any event again with tracecmd_read_at().  Fields
 * are printed by name from the event's format, arrays element by element:
 * the print formats of the scatter-gather events use __print_array over
 * dynamic arrays, which libtraceevent 1.7.1 cannot parse.
 *
 * libtracecmd 3.1.6 keeps every decompressed chunk of a version-7 file
 * for the life of the handle, so the handle is reopened once reads have
 * wandered into FX_DETAIL_REOPEN regions of FX_DETAIL_REGION bytes, to
 * bound what it holds.  Counting regions, not reads, matters: reopening
 * costs about 120 ms on a big capture, and a screen re-reads neighbouring
 * records (the lines of its timeline, a search) that sit in chunks the
 * handle has already decompressed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <trace-cmd.h>

#include "coh_buf.h"
#include "ftrace-local.h"

#define FX_DETAIL_REOPEN 1024
#define FX_DETAIL_REGION (1u << 20)

#define put coh_buf_printf

static void put_text(struct coh_buf *o, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '\n')
			put(o, "\\n");
		else if (s[i] < 0x20 || s[i] >= 0x7f)
			put(o, "\\x%02x", s[i]);
		else
			put(o, "%c", s[i]);
	}
}

static int hexish(const struct tep_format_field *f)
{
	const char *nm = f->name ? f->name : "";

	return strstr(nm, "addr") || strcmp(nm, "attrs") == 0 || strcmp(nm, "ip") == 0 ||
	       strcmp(nm, "flags") == 0 || strcmp(nm, "dma_mask") == 0 ||
	       (f->flags & TEP_FIELD_IS_POINTER);
}

static void put_num(struct coh_buf *o, const struct tep_format_field *f, unsigned long long v,
		    int size)
{
	if (hexish(f)) {
		put(o, "0x%llx", v);
	} else if (f->flags & TEP_FIELD_IS_SIGNED) {
		int shift = 64 - 8 * size;

		put(o, "%lld", (long long)(v << shift) >> shift);
	} else {
		put(o, "%llu", v);
	}
	if (f->name && strcmp(f->name, "dir") == 0)
		put(o, " (%s)", coh_dir_name((unsigned)v));
}

/* The bytes of a field in @rec; 0 when they lie inside the record. */
static int field_bytes(struct tep_handle *tep, const struct tep_format_field *f,
		       const struct tep_record *rec, const unsigned char **p, size_t *len)
{
	const unsigned char *data = rec->data;
	size_t size = rec->size > 0 ? (size_t)rec->size : 0;
	size_t off = (size_t)f->offset;

	if (f->offset < 0 || f->size < 0 || off > size || (size_t)f->size > size - off)
		return -1;
	*p = data + off;
	*len = (size_t)f->size;
	if (f->flags & TEP_FIELD_IS_DYNAMIC) {
		unsigned long long w = tep_read_number(tep, data + off, f->size < 4 ? f->size : 4);

		off = (size_t)(w & 0xffff) + ((f->flags & TEP_FIELD_IS_RELATIVE) ?
					      off + (size_t)f->size : 0);
		*len = f->size == 2 ? size - off : (size_t)(w >> 16);
		if (off > size || *len > size - off)
			return -1;
		*p = data + off;
	} else if (f->size == 0 && (f->flags & TEP_FIELD_IS_ARRAY)) {
		*len = size - off;   /* char buf[]: the rest of the record */
	}
	return 0;
}

static void put_array(struct coh_buf *o, struct tep_handle *tep, const struct tep_format_field *f,
		      const unsigned char *p, size_t len)
{
	int elem = f->elementsize == 1 || f->elementsize == 2 || f->elementsize == 4 ||
		   f->elementsize == 8 ? (int)f->elementsize : 0;

	if (!elem && f->type)
		elem = strstr(f->type, "64") ? 8 : strstr(f->type, "int") ? 4 : 1;
	put(o, "[");
	for (size_t i = 0; elem && i + (size_t)elem <= len; i += (size_t)elem) {
		put(o, i ? ", " : "");
		put_num(o, f, tep_read_number(tep, p + i, elem), elem);
	}
	put(o, "]");
}

static void put_field(struct coh_buf *o, struct tep_handle *tep, const struct tep_format_field *f,
		      const struct tep_record *rec)
{
	const unsigned char *p;
	size_t len;

	put(o, " %s=", f->name ? f->name : "?");
	if (field_bytes(tep, f, rec, &p, &len) < 0) {
		put(o, "<outside the record>");
	} else if (f->flags & TEP_FIELD_IS_STRING ||
		   ((f->flags & TEP_FIELD_IS_ARRAY) && f->type && strstr(f->type, "char"))) {
		put(o, "\"");
		put_text(o, p, len);
		put(o, "\"");
	} else if (f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC)) {
		put_array(o, tep, f, p, len);
	} else if (len == 1 || len == 2 || len == 4 || len == 8) {
		put_num(o, f, tep_read_number(tep, p, (int)len), (int)len);
	} else {
		put(o, "<%zu bytes>", len);
	}
}

static void put_record(struct coh_buf *o, struct tep_handle *tep, const struct tep_record *rec,
		       uint64_t src)
{
	struct tep_event *ev = tep_find_event_by_record(tep, (struct tep_record *)rec);
	const struct tep_format_field *f;

	put(o, "#%llu %llu.%06llu cpu %d ", (unsigned long long)src, rec->ts / 1000000000ull,
	    rec->ts % 1000000000ull / 1000, rec->cpu);
	if (!ev) {
		put(o, "unknown event (%d bytes)", rec->size);
		return;
	}
	put(o, "%s:%s pid=%d", ev->system ? ev->system : "?", ev->name ? ev->name : "?",
	    tep_data_pid(tep, (struct tep_record *)rec));
	for (f = ev->format.fields; f; f = f->next)
		put_field(o, tep, f, rec);
}

static int reopen(struct trace *t, struct ftrace *f)
{
	if (f->dh && (f->version < 7 || f->dreads < FX_DETAIL_REOPEN))
		return 0;
	if (f->dh)
		tracecmd_close(f->dh);
	f->dreads = 0;
	f->dh = tracecmd_open(t->file, TRACECMD_FL_LOAD_NO_PLUGINS);
	return f->dh ? 0 : -1;
}

/* Event @src's record, read again from the file (free it with
 * tracecmd_free_record()), or NULL. */
static struct tep_record *record_at(struct trace *t, struct ftrace *f, uint64_t src)
{
	uint64_t off;

	if (src >= f->nevents || reopen(t, f) < 0)
		return NULL;
	off = (uint64_t)f->off_lo[src] | (f->off_hi ? (uint64_t)f->off_hi[src] << 32 : 0);
	if (!f->dreads || off / FX_DETAIL_REGION != f->dlast / FX_DETAIL_REGION)
		f->dreads++;
	f->dlast = off;
	return tracecmd_read_at(f->dh, off, NULL);
}

int fx_detail(struct trace *t, struct ftrace *f, uint64_t src, char *buf, size_t n)
{
	struct coh_buf o = { .p = buf, .n = n };
	struct tep_record *rec = record_at(t, f, src);

	if (!rec)
		return -1;
	if (n)
		buf[0] = '\0';
	put_record(&o, tracecmd_get_tep(f->dh), rec, src);
	tracecmd_free_record(rec);
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

void fx_detail_close(struct ftrace *f)
{
	if (f->dh)
		tracecmd_close(f->dh);
	f->dh = NULL;
}

/* What @s holds, into @buf; @s is reset for the next piece. */
static void take(struct trace_seq *s, char *buf, size_t n)
{
	trace_seq_terminate(s);
	snprintf(buf, n, "%s", s->buffer ? s->buffer : "");
	trace_seq_reset(s);
}

/* The columns `trace-cmd report` prints: comm-pid [cpu] time: name: info. */
static int print_line(struct tep_handle *tep, struct tep_record *rec, char *buf, size_t n)
{
	char head[64], ts[32], name[80], info[4096];
	struct trace_seq s;
	size_t len;

	trace_seq_init(&s);
	tep_print_event(tep, &s, rec, "%16s-%-5d [%03d]", TEP_PRINT_COMM, TEP_PRINT_PID,
			TEP_PRINT_CPU);
	take(&s, head, sizeof(head));
	tep_print_event(tep, &s, rec, "%6.1000d", TEP_PRINT_TIME);
	take(&s, ts, sizeof(ts));
	tep_print_event(tep, &s, rec, "%s:", TEP_PRINT_NAME);
	take(&s, name, sizeof(name));
	tep_print_event(tep, &s, rec, "%s", TEP_PRINT_INFO);
	take(&s, info, sizeof(info));
	trace_seq_destroy(&s);
	len = strlen(info);
	while (len && (info[len - 1] == '\n' || info[len - 1] == ' '))
		info[--len] = 0;
	return snprintf(buf, n, "%s %12s: %-21s %s", head, ts, name, info);
}

int fx_line(struct trace *t, struct ftrace *f, uint64_t src, char *buf, size_t n)
{
	struct tep_record *rec = record_at(t, f, src);
	int len;

	if (!rec)
		return -1;
	len = print_line(tracecmd_get_tep(f->dh), rec, buf, n);
	tracecmd_free_record(rec);
	return len;
}
