/* SPDX-License-Identifier: MIT */
/*
 * adapter.h - the devices' DMA controller buffer and posted writes (adapter.c):
 * what a Windows transfer holds before a flush, and what it strands.
 * Internal to the engine.
 */
#ifndef COH_ADAPTER_H
#define COH_ADAPTER_H

#include "map.h"

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

struct device_state {
	struct fifo ctrl;            /* system DMA controller buffer */
	struct fifo posted;          /* bus-master posted writes */
};

/* adapter.c */
struct residual {
	int rule;                    /* enum coh_rule (RESIDUAL_*), 0 = none */
	uint64_t lo, hi;             /* physical range of the stranded bytes */
	uint32_t n;                  /* evidence: n versions held in memory / stranded */
	uint64_t ev_addr;
	uint32_t seen[COH_EVIDENCE], exp[COH_EVIDENCE];
};
int coh_adapter_drain(struct coh_sim *s, unsigned dev, struct fifo *q, uint32_t map, uint64_t lo,
		  uint64_t hi, bool to_mem);
bool coh_adapter_residual(const struct coh_sim *s, const struct mapping *m, struct residual *r);
int coh_xfer_device_access(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n,
		       bool write, const uint8_t *data);

#endif
