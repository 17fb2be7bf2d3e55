/* SPDX-License-Identifier: MIT */
/*
 * propose_map.c - the mapping, allocation or transfer a finding concerns,
 * read from the recorded run's state before an event, with the call that
 * made it (its sg nents, its MDL chain, Offset and Length); and the scan
 * of the recorded events for a later call of the same transfer.
 */
#include <string.h>

#include "coh_timeline.h"
#include "propose.h"

#define SCAN_MAX (1u << 20)          /* events a scan looks at, at most */

static int seg_covers(const struct coh_seg *sg, uint64_t addr, uint64_t bus)
{
	if (sg->addr != COH_ADDR_NONE && addr != COH_ADDR_NONE && addr >= sg->addr &&
	    addr - sg->addr < sg->len)
		return 1;
	return sg->bus != COH_ADDR_NONE && bus != COH_ADDR_NONE && bus >= sg->bus &&
	       bus - sg->bus < sg->len;
}

static int covers(const struct coh_map_view *v, const struct coh_seg *segs, uint64_t addr,
		  uint64_t bus)
{
	for (uint32_t k = 0; k < v->nsegs && k < COH_PROPOSAL_SEGS; k++)
		if (seg_covers(&segs[k], addr, bus))
			return 1;
	return 0;
}

/* a Windows call at the finding names its transfer by map-register base
 * or list, or by IRP */
static int names(const struct coh_event *at, const struct coh_map_view *v)
{
	if (coh_kind_group(at->kind) != COH_GROUP_WINDOWS || v->dev != at->dev)
		return 0;
	return (at->handle != COH_ADDR_NONE && v->handle == at->handle) ||
	       (at->irp && v->irp == at->irp);
}

/* 2: the mapping the finding or its event names (its map call, its
 * handle), 1: one covering its first byte, 0: neither */
static int match(const struct coh_finding *f, const struct coh_event *at,
		 const struct coh_map_view *v, const struct coh_seg *segs)
{
	if (f->dev >= 0 && v->dev != (uint32_t)f->dev)
		return 0;
	if ((f->other_seq != COH_SEQ_NONE && v->made_seq == f->other_seq) ||
	    (f->id == COH_DC012 && v->made_seq == f->seq) || (at && names(at, v)))
		return 2;
	return covers(v, segs, f->addr, f->bus);
}

static void pick(const struct coh_sim *s, const struct coh_finding *f,
		 const struct coh_event *at, struct pmap *m)
{
	struct coh_map_view v;
	struct coh_seg segs[COH_PROPOSAL_SEGS];
	int best = 0;

	for (size_t i = 0; i < coh_sim_nmappings(s) && best < 2; i++) {
		int k;

		if (coh_sim_mapping(s, i, &v, segs, COH_PROPOSAL_SEGS) < 0)
			continue;
		k = match(f, at, &v, segs);
		if (k && k >= best) {       /* the newest of equals: the live one */
			best = k;
			m->v = v;
			memcpy(m->segs, segs, sizeof(segs));
		}
	}
	m->found = best > 0;
}

static int is_windows_map(uint16_t kind)
{
	return kind == COH_EV_MAP_TRANSFER || kind == COH_EV_MAP_TRANSFER_EX ||
	       kind == COH_EV_GET_SG;
}

/* The call that made the mapping: its kind, nents, flags, and for Windows
 * its MDL chain (into m->segs), Offset and Length. */
static void made_by(const struct coh_source *src, struct pmap *m)
{
	struct coh_event ev;

	m->made_kind = COH_EV_NONE;
	m->nents = m->v.nsegs;
	m->made_nsegs = m->v.nsegs;
	m->off = 0;
	m->len = m->v.len;
	if (m->v.made_seq == COH_SEQ_NONE || m->v.made_seq >= src->count(src->ctx) ||
	    src->get(src->ctx, m->v.made_seq, &ev) < 0)
		return;
	m->made_kind = ev.kind;
	m->flags = ev.flags;
	if (ev.kind == COH_EV_DMA_MAP_SG) {
		m->nents = ev.nents;
		m->made_nsegs = ev.nsegs;
	}
	if (is_windows_map(ev.kind) && ev.nsegs > COH_PROPOSAL_SEGS)
		m->truncated = 1;
	if (!is_windows_map(ev.kind) || !ev.segs || ev.nsegs > COH_PROPOSAL_SEGS)
		return;
	m->off = ev.off;
	m->len = ev.len;
	m->v.nsegs = ev.nsegs;
	memcpy(m->segs, ev.segs, ev.nsegs * sizeof(*ev.segs));
}

/* the event at @pos (the last one at the end): its CPU and timestamp go
 * to the call placed there; 0 when there is none */
static int event_at(const struct coh_source *src, uint64_t pos, struct pmap *m,
		    struct coh_event *ev)
{
	uint64_t n = src->count(src->ctx);

	m->cpu = 0;
	m->ts = 0;
	if (!n || src->get(src->ctx, pos < n ? pos : n - 1, ev) < 0)
		return 0;
	m->ts = ev->ts;
	if (pos < n && coh_kind_group(ev->kind) == COH_GROUP_ACCESS)
		m->cpu = ev->cpu;
	return pos < n;
}

/**
 * coh_pmap_find - the live mapping finding @f concerns, as the recorded run
 * had it just before event @pos (the one its map call made when the finding
 * names it, else the newest covering its first byte)
 *
 * Return: 0 (m->found says whether one matched), or -COH_E_*.
 */
int coh_pmap_find(const struct coh_timeline *rec, const struct coh_finding *f, uint64_t pos,
		  struct pmap *m)
{
	const struct coh_source *src = coh_timeline_source(rec);
	struct coh_event at;
	struct coh_sim *s;
	int err, have;

	memset(m, 0, sizeof(*m));
	m->pos = pos;
	m->made_kind = COH_EV_NONE;
	have = event_at(src, pos, m, &at);
	if (!(s = coh_timeline_state_at(rec, pos, &err)))
		return err;
	pick(s, f, have ? &at : NULL, m);
	coh_sim_free(s);
	m->truncated = m->v.nsegs > COH_PROPOSAL_SEGS;
	if (m->found)
		made_by(src, m);
	return 0;
}

/**
 * coh_pmap_windows - 1 when the finding is on Windows calls: its mapping is
 * a transfer, list or common buffer, or (none found) the finding says so
 */
int coh_pmap_windows(const struct pmap *m, const struct coh_finding *f)
{
	if (m->found)
		return m->v.kind == COH_MAP_TRANSFER || m->v.kind == COH_MAP_WIN_SG ||
		       m->v.kind == COH_MAP_COMMON;
	return (f->flags & COH_FF_WINDOWS) ||
	       (f->omitted != COH_EV_NONE && coh_kind_group(f->omitted) == COH_GROUP_WINDOWS);
}

/**
 * coh_pmap_scan - the first recorded event at or after @from of kind @k1 or
 * @k2 by device @dev whose handle is @handle (an event with no handle, such
 * as a dev_done of every transfer, matches too)
 *
 * Return: its index, or -1 (none within the scan's reach).
 */
long coh_pmap_scan(const struct coh_timeline *rec, uint64_t from, uint16_t k1, uint16_t k2,
		   unsigned dev, uint64_t handle)
{
	const struct coh_source *src = coh_timeline_source(rec);
	uint64_t n = src->count(src->ctx);
	struct coh_event ev;

	for (uint64_t i = from; i < n && i - from < SCAN_MAX; i++) {
		if (src->get(src->ctx, i, &ev) < 0)
			return -1;
		if ((ev.kind == k1 || ev.kind == k2) && ev.dev == dev &&
		    (ev.handle == handle || ev.handle == COH_ADDR_NONE))
			return (long)i;
	}
	return -1;
}

static int unmaps(const struct coh_event *ev, const struct pmap *m)
{
	if (ev->dev != m->v.dev)
		return 0;
	if (ev->kind == COH_EV_DMA_UNMAP)
		return ev->bus == m->v.bus;
	return ev->kind == COH_EV_DMA_UNMAP_SG && ev->nsegs && ev->segs &&
	       ev->segs[0].addr == m->v.addr;
}

/**
 * coh_pmap_unmap - the first recorded event in [@from, @to) that unmaps
 * mapping @m (a dma_unmap of its bus address, a dma_unmap_sg of its first
 * entry)
 *
 * Return: its index, or -1.
 */
long coh_pmap_unmap(const struct coh_timeline *rec, const struct pmap *m, uint64_t from,
		    uint64_t to)
{
	const struct coh_source *src = coh_timeline_source(rec);
	struct coh_event ev;

	for (uint64_t i = from; i < to && i - from < SCAN_MAX; i++) {
		if (src->get(src->ctx, i, &ev) < 0)
			return -1;
		if (unmaps(&ev, m))
			return (long)i;
	}
	return -1;
}

/**
 * coh_pmap_unmap_before - the last recorded dma_unmap or dma_unmap_sg by
 * device @dev before event @before, at or after @from
 *
 * Return: its index, or -1.
 */
long coh_pmap_unmap_before(const struct coh_timeline *rec, unsigned dev, uint64_t from,
			   uint64_t before)
{
	const struct coh_source *src = coh_timeline_source(rec);
	struct coh_event ev;

	for (uint64_t i = before; i-- > from && before - i <= SCAN_MAX;) {
		if (src->get(src->ctx, i, &ev) < 0)
			return -1;
		if ((ev.kind == COH_EV_DMA_UNMAP || ev.kind == COH_EV_DMA_UNMAP_SG) && ev.dev == dev)
			return (long)i;
	}
	return -1;
}
