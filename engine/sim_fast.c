/* SPDX-License-Identifier: MIT */
/*
 * sim_fast.c - the common case, kept short: a CPU access of at most 8 bytes
 * inside one line, on a page with no mapping or uncached allocation near it,
 * that is not stale.  Anything else falls back to the full path in access.c,
 * which gives the same result.
 */
#include "cache.h"
#include "map.h"
#include "mem.h"
#include "sim-local.h"
#include "varr.h"

static inline uint32_t field_get(const struct varr *a, uint64_t off)
{
	uint64_t b = off >> VB_SHIFT;

	return a->d && a->d[b] ? a->d[b][off & VB_MASK] : a->u[b];
}

/* Set n (<= 8) entries within one block when that is cheap; else the general way. */
static inline int field_set(struct coh_sim *s, struct varr *a, uint64_t off, uint64_t n,
			    uint32_t v)
{
	uint64_t b = off >> VB_SHIFT, o = off & VB_MASK;

	if (a->d && a->d[b] && o + n <= VB) {
		for (uint64_t i = 0; i < n; i++)
			a->d[b][o + i] = v;
		return 0;
	}
	if (!(a->d && a->d[b]) && a->u[b] == v && o + n <= VB)
		return 0;
	return coh_varr_set(s->heap, a, off, n, v);
}

/* Nothing mapped or uncached near [addr, addr + n) (granule-widened)? */
static inline bool quiet(const struct coh_sim *s, const struct page *pg, uint64_t addr,
			 uint64_t n)
{
	uint64_t off = addr & (PG_SIZE - 1), g = s->granule;

	if (pg && (pg->nmap | pg->nunc))
		return false;
	if (!s->maps.nphys)
		return true;
	if (!pg && coh_mem_nmap(s, addr, n))
		return false;
	/* the widened range may reach a neighbouring page */
	if (off < g || off + n + g > PG_SIZE)
		return !coh_mem_nmap(s, coh_map_widen_lo(s, addr), coh_map_widen_len(s, addr, n));
	return true;
}

static inline struct cache_line *find_line(const struct coh_sim *s, unsigned cpu, uint64_t line)
{
	const struct cache *c = &s->cache[cpu];

	return coh_set_find(c->lines + (((line >> s->lshift) & (s->plat.sets - 1)) * s->plat.ways),
			    s->plat.ways, line);
}

/* Is any of the n (<= 8) versions the line returns at @off older than the
 * versions of @a at page offset @po? */
static inline bool older(const struct cache_line *l, const uint32_t *vers, uint32_t off,
			 const struct varr *a, uint64_t po, uint64_t n)
{
	uint64_t b = po >> VB_SHIFT, o = po & VB_MASK;
	const uint32_t *d;

	if (o + n > VB) {
		for (uint64_t i = 0; i < n; i++)
			if ((vers ? vers[off + i] : l->uver) < field_get(a, po + i))
				return true;
		return false;
	}
	d = a->d ? a->d[b] : NULL;
	if (!d && !a->u[b])              /* nothing is older than version 0 */
		return false;
	if (!vers && !d)
		return l->uver < a->u[b];
	if (!vers) {
		for (uint64_t i = 0; i < n; i++)
			if (l->uver < d[o + i])
				return true;
		return false;
	}
	if (!d) {
		bool st = false;

		for (uint64_t i = 0; i < n; i++)
			st |= vers[off + i] < a->u[b];
		return st;
	}
	for (uint64_t i = 0; i < n; i++)
		if (vers[off + i] < d[o + i])
			return true;
	return false;
}

/* Stale: older than the newest CPU write or the newest handed device write. */
static inline bool stale(const struct cache_line *l, const uint32_t *vers, uint32_t off,
			 const struct page *pg, uint64_t po, uint64_t n)
{
	return older(l, vers, off, &pg->f[F_CW], po, n) || older(l, vers, off, &pg->f[F_HO], po, n);
}

/* One chunk inside one line: 1 done, 0 stale (take the full path), < 0 error.
 * Inlined at both calls even though it is not small: it is most of an access. */
static inline __attribute__((always_inline)) int
chunk(struct coh_sim *s, const struct page *pg, unsigned cpu, bool write, uint64_t addr,
      uint64_t n)
{
	uint64_t line = addr & ~((uint64_t)s->plat.line - 1);
	uint32_t off = (uint32_t)(addr - line);
	struct cache_line *l = find_line(s, cpu, line);
	int err;

	if (!l && (err = coh_cache_fill(s, cpu, line, false, &l)) < 0)
		return err;
	l->lru = ++s->cache[cpu].clock;
	l->spec = 0;
	if (!write) {
		const uint32_t *vers = l->uniform ? NULL :
			s->cache[cpu].vers + (size_t)(l - s->cache[cpu].lines) * s->plat.line;

		return !(pg && stale(l, vers, off, pg, addr & (PG_SIZE - 1), n));
	}
	if (!l->uniform || l->uver != s->ver)
		coh_line_set(s, cpu, l, off, (uint32_t)n, s->ver);
	coh_line_dirty(s, cpu, l);
	return 1;
}

/* Over a working set larger than the processor's caches an access waits on
 * the versions it checks or sets (the newest writes of its bytes) and, on a
 * miss, the line's versions it loads from memory's: asked for at its start,
 * their fetches overlap (a working set 32 times the cache: 15 % more events
 * a second).  Asking for all four of the host's lines in memory's block
 * gained nothing more (the adjacent lines come with it); for the dirty
 * victim's block too lost 12 % (finding the victim costs more than its
 * fetch saves).  Always inlined: a static function whose only effects are
 * prefetches counts as one without effects, and its calls are dropped. */
static inline __attribute__((always_inline)) void
fetch_versions(const struct page *pg, uint64_t po)
{
	uint64_t b = po >> VB_SHIFT;
	const struct varr *cw, *mem;

	if (!pg)
		return;
	cw = &pg->f[F_CW];
	mem = &pg->f[F_MEM];
	if (cw->d && cw->d[b])
		__builtin_prefetch(cw->d[b] + (po & VB_MASK), 1);
	if (mem->d && mem->d[b])
		__builtin_prefetch(mem->d[b] + (po & VB_MASK), 0);
}

/* 1: done; 0: take the full path; < 0: error. */
int coh_fast_access(struct coh_sim *s, const struct coh_event *ev)
{
	uint64_t addr = ev->addr, n = ev->len, first;
	uint64_t po = addr & (PG_SIZE - 1);
	bool write = ev->kind == COH_EV_CPU_WRITE;
	const struct page *pg;
	int err;

	/* at most 8 bytes, within one page (so at most two lines) */
	if (n - 1 >= 8 || po + n > PG_SIZE || ev->cpu >= s->plat.ncpus || ev->flags ||
	    ev->data || s->plat.ncpus > 1 || s->nskip)
		return 0;
	pg = page_ro(s, addr >> PG_SHIFT);
	if (!quiet(s, pg, addr, n))
		return 0;
	fetch_versions(pg, po);
	first = MIN(n, s->plat.line - (addr & (s->plat.line - 1)));
	if ((err = chunk(s, pg, ev->cpu, write, addr, first)) <= 0)
		return err;
	if (first < n && (err = chunk(s, pg, ev->cpu, write, addr + first, n - first)) <= 0)
		return err;
	if (write) {
		struct page *w = page_rw(s, addr >> PG_SHIFT);

		if (!w)
			return -COH_E_NOMEM;
		if ((err = field_set(s, &w->f[F_CW], po, n, s->ver)) < 0)
			return err;
	}
	s->nacc++;
	return 1;
}
