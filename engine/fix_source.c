/* SPDX-License-Identifier: MIT */
/*
 * fix_source.c - the recorded events with the minimal fix's edits applied,
 * as a source: each insert and each moved event goes just before the
 * recorded event it is placed at (several at one place in the order of the
 * list), a moved event leaves its old place, a replaced one is swapped for
 * its replacement.  Built once per replay as a table from edited index to
 * recorded index or edit, so reading is a lookup.
 */
#include <stdlib.h>
#include <string.h>

#include "fix.h"

/**
 * coh_fix_place - the recorded index an edit puts its event before (a
 * replace: the event it replaces)
 */
uint64_t coh_fix_place(const struct coh_edit *e)
{
	return e->op == COH_EDIT_MOVE ? e->to : e->at;
}

/* the insert and move edits by place, in list order among equals (an
 * insertion sort: the lists are short) */
static size_t sort_places(const struct coh_proposal *edits, size_t n, size_t *order)
{
	size_t nord = 0;

	for (size_t k = 0; k < n; k++) {
		size_t j = nord++;
		uint64_t at = coh_fix_place(&edits[k].edit);

		if (edits[k].edit.op != COH_EDIT_INSERT && edits[k].edit.op != COH_EDIT_MOVE) {
			nord--;
			continue;
		}
		for (; j > 0 && coh_fix_place(&edits[order[j - 1]].edit) > at; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	return nord;
}

/* what recorded event @r becomes: 0 itself, 1 moved away, 2 + k replaced by edit k */
static size_t fate(const struct fix_src *fs, uint64_t r)
{
	for (size_t k = 0; k < fs->nedits; k++) {
		const struct coh_edit *e = &fs->edits[k].edit;

		if (e->at == r && e->op == COH_EDIT_MOVE)
			return 1;
		if (e->at == r && e->op == COH_EDIT_REPLACE)
			return 2 + k;
	}
	return 0;
}

static uint64_t entry(const struct fix_src *fs, size_t k)
{
	const struct coh_edit *e = &fs->edits[k].edit;

	return e->op == COH_EDIT_MOVE ? e->at : FIX_INS | k;   /* a move reads the recorded event */
}

static void fill(struct fix_src *fs, const size_t *order, size_t nord)
{
	uint64_t n = 0;
	size_t o = 0;

	for (uint64_t r = 0; r <= fs->nrec; r++) {
		size_t f;

		while (o < nord && coh_fix_place(&fs->edits[order[o]].edit) == r)
			fs->map[n++] = entry(fs, order[o++]);
		if (r == fs->nrec)
			break;
		f = fate(fs, r);
		if (f != 1)
			fs->map[n++] = f ? FIX_INS | (f - 2) : r;
	}
	fs->count = n;
}

/**
 * coh_fixsrc_build - the table of the edited run of @rec with @edits
 * (borrowed: they must not change while the source is in use)
 *
 * Return: 0 or -COH_E_NOMEM.
 */
int coh_fixsrc_build(struct fix_src *fs, const struct coh_source *rec,
		     const struct coh_proposal *edits, size_t nedits)
{
	size_t *order = malloc((nedits ? nedits : 1) * sizeof(*order));

	memset(fs, 0, sizeof(*fs));
	fs->rec = rec;
	fs->edits = edits;
	fs->nedits = nedits;
	fs->nrec = rec->count(rec->ctx);
	fs->map = malloc((fs->nrec + nedits + 1) * sizeof(*fs->map));
	if (!order || !fs->map) {
		free(order);
		coh_fixsrc_free(fs);
		return -COH_E_NOMEM;
	}
	fill(fs, order, sort_places(edits, nedits, order));
	free(order);
	return 0;
}

void coh_fixsrc_free(struct fix_src *fs)
{
	free(fs->map);
	fs->map = NULL;
}

static uint64_t fs_count(void *ctx)
{
	return ((const struct fix_src *)ctx)->count;
}

static int fs_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	const struct fix_src *fs = ctx;
	uint64_t m;

	if (i >= fs->count)
		return -COH_E_SEEK;
	m = fs->map[i];
	if (!(m & FIX_INS))
		return fs->rec->get(fs->rec->ctx, m, ev);
	*ev = fs->edits[m & ~FIX_INS].edit.ev;
	return 0;
}

/**
 * coh_fixsrc_source - the edited run as a source (valid while @fs is)
 */
struct coh_source coh_fixsrc_source(struct fix_src *fs)
{
	return (struct coh_source){ .ctx = fs, .count = fs_count, .get = fs_get };
}

/**
 * coh_fixsrc_recorded - the recorded position of edited position @ed: the
 * recorded event there, or for an edit's own event the event it precedes
 * or replaces (@ed = the count: the recorded count)
 * @edit: if not NULL, receives the edit whose event is at @ed, or -1
 */
uint64_t coh_fixsrc_recorded(const struct fix_src *fs, uint64_t ed, long *edit)
{
	uint64_t m = ed < fs->count ? fs->map[ed] : fs->nrec;
	long k = -1;

	if (ed < fs->count && (m & FIX_INS)) {
		k = (long)(m & ~FIX_INS);
		m = fs->edits[k].edit.at;
	} else if (ed < fs->count) {
		for (size_t j = 0; j < fs->nedits; j++)
			if (fs->edits[j].edit.op == COH_EDIT_MOVE && fs->edits[j].edit.at == m)
				k = (long)j;
	}
	if (edit)
		*edit = k;
	return m;
}
