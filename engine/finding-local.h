/* SPDX-License-Identifier: MIT */
/*
 * finding-local.h - raising a finding (finding.c) and the log of findings
 * (finding_log.c).
 * Internal to the engine.
 */
#ifndef COH_FINDING_LOCAL_H
#define COH_FINDING_LOCAL_H

#include "sim-local.h"

struct new_finding {
	uint16_t id, rule;
	uint32_t flags;              /* COH_FF_* */
	int dev, cpu;
	uint64_t addr, len, bus;
	uint64_t other_seq;
	uint16_t omitted;
	uint32_t v_old;              /* version the reader got, for the cause search */
	bool consequence_ok;         /* may hang under an earlier root */
	bool set_parent;             /* @parent is decided (-1: a root), no search */
	int64_t parent;
	bool at_map;                 /* report at the map call (at_*) not the current event */
	uint64_t at_seq, at_src, at_ts;
	uint64_t ev_addr;            /* evidence: nev versions seen / expected */
	uint32_t nev;
	const uint32_t *seen, *exp;
};
int coh_finding_add(struct coh_sim *s, const struct new_finding *f, int64_t *idx);
/* The newest root finding @id whose range holds byte @a, raised at or after
 * event @since, or -1. */
int64_t coh_finding_root_at(const struct coh_sim *s, unsigned id, uint64_t a, uint64_t since);

#define CAUSE_LOOKBACK 256           /* root findings a search looks at */
int coh_finding_log_clone(struct coh_sim *dst, const struct coh_sim *src);
void coh_finding_log_release(struct coh_sim *s);
/* Make room for one more entry at index nfind. */
int coh_finding_log_room(struct coh_sim *s);
/* finding @i of the log (i < nfind) */
static inline struct coh_finding *finding_at(const struct coh_sim *s, size_t i)
{
	return (struct coh_finding *)s->finding_log->v + i;
}

#endif
