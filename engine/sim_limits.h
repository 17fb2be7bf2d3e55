/* SPDX-License-Identifier: MIT */
/*
 * sim_limits.h - the bounds of one simulation (struct coh_sim_limits in
 * coh_sim.h): memory touched, bytes covered by live mappings, bytes one
 * event may cover.  Implemented in sim_limits.c; mem.c, map.c and sim.c ask
 * it before they grow.
 */
#ifndef SIM_LIMITS_H
#define SIM_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coh_sim.h"

void coh_limits_init(struct coh_sim_limits *l);
bool coh_limit_mem_reached(struct coh_sim *s, uint64_t npages);
bool coh_limit_mapped_reached(struct coh_sim *s, uint64_t mapped);
int coh_limit_event_check(const struct coh_sim *s, const struct coh_event *ev, char *msg,
			  size_t n);
void coh_limit_describe(const struct coh_sim *s, char *buf, size_t n);

#endif
