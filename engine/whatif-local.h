/* SPDX-License-Identifier: MIT */
/*
 * whatif-local.h - the plan of an edit list (whatif_plan.c): which recorded
 * events are overridden and which are inserted where, so that positions
 * map between the recorded and the edited run by binary search.  Used by
 * whatif.c (the edit list and its source) and whatif_run.c (the diff).
 */
#ifndef WHATIF_LOCAL_H
#define WHATIF_LOCAL_H

#include <stdint.h>

#include "coh_whatif.h"

/* A recorded event left out, moved away or replaced. */
struct whatif_over {
	uint64_t at;
	const struct coh_edit *e;
};

/* The events inserted (or moved) before recorded event @rec. */
struct whatif_group {
	uint64_t rec;
	uint64_t before;             /* events inserted before earlier groups */
	size_t first, n;             /* its items in whatif_plan.items */
};

struct whatif_plan {
	struct whatif_over *over;    /* sorted by at */
	size_t nover;
	struct whatif_group *groups; /* sorted by rec */
	size_t ngroups;
	const struct coh_edit **items;   /* INSERT or MOVE edits, group by group */
	uint64_t ninserted;
};

/* What stands at one edited position. */
struct whatif_item {
	uint64_t rec;                /* the recorded event, or the one it precedes */
	const struct coh_edit *inserted;  /* INSERT/MOVE edit placed here, or NULL */
	const struct coh_edit *over; /* override of the recorded event, or NULL */
};

int coh_whatif_plan_build(struct whatif_plan *p, const struct coh_edit *const *v, size_t n);
void coh_whatif_plan_free(struct whatif_plan *p);
const struct coh_edit *coh_whatif_plan_override(const struct whatif_plan *p, uint64_t at);
uint64_t coh_whatif_plan_to_edited(const struct whatif_plan *p, uint64_t rec);
void coh_whatif_plan_item(const struct whatif_plan *p, uint64_t ed, struct whatif_item *out);

/* whatif.c */
const struct coh_timeline *coh_whatif_recorded(const struct coh_whatif *w);
const struct whatif_plan *coh_whatif_plan_of(struct coh_whatif *w);
void coh_whatif_fail(struct coh_whatif *w, const char *fmt, uint64_t pos, const char *why);

/* whatif_run.c: findings of two runs match by this key */
int coh_whatif_key_cmp(const struct coh_finding *x, const struct coh_finding *y);

#endif
