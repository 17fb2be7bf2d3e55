/* SPDX-License-Identifier: MIT */
/*
 * session_ck.c - checkpoints kept to step backward from without a
 * snapshot's interval: a few copies of a state, in order of position, the
 * oldest behind dropped first.  The recorded view (session_view.c) and the
 * edited one (session_whatif_run.c) each keep their own.
 */
#include <string.h>

#include "session-local.h"

/**
 * session_ck_keep - keep a copy of @sim, @at events applied, among the
 * @*n checkpoints @ck (at most SESSION_NCK; one already there stays); when
 * all are taken the oldest behind it goes, or the farthest ahead when none
 * is behind
 */
void session_ck_keep(struct session_ck *ck, size_t *n, const struct coh_sim *sim, uint64_t at)
{
	struct coh_sim *c;
	size_t k = 0, d;

	while (k < *n && ck[k].pos < at)
		k++;
	if ((k < *n && ck[k].pos == at) || !(c = coh_sim_clone(sim)))
		return;
	if (*n == SESSION_NCK) {
		d = k > 0 ? 0 : *n - 1;
		coh_sim_free(ck[d].sim);
		memmove(&ck[d], &ck[d + 1], (*n - d - 1) * sizeof(ck[0]));
		(*n)--;
		k -= d < k;
	}
	memmove(&ck[k + 1], &ck[k], (*n - k) * sizeof(ck[0]));
	ck[k].sim = c;
	ck[k].pos = at;
	(*n)++;
}

/**
 * session_ck_nearer - the last of @n checkpoints at or before @want, when
 * it is nearer than @best (NULL: none yet)
 */
const struct session_ck *session_ck_nearer(const struct session_ck *ck, size_t n, uint64_t want,
					   const struct session_ck *best)
{
	for (size_t k = n; k-- > 0;)
		if (ck[k].pos <= want)
			return !best || ck[k].pos > best->pos ? &ck[k] : best;
	return best;
}

/**
 * session_ck_free - free @*n checkpoints
 */
void session_ck_free(struct session_ck *ck, size_t *n)
{
	for (size_t k = 0; k < *n; k++)
		coh_sim_free(ck[k].sim);
	*n = 0;
}
