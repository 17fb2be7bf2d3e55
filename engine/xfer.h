/* SPDX-License-Identifier: MIT */
/*
 * xfer.h - Windows transfers: recent KeFlushIoBuffers calls, IRPs, transfers
 * that ended lately, what a finding on their bytes points to (xfer_cause.c),
 * and the operations the generic access path calls down into (xfer_ops,
 * provided by windows.c and adapter.c).
 * Internal to the engine.
 */
#ifndef COH_XFER_H
#define COH_XFER_H

#include "map.h"

struct new_finding;

#define KFLUSH_RING 8
struct ke_flush_note {
	uint64_t addr, len;          /* the MDL */
	uint64_t seq;                /* when */
	uint64_t nacc;               /* access counter then */
	uint8_t read_op;
	uint8_t valid;
	uint8_t v3_pending;          /* on a v3 adapter: redundant if a v3 transfer follows */
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

/* Windows transfers that ended lately: what a later stale read of their
 * bytes points to (one entry per segment) */
#define XFER_ENDED_RING 32
#define XE_EX        (1u << 0)       /* the flush would have invalidated (MF_EX) */
#define XE_KFLUSHED  (1u << 1)       /* KeFlushIoBuffers covered it (MF_KFLUSHED) */
#define XE_FLUSHED   (1u << 2)       /* a flush came for it (MF_FLUSHED) */
#define XE_ROOT      (1u << 3)       /* its missing or late flush was reported: root */
#define XE_BOUNCED   (1u << 4)       /* map buffers (MF_BOUNCED) */
struct xfer_ended {
	uint64_t phys, len;          /* one segment (len 0 = empty) */
	int64_t root;                /* with XE_ROOT: the finding */
	uint64_t made_seq;           /* the call that started it */
	uint16_t dev;
	uint16_t flush;              /* enum coh_kind of its flush call */
	uint16_t flags;              /* XE_* */
};

/* What the generic access path (access.c) asks of the Windows transfer
 * code, called down through the table the sim holds (struct coh_sim.xfer). */
struct xfer_ops {
	/* the device accesses bytes [off, off + n) of transfer *@mp */
	int (*device_access)(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n,
			     bool write, const uint8_t *data);
	/* a CPU read of [addr, addr + n) is about to happen: report the
	 * residual bytes of the transfers it overlaps */
	int (*check_read)(struct coh_sim *s, uint64_t addr, uint64_t n);
};
/* windows.c: the Windows transfers' table, which coh_sim_new() installs */
extern const struct xfer_ops coh_windows_xfer_ops;

/* xfer_cause.c: what a finding on a Windows transfer's bytes points to */
struct xfer_cause {
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
		      struct xfer_cause *c);
int coh_xfer_note_root(struct coh_sim *s, uint64_t a, int64_t idx);
/* finding @idx is the one report of @m's missing or late flush (writable
 * @m; a first report is kept, idx < 0 is ignored) */
void coh_xfer_set_root(struct mapping *m, int64_t idx);
bool coh_xfer_ownership_strict(const struct coh_sim *s, int dev, uint64_t a);
bool coh_xfer_finding_windows(struct coh_sim *s, const struct new_finding *f);

#endif
