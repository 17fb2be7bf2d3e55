/* SPDX-License-Identifier: MIT */
/*
 * granule.c - a replay's results at the cache line's DMA granule, derived
 * from a replay of the same events at a wider granule: the platform
 * matrix's arm64 presets (128-byte granule) and the Windows presets that
 * equal them but for the granule (the cache line's, 64 bytes) need one
 * replay, not two.
 *
 * Why the two replays differ only in what is undone here (s->granule's
 * readers, each checked):
 * - own.c shared_line() raises COH_ALIGN, information, only when the
 *   granule is wider than the line; DC007 looks at the written byte's own
 *   line, which a mapping outside the line-widened range never reaches.
 *   Information findings are never a root (finding.c find_cause(),
 *   finding_log.c coh_finding_root_at() skip them) and never counted by
 *   the look-back, so the other findings and their roots are the same;
 *   only their indexes move down past the dropped ones.  A finding index
 *   kept elsewhere (a Windows transfer's noflush_root, an explicit parent
 *   from xfer_cause.c) exists only for Windows calls: a source holding one
 *   is not derived (run_platforms.c).
 * - own.c coh_own_cpu_write() looks up the mappings within the widened
 *   range; beyond shared_line() it changes only those the write meets
 *   itself (mark_write()), which the narrower look-up finds as well: unless
 *   the wider one was cut at its room (s->wide_full), then it is not
 *   derived.
 * - map.c counts each live mapping in the pages its widened range touches
 *   (page.nmap), which say whether an access must look for mappings near
 *   it (access.c, sim_fast.c).  A granule is a power of two of at most a
 *   page (coh_platform_check()), so widening never leaves a page: the
 *   counts, part of the state and its hash, are the same at either.
 */
#include <stdlib.h>
#include <string.h>

#include "finding-local.h"
#include "mem.h"
#include "sim-local.h"

/* Drop the COH_ALIGN findings of @s (its own log), each later finding's
 * root index moved down past those dropped before it (a root comes before
 * its consequences).  Return: 0, or -COH_E_NOMEM. */
static int drop_align(struct coh_sim *s)
{
	size_t *below = malloc((s->nfind + 1) * sizeof(*below)), kept = 0;

	if (!below)
		return -COH_E_NOMEM;
	below[0] = 0;                  /* below[i]: COH_ALIGN findings before i */
	for (size_t i = 0; i < s->nfind; i++) {
		struct coh_finding *f = finding_at(s, i);

		below[i + 1] = below[i] + (f->id == COH_ALIGN);
		if (f->id == COH_ALIGN)
			continue;
		if (f->parent >= 0 && (size_t)f->parent < i)
			f->parent -= (int64_t)below[f->parent];
		if (kept != i)
			*finding_at(s, kept) = *f;
		kept++;
	}
	free(below);
	s->nfind = kept;
	if (s->finding_log)
		s->finding_log->n = kept;
	return 0;
}

/**
 * coh_sim_at_line_granule - what replaying @wide's events on @p would have
 * given, where @p equals @wide's platform but for its DMA granule, which is
 * @p's cache line (and @wide's is wider)
 * @err: set to -COH_E_* when NULL is returned
 *
 * Return: a new simulation (free it with coh_sim_free()), or NULL: out of
 * memory, or -COH_E_INVAL when it cannot be derived (the platforms differ
 * otherwise, or a look-up at the wider granule was cut short); then
 * replay @p instead.
 */
struct coh_sim *coh_sim_at_line_granule(const struct coh_sim *wide, const struct coh_platform *p,
					int *err)
{
	struct coh_sim *c;

	*err = -COH_E_INVAL;
	if (wide->wide_full || coh_platform_granule(p) != p->line || p->line != wide->plat.line ||
	    wide->granule <= wide->plat.line || wide->granule > PG_SIZE)
		return NULL;
	*err = -COH_E_NOMEM;
	if (!(c = coh_sim_clone_alone(wide)))
		return NULL;
	c->plat.dma_align = p->dma_align;
	memcpy(c->plat.name, p->name, sizeof(c->plat.name));
	c->granule = p->line;
	if (drop_align(c) < 0) {
		coh_sim_free(c);
		return NULL;
	}
	*err = 0;
	return c;
}
