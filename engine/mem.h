/* SPDX-License-Identifier: MIT */
/*
 * mem.h - simulated memory (mem.c): a persistent radix tree of 4 KiB pages;
 * clones share nodes and pages and copy a path on first write
 * (copy-on-write), which is what makes snapshots cheap.
 * Internal to the engine.
 */
#ifndef COH_MEM_H
#define COH_MEM_H

#include "varr.h"

/* ---- memory -------------------------------------------------------------- */

#define PG_SHIFT 12
#define PG_SIZE  (1u << PG_SHIFT)
#define PG_BLKS  (PG_SIZE / VB)

/* per byte of memory: its contents, the newest CPU write, and the newest device
 * write handed to the CPU; a CPU read should return max(F_CW, F_HO) */
enum { F_MEM, F_CW, F_HO, NFIELDS };

struct page {
	refcount refs;               /* sharers (copy-on-write when > 1) */
	uint32_t nmap;               /* live mappings whose granule-widened range
				      * touches this page */
	uint32_t nunc;               /* live uncached allocations touching it */
	uint32_t epoch;              /* the tracking epoch it was last recorded
				      * in as written (coh_vm_track()) */
	uint8_t *lastcpu;            /* per line: CPU that last touched it, or NULL */
	struct varr f[NFIELDS];      /* the three fields, 4096 entries each */
	uint32_t ustore[NFIELDS][PG_BLKS];  /* their uniform values */
};

#define RX_BITS   9
#define RX_FAN    (1u << RX_BITS)
#define RX_LEVELS 6                  /* 54 bits of page number */

struct radix_node {
	refcount refs;
	void *slot[RX_FAN];          /* child nodes, or pages at the last level */
};

#define TLB_SIZE 1024

/* Bounds that keep a hostile trace from exhausting the machine. */
#define MAX_PAGES        (4ull << 20)     /* 16 GiB of simulated memory touched */

struct tlb_entry {
	uint64_t pfn;                /* page number + 1 (0 = empty) */
	struct page *pg;
	bool rw;                     /* private to this simulation */
};

/* A leaf slot holds a page, or a compact page: the same content encoded in
 * a few bytes, tagged by the low bit of the pointer.  Only the trees of
 * snapshots built from a tracked state (coh_vm_track()) get compact pages;
 * a state cloned from one decodes each on its first access (mem.c). */
struct sim_memory {
	struct radix_node *root;     /* NULL when nothing was ever touched */
	uint64_t npages;             /* pages reachable from root */
	struct tlb_entry tlb[TLB_SIZE];
	/* tracking (0 epoch: off): the pages written since this memory equalled
	 * base's tree, which the next snapshot encodes over base */
	struct radix_node *base;     /* holds a reference */
	uint32_t epoch;
	uint64_t *dirty;             /* page numbers, each once */
	size_t ndirty, capdirty;
	/* a state let go, freed a part at a time (coh_vm_free_some()): the
	 * nodes on the walk's path, each with the next slot to free */
	struct {
		struct radix_node *node;
		uint32_t next;
	} reap[RX_LEVELS];
	int reap_depth;
};

/* mem.c */
/* @dst shares @src's memory; as a snapshot (@snapshot) of a tracked @src,
 * it gets instead base's tree with @src's written pages in compact form,
 * and @src's tracking starts again from it. */
int coh_vm_clone(struct coh_sim *dst, struct coh_sim *src, bool snapshot);
/* Track @s's writes from now on: its memory equals @base's (a snapshot it
 * was just cloned from, or NULL when both are empty). */
void coh_vm_track(struct coh_sim *s, const struct coh_sim *base);
/* @snap is the state @s's memory is tracked from. */
bool coh_vm_is_base(const struct coh_sim *s, const struct coh_sim *snap);
void coh_vm_free(struct coh_sim *s);
bool coh_vm_free_some(struct coh_sim *s, size_t max);
const struct page *coh_vm_page_ro(const struct coh_sim *s, uint64_t pfn);
struct page *coh_vm_page_rw(struct coh_sim *s, uint64_t pfn);
uint32_t coh_mem_get(const struct coh_sim *s, int f, uint64_t addr);
uint32_t coh_mem_run(const struct coh_sim *s, int f, uint64_t addr, uint64_t max, uint64_t *len);
int coh_mem_set(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v);
int coh_mem_set_block(struct coh_sim *s, int f, uint64_t addr, uint32_t v);
int coh_mem_max(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v);
void coh_mem_load(const struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t *out);
int coh_mem_store(struct coh_sim *s, int f, uint64_t addr, uint64_t n, const uint32_t *vals);
int coh_mem_count(struct coh_sim *s, uint64_t addr, uint64_t n, int which, int delta);
uint32_t coh_mem_nmap(const struct coh_sim *s, uint64_t addr, uint64_t n);
uint32_t coh_mem_nunc(const struct coh_sim *s, uint64_t addr, uint64_t n);
void coh_mem_touch_cpu(struct coh_sim *s, uint64_t addr, uint64_t n, unsigned cpu);
unsigned coh_mem_last_cpu(const struct coh_sim *s, uint64_t line);
size_t coh_vm_bytes(const struct coh_sim *s);
uint64_t coh_vm_hash(const struct coh_sim *s, uint64_t h);
/* Calls @cb for each page number whose page is not the very same (shared)
 * page in @a and @b, present in either; a nonzero return stops the walk
 * and is returned. */
typedef int (*coh_vm_page_cb)(void *ctx, uint64_t pfn);
/* @a's and @b's memory as coh_vm_hash() sees it are equal; pages the two
 * share are not looked at, so this costs what differs since they forked. */
bool coh_vm_equal(const struct coh_sim *a, const struct coh_sim *b);
int coh_vm_diff(const struct coh_sim *a, const struct coh_sim *b, coh_vm_page_cb cb,
		void *ctx);
#define MEM_NMAP 0
#define MEM_NUNC 1

#endif
