/* SPDX-License-Identifier: MIT */
/*
 * skip.c - device writes that a DMA_ATTR_SKIP_CPU_SYNC unmap left unsynced
 * for the CPU.
 *
 * Unmapping a FROM_DEVICE/BIDIRECTIONAL mapping with SKIP_CPU_SYNC does no
 * invalidate and no copy-back (dma_direct_unmap_page, swiotlb_tbl_unmap_single
 * skip both), so the device writes made after the last dma_sync_*_for_cpu
 * covering them reach the CPU only where nothing of theirs was cached.  The
 * engine remembers those bytes until the CPU writes them or a new mapping
 * covers them.  The first CPU read of them that the data did not already
 * show stale is DC001 (a missing sync_for_cpu before the unmap): latent on a
 * noncoherent, non-speculative platform (stale only if a line of the buffer
 * was cached, which the trace cannot show), plain where speculation or bounce
 * buffers make it stale.
 */
#include "finding-local.h"
#include "map.h"
#include "sim-local.h"
#include "skip.h"
#include "varr.h"

static void put(struct coh_sim *s, const struct skipped *r)
{
	struct skipped *slot = &s->skipped[s->skip_next];

	if (!slot->len)
		s->nskip++;
	*slot = *r;
	s->skip_next = (s->skip_next + 1) % SKIP_RING;
}

static void drop(struct coh_sim *s, struct skipped *r)
{
	if (r->len) {
		r->len = 0;
		s->nskip--;
	}
}

/* Device address of mapping byte @off, or COH_ADDR_NONE. */
static uint64_t bus_of(const struct mapping *m, uint64_t off)
{
	for (uint32_t i = 0; i < m->nsegs; i++) {
		const struct map_segment *g = &m->segs[i];

		if (off >= g->off && off < g->off + g->len)
			return g->bus == COH_ADDR_NONE ? g->bus : g->bus + (off - g->off);
	}
	return COH_ADDR_NONE;
}

/* Remember the device-written bytes of mapping bytes [off, off + n) that no
 * sync_for_cpu handed over, contiguous pieces as one record each. */
int coh_skip_note_unmap(struct coh_sim *s, const struct mapping *m, uint64_t off, uint64_t n)
{
	struct skipped r = { .unmap_seq = s->seq, .dev = m->dev };
	uint64_t i = 0, len;

	while (i < n) {
		uint32_t v = coh_varr_run(&m->devw, off + i, n - i, &len);
		uint64_t phys, avail;

		if (!v || !coh_map_seg_phys(m, off + i, &phys, &avail)) {
			i += v ? 1 : len;
			continue;
		}
		len = MIN(len, avail);
		if (r.len && r.phys + r.len == phys) {
			r.len += len;
			r.ver = MAX(r.ver, v);
		} else {
			if (r.len)
				put(s, &r);
			r.phys = phys;
			r.len = len;
			r.ver = v;
			r.bus = bus_of(m, off + i);
		}
		i += len;
	}
	if (r.len)
		put(s, &r);
	return 0;
}

/* The CPU wrote [addr, addr + n), or a new mapping covers it: its bytes are
 * no longer the unmapped device writes. */
void coh_skip_forget(struct coh_sim *s, uint64_t addr, uint64_t n)
{
	uint64_t end = addr + n < addr ? UINT64_MAX : addr + n;

	for (unsigned i = 0; s->nskip && i < SKIP_RING; i++) {
		struct skipped *r = &s->skipped[i];
		uint64_t rend = r->phys + r->len;

		if (!r->len || end <= r->phys || addr >= rend)
			continue;
		if (addr > r->phys && end < rend) {          /* a hole: keep both sides */
			struct skipped right = *r;

			right.phys = end;
			right.len = rend - end;
			if (right.bus != COH_ADDR_NONE)
				right.bus += end - r->phys;
			r->len = addr - r->phys;
			put(s, &right);
		} else if (addr > r->phys) {
			r->len = addr - r->phys;
		} else if (end < rend) {
			if (r->bus != COH_ADDR_NONE)
				r->bus += end - r->phys;
			r->len = rend - end;
			r->phys = end;
		} else {
			drop(s, r);
		}
	}
}

/* Is the device of @dev's records stale by the rules alone (latent)? */
static bool latent(const struct coh_sim *s, unsigned dev)
{
	const struct coh_dev_cfg *d = dcfg(s, dev);

	return !d->coherent && !d->bounce && !s->plat.speculative;
}

/* The CPU read [addr, addr + n); the read found bytes [slo, shi) stale (slo ==
 * shi: none).  DC001 for remembered bytes the data did not show stale. */
int coh_skip_check_read(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n, uint64_t slo,
		    uint64_t shi)
{
	uint64_t end = addr + n < addr ? UINT64_MAX : addr + n;

	for (unsigned i = 0; s->nskip && !s->inferring && i < SKIP_RING; i++) {
		struct skipped *r = &s->skipped[i];
		uint64_t lo = MAX(addr, r->phys), hi = MIN(end, r->phys + r->len);
		struct new_finding f;

		if (!r->len || lo >= hi)
			continue;
		if (slo < shi && slo < hi && lo < shi) {     /* reported from the data */
			drop(s, r);
			continue;
		}
		f = (struct new_finding){
			.id = COH_DC001, .rule = COH_R_STALE_SKIP_UNMAP, .dev = r->dev, .cpu = (int)cpu,
			.addr = lo, .len = hi - lo,
			.bus = r->bus == COH_ADDR_NONE ? r->bus : r->bus + (lo - r->phys),
			.other_seq = r->unmap_seq, .omitted = COH_EV_DMA_SYNC_CPU,
			.flags = latent(s, r->dev) ? COH_FF_LATENT : 0,
		};
		drop(s, r);
		if (coh_finding_add(s, &f, NULL) < 0)
			return -COH_E_NOMEM;
	}
	return 0;
}

uint64_t coh_skip_hash(const struct coh_sim *s, uint64_t h)
{
	h = mix(mix(h, s->nskip), s->skip_next);
	for (unsigned i = 0; i < SKIP_RING; i++)
		if (s->skipped[i].len)
			h = mix(mix(mix(mix(h, s->skipped[i].phys), s->skipped[i].len),
				    s->skipped[i].unmap_seq), s->skipped[i].ver);
	return h;
}
