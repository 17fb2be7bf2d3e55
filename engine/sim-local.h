/* SPDX-License-Identifier: MIT */
/*
 * sim-local.h - the layout of a simulation (struct coh_sim) and the helpers
 * of sim.c and sim_fast.c.
 * Internal to the engine.
 */
#ifndef COH_SIM_LOCAL_H
#define COH_SIM_LOCAL_H

#include "adapter.h"
#include "cache.h"
#include "map.h"
#include "mem.h"
#include "scope.h"
#include "shared_log.h"
#include "skip.h"
#include "write_log.h"
#include "xfer.h"

struct cache_snap;

struct coh_sim {
	struct coh_platform plat;    /* copy */
	unsigned flags;              /* COH_SIM_* */
	uint32_t lshift;             /* log2(L) */
	uint32_t granule;            /* DMA granule: max(L, dma_align) */
	bool wide_full;              /* a look-up of the mappings near a CPU write,
				      * widened to the granule, filled its room
				      * (own.c): a replay at a narrower granule
				      * may have met others (granule.c) */
	struct coh_heap *heap;       /* shared with clones */

	uint64_t pos;                /* events applied */
	struct sim_memory mem;
	struct cache cache[COH_MAX_CPUS];
	struct cache_snap *csnap;    /* a snapshot's caches, compact (cache_snap.c);
				      * then cache[] holds none */
	struct device_state *dev;    /* plat.ndevs */
	struct map_table maps;
	struct dead_table *dead;     /* shared copy-on-write */
	struct scope scopes[MAX_SCOPES];
	uint32_t nscopes;
	uint32_t next_scope, next_map;
	struct ke_flush_note kf[KFLUSH_RING];
	uint32_t kf_next;
	uint64_t nacc;               /* accesses so far (DC013) */
	uint64_t done_devs[(COH_MAX_DEVS + 63) / 64];  /* devices seen sending dev_done */
	struct irp_note irps[IRP_NOTES];
	uint32_t irp_next;
	struct ended ended[ENDED_RING];   /* mappings that ended lately */
	uint32_t ended_next;
	struct skipped skipped[SKIP_RING];   /* unsynced bytes of SKIP unmaps */
	uint32_t skip_next, nskip;           /* next slot, slots in use */
	struct xfer_ended xfer_ended[XFER_ENDED_RING]; /* Windows transfers that ended lately */
	uint32_t xfer_ended_next;
	uint64_t stale_reads;
	uint64_t stale_acc;          /* nacc when a stale read was last counted */
	int64_t last_result;

	struct shared_log *finding_log; /* findings: shared, append-only */
	size_t nfind;                /* our prefix of it */
	struct write_log *write_log; /* shared, append-only */
	size_t ndata;                /* our prefix of it */
	struct shared_log *src_log;  /* per engine event: its index in the file */
	size_t nsrc;                 /* our prefix of it */
	uint8_t src_flat;            /* src_log NULL: SRC_FLAT_* of our nsrc entries */

	/* the event being applied */
	const struct coh_event *ev;
	uint64_t seq;                /* its engine index */
	uint32_t ver;                /* version its write gets: seq + 1 */
	bool inferring;              /* inside an inferred access */
	const char *limit;           /* which bound of lim stopped the event, or NULL */
	struct coh_sim_limits lim;   /* its bounds (sim_limits.c) */

	const struct xfer_ops *xfer; /* Windows transfers (windows.c), installed
				      * at creation */
	struct coh_hooks hooks;
	char errmsg[256];
};

/* granule.c */
struct coh_sim *coh_sim_at_line_granule(const struct coh_sim *wide, const struct coh_platform *p,
					int *err);

/* sim_fast.c */
int coh_fast_access(struct coh_sim *s, const struct coh_event *ev);

/* sim.c */
size_t coh_sim_heap_bytes(const struct coh_sim *s);
struct coh_sim *coh_sim_clone_alone(const struct coh_sim *src);
struct coh_sim *coh_sim_snapshot(const struct coh_sim *src);
bool coh_sim_free_some(struct coh_sim *s, size_t pages);
int coh_sim_err(struct coh_sim *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline const struct coh_dev_cfg *dcfg(const struct coh_sim *s, unsigned dev)
{
	return &s->plat.devs[dev];
}

static inline uint64_t line_of(const struct coh_sim *s, uint64_t a)
{
	return a & ~((uint64_t)s->plat.line - 1);
}

/* The last-CPU bytes of a page: one per line. */
static inline size_t lastcpu_bytes(const struct coh_sim *s)
{
	return PG_SIZE >> s->lshift;
}

/* coh_vm_page_ro() and coh_vm_page_rw() with their TLB hit inline: the hot
 * paths (sim_fast.c, a line's fill and write-back) mostly hit. */
static inline const struct page *page_ro(const struct coh_sim *s, uint64_t pfn)
{
	const struct tlb_entry *t = &s->mem.tlb[pfn & (TLB_SIZE - 1)];

	return t->pfn == pfn + 1 ? t->pg : coh_vm_page_ro(s, pfn);
}

static inline struct page *page_rw(struct coh_sim *s, uint64_t pfn)
{
	struct tlb_entry *t = &s->mem.tlb[pfn & (TLB_SIZE - 1)];

	return t->pfn == pfn + 1 && t->rw ? t->pg : coh_vm_page_rw(s, pfn);
}

#endif
