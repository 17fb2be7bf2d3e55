/* SPDX-License-Identifier: MIT */
/*
 * windows.c - the Windows DMA calls (docs/model.md section 2): common buffers,
 * KeFlushIoBuffers, packet-based and scatter-gather transfers, the system
 * DMA controller's buffer, bus-master posted writes, and the end of a
 * transfer (DC004, DC005, DC008, DC009).
 *
 * A transfer is one mapping object per MapTransfer(Ex) or
 * GetScatterGatherList call, found again by its device and map-register
 * base (or list), and by its IRP.  Its missing or late flush is one finding
 * (DC004, else DC008, or a stale read: xfer_cause.c).
 *
 * The generic access path reaches transfers through coh_windows_xfer_ops
 * (xfer.h), the table coh_sim_new() installs: it calls down into this file
 * and adapter.c, never up by name.
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "adapter.h"
#include "cache.h"
#include "dma_api.h"
#include "finding-local.h"
#include "infer.h"
#include "map.h"
#include "mem.h"
#include "own.h"
#include "sim-local.h"
#include "xfer.h"

#define MAX_OVL 64

static bool is_xfer(const struct mapping *m)
{
	return coh_xfer_kind(m->kind);
}

/* A transfer ends: remember it for stale reads after it, then forget it. */
static int xfer_remove(struct coh_sim *s, struct mapping *m)
{
	coh_xfer_note_ended(s, m);
	return coh_map_remove(s, m);
}

static int add(struct coh_sim *s, uint16_t id, uint16_t rule, const struct mapping *m,
	       int dev, uint16_t omitted)
{
	struct new_finding f = {
		.id = id, .rule = rule, .dev = m ? m->dev : dev, .cpu = -1,
		.addr = m && m->nsegs ? m->segs[0].phys : COH_ADDR_NONE,
		.len = m ? m->len : s->ev->len,
		.bus = m && m->nsegs ? m->segs[0].bus : COH_ADDR_NONE,
		.other_seq = m ? m->made_seq : COH_SEQ_NONE, .omitted = omitted,
		.v_old = s->ver,
	};

	if (id == COH_DC013 || id == COH_UNKNOWN || id == COH_PRETRACE)
		f.flags = COH_FF_INFO;
	return coh_finding_add(s, &f, NULL);
}

static int report_residual(struct coh_sim *s, const struct mapping *m, const struct residual *r,
			   int64_t *idx)
{
	struct new_finding f = {
		.id = COH_DC004, .rule = (uint16_t)r->rule, .dev = m->dev, .cpu = -1,
		.addr = r->lo, .len = r->hi - r->lo, .bus = COH_ADDR_NONE,
		.other_seq = m->made_seq, .omitted = coh_xfer_flush_call(m),
		.ev_addr = r->ev_addr, .nev = r->n, .seen = r->seen, .exp = r->exp,
		.set_parent = true, .parent = -1,
	};

	return coh_finding_add(s, &f, idx);
}

/* The one finding for a transfer's missing or late flush (DC004 when bytes
 * are stranded, else DC008), unless one was reported already; *idx gets it. */
static int report_noflush(struct coh_sim *s, const struct mapping *m, bool residual_ok,
			  int64_t *idx)
{
	struct residual r;
	struct new_finding f = {
		.id = COH_DC008, .rule = COH_R_COMPLETE_NO_FLUSH, .dev = m->dev, .cpu = -1,
		.addr = m->nsegs ? m->segs[0].phys : COH_ADDR_NONE, .len = m->len,
		.bus = m->nsegs ? m->segs[0].bus : COH_ADDR_NONE, .other_seq = m->made_seq,
		.omitted = coh_xfer_flush_call(m), .set_parent = true, .parent = -1,
	};

	*idx = -1;
	if (m->flags & MF_NOFLUSH_REPORTED)
		return 0;
	if (residual_ok && !(m->flags & MF_RESIDUAL_REPORTED) && coh_adapter_residual(s, m, &r))
		return report_residual(s, m, &r, idx);
	return (m->flags & MF_FLUSHED) ? 0 : coh_finding_add(s, &f, idx);
}

/* The transfer is treated as done (IRP completed, registers or channel freed).
 * Bytes left behind by a flush that failed are that failure's doing (DC009
 * judges it), and an IRP completed with an error claims no data: no DC004.
 * Otherwise the driver now claims the device's data: it is handed to the CPU
 * (a stale read of it hangs under the missing flush's finding). */
static int end_checks(struct coh_sim *s, struct mapping **mp, bool failed_irp)
{
	struct mapping *m = *mp;
	bool flush_failed = (m->flags & MF_FLUSHED) && m->last_flush == 0;
	int64_t idx;
	int err;

	if (m->flags & MF_END_REPORTED)
		return 0;
	if ((err = report_noflush(s, m, !flush_failed && !failed_irp, &idx)) < 0)
		return err;
	if (!flush_failed && !failed_irp && (err = coh_own_handover(s, &m, 0, m->len)) < 0)
		return err;
	if (!(m = coh_map_rw(s, m)))
		return -COH_E_NOMEM;
	m->flags |= MF_END_REPORTED | MF_RESIDUAL_REPORTED;
	coh_xfer_set_root(m, idx);
	*mp = m;
	return 0;
}

/* A CPU read of a transfer's buffer while bytes are stranded: DC004. */
static int check_read(struct coh_sim *s, uint64_t addr, uint64_t n)
{
	struct map_entry ov[MAX_OVL];
	size_t k = coh_map_overlaps(s, addr, addr + n, ov, MAX_OVL);

	for (size_t i = 0; i < k; i++) {
		struct mapping *m = ov[i].m;
		struct residual r;
		int64_t idx;
		int err;

		if (!is_xfer(m) || (m->flags & (MF_END_REPORTED | MF_RESIDUAL_REPORTED)) ||
		    ((m->flags & MF_FLUSHED) && m->last_flush == 0) || !coh_adapter_residual(s, m, &r))
			continue;
		if ((err = report_residual(s, m, &r, &idx)) < 0)
			return err;
		if (!(m = coh_map_rw(s, m)))
			return -COH_E_NOMEM;
		m->flags |= MF_RESIDUAL_REPORTED;
		coh_xfer_set_root(m, idx);                /* the read came before the flush */
		for (size_t j = i + 1; j < k; j++)
			if (ov[j].m == ov[i].m)
				ov[j].m = m;
	}
	return 0;
}

const struct xfer_ops coh_windows_xfer_ops = {
	.device_access = coh_xfer_device_access,
	.check_read = check_read,
};

/* ---- MDL chains -------------------------------------------------------------- */

/* The pieces of chain bytes [off, off + len); *outside when they run past it. */
static uint32_t chain_pieces(const struct coh_event *ev, uint64_t off, uint64_t len,
			     struct coh_seg *out, bool *outside)
{
	uint32_t n = 0;
	uint64_t total = 0, bus = ev->bus;

	for (uint32_t i = 0; i < ev->nsegs; i++) {
		const struct coh_seg *g = &ev->segs[i];
		uint64_t lo = MAX(off, total), hi = MIN(off + len, total + g->len);

		if (lo < hi) {
			out[n].addr = g->addr + (lo - total);
			out[n].len = hi - lo;
			if (ev->kind == COH_EV_GET_SG && g->bus != COH_ADDR_NONE)
				out[n].bus = g->bus + (lo - total);
			else if (bus != COH_ADDR_NONE)
				out[n].bus = bus;
			else
				out[n].bus = out[n].addr;
			if (bus != COH_ADDR_NONE)
				bus += hi - lo;
			n++;
		}
		total += g->len;
	}
	*outside = off > total || len > total - off;
	return n;
}

static uint64_t chain_len(const struct coh_event *ev)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < ev->nsegs; i++)
		total += ev->segs[i].len;
	return total;
}

/* ---- starting a transfer ------------------------------------------------------ */

/* A KeFlushIoBuffers before this new transfer (@m, not shared yet): its
 * direction contradicts the transfer's (DC010), or it covered it. */
/* DC013 (KeFlushIoBuffers not needed here), naming @other if known */
static int add_redundant(struct coh_sim *s, uint16_t rule, unsigned dev, uint64_t addr,
			 uint64_t n, uint64_t other)
{
	struct new_finding f = {
		.id = COH_DC013, .rule = rule, .flags = COH_FF_INFO, .dev = dev, .cpu = -1,
		.addr = addr, .len = n, .bus = COH_ADDR_NONE, .other_seq = other,
		.omitted = COH_EV_NONE,
	};
	int err = coh_finding_add(s, &f, NULL);

	return err < 0 ? err : 0;
}

static int ke_flush_dir_check(struct coh_sim *s, struct mapping *m, bool wtd, bool v3)
{
	for (unsigned j = 1; j <= KFLUSH_RING; j++) {             /* newest first */
		struct ke_flush_note *k = &s->kf[(s->kf_next + KFLUSH_RING - j) % KFLUSH_RING];

		for (uint32_t g = 0; k->valid && g < m->nsegs; g++) {
			const struct map_segment *sg = &m->segs[g];

			if (k->addr >= sg->phys + sg->len || sg->phys >= k->addr + k->len)
				continue;
			k->valid = 0;               /* consumed by this transfer */
			if ((bool)k->read_op == wtd)
				return add(s, COH_DC010, COH_R_DIR_FLUSH, m, 0, COH_EV_KE_FLUSH);
			m->flags |= MF_KFLUSHED;
			if (k->v3_pending && v3)    /* MapTransferEx does it itself */
				return add_redundant(s, COH_R_REDUNDANT_V3, m->dev, k->addr,
						     k->len, k->seq);
			break;
		}
	}
	return 0;
}

/* A new transfer on a map-register base ends the flushed ones before it. */
static int retire_flushed(struct coh_sim *s, unsigned dev, uint64_t handle)
{
	for (uint32_t i = s->maps.n; i-- > 0;) {
		struct mapping *m = s->maps.v[i];
		int err;

		if (m->dev == dev && m->handle == handle && is_xfer(m) && (m->flags & MF_FLUSHED) &&
		    (err = xfer_remove(s, m)) < 0)
			return err;
	}
	return 0;
}

static int start_transfer(struct coh_sim *s, const struct coh_event *ev, unsigned kind, bool v3)
{
	const struct coh_dev_cfg *d = dcfg(s, ev->dev);
	bool wtd = ev->flags & COH_F_WRITE_TO_DEVICE, outside;
	uint64_t len = kind == COH_MAP_WIN_SG && !ev->len ? chain_len(ev) : ev->len;
	struct coh_seg *segs = malloc(ev->nsegs * sizeof(*segs));
	uint32_t flags = MF_OWNED | MF_CACHED | (d->bounce ? MF_BOUNCED : 0) |
			 (wtd ? MF_WTD : 0);
	struct mapping *m = NULL;
	uint32_t n;
	int err;

	if (!segs)
		return -COH_E_NOMEM;
	n = chain_pieces(ev, ev->off, len, segs, &outside);
	if ((err = retire_flushed(s, ev->dev, ev->handle)) < 0)
		goto out;
	if (outside && (err = add(s, COH_DC011, COH_R_EX_RANGE, NULL, ev->dev, COH_EV_NONE)) < 0)
		goto out;
	if (!n)
		goto out;
	for (uint32_t i = 0; i < n && wtd && (ev->flags & COH_F_INFER); i++) {
		s->inferring = true;
		err = coh_cpu_write(s, ev->cpu, segs[i].addr, segs[i].len, NULL);
		s->inferring = false;
		if (err < 0)
			goto out;
	}
	err = -COH_E_NOMEM;
	if (!(m = coh_map_new(s, kind, ev->dev, wtd ? COH_DIR_TO_DEVICE : COH_DIR_FROM_DEVICE, segs, n,
			  flags)))
		goto out;
	m->handle = ev->handle;
	m->irp = ev->irp;
	m->flags |= v3 ? MF_EX : 0;
	if ((err = coh_map_insert(s, m)) < 0 || (err = ke_flush_dir_check(s, m, wtd, v3)) < 0)
		goto out;
	if (v3 && !d->coherent && !(m->flags & MF_BOUNCED) &&
	    (err = coh_map_pieces(s, m, 0, m->len, wtd ? P_CLEAN : P_CLEAN_INVAL)) < 0)
		goto out;
	if ((m->flags & MF_BOUNCED) && wtd && (err = coh_map_pieces(s, m, 0, m->len, P_TO_SLOT)) < 0)
		goto out;
	err = coh_own_give(s, &m, 0, m->len, true);
out:
	free(segs);
	return err;
}

/* ---- flushing ------------------------------------------------------------------ */

/* FlushAdapterBuffers(Ex) / PutScatterGatherList work on transfer bytes
 * [off, off + n) at [phys, phys + n). */
static int flush_piece(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t phys,
		       uint64_t n, bool wtd, bool invalidate)
{
	struct mapping *m = *mp;
	struct device_state *ds = &s->dev[m->dev];
	int err;

	if ((s->ev->flags & COH_F_INFER) && (err = coh_infer_device(s, mp, off, n)) < 0)
		return err;
	m = *mp;
	if ((err = coh_adapter_drain(s, m->dev, &ds->ctrl, m->id, phys, phys + n,
			       ds->ctrl.dir == COH_DIR_FROM_DEVICE)) < 0 ||
	    (err = coh_adapter_drain(s, m->dev, &ds->posted, m->id, phys, phys + n, true)) < 0)
		return err;
	if ((m->flags & MF_BOUNCED) && !wtd && (err = coh_map_pieces(s, m, off, n, P_TO_BUF)) < 0)
		return err;
	if (invalidate && !wtd && !dcfg(s, m->dev)->coherent && !(m->flags & MF_BOUNCED) &&
	    (err = coh_map_pieces(s, m, off, n, P_INVAL)) < 0)
		return err;
	if ((err = coh_own_handover(s, mp, off, n)) < 0)
		return err;
	return coh_own_give(s, mp, off, n, false);
}

/* Flush the parts of transfer @m that lie in the chain pieces. */
static int flush_transfer(struct coh_sim *s, struct mapping *m, const struct coh_seg *pieces,
			  uint32_t np, bool wtd, bool invalidate)
{
	for (uint32_t p = 0; p < np; p++) {
		for (uint32_t g = 0; g < m->nsegs; g++) {
			const struct map_segment *sg = &m->segs[g];
			uint64_t lo = MAX(pieces[p].addr, sg->phys);
			uint64_t hi = MIN(pieces[p].addr + pieces[p].len, sg->phys + sg->len);
			int err;

			if (lo >= hi)
				continue;
			err = flush_piece(s, &m, sg->off + (lo - sg->phys), lo, hi - lo, wtd,
					  invalidate);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

/* Whether the chain pieces of a flush touch transfer @m at all. */
static bool flush_touches(const struct mapping *m, const struct coh_seg *pieces, uint32_t np)
{
	for (uint32_t p = 0; p < np; p++)
		for (uint32_t g = 0; g < m->nsegs; g++)
			if (MAX(pieces[p].addr, m->segs[g].phys) <
			    MIN(pieces[p].addr + pieces[p].len, m->segs[g].phys + m->segs[g].len))
				return true;
	return false;
}

static bool signals_done(const struct coh_sim *s, unsigned dev)
{
	return dcfg(s, dev)->signals_done || (s->done_devs[dev / 64] & (1ull << (dev % 64)));
}

/* After a flush: DC005/DC010, flags, and the inferred CPU read. */
static int after_flush(struct coh_sim *s, struct mapping *m, bool wtd, bool ok)
{
	bool premature = signals_done(s, m->dev) && !(m->flags & MF_DONE);
	int err;

	if (premature && (err = add(s, COH_DC005, COH_R_PREMATURE_FLUSH, m, 0, COH_EV_DEV_DONE)) < 0)
		return err;
	if (wtd != (bool)(m->flags & MF_WTD) &&
	    (err = add(s, COH_DC010, COH_R_DIR_FLUSH, m, 0, COH_EV_NONE)) < 0)
		return err;
	if (!(m = coh_map_rw(s, m)))
		return -COH_E_NOMEM;
	m->flags |= MF_FLUSHED | (premature ? MF_CUT : 0);
	m->last_flush = ok;
	if ((s->ev->flags & COH_F_INFER) && !wtd && ok) {
		s->inferring = true;
		err = coh_map_pieces(s, m, 0, m->len, P_CPU_READ);
		s->inferring = false;
		return err;
	}
	return 0;
}

static int flush(struct coh_sim *s, const struct coh_event *ev, bool ex)
{
	bool wtd = ev->flags & COH_F_WRITE_TO_DEVICE, outside, ok = true;
	struct coh_seg *pieces = malloc(ev->nsegs * sizeof(*pieces));
	uint32_t np, hits = 0;
	int err = 0;

	if (!pieces)
		return -COH_E_NOMEM;
	/* FlushAdapterBuffers flushes one MDL; Ex the chain from Offset */
	np = chain_pieces(ev, ev->off, ev->len, pieces, &outside);
	if (ex && outside) {
		s->last_result = COH_STATUS_INVALID_PARAMETER;
		ok = false;
		err = add(s, COH_DC011, COH_R_EX_RANGE, NULL, ev->dev, COH_EV_NONE);
	} else if (ev->flags & COH_F_STATUS) {
		ok = ex ? ev->status >= 0 : ev->status != 0;
		s->last_result = ex ? ev->status : ok;
	} else {
		s->last_result = ex ? COH_STATUS_SUCCESS : 1;
	}
	for (uint32_t i = s->maps.n; !err && i-- > 0;) {
		struct mapping *m = s->maps.v[i];

		if (m->dev != ev->dev || m->handle != ev->handle || !is_xfer(m))
			continue;
		/* a flush of a known range ends only the transfers it covers: the
		 * others on the same map registers still owe theirs (DC008) */
		if (ok && np && !flush_touches(m, pieces, np))
			continue;
		hits++;
		if (ok && (err = flush_transfer(s, m, pieces, np, wtd, ex)) < 0)
			break;
		m = s->maps.v[i];
		err = after_flush(s, m, wtd, ok);
	}
	if (!err && !hits)
		err = add(s, COH_UNKNOWN, COH_R_UNKNOWN_RANGE, NULL, ev->dev, COH_EV_NONE);
	free(pieces);
	return err;
}

static int put_sg(struct coh_sim *s, const struct coh_event *ev)
{
	struct mapping *m = coh_map_by_handle(s, ev->dev, ev->handle);
	bool wtd = ev->flags & COH_F_WRITE_TO_DEVICE;
	bool v3 = dcfg(s, ev->dev)->dma_version >= 3;
	int err;

	if (!m || m->kind != COH_MAP_WIN_SG)
		return add(s, COH_PRETRACE, COH_R_PRETRACE, NULL, ev->dev, COH_EV_NONE);
	for (uint32_t g = 0; g < m->nsegs; g++) {
		struct mapping *cur = coh_map_by_handle(s, ev->dev, ev->handle);

		if ((err = flush_piece(s, &cur, m->segs[g].off, m->segs[g].phys, m->segs[g].len,
				       wtd, v3)) < 0)
			return err;
		m = cur;
	}
	if ((err = after_flush(s, m, wtd, true)) < 0)
		return err;
	return xfer_remove(s, coh_map_by_handle(s, ev->dev, ev->handle));
}

/* ---- the end of a transfer ------------------------------------------------------- */

/* Remember a freed transfer whose IRP is still open, for DC009 later. */
static void note_irp(struct coh_sim *s, const struct mapping *m)
{
	if (!m->irp || (m->flags & MF_IRP_DONE))
		return;
	s->irps[s->irp_next] = (struct irp_note){
		.irp = m->irp, .made_seq = m->made_seq, .last_flush = (int8_t)m->last_flush,
		.addr = m->nsegs ? m->segs[0].phys : COH_ADDR_NONE, .len = m->len,
		.flushed = !!(m->flags & MF_FLUSHED), .dev = m->dev,
	};
	s->irp_next = (s->irp_next + 1) % IRP_NOTES;
}

static int free_transfers(struct coh_sim *s, const struct coh_event *ev, bool by_handle)
{
	int err;

	for (uint32_t i = s->maps.n; i-- > 0;) {
		struct mapping *m = s->maps.v[i];

		if (m->dev != ev->dev || m->kind != COH_MAP_TRANSFER ||
		    (by_handle && m->handle != ev->handle))
			continue;
		if ((err = end_checks(s, &m, false)) < 0)
			return err;
		note_irp(s, m);
		if ((err = xfer_remove(s, m)) < 0)
			return err;
	}
	return 0;
}

static int irp_complete(struct coh_sim *s, const struct coh_event *ev)
{
	bool success = ev->status >= 0;
	int err;

	for (unsigned i = 0; i < IRP_NOTES; i++) {
		struct irp_note *n = &s->irps[i];

		if (!n->irp || n->irp != ev->irp)
			continue;
		if (n->flushed && n->last_flush == 0 && success) {
			struct new_finding f = {
				.id = COH_DC009, .rule = COH_R_STATUS_IGNORED, .dev = n->dev,
				.cpu = -1, .addr = n->addr, .len = n->len, .bus = COH_ADDR_NONE,
				.other_seq = n->made_seq, .omitted = COH_EV_NONE,
			};

			if ((err = coh_finding_add(s, &f, NULL)) < 0)
				return err;
		}
		n->irp = 0;
	}

	for (uint32_t i = 0; i < s->maps.n; i++) {
		struct mapping *m = s->maps.v[i];

		if (!is_xfer(m) || m->irp != ev->irp || (m->flags & MF_IRP_DONE))
			continue;
		if ((err = end_checks(s, &m, !success)) < 0)
			return err;
		if ((m->flags & MF_FLUSHED) && m->last_flush == 0 && success &&
		    (err = add(s, COH_DC009, COH_R_STATUS_IGNORED, m, 0, COH_EV_NONE)) < 0)
			return err;
		if (!(m = coh_map_rw(s, m)))
			return -COH_E_NOMEM;
		m->flags |= MF_IRP_DONE;
	}
	return 0;
}

int coh_windows_dev_done(struct coh_sim *s, const struct coh_event *ev)
{
	s->done_devs[ev->dev / 64] |= 1ull << (ev->dev % 64);
	for (uint32_t i = 0; i < s->maps.n; i++) {
		struct mapping *m = s->maps.v[i];

		if (m->dev != ev->dev || (ev->handle != COH_ADDR_NONE && m->handle != ev->handle) ||
		    (m->flags & MF_DONE))
			continue;
		if (!(m = coh_map_rw(s, m)))
			return -COH_E_NOMEM;
		m->flags |= MF_DONE;
	}
	return 0;
}

/* ---- KeFlushIoBuffers, common buffers -------------------------------------------- */

static bool uncached_range(const struct coh_sim *s, uint64_t addr, uint64_t n)
{
	struct map_entry ov[MAX_OVL];
	size_t k;

	if (!coh_mem_nunc(s, addr, n))
		return false;
	k = coh_map_overlaps(s, addr, addr + n, ov, MAX_OVL);
	for (size_t i = 0; i < k; i++)
		if (!(ov[i].m->flags & MF_CACHED) && ov[i].start <= addr && ov[i].end >= addr + n)
			return true;
	return false;
}

/* DC013 at once where the platform or the memory makes the flush needless,
 * or it repeats one with nothing in between.  With a version 3 adapter the
 * flush is needless only before a version 3 transfer (MapTransferEx, a v3
 * scatter/gather list), which does that maintenance itself; before
 * MapTransfer it is still owed: 1 says the judgement waits for the transfer
 * (ke_flush_dir_check). */
static int ke_flush_redundant(struct coh_sim *s, const struct coh_event *ev, uint64_t addr,
			      uint64_t n, bool read_op)
{
	const struct coh_dev_cfg *d = dcfg(s, ev->dev);
	uint16_t rule = 0;

	if (d->coherent)
		rule = COH_R_REDUNDANT_COHERENT;
	else if (uncached_range(s, addr, n))
		rule = COH_R_REDUNDANT_UNCACHED;
	for (unsigned i = 0; !rule && i < KFLUSH_RING; i++) {
		const struct ke_flush_note *k = &s->kf[i];

		if (k->seq != COH_SEQ_NONE && k->len && k->addr == addr && k->len == n &&
		    (bool)k->read_op == read_op && k->nacc == s->nacc)
			rule = COH_R_REDUNDANT_REPEAT;
	}
	if (!rule)
		return d->dma_version >= 3;
	return add_redundant(s, rule, ev->dev, addr, n, COH_SEQ_NONE);
}

static int ke_flush(struct coh_sim *s, const struct coh_event *ev)
{
	uint64_t addr = ev->segs[0].addr, n = ev->segs[0].len;
	bool read_op = ev->flags & COH_F_READ_OP;
	struct map_entry ov[MAX_OVL];
	size_t k;
	int err, pending;

	if (!(ev->flags & COH_F_DMA_OP))
		return 0;                     /* PIO: no DMA maintenance */
	if ((pending = ke_flush_redundant(s, ev, addr, n, read_op)) < 0)
		return pending;
	k = coh_map_overlaps(s, addr, addr + n, ov, MAX_OVL);
	for (size_t i = 0; i < k; i++) {
		struct mapping *m = ov[i].m;
		const struct map_segment *g = &m->segs[ov[i].seg];
		uint64_t lo = MAX(addr, g->phys), hi = MIN(addr + n, g->phys + g->len);

		if (!is_xfer(m))
			continue;
		if (read_op == (bool)(m->flags & MF_WTD) &&
		    (err = add(s, COH_DC010, COH_R_DIR_FLUSH, m, 0, COH_EV_NONE)) < 0)
			return err;
		if (read_op != (bool)(m->flags & MF_WTD) && !(m->flags & MF_KFLUSHED)) {
			if (!(m = coh_map_rw(s, m)))
				return -COH_E_NOMEM;
			m->flags |= MF_KFLUSHED;
		}
		/* for memory->device it is the Windows sync for the device: CPU
		 * writes made since the transfer began now reach it */
		if (!read_op && (err = coh_own_give(s, &m, g->off + (lo - g->phys), hi - lo, true)) < 0)
			return err;
		for (size_t j = i + 1; j < k; j++)
			if (ov[j].m == ov[i].m)
				ov[j].m = m;
	}
	if (!dcfg(s, ev->dev)->coherent) {
		if ((err = coh_cache_clean_range(s, addr, n)) < 0)
			return err;
		if (read_op && (err = coh_cache_inval_range(s, addr, n)) < 0)
			return err;
	}
	s->kf[s->kf_next] = (struct ke_flush_note){ addr, n, s->seq, s->nacc, read_op, 1,
						     (uint8_t)pending };
	s->kf_next = (s->kf_next + 1) % KFLUSH_RING;
	return 0;
}

static int common_buffer(struct coh_sim *s, const struct coh_event *ev)
{
	struct coh_seg g = { ev->addr, ev->bus != COH_ADDR_NONE ? ev->bus : ev->addr, ev->len };
	uint32_t flags = (ev->flags & COH_F_CACHE_ENABLED) ? MF_CACHED : 0;
	struct mapping *m = coh_map_new(s, COH_MAP_COMMON, ev->dev, COH_DIR_BIDIRECTIONAL, &g, 1, flags);

	if (!m)
		return -COH_E_NOMEM;
	s->last_result = 1;
	return coh_map_insert(s, m);
}

static int free_common(struct coh_sim *s, const struct coh_event *ev)
{
	struct mapping *m = ev->addr != COH_ADDR_NONE ?
		coh_map_by_phys_start(s, ev->dev, ev->addr, COH_MAP_COMMON) :
		coh_map_by_start(s, ev->dev, ev->bus);
	int err;

	if (!m || m->kind != COH_MAP_COMMON)
		return add(s, COH_PRETRACE, COH_R_PRETRACE, NULL, ev->dev, COH_EV_NONE);
	if (ev->len && ev->len != m->len &&
	    (err = add(s, COH_DC011, COH_R_FREE_SIZE, m, 0, COH_EV_NONE)) < 0)
		return err;
	return coh_map_remove(s, m);
}

int coh_windows_apply(struct coh_sim *s, const struct coh_event *ev)
{
	switch (ev->kind) {
	case COH_EV_ALLOC_COMMON:
		return common_buffer(s, ev);
	case COH_EV_FREE_COMMON:
		return free_common(s, ev);
	case COH_EV_KE_FLUSH:
		return ke_flush(s, ev);
	case COH_EV_MAP_TRANSFER:
		return start_transfer(s, ev, COH_MAP_TRANSFER, false);
	case COH_EV_MAP_TRANSFER_EX:
		return start_transfer(s, ev, COH_MAP_TRANSFER, true);
	case COH_EV_GET_SG:
		return start_transfer(s, ev, COH_MAP_WIN_SG, dcfg(s, ev->dev)->dma_version >= 3);
	case COH_EV_FLUSH_ADAPTER:
		return flush(s, ev, false);
	case COH_EV_FLUSH_ADAPTER_EX:
		return flush(s, ev, true);
	case COH_EV_PUT_SG:
		return put_sg(s, ev);
	case COH_EV_FREE_MAP_REGS:
		return free_transfers(s, ev, true);
	case COH_EV_FREE_ADAPTER:
		return free_transfers(s, ev, false);
	case COH_EV_IRP_COMPLETE:
		return irp_complete(s, ev);
	}
	return -COH_E_KIND;
}
