/* SPDX-License-Identifier: MIT */
/*
 * sim_views.c - read-only views of a simulation for front ends: cache lines,
 * memory windows, controller and posted-write buffers, live mappings.
 */
#include <string.h>

#include "access.h"
#include "adapter.h"
#include "cache.h"
#include "map.h"
#include "mem.h"
#include "sim-local.h"
#include "varr.h"
#include "write_log.h"

static bool range_ok(uint64_t addr, size_t n)
{
	return n == 0 || addr + (n - 1) >= addr;
}

int coh_sim_cache_line(const struct coh_sim *s, unsigned cpu, unsigned set, unsigned way,
		       struct coh_line_view *out, uint8_t *bytes, uint32_t *vers, uint8_t *diff)
{
	const struct cache_line *l, *base;
	uint32_t age = 0;

	if (cpu >= s->plat.ncpus)
		return -COH_E_CPU;
	if (set >= s->plat.sets || way >= s->plat.ways)
		return -COH_E_INVAL;
	base = s->cache[cpu].lines + (size_t)set * s->plat.ways;
	l = base + way;
	for (uint32_t w = 0; l->state && w < s->plat.ways; w++)
		if (base[w].state && base[w].lru > l->lru)
			age++;
	out->set = set;
	out->way = way;
	out->state = l->state;
	out->speculative = l->spec;
	out->age = age;
	out->addr = l->state ? l->tag : COH_ADDR_NONE;
	for (uint32_t i = 0; i < s->plat.line; i++) {
		uint32_t v = l->state ? coh_line_get(s, cpu, l, i) : 0;

		if (vers)
			vers[i] = v;
		if (bytes)
			bytes[i] = l->state ? coh_value_of(s, v, l->tag + i) : 0;
		if (diff)
			diff[i] = l->state && v != coh_mem_get(s, F_MEM, l->tag + i);
	}
	return 0;
}

int coh_sim_cache_lookup(const struct coh_sim *s, unsigned cpu, uint64_t addr, unsigned *set,
			 unsigned *way)
{
	const struct cache_line *l;

	if (cpu >= s->plat.ncpus)
		return -COH_E_CPU;
	l = coh_cache_find(s, cpu, line_of(s, addr));
	if (!l)
		return 0;
	*set = (unsigned)((l - s->cache[cpu].lines) / s->plat.ways);
	*way = (unsigned)((l - s->cache[cpu].lines) % s->plat.ways);
	return 1;
}

int coh_sim_mem_read(const struct coh_sim *s, uint64_t addr, size_t n, uint8_t *bytes,
		     uint32_t *vers)
{
	if (!range_ok(addr, n))
		return -COH_E_RANGE;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = coh_mem_get(s, F_MEM, addr + i);

		if (vers)
			vers[i] = v;
		if (bytes)
			bytes[i] = coh_value_of(s, v, addr + i);
	}
	return 0;
}

int coh_sim_cpu_view(const struct coh_sim *s, unsigned cpu, uint64_t addr, size_t n,
		     uint8_t *bytes, uint32_t *vers)
{
	if (cpu >= s->plat.ncpus)
		return -COH_E_CPU;
	if (!range_ok(addr, n))
		return -COH_E_RANGE;
	for (size_t i = 0; i < n;) {
		uint64_t len;
		uint32_t v = coh_view_run(s, cpu, addr + i, n - i, &len);

		for (uint64_t j = 0; j < len; j++, i++) {
			if (vers)
				vers[i] = v;
			if (bytes)
				bytes[i] = coh_value_of(s, v, addr + i);
		}
	}
	return 0;
}

int coh_sim_expected(const struct coh_sim *s, uint64_t addr, size_t n, uint32_t *cpu_ver,
		     uint32_t *coh_cpu_write)
{
	if (!range_ok(addr, n))
		return -COH_E_RANGE;
	for (size_t i = 0; i < n; i++) {
		if (cpu_ver)
			cpu_ver[i] = MAX(coh_mem_get(s, F_CW, addr + i), coh_mem_get(s, F_HO, addr + i));
		if (coh_cpu_write)
			coh_cpu_write[i] = coh_mem_get(s, F_CW, addr + i);
	}
	return 0;
}

uint8_t coh_sim_byte_value(const struct coh_sim *s, uint32_t ver, uint64_t addr)
{
	return coh_value_of(s, ver, addr);
}

static long fifo_view(const struct coh_sim *s, const struct fifo *q, struct coh_held_byte *out,
		      size_t max)
{
	for (uint32_t i = 0; i < q->n && i < max; i++) {
		const struct held *h = &q->v[(q->head + i) % q->cap];

		out[i].addr = h->phys;
		out[i].ver = h->ver;
		out[i].value = coh_value_of(s, h->ver, h->phys);
	}
	return (long)q->n;
}

long coh_sim_ctrl_view(const struct coh_sim *s, unsigned dev, struct coh_held_byte *out,
		       size_t max, int *dir)
{
	if (dev >= s->plat.ndevs)
		return -COH_E_DEV;
	if (dir)
		*dir = s->dev[dev].ctrl.n ? s->dev[dev].ctrl.dir : COH_DIR_NONE;
	return fifo_view(s, &s->dev[dev].ctrl, out, max);
}

long coh_sim_posted_view(const struct coh_sim *s, unsigned dev, struct coh_held_byte *out,
			 size_t max)
{
	if (dev >= s->plat.ndevs)
		return -COH_E_DEV;
	return fifo_view(s, &s->dev[dev].posted, out, max);
}

size_t coh_sim_nmappings(const struct coh_sim *s)
{
	return s->maps.n;
}

static uint8_t owner_of(const struct mapping *m)
{
	uint64_t len;
	uint32_t v;

	if (!(m->flags & MF_OWNED))
		return COH_OWNER_MIXED;
	v = coh_varr_run(&m->own, 0, m->len, &len);
	for (uint64_t i = len; i < m->len; i += len)
		if ((coh_varr_run(&m->own, i, m->len - i, &len) & OWN_DEV) != (v & OWN_DEV))
			return COH_OWNER_MIXED;
	return (v & OWN_DEV) ? COH_OWNER_DEVICE : COH_OWNER_CPU;
}

int coh_sim_mapping(const struct coh_sim *s, size_t i, struct coh_map_view *out,
		    struct coh_seg *segs, size_t maxsegs)
{
	const struct mapping *m;

	if (i >= s->maps.n)
		return -COH_E_INVAL;
	m = s->maps.v[i];
	memset(out, 0, sizeof(*out));
	out->kind = m->kind;
	out->dev = m->dev;
	out->dir = m->dir;
	out->owner = owner_of(m);
	out->bounced = !!(m->flags & MF_BOUNCED);
	out->cached = !!(m->flags & MF_CACHED);
	out->nsegs = m->nsegs;
	out->addr = m->nsegs ? m->segs[0].phys : COH_ADDR_NONE;
	out->bus = m->nsegs ? m->segs[0].bus : COH_ADDR_NONE;
	out->len = m->len;
	out->handle = m->handle;
	out->irp = m->irp;
	out->made_seq = m->made_seq;
	for (size_t k = 0; segs && k < maxsegs && k < m->nsegs; k++) {
		segs[k].addr = m->segs[k].phys;
		segs[k].bus = m->segs[k].bus;
		segs[k].len = m->segs[k].len;
	}
	return 0;
}

int coh_sim_mapping_owner(const struct coh_sim *s, size_t i, uint64_t off, size_t n,
			  uint8_t *owner)
{
	const struct mapping *m;

	if (i >= s->maps.n)
		return -COH_E_INVAL;
	m = s->maps.v[i];
	if (off > m->len || n > m->len - off)
		return -COH_E_RANGE;
	for (size_t k = 0; k < n; k++) {
		if (!(m->flags & MF_OWNED))
			owner[k] = COH_OWNER_MIXED;
		else
			owner[k] = (coh_varr_get(&m->own, off + k) & OWN_DEV) ? COH_OWNER_DEVICE
									: COH_OWNER_CPU;
	}
	return 0;
}
