/* SPDX-License-Identifier: MIT */
/*
 * util.h - what every engine file uses: the public headers, MIN, MAX, one
 * step of a hash, and the sharer counts of what clones share.
 * Internal to the engine.
 */
#ifndef COH_UTIL_H
#define COH_UTIL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coh_err.h"
#include "coh_event.h"
#include "coh_finding.h"
#include "coh_platform.h"
#include "coh_sim.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/*
 * Sharer counts of what clones share copy-on-write (pages, radix nodes,
 * mappings, the shared logs, the heap).  Atomic, because several threads
 * may clone one snapshot at once (the omission matrix, whatif_omit.c): a
 * new sharer needs no ordering (relaxed); dropping one is acq_rel, so the
 * last sharer, which frees the object, sees every other sharer's reads
 * done; "one sharer: I own it, change it in place" reads the count with
 * acquire for the same reason.  Only the holder of a reference can add
 * one, so a count read as 1 stays 1 while its holder works.
 */
typedef _Atomic uint32_t refcount;

static inline void ref_init(refcount *r, uint32_t n)
{
	atomic_store_explicit(r, n, memory_order_relaxed);
}

static inline void ref_get(refcount *r)
{
	atomic_fetch_add_explicit(r, 1, memory_order_relaxed);
}

/* Drop one sharer; nonzero when others remain. */
static inline uint32_t ref_put(refcount *r)
{
	return atomic_fetch_sub_explicit(r, 1, memory_order_acq_rel) - 1;
}

static inline uint32_t ref_count(const refcount *r)
{
	return atomic_load_explicit((refcount *)r, memory_order_acquire);
}

#endif
