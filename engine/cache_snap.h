/* SPDX-License-Identifier: MIT */
/*
 * cache_snap.h - the CPUs' caches in the compact form a timeline snapshot
 * keeps them in (cache_snap.c): the held lines only, and the versions of
 * only the lines whose bytes differ; restored into the full form
 * (cache.c) when a snapshot is cloned.
 * Internal to the engine.
 */
#ifndef COH_CACHE_SNAP_H
#define COH_CACHE_SNAP_H

#include "cache.h"

struct cache_snap;

/* cache_snap.c */
struct cache_snap *coh_cache_snap_new(struct coh_sim *dst, const struct coh_sim *src);
struct cache_snap *coh_cache_snap_get(struct cache_snap *cs);
void coh_cache_snap_put(struct coh_sim *s, struct cache_snap *cs);
int coh_cache_snap_restore(struct coh_sim *dst, const struct cache_snap *cs);
size_t coh_cache_snap_bytes(const struct cache_snap *cs);

#endif
