/* SPDX-License-Identifier: MIT */
/*
 * infer.h - inferred device accesses (infer.c).
 * Internal to the engine.
 */
#ifndef COH_INFER_H
#define COH_INFER_H

#include "map.h"

int coh_infer_device(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n);

#endif
