/* SPDX-License-Identifier: MIT */
/*
 * coh_log.c - an in-memory event log.
 *
 * Events are kept as 40-byte records; what most events lack (bus address,
 * Windows parameters, segments, data, text) lives in a side table of
 * extras that only the events carrying them use.  Copied segments, data
 * and text live in an arena of chunks that never move, so pointers handed
 * out stay valid until the log is freed.
 */
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "coh_log.h"

#define ARENA_CHUNK (1u << 20)
#define NO_EXTRA UINT32_MAX
#define REC_SRC_IS_INDEX (1u << 31)  /* in rec.flags: src equals the event's index */

struct rec {
	uint64_t ts;                 /* timestamp */
	uint64_t addr;               /* address */
	uint64_t len;                /* length */
	uint32_t flags;              /* COH_F_* */
	uint32_t extra;              /* index into extras, or NO_EXTRA */
	uint16_t kind;               /* enum coh_kind */
	uint16_t cpu;                /* CPU */
	uint16_t dev;                /* device */
	uint8_t dir;                 /* direction */
	uint8_t scope;               /* scope */
};

struct extra {
	uint64_t src, bus, off, handle, irp;
	const struct coh_seg *segs;
	const uint8_t *data;
	const char *text;
	uint32_t nsegs, nents;
	int32_t status;
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	unsigned char mem[];
};

struct coh_log {
	struct rec *recs;            /* events */
	uint64_t n, cap;
	struct extra *extras;        /* side table */
	uint32_t nextra, capextra;
	struct chunk *arena;         /* copies, newest chunk first */
	size_t arena_bytes;
};

struct coh_log *coh_log_new(void)
{
	return calloc(1, sizeof(struct coh_log));
}

void coh_log_free(struct coh_log *log)
{
	struct chunk *c, *next;

	if (!log)
		return;
	for (c = log->arena; c; c = next) {
		next = c->next;
		free(c);
	}
	free(log->recs);
	free(log->extras);
	free(log);
}

static void *arena_copy(struct coh_log *log, const void *p, size_t n)
{
	struct chunk *c = log->arena;
	void *dst;

	n = n ? n : 1;
	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = log->arena;
		log->arena = c;
		log->arena_bytes += sizeof(*c) + size;
	}
	dst = c->mem + c->used;
	c->used += (n + 7) & ~(size_t)7;
	if (c->used > c->size)
		c->used = c->size;
	memcpy(dst, p, n);
	return dst;
}

static int needs_extra(const struct coh_event *ev, uint64_t implicit_src)
{
	return ev->src != implicit_src || ev->bus != COH_ADDR_NONE || ev->off || ev->irp ||
	       ev->handle != COH_ADDR_NONE || ev->segs || ev->data || ev->text || ev->nsegs ||
	       ev->nents || ev->status;
}

static int add_extra(struct coh_log *log, const struct coh_event *ev, uint32_t *idx)
{
	struct extra *x;

	if (log->nextra == log->capextra) {
		uint32_t cap = log->capextra ? 2 * log->capextra : 64;

		if (cap <= log->capextra || cap == NO_EXTRA)
			return -COH_E_TOOBIG;
		x = realloc(log->extras, (size_t)cap * sizeof(*x));
		if (!x)
			return -COH_E_NOMEM;
		log->extras = x;
		log->capextra = cap;
	}
	x = &log->extras[log->nextra];
	memset(x, 0, sizeof(*x));
	x->src = ev->src;
	x->bus = ev->bus;
	x->off = ev->off;
	x->handle = ev->handle;
	x->irp = ev->irp;
	x->nsegs = ev->segs ? ev->nsegs : 0;
	x->nents = ev->nents;
	x->status = ev->status;
	if (x->nsegs && !(x->segs = arena_copy(log, ev->segs, x->nsegs * sizeof(*ev->segs))))
		return -COH_E_NOMEM;
	if (ev->data && ev->len && !(x->data = arena_copy(log, ev->data, ev->len)))
		return -COH_E_NOMEM;
	if (ev->text && !(x->text = arena_copy(log, ev->text, strlen(ev->text) + 1)))
		return -COH_E_NOMEM;
	*idx = log->nextra++;
	return 0;
}

int coh_log_append(struct coh_log *log, const struct coh_event *ev)
{
	struct rec *r;
	int err;

	if (ev->kind >= COH_EV_COUNT || (ev->nsegs && !ev->segs))
		return -COH_E_INVAL;
	if (ev->data && ev->len > ((uint64_t)1 << 32))
		return -COH_E_INVAL;
	if (log->n == log->cap) {
		uint64_t cap = log->cap ? 2 * log->cap : 1024;

		r = realloc(log->recs, cap * sizeof(*r));
		if (!r)
			return -COH_E_NOMEM;
		log->recs = r;
		log->cap = cap;
	}
	r = &log->recs[log->n];
	r->ts = ev->ts;
	r->addr = ev->addr;
	r->len = ev->len;
	r->flags = ev->flags & ~REC_SRC_IS_INDEX;   /* flags beyond COH_F_ALL are invalid anyway */
	r->kind = ev->kind;
	r->cpu = ev->cpu;
	r->dev = ev->dev;
	r->dir = ev->dir;
	r->scope = ev->scope;
	r->extra = NO_EXTRA;
	if (ev->src == log->n)
		r->flags |= REC_SRC_IS_INDEX;
	if (needs_extra(ev, (r->flags & REC_SRC_IS_INDEX) ? log->n : COH_SRC_NONE) &&
	    (err = add_extra(log, ev, &r->extra)) < 0)
		return err;
	log->n++;
	return 0;
}

uint64_t coh_log_count(const struct coh_log *log)
{
	return log->n;
}

int coh_log_get(const struct coh_log *log, uint64_t i, struct coh_event *ev)
{
	const struct rec *r;

	if (i >= log->n)
		return -COH_E_SEEK;
	r = &log->recs[i];
	coh_event_init(ev, r->kind);
	ev->ts = r->ts;
	ev->addr = r->addr;
	ev->len = r->len;
	ev->flags = r->flags & ~REC_SRC_IS_INDEX;
	if (r->flags & REC_SRC_IS_INDEX)
		ev->src = i;
	ev->cpu = r->cpu;
	ev->dev = r->dev;
	ev->dir = r->dir;
	ev->scope = r->scope;
	if (r->extra != NO_EXTRA) {
		const struct extra *x = &log->extras[r->extra];

		ev->src = x->src;
		ev->bus = x->bus;
		ev->off = x->off;
		ev->handle = x->handle;
		ev->irp = x->irp;
		ev->segs = x->segs;
		ev->data = x->data;
		ev->text = x->text;
		ev->nsegs = x->nsegs;
		ev->nents = x->nents;
		ev->status = x->status;
	}
	return 0;
}

void coh_log_truncate(struct coh_log *log, uint64_t n)
{
	if (n < log->n)
		log->n = n;
}

size_t coh_log_bytes(const struct coh_log *log)
{
	return sizeof(*log) + log->cap * sizeof(struct rec) +
	       (size_t)log->capextra * sizeof(struct extra) + log->arena_bytes;
}

static uint64_t log_count(void *ctx)
{
	return coh_log_count(ctx);
}

static int log_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	return coh_log_get(ctx, i, ev);
}

static size_t log_bytes(void *ctx)
{
	return coh_log_bytes(ctx);
}

struct coh_source coh_log_source(struct coh_log *log)
{
	struct coh_source s = { .ctx = log, .count = log_count, .get = log_get,
				.bytes = log_bytes };
	return s;
}

uint32_t coh_source_group_bit(const struct coh_event *ev)
{
	int g = ev ? coh_kind_group(ev->kind) : -1;

	return g < 0 ? COH_SOURCE_GROUPS_ALL : 1u << g;
}

uint32_t coh_source_groups(const struct coh_source *src)
{
	uint64_t n = src->count(src->ctx);
	uint32_t bits = 0;
	struct coh_event ev;

	if (src->groups)
		return src->groups(src->ctx);
	for (uint64_t i = 0; i < n && bits != COH_SOURCE_GROUPS_ALL; i++)
		bits |= coh_source_group_bit(src->get(src->ctx, i, &ev) < 0 ? NULL : &ev);
	return bits;
}
