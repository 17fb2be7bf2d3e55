/* SPDX-License-Identifier: MIT */
/*
 * access.c - CPU and device reads and writes, and staleness (DC001, DC002,
 * DC003).
 *
 * A CPU read is stale when a byte it returns is older than the version a
 * CPU read should return (the newer of memory fields F_CW, the newest CPU
 * write, and F_HO, the newest device write handed to the CPU), or older than a device write the
 * device has not handed over yet while it owns the byte (that is the data
 * effect of reading too early, DC006).  A device read is stale when a byte
 * is older than the newest CPU write (F_CW).
 *
 * Device accesses to Windows transfers, and the residual check before a CPU
 * read, go through the sim's table of transfer operations (s->xfer,
 * xfer.h): this file knows no Windows call.
 */
#include <string.h>

#include "access.h"
#include "adapter.h"
#include "cache.h"
#include "finding-local.h"
#include "map.h"
#include "mem.h"
#include "own.h"
#include "sim-local.h"
#include "skip.h"
#include "varr.h"
#include "write_log.h"
#include "xfer.h"

#define MAX_OVL 64

/* ---- run sources: where versions are read from --------------------------- */

enum src_kind { SRC_MEM, SRC_LINE, SRC_VARR, SRC_ARR, SRC_VIEW, SRC_EXP };

struct src {
	enum src_kind kind;
	int field;                   /* SRC_MEM */
	unsigned cpu;                /* SRC_LINE, SRC_VIEW */
	const struct cache_line *line; /* SRC_LINE: the line */
	uint64_t base;               /* SRC_LINE: its address; SRC_VARR: offset of addr0 */
	uint64_t addr0;              /* address the source's position 0 stands for */
	const struct varr *va;       /* SRC_VARR */
	const uint32_t *arr;         /* SRC_ARR */
	/* SRC_EXP: the run found last, [lo, hi) of value v, asked as far as end
	 * (the read's end: F_CW and F_HO do not change while a read walks its
	 * lines, so one run serves every line it spans) */
	uint64_t lo, hi, end;
	uint32_t v;
};

/* What a CPU read should return at @a: the newer of F_CW and F_HO. */
static uint32_t exp_run(const struct coh_sim *s, struct src *x, uint64_t a, uint64_t max,
			uint64_t *len)
{
	uint64_t l1, l2;

	if (a < x->lo || a >= x->hi) {
		uint32_t cw = coh_mem_run(s, F_CW, a, x->end > a ? x->end - a : max, &l1);
		uint32_t ho = coh_mem_run(s, F_HO, a, l1, &l2);

		x->lo = a;
		x->hi = a + l2;
		x->v = MAX(cw, ho);
	}
	*len = MIN(x->hi - a, max);
	return x->v;
}

static uint32_t src_run(const struct coh_sim *s, struct src *x, uint64_t a, uint64_t max,
			uint64_t *len)
{
	uint32_t k, v;

	switch (x->kind) {
	case SRC_MEM:
		return coh_mem_run(s, x->field, a, max, len);
	case SRC_LINE:
		v = coh_line_run(s, x->cpu, x->line, (uint32_t)(a - x->base), (uint32_t)max, &k);
		*len = k;
		return v;
	case SRC_VARR:
		return coh_varr_run(x->va, x->base + (a - x->addr0), max, len);
	case SRC_VIEW:
		return coh_view_run(s, x->cpu, a, max, len);
	case SRC_EXP:
		return exp_run(s, x, a, max, len);
	default: {                               /* SRC_ARR: its run of equal values */
		const uint32_t *p = x->arr + (a - x->addr0);

		for (k = 1; k < max && p[k] == p[0]; k++)
			;
		*len = k;
		return p[0];
	}
	}
}

struct stale {
	bool found;
	uint64_t first, last;        /* stale bytes */
	uint64_t ev_addr;            /* evidence window */
	uint32_t nev;
	uint32_t seen[COH_EVIDENCE], exp[COH_EVIDENCE];
	uint32_t v_old;              /* version returned at the first stale byte */
	bool spec;                   /* it came from a line filled speculatively */
};

static void stale_note(struct stale *st, uint64_t a, uint64_t len, uint32_t got, uint32_t exp)
{
	if (!st->found) {
		st->found = true;
		st->first = a;
		st->ev_addr = a;
		st->v_old = got;
	}
	st->last = a + len - 1;
	/* extend the evidence window while contiguous */
	while (st->nev < COH_EVIDENCE && len && st->ev_addr + st->nev == a) {
		st->seen[st->nev] = got;
		st->exp[st->nev] = exp;
		st->nev++;
		a++;
		len--;
	}
}

/* Compare [a, a + n): bytes where got < expected are stale. */
static void compare(const struct coh_sim *s, struct src *got, struct src *exp,
		    uint64_t a, uint64_t n, struct stale *st)
{
	/* a uniform line (inside which @got's reads always stay) is one run */
	bool one = got->kind == SRC_LINE && got->line->uniform;
	uint64_t i = 0;

	while (i < n) {
		uint64_t lg = n - i, le;
		uint32_t g = one ? got->line->uver : src_run(s, got, a + i, n - i, &lg);
		/* no further than got's run: a run asked longer only costs more */
		uint32_t e = src_run(s, exp, a + i, lg, &le);
		uint64_t k = MIN(lg, le);

		if (g < e)
			stale_note(st, a + i, k, g, e);
		else if (st->found && st->nev < COH_EVIDENCE && st->ev_addr + st->nev == a + i) {
			/* keep the window contiguous: fresh bytes next to stale ones */
			for (uint64_t j = 0; j < k && st->nev < COH_EVIDENCE; j++, st->nev++) {
				st->seen[st->nev] = g;
				st->exp[st->nev] = e;
			}
		}
		i += k;
	}
}

/* @c: the rule and parent decided for a Windows transfer, or NULL; @idx gets
 * the finding's index (may be NULL). */
static int stale_report(struct coh_sim *s, const struct stale *st, uint16_t id, int dev,
			int cpu, uint16_t omitted, const struct xfer_cause *c, int64_t *idx)
{
	struct new_finding f = {
		.id = id, .rule = id == COH_DC001 ? COH_R_STALE_CPU : COH_R_STALE_DEV,
		.dev = dev, .cpu = cpu, .addr = st->first, .len = st->last - st->first + 1,
		.bus = COH_ADDR_NONE, .other_seq = COH_SEQ_NONE, .omitted = omitted,
		.v_old = st->v_old, .consequence_ok = true,
	};
	if (!st->found)
		return 0;
	if (s->stale_acc != s->nacc) {          /* one stale read per read access */
		s->stale_reads++;
		s->stale_acc = s->nacc;
	}
	f.ev_addr = st->ev_addr;
	f.nev = st->nev;
	f.seen = st->seen;
	f.exp = st->exp;
	if (c) {
		f.rule = c->rule;
		f.set_parent = c->set_parent;
		f.parent = c->parent;
	}
	return coh_finding_add(s, &f, idx);
}

/* ---- CPU side ------------------------------------------------------------ */

/* May any byte of [addr, addr + n) be uncached? A range past 1 MiB is not
 * counted (its pages would be walked twice): the answer is then yes. */
static bool any_uncached(const struct coh_sim *s, uint64_t addr, uint64_t n)
{
	return n > (1u << 20) || coh_mem_nunc(s, addr, n);
}

/* Is the line at @a in uncached memory (an uncached allocation covers it)? */
static bool uncached(const struct coh_sim *s, uint64_t a)
{
	struct map_entry ov[MAX_OVL];
	size_t k;

	if (!coh_mem_nunc(s, a, 1))
		return false;
	k = coh_map_overlaps(s, a, a + 1, ov, MAX_OVL);
	for (size_t i = 0; i < k; i++)
		if (!(ov[i].m->flags & MF_CACHED))
			return true;
	return false;
}

/* What a CPU access knows before it walks its lines once: no line of its
 * range is in its own CPU's cache (self), in any other CPU's (others), so
 * each line it comes to misses there (coh_cache_cold()): it fills only
 * lines it has passed, in its own cache. */
struct cold {
	bool self, others;
};

static void cold_init(const struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n,
		      struct cold *c)
{
	c->self = coh_cache_cold(s, cpu, addr, n);
	c->others = true;
	for (unsigned k = 0; c->others && k < s->plat.ncpus; k++)
		c->others = k == cpu || coh_cache_cold(s, k, addr, n);
}

/* @line in @cpu's cache and the way a fill would take (no look-up when
 * the access knows it is not there). */
static struct cache_line *lookup(const struct coh_sim *s, unsigned cpu, uint64_t line,
				 const struct cold *cold, struct cache_line **victim)
{
	if (!cold->self)
		return coh_cache_lookup(s, cpu, line, victim);
	*victim = coh_cache_victim(s, cpu, line);
	return NULL;
}

/* The line holding @line in @cpu's cache, filling it; other CPUs' copies are
 * written back (read) or invalidated (write). @l, @victim: lookup() of it.
 * @whole: a write of the whole line (a fill need not load it). */
static int access_found(struct coh_sim *s, unsigned cpu, uint64_t line, bool write, bool whole,
			const struct cold *cold, struct cache_line *l, struct cache_line *victim,
			struct cache_line **out)
{
	int err;

	for (unsigned c = 0; !cold->others && c < s->plat.ncpus; c++) {
		struct cache_line *o = c == cpu ? NULL : coh_cache_find(s, c, line);

		if (!o)
			continue;
		err = write ? coh_cache_drop(s, c, o, true) : coh_cache_writeback(s, c, o);
		if (err < 0)
			return err;
	}
	if (!l && (err = coh_cache_fill_at(s, cpu, line, false, (l = victim), whole)) < 0)
		return err;
	l->lru = ++s->cache[cpu].clock;
	l->spec = 0;
	*out = l;
	return 0;
}

static int access_line(struct coh_sim *s, unsigned cpu, uint64_t line, bool write, bool whole,
		       const struct cold *cold, struct cache_line **out)
{
	struct cache_line *victim, *l = lookup(s, cpu, line, cold, &victim);

	return access_found(s, cpu, line, write, whole, cold, l, victim, out);
}

/* What a CPU read walking its lines needs to know of the mappings near it:
 * the segments meeting the whole read, asked once (all: none was left out
 * for want of room), else asked again line by line. */
struct read_near {
	bool near, all;
	size_t nov;
	struct map_entry ov[MAX_OVL];
};

/* After the ownership checks (which may copy a mapping on write). */
static void near_init(const struct coh_sim *s, uint64_t addr, uint64_t n, struct read_near *r)
{
	r->nov = 0;
	r->all = false;
	if (r->near && addr + n > addr) {
		r->nov = coh_map_overlaps(s, addr, addr + n, r->ov, MAX_OVL);
		r->all = r->nov < MAX_OVL;
	}
}

/* The segments meeting [a, a + k), in the order coh_map_overlaps() gives. */
static size_t near_line(const struct coh_sim *s, const struct read_near *r, uint64_t a,
			uint64_t k, struct map_entry *ov)
{
	size_t n = 0;

	if (!r->all)
		return coh_map_overlaps(s, a, a + k, ov, MAX_OVL);
	for (size_t i = 0; i < r->nov; i++)
		if (r->ov[i].end > a && r->ov[i].start < a + k)
			ov[n++] = r->ov[i];
	return n;
}

/* Expected versions of a CPU read of [a, a + k) (k <= 256): the newer of
 * F_CW and F_HO (@runs), raised to device writes not handed over yet in the
 * mappings @ov the device owns there. */
static void expected(const struct coh_sim *s, struct src *runs, uint64_t a, uint64_t k,
		     const struct map_entry *ov, size_t nov, uint32_t *e)
{
	for (uint64_t i = 0; i < k;) {
		uint64_t len;
		uint32_t v = src_run(s, runs, a + i, k - i, &len);

		for (uint64_t j = 0; j < len; j++)
			e[i + j] = v;
		i += len;
	}
	for (size_t x = 0; x < nov; x++) {
		const struct mapping *m = ov[x].m;
		const struct map_segment *g = &m->segs[ov[x].seg];
		uint64_t lo = MAX(a, g->phys), hi = MIN(a + k, g->phys + g->len);

		for (uint64_t p = lo; p < hi; p++) {
			uint32_t w = coh_varr_get(&m->devw, g->off + (p - g->phys));

			if (w > e[p - a] && (!(m->flags & MF_OWNED) ||
					     (coh_varr_get(&m->own, g->off + (p - g->phys)) & OWN_DEV)))
				e[p - a] = w;
		}
	}
}

/* The call a stale read at @a points to, and the device of the mapping there. */
static uint16_t omitted_kind(int kind, bool cpu_side)
{
	if (kind == COH_MAP_TRANSFER || kind == COH_MAP_WIN_SG || kind == COH_MAP_COMMON)
		return COH_EV_KE_FLUSH;
	return cpu_side ? COH_EV_DMA_SYNC_CPU : COH_EV_DMA_SYNC_DEV;
}

/* The call a stale read at @a points to, and the device of the mapping there
 * (a live one, else one that ended lately). */
static uint16_t omitted_for(const struct coh_sim *s, uint64_t a, bool cpu_side, int *dev)
{
	struct map_entry ov[4];
	size_t k = s->maps.nphys ? coh_map_overlaps(s, a, a + 1, ov, 4) : 0;

	if (k) {
		*dev = ov[0].m->dev;
		return omitted_kind(ov[0].m->kind, cpu_side);
	}
	for (unsigned j = 1; j <= ENDED_RING; j++) {
		const struct ended *e = &s->ended[(s->ended_next + ENDED_RING - j) % ENDED_RING];

		if (e->len && a >= e->phys && a - e->phys < e->len) {
			*dev = e->dev;
			return omitted_kind(e->kind, cpu_side);
		}
	}
	return COH_EV_NONE;
}

/* DC001 for a CPU read; on a Windows transfer's bytes the call to name and
 * the parent are the transfer's (xfer_cause.c). */
static int stale_cpu_report(struct coh_sim *s, const struct stale *st, int dev, int cpu,
			    uint16_t omitted)
{
	struct xfer_cause c;
	int64_t idx = -1;
	int err;

	if ((omitted != COH_EV_NONE && coh_kind_group(omitted) == COH_GROUP_LINUX) ||
	    !coh_xfer_stale_cause(s, st->first, st->v_old, st->spec, &c))
		return stale_report(s, st, COH_DC001, dev, cpu, omitted, NULL, NULL);
	if ((err = stale_report(s, st, COH_DC001, dev, cpu, c.omitted, &c, &idx)) < 0)
		return err;
	if (c.may_root && idx >= 0 && finding_at(s, (size_t)idx)->parent < 0)
		return coh_xfer_note_root(s, st->first, idx);
	return 0;
}

/* One chunk of a CPU read, inside one line. */
static int read_chunk(struct coh_sim *s, unsigned cpu, uint64_t a, uint64_t k,
		      const struct read_near *near, const struct cold *cold, bool unc,
		      struct src *runs, struct stale *st)
{
	/* set field by field: an initializer would clear all of both, a cost
	 * this path pays at every line */
	struct src got, arr, *exp = runs;
	struct map_entry ov[MAX_OVL];
	size_t nov;
	uint32_t e[COH_LINE_MAX];
	bool had = st->found, spec = false;
	int err;

	got.kind = SRC_MEM;
	got.field = F_MEM;
	if (!unc || !uncached(s, a)) {
		struct cache_line *victim, *l = lookup(s, cpu, line_of(s, a), cold, &victim);

		spec = l && l->spec;            /* before the access clears it */
		if ((err = access_found(s, cpu, line_of(s, a), false, false, cold, l, victim, &l)) < 0)
			return err;
		got.kind = SRC_LINE;
		got.cpu = cpu;
		got.line = l;
		got.base = l->tag;
	}
	if (near->near && (nov = near_line(s, near, a, k, ov))) {
		expected(s, runs, a, k, ov, nov, e);
		arr.kind = SRC_ARR;
		arr.arr = e;
		arr.addr0 = a;
		exp = &arr;
	}
	compare(s, &got, exp, a, k, st);
	if (!had && st->found)
		st->spec = spec;
	return 0;
}

/* How far from line-aligned @a, in whole lines of at most @n bytes, memory
 * holds nothing older than what a read should return (@exp): lines no
 * cache holds, filled from there, return no stale byte, so compare() would
 * find nothing in them. */
static uint64_t fresh_lines(const struct coh_sim *s, struct src *exp, uint64_t a, uint64_t n)
{
	uint64_t i = 0;

	n -= n % s->plat.line;
	while (i < n) {
		uint64_t lm, le;
		uint32_t m = coh_mem_run(s, F_MEM, a + i, n - i, &lm);

		if (m < exp_run(s, exp, a + i, lm, &le))
			break;
		i += MIN(lm, le);
	}
	return i - i % s->plat.line;
}

int coh_cpu_read(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n)
{
	struct read_near near;
	struct cold cold;
	bool unc = any_uncached(s, addr, n);
	struct stale st = { 0 };
	uint64_t a = addr;
	struct src runs = { .kind = SRC_EXP, .end = addr + n };
	uint16_t omitted;
	int err, dev = -1;
	bool bulk;

	s->nacc++;
	near.near = s->maps.nphys && coh_mem_nmap(s, addr, n);
	if (near.near && (err = coh_own_touch(s, addr, n)) < 0)
		return err;
	if (near.near && !s->inferring) {
		if ((err = coh_own_cpu_read(s, cpu, addr, n)) < 0 ||
		    (s->xfer && (err = s->xfer->check_read(s, addr, n)) < 0))
			return err;
	}
	near_init(s, addr, n, &near);
	cold_init(s, cpu, addr, n, &cold);
	bulk = cold.self && cold.others && !unc && !near.near;
	for (uint64_t left = n; left;) {      /* by count: a range may end at 2^64 */
		uint64_t k = MIN(left, line_of(s, a) + s->plat.line - a);
		/* lines no cache holds, not stale: filled as read_chunk() would,
		 * without comparing them line by line */
		uint64_t fresh = bulk && !st.found && k == s->plat.line ?
				 fresh_lines(s, &runs, a, left) : 0;

		if (fresh) {
			k = fresh;
			err = coh_cache_fill_cold(s, cpu, a, k >> s->lshift, false, 0);
		} else {
			err = read_chunk(s, cpu, a, k, &near, &cold, unc, &runs, &st);
		}
		if (err < 0)
			return err;
		a += k;
		left -= k;
	}
	coh_mem_touch_cpu(s, addr, n, cpu);
	if (s->nskip && (err = coh_skip_check_read(s, cpu, addr, n, st.found ? st.first : 0,
					       st.found ? st.last + 1 : 0)) < 0)
		return err;
	if (!st.found)
		return 0;
	omitted = omitted_for(s, st.first, true, &dev);
	return stale_cpu_report(s, &st, dev, (int)cpu, omitted);
}

int coh_cpu_write(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n, const uint8_t *data)
{
	uint64_t a = addr, k;
	bool unc = any_uncached(s, addr, n);
	struct cold cold;
	int err;

	s->nacc++;
	if ((err = coh_record_data(s, addr, n, data)) < 0)
		return err;
	if (s->nskip && !s->inferring)
		coh_skip_forget(s, addr, n);
	if (s->maps.nphys && coh_mem_nmap(s, coh_map_widen_lo(s, addr), coh_map_widen_len(s, addr, n))) {
		if ((err = coh_own_touch(s, addr, n)) < 0 ||
		    (!s->inferring && (err = coh_own_cpu_write(s, cpu, addr, n)) < 0))
			return err;
	}
	cold_init(s, cpu, addr, n, &cold);
	for (uint64_t left = n; left; left -= k) {  /* by count: it may end at 2^64 */
		uint64_t line = line_of(s, a);
		k = MIN(left, line + s->plat.line - a);
		struct cache_line *l;

		if (cold.self && cold.others && !unc && line == a && k == s->plat.line) {
			/* whole lines no cache holds: filled blank, one after another */
			k = left - left % s->plat.line;
			err = coh_cache_fill_cold(s, cpu, a, k >> s->lshift, true, s->ver);
		} else if (unc && uncached(s, a)) {
			err = coh_mem_set(s, F_MEM, a, k, s->ver);
		} else if (!(err = access_line(s, cpu, line, true, k == s->plat.line, &cold, &l))) {
			coh_line_set(s, cpu, l, (uint32_t)(a - line), (uint32_t)k, s->ver);
			coh_line_dirty(s, cpu, l);
		}
		if (err < 0)
			return err;
		a += k;
	}
	if ((err = coh_mem_set(s, F_CW, addr, n, s->ver)) < 0)
		return err;
	coh_mem_touch_cpu(s, addr, n, cpu);
	return 0;
}

/* ---- device side --------------------------------------------------------- */

/* Device writes that the CPU may see at once: coherent devices without bounce
 * buffers, coherent allocations, common buffers, MMIO. */
bool coh_map_immediate(const struct coh_sim *s, const struct mapping *m)
{
	if (m->kind == COH_MAP_COHERENT || m->kind == COH_MAP_COMMON ||
	    m->kind == COH_MAP_RESOURCE)
		return true;
	return s->plat.devs[m->dev].coherent && !(m->flags & MF_BOUNCED);
}

uint16_t coh_flush_call(const struct mapping *m)
{
	switch (m->kind) {
	case COH_MAP_TRANSFER:             /* on v3 the transfer's start cleans */
		return (m->flags & MF_EX) ? COH_EV_MAP_TRANSFER_EX : COH_EV_KE_FLUSH;
	case COH_MAP_WIN_SG:
		return (m->flags & MF_EX) ? COH_EV_GET_SG : COH_EV_KE_FLUSH;
	case COH_MAP_COMMON:
		return COH_EV_KE_FLUSH;
	default:
		return COH_EV_DMA_SYNC_DEV;
	}
}

/* DC003: a noncoherent device write of version @ver landing under a dirty
 * cached copy. */
static int clobber_check(struct coh_sim *s, unsigned dev, uint64_t phys, uint64_t n,
			 uint32_t ver, uint16_t omitted)
{
	uint64_t first, line;
	unsigned cpu;
	struct stale st = { 0 };
	struct new_finding f;
	const struct cache_line *l;

	uint64_t last;

	if (!coh_cache_any_dirty(s, phys, n, &first, &cpu))
		return 0;
	last = first;
	/* the range runs to the end of the last dirty line under the write */
	for (uint64_t a = line_of(s, phys + n - 1); a + s->plat.line - 1 >= first; a -= s->plat.line) {
		unsigned c;

		for (c = 0; c < s->plat.ncpus; c++) {
			const struct cache_line *o = coh_cache_find(s, c, a);

			if (o && o->state == COH_LINE_DIRTY)
				break;
		}
		if (c < s->plat.ncpus) {
			last = MIN(phys + n - 1, a + s->plat.line - 1);
			break;
		}
		if (a < s->plat.line)
			break;
	}
	line = line_of(s, first);
	l = coh_cache_find(s, cpu, line);
	for (uint64_t a = first; a < MIN(phys + n, line + s->plat.line); a++)
		stale_note(&st, a, 1, coh_line_get(s, cpu, l, (uint32_t)(a - line)), ver);
	f = (struct new_finding){
		.id = COH_DC003, .rule = COH_R_CLOBBER, .dev = (int)dev, .cpu = (int)cpu,
		.addr = first, .len = MAX(last, first) - first + 1,
		.bus = COH_ADDR_NONE, .other_seq = COH_SEQ_NONE, .omitted = omitted,
		.v_old = st.v_old, .consequence_ok = true,
		.ev_addr = st.ev_addr, .nev = st.nev, .seen = st.seen, .exp = st.exp,
	};
	return coh_finding_add(s, &f, NULL);
}

/* A device write of version @ver reaching memory at [phys, phys + n);
 * @cached: the CPU reaches those bytes through its cache. */
int coh_phys_write_dev(struct coh_sim *s, unsigned dev, bool cached, uint16_t omitted,
		   uint64_t phys, uint64_t n, uint32_t ver)
{
	int err;

	if (s->plat.devs[dev].coherent) {
		if ((err = coh_cache_snoop_range(s, phys, n)) < 0)
			return err;
	} else if (cached) {
		if ((err = coh_cache_spec_range(s, phys, n)) < 0 ||
		    (err = clobber_check(s, dev, phys, n, ver, omitted)) < 0)
			return err;
	}
	return coh_mem_set(s, F_MEM, phys, n, ver);
}

int coh_dev_write_plain(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t phys,
		    uint64_t n, const uint8_t *data)
{
	struct mapping *m = *mp;
	int err = coh_record_data(s, phys, n, data);

	if (err < 0)
		return err;
	if (m->flags & MF_BOUNCED)
		err = coh_varr_set(s->heap, &m->slot, off, n, s->ver);
	else
		err = coh_phys_write_dev(s, m->dev, m->flags & MF_CACHED, coh_flush_call(m), phys, n,
				     s->ver);
	if (err < 0)
		return err;
	if (coh_map_immediate(s, m))
		return coh_mem_max(s, F_HO, phys, n, s->ver);
	return coh_varr_set(s->heap, &m->devw, off, n, s->ver);
}

/* A device read of mapping bytes [off, off + n) at [phys, phys + n); @held:
 * versions the device got from elsewhere (a controller's prefetch), or NULL. */
int coh_dev_read_plain(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t phys,
		   uint64_t n, const uint32_t *held)
{
	struct src got = { .kind = SRC_MEM, .field = F_MEM };
	struct src exp = { .kind = SRC_MEM, .field = F_CW };
	struct stale st = { 0 };

	if (held)
		got = (struct src){ .kind = SRC_ARR, .arr = held, .addr0 = phys };
	else if (m->flags & MF_BOUNCED)
		got = (struct src){ .kind = SRC_VARR, .va = &m->slot, .base = off, .addr0 = phys };
	else if (s->plat.devs[m->dev].coherent)
		got = (struct src){ .kind = SRC_VIEW, .cpu = 0 };
	compare(s, &got, &exp, phys, n, &st);
	return stale_report(s, &st, COH_DC002, m->dev, -1, coh_flush_call(m), NULL, NULL);
}

static int unknown_range(struct coh_sim *s, const struct mapping *m, uint64_t off, uint64_t n)
{
	struct new_finding f = {
		.id = COH_UNKNOWN, .rule = COH_R_UNKNOWN_RANGE, .flags = COH_FF_INFO,
		.dev = m->dev, .cpu = -1, .addr = COH_ADDR_NONE, .len = n,
		.bus = COH_ADDR_NONE, .other_seq = m->made_seq, .omitted = COH_EV_NONE,
	};

	(void)off;
	return coh_finding_add(s, &f, NULL);
}

/* The device accesses mapping bytes [off, off + n). */
int coh_dev_access_map(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n,
		   bool write, const uint8_t *data)
{
	struct mapping *m = coh_map_rw(s, *mp);
	uint64_t i = 0;
	bool unknown = false;
	int err;

	if (!m)
		return -COH_E_NOMEM;
	*mp = m;
	m->flags |= MF_TOUCHED;
	if (!s->inferring && (err = coh_own_dev_access(s, mp, off, n)) < 0)
		return err;
	m = *mp;
	if (write && m->dir == COH_DIR_TO_DEVICE) {
		struct new_finding f = {
			.id = COH_DC010, .rule = COH_R_DIR_DEV_WRITE, .dev = m->dev, .cpu = -1,
			.len = n, .bus = COH_ADDR_NONE, .other_seq = m->made_seq,
			.omitted = COH_EV_NONE,
		};
		uint64_t avail;

		if (!coh_map_seg_phys(m, off, &f.addr, &avail))
			f.addr = COH_ADDR_NONE;
		if ((err = coh_finding_add(s, &f, NULL)) < 0)
			return err;
	}
	if ((m->kind == COH_MAP_TRANSFER || m->kind == COH_MAP_WIN_SG) && s->xfer)
		return s->xfer->device_access(s, mp, off, n, write, data);
	while (i < n) {
		uint64_t phys, avail;

		if (!coh_map_seg_phys(*mp, off + i, &phys, &avail)) {
			unknown = true;
			i++;
			continue;
		}
		avail = MIN(avail, n - i);
		err = write ? coh_dev_write_plain(s, mp, off + i, phys, avail, data ? data + i : NULL)
			    : coh_dev_read_plain(s, *mp, off + i, phys, avail, NULL);
		if (err < 0)
			return err;
		i += avail;
	}
	return unknown ? unknown_range(s, *mp, off, n) : 0;
}

static int unmapped_access(struct coh_sim *s, unsigned dev, uint64_t bus, uint64_t n)
{
	struct new_finding f = {
		.id = COH_DC011, .rule = COH_R_DEV_UNMAPPED, .dev = (int)dev, .cpu = -1,
		.addr = COH_ADDR_NONE, .len = n, .bus = bus, .other_seq = COH_SEQ_NONE,
		.omitted = COH_EV_NONE,
	};

	return coh_finding_add(s, &f, NULL);
}

/* A device access through bus addresses [bus, bus + n). */
int coh_dev_access(struct coh_sim *s, unsigned dev, uint64_t bus, uint64_t n, bool write,
	       const uint8_t *data)
{
	uint64_t i = 0;
	int err;

	s->nacc++;
	while (i < n) {
		struct pick p = { .kinds = UINT32_MAX, .access = true, .write = write };
		uint32_t seg;
		struct mapping *m = coh_map_pick(s, dev, bus + i, &p, &seg);
		uint64_t k;

		if (!m) {
			uint64_t next = coh_map_next_bus(s, dev, bus + i);

			k = next > bus + i ? MIN(n - i, next - (bus + i)) : n - i;
			if ((err = unmapped_access(s, dev, bus + i, k)) < 0)
				return err;
		} else {
			const struct map_segment *g = &m->segs[seg];

			k = MIN(n - i, g->bus + g->len - (bus + i));
			err = coh_dev_access_map(s, &m, g->off + (bus + i - g->bus), k, write,
					     data ? data + i : NULL);
			if (err < 0)
				return err;
		}
		i += k;
	}
	return 0;
}
