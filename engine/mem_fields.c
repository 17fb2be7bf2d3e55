/* SPDX-License-Identifier: MIT */
/*
 * mem_fields.c - the three per-byte fields of memory (enum in mem.h) read
 * and written over physical ranges that may cross pages, and the per-page
 * counters and last-CPU bytes; the pages themselves are mem.c's.
 */
#include <string.h>

#include "mem.h"
#include "sim-local.h"
#include "varr.h"

uint32_t coh_mem_get(const struct coh_sim *s, int f, uint64_t addr)
{
	const struct page *pg = coh_vm_page_ro(s, addr >> PG_SHIFT);

	return pg ? coh_varr_get(&pg->f[f], addr & (PG_SIZE - 1)) : 0;
}

uint32_t coh_mem_run(const struct coh_sim *s, int f, uint64_t addr, uint64_t max, uint64_t *len)
{
	const struct page *pg = coh_vm_page_ro(s, addr >> PG_SHIFT);
	uint64_t off = addr & (PG_SIZE - 1);
	uint64_t room = MIN(max, PG_SIZE - off);

	if (!pg) {
		*len = room;
		return 0;
	}
	return coh_varr_run(&pg->f[f], off, room, len);
}

typedef int (*varr_op)(struct coh_heap *, struct varr *, uint64_t, uint64_t, uint32_t);

static int mem_op(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v, varr_op op)
{
	while (n) {
		uint64_t off = addr & (PG_SIZE - 1);
		uint64_t k = MIN(n, PG_SIZE - off);
		struct page *pg;
		int err;

		/* an absent page holds zeros: setting or max-ing 0 changes nothing */
		if (v || coh_vm_page_ro(s, addr >> PG_SHIFT)) {
			pg = coh_vm_page_rw(s, addr >> PG_SHIFT);
			if (!pg)
				return -COH_E_NOMEM;
			err = op(s->heap, &pg->f[f], off, k, v);
			if (err < 0)
				return err;
		}
		addr += k;
		n -= k;
	}
	return 0;
}

int coh_mem_set(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v)
{
	return mem_op(s, f, addr, n, v, coh_varr_set);
}

/* coh_mem_set() of one whole varr block, aligned (a 64-byte cache line):
 * the same result, without the general walk. */
int coh_mem_set_block(struct coh_sim *s, int f, uint64_t addr, uint32_t v)
{
	uint64_t off = addr & (PG_SIZE - 1);
	struct page *pg;

	if (!v && !coh_vm_page_ro(s, addr >> PG_SHIFT))
		return 0;                 /* an absent page holds zeros */
	if (!(pg = coh_vm_page_rw(s, addr >> PG_SHIFT)))
		return -COH_E_NOMEM;
	coh_varr_set_block(s->heap, &pg->f[f], off >> VB_SHIFT, v);
	return 0;
}

int coh_mem_max(struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t v)
{
	return mem_op(s, f, addr, n, v, coh_varr_max);
}

/* Copy versions of field @f for [addr, addr + n) out (absent pages: 0). */
void coh_mem_load(const struct coh_sim *s, int f, uint64_t addr, uint64_t n, uint32_t *out)
{
	while (n) {
		uint64_t off = addr & (PG_SIZE - 1), k = MIN(n, PG_SIZE - off);
		const struct page *pg = coh_vm_page_ro(s, addr >> PG_SHIFT);

		if (pg)
			coh_varr_load(&pg->f[f], off, k, out);
		else
			memset(out, 0, k * sizeof(*out));
		out += k;
		addr += k;
		n -= k;
	}
}

int coh_mem_store(struct coh_sim *s, int f, uint64_t addr, uint64_t n, const uint32_t *vals)
{
	while (n) {
		uint64_t off = addr & (PG_SIZE - 1), k = MIN(n, PG_SIZE - off);
		struct page *pg = coh_vm_page_rw(s, addr >> PG_SHIFT);
		int err;

		if (!pg)
			return -COH_E_NOMEM;
		if ((err = coh_varr_store(s->heap, &pg->f[f], off, k, vals)) < 0)
			return err;
		vals += k;
		addr += k;
		n -= k;
	}
	return 0;
}

/* Add @delta to the mapping (MEM_NMAP) or uncached (MEM_NUNC) counter of
 * every page [addr, addr + n) touches. */
int coh_mem_count(struct coh_sim *s, uint64_t addr, uint64_t n, int which, int delta)
{
	uint64_t first = addr >> PG_SHIFT, last = (addr + n - 1) >> PG_SHIFT;

	if (!n)
		return 0;
	for (uint64_t p = first;; p++) {
		struct page *pg = coh_vm_page_rw(s, p);

		if (!pg)
			return -COH_E_NOMEM;
		if (which == MEM_NMAP)
			pg->nmap = (uint32_t)((int64_t)pg->nmap + delta);
		else
			pg->nunc = (uint32_t)((int64_t)pg->nunc + delta);
		if (p == last)
			break;
	}
	return 0;
}

static uint32_t mem_counter(const struct coh_sim *s, uint64_t addr, uint64_t n, int which)
{
	uint64_t first = addr >> PG_SHIFT, last = (addr + n - 1) >> PG_SHIFT;
	uint32_t sum = 0;

	if (!n)
		return 0;
	for (uint64_t p = first;; p++) {
		const struct page *pg = coh_vm_page_ro(s, p);

		if (pg)
			sum += which == MEM_NMAP ? pg->nmap : pg->nunc;
		if (p == last)
			break;
	}
	return sum;
}

uint32_t coh_mem_nmap(const struct coh_sim *s, uint64_t addr, uint64_t n)
{
	return mem_counter(s, addr, n, MEM_NMAP);
}

uint32_t coh_mem_nunc(const struct coh_sim *s, uint64_t addr, uint64_t n)
{
	return mem_counter(s, addr, n, MEM_NUNC);
}

/* Remember which CPU touched each line last (only with several CPUs); one
 * page look-up per page. */
void coh_mem_touch_cpu(struct coh_sim *s, uint64_t addr, uint64_t n, unsigned cpu)
{
	uint64_t line, lastline;

	if (s->plat.ncpus < 2 || !n)
		return;
	/* lines compared, never stepped past the last one: a range at the top
	 * of the address space must not wrap around to 0 */
	lastline = line_of(s, addr + n - 1);
	for (line = line_of(s, addr);;) {
		uint64_t stop = MIN(lastline, line_of(s, line | (PG_SIZE - 1)));  /* this page's */
		struct page *pg = coh_vm_page_rw(s, line >> PG_SHIFT);

		if (!pg)
			return;
		if (!pg->lastcpu && cpu) {
			pg->lastcpu = coh_heap_zalloc(s->heap, lastcpu_bytes(s));
			if (!pg->lastcpu)
				return;
		}
		for (uint64_t l = line; pg->lastcpu; l += s->plat.line) {
			pg->lastcpu[(l & (PG_SIZE - 1)) >> s->lshift] = (uint8_t)cpu;
			if (l == stop)
				break;
		}
		if (stop == lastline)
			break;
		line = stop + s->plat.line;
	}
}

unsigned coh_mem_last_cpu(const struct coh_sim *s, uint64_t line)
{
	const struct page *pg = coh_vm_page_ro(s, line >> PG_SHIFT);

	if (!pg || !pg->lastcpu)
		return 0;
	return pg->lastcpu[(line & (PG_SIZE - 1)) >> s->lshift];
}

