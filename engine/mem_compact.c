/* SPDX-License-Identifier: MIT */
/*
 * mem_compact.c - a snapshot's pages and leaf nodes in compact form
 * (mem-compact.h): made when a snapshot is taken (mem.c, snapshot_tree()),
 * read in place, or made full again when a state cloned from the snapshot
 * writes there.
 */
#include <string.h>

#include "mem-compact.h"
#include "pack.h"
#include "sim-local.h"

enum { CP_NMAP = 1, CP_NUNC = 2, CP_LAST = 4, CP_DET = 8 };

PACK_BLOCK_OK(struct cpage);

_Static_assert(PG_BLKS == 64, "a field's detailed blocks are one 64-bit mask");
_Static_assert(CP_DET << (NFIELDS - 1) <= 0x80, "the flags are one byte");

/* ---- compact pages ---------------------------------------------------------- */

/* @pg encoded (@buf: CP_MAX bytes of scratch). */
struct cpage *coh_cp_encode(struct coh_heap *h, const struct page *pg, size_t lcb, uint8_t *buf)
{
	uint8_t *o = buf + 1, *flags = buf;

	*flags = (pg->nmap ? CP_NMAP : 0) | (pg->nunc ? CP_NUNC : 0) | (pg->lastcpu ? CP_LAST : 0);
	if (pg->nmap) {
		memcpy(o, &pg->nmap, 4);
		o += 4;
	}
	if (pg->nunc) {
		memcpy(o, &pg->nunc, 4);
		o += 4;
	}
	for (int f = 0; f < NFIELDS; f++) {
		const struct varr *a = &pg->f[f];
		uint64_t mask = 0;

		for (unsigned b = 0; a->d && b < PG_BLKS; b++)
			if (a->d[b])
				mask |= 1ull << b;
		if (mask) {
			*flags |= (uint8_t)(CP_DET << f);
			memcpy(o, &mask, 8);
			o += 8;
		}
		o = pack_runs(o, a->u, PG_BLKS);
		for (unsigned b = 0; b < PG_BLKS; b++)
			if (mask >> b & 1)
				o = pack_runs(o, a->d[b], VB);
	}
	if (pg->lastcpu)
		o = pack_byte_runs(o, pg->lastcpu, lcb);
	return pack_block(h, buf, o);
}

/* @cp as a page that lives in @r: read it, or copy it (page_copy()). */
void coh_cp_view(const struct cpage *cp, struct page *pg, struct cp_room *r, size_t lcb)
{
	const uint8_t *in = cp->data + 1;
	uint8_t flags = cp->data[0];

	ref_init(&pg->refs, 1);
	pg->nmap = pg->nunc = 0;
	if (flags & CP_NMAP) {
		memcpy(&pg->nmap, in, 4);
		in += 4;
	}
	if (flags & CP_NUNC) {
		memcpy(&pg->nunc, in, 4);
		in += 4;
	}
	pg->epoch = 0;
	for (int f = 0; f < NFIELDS; f++) {
		uint64_t mask = 0;

		if (flags & (CP_DET << f)) {
			memcpy(&mask, in, 8);
			in += 8;
		}
		pg->f[f].nblk = PG_BLKS;
		pg->f[f].ndet = (uint32_t)__builtin_popcountll(mask);
		pg->f[f].u = pg->ustore[f];
		pg->f[f].d = mask ? r->d[f] : NULL;
		in = unpack_runs(in, pg->ustore[f], PG_BLKS);
		for (unsigned b = 0; b < PG_BLKS; b++) {
			r->d[f][b] = mask >> b & 1 ? r->det[f][b] : NULL;
			if (r->d[f][b])
				in = unpack_runs(in, r->det[f][b], VB);
		}
	}
	pg->lastcpu = flags & CP_LAST ? r->lastcpu : NULL;
	if (pg->lastcpu)
		unpack_byte_runs(in, r->lastcpu, lcb);
}

void coh_cp_put(struct coh_heap *h, struct cpage *cp)
{
	if (!ref_put(&cp->refs))
		coh_heap_free(h, cp, sizeof(*cp) + cp->len);
}

/* ---- sparse leaves ---------------------------------------------------------- */

size_t coh_sparse_bytes(const struct sparse_leaf *l)
{
	return sizeof(*l) + l->n * sizeof(l->slot[0]);
}

/* Slot @i of @l's own. */
static void *own_slot(const struct sparse_leaf *l, unsigned i)
{
	unsigned w = i / 64, k = 0;
	uint64_t bit = 1ull << (i % 64);

	for (unsigned j = 0; j < w; j++)
		k += (unsigned)__builtin_popcountll(l->bits[j]);
	return l->slot[k + (unsigned)__builtin_popcountll(l->bits[w] & (bit - 1))];
}

/* Slot @i of @l (a delta's base's where it holds none of its own). */
void *coh_sparse_get(const struct sparse_leaf *l, unsigned i)
{
	if (l->bits[i / 64] >> (i % 64) & 1)
		return own_slot(l, i);
	return l->base ? coh_sparse_get(l->base, i) : NULL;
}

/* Does slot @i of @n differ from @ref's? */
static bool differs(const struct radix_node *n, const struct sparse_leaf *ref, unsigned i)
{
	return n->slot[i] != coh_sparse_get(ref, i);
}

/**
 * coh_sparse_make - leaf node @n (a snapshot's own: one sharer) in a few
 * bytes, which take its slots; @n is freed
 * @ref: the complete sparse leaf of the snapshot before, or NULL: the
 *       result is a delta of it when that is less than half a complete one
 *
 * Return: the sparse leaf, tagged, or @n itself when out of memory (a full
 * leaf serves as well).
 */
void *coh_sparse_make(struct coh_heap *h, struct radix_node *n, struct sparse_leaf *ref)
{
	uint32_t full = 0, delta = 0, k = 0;
	struct sparse_leaf *l;

	for (unsigned i = 0; i < RX_FAN; i++) {
		full += n->slot[i] != NULL;
		delta += ref && differs(n, ref, i);
	}
	if (!ref || 2 * delta >= full)
		ref = NULL;
	l = coh_heap_alloc(h, sizeof(*l) + (ref ? delta : full) * sizeof(l->slot[0]));
	if (!l)
		return n;
	ref_init(&l->refs, 1);
	memset(l->bits, 0, sizeof(l->bits));
	l->base = ref;
	if (ref)
		ref_get(&ref->refs);
	for (unsigned i = 0; i < RX_FAN; i++) {
		if (ref ? differs(n, ref, i) : n->slot[i] != NULL) {
			l->bits[i / 64] |= 1ull << (i % 64);
			l->slot[k++] = n->slot[i];
		} else if (n->slot[i]) {
			/* the base holds it too: only @n's share goes */
			ref_put(refs_of(n->slot[i]));
		}
	}
	l->n = k;
	coh_heap_free(h, n, sizeof(*n));
	return tagged(l);
}

/**
 * coh_sparse_expand - a full copy of @l (node_private()'s): each slot gains
 * a sharer; the caller then drops its share of @l
 *
 * Return: the node, or NULL when out of memory.
 */
struct radix_node *coh_sparse_expand(struct coh_heap *h, const struct sparse_leaf *l)
{
	struct radix_node *c = coh_heap_zalloc(h, sizeof(*c));

	if (!c)
		return NULL;
	ref_init(&c->refs, 1);
	for (unsigned i = 0; i < RX_FAN; i++)
		if ((c->slot[i] = coh_sparse_get(l, i)))
			ref_get(refs_of(c->slot[i]));
	return c;
}
