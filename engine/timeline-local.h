/* SPDX-License-Identifier: MIT */
/*
 * timeline-local.h - what the searches (timeline_search.c) read of a
 * timeline (timeline.c): its snapshots and its source.
 */
#ifndef TIMELINE_LOCAL_H
#define TIMELINE_LOCAL_H

#include <stdint.h>

#include "coh_timeline.h"

const struct coh_sim *coh_timeline_snap_before(const struct coh_timeline *tl, uint64_t pos,
					       uint64_t *snap_pos);

#endif
