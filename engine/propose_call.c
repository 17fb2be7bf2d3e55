/* SPDX-License-Identifier: MIT */
/*
 * propose_call.c - the maintenance call a mapping needs, as the event the
 * driver would issue in the mapping's own API (docs/model.md section 2):
 * a sync of the whole mapping (single or scatter-gather, as it was mapped),
 * its unmap or release, the adapter flush of a Windows transfer over its
 * MDL chain, KeFlushIoBuffers over one MDL.
 */
#include <string.h>

#include "propose.h"

static void base(struct coh_event *ev, unsigned kind, const struct pmap *m)
{
	coh_event_init(ev, (enum coh_kind)kind);
	ev->dev = (uint16_t)m->v.dev;
	ev->cpu = m->cpu;
	ev->ts = m->ts;
}

/* the mapping's segments as a call passes them: bus side for syncs,
 * physical side for an unmap_sg, both (the MDL chain) for Windows */
static void put_segs(const struct pmap *m, int bus, int phys, struct coh_proposal *out)
{
	uint32_t n = m->v.nsegs < COH_PROPOSAL_SEGS ? m->v.nsegs : COH_PROPOSAL_SEGS;

	for (uint32_t k = 0; k < n; k++)
		out->segs[k] = (struct coh_seg){
			.addr = phys ? m->segs[k].addr : COH_ADDR_NONE,
			.bus = bus ? m->segs[k].bus : COH_ADDR_NONE,
			.len = m->segs[k].len,
		};
	out->edit.ev.segs = out->segs;
	out->edit.ev.nsegs = n;
	out->edit.ev.nents = m->nents > n ? m->nents : n;
}

static int sg_made(const struct pmap *m)
{
	return m->v.kind == COH_MAP_SG || (m->v.kind == COH_MAP_PAGES && m->v.nsegs > 1);
}

/**
 * coh_call_sync - dma_sync_*_for_cpu (@for_cpu) or _for_device of the whole
 * mapping, with its direction: dma_sync_sg_* over every entry for a
 * scatter list, else the single form over its bus address and length
 */
void coh_call_sync(const struct pmap *m, int for_cpu, struct coh_proposal *out)
{
	struct coh_event *ev = &out->edit.ev;

	if (sg_made(m)) {
		base(ev, for_cpu ? COH_EV_DMA_SYNC_SG_CPU : COH_EV_DMA_SYNC_SG_DEV, m);
		put_segs(m, 1, 0, out);
	} else {
		base(ev, for_cpu ? COH_EV_DMA_SYNC_CPU : COH_EV_DMA_SYNC_DEV, m);
		ev->bus = m->v.bus;
		ev->len = m->v.len;
	}
	ev->dir = m->v.dir;
}

static unsigned unmap_kind(uint32_t map_kind)
{
	switch (map_kind) {
	case COH_MAP_SG: return COH_EV_DMA_UNMAP_SG;
	case COH_MAP_RESOURCE: return COH_EV_DMA_UNMAP_RES;
	case COH_MAP_PAGES: return COH_EV_DMA_FREE_PAGES;
	case COH_MAP_COHERENT: return COH_EV_DMA_FREE;
	case COH_MAP_TRANSFER: return COH_EV_FREE_MAP_REGS;
	case COH_MAP_WIN_SG: return COH_EV_PUT_SG;
	case COH_MAP_COMMON: return COH_EV_FREE_COMMON;
	default: return COH_EV_DMA_UNMAP;
	}
}

/**
 * coh_call_unmap - the call that ends the mapping: dma_unmap_* with the
 * map's size, direction and nents, the free of an allocation,
 * FreeMapRegisters of a transfer, PutScatterGatherList of a list
 */
void coh_call_unmap(const struct pmap *m, struct coh_proposal *out)
{
	struct coh_event *ev = &out->edit.ev;
	unsigned kind = unmap_kind(m->v.kind);

	base(ev, kind, m);
	ev->dir = m->v.dir;
	if (kind == COH_EV_DMA_UNMAP_SG)
		put_segs(m, 0, 1, out);
	else if (kind == COH_EV_FREE_MAP_REGS || kind == COH_EV_PUT_SG)
		ev->handle = m->v.handle;
	else {
		ev->addr = m->v.addr;
		ev->bus = m->v.bus;
		ev->len = m->v.len;
	}
	if (kind == COH_EV_PUT_SG && m->v.dir == COH_DIR_TO_DEVICE)
		ev->flags |= COH_F_WRITE_TO_DEVICE;
	if (coh_kind_group(kind) == COH_GROUP_WINDOWS)
		ev->dir = COH_DIR_NONE;
}

static int write_to_device(const struct pmap *m)
{
	if (m->made_kind != COH_EV_NONE)
		return !!(m->flags & COH_F_WRITE_TO_DEVICE);
	return m->v.dir == COH_DIR_TO_DEVICE;
}

/**
 * coh_call_flush - the adapter flush a Windows transfer owes at its end:
 * FlushAdapterBuffersEx after MapTransferEx (or on a v3 adapter when the
 * trace lacks the map call), else FlushAdapterBuffers, over the transfer's
 * MDL chain, Offset and Length, map-register base, IRP and WriteToDevice;
 * PutScatterGatherList for a scatter-gather list.  No recorded status: the
 * engine decides what it returns.
 */
void coh_call_flush(const struct pmap *m, const struct coh_platform *p,
		    struct coh_proposal *out)
{
	struct coh_event *ev = &out->edit.ev;
	int ex = m->made_kind == COH_EV_MAP_TRANSFER_EX ||
		 (m->made_kind == COH_EV_NONE && m->v.dev < p->ndevs &&
		  p->devs[m->v.dev].dma_version >= 3);

	if (m->v.kind == COH_MAP_WIN_SG) {
		coh_call_unmap(m, out);
		return;
	}
	base(ev, ex ? COH_EV_FLUSH_ADAPTER_EX : COH_EV_FLUSH_ADAPTER, m);
	put_segs(m, 1, 1, out);
	ev->nents = 0;
	ev->off = m->off;
	ev->len = m->len;
	ev->handle = m->v.handle;
	ev->irp = m->v.irp;
	if (write_to_device(m))
		ev->flags |= COH_F_WRITE_TO_DEVICE;
}

/* [*lo, *hi) rounded out to @line and kept inside [a, a + n) */
static void round_in(uint64_t *lo, uint64_t *hi, unsigned line, uint64_t a, uint64_t n)
{
	*lo &= ~(uint64_t)(line - 1);
	*hi = (*hi + line - 1) & ~(uint64_t)(line - 1);
	if (a == COH_ADDR_NONE)
		return;
	*lo = *lo < a ? a : *lo;
	*hi = *hi > a + n ? a + n : *hi;
}

/* the MDL of a transfer's chain holding @addr */
static int mdl_of(const struct pmap *m, uint64_t addr, struct coh_seg *out)
{
	if (!m->found || m->made_kind == COH_EV_NONE || m->v.kind == COH_MAP_COMMON)
		return 0;
	for (uint32_t k = 0; k < m->v.nsegs && k < COH_PROPOSAL_SEGS; k++)
		if (m->segs[k].addr != COH_ADDR_NONE && addr >= m->segs[k].addr &&
		    addr - m->segs[k].addr < m->segs[k].len) {
			*out = (struct coh_seg){ m->segs[k].addr, COH_ADDR_NONE, m->segs[k].len };
			return 1;
		}
	return 0;
}

/**
 * coh_call_keflush - KeFlushIoBuffers(mdl, @read_op, DmaOperation=TRUE):
 * the MDL of the transfer's chain holding the finding's first byte, else
 * the finding's range rounded out to cache lines inside its allocation
 */
void coh_call_keflush(const struct pmap *m, const struct coh_finding *f, unsigned line,
		      int read_op, struct coh_proposal *out)
{
	struct coh_event *ev = &out->edit.ev;
	uint64_t lo = f->addr, hi = f->addr + f->len;

	base(ev, COH_EV_KE_FLUSH, m);
	if (!m->found)
		ev->dev = f->dev >= 0 ? (uint16_t)f->dev : 0;
	ev->flags = COH_F_DMA_OP | (read_op ? COH_F_READ_OP : 0);
	if (!mdl_of(m, lo, &out->segs[0])) {
		round_in(&lo, &hi, line, m->found ? m->v.addr : COH_ADDR_NONE,
			 m->found ? m->v.len : 0);
		out->segs[0] = (struct coh_seg){ .addr = lo, .bus = COH_ADDR_NONE, .len = hi - lo };
	}
	ev->segs = out->segs;
	ev->nsegs = 1;
	ev->nents = 1;
}
