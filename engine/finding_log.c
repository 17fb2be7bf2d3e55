/* SPDX-License-Identifier: MIT */
/*
 * finding_log.c - the log of findings a simulation raised, and the search of
 * it for a root finding.
 *
 * The log is append-only and shared between clones: a clone keeps its own
 * count (nfind) and appends in place while it is the one at the end of the
 * shared log; when two clones diverge the one appending copies its prefix
 * first.  Entries never change once appended.
 */
#include <string.h>

#include "coh-local.h"

static struct flog *flog_new(struct coh_sim *s, size_t cap)
{
	struct flog *l = coh_heap_zalloc(s->heap, sizeof(*l));

	if (!l)
		return NULL;
	l->refs = 1;
	l->cap = cap ? cap : 16;
	l->v = coh_heap_alloc(s->heap, l->cap * sizeof(*l->v));
	if (!l->v) {
		coh_heap_free(s->heap, l, sizeof(*l));
		return NULL;
	}
	return l;
}

static void flog_put(struct coh_heap *h, struct flog *l)
{
	if (!l || --l->refs)
		return;
	coh_heap_free(h, l->v, l->cap * sizeof(*l->v));
	coh_heap_free(h, l, sizeof(*l));
}

int coh_flog_clone(struct coh_sim *dst, const struct coh_sim *src)
{
	dst->flog = src->flog;
	dst->nfind = src->nfind;
	if (dst->flog)
		dst->flog->refs++;
	return 0;
}

void coh_flog_release(struct coh_sim *s)
{
	flog_put(s->heap, s->flog);
	s->flog = NULL;
	s->nfind = 0;
}

/* Make room for one more entry at index nfind. */
int coh_flog_room(struct coh_sim *s)
{
	struct flog *l = s->flog;

	if (l && l->refs == 1 && l->n > s->nfind)
		l->n = s->nfind;
	if (!l || l->n != s->nfind) {
		struct flog *c = flog_new(s, s->nfind * 2);

		if (!c)
			return -COH_E_NOMEM;
		if (l)
			memcpy(c->v, l->v, s->nfind * sizeof(*c->v));
		c->n = s->nfind;
		flog_put(s->heap, l);
		s->flog = l = c;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap * 2;
		struct coh_finding *v = coh_heap_alloc(s->heap, cap * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		memcpy(v, l->v, l->n * sizeof(*v));
		coh_heap_free(s->heap, l->v, l->cap * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	return 0;
}

/* ---- searching it ------------------------------------------------------------ */

int64_t coh_finding_root_at(const struct coh_sim *s, unsigned id, uint64_t a, uint64_t since)
{
	unsigned looked = 0;

	for (size_t i = s->nfind; s->flog && i-- > 0 && looked < CAUSE_LOOKBACK;) {
		const struct coh_finding *c = &s->flog->v[i];

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
