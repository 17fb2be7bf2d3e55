/* SPDX-License-Identifier: MIT */
/*
 * ftrace_order.c - engine event i of a loaded trace.dat.
 *
 * When every CPU's timestamps are in order, the loaded trace keeps each
 * CPU's records where they were read, and event i is the i-th record of
 * the CPUs merged by (timestamp, CPU index), which is `trace-cmd report`
 * order restricted to the engine's events.  A checkpoint every FX_CP
 * events stores how many records of each CPU come before it; a cursor
 * makes sequential access one comparison per CPU, and any other access at
 * most FX_CP steps from a checkpoint.  That costs a few bytes per
 * checkpoint instead of a copy of every record.
 */
#include <stdlib.h>

#include "ftrace-local.h"

int fx_order_alloc(struct ftrace *f)
{
	f->ncp = (f->nrecs + FX_CP - 1) / FX_CP;
	f->cp = calloc(f->ncp ? (size_t)(f->ncp * f->nparts) : 1, sizeof(*f->cp));
	f->pos = calloc(f->nparts ? f->nparts : 1, sizeof(*f->pos));
	return f->cp && f->pos ? 0 : -1;
}

/* The part whose next record comes first. */
static unsigned pick(const struct ftrace *f)
{
	unsigned best = f->nparts;
	uint64_t bts = 0;

	for (unsigned p = 0; p < f->nparts; p++) {
		const struct fx_part *pt = &f->parts[p];
		uint64_t ts;

		if (f->pos[p] >= pt->n)
			continue;
		ts = fr_u64(pt->recs[f->pos[p]].ts);
		if (best == f->nparts || ts < bts) {
			best = p;
			bts = ts;
		}
	}
	return best;
}

static void seek_checkpoint(struct ftrace *f, uint64_t i)
{
	uint64_t j = i / FX_CP;

	f->cur = j * FX_CP;
	for (unsigned p = 0; p < f->nparts; p++)
		f->pos[p] = f->cp[j * f->nparts + p];
	f->cur_ok = 1;
}

const struct frec *fx_locate(struct ftrace *f, uint64_t i, const struct fx_part **part)
{
	unsigned b;

	if (i >= f->nrecs)
		return NULL;
	if (f->nparts == 1) {
		*part = &f->parts[0];
		return &f->parts[0].recs[i];
	}
	if (!f->cur_ok || i < f->cur || i - f->cur > FX_CP)
		seek_checkpoint(f, i);
	while (f->cur < i) {
		b = pick(f);
		f->pos[b]++;
		f->cur++;
	}
	b = pick(f);
	*part = &f->parts[b];
	return &f->parts[b].recs[f->pos[b]];
}

void fx_parts_free(struct ftrace *f)
{
	for (unsigned p = 0; f->parts && p < f->nparts; p++) {
		free(f->parts[p].recs);
		free(f->parts[p].segs);
		free(f->parts[p].text);
	}
	free(f->parts);
	free(f->cp);
	free(f->pos);
	f->parts = NULL;
	f->cp = NULL;
	f->pos = NULL;
	f->nparts = 0;
}
