/* SPDX-License-Identifier: MIT */
/*
 * mem-compact.h - what a snapshot's memory tree holds in compact form
 * (mem_compact.c): pages (struct cpage) and leaf nodes (struct
 * sparse_leaf).  Each is tagged by the low bit of the pointer in its
 * parent's slot: at the last level a compact page, one level up a sparse
 * leaf.  Internal to mem.c.
 */
#ifndef COH_MEM_COMPACT_H
#define COH_MEM_COMPACT_H

#include <stddef.h>

#include "mem.h"

/*
 * A snapshot's page in a few bytes (about 45 on big, a quarter of the
 * first form's: most pages have a field or two without detailed blocks
 * and one CPU's last-CPU bytes).  A byte of flags: CP_NMAP and CP_NUNC
 * (that count follows, 4 bytes), CP_LAST (the page has last-CPU bytes),
 * CP_DET << f (field f has detailed blocks).  Then per field: the 64-bit
 * mask of its detailed blocks when it has some, its u[] as runs, then each
 * detailed block as runs (a run: the value, 4 bytes, and its length less
 * one, 1 byte); then the last-CPU bytes as runs (the byte and the length
 * less one).  Structure is kept as it was (which blocks are detailed), not
 * only content.
 */
struct cpage {
	refcount refs;               /* first, as in a page or a node */
	uint32_t len;                /* of data */
	uint8_t data[];
};

#define CP_MAX (1 + 8 + NFIELDS * (8 + 5 * PG_BLKS * (1 + VB)) + 2 * PG_SIZE)

/*
 * A snapshot's leaf node (its slots hold pages) in a few bytes.  A
 * snapshot's tree copies the leaf of each page written since the one
 * before; full, a leaf is 4 KiB of pointers for the few pages of it that
 * changed (on big, 160 KB of each snapshot taken every 6 250 events).
 * Complete (no base): a bit per slot that holds something, and those slots
 * in order.  A delta: a bit per slot that differs from its base, a
 * complete leaf of an earlier snapshot, and those slots (NULL perhaps);
 * the others are the base's.
 */
struct sparse_leaf {
	refcount refs;               /* first, as in a node */
	uint32_t n;                  /* slots held */
	struct sparse_leaf *base;    /* a delta's (one sharer of it), or NULL */
	uint64_t bits[RX_FAN / 64];
	void *slot[];
};

_Static_assert(offsetof(struct cpage, refs) == 0 && offsetof(struct sparse_leaf, refs) == 0 &&
	       offsetof(struct radix_node, refs) == 0 && offsetof(struct page, refs) == 0,
	       "a slot's sharer count is where it points");

#define CP_TAG ((uintptr_t)1)

static inline bool is_cp(const void *p)
{
	return (uintptr_t)p & CP_TAG;
}

static inline struct cpage *cp_of(const void *p)
{
	return (struct cpage *)((uintptr_t)p & ~CP_TAG);
}

static inline struct sparse_leaf *sparse_of(const void *p)
{
	return (struct sparse_leaf *)((uintptr_t)p & ~CP_TAG);
}

static inline void *tagged(const void *p)
{
	return (void *)((uintptr_t)p | CP_TAG);
}

/* The sharer count of what a slot holds: a node, a sparse leaf, a page or
 * a compact page (each has it first). */
static inline refcount *refs_of(void *p)
{
	return (refcount *)((uintptr_t)p & ~CP_TAG);
}

/* Room for a compact page read back as a page (coh_cp_view()). */
struct cp_room {
	uint32_t *d[NFIELDS][PG_BLKS];
	uint32_t det[NFIELDS][PG_BLKS][VB];
	uint8_t lastcpu[PG_SIZE];
};

/* mem_compact.c */
struct cpage *coh_cp_encode(struct coh_heap *h, const struct page *pg, size_t lcb, uint8_t *buf);
void coh_cp_view(const struct cpage *cp, struct page *pg, struct cp_room *r, size_t lcb);
void coh_cp_put(struct coh_heap *h, struct cpage *cp);
void *coh_sparse_make(struct coh_heap *h, struct radix_node *n, struct sparse_leaf *ref);
struct radix_node *coh_sparse_expand(struct coh_heap *h, const struct sparse_leaf *l);
void *coh_sparse_get(const struct sparse_leaf *l, unsigned i);
size_t coh_sparse_bytes(const struct sparse_leaf *l);

#endif
