/* SPDX-License-Identifier: MIT */
/*
 * cache_snap.c - the caches of a timeline snapshot, compact.
 *
 * A cache in full (cache.c) is sets * ways lines, a version per byte of
 * each (L * 4 bytes a line, whether the line is uniform or not) and 4096
 * occupancy counters: 182 KiB a CPU for a 32 KiB cache of 64-byte lines.
 * A snapshot is never read in place, only cloned (coh_sim_clone()), so it
 * keeps what a restore needs and nothing else, as bytes: the lines some
 * address is held in (an invalid line's other fields are never read: a
 * fill sets them all), each as variable-length integers with its versions
 * as runs (about 12 bytes a line on big, 6 KB a snapshot, was 37); the
 * counters are counted again from the lines.  One block, shared by the
 * snapshots cloned from it (derived timelines) and never changed.
 */
#include <stdlib.h>
#include <string.h>

#include "cache_snap.h"
#include "pack.h"
#include "sim-local.h"

struct cache_snap {
	refcount refs;               /* snapshots sharing it */
	uint32_t len;                /* of data */
	uint8_t data[];
};

PACK_BLOCK_OK(struct cache_snap);

/* a held line's flags byte */
enum { HL_STATE = 3, HL_UNIFORM = 4, HL_SPEC = 8 };

static size_t nlines(const struct coh_sim *s)
{
	return (size_t)s->plat.sets * s->plat.ways;
}

/* Room enough for @src's caches. */
static size_t bound(const struct coh_sim *src)
{
	return src->plat.ncpus * (20 + nlines(src) * (1 + 5 * 10 + 5 * (size_t)src->plat.line));
}

/* @src's cache @cpu as bytes: its clock and held lines, then each held
 * line: its index less the one before's, a flags byte, its address in
 * lines, how long before the clock it was used, then its version (uniform)
 * or its versions as runs. */
static uint8_t *put_cpu(uint8_t *o, const struct coh_sim *src, unsigned cpu)
{
	const struct cache *c = &src->cache[cpu];
	size_t held = 0, prev = 0;

	for (size_t i = 0; i < nlines(src); i++)
		held += c->lines[i].tag != COH_ADDR_NONE;
	o = pack_u64(o, c->clock);
	o = pack_u64(o, held);
	for (size_t i = 0; i < nlines(src); i++) {
		const struct cache_line *l = &c->lines[i];

		if (l->tag == COH_ADDR_NONE)
			continue;
		o = pack_u64(o, i - prev);
		prev = i;
		*o++ = (uint8_t)(l->state | (l->uniform ? HL_UNIFORM : 0) | (l->spec ? HL_SPEC : 0));
		o = pack_u64(o, l->tag >> src->lshift);
		o = pack_u64(o, c->clock - l->lru);
		if (l->uniform)
			o = pack_u64(o, l->uver);
		else
			o = pack_runs(o, c->vers + i * src->plat.line, src->plat.line);
	}
	return o;
}

/**
 * coh_cache_snap_new - @src's caches (in full) in compact form, counted in
 * @dst's heap: the lines some address is held in (an invalid line's other
 * fields are never read: a fill sets them all), each line's versions as
 * runs; the occupancy counters are counted again on a restore
 *
 * Return: release with coh_cache_snap_put(), or NULL when out of memory.
 */
struct cache_snap *coh_cache_snap_new(struct coh_sim *dst, const struct coh_sim *src)
{
	uint8_t *buf = malloc(bound(src)), *o = buf;
	struct cache_snap *cs;

	if (!buf)
		return NULL;
	for (unsigned cpu = 0; cpu < src->plat.ncpus; cpu++)
		o = put_cpu(o, src, cpu);
	cs = pack_block(dst->heap, buf, o);
	free(buf);
	return cs;
}

/**
 * coh_cache_snap_get - one more snapshot shares @cs
 *
 * Return: @cs; release with coh_cache_snap_put().
 */
struct cache_snap *coh_cache_snap_get(struct cache_snap *cs)
{
	ref_get(&cs->refs);
	return cs;
}

/**
 * coh_cache_snap_put - @s no longer shares @cs (NULL is fine); the last
 * sharer frees it
 */
void coh_cache_snap_put(struct coh_sim *s, struct cache_snap *cs)
{
	if (cs && !ref_put(&cs->refs))
		coh_heap_free(s->heap, cs, coh_cache_snap_bytes(cs));
}

/**
 * coh_cache_snap_restore - @dst's caches (none yet) in full, as @cs holds
 * them: the state they were in when @cs was taken
 *
 * Return: 0, or -COH_E_NOMEM (the caches made so far stay, for
 * coh_sim_free()).
 */
int coh_cache_snap_restore(struct coh_sim *dst, const struct cache_snap *cs)
{
	const uint8_t *in = cs->data;

	for (unsigned cpu = 0; cpu < dst->plat.ncpus; cpu++) {
		struct cache *c = &dst->cache[cpu];
		uint64_t held, at = 0, x;
		int err = coh_cache_init(dst, cpu);

		if (err < 0)
			return err;
		in = unpack_u64(in, &c->clock);
		in = unpack_u64(in, &held);
		for (uint64_t k = 0; k < held; k++) {
			struct cache_line *l;
			uint8_t flags;

			in = unpack_u64(in, &x);
			l = &c->lines[at += x];
			flags = *in++;
			l->state = flags & HL_STATE;
			l->uniform = !!(flags & HL_UNIFORM);
			l->spec = !!(flags & HL_SPEC);
			in = unpack_u64(in, &x);
			l->tag = x << dst->lshift;
			in = unpack_u64(in, &x);
			l->lru = c->clock - x;
			if (l->uniform) {
				in = unpack_u64(in, &x);
				l->uver = (uint32_t)x;
			} else {
				in = unpack_runs(in, c->vers + at * dst->plat.line, dst->plat.line);
			}
		}
		coh_cache_count(dst, cpu);
	}
	return 0;
}

/**
 * coh_cache_snap_bytes - the memory @cs holds
 */
size_t coh_cache_snap_bytes(const struct cache_snap *cs)
{
	return sizeof(*cs) + cs->len;
}
