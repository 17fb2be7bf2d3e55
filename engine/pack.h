/* SPDX-License-Identifier: MIT */
/*
 * pack.h - the byte forms a snapshot keeps its pages (mem.c) and its
 * mappings (map_copy.c) in: runs of equal values, and variable-length
 * integers.  A writer is given room enough (its caller bounds the size);
 * a reader reads what a writer wrote, nothing else (snapshots are made
 * and read by the engine only).  Internal to the engine.
 */
#ifndef COH_PACK_H
#define COH_PACK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "varr.h"

/* The head of every block a snapshot keeps as bytes: struct cpage,
 * struct map_blob and struct cache_snap begin so, the bytes after it. */
struct pack_head {
	refcount refs;
	uint32_t len;                /* of the bytes */
};

#define PACK_BLOCK_OK(type)                                                        \
	_Static_assert(offsetof(type, refs) == offsetof(struct pack_head, refs) &&  \
		       offsetof(type, len) == offsetof(struct pack_head, len) &&    \
		       offsetof(type, data) == sizeof(struct pack_head) &&          \
		       sizeof(type) == sizeof(struct pack_head),                    \
		       #type " begins as struct pack_head")

/* A block of [buf, end) behind its head, one sharer, from @h; NULL when
 * out of memory.  Freed with coh_heap_free(h, p, sizeof head + len). */
static inline void *pack_block(struct coh_heap *h, const uint8_t *buf, const uint8_t *end)
{
	struct pack_head *p = coh_heap_alloc(h, sizeof(*p) + (size_t)(end - buf));

	if (p) {
		ref_init(&p->refs, 1);
		p->len = (uint32_t)(end - buf);
		memcpy(p + 1, buf, p->len);
	}
	return p;
}

/* @n values as runs: the value, 4 bytes, and the run's length less one, 1
 * byte (at most 5 * @n bytes). */
static inline uint8_t *pack_runs(uint8_t *o, const uint32_t *v, size_t n)
{
	for (size_t i = 0, k; i < n; i += k) {
		for (k = 1; i + k < n && k < 256 && v[i + k] == v[i]; k++)
			;
		memcpy(o, &v[i], 4);
		o[4] = (uint8_t)(k - 1);
		o += 5;
	}
	return o;
}

static inline const uint8_t *unpack_runs(const uint8_t *in, uint32_t *v, size_t n)
{
	for (size_t i = 0, k; i < n; i += k) {
		uint32_t x;

		memcpy(&x, in, 4);
		k = in[4] + (size_t)1 < n - i ? in[4] + (size_t)1 : n - i;
		for (size_t j = 0; j < k; j++)
			v[i + j] = x;
		in += 5;
	}
	return in;
}

/* @n bytes as runs: the byte and the run's length less one (at most 2 * @n). */
static inline uint8_t *pack_byte_runs(uint8_t *o, const uint8_t *v, size_t n)
{
	for (size_t i = 0, k; i < n; i += k) {
		for (k = 1; i + k < n && k < 256 && v[i + k] == v[i]; k++)
			;
		o[0] = v[i];
		o[1] = (uint8_t)(k - 1);
		o += 2;
	}
	return o;
}

static inline const uint8_t *unpack_byte_runs(const uint8_t *in, uint8_t *v, size_t n)
{
	for (size_t i = 0, k; i < n; i += k, in += 2) {
		k = in[1] + (size_t)1 < n - i ? in[1] + (size_t)1 : n - i;
		memset(v + i, in[0], k);
	}
	return in;
}

/* An unsigned integer, 7 bits a byte, low first (at most 10 bytes). */
static inline uint8_t *pack_u64(uint8_t *o, uint64_t x)
{
	while (x >= 0x80) {
		*o++ = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	*o++ = (uint8_t)x;
	return o;
}

static inline const uint8_t *unpack_u64(const uint8_t *in, uint64_t *x)
{
	uint64_t v = 0;
	unsigned shift = 0;

	do
		v |= (uint64_t)(*in & 0x7f) << shift, shift += 7;
	while (*in++ & 0x80);
	*x = v;
	return in;
}

/* An address or a value whose "none" is all ones: one more, so none is 0. */
static inline uint8_t *pack_addr(uint8_t *o, uint64_t x)
{
	return pack_u64(o, x + 1);
}

static inline const uint8_t *unpack_addr(const uint8_t *in, uint64_t *x)
{
	in = unpack_u64(in, x);
	*x -= 1;
	return in;
}

#endif
