/* SPDX-License-Identifier: MIT */
/*
 * map_copy.c - a map table's copies: a clone's shares the mappings (and
 * copies the indexes), a snapshot's keeps them in a few bytes (struct
 * map_blob).
 *
 * A timeline's snapshot used to share the live state's mapping objects, so
 * every mapping the next stretch of the replay changed or unmapped stayed
 * behind whole: its struct, its segments, its per-byte arrays and their
 * detailed blocks, and the snapshot's copies of both sorted indexes (on
 * big, at 12 500 events a snapshot, about 380 KB of each snapshot's 800).
 * A snapshot now keeps them as one blob: each mapping in creation order,
 * its fields as variable-length integers, its segments, and its per-byte
 * arrays as runs (structure kept: which blocks are detailed); then each
 * index as the (mapping, segment) of its entries in order, which is all
 * an entry holds besides what its segment says.  A clone of the snapshot
 * builds the objects and indexes again (coh_map_blob_open()); a snapshot
 * of it shares the blob.  The live state then shares no mapping with a
 * snapshot, so it copies none on a write either.
 */
#include <stdlib.h>

#include "map.h"
#include "pack.h"
#include "sim-local.h"

struct map_blob {
	refcount refs;
	uint32_t len;                /* of data */
	uint8_t data[];
};

PACK_BLOCK_OK(struct map_blob);

static uint64_t zigzag(int64_t x)
{
	return ((uint64_t)x << 1) ^ (uint64_t)(x >> 63);
}

static int64_t unzigzag(uint64_t x)
{
	return (int64_t)(x >> 1) ^ -(int64_t)(x & 1);
}

/* ---- sizes ---------------------------------------------------------------- */

static size_t varr_bound(const struct varr *a)
{
	size_t n = 10 + 5 * (size_t)a->nblk + 1 + (a->nblk + 7) / 8;

	for (uint32_t b = 0; a->d && b < a->nblk; b++)
		n += a->d[b] ? 5 * VB : 0;
	return n;
}

/* Room enough for @t's blob. */
static size_t table_bound(const struct map_table *t)
{
	size_t n = 20 * ((size_t)t->nbus + t->nphys);

	for (uint32_t i = 0; i < t->n; i++) {
		const struct mapping *m = t->v[i];

		n += 19 * 10 + (size_t)m->nsegs * 40 + varr_bound(&m->devw);
		if (m->flags & MF_OWNED)
			n += varr_bound(&m->own);
		if (m->flags & MF_BOUNCED)
			n += varr_bound(&m->slot);
	}
	return n;
}

/* ---- writing ---------------------------------------------------------------- */

static uint8_t *put_varr(uint8_t *o, const struct varr *a)
{
	bool detailed = false;

	o = pack_u64(o, a->nblk);
	o = pack_runs(o, a->u, a->nblk);
	for (uint32_t b = 0; a->d && b < a->nblk; b++)
		detailed |= a->d[b] != NULL;
	*o++ = detailed;
	if (!detailed)
		return o;
	memset(o, 0, (a->nblk + 7) / 8);
	for (uint32_t b = 0; b < a->nblk; b++)
		if (a->d[b])
			o[b / 8] |= (uint8_t)(1u << (b % 8));
	o += (a->nblk + 7) / 8;
	for (uint32_t b = 0; b < a->nblk; b++)
		if (a->d[b])
			o = pack_runs(o, a->d[b], VB);
	return o;
}

static uint8_t *put_mapping(uint8_t *o, const struct mapping *m)
{
	o = pack_u64(o, m->id);
	o = pack_u64(o, m->dev);
	o = pack_u64(o, m->kind);
	o = pack_u64(o, m->dir);
	o = pack_u64(o, m->flags);
	o = pack_u64(o, zigzag(m->last_flush));
	o = pack_u64(o, m->nsegs);
	o = pack_u64(o, m->nents);
	o = pack_u64(o, m->scope);
	o = pack_u64(o, m->last_maint);
	o = pack_u64(o, m->len);
	o = pack_addr(o, m->handle);
	o = pack_addr(o, m->irp);
	o = pack_u64(o, zigzag(m->noflush_root));
	o = pack_addr(o, m->made_seq);
	o = pack_addr(o, m->made_src);
	o = pack_u64(o, m->made_ts);
	for (uint32_t i = 0; i < m->nsegs; i++) {
		o = pack_addr(o, m->segs[i].phys);
		o = pack_addr(o, m->segs[i].bus);
		o = pack_u64(o, m->segs[i].len);
		o = pack_u64(o, m->segs[i].off);
	}
	o = put_varr(o, &m->devw);
	if (m->flags & MF_OWNED)
		o = put_varr(o, &m->own);
	if (m->flags & MF_BOUNCED)
		o = put_varr(o, &m->slot);
	return o;
}

/* An index's entries as (mapping, segment); NULL when one is not what its
 * segment says (then the table is copied as it is). */
static uint8_t *put_index(uint8_t *o, const struct map_table *t, const struct map_entry *v,
			  uint32_t n, bool phys)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t at = coh_map_place(t, v[i].m);
		struct map_entry e;

		if (at == UINT32_MAX || v[i].seg >= v[i].m->nsegs)
			return NULL;
		e = coh_map_entry(v[i].m, v[i].seg, phys);
		if (e.start != v[i].start || e.end != v[i].end || e.dev != v[i].dev)
			return NULL;
		o = pack_u64(o, at);
		o = pack_u64(o, v[i].seg);
	}
	return o;
}

/**
 * coh_map_blob_make - @t (a live table) as a blob in @dst's table, which
 * takes @t's counts
 *
 * Return: 0, 1 when @t cannot be kept so (an index entry its segment does
 * not give: copy it as it is), or -COH_E_NOMEM.
 */
int coh_map_blob_make(struct coh_sim *dst, const struct map_table *t)
{
	uint8_t *buf = malloc(table_bound(t)), *o = buf;
	struct map_table *d = &dst->maps;
	struct map_blob *b;

	if (!buf)
		return -COH_E_NOMEM;
	for (uint32_t i = 0; i < t->n; i++)
		o = put_mapping(o, t->v[i]);
	o = put_index(o, t, t->bus, t->nbus, false);
	if (o)
		o = put_index(o, t, t->phys, t->nphys, true);
	if (!o) {
		free(buf);
		return 1;
	}
	b = pack_block(dst->heap, buf, o);
	free(buf);
	if (!b)
		return -COH_E_NOMEM;
	*d = (struct map_table){ .n = t->n, .nbus = t->nbus, .nphys = t->nphys,
				 .maxlen = t->maxlen, .bytes = t->bytes, .blob = b };
	return 0;
}

/* ---- reading ---------------------------------------------------------------- */

static const uint8_t *get_varr(struct coh_heap *h, const uint8_t *in, struct varr *a)
{
	uint64_t nblk;
	const uint8_t *mask;

	in = unpack_u64(in, &nblk);
	a->nblk = (uint32_t)nblk;
	a->u = coh_heap_alloc(h, a->nblk * sizeof(uint32_t));
	if (!a->u)
		return NULL;
	in = unpack_runs(in, a->u, a->nblk);
	if (!*in++)
		return in;
	mask = in;
	in += (a->nblk + 7) / 8;
	a->d = coh_heap_zalloc(h, a->nblk * sizeof(*a->d));
	if (!a->d)
		return NULL;
	for (uint32_t b = 0; b < a->nblk; b++) {
		if (!(mask[b / 8] >> (b % 8) & 1))
			continue;
		if (!(a->d[b] = coh_heap_alloc(h, VB * sizeof(uint32_t))))
			return NULL;
		a->ndet++;
		in = unpack_runs(in, a->d[b], VB);
	}
	return in;
}

/* an unsigned field of any width */
#define GET(in, field)                                                              \
	do {                                                                        \
		uint64_t x_;                                                        \
		in = unpack_u64(in, &x_);                                           \
		(field) = (__typeof__(field))x_;                                    \
	} while (0)

/* A mapping's fields; *nsegs: its segments, which get_parts() reads. */
static const uint8_t *get_mapping(struct coh_heap *h, const uint8_t *in, struct mapping **out,
				  uint32_t *nsegs)
{
	struct mapping *m = coh_heap_zalloc(h, sizeof(*m));
	uint64_t x;

	*out = m;
	if (!m)
		return NULL;
	ref_init(&m->refs, 1);
	GET(in, m->id);
	GET(in, m->dev);
	GET(in, m->kind);
	GET(in, m->dir);
	GET(in, m->flags);
	in = unpack_u64(in, &x);
	m->last_flush = (int32_t)unzigzag(x);
	GET(in, *nsegs);                 /* m->nsegs: once they are allocated */
	GET(in, m->nents);
	GET(in, m->scope);
	GET(in, m->last_maint);
	GET(in, m->len);
	in = unpack_addr(in, &m->handle);
	in = unpack_addr(in, &m->irp);
	in = unpack_u64(in, &x);
	m->noflush_root = unzigzag(x);
	in = unpack_addr(in, &m->made_seq);
	in = unpack_addr(in, &m->made_src);
	GET(in, m->made_ts);
	return in;
}

/* @m's segments and per-byte arrays, after get_mapping() */
static const uint8_t *get_parts(struct coh_heap *h, const uint8_t *in, struct mapping *m,
				uint32_t nsegs)
{
	if (!(m->segs = coh_heap_alloc(h, nsegs * sizeof(*m->segs))))
		return NULL;
	m->nsegs = nsegs;
	for (uint32_t i = 0; i < nsegs; i++) {
		in = unpack_addr(in, &m->segs[i].phys);
		in = unpack_addr(in, &m->segs[i].bus);
		GET(in, m->segs[i].len);
		GET(in, m->segs[i].off);
	}
	in = get_varr(h, in, &m->devw);
	if (in && (m->flags & MF_OWNED))
		in = get_varr(h, in, &m->own);
	if (in && (m->flags & MF_BOUNCED))
		in = get_varr(h, in, &m->slot);
	return in;
}

static const uint8_t *get_index(const uint8_t *in, const struct map_table *d,
				struct map_entry *v, uint32_t n, bool phys)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t at, seg;

		in = unpack_u64(in, &at);
		in = unpack_u64(in, &seg);
		if (at >= d->n || seg >= d->v[at]->nsegs)
			return NULL;
		v[i] = coh_map_entry(d->v[at], (uint32_t)seg, phys);
	}
	return in;
}

/**
 * coh_map_blob_open - @dst's table from the blob of @t (a snapshot's):
 * the mappings and indexes it was made of, the arrays as long as they hold
 *
 * Return: 0, -COH_E_NOMEM, or -COH_E_INVAL for a blob
 * coh_map_blob_make() did not make (@dst's table is then empty, or partly
 * built: coh_map_table_free() frees it).
 */
int coh_map_blob_open(struct coh_sim *dst, const struct map_table *t)
{
	struct map_table *d = &dst->maps;
	const uint8_t *in = t->blob->data;

	memset(d, 0, sizeof(*d));
	d->cap = MAX(t->n, 1);
	d->capbus = MAX(t->nbus, 1);
	d->capphys = MAX(t->nphys, 1);
	d->v = coh_heap_alloc(dst->heap, d->cap * sizeof(*d->v));
	d->bus = coh_heap_alloc(dst->heap, d->capbus * sizeof(*d->bus));
	d->phys = coh_heap_alloc(dst->heap, d->capphys * sizeof(*d->phys));
	if (!d->v || !d->bus || !d->phys)
		return -COH_E_NOMEM;
	for (uint32_t i = 0; i < t->n; i++) {
		struct mapping *m;
		uint32_t nsegs;

		in = get_mapping(dst->heap, in, &m, &nsegs);
		if (m)
			d->v[d->n++] = m;       /* freed with the table if not whole */
		if (!in || !(in = get_parts(dst->heap, in, m, nsegs)))
			return -COH_E_NOMEM;
	}
	if (!(in = get_index(in, d, d->bus, t->nbus, false)) ||
	    !get_index(in, d, d->phys, t->nphys, true))
		return -COH_E_INVAL;
	d->nbus = t->nbus;
	d->nphys = t->nphys;
	d->maxlen = t->maxlen;
	d->bytes = t->bytes;
	return 0;
}

/* ---- cloning, freeing ---------------------------------------------------- */

static struct map_entry *dup_idx(struct coh_sim *s, const struct map_entry *v, uint32_t n, uint32_t cap)
{
	struct map_entry *c = coh_heap_alloc(s->heap, cap * sizeof(*c));

	if (c && n)
		memcpy(c, v, n * sizeof(*c));
	return c;
}

/* @t as it is: the arrays copied, the mappings shared */
static int plain_copy(struct coh_sim *dst, const struct map_table *t, bool tight)
{
	struct map_table *d = &dst->maps;

	*d = *t;
	if (tight) {                 /* the arrays as long as held */
		d->cap = t->n;
		d->capbus = t->nbus;
		d->capphys = t->nphys;
	}
	d->cap = d->cap ? d->cap : 1;
	d->capbus = d->capbus ? d->capbus : 1;
	d->capphys = d->capphys ? d->capphys : 1;
	d->v = coh_heap_alloc(dst->heap, d->cap * sizeof(*d->v));
	d->bus = dup_idx(dst, t->bus, t->nbus, d->capbus);
	d->phys = dup_idx(dst, t->phys, t->nphys, d->capphys);
	if (!d->v || !d->bus || !d->phys) {
		coh_heap_free(dst->heap, d->v, d->cap * sizeof(*d->v));
		coh_heap_free(dst->heap, d->bus, d->capbus * sizeof(*d->bus));
		coh_heap_free(dst->heap, d->phys, d->capphys * sizeof(*d->phys));
		memset(d, 0, sizeof(*d));
		return -COH_E_NOMEM;
	}
	if (t->n)
		memcpy(d->v, t->v, t->n * sizeof(*d->v));
	d->offbus = d->offphys = 0;
	for (uint32_t i = 0; i < t->n; i++)
		ref_get(&t->v[i]->refs);
	return 0;
}

/* @tight: for a snapshot, kept in a few bytes (map_copy.c) when it can be;
 * a table so kept is shared by a snapshot of it and opened by a clone. */
int coh_map_table_copy(struct coh_sim *dst, const struct coh_sim *src, bool tight)
{
	const struct map_table *t = &src->maps;
	int err;

	if (t->blob && tight) {
		dst->maps = *t;
		coh_map_blob_get(t->blob);
		err = 0;
	} else if (t->blob) {
		err = coh_map_blob_open(dst, t);
	} else if (!tight || (err = coh_map_blob_make(dst, t)) > 0) {
		err = plain_copy(dst, t, tight);
	}
	if (err < 0)
		return err;
	dst->dead = src->dead;
	if (dst->dead)
		ref_get(&dst->dead->refs);
	return 0;
}

void coh_map_table_free(struct coh_sim *s)
{
	struct map_table *t = &s->maps;

	coh_map_blob_put(s->heap, t->blob);
	for (uint32_t i = 0; t->v && i < t->n; i++)
		coh_map_unref(s->heap, t->v[i]);
	coh_heap_free(s->heap, t->v, t->cap * sizeof(*t->v));
	coh_heap_free(s->heap, t->bus - t->offbus, t->capbus * sizeof(*t->bus));
	coh_heap_free(s->heap, t->phys - t->offphys, t->capphys * sizeof(*t->phys));
	memset(t, 0, sizeof(*t));
	if (s->dead && !ref_put(&s->dead->refs))
		coh_heap_free(s->heap, s->dead, sizeof(*s->dead));
	s->dead = NULL;
}

/* ---- sharing, accounting ---------------------------------------------------- */

struct map_blob *coh_map_blob_get(struct map_blob *b)
{
	ref_get(&b->refs);
	return b;
}

void coh_map_blob_put(struct coh_heap *h, struct map_blob *b)
{
	if (b && !ref_put(&b->refs))
		coh_heap_free(h, b, sizeof(*b) + b->len);
}

size_t coh_map_blob_bytes(const struct map_blob *b)
{
	return b ? sizeof(*b) + b->len : 0;
}

size_t coh_map_bytes(const struct coh_sim *s)
{
	const struct map_table *t = &s->maps;
	size_t n = t->cap * sizeof(*t->v) + (t->capbus + t->capphys) * sizeof(struct map_entry);

	n += coh_map_blob_bytes(t->blob);
	for (uint32_t i = 0; t->v && i < t->n; i++) {
		const struct mapping *m = t->v[i];

		n += sizeof(*m) + m->nsegs * sizeof(*m->segs) + coh_varr_bytes(&m->devw);
		if (m->flags & MF_OWNED)
			n += coh_varr_bytes(&m->own);
		if (m->flags & MF_BOUNCED)
			n += coh_varr_bytes(&m->slot);
	}
	return n + (s->dead ? sizeof(*s->dead) : 0);
}
