/* SPDX-License-Identifier: MIT */
/*
 * whatif_plan.c - the plan of an edit list: the overrides of recorded
 * events and the groups of inserted ones, both sorted by recorded
 * position, with the count of insertions before each group.
 */
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "whatif-local.h"

void coh_whatif_plan_free(struct whatif_plan *p)
{
	free(p->over);
	free(p->groups);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

/* An inserted item, in the order edits were added (@ord). */
struct pending {
	uint64_t key;
	size_t ord;
	const struct coh_edit *e;
};

static int by_key(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int by_at(const void *a, const void *b)
{
	const struct whatif_over *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static void add_groups(struct whatif_plan *p, const struct pending *ins, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct whatif_group *g = p->ngroups ? &p->groups[p->ngroups - 1] : NULL;

		p->items[i] = ins[i].e;
		if (!g || g->rec != ins[i].key) {
			g = &p->groups[p->ngroups++];
			*g = (struct whatif_group){ ins[i].key, i, i, 0 };
		}
		g->n++;
	}
	p->ninserted = n;
}

int coh_whatif_plan_build(struct whatif_plan *p, const struct coh_edit *const *v, size_t n)
{
	struct pending *ins = malloc((n + 1) * sizeof(*ins));
	size_t nins = 0;

	coh_whatif_plan_free(p);
	p->over = malloc((n + 1) * sizeof(*p->over));
	p->groups = malloc((n + 1) * sizeof(*p->groups));
	p->items = malloc((n + 1) * sizeof(*p->items));
	if (!ins || !p->over || !p->groups || !p->items) {
		free(ins);
		coh_whatif_plan_free(p);
		return -COH_E_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct coh_edit *e = v[i];

		if (e->op == COH_EDIT_DELETE || e->op == COH_EDIT_MOVE ||
		    e->op == COH_EDIT_REPLACE)
			p->over[p->nover++] = (struct whatif_over){ e->at, e };
		if (e->op == COH_EDIT_INSERT || e->op == COH_EDIT_MOVE)
			ins[nins++] = (struct pending){
				e->op == COH_EDIT_MOVE ? e->to : e->at, i, e };
	}
	qsort(p->over, p->nover, sizeof(*p->over), by_at);
	qsort(ins, nins, sizeof(*ins), by_key);
	add_groups(p, ins, nins);
	free(ins);
	return 0;
}

const struct coh_edit *coh_whatif_plan_override(const struct whatif_plan *p, uint64_t at)
{
	size_t lo = 0, hi = p->nover;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->over[mid].at == at)
			return p->over[mid].e;
		if (p->over[mid].at < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Index + 1 of the last group whose key satisfies key(g) <= x, 0 if none;
 * @edited: compare edited positions (rec + before) instead of rec. */
static size_t last_group(const struct whatif_plan *p, uint64_t x, int edited)
{
	size_t lo = 0, hi = p->ngroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct whatif_group *g = &p->groups[mid];
		uint64_t key = edited ? g->rec + g->before : g->rec;

		if (key <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t coh_whatif_plan_to_edited(const struct whatif_plan *p, uint64_t rec)
{
	size_t j = last_group(p, rec, 0);

	if (!j)
		return rec;
	return rec + p->groups[j - 1].before + p->groups[j - 1].n;
}

void coh_whatif_plan_item(const struct whatif_plan *p, uint64_t ed, struct whatif_item *out)
{
	size_t j = last_group(p, ed, 1);
	uint64_t shift = 0;

	memset(out, 0, sizeof(*out));
	if (j) {
		const struct whatif_group *g = &p->groups[j - 1];
		uint64_t start = g->rec + g->before;

		if (ed < start + g->n) {
			out->rec = g->rec;
			out->inserted = p->items[g->first + (ed - start)];
			return;
		}
		shift = g->before + g->n;
	}
	out->rec = ed - shift;
	out->over = coh_whatif_plan_override(p, out->rec);
}
