/* SPDX-License-Identifier: MIT */
/*
 * cache.c - per-CPU data caches: write-back, write-allocate, LRU.
 *
 * A line holds versions only (values follow from versions).  A line is
 * "uniform" while every byte has the same version, so filling a line from a
 * uniform memory block costs no copying.  The caches of different CPUs are
 * coherent with each other (write-invalidate); only devices may see stale
 * memory.  Cache maintenance (clean, invalidate) acts on every CPU.
 */
#include <string.h>

#include "cache.h"
#include "mem.h"
#include "sim-local.h"
#include "varr.h"

static size_t nlines(const struct coh_sim *s)
{
	return (size_t)s->plat.sets * s->plat.ways;
}

int coh_cache_init(struct coh_sim *s, unsigned cpu)
{
	struct cache *c = &s->cache[cpu];

	c->lines = coh_heap_zalloc(s->heap, nlines(s) * sizeof(*c->lines));
	c->vers = coh_heap_zalloc(s->heap, nlines(s) * s->plat.line * sizeof(uint32_t));
	c->occ = coh_heap_zalloc(s->heap, 2 * OCC_SLOTS * sizeof(uint32_t));
	c->clock = 0;
	if (!c->lines || !c->vers || !c->occ)
		return -COH_E_NOMEM;
	/* an invalid line's tag matches no line address (those are aligned) */
	for (size_t i = 0; i < nlines(s); i++)
		c->lines[i].tag = COH_ADDR_NONE;
	return 0;
}

void coh_cache_fini(struct coh_sim *s, unsigned cpu)
{
	struct cache *c = &s->cache[cpu];

	coh_heap_free(s->heap, c->lines, nlines(s) * sizeof(*c->lines));
	coh_heap_free(s->heap, c->vers, nlines(s) * s->plat.line * sizeof(uint32_t));
	coh_heap_free(s->heap, c->occ, 2 * OCC_SLOTS * sizeof(uint32_t));
	c->lines = NULL;
	c->vers = NULL;
	c->occ = NULL;
}

int coh_cache_copy(struct coh_sim *dst, const struct coh_sim *src, unsigned cpu)
{
	const struct cache *c = &src->cache[cpu];
	int err = coh_cache_init(dst, cpu);

	if (err < 0)
		return err;
	memcpy(dst->cache[cpu].lines, c->lines, nlines(src) * sizeof(*c->lines));
	memcpy(dst->cache[cpu].vers, c->vers, nlines(src) * src->plat.line * sizeof(uint32_t));
	memcpy(dst->cache[cpu].occ, c->occ, 2 * OCC_SLOTS * sizeof(uint32_t));
	dst->cache[cpu].clock = c->clock;
	return 0;
}

static uint32_t *line_vers(const struct coh_sim *s, unsigned cpu, const struct cache_line *l)
{
	const struct cache *c = &s->cache[cpu];

	return c->vers + (size_t)(l - c->lines) * s->plat.line;
}

/* The counter of the stretch @line (a line's address) falls in. */
static uint32_t *occ_of(const struct cache *c, const struct coh_sim *s, uint64_t line)
{
	return &c->occ[(line >> (s->lshift + OCC_SHIFT)) & (OCC_SLOTS - 1)];
}

/* Its dirty lines' counter, in the second half of occ[]. */
static uint32_t *dirt_of(const struct cache *c, const struct coh_sim *s, uint64_t line)
{
	return occ_of(c, s, line) + OCC_SLOTS;
}

/* @l, held in @cpu's cache, is written: it is dirty (and counted so). */
void coh_line_dirty(struct coh_sim *s, unsigned cpu, struct cache_line *l)
{
	if (l->state == COH_LINE_DIRTY)
		return;
	l->state = COH_LINE_DIRTY;
	(*dirt_of(&s->cache[cpu], s, l->tag))++;
}

/* The counters of @cpu's cache, valid and dirty lines, from its lines (a
 * restore). */
void coh_cache_count(struct coh_sim *s, unsigned cpu)
{
	struct cache *c = &s->cache[cpu];

	memset(c->occ, 0, 2 * OCC_SLOTS * sizeof(*c->occ));
	for (size_t i = 0; i < nlines(s); i++) {
		if (c->lines[i].tag != COH_ADDR_NONE)
			(*occ_of(c, s, c->lines[i].tag))++;
		if (c->lines[i].state == COH_LINE_DIRTY)
			(*dirt_of(c, s, c->lines[i].tag))++;
	}
}

struct cache_line *coh_cache_find(const struct coh_sim *s, unsigned cpu, uint64_t line)
{
	const struct cache *c = &s->cache[cpu];
	uint32_t set = (uint32_t)(line >> s->lshift) & (s->plat.sets - 1);
	struct cache_line *l = c->lines + (size_t)set * s->plat.ways;

	if (!*occ_of(c, s, line))
		return NULL;
	return coh_set_find(l, s->plat.ways, line);
}

uint32_t coh_line_get(const struct coh_sim *s, unsigned cpu, const struct cache_line *l, uint32_t off)
{
	return l->uniform ? l->uver : line_vers(s, cpu, l)[off];
}

uint32_t coh_line_run(const struct coh_sim *s, unsigned cpu, const struct cache_line *l, uint32_t off,
		  uint32_t max, uint32_t *len)
{
	uint32_t room = MIN(max, s->plat.line - off), k;
	const uint32_t *v;

	if (l->uniform) {
		*len = room;
		return l->uver;
	}
	v = line_vers(s, cpu, l) + off;
	for (k = 1; k < room && v[k] == v[0]; k++)
		;
	*len = k;
	return v[0];
}

void coh_line_set(struct coh_sim *s, unsigned cpu, struct cache_line *l, uint32_t off, uint32_t n,
	      uint32_t v)
{
	uint32_t *vers;

	if (n == s->plat.line) {
		l->uniform = 1;
		l->uver = v;
		return;
	}
	if (l->uniform && l->uver == v)
		return;
	vers = line_vers(s, cpu, l);
	if (l->uniform) {
		for (uint32_t i = 0; i < s->plat.line; i++)
			vers[i] = l->uver;
		l->uniform = 0;
	}
	for (uint32_t i = 0; i < n; i++)
		vers[off + i] = v;
}

int coh_cache_writeback(struct coh_sim *s, unsigned cpu, struct cache_line *l)
{
	uint64_t po = l->tag & (PG_SIZE - 1);
	struct page *pg;
	int err = 0;

	if (l->state != COH_LINE_DIRTY)
		return 0;
	if (l->uniform && s->plat.line == VB) {
		err = coh_mem_set_block(s, F_MEM, l->tag, l->uver);
	} else if (l->uniform) {
		err = coh_mem_set(s, F_MEM, l->tag, s->plat.line, l->uver);
	} else if (s->plat.line <= VB) {
		/* one block: copy the line in */
		uint32_t *d;
		struct varr *a;

		if (!(pg = page_rw(s, l->tag >> PG_SHIFT)))
			return -COH_E_NOMEM;
		a = &pg->f[F_MEM];
		if (!(a->d && (d = a->d[po >> VB_SHIFT])) &&
		    !(d = coh_varr_detail(s->heap, a, po >> VB_SHIFT)))
			return -COH_E_NOMEM;
		memcpy(d + (po & VB_MASK), line_vers(s, cpu, l), s->plat.line * sizeof(*d));
	} else {
		err = coh_mem_store(s, F_MEM, l->tag, s->plat.line, line_vers(s, cpu, l));
	}
	if (err < 0)
		return err;
	l->state = COH_LINE_CLEAN;
	(*dirt_of(&s->cache[cpu], s, l->tag))--;
	return 0;
}

int coh_cache_drop(struct coh_sim *s, unsigned cpu, struct cache_line *l, bool writeback)
{
	int err = writeback ? coh_cache_writeback(s, cpu, l) : 0;

	if (l->state == COH_LINE_DIRTY)     /* its write-back failed */
		(*dirt_of(&s->cache[cpu], s, l->tag))--;
	if (l->tag != COH_ADDR_NONE)
		(*occ_of(&s->cache[cpu], s, l->tag))--;
	l->state = COH_LINE_INVALID;
	l->lru = 0;                          /* valid lines have 1 and up */
	l->tag = COH_ADDR_NONE;
	l->spec = 0;
	return err;
}

/* Load a line's versions from memory. */
static void load_line(struct coh_sim *s, unsigned cpu, struct cache_line *l, uint64_t line)
{
	uint64_t len, po = line & (PG_SIZE - 1);
	const struct page *pg;
	uint32_t v;

	l->tag = line;
	(*occ_of(&s->cache[cpu], s, line))++;
	if (s->plat.line <= VB) {
		const struct varr *a;
		uint64_t b = po >> VB_SHIFT;

		pg = page_ro(s, line >> PG_SHIFT);
		a = pg ? &pg->f[F_MEM] : NULL;
		if (a && a->d && a->d[b]) {
			l->uniform = 0;
			memcpy(line_vers(s, cpu, l), a->d[b] + (po & VB_MASK),
			       s->plat.line * sizeof(uint32_t));
		} else {
			l->uniform = 1;
			l->uver = a ? a->u[b] : 0;
		}
		return;
	}
	v = coh_mem_run(s, F_MEM, line, s->plat.line, &len);
	if (len >= s->plat.line) {
		l->uniform = 1;
		l->uver = v;
		return;
	}
	l->uniform = 0;
	coh_mem_load(s, F_MEM, line, s->plat.line, line_vers(s, cpu, l));
}

/* The way of @set a fill takes: the first invalid one (lru 0), else the
 * least recently used: the first of least stamp.  The selects are data
 * (which way is oldest), so they are written for conditional moves. */
static inline __attribute__((always_inline)) uint32_t oldest_way(const struct cache_line *l,
								    uint32_t ways)
{
	uint64_t oldest = l[0].lru;
	uint32_t pick = 0;

#pragma GCC unroll 8
	for (uint32_t w = 1; w < ways; w++) {
		uint64_t v = l[w].lru;
		bool older = v < oldest;

		pick = older ? w : pick;
		oldest = older ? v : oldest;
	}
	return pick;
}

/* Every preset has 8 ways: that count, known here, unrolls the scan. */
static inline __attribute__((always_inline)) struct cache_line *victim_of(const struct coh_sim *s, struct cache_line *l)
{
	return l + (s->plat.ways == 8 ? oldest_way(l, 8) : oldest_way(l, s->plat.ways));
}

/* One pass over @line's set in @cpu's cache: the line when it is held, else
 * NULL with *victim the way coh_cache_fill() would take (until that cache
 * changes). */
struct cache_line *coh_cache_lookup(const struct coh_sim *s, unsigned cpu, uint64_t line,
				    struct cache_line **victim)
{
	const struct cache *c = &s->cache[cpu];
	uint32_t set = (uint32_t)(line >> s->lshift) & (s->plat.sets - 1);
	struct cache_line *l = c->lines + (size_t)set * s->plat.ways;
	uint64_t oldest = UINT64_MAX;
	uint32_t pick = 0;

	if (!*occ_of(c, s, line)) {
		*victim = victim_of(s, l);
		return NULL;
	}
	if (s->plat.ways == 8) {             /* two passes, neither with a branch */
		struct cache_line *hit = coh_set_find(l, 8, line);

		*victim = hit ? NULL : victim_of(s, l);
		return hit;
	}
	for (uint32_t w = 0; w < s->plat.ways; w++) {
		if (l[w].tag == line)
			return l + w;
		if (l[w].lru < oldest) {          /* the first of least stamp */
			oldest = l[w].lru;
			pick = w;
		}
	}
	*victim = l + pick;
	return NULL;
}

/* The way coh_cache_fill() would take for @line in @cpu's cache, for a
 * caller that knows the line is not there (coh_cache_cold()). */
struct cache_line *coh_cache_victim(const struct coh_sim *s, unsigned cpu, uint64_t line)
{
	const struct cache *c = &s->cache[cpu];
	uint32_t set = (uint32_t)(line >> s->lshift) & (s->plat.sets - 1);

	return victim_of(s, c->lines + (size_t)set * s->plat.ways);
}

/* Does @cpu's cache hold no line of [addr, addr + n), by the counters of
 * the stretches the range meets (true: none; false: perhaps one)?  An
 * access that walks the range once, filling only lines it has passed,
 * then misses on every line it comes to. */
bool coh_cache_cold(const struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n)
{
	const struct cache *c = &s->cache[cpu];
	uint32_t shift = s->lshift + OCC_SHIFT;
	uint64_t first = addr >> shift, last = (addr + n - 1) >> shift;

	if (!n)
		return true;
	if (last - first >= OCC_SLOTS)
		return false;
	for (uint64_t k = first;; k++) {
		if (c->occ[k & (OCC_SLOTS - 1)])
			return false;
		if (k == last)
			return true;
	}
}

/* Bring @line into @cpu's cache at @victim (coh_cache_lookup()'s); @blank:
 * the caller writes the whole line at once, its versions are not loaded. */
int coh_cache_fill_at(struct coh_sim *s, unsigned cpu, uint64_t line, bool spec,
		      struct cache_line *victim, bool blank)
{
	int err = coh_cache_drop(s, cpu, victim, true);

	if (err < 0)
		return err;
	if (blank) {
		victim->tag = line;
		(*occ_of(&s->cache[cpu], s, line))++;
		victim->uniform = 1;
		victim->uver = 0;
	} else {
		load_line(s, cpu, victim, line);
	}
	victim->state = COH_LINE_CLEAN;
	victim->spec = spec;
	victim->lru = ++s->cache[cpu].clock;
	return 0;
}

/**
 * coh_cache_fill_cold - @n lines from @line on, none of which any CPU's
 * cache holds, brought into @cpu's as an access to each in turn does
 * (access.c: each takes its set's least recently used way and is touched
 * twice): loaded from memory for a read; for a write of whole lines
 * (@write), left unloaded and set to version @v, dirty.
 */
int coh_cache_fill_cold(struct coh_sim *s, unsigned cpu, uint64_t line, uint64_t n, bool write,
			uint32_t v)
{
	for (uint64_t i = 0; i < n; i++, line += s->plat.line) {
		struct cache_line *l = coh_cache_victim(s, cpu, line);
		int err = coh_cache_fill_at(s, cpu, line, false, l, write);

		if (err < 0)
			return err;
		l->lru = ++s->cache[cpu].clock;
		if (write) {
			l->uver = v;
			coh_line_dirty(s, cpu, l);
		}
	}
	return 0;
}

/* Bring @line into @cpu's cache, evicting the least recently used way. */
int coh_cache_fill(struct coh_sim *s, unsigned cpu, uint64_t line, bool spec, struct cache_line **out)
{
	struct cache *c = &s->cache[cpu];
	uint32_t set = (uint32_t)(line >> s->lshift) & (s->plat.sets - 1);

	*out = victim_of(s, c->lines + (size_t)set * s->plat.ways);
	return coh_cache_fill_at(s, cpu, line, spec, *out, false);
}

/* ---- maintenance over ranges, on every CPU -------------------------------- */

enum rop { R_CLEAN, R_INVAL, R_SNOOP, R_EVICT };

static int line_op(struct coh_sim *s, unsigned cpu, struct cache_line *l, enum rop op, bool partial)
{
	switch (op) {
	case R_CLEAN:
		return coh_cache_writeback(s, cpu, l);
	case R_INVAL:
		/* a line only partly inside the range is cleaned first */
		return coh_cache_drop(s, cpu, l, partial);
	default:
		return coh_cache_drop(s, cpu, l, true);
	}
}

/* A range larger than the cache: visit the cache's lines instead of the range's. */
static int scan_op(struct coh_sim *s, unsigned only_cpu, uint64_t addr, uint64_t end,
		   enum rop op)
{
	uint64_t first = line_of(s, addr), last = line_of(s, end);

	for (unsigned cpu = 0; cpu < s->plat.ncpus; cpu++) {
		struct cache_line *l = s->cache[cpu].lines;

		if (op == R_EVICT && cpu != only_cpu)
			continue;
		for (size_t i = 0; i < nlines(s); i++, l++) {
			bool partial;
			int err;

			if (l->state == COH_LINE_INVALID || l->tag < first || l->tag > last)
				continue;
			partial = l->tag < addr || l->tag + s->plat.line - 1 > end;
			if ((err = line_op(s, cpu, l, op, partial)) < 0)
				return err;
		}
	}
	return 0;
}

/* May @cpu hold @line (@dirty: dirty)?  false: it does not. */
static bool may_hold(const struct coh_sim *s, unsigned cpu, uint64_t line, bool dirty)
{
	const struct cache *c = &s->cache[cpu];

	return *(dirty ? dirt_of(c, s, line) : occ_of(c, s, line)) != 0;
}

/* The last line of @line's stretch when no CPU holds a line of it (@dirty:
 * a dirty line; a walk over lines may go on from there), else @line. */
static uint64_t skip_empty(const struct coh_sim *s, uint64_t line, bool dirty)
{
	for (unsigned cpu = 0; cpu < s->plat.ncpus; cpu++)
		if (may_hold(s, cpu, line, dirty))
			return line;
	return line | ((((uint64_t)s->plat.line) << OCC_SHIFT) - s->plat.line);
}

static int range_op(struct coh_sim *s, unsigned only_cpu, uint64_t addr, uint64_t n,
		    enum rop op)
{
	uint64_t end = addr + n - 1, line;

	if (!n)
		return 0;
	if ((n >> s->lshift) > nlines(s))
		return scan_op(s, only_cpu, addr, end, op);
	for (line = line_of(s, addr);; line += s->plat.line) {
		bool partial = line < addr || line + s->plat.line - 1 > end;
		uint64_t last = skip_empty(s, line, op == R_CLEAN);

		for (unsigned cpu = 0; last == line && cpu < s->plat.ncpus; cpu++) {
			struct cache_line *l;
			int err;

			/* a clean writes back dirty lines only */
			if ((op == R_EVICT && cpu != only_cpu) ||
			    (op == R_CLEAN && !may_hold(s, cpu, line, true)))
				continue;
			l = coh_cache_find(s, cpu, line);
			if (l && (err = line_op(s, cpu, l, op, partial)) < 0)
				return err;
		}
		line = last;
		if (line + s->plat.line - 1 >= end)
			break;
	}
	return 0;
}

int coh_cache_clean_range(struct coh_sim *s, uint64_t addr, uint64_t n)
{
	return range_op(s, 0, addr, n, R_CLEAN);
}

int coh_cache_inval_range(struct coh_sim *s, uint64_t addr, uint64_t n)
{
	return range_op(s, 0, addr, n, R_INVAL);
}

/* A coherent device write: dirty copies are written back, then all copies go. */
int coh_cache_snoop_range(struct coh_sim *s, uint64_t addr, uint64_t n)
{
	return range_op(s, 0, addr, n, R_SNOOP);
}

int coh_cache_evict_range(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n)
{
	return range_op(s, cpu, addr, n, R_EVICT);
}

static bool held_anywhere(const struct coh_sim *s, uint64_t line)
{
	for (unsigned cpu = 0; cpu < s->plat.ncpus; cpu++)
		if (coh_cache_find(s, cpu, line))
			return true;
	return false;
}

/* Speculation (docs/model.md section 1): before a device write, each line of
 * the range no cache holds is filled clean into the cache of the CPU that
 * last touched it (else CPU 0). */
int coh_cache_spec_range(struct coh_sim *s, uint64_t addr, uint64_t n)
{
	uint64_t end = addr + n - 1, line;

	if (!n || !s->plat.speculative)
		return 0;
	for (line = line_of(s, addr);; line += s->plat.line) {
		if (!held_anywhere(s, line)) {
			struct cache_line *l;
			int err = coh_cache_fill(s, coh_mem_last_cpu(s, line), line, true, &l);

			if (err < 0)
				return err;
		}
		if (line + s->plat.line - 1 >= end)
			break;
	}
	return 0;
}

/* An explicit spec_fill event: @cpu fills the lines it does not hold. */
int coh_cache_spec_fill(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n)
{
	uint64_t end = addr + n - 1, line;

	for (line = line_of(s, addr);; line += s->plat.line) {
		if (!coh_cache_find(s, cpu, line)) {
			struct cache_line *l;
			int err = coh_cache_fill(s, cpu, line, true, &l);

			if (err < 0)
				return err;
		}
		if (line + s->plat.line - 1 >= end)
			break;
	}
	return 0;
}

/* Is any byte of the range under a dirty line?  *first: first such byte. */
bool coh_cache_any_dirty(const struct coh_sim *s, uint64_t addr, uint64_t n, uint64_t *first,
		     unsigned *cpu_out)
{
	uint64_t end = addr + n - 1, line;

	if ((n >> s->lshift) > nlines(s)) {
		bool found = false;

		for (unsigned cpu = 0; cpu < s->plat.ncpus; cpu++) {
			const struct cache_line *l = s->cache[cpu].lines;

			for (size_t i = 0; i < nlines(s); i++, l++) {
				if (l->state != COH_LINE_DIRTY || l->tag + s->plat.line - 1 < addr ||
				    l->tag > end || (found && MAX(l->tag, addr) >= *first))
					continue;
				*first = MAX(l->tag, addr);
				*cpu_out = cpu;
				found = true;
			}
		}
		return found;
	}

	for (line = line_of(s, addr);; line += s->plat.line) {
		uint64_t last = skip_empty(s, line, true);

		for (unsigned cpu = 0; last == line && cpu < s->plat.ncpus; cpu++) {
			const struct cache_line *l = may_hold(s, cpu, line, true) ?
						     coh_cache_find(s, cpu, line) : NULL;

			if (l && l->state == COH_LINE_DIRTY) {
				*first = MAX(line, addr);
				*cpu_out = cpu;
				return true;
			}
		}
		line = last;
		if (line + s->plat.line - 1 >= end)
			break;
	}
	return false;
}

/* ---- the CPU's view ------------------------------------------------------ */

/* The version a read by @cpu would see at @addr: its own line, another CPU's
 * dirty line, or memory; runs end at the line's end, or at the end of a
 * stretch no CPU holds a line of. */
uint32_t coh_view_run(const struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t max,
		  uint64_t *len)
{
	uint64_t line = line_of(s, addr), last = skip_empty(s, line, false);
	uint32_t off = (uint32_t)(addr - line), k;
	const struct cache_line *l;
	uint32_t v;

	if (last != line)                    /* memory's, to the stretch's end */
		return coh_mem_run(s, F_MEM, addr, MIN(max, last + s->plat.line - addr), len);
	l = coh_cache_find(s, cpu, line);
	max = MIN(max, (uint64_t)s->plat.line - off);
	for (unsigned c = 0; !l && c < s->plat.ncpus; c++) {
		const struct cache_line *o = c == cpu ? NULL : coh_cache_find(s, c, line);

		if (o && o->state == COH_LINE_DIRTY) {
			l = o;
			cpu = c;
		}
	}
	if (!l)
		return coh_mem_run(s, F_MEM, addr, max, len);
	v = coh_line_run(s, cpu, l, off, (uint32_t)max, &k);
	*len = k;
	return v;
}

/* A copy made by the kernel (bounce buffers): it goes through @cpu's view,
 * updating a cached line (now dirty) or else memory; other CPUs' copies go. */
int coh_kernel_write(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n,
		 const struct varr *src, uint64_t srcoff)
{
	while (n) {
		uint64_t line = line_of(s, addr), len;
		uint32_t off = (uint32_t)(addr - line);
		uint64_t k = MIN(n, (uint64_t)s->plat.line - off);
		struct cache_line *own = coh_cache_find(s, cpu, line);
		int err;

		for (unsigned c = 0; c < s->plat.ncpus; c++) {
			struct cache_line *o = c == cpu ? NULL : coh_cache_find(s, c, line);

			if (o && (err = coh_cache_drop(s, c, o, true)) < 0)
				return err;
		}
		for (uint64_t i = 0; i < k; i += len) {
			uint32_t v = coh_varr_run(src, srcoff + i, k - i, &len);

			if (own)
				coh_line_set(s, cpu, own, off + (uint32_t)i, (uint32_t)len, v);
			else if ((err = coh_mem_set(s, F_MEM, addr + i, len, v)) < 0)
				return err;
		}
		if (own)
			coh_line_dirty(s, cpu, own);
		addr += k;
		srcoff += k;
		n -= k;
	}
	return 0;
}

/* ---- hashing and accounting ---------------------------------------------- */

static uint64_t line_hash(const struct coh_sim *s, unsigned cpu, const struct cache_line *l,
			  uint64_t h)
{
	uint32_t off = 0, run = 0, cur = 0;

	h = mix(mix(mix(mix(h, l->tag), l->state), l->lru), l->spec);
	while (off < s->plat.line) {
		uint32_t len, v = coh_line_run(s, cpu, l, off, s->plat.line - off, &len);

		if (run && v != cur) {
			h = mix(mix(h, cur), run);
			run = 0;
		}
		cur = v;
		run += len;
		off += len;
	}
	return mix(mix(h, cur), run);
}

uint64_t coh_cache_hash(const struct coh_sim *s, uint64_t h)
{
	for (unsigned cpu = 0; cpu < s->plat.ncpus; cpu++) {
		const struct cache *c = &s->cache[cpu];

		h = mix(h, c->clock);
		for (size_t i = 0; i < nlines(s); i++)
			if (c->lines[i].state != COH_LINE_INVALID)
				h = line_hash(s, cpu, &c->lines[i], mix(h, i));
	}
	return h;
}

size_t coh_cache_bytes(const struct coh_sim *s)
{
	return s->plat.ncpus * (nlines(s) * (sizeof(struct cache_line) + s->plat.line * sizeof(uint32_t)) +
				OCC_SLOTS * sizeof(uint32_t));
}
