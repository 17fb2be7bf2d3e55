/* SPDX-License-Identifier: MIT */
/*
 * cache_snap.c - the caches of a timeline snapshot, compact.
 *
 * A cache in full (cache.c) is sets * ways lines, a version per byte of
 * each (L * 4 bytes a line, whether the line is uniform or not) and 4096
 * occupancy counters: 182 KiB a CPU for a 32 KiB cache of 64-byte lines.
 * A snapshot is never read in place, only cloned (coh_sim_clone()), so it
 * keeps what a restore needs and nothing else: the lines some address is
 * held in (an invalid line's other fields are never read: a fill sets them
 * all), the versions of the lines that are not uniform, and the counters
 * that are not 0.  One block, shared by the snapshots cloned from it
 * (derived timelines) and never changed.
 */
#include <string.h>

#include "cache_snap.h"
#include "sim-local.h"

#define NO_VERS UINT32_MAX

struct held_line {
	uint32_t idx;                /* its index in the cache's lines */
	uint32_t vers;               /* its versions in the pool (in lines), or NO_VERS */
	struct cache_line l;         /* as it was */
};

struct occ_count {
	uint32_t slot;               /* index in the cache's occ[] */
	uint32_t n;                  /* its value, not 0 */
};

struct cpu_snap {
	uint64_t clock;              /* the cache's LRU clock */
	uint32_t nlines, nocc;
	const struct held_line *lines;   /* nlines, by index */
	const struct occ_count *occ;     /* nocc, by slot */
};

struct cache_snap {
	refcount refs;               /* snapshots sharing it */
	size_t bytes;                /* the block, as allocated */
	const uint32_t *vers;        /* L versions per non-uniform line */
	unsigned ncpus;
	struct cpu_snap cpu[];       /* ncpus */
};

struct counts {
	size_t lines, occ, vers;
};

static size_t nlines(const struct coh_sim *s)
{
	return (size_t)s->plat.sets * s->plat.ways;
}

static void count(const struct coh_sim *s, struct counts *k)
{
	memset(k, 0, sizeof(*k));
	for (unsigned cpu = 0; cpu < s->plat.ncpus; cpu++) {
		const struct cache *c = &s->cache[cpu];

		for (size_t i = 0; i < nlines(s); i++) {
			if (c->lines[i].tag == COH_ADDR_NONE)
				continue;
			k->lines++;
			k->vers += !c->lines[i].uniform;
		}
		for (size_t i = 0; i < OCC_SLOTS; i++)
			k->occ += c->occ[i] != 0;
	}
}

/* @src's cache @cpu into @cs at *@k (what was filled so far; advanced). */
static void fill_cpu(struct cache_snap *cs, struct held_line *hl, struct occ_count *oc,
		     uint32_t *vers, const struct coh_sim *src, unsigned cpu, struct counts *k)
{
	const struct cache *c = &src->cache[cpu];
	struct cpu_snap *p = &cs->cpu[cpu];

	p->clock = c->clock;
	p->lines = hl + k->lines;
	p->occ = oc + k->occ;
	for (size_t i = 0; i < nlines(src); i++) {
		struct held_line *h = &hl[k->lines];

		if (c->lines[i].tag == COH_ADDR_NONE)
			continue;
		h->idx = (uint32_t)i;
		h->l = c->lines[i];
		h->vers = NO_VERS;
		if (!h->l.uniform) {
			h->vers = (uint32_t)k->vers++;
			memcpy(vers + (size_t)h->vers * src->plat.line,
			       c->vers + i * src->plat.line, src->plat.line * sizeof(*vers));
		}
		k->lines++;
	}
	for (size_t i = 0; i < OCC_SLOTS; i++)
		if (c->occ[i])
			oc[k->occ++] = (struct occ_count){ (uint32_t)i, c->occ[i] };
	p->nlines = (uint32_t)(k->lines - (size_t)(p->lines - hl));
	p->nocc = (uint32_t)(k->occ - (size_t)(p->occ - oc));
}

/**
 * coh_cache_snap_new - @src's caches (in full) in compact form, counted in
 * @dst's heap
 *
 * Return: release with coh_cache_snap_put(), or NULL when out of memory.
 */
struct cache_snap *coh_cache_snap_new(struct coh_sim *dst, const struct coh_sim *src)
{
	size_t head = sizeof(struct cache_snap) + src->plat.ncpus * sizeof(struct cpu_snap);
	struct counts k;
	struct cache_snap *cs;
	struct held_line *hl;
	struct occ_count *oc;
	uint32_t *vers;
	size_t n;

	count(src, &k);
	head = (head + 7) & ~(size_t)7;
	n = head + k.lines * sizeof(*hl) + k.occ * sizeof(*oc) +
	    k.vers * src->plat.line * sizeof(*vers);
	if (!(cs = coh_heap_alloc(dst->heap, n)))
		return NULL;
	ref_init(&cs->refs, 1);
	cs->bytes = n;
	cs->ncpus = src->plat.ncpus;
	hl = (struct held_line *)((char *)cs + head);
	oc = (struct occ_count *)(hl + k.lines);
	vers = (uint32_t *)(oc + k.occ);
	cs->vers = vers;
	memset(&k, 0, sizeof(k));
	for (unsigned cpu = 0; cpu < src->plat.ncpus; cpu++)
		fill_cpu(cs, hl, oc, vers, src, cpu, &k);
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
		coh_heap_free(s->heap, cs, cs->bytes);
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
	uint32_t len = dst->plat.line;

	for (unsigned cpu = 0; cpu < cs->ncpus; cpu++) {
		const struct cpu_snap *p = &cs->cpu[cpu];
		struct cache *c = &dst->cache[cpu];
		int err = coh_cache_init(dst, cpu);

		if (err < 0)
			return err;
		c->clock = p->clock;
		for (uint32_t i = 0; i < p->nlines; i++) {
			const struct held_line *h = &p->lines[i];

			c->lines[h->idx] = h->l;
			if (h->vers != NO_VERS)
				memcpy(c->vers + (size_t)h->idx * len, cs->vers + (size_t)h->vers * len,
				       len * sizeof(*c->vers));
		}
		for (uint32_t i = 0; i < p->nocc; i++)
			c->occ[p->occ[i].slot] = p->occ[i].n;
		coh_cache_count_dirt(dst, cpu);
	}
	return 0;
}

/**
 * coh_cache_snap_bytes - the memory @cs holds
 */
size_t coh_cache_snap_bytes(const struct cache_snap *cs)
{
	return cs->bytes;
}
