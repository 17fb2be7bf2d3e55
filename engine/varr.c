/* SPDX-License-Identifier: MIT */
/*
 * varr.c - block-compressed uint32_t arrays, and the heap they count into.
 *
 * A varr of n entries is ceil(n / 64) blocks.  A block is uniform (one
 * value in u[b]) until a write covers only part of it with a different
 * value; it is then detailed (64 values in d[b]) until a write covers it
 * whole again or its values become equal again.
 */
#include <stdlib.h>
#include <string.h>

#include "varr.h"

void *coh_heap_alloc(struct coh_heap *h, size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p)
		atomic_fetch_add_explicit(&h->bytes, n, memory_order_relaxed);
	return p;
}

void *coh_heap_zalloc(struct coh_heap *h, size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (p)
		atomic_fetch_add_explicit(&h->bytes, n, memory_order_relaxed);
	return p;
}

void coh_heap_free(struct coh_heap *h, void *p, size_t n)
{
	if (!p)
		return;
	atomic_fetch_sub_explicit(&h->bytes, n, memory_order_relaxed);
	free(p);
}

#define DBYTES (VB * sizeof(uint32_t))

int coh_varr_init(struct coh_heap *h, struct varr *a, uint64_t n)
{
	uint64_t nblk = (n + VB - 1) >> VB_SHIFT;

	if (nblk > UINT32_MAX)
		return -COH_E_TOOBIG;
	a->nblk = (uint32_t)(nblk ? nblk : 1);
	a->ndet = 0;
	a->d = NULL;
	a->u = coh_heap_zalloc(h, a->nblk * sizeof(uint32_t));
	return a->u ? 0 : -COH_E_NOMEM;
}

static void free_details(struct coh_heap *h, struct varr *a)
{
	if (!a->d)
		return;
	for (uint32_t b = 0; b < a->nblk; b++)
		coh_heap_free(h, a->d[b], DBYTES);
	coh_heap_free(h, a->d, a->nblk * sizeof(*a->d));
	a->d = NULL;
	a->ndet = 0;
}

void coh_varr_fini(struct coh_heap *h, struct varr *a)
{
	free_details(h, a);
	coh_heap_free(h, a->u, a->nblk * sizeof(uint32_t));
	a->u = NULL;
}

/* Copy src's blocks into dst, whose u[] is already allocated (nblk equal). */
static int copy_blocks(struct coh_heap *h, struct varr *dst, const struct varr *src)
{
	uint32_t first = 0;

	memcpy(dst->u, src->u, src->nblk * sizeof(uint32_t));
	dst->d = NULL;
	dst->ndet = 0;
	while (src->d && first < src->nblk && !src->d[first])
		first++;
	if (!src->d || first == src->nblk)
		return 0;                    /* no block detailed: no array either */
	dst->d = coh_heap_zalloc(h, src->nblk * sizeof(*dst->d));
	if (!dst->d)
		return -COH_E_NOMEM;
	for (uint32_t b = first; b < src->nblk; b++) {
		if (!src->d[b])
			continue;
		dst->d[b] = coh_heap_alloc(h, DBYTES);
		if (!dst->d[b])
			return -COH_E_NOMEM;
		dst->ndet++;
		memcpy(dst->d[b], src->d[b], DBYTES);
	}
	return 0;
}

int coh_varr_copy(struct coh_heap *h, struct varr *dst, const struct varr *src)
{
	dst->nblk = src->nblk;
	dst->d = NULL;
	dst->u = coh_heap_alloc(h, src->nblk * sizeof(uint32_t));
	if (!dst->u)
		return -COH_E_NOMEM;
	return copy_blocks(h, dst, src);
}

int coh_varr_copy_into(struct coh_heap *h, struct varr *dst, const struct varr *src)
{
	return copy_blocks(h, dst, src);
}

void coh_varr_free_details(struct coh_heap *h, struct varr *a)
{
	free_details(h, a);
}

uint32_t coh_varr_get(const struct varr *a, uint64_t i)
{
	uint64_t b = i >> VB_SHIFT;

	if (a->d && a->d[b])
		return a->d[b][i & VB_MASK];
	return a->u[b];
}

uint32_t coh_varr_run(const struct varr *a, uint64_t i, uint64_t max, uint64_t *len)
{
	uint64_t b = i >> VB_SHIFT, o = i & VB_MASK, k;
	uint32_t v;

	if (a->d && a->d[b]) {
		const uint32_t *d = a->d[b];

		v = d[o];
		for (k = 1; o + k < VB && k < max && d[o + k] == v; k++)
			;
		*len = k;
		return v;
	}
	v = a->u[b];
	k = VB - o;
	if (!a->d) {                     /* no detailed block: a scan of u[] alone */
		uint64_t end = MIN((uint64_t)a->nblk, b + 1 + (max > k ? (max - k + VB - 1) / VB : 0));

		for (b++; b < end && a->u[b] == v; b++)
			k += VB;
	} else {
		for (b++; k < max && b < a->nblk && !a->d[b] && a->u[b] == v; b++)
			k += VB;
	}
	*len = k < max ? k : max;
	return v;
}

uint32_t *coh_varr_detail(struct coh_heap *h, struct varr *a, uint64_t b)
{
	uint32_t *d;

	if (!a->d) {
		a->d = coh_heap_zalloc(h, a->nblk * sizeof(*a->d));
		if (!a->d)
			return NULL;
	}
	if (a->d[b])
		return a->d[b];
	d = coh_heap_alloc(h, DBYTES);
	if (!d)
		return NULL;
	for (unsigned k = 0; k < VB; k++)
		d[k] = a->u[b];
	a->d[b] = d;
	a->ndet++;
	return d;
}

/* Back to uniform when all 64 values are equal. */
static void compact(struct coh_heap *h, struct varr *a, uint64_t b)
{
	uint32_t *d = a->d[b];

	for (unsigned k = 1; k < VB; k++)
		if (d[k] != d[0])
			return;
	a->u[b] = d[0];
	coh_heap_free(h, d, DBYTES);
	a->d[b] = NULL;
	a->ndet--;
}

enum vop { OP_SET, OP_MAX, OP_OR, OP_ANDNOT };

static inline uint32_t apply_op(enum vop op, uint32_t x, uint32_t v)
{
	switch (op) {
	case OP_SET:
		return v;
	case OP_MAX:
		return x > v ? x : v;
	case OP_OR:
		return x | v;
	default:
		return x & ~v;
	}
}

static int range_op(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t v,
		    enum vop op)
{
	while (n) {
		uint64_t b = i >> VB_SHIFT, o = i & VB_MASK;
		uint64_t k = MIN(VB - o, n);
		bool det = a->d && a->d[b];
		uint32_t *d;

		if (!det && apply_op(op, a->u[b], v) == a->u[b]) {
			/* nothing changes */
		} else if (!det && k == VB) {
			a->u[b] = apply_op(op, a->u[b], v);
		} else if (det && k == VB && op == OP_SET) {
			coh_heap_free(h, a->d[b], DBYTES);
			a->d[b] = NULL;
			a->ndet--;
			a->u[b] = v;
		} else {
			d = coh_varr_detail(h, a, b);
			if (!d)
				return -COH_E_NOMEM;
			for (uint64_t j = 0; j < k; j++)
				d[o + j] = apply_op(op, d[o + j], v);
			if (k == VB)
				compact(h, a, b);
		}
		i += k;
		n -= k;
	}
	return 0;
}

/* Block @b set whole to @v: coh_varr_set() of exactly that block. */
void coh_varr_set_block(struct coh_heap *h, struct varr *a, uint64_t b, uint32_t v)
{
	if (a->d && a->d[b]) {
		coh_heap_free(h, a->d[b], DBYTES);
		a->d[b] = NULL;
		a->ndet--;
	}
	a->u[b] = v;
}

int coh_varr_copy_range(struct coh_heap *h, struct varr *dst, const struct varr *src,
		    uint64_t from, uint64_t n)
{
	for (uint64_t i = 0, len; i < n; i += len) {
		uint32_t v = coh_varr_run(src, from + i, n - i, &len);
		int err = v ? coh_varr_set(h, dst, i, len, v) : 0;

		if (err < 0)
			return err;
	}
	return 0;
}

/* What range_op() does, whole blocks in a tight loop between the ends. */
int coh_varr_set(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t v)
{
	uint64_t head = MIN(n, (VB - (i & VB_MASK)) & VB_MASK);
	int err;

	if (head && (err = range_op(h, a, i, head, v, OP_SET)) < 0)
		return err;
	i += head;
	n -= head;
	if (!a->d) {                     /* no detail to free: a plain fill */
		uint32_t *u = a->u + (i >> VB_SHIFT);

		for (uint64_t b = 0; b < n >> VB_SHIFT; b++)
			u[b] = v;
		i += n & ~(uint64_t)VB_MASK;
		n &= VB_MASK;
	}
	for (; n >= VB; i += VB, n -= VB)
		coh_varr_set_block(h, a, i >> VB_SHIFT, v);
	return n ? range_op(h, a, i, n, v, OP_SET) : 0;
}

int coh_varr_max(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t v)
{
	return range_op(h, a, i, n, v, OP_MAX);
}

int coh_varr_or(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t bits)
{
	return range_op(h, a, i, n, bits, OP_OR);
}

int coh_varr_andnot(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, uint32_t bits)
{
	return range_op(h, a, i, n, bits, OP_ANDNOT);
}

/* Copy entries [i, i + n) out. */
void coh_varr_load(const struct varr *a, uint64_t i, uint64_t n, uint32_t *out)
{
	while (n) {
		uint64_t b = i >> VB_SHIFT, o = i & VB_MASK, k = MIN(VB - o, n);

		if (a->d && a->d[b]) {
			memcpy(out, a->d[b] + o, k * sizeof(*out));
		} else {
			for (uint64_t j = 0; j < k; j++)
				out[j] = a->u[b];
		}
		out += k;
		i += k;
		n -= k;
	}
}

/* Store @vals into entries [i, i + n); whole blocks of one value go uniform. */
int coh_varr_store(struct coh_heap *h, struct varr *a, uint64_t i, uint64_t n, const uint32_t *vals)
{
	while (n) {
		uint64_t b = i >> VB_SHIFT, o = i & VB_MASK, k = MIN(VB - o, n);
		uint64_t same = 1;
		uint32_t *d;

		while (same < k && vals[same] == vals[0])
			same++;
		if (same == k && (k == VB || (!(a->d && a->d[b]) && a->u[b] == vals[0]))) {
			if (k == VB && a->d && a->d[b]) {
				coh_heap_free(h, a->d[b], DBYTES);
				a->d[b] = NULL;
				a->ndet--;
			}
			a->u[b] = vals[0];
		} else {
			if (!(d = coh_varr_detail(h, a, b)))
				return -COH_E_NOMEM;
			memcpy(d + o, vals, k * sizeof(*vals));
		}
		vals += k;
		i += k;
		n -= k;
	}
	return 0;
}

size_t coh_varr_bytes(const struct varr *a)
{
	size_t n = a->nblk * sizeof(uint32_t);

#if defined(__SANITIZE_ADDRESS__)      /* make test's second pass checks the count */
	uint32_t k = 0;

	for (uint32_t b = 0; a->d && b < a->nblk; b++)
		k += a->d[b] != NULL;
	if (k != a->ndet)
		abort();
#endif
	if (a->d)
		n += a->nblk * sizeof(*a->d) + (size_t)a->ndet * DBYTES;
	return n;
}

/* Hash of entries [0, n) by maximal runs, so equal contents hash equal
 * whichever blocks happen to be detailed. */
uint64_t coh_varr_hash(const struct varr *a, uint64_t n, uint64_t h)
{
	uint64_t i = 0, run = 0;
	uint32_t cur = 0;

	while (i < n) {
		uint64_t len;
		uint32_t v = coh_varr_run(a, i, n - i, &len);

		if (run && v != cur) {
			h = mix(mix(h, cur), run);
			run = 0;
		}
		cur = v;
		run += len;
		i += len;
	}
	if (run)
		h = mix(mix(h, cur), run);
	return h;
}
