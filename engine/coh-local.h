/* SPDX-License-Identifier: MIT */
/*
 * coh-local.h - the engine's internal layouts.  Only the engine's own .c files include this.
 *
 * Everything that holds versions (memory, bounce slots, per-byte mapping
 * state) is a "varr": an array of uint32_t stored in blocks of 64 entries,
 * each block either uniform (one value) or detailed (64 values), so the
 * whole-buffer transfers of real traces cost a few operations per block.
 *
 * Memory is a persistent radix tree of 4 KiB pages: clones share nodes and
 * pages and copy a path on first write (copy-on-write), which is what makes
 * snapshots cheap.  Findings and explicit write data are append-only logs
 * shared between clones and copied only when two clones diverge.
 */
#ifndef COH_LOCAL_H
#define COH_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coh_err.h"
#include "coh_event.h"
#include "coh_finding.h"
#include "coh_platform.h"
#include "coh_sim.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* ---- heap accounting (one per family of clones) -------------------------- */

struct coh_heap {
	size_t bytes;                /* live bytes allocated through it */
	uint32_t refs;               /* simulations sharing it */
};

void *coh_heap_alloc(struct coh_heap *h, size_t n);
void *coh_heap_zalloc(struct coh_heap *h, size_t n);
void coh_heap_free(struct coh_heap *h, void *p, size_t n);

/* ---- varr: block-compressed uint32_t arrays ------------------------------ */

#define VB_SHIFT 6
#define VB       (1u << VB_SHIFT)
#define VB_MASK  (VB - 1)

struct varr {
	uint32_t nblk;               /* blocks */
	uint32_t *u;                 /* per block: its value when uniform */
	uint32_t **d;                /* per block: 64 values when detailed, or NULL;
				      * the array itself is NULL until one block is */
};

int coh_varr_init(struct coh_heap *h, struct varr *a, uint64_t n);
void coh_varr_fini(struct coh_heap *h, struct varr *a);
int coh_varr_copy(struct coh_heap *h, struct varr *dst, const struct varr *src);
/* for varrs whose u[] is embedded (pages): copy/free only the details */
int coh_varr_copy_into(struct coh_heap *h, struct varr *dst, const struct varr *src);
/* src[from, from + n) into dst[0, n) (dst's bytes there are 0 before) */
int coh_varr_copy_range(struct coh_heap *h, struct varr *dst, const struct varr *src,
		    uint64_t from, uint64_t n);
void coh_varr_free_details(struct coh_heap *h, struct varr *a);
uint32_t coh_varr_get(const struct varr *a, uint64_t i);
uint32_t coh_varr_run(const struct varr *a, uint64_t i, uint64_t max, uint64_t *len);
uint32_t *coh_varr_detail(struct coh_heap *h, struct varr *a, uint64_t b);
void coh_varr_load(const struct varr *a, uint64_t i, uint64_t n, uint32_t *out);
int coh_varr_store(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, const uint32_t *vals);
int coh_varr_set(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t v);
int coh_varr_max(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t v);
int coh_varr_or(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t bits);
int coh_varr_andnot(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t bits);
size_t coh_varr_bytes(const struct varr *a);
uint64_t coh_varr_hash(const struct varr *a, uint64_t n, uint64_t h);

/* ---- memory -------------------------------------------------------------- */

#define PG_SHIFT 12
#define PG_SIZE  (1u << PG_SHIFT)
#define PG_BLKS  (PG_SIZE / VB)

/* per byte of memory: its contents, the newest CPU write, and the newest device
 * write handed to the CPU; a CPU read should return max(F_CW, F_HO) */
enum { F_MEM, F_CW, F_HO, NFIELDS };

struct page {
	uint32_t refs;               /* sharers (copy-on-write when > 1) */
	uint32_t nmap;               /* live mappings whose granule-widened range
				      * touches this page */
	uint32_t nunc;               /* live uncached allocations touching it */
	uint8_t *lastcpu;            /* per line: CPU that last touched it, or NULL */
	struct varr f[NFIELDS];      /* the three fields, 4096 entries each */
	uint32_t ustore[NFIELDS][PG_BLKS];  /* their uniform values */
};

#define RX_BITS   9
#define RX_FAN    (1u << RX_BITS)
#define RX_LEVELS 6                  /* 54 bits of page number */

struct rnode {
	uint32_t refs;
	void *slot[RX_FAN];          /* child nodes, or pages at the last level */
};

#define TLB_SIZE 1024

/* Bounds that keep a hostile trace from exhausting the machine. */
#define MAX_PAGES        (4ull << 20)     /* 16 GiB of simulated memory touched */
#define MAX_MAPPED_BYTES (1ull << 30)     /* 1 GiB covered by live mappings */

struct tlb_ent {
	uint64_t pfn;                /* page number + 1 (0 = empty) */
	struct page *pg;
	bool rw;                     /* private to this simulation */
};

struct vmem {
	struct rnode *root;          /* NULL when nothing was ever touched */
	uint64_t npages;             /* pages reachable from root */
	struct tlb_ent tlb[TLB_SIZE];
};

/* ---- caches -------------------------------------------------------------- */

struct cline {
	uint64_t tag;                /* address of byte 0 */
	uint64_t lru;                /* clock at last use */
	uint32_t uver;               /* every byte's version when uniform */
	uint8_t state;               /* enum coh_line_state */
	uint8_t uniform;             /* 1: vers[] not in use */
	uint8_t spec;                /* filled speculatively, untouched since */
};

struct cache {
	struct cline *lines;         /* sets * ways */
	uint32_t *vers;              /* sets * ways * L */
	uint64_t clock;              /* LRU clock */
};

/* ---- devices: controller buffer and posted writes ------------------------ */

struct held {
	uint64_t phys;               /* destination or source physical address */
	uint32_t ver;                /* version */
	uint32_t map;                /* id of the transfer it belongs to */
};

struct fifo {
	struct held *v;              /* oldest first, from v[head] */
	uint32_t head, n, cap;
	uint8_t dir;                 /* COH_DIR_FROM_DEVICE: buffered writes,
				      * COH_DIR_TO_DEVICE: prefetched reads */
};

struct devstate {
	struct fifo ctrl;            /* system DMA controller buffer */
	struct fifo posted;          /* bus-master posted writes */
};

/* ---- mappings, allocations and transfers -------------------------------- */

/* per-byte state of a mapping (struct mapping.own) */
#define OWN_DEV      (1u << 0)       /* the device owns the byte */
#define OWN_CPUW     (1u << 1)       /* CPU wrote it since it gained it */
#define OWN_PENDW    (1u << 2)       /* CPU wrote it while device-owned, unsynced */
#define OWN_REPORTED (1u << 3)       /* that write was reported already */
#define OWN_SKIP     (1u << 4)       /* mapped TO/BIDI with SKIP_CPU_SYNC and not synced
				      * for the device since: the CPU may still write it */

struct mseg {
	uint64_t phys;               /* physical start (COH_ADDR_NONE: unknown) */
	uint64_t bus;                /* device-side start */
	uint64_t len;                /* bytes */
	uint64_t off;                /* offset of byte 0 in the mapping */
};

enum mflag {
	MF_BOUNCED = 1u << 0,        /* has bounce slots (slot varr) */
	MF_CACHED = 1u << 1,         /* CPU reaches it through its cache */
	MF_OWNED = 1u << 2,          /* ownership is tracked (streaming, pages, transfers) */
	MF_WTD = 1u << 3,            /* Windows: WriteToDevice */
	MF_FLUSHED = 1u << 4,        /* Windows: a flush call came for this transfer */
	MF_DONE = 1u << 5,           /* the device signalled dev_done */
	MF_CUT = 1u << 6,            /* flushed before dev_done: later writes are lost */
	MF_IRP_DONE = 1u << 7,       /* its IRP completed */
	MF_END_REPORTED = 1u << 8,   /* the end checks ran (DC008 judged) */
	MF_KFLUSHED = 1u << 9,       /* Windows: KeFlushIoBuffers of its direction covered it */
	MF_TOUCHED = 1u << 10,       /* accessed since the last maintenance call */
	MF_LEAKED = 1u << 11,        /* DC012 reported */
	MF_RESID_REPORTED = 1u << 12,/* DC004 reported */
	MF_NOFLUSH_REPORTED = 1u << 13, /* Windows: its missing or late flush was reported
					 * (the root is noflush_root) */
	MF_EX = 1u << 14,            /* Windows: MapTransferEx, or a list of a v3 adapter:
				      * its flush invalidates */
};

struct mapping {
	uint32_t refs;               /* sharers (copy-on-write when > 1) */
	uint32_t id;                 /* unique, increasing with creation */
	uint16_t dev;                /* device index */
	uint8_t kind;                /* enum coh_map_kind */
	uint8_t dir;                 /* enum coh_dir */
	uint32_t flags;              /* enum mflag */
	int32_t last_flush;          /* Windows: -1 none, 0 failed, 1 succeeded */
	uint32_t nsegs;              /* segments */
	uint32_t nents;              /* sg nents as passed */
	uint32_t scope;              /* innermost open seq scope at creation, 0 none */
	uint16_t last_maint;         /* event kind of the last maintenance call */
	uint64_t len;                /* bytes, all segments */
	uint64_t handle;             /* Windows map-register base / list */
	uint64_t irp;                /* Windows IRP */
	int64_t noflush_root;        /* Windows: the finding reporting its missing or
				      * late flush (with MF_NOFLUSH_REPORTED) */
	uint64_t made_seq, made_src, made_ts;   /* the call that made it */
	struct mseg *segs;           /* nsegs */
	struct varr own;             /* per byte OWN_* (if MF_OWNED) */
	struct varr devw;            /* per byte: device write not yet handed over */
	struct varr slot;            /* per byte: bounce slot versions (if MF_BOUNCED) */
};

/* an index entry: one segment of a live mapping */
struct ment {
	uint64_t start;              /* bus or physical start */
	uint64_t end;                /* one past the end */
	struct mapping *m;
	uint32_t seg;                /* segment index */
	uint16_t dev;                /* device (bus index only) */
};

struct mtab {
	struct mapping **v;          /* live, in creation order */
	uint32_t n, cap;
	struct ment *bus;            /* sorted by (dev, start) */
	uint32_t nbus, capbus;
	struct ment *phys;           /* sorted by start (known ranges only) */
	uint32_t nphys, capphys;
	uint64_t maxlen;             /* longest segment ever indexed by phys */
	uint64_t bytes;              /* covered by live mappings */
};

/* recently unmapped device addresses, to tell use-after-unmap from pre-trace */
#define DEAD_SLOTS 4096
struct dead_ent {
	uint64_t bus;                /* start + 1 (0 = empty) */
	uint64_t len;
	uint16_t dev;
};
struct deadtab {
	uint32_t refs;
	struct dead_ent e[DEAD_SLOTS];
};

/* ---- scopes, recent KeFlushIoBuffers ------------------------------------- */

#define MAX_SCOPES   16
#define SCOPE_NAME   48

struct scope {
	uint32_t id;                 /* unique, > 0 */
	char name[SCOPE_NAME];
	uint64_t devs[(COH_MAX_DEVS + 63) / 64];  /* devices its dev_* markers named */
};

#define KFLUSH_RING 8
struct kflush {
	uint64_t addr, len;          /* the MDL */
	uint64_t seq;                /* when */
	uint64_t nacc;               /* access counter then */
	uint8_t read_op;
	uint8_t valid;
};

/* transfers whose map registers went before their IRP completed */
#define IRP_NOTES 32
struct irp_note {
	uint64_t irp;                /* 0 = empty */
	uint64_t made_seq;           /* the transfer's map call */
	uint64_t addr, len;          /* its range */
	int8_t last_flush;           /* -1 none, 0 failed, 1 succeeded */
	uint8_t flushed;
	uint16_t dev;
};

/* mappings that ended lately, to name the call a later stale read points to */
#define ENDED_RING 16
struct ended {
	uint64_t phys, len;          /* first segment (len 0 = empty) */
	uint16_t dev;
	uint8_t kind;
};

/* device writes a SKIP_CPU_SYNC unmap left unsynced for the CPU (skip.c) */
#define SKIP_RING 16
struct skipped {
	uint64_t phys, len;          /* the bytes (len 0 = empty) */
	uint64_t bus;                /* their device-side start */
	uint64_t unmap_seq;          /* the unmap */
	uint32_t ver;                /* the device write */
	uint16_t dev;
};

/* Windows transfers that ended lately: what a later stale read of their
 * bytes points to (one entry per segment) */
#define XENDED_RING 32
#define XE_EX        (1u << 0)       /* the flush would have invalidated (MF_EX) */
#define XE_KFLUSHED  (1u << 1)       /* KeFlushIoBuffers covered it (MF_KFLUSHED) */
#define XE_FLUSHED   (1u << 2)       /* a flush came for it (MF_FLUSHED) */
#define XE_ROOT      (1u << 3)       /* its missing or late flush was reported: root */
#define XE_BOUNCED   (1u << 4)       /* map buffers (MF_BOUNCED) */
struct xended {
	uint64_t phys, len;          /* one segment (len 0 = empty) */
	int64_t root;                /* with XE_ROOT: the finding */
	uint64_t made_seq;           /* the call that started it */
	uint16_t dev;
	uint16_t flush;              /* enum coh_kind of its flush call */
	uint16_t flags;              /* XE_* */
};

/* ---- append-only logs shared between clones ------------------------------ */

struct flog {
	uint32_t refs;
	size_t n, cap;
	struct coh_finding *v;
};

struct drec {
	uint32_t ver;                /* the write */
	uint32_t len;                /* bytes */
	uint64_t phys;               /* where data[0] went */
	uint64_t off;                /* into bytes[] */
};

struct dlog {
	uint32_t refs;
	size_t n, cap;               /* records */
	struct drec *v;
	size_t nbytes, capbytes;
	uint8_t *bytes;
	uint32_t *hash;              /* open addressing: record index + 1 */
	size_t hcap;
};

/* ---- the simulation ------------------------------------------------------ */

struct coh_sim {
	struct coh_platform plat;    /* copy */
	unsigned flags;              /* COH_SIM_* */
	uint32_t lshift;             /* log2(L) */
	uint32_t granule;            /* DMA granule: max(L, dma_align) */
	struct coh_heap *heap;       /* shared with clones */

	uint64_t pos;                /* events applied */
	struct vmem mem;
	struct cache cache[COH_MAX_CPUS];
	struct devstate *dev;        /* plat.ndevs */
	struct mtab maps;
	struct deadtab *dead;        /* shared copy-on-write */
	struct scope scopes[MAX_SCOPES];
	uint32_t nscopes;
	uint32_t next_scope, next_map;
	struct kflush kf[KFLUSH_RING];
	uint32_t kf_next;
	uint64_t nacc;               /* accesses so far (DC013) */
	uint64_t done_devs[(COH_MAX_DEVS + 63) / 64];  /* devices seen sending dev_done */
	struct irp_note irps[IRP_NOTES];
	uint32_t irp_next;
	struct ended ended[ENDED_RING];   /* mappings that ended lately */
	uint32_t ended_next;
	struct skipped skipped[SKIP_RING];   /* unsynced bytes of SKIP unmaps */
	uint32_t skip_next, nskip;           /* next slot, slots in use */
	struct xended xended[XENDED_RING];  /* Windows transfers that ended lately */
	uint32_t xended_next;
	uint64_t stale_reads;
	uint64_t stale_acc;          /* nacc when a stale read was last counted */
	int64_t last_result;

	struct flog *flog;           /* shared, append-only */
	size_t nfind;                /* our prefix of it */
	struct dlog *dlog;           /* shared, append-only */
	size_t ndata;                /* our prefix of it */

	/* the event being applied */
	const struct coh_event *ev;
	uint64_t seq;                /* its engine index */
	uint32_t ver;                /* version its write gets: seq + 1 */
	bool inferring;              /* inside an inferred access */
	const char *limit;           /* which bound of lim stopped the event, or NULL */
	struct coh_sim_limits lim;   /* its bounds (sim_limits.c) */

	struct coh_hooks hooks;
	char errmsg[256];
};

/* ---- internal API between engine files ----------------------------------- */

/* mem.c */
int coh_vm_clone(struct coh_sim *dst, struct coh_sim *src);
void coh_vm_free(struct coh_sim *s);
const struct page *coh_vm_page_ro(const struct coh_sim *s, uint64_t pfn);
struct page *coh_vm_page_rw(struct coh_sim *s, uint64_t pfn);
uint32_t coh_mem_get(const struct coh_sim *s, int f, uint64_t addr);
uint32_t coh_mem_run(const struct coh_sim *s, int f, uint64_t addr, uint64_t max, uint64_t *len);
int coh_mem_set(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v);
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
#define MEM_NMAP 0
#define MEM_NUNC 1

/* cache.c */
int coh_cache_init(struct coh_sim *s, unsigned cpu);
int coh_cache_copy(struct coh_sim *dst, const struct coh_sim *src, unsigned cpu);
void coh_cache_fini(struct coh_sim *s, unsigned cpu);
struct cline *coh_cache_find(const struct coh_sim *s, unsigned cpu, uint64_t line);
uint32_t coh_line_get(const struct coh_sim *s, unsigned cpu, const struct cline *l, uint32_t off);
uint32_t coh_line_run(const struct coh_sim *s, unsigned cpu, const struct cline *l, uint32_t off,
		  uint32_t max, uint32_t *len);
void coh_line_set(struct coh_sim *s, unsigned cpu, struct cline *l, uint32_t off, uint32_t n,
	      uint32_t v);
int coh_cache_fill(struct coh_sim *s, unsigned cpu, uint64_t line, bool spec, struct cline **out);
int coh_cache_writeback(struct coh_sim *s, unsigned cpu, struct cline *l);
int coh_cache_drop(struct coh_sim *s, unsigned cpu, struct cline *l, bool writeback);
int coh_cache_clean_range(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_cache_inval_range(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_cache_snoop_range(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_cache_spec_range(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_cache_evict_range(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
int coh_cache_spec_fill(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
bool coh_cache_any_dirty(const struct coh_sim *s, uint64_t addr, uint64_t n, uint64_t *first,
		     unsigned *cpu);
uint32_t coh_view_run(const struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t max,
		  uint64_t *len);
int coh_kernel_write(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n,
		 const struct varr *src, uint64_t srcoff);
uint64_t coh_cache_hash(const struct coh_sim *s, uint64_t h);
size_t coh_cache_bytes(const struct coh_sim *s);

/* fast.c */
int coh_fast_access(struct coh_sim *s, const struct coh_event *ev);

/* access.c */
int coh_cpu_read(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
int coh_cpu_write(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n, const uint8_t *data);
int coh_dev_access(struct coh_sim *s, unsigned dev, uint64_t bus, uint64_t n, bool write,
	       const uint8_t *data);
int coh_dev_access_map(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n,
		   bool write, const uint8_t *data);
int coh_dev_write_plain(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t phys,
		    uint64_t n, const uint8_t *data);
int coh_dev_read_plain(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t phys,
		   uint64_t n, const uint32_t *held);
bool coh_map_immediate(const struct coh_sim *s, const struct mapping *m);
int coh_phys_write_dev(struct coh_sim *s, unsigned dev, bool cached, uint16_t omitted,
		   uint64_t phys, uint64_t n, uint32_t ver);
uint16_t coh_flush_call(const struct mapping *m);
int coh_record_data(struct coh_sim *s, uint64_t phys, uint64_t n, const uint8_t *data);
uint8_t coh_value_of(const struct coh_sim *s, uint32_t ver, uint64_t phys);

/* own.c */
int coh_own_touch(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_own_cpu_read(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
int coh_own_cpu_write(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
int coh_own_report_pending(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n);
int coh_own_dev_access(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n);
int coh_own_check_sync_cpu(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t n);
int coh_own_give(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n, bool to_dev);
int coh_own_handover(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n);

/* map.c */
struct mapping *coh_map_new(struct coh_sim *s, unsigned kind, unsigned dev, unsigned dir,
			const struct coh_seg *segs, uint32_t nsegs, uint32_t flags);
int coh_map_insert(struct coh_sim *s, struct mapping *m);
int coh_map_remove(struct coh_sim *s, struct mapping *m);
struct mapping *coh_map_rw(struct coh_sim *s, struct mapping *m);
void coh_map_unref(struct coh_heap *h, struct mapping *m);
struct mapping *coh_map_by_bus(const struct coh_sim *s, unsigned dev, uint64_t bus, uint32_t *seg);
struct mapping *coh_map_by_start(const struct coh_sim *s, unsigned dev, uint64_t bus);
uint64_t coh_map_next_bus(const struct coh_sim *s, unsigned dev, uint64_t bus);
struct mapping *coh_map_by_phys_start(const struct coh_sim *s, unsigned dev, uint64_t phys,
				  unsigned kind);
/* What a call looks for among a device's live mappings at a bus address:
 * dma-debug's best fit (kernel/dma/debug.c, __hash_bucket_find). */
struct pick {
	uint32_t kinds;              /* 1u << kind of the mappings considered */
	bool start;                  /* only mappings whose first segment starts there */
	bool access;                 /* a device access: prefer a mapping whose
				      * direction allows it (write: FROM/BIDI) */
	bool write;                  /* with access */
	uint64_t len;                /* size the call names (0: none) */
	unsigned kind, dir;          /* type and direction it names */
	uint32_t nents;              /* sg nents it names (1 for single calls) */
};
struct mapping *coh_map_pick(const struct coh_sim *s, unsigned dev, uint64_t bus,
			 const struct pick *p, uint32_t *seg);
bool coh_map_seg_of_bus(const struct mapping *m, uint64_t bus, uint32_t *seg);
size_t coh_map_bus_overlaps(const struct coh_sim *s, unsigned dev, uint64_t lo, uint64_t hi,
			struct mapping **out, size_t max);
struct mapping *coh_map_tail(struct coh_sim *s, const struct mapping *m, uint32_t k);
struct mapping *coh_map_by_handle(const struct coh_sim *s, unsigned dev, uint64_t handle);
size_t coh_map_overlaps(const struct coh_sim *s, uint64_t lo, uint64_t hi, struct ment *out,
		    size_t max);
int coh_mtab_copy(struct coh_sim *dst, const struct coh_sim *src);
void coh_mtab_free(struct coh_sim *s);
void coh_dead_add(struct coh_sim *s, unsigned dev, uint64_t bus, uint64_t len);
bool coh_dead_find(const struct coh_sim *s, unsigned dev, uint64_t bus);
uint64_t coh_map_hash(const struct coh_sim *s, uint64_t h);
size_t coh_map_bytes(const struct coh_sim *s);
bool coh_map_seg_phys(const struct mapping *m, uint64_t off, uint64_t *phys, uint64_t *avail);
uint64_t coh_map_widen_lo(const struct coh_sim *s, uint64_t a);
uint64_t coh_map_widen_len(const struct coh_sim *s, uint64_t addr, uint64_t n);

/* finding.c */
struct fnew {
	uint16_t id, rule;
	uint32_t flags;              /* COH_FF_* */
	int dev, cpu;
	uint64_t addr, len, bus;
	uint64_t other_seq;
	uint16_t omitted;
	uint32_t v_old;              /* version the reader got, for the cause search */
	bool consequence_ok;         /* may hang under an earlier root */
	bool set_parent;             /* @parent is decided (-1: a root), no search */
	int64_t parent;
	bool at_map;                 /* report at the map call (at_*) not the current event */
	uint64_t at_seq, at_src, at_ts;
	uint64_t ev_addr;            /* evidence: nev versions seen / expected */
	uint32_t nev;
	const uint32_t *seen, *exp;
};
int coh_finding_add(struct coh_sim *s, const struct fnew *f, int64_t *idx);
/* The newest root finding @id whose range holds byte @a, raised at or after
 * event @since, or -1. */
int64_t coh_finding_root_at(const struct coh_sim *s, unsigned id, uint64_t a, uint64_t since);
int coh_flog_clone(struct coh_sim *dst, const struct coh_sim *src);
void coh_flog_release(struct coh_sim *s);
int coh_dlog_clone(struct coh_sim *dst, const struct coh_sim *src);
void coh_dlog_release(struct coh_sim *s);
int coh_dlog_add(struct coh_sim *s, uint32_t ver, uint64_t phys, const uint8_t *data, uint64_t n);
int coh_dlog_find(const struct coh_sim *s, uint32_t ver, uint64_t phys, uint8_t *out);

/* linux.c, windows.c */
enum piece_op { P_CLEAN, P_INVAL, P_CLEAN_INVAL, P_TO_SLOT, P_TO_BUF, P_CPU_READ, P_CPU_WRITE };
int coh_map_pieces(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t n, int op);
int coh_infer_device(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n);
void coh_scope_note_device(struct coh_sim *s, unsigned dev);
int coh_windows_dev_done(struct coh_sim *s, const struct coh_event *ev);
int coh_linux_apply(struct coh_sim *s, const struct coh_event *ev);
int coh_windows_apply(struct coh_sim *s, const struct coh_event *ev);
int coh_scope_apply(struct coh_sim *s, const struct coh_event *ev);
int coh_leak_check(struct coh_sim *s, uint32_t scope_id, const uint64_t *devs);
int coh_xfer_device_access(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n,
		       bool write, const uint8_t *data);
int coh_xfer_check_read(struct coh_sim *s, uint64_t addr, uint64_t n);

/* xfer_cause.c: what a finding on a Windows transfer's bytes points to */
struct xcause {
	uint16_t omitted;            /* enum coh_kind of the call to name */
	uint16_t rule;               /* COH_R_STALE_CPU or COH_R_STALE_SPECULATIVE */
	bool set_parent;             /* @parent decided (-1: a root) */
	bool may_root;               /* a root here reports the transfer's missing flush */
	int64_t parent;
};
bool coh_xfer_kind(unsigned kind);
uint16_t coh_xfer_flush_call(const struct mapping *m);
void coh_xfer_note_ended(struct coh_sim *s, const struct mapping *m);
bool coh_xfer_stale_cause(struct coh_sim *s, uint64_t a, uint32_t seen, bool spec,
		      struct xcause *c);
int coh_xfer_note_root(struct coh_sim *s, uint64_t a, int64_t idx);
/* finding @idx is the one report of @m's missing or late flush (writable
 * @m; a first report is kept, idx < 0 is ignored) */
void coh_xfer_set_root(struct mapping *m, int64_t idx);
bool coh_xfer_ownership_strict(const struct coh_sim *s, int dev, uint64_t a);
bool coh_xfer_finding_windows(struct coh_sim *s, const struct fnew *f);

/* adapter.c */
struct resid {
	int rule;                    /* enum coh_rule (RESIDUAL_*), 0 = none */
	uint64_t lo, hi;             /* physical range of the stranded bytes */
	uint32_t n;                  /* evidence: n versions held in memory / stranded */
	uint64_t ev_addr;
	uint32_t seen[COH_EVIDENCE], exp[COH_EVIDENCE];
};
int coh_adapter_drain(struct coh_sim *s, unsigned dev, struct fifo *q, uint32_t map, uint64_t lo,
		  uint64_t hi, bool to_mem);
bool coh_adapter_residual(const struct coh_sim *s, const struct mapping *m, struct resid *r);

/* skip.c */
int coh_skip_note_unmap(struct coh_sim *s, const struct mapping *m, uint64_t off, uint64_t n);
int coh_skip_check_read(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n, uint64_t slo,
		    uint64_t shi);
void coh_skip_forget(struct coh_sim *s, uint64_t addr, uint64_t n);
uint64_t coh_skip_hash(const struct coh_sim *s, uint64_t h);

/* sim.c */
size_t coh_sim_heap_bytes(const struct coh_sim *s);
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

#endif
