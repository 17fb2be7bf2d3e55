/* SPDX-License-Identifier: MIT */
/*
 * propose.h - what the proposals of coh_whatif.h share: the mapping a
 * finding concerns, read from the recorded run's state (propose_map.c);
 * the call that mapping needs, in its own API (propose_call.c); and a
 * trial replay of one edit from the recorded snapshot (propose_try.c).
 * Internal to the engine.
 */
#ifndef COH_PROPOSE_H
#define COH_PROPOSE_H

#include "coh_whatif.h"
#include "util.h"

/* The mapping (allocation, transfer) a finding concerns, as the recorded
 * run had it just before event @pos. */
struct pmap {
	int found;                   /* 0: no live mapping matched */
	int truncated;               /* 1: more segments than COH_PROPOSAL_SEGS */
	uint64_t pos;                /* the state it was read from */
	struct coh_map_view v;
	struct coh_seg segs[COH_PROPOSAL_SEGS];  /* its segments (up to that many) */
	uint16_t made_kind;          /* kind of the call that made it, COH_EV_NONE
				      * when the trace does not hold it */
	uint32_t nents;              /* sg nents of that call (else nsegs) */
	uint32_t made_nsegs;         /* segments of that call (else nsegs) */
	uint64_t off, len;           /* Windows: Offset and Length of MapTransfer(Ex) */
	uint32_t flags;              /* the map call's COH_F_* */
	uint16_t cpu;                /* the CPU of the event at @pos */
	uint64_t ts;                 /* its timestamp */
};

/* propose_map.c */
int coh_pmap_find(const struct coh_timeline *rec, const struct coh_finding *f, uint64_t pos,
		  struct pmap *m);
int coh_pmap_windows(const struct pmap *m, const struct coh_finding *f);
long coh_pmap_scan(const struct coh_timeline *rec, uint64_t from, uint16_t k1, uint16_t k2,
		   unsigned dev, uint64_t handle);
long coh_pmap_unmap(const struct coh_timeline *rec, const struct pmap *m, uint64_t from,
		    uint64_t to);
long coh_pmap_unmap_before(const struct coh_timeline *rec, unsigned dev, uint64_t from,
			   uint64_t before);

/* propose_call.c: fill out->edit.ev (and out->segs) with the call */
void coh_call_sync(const struct pmap *m, int for_cpu, struct coh_proposal *out);
void coh_call_unmap(const struct pmap *m, struct coh_proposal *out);
void coh_call_flush(const struct pmap *m, const struct coh_platform *p, struct coh_proposal *out);
void coh_call_keflush(const struct pmap *m, const struct coh_finding *f, unsigned line,
		      int read_op, struct coh_proposal *out);

/* propose_try.c */
int coh_propose_try(const struct coh_timeline *rec, const struct coh_edit *e,
		    const struct coh_finding *f);
uint64_t coh_finding_raised_at(const struct coh_finding *f);

#endif
