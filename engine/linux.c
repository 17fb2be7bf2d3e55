/* SPDX-License-Identifier: MIT */
/*
 * linux.c - the Linux DMA API calls (docs/model.md section 2) and the CPU
 * accesses they imply when accesses are inferred.
 *
 * Each call finds its mapping (by device and DMA address; dma_unmap_sg by
 * physical address), checks it (DC010, DC011, DC013), performs the device
 * accesses it implies when accesses are inferred, then does the platform's
 * work: cache maintenance on a noncoherent device without bounce buffers,
 * bounce copies with them, and the hand-over of ownership and of device
 * writes.
 */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "dma_api.h"
#include "finding-local.h"
#include "infer.h"
#include "map.h"
#include "own.h"
#include "sim-local.h"
#include "skip.h"
#include "varr.h"

#define MAX_OVL 64

/* Cache maintenance applies: a noncoherent device reaching the buffer itself. */
static bool maint(const struct coh_sim *s, const struct mapping *m)
{
	return !dcfg(s, m->dev)->coherent && !(m->flags & MF_BOUNCED) && (m->flags & MF_CACHED);
}

static int add(struct coh_sim *s, uint16_t id, uint16_t rule, int dev, uint64_t addr,
	       uint64_t len, uint64_t bus, uint64_t other)
{
	struct new_finding f = {
		.id = id, .rule = rule, .dev = dev, .cpu = -1, .addr = addr, .len = len,
		.bus = bus, .other_seq = other, .omitted = COH_EV_NONE,
	};

	if (id == COH_DC013 || id == COH_PRETRACE || id == COH_UNKNOWN)
		f.flags = COH_FF_INFO;
	return coh_finding_add(s, &f, NULL);
}

static int add_map(struct coh_sim *s, uint16_t id, uint16_t rule, const struct mapping *m)
{
	uint64_t phys = m->nsegs ? m->segs[0].phys : COH_ADDR_NONE;
	uint64_t bus = m->nsegs ? m->segs[0].bus : COH_ADDR_NONE;

	return add(s, id, rule, m->dev, phys, m->len, bus, m->made_seq);
}

/* Inferred CPU write of the CPU-owned bytes of [off, off + n) before a hand-over. */
static int infer_cpu_write(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t n)
{
	uint64_t i = 0, len;
	int err = 0;

	s->inferring = true;
	while (i < n && !err) {
		uint32_t v = (m->flags & MF_OWNED) ? coh_varr_run(&m->own, off + i, n - i, &len)
						   : (len = n - i, 0);

		if (!(v & OWN_DEV))
			err = coh_map_pieces(s, m, off + i, len, P_CPU_WRITE);
		i += len;
	}
	s->inferring = false;
	return err;
}

static int infer_cpu_read(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t n)
{
	int err;

	s->inferring = true;
	err = coh_map_pieces(s, m, off, n, P_CPU_READ);
	s->inferring = false;
	return err;
}

static bool infer(const struct coh_sim *s)
{
	return s->ev->flags & COH_F_INFER;
}

static bool skip_unmap(const struct coh_sim *s)
{
	return (s->ev->flags & COH_F_SKIP_CPU_SYNC) &&
	       (s->ev->kind == COH_EV_DMA_UNMAP || s->ev->kind == COH_EV_DMA_UNMAP_SG);
}

#define LINUX_KINDS ((1u << COH_MAP_STREAM) | (1u << COH_MAP_SG) | (1u << COH_MAP_COHERENT) | \
		     (1u << COH_MAP_PAGES) | (1u << COH_MAP_RESOURCE))

/* ---- map ------------------------------------------------------------------ */

/* dma-debug's overlap check (add_dma_entry): a new streaming mapping over the
 * bytes of a live one, neither TO_DEVICE, the new one without SKIP_CPU_SYNC. */
static int overlap_check(struct coh_sim *s, const struct coh_event *ev, const struct coh_seg *g)
{
	unsigned dev = ev->dev;
	struct map_entry ov[MAX_OVL];
	size_t k;

	if (g->addr == COH_ADDR_NONE || !s->maps.nphys || !dir_from(ev->dir) ||
	    (ev->flags & COH_F_SKIP_CPU_SYNC))
		return 0;
	k = coh_map_overlaps(s, g->addr, g->addr + g->len, ov, MAX_OVL);
	for (size_t i = 0; i < k; i++) {
		const struct mapping *m = ov[i].m;

		if ((m->kind == COH_MAP_STREAM || m->kind == COH_MAP_SG) && dir_from(m->dir))
			return add(s, COH_DC011, COH_R_OVERLAP, (int)dev,
				   MAX(g->addr, ov[i].start),
				   MIN(g->addr + g->len, ov[i].end) - MAX(g->addr, ov[i].start),
				   g->bus, m->made_seq);
	}
	return 0;
}

/* A live bounced mapping whose device range the new one meets, at its start or
 * inside: its bounce slot was given out again, so its unmap was never traced.
 * It ends here, said as information, with no copy-back.  Direct mappings (no
 * bounce) may share device addresses: the same buffer mapped twice, a
 * TO_DEVICE frame inside a page the device has mapped; they stay live. */
static int end_untraced(struct coh_sim *s, unsigned dev, const struct coh_seg *g, bool bounced)
{
	struct mapping *ov[MAX_OVL];
	uint64_t hi;
	size_t k;
	int err;

	if (g->bus == COH_ADDR_NONE || !g->len)
		return 0;
	hi = g->bus + g->len < g->bus ? UINT64_MAX : g->bus + g->len;
	k = coh_map_bus_overlaps(s, dev, g->bus, hi, ov, MAX_OVL);
	for (size_t i = 0; i < k; i++) {
		struct mapping *old = ov[i];

		if (!(old->flags & MF_BOUNCED) &&
		    !(bounced && (old->kind == COH_MAP_STREAM || old->kind == COH_MAP_SG)))
			continue;
		if ((err = add_map(s, COH_UNKNOWN, COH_R_UNKNOWN_RANGE, old)) < 0 ||
		    (err = coh_map_remove(s, old)) < 0)
			return err;
	}
	return 0;
}

/* A live allocation of the device already at this bus address: the allocator
 * never gives memory out twice, so its free was never traced. */
static int replace_alloc(struct coh_sim *s, unsigned dev, const struct coh_seg *g)
{
	struct pick p = { .kinds = (1u << COH_MAP_COHERENT) | (1u << COH_MAP_PAGES) };
	uint32_t seg;
	struct mapping *old;
	int err;

	if (g->bus == COH_ADDR_NONE || !(old = coh_map_pick(s, dev, g->bus, &p, &seg)))
		return 0;
	if ((err = add_map(s, COH_UNKNOWN, COH_R_UNKNOWN_RANGE, old)) < 0)
		return err;
	return coh_map_remove(s, old);
}

/* SKIP_CPU_SYNC on a TO_DEVICE/BIDIRECTIONAL map: the bytes stay the CPU's to
 * write until a sync_for_device covers them (dma-attributes.rst). */
static int mark_skip(struct coh_sim *s, struct mapping **mp)
{
	struct mapping *m = *mp;

	if (!(s->ev->flags & COH_F_SKIP_CPU_SYNC) || !dir_to(m->dir) || !(m->flags & MF_OWNED))
		return 0;
	if (!(m = coh_map_rw(s, m)))
		return -COH_E_NOMEM;
	*mp = m;
	return coh_varr_or(s->heap, &m->own, 0, m->len, OWN_SKIP);
}

static int map_common(struct coh_sim *s, const struct coh_event *ev, unsigned kind,
		      const struct coh_seg *segs, uint32_t nsegs)
{
	const struct coh_dev_cfg *d = dcfg(s, ev->dev);
	uint32_t flags = MF_OWNED | MF_CACHED | (d->bounce ? MF_BOUNCED : 0);
	struct mapping *m;
	int err;

	for (uint32_t i = 0; i < nsegs; i++) {
		if ((err = overlap_check(s, ev, &segs[i])) < 0 ||
		    (err = end_untraced(s, ev->dev, &segs[i], d->bounce)) < 0)
			return err;
		if (segs[i].addr != COH_ADDR_NONE)
			coh_skip_forget(s, segs[i].addr, segs[i].len);
		if (infer(s) && dir_to(ev->dir) && segs[i].addr != COH_ADDR_NONE) {
			s->inferring = true;
			err = coh_cpu_write(s, ev->cpu, segs[i].addr, segs[i].len, NULL);
			s->inferring = false;
			if (err < 0)
				return err;
		}
	}
	m = coh_map_new(s, kind, ev->dev, ev->dir, segs, nsegs, flags);
	if (!m)
		return -COH_E_NOMEM;
	m->nents = ev->nents ? ev->nents : nsegs;
	if ((err = coh_map_insert(s, m)) < 0)
		return err;
	if (maint(s, m) && !(ev->flags & COH_F_SKIP_CPU_SYNC) &&
	    (err = coh_map_pieces(s, m, 0, m->len, P_CLEAN)) < 0)
		return err;
	if ((m->flags & MF_BOUNCED) && (err = coh_map_pieces(s, m, 0, m->len, P_TO_SLOT)) < 0)
		return err;
	m->last_maint = ev->kind;
	if ((err = coh_own_give(s, &m, 0, m->len, true)) < 0)
		return err;
	return mark_skip(s, &m);
}

/* ---- the end of device ownership ------------------------------------------ */

/* sync_for_cpu or unmap over mapping bytes [off, off + n) with direction @dir. */
static int to_cpu(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n,
		  unsigned dir, uint64_t work_n)
{
	bool skip = s->ev->flags & COH_F_SKIP_CPU_SYNC;
	int err;

	if (infer(s) && !skip_unmap(s) && (err = coh_infer_device(s, mp, off, n)) < 0)
		return err;
	if ((err = coh_own_report_pending(s, mp, off, n)) < 0)
		return err;
	if (maint(s, *mp) && !skip && dir_from(dir) &&
	    (err = coh_map_pieces(s, *mp, off, work_n, P_INVAL)) < 0)
		return err;
	if (((*mp)->flags & MF_BOUNCED) && !skip && dir_from(dir) &&
	    (err = coh_map_pieces(s, *mp, off, work_n, P_TO_BUF)) < 0)
		return err;
	if (skip_unmap(s) && dir_from((*mp)->dir) && (err = coh_skip_note_unmap(s, *mp, off, n)) < 0)
		return err;
	if ((err = coh_own_handover(s, mp, off, n)) < 0)
		return err;
	return coh_own_give(s, mp, off, n, false);
}

/* The mapping ends; an inferred CPU read follows of its first @n bytes. */
static int end_mapping(struct coh_sim *s, struct mapping *m, unsigned dead_dev, uint64_t key,
		       uint64_t n)
{
	bool read_after = infer(s) && dir_from(m->dir) && !skip_unmap(s);
	int err;

	ref_get(&m->refs);                      /* keep it for the inferred read */
	coh_dead_add(s, dead_dev, key);
	err = coh_map_remove(s, m);
	if (!err && read_after)
		err = infer_cpu_read(s, m, 0, n);
	coh_map_unref(s->heap, m);
	return err;
}

/* Not found: a mapping unmapped already, or made before the trace began. */
static int missing(struct coh_sim *s, unsigned dev, uint64_t key, unsigned dead_dev,
		   uint16_t rule)
{
	if (coh_dead_find(s, dead_dev, key))
		return add(s, COH_DC011, rule, (int)dev, COH_ADDR_NONE, s->ev->len, key,
			   COH_SEQ_NONE);
	return add(s, COH_PRETRACE, COH_R_PRETRACE, (int)dev, COH_ADDR_NONE, s->ev->len, key,
		   COH_SEQ_NONE);
}

static int check_dir(struct coh_sim *s, const struct mapping *m, unsigned dir, uint16_t rule)
{
	if (dir == m->dir || m->dir == COH_DIR_BIDIRECTIONAL)
		return 0;
	return add_map(s, COH_DC010, rule, m);
}

static int unmap(struct coh_sim *s, const struct coh_event *ev)
{
	struct pick p = { .kinds = LINUX_KINDS, .start = true, .len = ev->len,
			  .kind = COH_MAP_STREAM, .dir = ev->dir, .nents = 1 };
	uint32_t seg;
	struct mapping *m = coh_map_pick(s, ev->dev, ev->bus, &p, &seg);
	int err;

	if (!m)
		return missing(s, ev->dev, ev->bus, ev->dev, COH_R_DOUBLE_UNMAP);
	if (m->kind == COH_MAP_COHERENT)
		return add_map(s, COH_DC011, COH_R_COHERENT_SYNC, m);
	if (ev->len != m->len && (err = add_map(s, COH_DC011, COH_R_UNMAP_SIZE, m)) < 0)
		return err;
	if ((err = check_dir(s, m, ev->dir, COH_R_DIR_UNMAP)) < 0)
		return err;
	/* the whole mapping ends; only ev->len bytes get the invalidate or copy */
	if ((err = to_cpu(s, &m, 0, m->len, ev->dir, MIN(ev->len, m->len))) < 0)
		return err;
	return end_mapping(s, m, ev->dev, ev->bus, m->len);
}

/* dma_unmap_sg names physical addresses: find the dma_map_sg they came from. */
static struct mapping *find_sg(const struct coh_sim *s, const struct coh_event *ev)
{
	struct mapping *m = coh_map_by_phys_start(s, ev->dev, ev->segs[0].addr, COH_MAP_SG);

	if (!m && ev->segs[0].bus != COH_ADDR_NONE) {
		m = coh_map_by_start(s, ev->dev, ev->segs[0].bus);
		if (m && m->kind != COH_MAP_SG)
			m = NULL;
	}
	return m;
}

#define SG_DEAD(dev) ((dev) | 0x8000u)

/* dma_unmap_sg with fewer entries than mapped: dma_direct_unmap_sg walks only
 * the first @k; those are synced, copied back and released, the rest stay
 * mapped and device-owned with their bounce slots (and leak). */
static int unmap_sg_part(struct coh_sim *s, struct mapping *m, uint32_t k)
{
	uint64_t n = m->segs[k].off;
	struct mapping *tail;
	int err;

	if ((err = to_cpu(s, &m, 0, n, s->ev->dir, n)) < 0)
		return err;
	if (!(tail = coh_map_tail(s, m, k)))
		return -COH_E_NOMEM;
	if ((err = end_mapping(s, m, SG_DEAD(s->ev->dev), m->segs[0].phys, n)) < 0) {
		coh_map_unref(s->heap, tail);
		return err;
	}
	return coh_map_insert(s, tail);
}

static int unmap_sg(struct coh_sim *s, const struct coh_event *ev)
{
	struct mapping *m = find_sg(s, ev);
	uint32_t nents = ev->nents ? ev->nents : ev->nsegs;
	int err;

	if (!m)
		return missing(s, ev->dev, ev->segs[0].addr, SG_DEAD(ev->dev), COH_R_DOUBLE_UNMAP);
	if (nents != m->nents && (err = add_map(s, COH_DC011, COH_R_SG_NENTS, m)) < 0)
		return err;
	if ((err = check_dir(s, m, ev->dir, COH_R_DIR_UNMAP)) < 0)
		return err;
	if (nents < m->nents && nents < m->nsegs)
		return unmap_sg_part(s, m, nents);
	if ((err = to_cpu(s, &m, 0, m->len, ev->dir, m->len)) < 0)
		return err;
	return end_mapping(s, m, SG_DEAD(ev->dev), m->segs[0].phys, m->len);
}

/* ---- syncs ---------------------------------------------------------------- */

static int redundant(struct coh_sim *s, struct mapping **mp)
{
	struct mapping *m = *mp;
	int err = 0;

	if (dcfg(s, m->dev)->coherent && !(m->flags & MF_BOUNCED))
		err = add_map(s, COH_DC013, COH_R_REDUNDANT_COHERENT, m);
	else if (m->last_maint == s->ev->kind && !(m->flags & MF_TOUCHED))
		err = add_map(s, COH_DC013, COH_R_REDUNDANT_REPEAT, m);
	if (err < 0 || !(m = coh_map_rw(s, m)))
		return err < 0 ? err : -COH_E_NOMEM;
	m->last_maint = s->ev->kind;
	m->flags &= ~MF_TOUCHED;
	*mp = m;
	return 0;
}

/* One sync over bus range [bus, bus + n) of mapping *@mp. */
static int sync_range(struct coh_sim *s, struct mapping **mp, uint64_t bus, uint64_t n,
		      bool for_cpu)
{
	const struct coh_event *ev = s->ev;
	struct mapping *m = *mp;
	uint32_t seg;
	const struct map_segment *g;
	uint64_t off, k;
	int err;

	if (!coh_map_seg_of_bus(m, bus, &seg) || !n) {
		if (!n)
			return 0;
		return add(s, COH_DC011, COH_R_SYNC_RANGE, ev->dev, COH_ADDR_NONE, n, bus,
			   m->made_seq);
	}
	g = &m->segs[seg];
	off = g->off + (bus - g->bus);
	k = MIN(n, g->bus + g->len - bus);
	if (k < n && (err = add(s, COH_DC011, COH_R_SYNC_RANGE, ev->dev,
				g->phys == COH_ADDR_NONE ? g->phys : g->phys + (bus - g->bus), n,
				bus, m->made_seq)) < 0)
		return err;
	if (for_cpu) {
		if ((err = coh_own_check_sync_cpu(s, m, off, k)) < 0 ||
		    (err = to_cpu(s, mp, off, k, ev->dir, k)) < 0)
			return err;
		return dir_from((*mp)->dir) && infer(s) ? infer_cpu_read(s, *mp, off, k) : 0;
	}
	if (infer(s) && dir_to(m->dir) && (err = infer_cpu_write(s, m, off, k)) < 0)
		return err;
	if (maint(s, m) && (err = coh_map_pieces(s, m, off, k, P_CLEAN)) < 0)
		return err;
	if ((m->flags & MF_BOUNCED) && dir_to(ev->dir) &&
	    (err = coh_map_pieces(s, m, off, k, P_TO_SLOT)) < 0)
		return err;
	return coh_own_give(s, mp, off, k, true);
}

static int sync(struct coh_sim *s, const struct coh_event *ev, bool for_cpu)
{
	struct pick p = { .kinds = LINUX_KINDS, .len = ev->len, .kind = COH_MAP_STREAM,
			  .dir = ev->dir, .nents = 1 };
	uint32_t seg;
	struct mapping *m = coh_map_pick(s, ev->dev, ev->bus, &p, &seg);
	int err;

	if (!m)
		return missing(s, ev->dev, ev->bus, ev->dev, COH_R_SYNC_RANGE);
	if (m->kind == COH_MAP_COHERENT)
		return add_map(s, COH_DC011, COH_R_COHERENT_SYNC, m);
	if ((err = check_dir(s, m, ev->dir, COH_R_DIR_SYNC)) < 0 ||
	    (err = redundant(s, &m)) < 0)
		return err;
	return sync_range(s, &m, ev->bus, ev->len, for_cpu);
}

static int sync_sg(struct coh_sim *s, const struct coh_event *ev, bool for_cpu)
{
	struct pick p = { .kinds = 1u << COH_MAP_SG, .start = true, .kind = COH_MAP_SG,
			  .dir = ev->dir, .nents = ev->nents ? ev->nents : ev->nsegs };
	uint32_t seg;
	struct mapping *m = coh_map_pick(s, ev->dev, ev->segs[0].bus, &p, &seg);
	int err;

	if (!m)
		return missing(s, ev->dev, ev->segs[0].bus, ev->dev, COH_R_SYNC_RANGE);
	if (ev->nents && ev->nents != m->nents &&
	    (err = add_map(s, COH_DC011, COH_R_SG_NENTS, m)) < 0)
		return err;
	if ((err = check_dir(s, m, ev->dir, COH_R_DIR_SYNC)) < 0 ||
	    (err = redundant(s, &m)) < 0)
		return err;
	for (uint32_t i = 0; i < ev->nsegs; i++) {
		uint64_t len = ev->segs[i].len ? ev->segs[i].len : 0;

		if ((err = sync_range(s, &m, ev->segs[i].bus, len, for_cpu)) < 0)
			return err;
	}
	return 0;
}

/* ---- allocations ---------------------------------------------------------- */

static int alloc(struct coh_sim *s, const struct coh_event *ev, unsigned kind)
{
	struct coh_seg one = { ev->addr != COH_ADDR_NONE ? ev->addr : ev->bus, ev->bus, ev->len };
	bool sgt = kind == COH_MAP_PAGES && ev->nsegs;     /* only dma_alloc_sgt has segs */
	const struct coh_seg *segs = sgt ? ev->segs : &one;
	uint32_t nsegs = sgt ? ev->nsegs : 1, flags = 0;
	unsigned dir = ev->dir;
	struct mapping *m;
	int err;

	if (kind == COH_MAP_COHERENT) {
		flags = dcfg(s, ev->dev)->coherent ? MF_CACHED : 0;   /* else uncached */
		dir = COH_DIR_BIDIRECTIONAL;
	} else if (kind == COH_MAP_PAGES) {
		flags = MF_CACHED | MF_OWNED;                         /* CPU-owned at first */
	}
	for (uint32_t i = 0; i < nsegs; i++)
		if ((err = replace_alloc(s, ev->dev, &segs[i])) < 0)
			return err;
	m = coh_map_new(s, kind, ev->dev, dir, segs, nsegs, flags);
	if (!m)
		return -COH_E_NOMEM;
	return coh_map_insert(s, m);
}

static int free_alloc(struct coh_sim *s, const struct coh_event *ev, unsigned kind)
{
	bool sgt = kind == COH_MAP_PAGES && ev->nsegs;
	uint64_t bus = sgt ? ev->segs[0].bus : ev->bus;
	struct pick p = { .kinds = 1u << kind, .start = true };
	uint32_t seg;
	struct mapping *m = coh_map_pick(s, ev->dev, bus, &p, &seg);
	uint64_t len = ev->len;
	int err;

	if (!m)
		return missing(s, ev->dev, bus, ev->dev, COH_R_DOUBLE_UNMAP);
	if (sgt) {
		len = 0;
		for (uint32_t i = 0; i < ev->nsegs; i++)
			len += ev->segs[i].len;
	}
	if (len && len != m->len && (err = add_map(s, COH_DC011, COH_R_FREE_SIZE, m)) < 0)
		return err;
	coh_dead_add(s, ev->dev, bus);
	return coh_map_remove(s, m);
}

/* ---- dispatch -------------------------------------------------------------- */

int coh_linux_apply(struct coh_sim *s, const struct coh_event *ev)
{
	struct coh_seg one = { ev->addr, ev->bus, ev->len };

	switch (ev->kind) {
	case COH_EV_DMA_MAP:
		return map_common(s, ev, COH_MAP_STREAM, &one, 1);
	case COH_EV_DMA_MAP_SG:
		if ((ev->flags & COH_F_TRUNCATED) &&
		    add(s, COH_UNKNOWN, COH_R_UNKNOWN_RANGE, ev->dev, COH_ADDR_NONE, 0,
			ev->segs[0].bus, COH_SEQ_NONE) < 0)
			return -COH_E_NOMEM;
		return map_common(s, ev, COH_MAP_SG, ev->segs, ev->nsegs);
	case COH_EV_DMA_UNMAP:
		return unmap(s, ev);
	case COH_EV_DMA_UNMAP_SG:
		return unmap_sg(s, ev);
	case COH_EV_DMA_SYNC_CPU:
		return sync(s, ev, true);
	case COH_EV_DMA_SYNC_DEV:
		return sync(s, ev, false);
	case COH_EV_DMA_SYNC_SG_CPU:
		return sync_sg(s, ev, true);
	case COH_EV_DMA_SYNC_SG_DEV:
		return sync_sg(s, ev, false);
	case COH_EV_DMA_ALLOC:
		return alloc(s, ev, COH_MAP_COHERENT);
	case COH_EV_DMA_ALLOC_PAGES:
		return alloc(s, ev, COH_MAP_PAGES);
	case COH_EV_DMA_MAP_RES:
		return alloc(s, ev, COH_MAP_RESOURCE);
	case COH_EV_DMA_FREE:
		return free_alloc(s, ev, COH_MAP_COHERENT);
	case COH_EV_DMA_FREE_PAGES:
		return free_alloc(s, ev, COH_MAP_PAGES);
	case COH_EV_DMA_UNMAP_RES:
		return free_alloc(s, ev, COH_MAP_RESOURCE);
	}
	return -COH_E_KIND;
}
