/* SPDX-License-Identifier: MIT */
/*
 * own.c - per-byte ownership of mappings (DC006), shared granules (DC007),
 * and handing device writes over to the CPU.
 *
 * Each byte of a streaming mapping, noncoherent allocation or Windows
 * transfer is owned by the CPU or the device (OWN_DEV), and remembers
 * whether the CPU wrote it since gaining it (OWN_CPUW) or while the device
 * owned it without a sync_for_device since (OWN_PENDW, reported once:
 * OWN_REPORTED).  Partial syncs move only their range.  Bytes mapped
 * TO/BIDIRECTIONAL with DMA_ATTR_SKIP_CPU_SYNC and not synced for the device
 * since (OWN_SKIP) are the device's, but the CPU's to read and write: the
 * device reading them is judged by the data alone.
 */
#include "cache.h"
#include "finding-local.h"
#include "map.h"
#include "mem.h"
#include "own.h"
#include "sim-local.h"
#include "varr.h"

#define MAX_OVL 64

/* (own & DEV_ONLY) == OWN_DEV: owned by the device and not the CPU's under SKIP */
#define DEV_ONLY (OWN_DEV | OWN_SKIP)

static bool owned_kind(const struct mapping *m)
{
	return m->flags & MF_OWNED;
}

static bool reads_from_device(const struct mapping *m)
{
	return m->dir == COH_DIR_FROM_DEVICE || m->dir == COH_DIR_BIDIRECTIONAL;
}

/* First and last offset in [off, off + n) whose state matches (v & mask) == val. */
static bool own_find(const struct mapping *m, uint64_t off, uint64_t n, uint32_t mask,
		     uint32_t val, uint64_t *first, uint64_t *last)
{
	bool found = false;
	uint64_t i = 0, len;

	while (i < n) {
		uint32_t v = coh_varr_run(&m->own, off + i, n - i, &len);

		if ((v & mask) == val) {
			if (!found)
				*first = off + i;
			*last = off + i + len - 1;
			found = true;
		}
		i += len;
	}
	return found;
}

static uint64_t off_phys(const struct mapping *m, uint64_t off)
{
	uint64_t phys, avail;

	return coh_map_seg_phys(m, off, &phys, &avail) ? phys : COH_ADDR_NONE;
}

/* The versions behind an ownership finding, from mapping byte @first on:
 * a CPU read sees its view where the device's newest write is expected; a
 * device access sees the device's side where the CPU's newest write is. */
static uint32_t evidence(const struct coh_sim *s, const struct mapping *m, uint16_t rule,
			 uint64_t first, uint64_t last, int cpu, uint32_t *seen, uint32_t *exp)
{
	uint32_t n = 0;

	for (uint64_t off = first; off <= last && n < COH_EVIDENCE; off++, n++) {
		uint64_t phys, avail, len;

		if (!coh_map_seg_phys(m, off, &phys, &avail))
			break;
		if (rule == COH_R_CPU_READ_DEV_OWNED) {
			seen[n] = coh_view_run(s, cpu < 0 ? 0 : (unsigned)cpu, phys, 1, &len);
			exp[n] = MAX(MAX(coh_mem_get(s, F_CW, phys), coh_mem_get(s, F_HO, phys)),
				     coh_varr_get(&m->devw, off));
		} else {
			seen[n] = (m->flags & MF_BOUNCED) ? coh_varr_get(&m->slot, off)
							  : coh_mem_get(s, F_MEM, phys);
			exp[n] = coh_mem_get(s, F_CW, phys);
		}
	}
	return n;
}

static int add(struct coh_sim *s, const struct mapping *m, uint16_t id, uint16_t rule,
	       uint64_t first, uint64_t last, int cpu, uint16_t omitted, uint64_t other,
	       int64_t *idx)
{
	uint32_t seen[COH_EVIDENCE], exp[COH_EVIDENCE];
	struct new_finding f = {
		.id = id, .rule = rule, .dev = m->dev, .cpu = cpu,
		.addr = off_phys(m, first), .len = last - first + 1,
		.bus = COH_ADDR_NONE, .other_seq = other, .omitted = omitted,
		.seen = seen, .exp = exp,
	};
	uint32_t seg;

	if (rule == COH_R_CPU_READ_DEV_OWNED || rule == COH_R_CPU_WRITE_NO_SYNC ||
	    rule == COH_R_DEV_CPU_WRITTEN) {
		f.nev = evidence(s, m, rule, first, last, cpu, seen, exp);
		f.ev_addr = f.addr;
	}

	for (seg = 0; seg < m->nsegs; seg++)
		if (first >= m->segs[seg].off && first < m->segs[seg].off + m->segs[seg].len)
			break;
	if (seg < m->nsegs && m->segs[seg].bus != COH_ADDR_NONE)
		f.bus = m->segs[seg].bus + (first - m->segs[seg].off);
	if (rule == COH_R_CPU_WRITE_DEV_OWNED || rule == COH_R_DEV_CPU_OWNED ||
	    rule == COH_R_SYNC_CPU_OWNED)
		f.flags |= COH_FF_STRICT;
	return coh_finding_add(s, &f, idx);
}

static uint16_t sync_call(const struct mapping *m, bool for_device)
{
	if (m->kind == COH_MAP_TRANSFER || m->kind == COH_MAP_WIN_SG)
		return for_device ? COH_EV_KE_FLUSH : COH_EV_FLUSH_ADAPTER;
	return for_device ? COH_EV_DMA_SYNC_DEV : COH_EV_DMA_SYNC_CPU;
}

/* ---- CPU accesses -------------------------------------------------------- */

/* Any CPU access counts as "an access in between" for DC013. */
int coh_own_touch(struct coh_sim *s, uint64_t addr, uint64_t n)
{
	struct map_entry ov[MAX_OVL];
	size_t k = coh_map_overlaps(s, addr, addr + n, ov, MAX_OVL);

	for (size_t i = 0; i < k; i++) {
		struct mapping *m = ov[i].m;

		if (m->flags & MF_TOUCHED)
			continue;
		if (!(m = coh_map_rw(s, m)))
			return -COH_E_NOMEM;
		m->flags |= MF_TOUCHED;
		for (size_t j = i + 1; j < k; j++)
			if (ov[j].m == ov[i].m)
				ov[j].m = m;
	}
	return 0;
}

/* The CPU reads [addr, addr + n): device-owned FROM/BIDIR bytes are DC006. */
int coh_own_cpu_read(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n)
{
	struct map_entry ov[MAX_OVL];
	size_t k = coh_map_overlaps(s, addr, addr + n, ov, MAX_OVL);

	for (size_t i = 0; i < k; i++) {
		struct mapping *m = ov[i].m;
		const struct map_segment *g = &m->segs[ov[i].seg];
		uint64_t lo = MAX(addr, g->phys), hi = MIN(addr + n, g->phys + g->len);
		uint64_t first, last;
		int err;

		if (!owned_kind(m) || !reads_from_device(m))
			continue;
		if (!own_find(m, g->off + (lo - g->phys), hi - lo, DEV_ONLY, OWN_DEV, &first, &last))
			continue;
		err = add(s, m, COH_DC006, COH_R_CPU_READ_DEV_OWNED, first, last, (int)cpu,
			  sync_call(m, false), COH_SEQ_NONE, NULL);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Does the device own any byte of segment @g within [lo, hi)? */
static bool dev_owned_in(const struct mapping *m, const struct map_segment *g, uint64_t lo,
			 uint64_t hi)
{
	uint64_t first, last;

	lo = MAX(lo, g->phys);
	hi = MIN(hi, g->phys + g->len);
	return lo < hi && own_find(m, g->off + (lo - g->phys), hi - lo, DEV_ONLY, OWN_DEV,
				   &first, &last);
}

/* DC007: a write to bytes outside a device-owned FROM/BIDIR buffer that share
 * a cache line with it (where a noncoherent device reaches the buffer itself);
 * sharing only the platform's wider DMA granule is information. */
static int shared_line(struct coh_sim *s, unsigned cpu, struct mapping *m, const struct map_segment *g,
		       uint64_t addr, uint64_t n)
{
	const struct coh_dev_cfg *d = &s->plat.devs[m->dev];
	uint64_t L = s->plat.line, G = s->granule, end = addr + n;
	uint64_t gend = g->phys + g->len;
	struct { uint64_t lo, hi; } side[2] = {
		{ addr, MIN(end, g->phys) }, { MAX(addr, gend), end },
	};

	if (!reads_from_device(m) || d->coherent || (m->flags & MF_BOUNCED) ||
	    !(m->flags & MF_CACHED))
		return 0;
	for (int i = 0; i < 2; i++) {
		uint64_t lo = side[i].lo, hi = side[i].hi, at;
		uint16_t id = 0, rule = 0;
		struct new_finding f;

		if (lo >= hi)
			continue;
		at = i == 0 ? hi - 1 : lo;            /* the written byte nearest the buffer */
		if (dev_owned_in(m, g, at & ~(L - 1), (at & ~(L - 1)) + L)) {
			id = COH_DC007;
			rule = COH_R_SHARED_LINE;
		} else if (G > L && dev_owned_in(m, g, at & ~(G - 1), (at & ~(G - 1)) + G)) {
			id = COH_ALIGN;
			rule = COH_R_ALIGN;
		}
		if (!id)
			continue;
		/* the range is the shared line (or granule): the CPU's bytes and the
		 * buffer's, so the clobber and stale reads it causes hang under it */
		at &= ~((id == COH_DC007 ? L : G) - 1);
		f = (struct new_finding){
			.id = id, .rule = rule, .dev = m->dev, .cpu = (int)cpu, .addr = at,
			.len = id == COH_DC007 ? L : G, .bus = COH_ADDR_NONE,
			.other_seq = m->made_seq,
			.omitted = COH_EV_NONE,
			.flags = id == COH_ALIGN ? COH_FF_INFO : 0,
		};
		if (coh_finding_add(s, &f, NULL) < 0)
			return -COH_E_NOMEM;
	}
	return 0;
}

/* Mark CPU writes in the ownership state of segment @g (bytes [lo, hi)). */
static int mark_write(struct coh_sim *s, unsigned cpu, struct mapping **mp, uint32_t segi,
		      uint64_t lo, uint64_t hi)
{
	struct mapping *m = coh_map_rw(s, *mp);
	const struct map_segment *g;
	uint64_t off, n, i = 0, len, first, last;
	int err = 0;

	if (!m)
		return -COH_E_NOMEM;
	*mp = m;
	g = &m->segs[segi];
	off = g->off + (lo - g->phys);
	n = hi - lo;
	if ((s->flags & COH_SIM_STRICT) &&
	    own_find(m, off, n, DEV_ONLY, OWN_DEV, &first, &last) &&
	    (err = add(s, m, COH_DC006, COH_R_CPU_WRITE_DEV_OWNED, first, last, (int)cpu,
		       sync_call(m, false), COH_SEQ_NONE, NULL)) < 0)
		return err;
	while (i < n && !err) {
		uint32_t v = coh_varr_run(&m->own, off + i, n - i, &len);

		if (v & OWN_SKIP) {
			err = 0;                /* the CPU's until a sync_for_device */
		} else if (v & OWN_DEV) {
			err = coh_varr_or(s->heap, &m->own, off + i, len, OWN_PENDW);
			if (!err)
				err = coh_varr_andnot(s->heap, &m->own, off + i, len, OWN_REPORTED);
		} else {
			err = coh_varr_or(s->heap, &m->own, off + i, len, OWN_CPUW);
		}
		i += len;
	}
	return err;
}

/* The CPU writes [addr, addr + n). */
int coh_own_cpu_write(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n)
{
	struct map_entry ov[MAX_OVL];
	uint64_t wlo = coh_map_widen_lo(s, addr), wlen = coh_map_widen_len(s, addr, n);
	size_t k = coh_map_overlaps(s, wlo, wlen > UINT64_MAX - wlo ? UINT64_MAX : wlo + wlen, ov,
				MAX_OVL);
	int err;

	if (k == MAX_OVL)
		s->wide_full = true;

	for (size_t i = 0; i < k; i++) {
		struct mapping *m = ov[i].m;
		const struct map_segment *g = &m->segs[ov[i].seg];
		uint64_t lo = MAX(addr, g->phys), hi = MIN(addr + n, g->phys + g->len);

		if (!owned_kind(m))
			continue;
		if ((err = shared_line(s, cpu, m, g, addr, n)) < 0)
			return err;
		if (lo < hi && (err = mark_write(s, cpu, &ov[i].m, ov[i].seg, lo, hi)) < 0)
			return err;
		for (size_t j = i + 1; j < k; j++)   /* coh_map_rw may have copied it */
			if (ov[j].m == m)
				ov[j].m = ov[i].m;
	}
	return 0;
}

/* ---- device accesses, ends of ownership ---------------------------------- */

/* CPU writes made while the device owned the bytes, never synced for it:
 * DC006, once, at the first device access to them or the end of ownership. */
int coh_own_report_pending(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n)
{
	struct mapping *m = *mp;
	uint64_t first, last, phys;
	int err;

	if (!owned_kind(m) ||
	    !own_find(m, off, n, OWN_PENDW | OWN_REPORTED, OWN_PENDW, &first, &last))
		return 0;
	if (!(m = coh_map_rw(s, m)))
		return -COH_E_NOMEM;
	*mp = m;
	phys = off_phys(m, first);
	err = add(s, m, COH_DC006, COH_R_CPU_WRITE_NO_SYNC, first, last, -1,
		  sync_call(m, true),
		  phys == COH_ADDR_NONE ? COH_SEQ_NONE : (uint64_t)coh_mem_get(s, F_CW, phys) - 1,
		  NULL);
	if (!err)
		err = coh_varr_or(s->heap, &m->own, first, last - first + 1, OWN_REPORTED);
	return err;
}

/* The device reads or writes mapping bytes [off, off + n). */
int coh_own_dev_access(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n)
{
	uint64_t first, last, f2, l2;
	struct mapping *m;
	int err;

	if (!owned_kind(*mp))
		return 0;
	if ((err = coh_own_report_pending(s, mp, off, n)) < 0)
		return err;
	m = *mp;
	if (!own_find(m, off, n, OWN_DEV, 0, &first, &last))
		return 0;
	if (own_find(m, first, last - first + 1, OWN_DEV | OWN_CPUW, OWN_CPUW, &f2, &l2))
		return add(s, m, COH_DC006, COH_R_DEV_CPU_WRITTEN, f2, l2, -1,
			   sync_call(m, true), COH_SEQ_NONE, NULL);
	if (s->flags & COH_SIM_STRICT)
		return add(s, m, COH_DC006, COH_R_DEV_CPU_OWNED, first, last, -1,
			   sync_call(m, true), COH_SEQ_NONE, NULL);
	return 0;
}

/* sync_for_cpu of bytes the CPU already owns (strict). */
int coh_own_check_sync_cpu(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t n)
{
	uint64_t first, last;

	if (!(s->flags & COH_SIM_STRICT) || !owned_kind(m) ||
	    !own_find(m, off, n, OWN_DEV, 0, &first, &last))
		return 0;
	return add(s, m, COH_DC006, COH_R_SYNC_CPU_OWNED, first, last, -1, COH_EV_NONE,
		   COH_SEQ_NONE, NULL);
}

/* Ownership of [off, off + n) passes to the device or to the CPU. */
int coh_own_give(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n, bool to_dev)
{
	struct mapping *m;
	int err;

	if (!owned_kind(*mp) || !n)
		return 0;
	if (!(m = coh_map_rw(s, *mp)))
		return -COH_E_NOMEM;
	*mp = m;
	if (to_dev) {
		err = coh_varr_set(s->heap, &m->own, off, n, OWN_DEV);
	} else {
		err = coh_varr_set(s->heap, &m->own, off, n, 0);
	}
	return err;
}

/* Device writes of [off, off + n) not yet handed to the CPU now are. */
int coh_own_handover(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n)
{
	struct mapping *m = *mp;
	uint64_t i = 0, len;
	bool any = false;
	int err;

	while (i < n) {
		uint32_t v = coh_varr_run(&m->devw, off + i, n - i, &len);
		uint64_t done = 0;

		while (v && done < len) {
			uint64_t phys, avail;

			if (!coh_map_seg_phys(m, off + i + done, &phys, &avail)) {
				done++;
				continue;
			}
			avail = MIN(avail, len - done);
			if ((err = coh_mem_max(s, F_HO, phys, avail, v)) < 0)
				return err;
			done += avail;
			any = true;
		}
		i += len;
	}
	if (!any)
		return 0;
	if (!(m = coh_map_rw(s, m)))
		return -COH_E_NOMEM;
	*mp = m;
	return coh_varr_set(s->heap, &m->devw, off, n, 0);
}
