/* SPDX-License-Identifier: MIT */
/*
 * dmt_write.c - trace_write_dmt(): events as a .dmt file, in canonical form.
 *
 * Canonical means: the header names the platform by its preset (or
 * base=none) and lists only the settings that differ from it, then every
 * device of the platform in table order with the settings that differ from
 * the platform's default device; each event line has its fields in one fixed
 * order (the order of DMT_FIELDS), omits every field that holds the value the
 * reader would give it anyway (timestamp = previous + 1 ns, src = ordinal,
 * cpu 0, ...) except the ones each kind always shows, and the final
 * trace_end is left out when the reader would append the same one.  So
 * write -> read -> write gives the same bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "dmt-local.h"

struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void sb_grow(struct sbuf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->oom || b->len + more + 1 <= b->cap)
		return;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return;
	}
	b->p = p;
	b->cap = cap;
}

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (k > 0)
		sb_putn(b, tmp, (size_t)k < sizeof(tmp) ? (size_t)k : sizeof(tmp) - 1);
}

int dmt_word_safe(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == '#' || c == '"' || c == '=' || c == '\\')
			return 0;
	}
	return 1;
}

static int cont(const unsigned char *s, int n)
{
	for (int i = 1; i <= n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return 1;
}

/* Bytes of the valid UTF-8 sequence of two or more bytes at @s, else 0. */
static int utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], d = s[1];

	if (c >= 0xc2 && c <= 0xdf)
		return cont(s, 1) ? 2 : 0;
	if ((c == 0xe0 && d < 0xa0) || (c == 0xed && d > 0x9f))
		return 0;
	if (c >= 0xe0 && c <= 0xef)
		return cont(s, 2) ? 3 : 0;
	if ((c == 0xf0 && d < 0x90) || (c == 0xf4 && d > 0x8f))
		return 0;
	if (c >= 0xf0 && c <= 0xf4)
		return cont(s, 3) ? 4 : 0;
	return 0;
}

/* A quoted string: valid UTF-8 as it is, other bytes that need it escaped. */
static void sb_quoted(struct sbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	sb_putn(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
		int u = c >= 0x80 ? utf8_len((const unsigned char *)s) : 0;

		if (u) {
			sb_putn(b, s, (size_t)u);
			s += u - 1;
		} else if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			sb_putn(b, esc, 2);
		} else if (c == '\n' || c == '\t' || c == '\r') {
			esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			sb_putn(b, esc, 2);
		} else if (c < 0x20 || c >= 0x7f) {
			sb_putn(b, esc, 4);
		} else {
			sb_putn(b, (const char *)&c, 1);
		}
	}
	sb_putn(b, "\"", 1);
}

static void sb_name(struct sbuf *b, const char *s)
{
	if (dmt_word_safe(s, strlen(s)))
		sb_puts(b, s);
	else
		sb_quoted(b, s);
}

/* ---- header -------------------------------------------------------------------- */

static void dev_settings(struct sbuf *b, const struct coh_dev_cfg *d,
			 const struct coh_dev_cfg *base)
{
	if (d->coherent != base->coherent)
		sb_printf(b, " coherent=%u", d->coherent);
	if (d->bounce != base->bounce)
		sb_printf(b, " bounce=%u", d->bounce);
	if (d->dma_version != base->dma_version)
		sb_printf(b, " dma=%u", d->dma_version);
	if (d->ctrl_size != base->ctrl_size)
		sb_printf(b, " B=%u", d->ctrl_size);
	if (d->ctrl_chunk != base->ctrl_chunk)
		sb_printf(b, " C=%u", d->ctrl_chunk);
	if (d->posted != base->posted)
		sb_printf(b, " P=%u", d->posted);
	if (d->signals_done != base->signals_done)
		sb_printf(b, " signals_done=%u", d->signals_done);
}

static void platform_line(struct sbuf *b, const struct coh_platform *p)
{
	char name[COH_NAME_MAX];
	struct coh_platform base;
	int preset;

	snprintf(name, sizeof(name), "%s", p->name[0] ? p->name : "custom");
	preset = coh_platform_preset(name, &base) == 0;
	if (!preset)
		dmt_platform_none(&base);
	sb_puts(b, "platform ");
	sb_name(b, name);
	if (!preset)
		sb_puts(b, " base=none");
	if (p->line != base.line)
		sb_printf(b, " line=%u", p->line);
	if (p->sets != base.sets)
		sb_printf(b, " sets=%u", p->sets);
	if (p->ways != base.ways)
		sb_printf(b, " ways=%u", p->ways);
	if (p->ncpus != base.ncpus)
		sb_printf(b, " cpus=%u", p->ncpus);
	if (p->speculative != base.speculative)
		sb_printf(b, " speculative=%u", p->speculative);
	if (p->dma_align != base.dma_align)
		sb_printf(b, " dma_align=%u", p->dma_align);
	dev_settings(b, &p->dev_default, &base.dev_default);
	sb_puts(b, "\n");
}

static void header(struct sbuf *b, const struct coh_platform *p, int ends_open)
{
	sb_printf(b, "%s %d\n", DMT_MAGIC, DMT_VERSION);
	platform_line(b, p);
	for (uint32_t i = 0; i < p->ndevs; i++) {
		sb_puts(b, "device ");
		sb_name(b, p->devs[i].name);
		dev_settings(b, &p->devs[i], &p->dev_default);
		sb_puts(b, "\n");
	}
	if (ends_open)
		sb_puts(b, "ends open\n");
}

/* ---- events -------------------------------------------------------------------- */

struct wctx {
	const struct coh_platform *p;
	struct sbuf b;
	char *err;
	size_t n;
	uint64_t i;                  /* index of the event being written */
	int have_prev;
	uint64_t prev_ts;
};

static int werr(struct wctx *w, const struct coh_event *ev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int werr(struct wctx *w, const struct coh_event *ev, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->err && w->n)
		snprintf(w->err, w->n, "event %llu (%s): %s", (unsigned long long)w->i,
			 ev ? coh_kind_name(ev->kind) : "?", msg);
	return -1;
}

static void put_status(struct sbuf *b, const struct coh_event *ev)
{
	const char *name = dmt_status_name(ev->status);

	if (ev->kind == COH_EV_FLUSH_ADAPTER && (ev->status == 0 || ev->status == 1))
		sb_puts(b, ev->status ? " status=TRUE" : " status=FALSE");
	else if (name && ev->kind != COH_EV_FLUSH_ADAPTER)
		sb_printf(b, " status=%s", name);
	else
		sb_printf(b, " status=0x%08X", (unsigned)ev->status);
}

static void put_addr(struct sbuf *b, uint64_t a)
{
	if (a == COH_ADDR_NONE)
		sb_puts(b, "-");
	else
		sb_printf(b, "0x%llx", (unsigned long long)a);
}

static void put_segs(struct sbuf *b, const struct coh_event *ev)
{
	for (uint32_t i = 0; ev->segs && i < ev->nsegs; i++) {
		sb_puts(b, " seg=");
		put_addr(b, ev->segs[i].addr);
		sb_puts(b, ",");
		put_addr(b, ev->segs[i].bus);
		sb_printf(b, ",%llu", (unsigned long long)ev->segs[i].len);
	}
}

static void put_data(struct sbuf *b, const uint8_t *d, uint64_t len)
{
	static const char hex[] = "0123456789abcdef";

	sb_puts(b, " data=");
	sb_grow(b, (size_t)len * 2);
	if (b->oom)
		return;
	for (uint64_t i = 0; i < len; i++) {
		b->p[b->len++] = hex[d[i] >> 4];
		b->p[b->len++] = hex[d[i] & 15];
	}
	b->p[b->len] = 0;
}

/* A number, address or name field; 0 or -1 when it cannot be written. */
static int put_value(struct wctx *w, const struct coh_event *ev, unsigned f, int shown)
{
	struct sbuf *b = &w->b;
	uint64_t a = f == DMT_ADDR ? ev->addr : f == DMT_BUS ? ev->bus : ev->handle;

	switch (f) {
	case DMT_CPU:
		if (ev->cpu || shown)
			sb_printf(b, " cpu=%u", ev->cpu);
		return 0;
	case DMT_DEV:
		sb_puts(b, " dev=");
		sb_name(b, w->p->devs[ev->dev].name);
		return 0;
	case DMT_ADDR: case DMT_BUS: case DMT_HANDLE:
		if (a == COH_ADDR_NONE && shown)
			return werr(w, ev, "%s is required but has none", dmt_field_name(f));
		if (a != COH_ADDR_NONE)
			sb_printf(b, " %s=0x%llx", dmt_field_name(f), (unsigned long long)a);
		return 0;
	case DMT_LEN: case DMT_OFF:
		a = f == DMT_LEN ? ev->len : ev->off;
		if (a || shown)
			sb_printf(b, " %s=%llu", dmt_field_name(f), (unsigned long long)a);
		return 0;
	case DMT_IRP:
		if (ev->irp || shown)
			sb_printf(b, " irp=0x%llx", (unsigned long long)ev->irp);
		return 0;
	}
	return 0;
}

static void put_flag(struct sbuf *b, const struct coh_event *ev, unsigned f, int shown)
{
	int set = !!(ev->flags & dmt_field_flag(f));

	if (shown)
		sb_printf(b, " %s=%s", dmt_field_name(f), set ? "TRUE" : "FALSE");
	else if (set)
		sb_printf(b, " %s", dmt_field_name(f));
}

static int put_field(struct wctx *w, const struct coh_event *ev, unsigned f, int shown)
{
	struct sbuf *b = &w->b;

	switch (f) {
	case DMT_SEG:
		put_segs(b, ev);
		return 0;
	case DMT_NENTS:
		if (ev->nents != ev->nsegs)
			sb_printf(b, " nents=%u", ev->nents);
		return 0;
	case DMT_DIR:
		if (shown || ev->dir != dmt_default_dir(ev->kind))
			sb_printf(b, " dir=%s", coh_dir_name(ev->dir));
		return 0;
	case DMT_SCOPE:
		sb_printf(b, " scope=%s", coh_scope_name(ev->scope));
		return 0;
	case DMT_TEXT:
		if (ev->text) {
			sb_puts(b, " text=");
			sb_quoted(b, ev->text);
		}
		return 0;
	case DMT_DATA:
		if (ev->data && ev->len)
			put_data(b, ev->data, ev->len);
		return 0;
	case DMT_STATUS:
		if (shown || (ev->flags & COH_F_STATUS))
			put_status(b, ev);
		return 0;
	case DMT_SRC:
		if (ev->src == COH_SRC_NONE)
			sb_puts(b, " src=none");
		else if (ev->src != w->i)
			sb_printf(b, " src=%llu", (unsigned long long)ev->src);
		return 0;
	}
	if (dmt_field_flag(f)) {
		put_flag(b, ev, f, shown);
		return 0;
	}
	return put_value(w, ev, f, shown);
}

/* What the reader checks beyond coh_event_check(). */
static int check_event(struct wctx *w, const struct coh_event *ev)
{
	uint32_t allowed = dmt_allowed(ev->kind);
	char msg[256];

	if (coh_event_check(ev, w->p, msg, sizeof(msg)) < 0)
		return werr(w, ev, "%s", msg);
	if ((allowed & DMT_BIT(DEV)) && ev->dev >= w->p->ndevs)
		return werr(w, ev, "device %u of %u", ev->dev, w->p->ndevs);
	for (unsigned f = DMT_ADDR; f <= DMT_BUS; f++) {
		uint64_t a = f == DMT_ADDR ? ev->addr : ev->bus;

		if ((allowed & (1u << f)) && (allowed & DMT_BIT(LEN)) && a != COH_ADDR_NONE &&
		    ev->len && a + (ev->len - 1) < a)
			return werr(w, ev, "%s + len overflows", dmt_field_name(f));
	}
	return 0;
}

static int event_line(struct wctx *w, const struct coh_event *ev)
{
	uint32_t allowed = dmt_allowed(ev->kind), shown = dmt_shown(ev->kind);

	if (check_event(w, ev) < 0)
		return -1;
	w->b.len = 0;
	if (ev->ts != dmt_next_ts(w->have_prev, w->prev_ts))
		sb_printf(&w->b, "%llu.%09llu ", (unsigned long long)(ev->ts / 1000000000u),
			  (unsigned long long)(ev->ts % 1000000000u));
	sb_puts(&w->b, coh_kind_name(ev->kind));
	for (unsigned f = 0; f < DMT_NFIELDS; f++)
		if ((allowed & (1u << f)) && put_field(w, ev, f, !!(shown & (1u << f))) < 0)
			return -1;
	if (w->b.oom)
		return werr(w, ev, "out of memory");
	if (w->b.len > DMT_LINE_MAX)
		return werr(w, ev, "its line would be %zu bytes (a .dmt line has at most %u)",
			    w->b.len, DMT_LINE_MAX);
	sb_puts(&w->b, "\n");
	return 0;
}

/* The last event is a trace_end the reader would append by itself. */
static int implied_end(const struct wctx *w, const struct coh_event *ev)
{
	return ev->kind == COH_EV_TRACE_END && ev->src == COH_SRC_NONE && ev->cpu == 0 &&
	       ev->ts == dmt_next_ts(w->have_prev, w->prev_ts);
}

static int put_out(struct wctx *w, FILE *out)
{
	if (w->b.oom)
		return werr(w, NULL, "out of memory");
	if (w->b.len && fwrite(w->b.p, 1, w->b.len, out) != w->b.len) {
		if (w->err && w->n)
			snprintf(w->err, w->n, "write error: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int write_events(struct wctx *w, FILE *out, const struct coh_source *src, uint64_t count)
{
	struct coh_event ev;
	int r;

	for (w->i = 0; w->i < count; w->i++) {
		r = src->get(src->ctx, w->i, &ev);
		if (r < 0)
			return werr(w, NULL, "cannot be read: %s", coh_strerror(r));
		if (w->i + 1 == count && implied_end(w, &ev))
			break;
		if (event_line(w, &ev) < 0 || put_out(w, out) < 0)
			return -1;
		w->prev_ts = ev.ts;
		w->have_prev = 1;
	}
	return 0;
}

static int last_is_end(const struct coh_source *src, uint64_t count)
{
	struct coh_event ev;

	return count && src->get(src->ctx, count - 1, &ev) == 0 && ev.kind == COH_EV_TRACE_END;
}

int trace_write_dmt(FILE *out, const struct coh_platform *p, const struct coh_source *src,
		    char *err, size_t n)
{
	struct wctx w = { .p = p, .err = err, .n = n };
	char msg[256];
	uint64_t count;
	int r;

	if (!out || !p || !src || !src->count || !src->get) {
		snprintf(err, n, "trace_write_dmt: no %s", !out ? "stream" : !p ? "platform" :
			 "event source");
		return -1;
	}
	if (coh_platform_check(p, msg, sizeof(msg)) < 0) {
		snprintf(err, n, "platform: %s", msg);
		return -1;
	}
	count = src->count(src->ctx);
	header(&w.b, p, !last_is_end(src, count));
	r = put_out(&w, out);
	if (r == 0)
		r = write_events(&w, out, src, count);
	free(w.b.p);
	if (r == 0 && (fflush(out) != 0 || ferror(out))) {
		snprintf(err, n, "write error: %s", strerror(errno));
		return -1;
	}
	return r;
}

int trace_event_format(const struct coh_event *ev, const struct coh_platform *p, char *buf,
		       size_t n, char *err, size_t errn)
{
	struct wctx w = { .p = p, .err = err, .n = errn };
	struct coh_event e = *ev;
	int r;

	e.ts = dmt_next_ts(0, 0);            /* a line with no timestamp */
	r = event_line(&w, &e);
	if (r == 0 && w.b.len - 1 >= n)
		r = werr(&w, ev, "its line is longer than %zu bytes", n);
	if (r == 0) {
		memcpy(buf, w.b.p, w.b.len - 1);     /* without the newline */
		buf[w.b.len - 1] = 0;
	}
	free(w.b.p);
	return r;
}
