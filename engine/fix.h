/* SPDX-License-Identifier: MIT */
/*
 * fix.h - the edited runs the minimal fix replays (fix_source.c): the
 * recorded events with a list of inserts, moves and replaces (positions
 * in recorded engine indices) as a source, and the way back from an
 * edited position to a recorded one.
 * Internal to the engine.
 */
#ifndef COH_FIX_H
#define COH_FIX_H

#include "coh_whatif.h"
#include "util.h"

#define FIX_INS (1ull << 63)         /* fix_src.map: edit k's own event is FIX_INS | k */

struct fix_src {
	const struct coh_source *rec;    /* the recorded events */
	const struct coh_proposal *edits;
	size_t nedits;
	uint64_t nrec;                   /* recorded events */
	uint64_t count;                  /* edited events */
	uint64_t *map;                   /* edited index -> recorded index or FIX_INS | k */
};

int coh_fixsrc_build(struct fix_src *fs, const struct coh_source *rec,
		     const struct coh_proposal *edits, size_t nedits);
void coh_fixsrc_free(struct fix_src *fs);
struct coh_source coh_fixsrc_source(struct fix_src *fs);
uint64_t coh_fixsrc_recorded(const struct fix_src *fs, uint64_t ed, long *edit);
uint64_t coh_fix_place(const struct coh_edit *e);

#endif
