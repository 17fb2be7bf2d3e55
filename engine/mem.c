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
 */
#include <string.h>

#include "mem.h"
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

static size_t lastcpu_bytes(const struct coh_sim *s)
{
	return PG_SIZE >> s->lshift;
}

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

/* ---- the tree ------------------------------------------------------------ */

static void unref(struct coh_heap *h, void *p, int level, size_t lcb)
{
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
	unref(s->heap, s->mem.root, 0, lastcpu_bytes(s));
	s->mem.root = NULL;
	tlb_flush(&s->mem);
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

int coh_vm_clone(struct coh_sim *dst, struct coh_sim *src)
{
	dst->mem = src->mem;
	if (dst->mem.root)
		ref_get(&dst->mem.root->refs);
	tlb_flush(&dst->mem);
	tlb_drop_rw(&src->mem);
	return 0;
}

const struct page *coh_vm_page_ro(const struct coh_sim *s, uint64_t pfn)
{
	struct tlb_entry *t = (struct tlb_entry *)&s->mem.tlb[pfn & (TLB_SIZE - 1)];
	const struct radix_node *n = s->mem.root;

	if (t->pfn == pfn + 1)
		return t->pg;
	for (int level = 0; n && level < RX_LEVELS - 1; level++)
		n = n->slot[rx_index(pfn, level)];
	if (!n)
		return NULL;
	t->pfn = pfn + 1;
	t->pg = n->slot[rx_index(pfn, RX_LEVELS - 1)];
	t->rw = false;
	return t->pg;
}

/* A private copy of a shared node: its children gain a sharer. */
static struct radix_node *node_private(struct coh_sim *s, struct radix_node *n)
{
	struct radix_node *c;

	if (ref_count(&n->refs) == 1)
		return n;
	c = coh_heap_alloc(s->heap, sizeof(*c));
	if (!c)
		return NULL;
	memcpy(c->slot, n->slot, sizeof(c->slot));
	ref_init(&c->refs, 1);
	for (unsigned i = 0; i < RX_FAN; i++)
		if (c->slot[i])
			ref_get((refcount *)c->slot[i]);
	ref_put(&n->refs);
	return c;
}

struct page *coh_vm_page_rw(struct coh_sim *s, uint64_t pfn)
{
	struct tlb_entry *t = &s->mem.tlb[pfn & (TLB_SIZE - 1)];
	struct radix_node **pp = &s->mem.root;
	struct page **pgp, *pg;

	if (t->pfn == pfn + 1 && t->rw)
		return t->pg;
	for (int level = 0; level < RX_LEVELS; level++) {
		if (!*pp)
			*pp = coh_heap_zalloc(s->heap, sizeof(struct radix_node));
		else
			*pp = node_private(s, *pp);
		if (!*pp)
			return NULL;
		if (!ref_count(&(*pp)->refs))
			ref_init(&(*pp)->refs, 1);
		if (level == RX_LEVELS - 1)
			break;
		pp = (struct radix_node **)&(*pp)->slot[rx_index(pfn, level)];
	}
	pgp = (struct page **)&(*pp)->slot[rx_index(pfn, RX_LEVELS - 1)];
	pg = *pgp;
	if (!pg) {
		pg = page_new(s);
	} else if (ref_count(&pg->refs) > 1) {
		struct page *c = page_copy(s, pg);

		if (c)
			ref_put(&pg->refs);
		pg = c;
	}
	if (!pg)
		return NULL;
	*pgp = pg;
	t->pfn = pfn + 1;
	t->pg = pg;
	t->rw = true;
	return pg;
}

/* ---- fields over physical ranges ------------------------------------------ */

uint32_t coh_mem_get(const struct coh_sim *s, int f, uint64_t addr)
{
	const struct page *pg = coh_vm_page_ro(s, addr >> PG_SHIFT);

	return pg ? coh_varr_get(&pg->f[f], addr & (PG_SIZE - 1)) : 0;
}

uint32_t coh_mem_run(const struct coh_sim *s, int f, uint64_t addr, uint64_t max, uint64_t *len)
{
	const struct page *pg = coh_vm_page_ro(s, addr >> PG_SHIFT);
	uint64_t off = addr & (PG_SIZE - 1);
	uint64_t room = MIN(max, PG_SIZE - off);

	if (!pg) {
		*len = room;
		return 0;
	}
	return coh_varr_run(&pg->f[f], off, room, len);
}

typedef int (*varr_op)(struct coh_heap *, struct varr *, uint64_t, uint64_t, uint32_t);

static int mem_op(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v, varr_op op)
{
	while (n) {
		uint64_t off = addr & (PG_SIZE - 1);
		uint64_t k = MIN(n, PG_SIZE - off);
		struct page *pg;
		int err;

		/* an absent page holds zeros: setting or max-ing 0 changes nothing */
		if (v || coh_vm_page_ro(s, addr >> PG_SHIFT)) {
			pg = coh_vm_page_rw(s, addr >> PG_SHIFT);
			if (!pg)
				return -COH_E_NOMEM;
			err = op(s->heap, &pg->f[f], off, k, v);
			if (err < 0)
				return err;
		}
		addr += k;
		n -= k;
	}
	return 0;
}

int coh_mem_set(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v)
{
	return mem_op(s, f, addr, n, v, coh_varr_set);
}

/* coh_mem_set() of one whole varr block, aligned (a 64-byte cache line):
 * the same result, without the general walk. */
int coh_mem_set_block(struct coh_sim *s, int f, uint64_t addr, uint32_t v)
{
	uint64_t off = addr & (PG_SIZE - 1);
	struct page *pg;

	if (!v && !coh_vm_page_ro(s, addr >> PG_SHIFT))
		return 0;                 /* an absent page holds zeros */
	if (!(pg = coh_vm_page_rw(s, addr >> PG_SHIFT)))
		return -COH_E_NOMEM;
	coh_varr_set_block(s->heap, &pg->f[f], off >> VB_SHIFT, v);
	return 0;
}

int coh_mem_max(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v)
{
	return mem_op(s, f, addr, n, v, coh_varr_max);
}

/* Copy versions of field @f for [addr, addr + n) out (absent pages: 0). */
void coh_mem_load(const struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t *out)
{
	while (n) {
		uint64_t off = addr & (PG_SIZE - 1), k = MIN(n, PG_SIZE - off);
		const struct page *pg = coh_vm_page_ro(s, addr >> PG_SHIFT);

		if (pg)
			coh_varr_load(&pg->f[f], off, k, out);
		else
			memset(out, 0, k * sizeof(*out));
		out += k;
		addr += k;
		n -= k;
	}
}

int coh_mem_store(struct coh_sim *s, int f, uint64_t addr, uint64_t n, const uint32_t *vals)
{
	while (n) {
		uint64_t off = addr & (PG_SIZE - 1), k = MIN(n, PG_SIZE - off);
		struct page *pg = coh_vm_page_rw(s, addr >> PG_SHIFT);
		int err;

		if (!pg)
			return -COH_E_NOMEM;
		if ((err = coh_varr_store(s->heap, &pg->f[f], off, k, vals)) < 0)
			return err;
		vals += k;
		addr += k;
		n -= k;
	}
	return 0;
}

/* Add @delta to the mapping (MEM_NMAP) or uncached (MEM_NUNC) counter of
 * every page [addr, addr + n) touches. */
int coh_mem_count(struct coh_sim *s, uint64_t addr, uint64_t n, int which, int delta)
{
	uint64_t first = addr >> PG_SHIFT, last = (addr + n - 1) >> PG_SHIFT;

	if (!n)
		return 0;
	for (uint64_t p = first;; p++) {
		struct page *pg = coh_vm_page_rw(s, p);

		if (!pg)
			return -COH_E_NOMEM;
		if (which == MEM_NMAP)
			pg->nmap = (uint32_t)((int64_t)pg->nmap + delta);
		else
			pg->nunc = (uint32_t)((int64_t)pg->nunc + delta);
		if (p == last)
			break;
	}
	return 0;
}

static uint32_t mem_counter(const struct coh_sim *s, uint64_t addr, uint64_t n, int which)
{
	uint64_t first = addr >> PG_SHIFT, last = (addr + n - 1) >> PG_SHIFT;
	uint32_t sum = 0;

	if (!n)
		return 0;
	for (uint64_t p = first;; p++) {
		const struct page *pg = coh_vm_page_ro(s, p);

		if (pg)
			sum += which == MEM_NMAP ? pg->nmap : pg->nunc;
		if (p == last)
			break;
	}
	return sum;
}

uint32_t coh_mem_nmap(const struct coh_sim *s, uint64_t addr, uint64_t n)
{
	return mem_counter(s, addr, n, MEM_NMAP);
}

uint32_t coh_mem_nunc(const struct coh_sim *s, uint64_t addr, uint64_t n)
{
	return mem_counter(s, addr, n, MEM_NUNC);
}

/* Remember which CPU touched each line last (only with several CPUs); one
 * page look-up per page. */
void coh_mem_touch_cpu(struct coh_sim *s, uint64_t addr, uint64_t n, unsigned cpu)
{
	uint64_t line, lastline;

	if (s->plat.ncpus < 2 || !n)
		return;
	/* lines compared, never stepped past the last one: a range at the top
	 * of the address space must not wrap around to 0 */
	lastline = line_of(s, addr + n - 1);
	for (line = line_of(s, addr);;) {
		uint64_t stop = MIN(lastline, line_of(s, line | (PG_SIZE - 1)));  /* this page's */
		struct page *pg = coh_vm_page_rw(s, line >> PG_SHIFT);

		if (!pg)
			return;
		if (!pg->lastcpu && cpu) {
			pg->lastcpu = coh_heap_zalloc(s->heap, lastcpu_bytes(s));
			if (!pg->lastcpu)
				return;
		}
		for (uint64_t l = line; pg->lastcpu; l += s->plat.line) {
			pg->lastcpu[(l & (PG_SIZE - 1)) >> s->lshift] = (uint8_t)cpu;
			if (l == stop)
				break;
		}
		if (stop == lastline)
			break;
		line = stop + s->plat.line;
	}
}

unsigned coh_mem_last_cpu(const struct coh_sim *s, uint64_t line)
{
	const struct page *pg = coh_vm_page_ro(s, line >> PG_SHIFT);

	if (!pg || !pg->lastcpu)
		return 0;
	return pg->lastcpu[(line & (PG_SIZE - 1)) >> s->lshift];
}

/* ---- accounting and hashing ---------------------------------------------- */

static size_t walk_bytes(const void *p, int level, size_t lcb)
{
	const struct radix_node *n = p;
	size_t total = 0;

	if (!p)
		return 0;
	if (level == RX_LEVELS) {
		const struct page *pg = p;

		total = sizeof(*pg) + (pg->lastcpu ? lcb : 0);
		for (int f = 0; f < NFIELDS; f++)
			total += coh_varr_bytes(&pg->f[f]) - PG_BLKS * sizeof(uint32_t);
		return total;
	}
	for (unsigned i = 0; i < RX_FAN; i++)
		total += walk_bytes(n->slot[i], level + 1, lcb);
	return total + sizeof(*n);
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

static uint64_t walk_hash(const void *p, int level, uint64_t pfn, uint64_t h, size_t lcb)
{
	const struct radix_node *n = p;

	if (!p)
		return h;
	if (level == RX_LEVELS) {
		const struct page *pg = p;

		if (page_blank(pg, lcb))
			return h;
		h = mix(mix(mix(h, pfn), pg->nmap), pg->nunc);
		for (int f = 0; f < NFIELDS; f++)
			h = coh_varr_hash(&pg->f[f], PG_SIZE, h);
		for (size_t i = 0; pg->lastcpu && i < lcb; i++)
			h = pg->lastcpu[i] ? mix(mix(h, i), pg->lastcpu[i]) : h;
		return h;
	}
	for (unsigned i = 0; i < RX_FAN; i++)
		h = walk_hash(n->slot[i], level + 1, (pfn << RX_BITS) | i, h, lcb);
	return h;
}

uint64_t coh_vm_hash(const struct coh_sim *s, uint64_t h)
{
	return walk_hash(s->mem.root, 0, 0, h, lastcpu_bytes(s));
}

static int walk_diff(const void *a, const void *b, int level, uint64_t pfn,
		     coh_vm_page_cb cb, void *ctx)
{
	const struct radix_node *na = a, *nb = b;
	int err;

	if (a == b)
		return 0;
	if (level == RX_LEVELS)
		return cb(ctx, pfn);
	for (unsigned i = 0; i < RX_FAN; i++) {
		err = walk_diff(na ? na->slot[i] : NULL, nb ? nb->slot[i] : NULL, level + 1,
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

static bool walk_equal(const void *a, const void *b, int level, size_t lcb)
{
	const struct radix_node *na = a, *nb = b;

	if (a == b)
		return true;
	if (level == RX_LEVELS)
		return page_same(a, b, lcb);
	for (unsigned i = 0; i < RX_FAN; i++)
		if (!walk_equal(na ? na->slot[i] : NULL, nb ? nb->slot[i] : NULL, level + 1, lcb))
			return false;
	return true;
}

bool coh_vm_equal(const struct coh_sim *a, const struct coh_sim *b)
{
	return walk_equal(a->mem.root, b->mem.root, 0, lastcpu_bytes(a));
}
