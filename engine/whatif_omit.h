/* SPDX-License-Identifier: MIT */
/*
 * whatif_omit.h - the omission matrix (whatif_omit.c, the rows and their
 * workers) and the recorded run as its rows compare with it
 * (whatif_omit_rec.c: one pass that notes the maintenance calls, the
 * state hash at checkpoints and the findings).
 * Internal to the engine.
 */
#ifndef COH_WHATIF_OMIT_H
#define COH_WHATIF_OMIT_H

#include "coh_timeline.h"
#include "coh_whatif.h"
#include "util.h"

/* One maintenance call of the recorded run. */
struct omit_call {
	uint64_t at;                 /* engine index */
	uint64_t src;                /* index in the file */
	uint64_t ts;
	uint16_t kind;
	size_t nf_before;            /* findings raised before it */
};

/* What every state hash mixes in and costs little to get: the counters,
 * and the hashes of the caches and the mappings.  States whose keys differ
 * cannot hash equal, so a row compares keys before it hashes the whole
 * state (memory above all): a row that lost a map call never rejoins and
 * finds out for free, one whose mappings or caches still differ almost. */
struct omit_key {
	uint32_t next_map, next_scope, nscopes, nmaps;
	uint64_t caches_maps;
};

/* The recorded run, replayed once. */
struct omit_rec {
	struct coh_platform plat;
	unsigned flags;              /* COH_SIM_* */
	struct coh_sim_limits lim;
	const struct coh_timeline *tl;   /* its snapshots, or NULL: start from 0 */
	uint64_t n;                  /* events */
	uint64_t every;              /* events between checkpoints */
	uint64_t *ck;                /* state hash after k * every events */
	struct omit_key *ck_key;     /* its key */
	size_t *ck_nf;               /* findings raised by then */
	size_t nck;
	struct omit_call *calls;
	size_t ncalls;
	struct coh_finding *f;       /* every finding, in the order raised */
	size_t nf;
	int windows;                 /* 1: the trace calls the Windows API */
};

/* whatif_omit.c */
int coh_omit_each_counted(const struct coh_timeline *rec, const struct coh_omit_opts *o,
			  struct coh_omit_row **rows, size_t *nrows, size_t *rejoined);

/* whatif_omit_rec.c */
void coh_omit_key(const struct coh_sim *s, struct omit_key *k);
struct coh_sim *coh_omit_start(const struct omit_rec *r, uint64_t at, int *err);
int coh_omit_rec_run(struct omit_rec *r, const struct coh_source *src);
void coh_omit_rec_fini(struct omit_rec *r);
int coh_omit_preset(const struct omit_rec *r, unsigned i, struct coh_platform *out);

#endif
