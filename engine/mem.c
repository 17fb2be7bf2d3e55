/* SPDX-License-Identifier: MIT */
/*
 * mem.c - sparse physical memory: a persistent radix tree of 4 KiB pages.
 *
 * Page numbers have up to 52 bits; six levels of 512-way nodes cover 54.
 * Nodes and pages carry reference counts: a clone shares the root, and a
 * write copies every shared node on its path and the page itself
 * (copy-on-write).  A small TLB caches page pointers; an entry is
 * "writable" only after a copy-on-write walk made its path private; a
 * clone starts with an empty TLB and its source's entries stop being
 * writable.
 *
 * Snapshots hold pages in compact form.  A timeline's current state is
 * tracked (coh_vm_track()): the first write to each page since the last
 * snapshot (or the one it was restored from, its "base") notes the page
 * number.  A snapshot of it (coh_vm_clone(.., true)) is the base's tree
 * with the noted pages encoded in a few bytes each (struct cpage, tagged
 * by the pointer's low bit), so it shares nothing with the state that goes
 * on and holds about 130 bytes per written page instead of a page's 864
 * and its detailed blocks.  A state cloned from a snapshot decodes each
 * compact page into a page of its own on first access, read or write.
 * The fields over byte ranges are mem_fields.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "mem-compact.h"
#include "sim-local.h"
#include "varr.h"
#include "sim_limits.h"

static unsigned rx_index(uint64_t pfn, int level)
{
	return (unsigned)(pfn >> (RX_BITS * (RX_LEVELS - 1 - level))) & (RX_FAN - 1);
}

static void tlb_flush(struct sim_memory *m)
{
	memset(m->tlb, 0, sizeof(m->tlb));
}

/* ---- pages --------------------------------------------------------------- */

static struct page *page_new(struct coh_sim *s)
{
	struct page *pg;

	if (coh_limit_mem_reached(s, s->mem.npages))
		return NULL;
	pg = coh_heap_zalloc(s->heap, sizeof(*pg));
	if (!pg)
		return NULL;
	ref_init(&pg->refs, 1);
	for (int f = 0; f < NFIELDS; f++) {
		pg->f[f].nblk = PG_BLKS;
		pg->f[f].u = pg->ustore[f];
	}
	s->mem.npages++;
	return pg;
}

static void page_free(struct coh_heap *h, struct page *pg, size_t lcb)
{
	for (int f = 0; f < NFIELDS; f++)
		coh_varr_free_details(h, &pg->f[f]);
	coh_heap_free(h, pg->lastcpu, lcb);
	coh_heap_free(h, pg, sizeof(*pg));
}

static struct page *page_copy(struct coh_sim *s, const struct page *old)
{
	struct page *pg = coh_heap_alloc(s->heap, sizeof(*pg));

	if (!pg)
		return NULL;
	*pg = *old;
	ref_init(&pg->refs, 1);
	pg->lastcpu = NULL;
	for (int f = 0; f < NFIELDS; f++) {
		pg->f[f].u = pg->ustore[f];
		pg->f[f].d = NULL;
	}
	for (int f = 0; f < NFIELDS; f++) {
		if (coh_varr_copy_into(s->heap, &pg->f[f], &old->f[f]) < 0)
			goto fail;
	}
	if (old->lastcpu) {
		pg->lastcpu = coh_heap_alloc(s->heap, lastcpu_bytes(s));
		if (!pg->lastcpu)
			goto fail;
		memcpy(pg->lastcpu, old->lastcpu, lastcpu_bytes(s));
	}
	return pg;
fail:
	page_free(s->heap, pg, lastcpu_bytes(s));
	return NULL;
}

/* A private page with @cp's content: read in place (its room on this
 * stack), then copied as any page is. */
static __attribute__((noinline)) struct page *cp_decode(struct coh_sim *s,
							 const struct cpage *cp)
{
	struct cp_room r;
	struct page v;

	coh_cp_view(cp, &v, &r, lastcpu_bytes(s));
	return page_copy(s, &v);
}

/* ---- the tree ------------------------------------------------------------ */

/* Slot @i of node @p: a full node, or (a snapshot's leaf) a sparse one. */
static inline void *slot_of(const void *p, unsigned i)
{
	return is_cp(p) ? coh_sparse_get(sparse_of(p), i) : ((const struct radix_node *)p)->slot[i];
}

static void unref(struct coh_heap *h, void *p, int level, size_t lcb)
{
	if (is_cp(p) && level == RX_LEVELS) {
		coh_cp_put(h, cp_of(p));
		return;
	}
	if (is_cp(p)) {
		struct sparse_leaf *l = sparse_of(p);

		if (ref_put(&l->refs))
			return;
		for (uint32_t k = 0; k < l->n; k++)
			unref(h, l->slot[k], RX_LEVELS, lcb);
		if (l->base)
			unref(h, tagged(l->base), RX_LEVELS - 1, lcb);
		coh_heap_free(h, l, coh_sparse_bytes(l));
		return;
	}
	if (!p || ref_put((refcount *)p))
		return;
	if (level == RX_LEVELS) {
		page_free(h, p, lcb);
		return;
	}
	for (unsigned i = 0; i < RX_FAN; i++)
		unref(h, ((struct radix_node *)p)->slot[i], level + 1, lcb);
	coh_heap_free(h, p, sizeof(struct radix_node));
}

void coh_vm_free(struct coh_sim *s)
{
	if (s->mem.reap_depth)
		coh_vm_free_some(s, SIZE_MAX);
	unref(s->heap, s->mem.root, 0, lastcpu_bytes(s));
	unref(s->heap, s->mem.base, 0, lastcpu_bytes(s));
	free(s->mem.dirty);
	s->mem.root = s->mem.base = NULL;
	s->mem.dirty = NULL;
	s->mem.ndirty = s->mem.capdirty = 0;
	s->mem.epoch = 0;
	tlb_flush(&s->mem);
}

/**
 * coh_vm_free_some - free @s's memory a part at a time: up to about @max
 * pages of it (a state let go, never read again), going on where the call
 * before stopped; coh_vm_free() then frees what is left of @s's memory
 *
 * Return: true when its tree is freed.
 */
bool coh_vm_free_some(struct coh_sim *s, size_t max)
{
	struct sim_memory *m = &s->mem;
	size_t lcb = lastcpu_bytes(s), done = 0;

	if (!m->reap_depth) {            /* the first call: take the root */
		struct radix_node *root = m->root;

		m->root = NULL;
		tlb_flush(m);
		if (!root || ref_put(&root->refs))
			return true;         /* none, or shared: no node of ours */
		m->reap[0].node = root;
		m->reap[0].next = 0;
		m->reap_depth = 1;
	}
	while (m->reap_depth && done < max) {
		int level = m->reap_depth - 1;
		struct radix_node *n = m->reap[level].node;
		void *c;

		if (m->reap[level].next == RX_FAN) {
			coh_heap_free(s->heap, n, sizeof(*n));
			m->reap_depth--;
			continue;
		}
		if (!(c = n->slot[m->reap[level].next++]))
			continue;
		if (level + 1 == RX_LEVELS || is_cp(c)) {
			/* a page, or a sparse leaf (freed whole: a leaf's pages) */
			unref(s->heap, c, level + 1, lcb);
			done += level + 1 == RX_LEVELS ? 1 : RX_FAN / 4;
		} else if (!ref_put(&((struct radix_node *)c)->refs)) {
			m->reap[m->reap_depth].node = c;
			m->reap[m->reap_depth++].next = 0;
		}
	}
	return !m->reap_depth;
}

/* Entries of @m that may write no longer may: their pages are shared now.
 * Writes nothing when none may (a snapshot's), so that several threads can
 * clone one snapshot at once. */
static void tlb_drop_rw(struct sim_memory *m)
{
	for (unsigned i = 0; i < TLB_SIZE; i++)
		if (m->tlb[i].rw)
			m->tlb[i].rw = false;
}

/* A private copy of a shared node (full, even of a sparse leaf): its
 * children gain a sharer. */
static struct radix_node *node_private(struct coh_sim *s, void *p)
{
	struct radix_node *c, *n = p;

	if (is_cp(p)) {
		c = coh_sparse_expand(s->heap, sparse_of(p));
		if (c)
			unref(s->heap, p, RX_LEVELS - 1, lastcpu_bytes(s));
		return c;
	}
	if (ref_count(&n->refs) == 1)
		return n;
	c = coh_heap_alloc(s->heap, sizeof(*c));
	if (!c)
		return NULL;
	memcpy(c->slot, n->slot, sizeof(c->slot));
	ref_init(&c->refs, 1);
	for (unsigned i = 0; i < RX_FAN; i++)
		if (c->slot[i])
			ref_get(refs_of(c->slot[i]));
	ref_put(&n->refs);
	return c;
}

/* The leaf slot of @pfn under *@root, every node on its path made private
 * (created when missing), or NULL when out of memory. */
static void **leaf_private(struct coh_sim *s, struct radix_node **root, uint64_t pfn)
{
	struct radix_node **pp = root;

	for (int level = 0;; level++) {
		if (!*pp)
			*pp = coh_heap_zalloc(s->heap, sizeof(struct radix_node));
		else
			*pp = node_private(s, *pp);
		if (!*pp)
			return NULL;
		if (!ref_count(&(*pp)->refs))
			ref_init(&(*pp)->refs, 1);
		if (level == RX_LEVELS - 1)
			return &(*pp)->slot[rx_index(pfn, level)];
		pp = (struct radix_node **)&(*pp)->slot[rx_index(pfn, level)];
	}
}

static uint32_t new_epoch(void)
{
	static _Atomic uint32_t next = 1;
	uint32_t e;

	while (!(e = atomic_fetch_add_explicit(&next, 1, memory_order_relaxed)))
		;
	return e;
}

/* Note @pg (page @pfn of tracked @s) as written since the base. */
static int note_written(struct coh_sim *s, struct page *pg, uint64_t pfn)
{
	struct sim_memory *m = &s->mem;

	if (pg->epoch == m->epoch)
		return 0;
	if (m->ndirty == m->capdirty) {
		size_t cap = m->capdirty ? 2 * m->capdirty : 256;
		uint64_t *v = realloc(m->dirty, cap * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		m->dirty = v;
		m->capdirty = cap;
	}
	m->dirty[m->ndirty++] = pfn;
	pg->epoch = m->epoch;
	return 0;
}

/* Page @pfn of @s, made private (@write: a page of its own, created when
 * missing and noted as written when tracked; else only a compact page
 * decoded into one), or NULL when out of memory or absent. */
static struct page *page_private(struct coh_sim *s, uint64_t pfn, bool write)
{
	struct tlb_entry *t = &s->mem.tlb[pfn & (TLB_SIZE - 1)];
	void **slot = leaf_private(s, &s->mem.root, pfn);
	struct page *pg;

	if (!slot)
		return NULL;
	pg = *slot;
	if (is_cp(pg)) {
		struct page *c = cp_decode(s, cp_of(pg));

		if (c)
			coh_cp_put(s->heap, cp_of(pg));
		pg = c;
	} else if (!pg && write) {
		pg = page_new(s);
	} else if (pg && write && ref_count(&pg->refs) > 1) {
		struct page *c = page_copy(s, pg);

		if (c)
			ref_put(&pg->refs);
		pg = c;
	}
	if (!pg)
		return NULL;
	*slot = pg;
	if (write && s->mem.epoch && note_written(s, pg, pfn) < 0)
		return NULL;
	t->pfn = pfn + 1;
	t->pg = pg;
	t->rw = write;
	return pg;
}

const struct page *coh_vm_page_ro(const struct coh_sim *s, uint64_t pfn)
{
	struct tlb_entry *t = (struct tlb_entry *)&s->mem.tlb[pfn & (TLB_SIZE - 1)];
	void *p = s->mem.root;

	if (t->pfn == pfn + 1)
		return t->pg;
	for (int level = 0; p && level < RX_LEVELS; level++)
		p = slot_of(p, rx_index(pfn, level));
	if (!p)
		return NULL;
	/* a compact page is decoded on its first read: the tree changes, its
	 * content does not (the TLB already changes on a read) */
	if (is_cp(p))
		return page_private((struct coh_sim *)s, pfn, false);
	t->pfn = pfn + 1;
	t->pg = p;
	t->rw = false;
	return t->pg;
}

struct page *coh_vm_page_rw(struct coh_sim *s, uint64_t pfn)
{
	struct tlb_entry *t = &s->mem.tlb[pfn & (TLB_SIZE - 1)];

	if (t->pfn == pfn + 1 && t->rw)
		return t->pg;
	return page_private(s, pfn, true);
}

/* ---- clones, snapshots and tracking ---------------------------------------- */

void coh_vm_track(struct coh_sim *s, const struct coh_sim *base)
{
	struct sim_memory *m = &s->mem;

	unref(s->heap, m->base, 0, lastcpu_bytes(s));
	m->base = base ? base->mem.root : NULL;
	if (m->base)
		ref_get(&m->base->refs);
	m->ndirty = 0;
	m->epoch = new_epoch();
	tlb_drop_rw(m);             /* the next write to each page is noted */
}

bool coh_vm_is_base(const struct coh_sim *s, const struct coh_sim *snap)
{
	return s->mem.epoch && s->mem.base && s->mem.base == snap->mem.root;
}

/* The slot of tree @root that holds the leaf of @pfn, or NULL. */
static void **leaf_slot(struct radix_node *root, uint64_t pfn)
{
	struct radix_node *n = root;

	for (int level = 0; n && level < RX_LEVELS - 2; level++)
		n = n->slot[rx_index(pfn, level)];
	return n ? &n->slot[rx_index(pfn, RX_LEVELS - 2)] : NULL;
}

/* The leaf of @pfn in @s's tree, a snapshot's own (its path private), in a
 * few bytes (once: then tagged), a delta of the leaf there in tree @base
 * (the snapshot before) when that is smaller. */
static void sparse_leaf_of(struct coh_sim *s, struct radix_node *base, uint64_t pfn)
{
	void **slot = leaf_slot(s->mem.root, pfn), **was = leaf_slot(base, pfn);
	struct sparse_leaf *ref = NULL;

	if (!slot || !*slot || is_cp(*slot) || ref_count(refs_of(*slot)) != 1)
		return;
	if (was && is_cp(*was)) {
		ref = sparse_of(*was);
		ref = ref->base ? ref->base : ref;
	}
	*slot = coh_sparse_make(s->heap, *slot, ref);
}

/* @dst's tree: @src's base with each page @src wrote since in compact form,
 * and each leaf they are in as a sparse leaf. */
static int snapshot_tree(struct coh_sim *dst, struct coh_sim *src)
{
	size_t lcb = lastcpu_bytes(src);
	uint8_t *buf = malloc(CP_MAX);
	int err = 0;

	dst->mem.root = src->mem.base;
	if (dst->mem.root)
		ref_get(&dst->mem.root->refs);
	if (!buf)
		return -COH_E_NOMEM;
	for (size_t i = 0; i < src->mem.ndirty && !err; i++) {
		uint64_t pfn = src->mem.dirty[i];
		const struct page *pg = coh_vm_page_ro(src, pfn);
		struct cpage *cp;
		void **slot;

		if (!pg)                     /* written pages stay: cannot happen */
			continue;
		cp = coh_cp_encode(dst->heap, pg, lcb, buf);
		slot = cp ? leaf_private(dst, &dst->mem.root, pfn) : NULL;
		if (!slot) {
			if (cp)
				coh_cp_put(dst->heap, cp);
			err = -COH_E_NOMEM;
			break;
		}
		unref(dst->heap, *slot, RX_LEVELS, lcb);
		*slot = tagged(cp);
	}
	free(buf);
	for (size_t i = 0; i < src->mem.ndirty && !err; i++)
		sparse_leaf_of(dst, src->mem.base, src->mem.dirty[i]);
	if (!err)
		coh_vm_track(src, dst);
	return err;
}

int coh_vm_clone(struct coh_sim *dst, struct coh_sim *src, bool snapshot)
{
	dst->mem = src->mem;
	dst->mem.base = NULL;
	dst->mem.epoch = 0;
	dst->mem.dirty = NULL;
	dst->mem.ndirty = dst->mem.capdirty = 0;
	dst->mem.reap_depth = 0;
	tlb_flush(&dst->mem);
	if (snapshot && src->mem.epoch)
		return snapshot_tree(dst, src);
	if (dst->mem.root)
		ref_get(&dst->mem.root->refs);
	tlb_drop_rw(&src->mem);
	return 0;
}

/* ---- accounting and hashing ---------------------------------------------- */

static size_t walk_bytes(const void *p, int level, size_t lcb)
{
	const struct radix_node *n = p;
	size_t total = 0;

	if (!p)
		return 0;
	if (level == RX_LEVELS && is_cp(p))
		return sizeof(struct cpage) + cp_of(p)->len;
	if (level == RX_LEVELS) {
		const struct page *pg = p;

		total = sizeof(*pg) + (pg->lastcpu ? lcb : 0);
		for (int f = 0; f < NFIELDS; f++)
			total += coh_varr_bytes(&pg->f[f]) - PG_BLKS * sizeof(uint32_t);
		return total;
	}
	for (unsigned i = 0; i < RX_FAN; i++)
		total += walk_bytes(slot_of(p, i), level + 1, lcb);
	return total + (is_cp(p) ? coh_sparse_bytes(sparse_of(p)) : sizeof(*n));
}

size_t coh_vm_bytes(const struct coh_sim *s)
{
	return walk_bytes(s->mem.root, 0, lastcpu_bytes(s));
}

static bool page_blank(const struct page *pg, size_t lcb)
{
	if (pg->nmap || pg->nunc)
		return false;
	for (int f = 0; f < NFIELDS; f++) {
		uint64_t len;

		if (coh_varr_run(&pg->f[f], 0, PG_SIZE, &len) != 0 || len != PG_SIZE)
			return false;
	}
	for (size_t i = 0; pg->lastcpu && i < lcb; i++)
		if (pg->lastcpu[i])
			return false;
	return true;
}

static uint64_t page_hash(const struct page *pg, uint64_t pfn, uint64_t h, size_t lcb)
{
	if (page_blank(pg, lcb))
		return h;
	h = mix(mix(mix(h, pfn), pg->nmap), pg->nunc);
	for (int f = 0; f < NFIELDS; f++)
		h = coh_varr_hash(&pg->f[f], PG_SIZE, h);
	for (size_t i = 0; pg->lastcpu && i < lcb; i++)
		h = pg->lastcpu[i] ? mix(mix(h, i), pg->lastcpu[i]) : h;
	return h;
}

/* A compact page read in place (its room on this stack, once at a time). */
static __attribute__((noinline)) uint64_t cp_hash(const struct cpage *cp, uint64_t pfn,
						   uint64_t h, size_t lcb)
{
	struct cp_room r;
	struct page v;

	coh_cp_view(cp, &v, &r, lcb);
	return page_hash(&v, pfn, h, lcb);
}

static uint64_t walk_hash(const void *p, int level, uint64_t pfn, uint64_t h, size_t lcb)
{
	if (!p)
		return h;
	if (level == RX_LEVELS)
		return is_cp(p) ? cp_hash(cp_of(p), pfn, h, lcb) : page_hash(p, pfn, h, lcb);
	for (unsigned i = 0; i < RX_FAN; i++)
		h = walk_hash(slot_of(p, i), level + 1, (pfn << RX_BITS) | i, h, lcb);
	return h;
}

uint64_t coh_vm_hash(const struct coh_sim *s, uint64_t h)
{
	return walk_hash(s->mem.root, 0, 0, h, lastcpu_bytes(s));
}

static int walk_diff(const void *a, const void *b, int level, uint64_t pfn,
		     coh_vm_page_cb cb, void *ctx)
{
	int err;

	if (a == b)
		return 0;
	if (level == RX_LEVELS)
		return cb(ctx, pfn);
	for (unsigned i = 0; i < RX_FAN; i++) {
		err = walk_diff(a ? slot_of(a, i) : NULL, b ? slot_of(b, i) : NULL, level + 1,
				(pfn << RX_BITS) | i, cb, ctx);
		if (err)
			return err;
	}
	return 0;
}

int coh_vm_diff(const struct coh_sim *a, const struct coh_sim *b, coh_vm_page_cb cb,
		void *ctx)
{
	return walk_diff(a->mem.root, b->mem.root, 0, 0, cb, ctx);
}

/* Pages equal as coh_vm_hash() sees them (a blank page equals none). */
static bool page_same(const struct page *x, const struct page *y, size_t lcb)
{
	bool bx = !x || page_blank(x, lcb), by = !y || page_blank(y, lcb);

	if (bx || by)
		return bx && by;
	if (x->nmap != y->nmap || x->nunc != y->nunc)
		return false;
	for (int f = 0; f < NFIELDS; f++)
		if (coh_varr_hash(&x->f[f], PG_SIZE, 0) != coh_varr_hash(&y->f[f], PG_SIZE, 0))
			return false;
	for (size_t i = 0; i < lcb; i++)
		if ((x->lastcpu ? x->lastcpu[i] : 0) != (y->lastcpu ? y->lastcpu[i] : 0))
			return false;
	return true;
}

/* page_same() where either or both are compact pages. */
static __attribute__((noinline)) bool cp_same(const void *a, const void *b, size_t lcb)
{
	struct cp_room *r = malloc(2 * sizeof(*r));
	struct page va, vb;
	bool same;

	if (!r)
		return false;                /* out of memory: counted as differing */
	if (is_cp(a))
		coh_cp_view(cp_of(a), &va, &r[0], lcb);
	if (is_cp(b))
		coh_cp_view(cp_of(b), &vb, &r[1], lcb);
	same = page_same(is_cp(a) ? &va : a, is_cp(b) ? &vb : b, lcb);
	free(r);
	return same;
}

static bool walk_equal(const void *a, const void *b, int level, size_t lcb)
{

	if (a == b)
		return true;
	if (level == RX_LEVELS && (is_cp(a) || is_cp(b)))
		return cp_same(a, b, lcb);
	if (level == RX_LEVELS)
		return page_same(a, b, lcb);
	for (unsigned i = 0; i < RX_FAN; i++)
		if (!walk_equal(a ? slot_of(a, i) : NULL, b ? slot_of(b, i) : NULL, level + 1, lcb))
			return false;
	return true;
}

bool coh_vm_equal(const struct coh_sim *a, const struct coh_sim *b)
{
	return walk_equal(a->mem.root, b->mem.root, 0, lastcpu_bytes(a));
}
