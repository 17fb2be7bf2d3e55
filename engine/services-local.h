/* SPDX-License-Identifier: MIT */
/*
 * services-local.h - internal interfaces of the services for front ends
 * (limits, timeline search, views of DMA buffers).  Only engine .c files
 * include this, after coh-local.h.
 */
#ifndef SERVICES_LOCAL_H
#define SERVICES_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coh_sim.h"
#include "coh_timeline.h"

/* sim_limits.c: the bounds of one simulation (struct coh_sim_limits) */
void coh_limits_init(struct coh_sim_limits *l);
bool coh_limit_mem_reached(struct coh_sim *s, uint64_t npages);
bool coh_limit_mapped_reached(struct coh_sim *s, uint64_t mapped);
int coh_limit_event_check(const struct coh_sim *s, const struct coh_event *ev, char *msg,
			  size_t n);
void coh_limit_describe(const struct coh_sim *s, char *buf, size_t n);

/* timeline.c: what the searches (timeline_search.c) read of a timeline */
const struct coh_sim *coh_timeline_snap_before(const struct coh_timeline *tl, uint64_t pos,
					       uint64_t *snap_pos);
const struct coh_source *coh_timeline_source(const struct coh_timeline *tl);

#endif
