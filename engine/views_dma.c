/* SPDX-License-Identifier: MIT */
/*
 * views_dma.c - read-only views of bounce slots, Windows map buffers and
 * pending device writes of live mappings, as runs of one version.
 */
#include "map.h"
#include "sim-local.h"
#include "coh_sim_dma.h"

/* Runs of @va over the segments of @m; versions 0 left out when @skip0. */
static long runs(const struct mapping *m, const struct varr *va, bool skip0,
		 struct coh_buf_run *out, size_t max)
{
	size_t n = 0;

	for (uint32_t g = 0; g < m->nsegs; g++) {
		const struct map_segment *sg = &m->segs[g];

		for (uint64_t k = 0, len; k < sg->len; k += len) {
			uint32_t v = coh_varr_run(va, sg->off + k, sg->len - k, &len);

			if (skip0 && !v)
				continue;
			if (n < max)
				out[n] = (struct coh_buf_run){
					.off = sg->off + k, .len = len, .ver = v,
					.addr = sg->phys == COH_ADDR_NONE ? COH_ADDR_NONE
									  : sg->phys + k,
					.bus = sg->bus + k };
			n++;
		}
	}
	return (long)n;
}

static bool windows_transfer(const struct mapping *m)
{
	return m->kind == COH_MAP_TRANSFER || m->kind == COH_MAP_WIN_SG;
}

static bool windows_kind(const struct mapping *m)
{
	return windows_transfer(m) || m->kind == COH_MAP_COMMON;
}

long coh_sim_bounce_slots(const struct coh_sim *s, size_t i, struct coh_buf_run *out,
			  size_t max)
{
	const struct mapping *m = i < s->maps.n ? s->maps.v[i] : NULL;

	if (!m || !(m->flags & MF_BOUNCED) || windows_kind(m))
		return -COH_E_INVAL;
	return runs(m, &m->slot, false, out, max);
}

long coh_sim_map_buffers(const struct coh_sim *s, size_t i, struct coh_buf_run *out,
			 size_t max)
{
	const struct mapping *m = i < s->maps.n ? s->maps.v[i] : NULL;

	if (!m || !(m->flags & MF_BOUNCED) || !windows_transfer(m))
		return -COH_E_INVAL;
	return runs(m, &m->slot, false, out, max);
}

long coh_sim_pending_writes(const struct coh_sim *s, size_t i, struct coh_buf_run *out,
			    size_t max)
{
	const struct mapping *m = i < s->maps.n ? s->maps.v[i] : NULL;

	if (!m)
		return -COH_E_INVAL;
	return runs(m, &m->devw, true, out, max);
}
