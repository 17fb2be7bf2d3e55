/* SPDX-License-Identifier: MIT */
/*
 * skip.h - device writes a DMA_ATTR_SKIP_CPU_SYNC unmap left unsynced for the
 * CPU (skip.c).
 * Internal to the engine.
 */
#ifndef COH_SKIP_H
#define COH_SKIP_H

#include "map.h"

/* device writes a SKIP_CPU_SYNC unmap left unsynced for the CPU (skip.c) */
#define SKIP_RING 16
struct skipped {
	uint64_t phys, len;          /* the bytes (len 0 = empty) */
	uint64_t bus;                /* their device-side start */
	uint64_t unmap_seq;          /* the unmap */
	uint32_t ver;                /* the device write */
	uint16_t dev;
};

/* skip.c */
int coh_skip_note_unmap(struct coh_sim *s, const struct mapping *m, uint64_t off, uint64_t n);
int coh_skip_check_read(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n, uint64_t slo,
		    uint64_t shi);
void coh_skip_forget(struct coh_sim *s, uint64_t addr, uint64_t n);
uint64_t coh_skip_hash(const struct coh_sim *s, uint64_t h);

#endif
