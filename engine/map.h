/* SPDX-License-Identifier: MIT */
/*
 * map.h - mappings, allocations and transfers (map.c), their index by bus and
 * physical address, recently unmapped addresses, and the walk over a
 * mapping's physical pieces (map_pieces.c).
 * Internal to the engine.
 */
#ifndef COH_MAP_H
#define COH_MAP_H

#include "varr.h"

/* ---- mappings, allocations and transfers -------------------------------- */

/* per-byte state of a mapping (struct mapping.own) */

#define OWN_DEV      (1u << 0)       /* the device owns the byte */
#define OWN_CPUW     (1u << 1)       /* CPU wrote it since it gained it */
#define OWN_PENDW    (1u << 2)       /* CPU wrote it while device-owned, unsynced */
#define OWN_REPORTED (1u << 3)       /* that write was reported already */
#define OWN_SKIP     (1u << 4)       /* mapped TO/BIDI with SKIP_CPU_SYNC and not synced
				      * for the device since: the CPU may still write it */

struct map_segment {
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
	MF_RESIDUAL_REPORTED = 1u << 12,/* DC004 reported */
	MF_NOFLUSH_REPORTED = 1u << 13, /* Windows: its missing or late flush was reported
					 * (the root is noflush_root) */
	MF_EX = 1u << 14,            /* Windows: MapTransferEx, or a list of a v3 adapter:
				      * its flush invalidates */
};

struct mapping {
	refcount refs;               /* sharers (copy-on-write when > 1) */
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
	struct map_segment *segs;    /* nsegs */
	struct varr own;             /* per byte OWN_* (if MF_OWNED) */
	struct varr devw;            /* per byte: device write not yet handed over */
	struct varr slot;            /* per byte: bounce slot versions (if MF_BOUNCED) */
};

static inline bool dir_from(unsigned dir)
{
	return dir == COH_DIR_FROM_DEVICE || dir == COH_DIR_BIDIRECTIONAL;
}

static inline bool dir_to(unsigned dir)
{
	return dir == COH_DIR_TO_DEVICE || dir == COH_DIR_BIDIRECTIONAL;
}

/* an index entry: one segment of a live mapping */
struct map_entry {
	uint64_t start;              /* bus or physical start */
	uint64_t end;                /* one past the end */
	struct mapping *m;
	uint32_t seg;                /* segment index */
	uint16_t dev;                /* device (bus index only) */
};

struct map_table {
	struct mapping **v;          /* live, in creation order */
	uint32_t n, cap;
	struct map_entry *bus;       /* sorted by (dev, start) */
	uint32_t nbus, capbus;
	uint32_t offbus;             /* free entries before bus[0] in its allocation */
	struct map_entry *phys;      /* sorted by start (known ranges only) */
	uint32_t nphys, capphys;
	uint32_t offphys;            /* free entries before phys[0] */
	uint64_t maxlen;             /* longest segment ever indexed by phys */
	uint64_t bytes;              /* covered by live mappings */
	struct map_blob *blob;       /* a snapshot's: the mappings and indexes in
				      * a few bytes (map_copy.c); v, bus and phys
				      * are then NULL, the counts kept */
};

/* recently unmapped device addresses, to tell use-after-unmap from
 * pre-trace: a slot per hash of (device, address), the newest kept; shared
 * by clones and snapshots until written (40 KiB a copy) */
#define DEAD_SLOTS 4096
struct dead_table {
	refcount refs;
	uint64_t bus[DEAD_SLOTS];    /* start + 1 (0 = empty) */
	uint16_t dev[DEAD_SLOTS];
};

#define MAX_MAPPED_BYTES (1ull << 30)     /* 1 GiB covered by live mappings */


/* mappings that ended lately, to name the call a later stale read points to */
#define ENDED_RING 16
struct ended {
	uint64_t phys, len;          /* first segment (len 0 = empty) */
	uint16_t dev;
	uint8_t kind;
};

/* map.c */
struct mapping *coh_map_new(struct coh_sim *s, unsigned kind, unsigned dev, unsigned dir,
			const struct coh_seg *segs, uint32_t nsegs, uint32_t flags);
int coh_map_insert(struct coh_sim *s, struct mapping *m);
struct map_entry coh_map_entry(struct mapping *m, uint32_t seg, bool phys);
uint32_t coh_map_place(const struct map_table *t, const struct mapping *m);
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
size_t coh_map_overlaps(const struct coh_sim *s, uint64_t lo, uint64_t hi, struct map_entry *out,
		    size_t max);
void coh_dead_add(struct coh_sim *s, unsigned dev, uint64_t bus);
bool coh_dead_find(const struct coh_sim *s, unsigned dev, uint64_t bus);
uint64_t coh_map_hash(const struct coh_sim *s, uint64_t h);
uint64_t coh_map_state_hash(const struct coh_sim *s, uint64_t h);
size_t coh_map_bytes(const struct coh_sim *s);
bool coh_map_seg_phys(const struct mapping *m, uint64_t off, uint64_t *phys, uint64_t *avail);
uint64_t coh_map_widen_lo(const struct coh_sim *s, uint64_t a);
uint64_t coh_map_widen_len(const struct coh_sim *s, uint64_t addr, uint64_t n);

/* map_copy.c */
/* @tight (a snapshot): kept in a few bytes, or the copied arrays no longer
 * than what they hold */
int coh_map_table_copy(struct coh_sim *dst, const struct coh_sim *src, bool tight);
void coh_map_table_free(struct coh_sim *s);
struct map_blob;
int coh_map_blob_make(struct coh_sim *dst, const struct map_table *t);
int coh_map_blob_open(struct coh_sim *dst, const struct map_table *t);
struct map_blob *coh_map_blob_get(struct map_blob *b);
void coh_map_blob_put(struct coh_heap *h, struct map_blob *b);
size_t coh_map_blob_bytes(const struct map_blob *b);

/* map_pieces.c */
enum piece_op { P_CLEAN, P_INVAL, P_CLEAN_INVAL, P_TO_SLOT, P_TO_BUF, P_CPU_READ, P_CPU_WRITE };
int coh_map_pieces(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t n, int op);

#endif
