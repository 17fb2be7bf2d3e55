/* SPDX-License-Identifier: MIT */
/*
 * access.h - CPU and device accesses (access.c): what a read returns, what a write
 * leaves, and the stale data they report.
 * Internal to the engine.
 */
#ifndef COH_ACCESS_H
#define COH_ACCESS_H

#include "map.h"

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

#endif
