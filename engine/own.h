/* SPDX-License-Identifier: MIT */
/*
 * own.h - ownership of a mapping's bytes by the CPU or the device (own.c).
 * Internal to the engine.
 */
#ifndef COH_OWN_H
#define COH_OWN_H

#include "map.h"

int coh_own_touch(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_own_cpu_read(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
int coh_own_cpu_write(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
int coh_own_report_pending(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n);
int coh_own_dev_access(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n);
int coh_own_check_sync_cpu(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t n);
int coh_own_give(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n, bool to_dev);
int coh_own_handover(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n);

#endif
