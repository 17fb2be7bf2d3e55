/* SPDX-License-Identifier: MIT */
/*
 * varr.h - heap accounting and block-compressed uint32_t arrays (varr.c).
 *
 * Everything that holds versions (memory, bounce slots, per-byte mapping
 * state) is a "varr": an array of uint32_t stored in blocks of 64 entries,
 * each block either uniform (one value) or detailed (64 values), so the
 * whole-buffer transfers of real traces cost a few operations per block.
 * Internal to the engine.
 */
#ifndef COH_VARR_H
#define COH_VARR_H

#include "util.h"

/* ---- heap accounting (one per family of clones) -------------------------- */

struct coh_heap {
	_Atomic size_t bytes;        /* live bytes allocated through it, by every
				      * clone sharing it, from any thread */
	refcount refs;               /* simulations sharing it */
};

void *coh_heap_alloc(struct coh_heap *h, size_t n);
void *coh_heap_zalloc(struct coh_heap *h, size_t n);
void coh_heap_free(struct coh_heap *h, void *p, size_t n);

/* ---- varr: block-compressed uint32_t arrays ------------------------------ */

#define VB_SHIFT 6
#define VB       (1u << VB_SHIFT)
#define VB_MASK  (VB - 1)

struct varr {
	uint32_t nblk;               /* blocks */
	uint32_t ndet;               /* detailed blocks (coh_varr_bytes() counts
				      * memory without reading d[]) */
	uint32_t *u;                 /* per block: its value when uniform */
	uint32_t **d;                /* per block: 64 values when detailed, or NULL;
				      * the array itself is NULL until one block is */
};

int coh_varr_init(struct coh_heap *h, struct varr *a, uint64_t n);
void coh_varr_fini(struct coh_heap *h, struct varr *a);
int coh_varr_copy(struct coh_heap *h, struct varr *dst, const struct varr *src);
/* for varrs whose u[] is embedded (pages): copy/free only the details */
int coh_varr_copy_into(struct coh_heap *h, struct varr *dst, const struct varr *src);
/* src[from, from + n) into dst[0, n) (dst's bytes there are 0 before) */
int coh_varr_copy_range(struct coh_heap *h, struct varr *dst, const struct varr *src,
		    uint64_t from, uint64_t n);
void coh_varr_free_details(struct coh_heap *h, struct varr *a);
uint32_t coh_varr_get(const struct varr *a, uint64_t i);
uint32_t coh_varr_run(const struct varr *a, uint64_t i, uint64_t max, uint64_t *len);
uint32_t *coh_varr_detail(struct coh_heap *h, struct varr *a, uint64_t b);
void coh_varr_load(const struct varr *a, uint64_t i, uint64_t n, uint32_t *out);
int coh_varr_store(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, const uint32_t *vals);
int coh_varr_set(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t v);
void coh_varr_set_block(struct coh_heap *h, struct varr *a, uint64_t b, uint32_t v);
int coh_varr_max(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t v);
int coh_varr_or(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t bits);
int coh_varr_andnot(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t bits);
size_t coh_varr_bytes(const struct varr *a);
uint64_t coh_varr_hash(const struct varr *a, uint64_t n, uint64_t h);

#endif
