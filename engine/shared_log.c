/* SPDX-License-Identifier: MIT */
/*
 * shared_log.c - an append-only array shared between clones of a
 * simulation (the findings, the file index of each event).
 *
 * A clone keeps its own count of entries (its prefix) and appends in place
 * while it is the one at the end of the shared array; when two clones
 * diverge the one appending copies its prefix first.  Entries never change
 * once appended.
 */
#include <string.h>

#include "shared_log.h"
#include "varr.h"

static struct shared_log *log_new(struct coh_heap *h, size_t cap, uint32_t size)
{
	struct shared_log *l = coh_heap_zalloc(h, sizeof(*l));

	if (!l)
		return NULL;
	ref_init(&l->refs, 1);
	l->size = size;
	l->cap = cap ? cap : 16;
	l->v = coh_heap_alloc(h, l->cap * size);
	if (!l->v) {
		coh_heap_free(h, l, sizeof(*l));
		return NULL;
	}
	return l;
}

/**
 * coh_shared_log_put - drop one sharer of @l, freeing it with the last
 * @h: the heap it was allocated from
 * @l: the log, or NULL
 */
void coh_shared_log_put(struct coh_heap *h, struct shared_log *l)
{
	if (!l || ref_put(&l->refs))
		return;
	coh_heap_free(h, l->v, l->cap * l->size);
	coh_heap_free(h, l, sizeof(*l));
}

/**
 * coh_shared_log_share - one more sharer of @l (a clone)
 *
 * Return: @l (NULL stays NULL).
 */
struct shared_log *coh_shared_log_share(struct shared_log *l)
{
	if (l)
		ref_get(&l->refs);
	return l;
}

/* Our own copy of the first @have entries of @l (NULL: none yet). */
static struct shared_log *log_fork(struct coh_heap *h, struct shared_log *l, size_t have,
				   uint32_t size)
{
	struct shared_log *c = log_new(h, have * 2, size);

	if (!c)
		return NULL;
	if (l)
		memcpy(c->v, l->v, have * size);
	c->n = have;
	coh_shared_log_put(h, l);
	return c;
}

/**
 * coh_shared_log_unshare - replace *@lp, when shared, by a copy of the
 * caller's first @have entries, so that the caller never appends in place
 * to a log other threads read (coh_sim_clone_alone())
 *
 * Return: 0, or -COH_E_NOMEM.
 */
int coh_shared_log_unshare(struct coh_heap *h, struct shared_log **lp, size_t have,
			   uint32_t size)
{
	struct shared_log *l = *lp;

	if (!l || ref_count(&l->refs) == 1)
		return 0;
	if (!(l = log_fork(h, l, have, size)))
		return -COH_E_NOMEM;
	*lp = l;
	return 0;
}

/**
 * coh_shared_log_room - make room for entry @have of *@lp, the caller's
 * prefix being its first @have entries; the caller stores the entry and sets
 * (*@lp)->n to its new count
 * @h:    the heap
 * @lp:   the log (NULL: none yet); replaced by a copy when shared and diverged
 * @have: entries the caller owns
 * @size: bytes per entry
 *
 * Return: 0, or -COH_E_NOMEM.
 */
int coh_shared_log_room(struct coh_heap *h, struct shared_log **lp, size_t have, uint32_t size)
{
	struct shared_log *l = *lp;

	if (l && ref_count(&l->refs) == 1 && l->n > have)
		l->n = have;
	if (!l || l->n != have) {
		if (!(l = log_fork(h, l, have, size)))
			return -COH_E_NOMEM;
		*lp = l;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap * 2;
		void *v = coh_heap_alloc(h, cap * size);

		if (!v)
			return -COH_E_NOMEM;
		memcpy(v, l->v, l->n * size);
		coh_heap_free(h, l->v, l->cap * size);
		l->v = v;
		l->cap = cap;
	}
	return 0;
}

/**
 * coh_shared_log_bytes - bytes the entries of @l take (NULL: 0)
 */
size_t coh_shared_log_bytes(const struct shared_log *l)
{
	return l ? l->cap * l->size : 0;
}
