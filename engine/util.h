/* SPDX-License-Identifier: MIT */
/*
 * util.h - what every engine file uses: the public headers, MIN, MAX and one
 * step of a hash.
 * Internal to the engine.
 */
#ifndef COH_UTIL_H
#define COH_UTIL_H

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

#endif
