/* SPDX-License-Identifier: MIT */
/*
 * finding_log.c - the log of findings a simulation raised, and the search of
 * it for a root finding.
 *
 * The log is a shared_log (append-only, shared between clones); a
 * simulation's findings are its first nfind entries.
 */
#include "finding-local.h"
#include "shared_log.h"
#include "sim-local.h"

/**
 * coh_finding_log_clone - @dst shares the findings of @src
 *
 * Return: 0.
 */
int coh_finding_log_clone(struct coh_sim *dst, const struct coh_sim *src)
{
	dst->finding_log = coh_shared_log_share(src->finding_log);
	dst->nfind = src->nfind;
	return 0;
}

/**
 * coh_finding_log_release - @s lets go of its findings
 */
void coh_finding_log_release(struct coh_sim *s)
{
	coh_shared_log_put(s->heap, s->finding_log);
	s->finding_log = NULL;
	s->nfind = 0;
}

/**
 * coh_finding_log_room - make room for one more finding at index nfind
 *
 * Return: 0, or -COH_E_NOMEM.
 */
int coh_finding_log_room(struct coh_sim *s)
{
	return coh_shared_log_room(s->heap, &s->finding_log, s->nfind, sizeof(struct coh_finding));
}

/* ---- searching it ------------------------------------------------------------ */

/**
 * coh_finding_root_at - the newest root finding @id whose range holds byte
 * @a, raised at or after engine event @since
 *
 * Return: its index, or -1.
 */
int64_t coh_finding_root_at(const struct coh_sim *s, unsigned id, uint64_t a, uint64_t since)
{
	unsigned looked = 0;

	for (size_t i = s->nfind; s->finding_log && i-- > 0 && looked < CAUSE_LOOKBACK;) {
		const struct coh_finding *c = finding_at(s, i);

		if (c->parent >= 0 || (c->flags & COH_FF_INFO))
			continue;
		if (c->seq < since)
			continue;
		looked++;
		if (c->id == id && c->addr != COH_ADDR_NONE && a >= c->addr && a - c->addr < c->len)
			return (int64_t)i;
	}
	return -1;
}
