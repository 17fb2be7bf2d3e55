/* SPDX-License-Identifier: MIT */
/*
 * report_matrix.c - the findings of one file replayed on several platforms
 * (check --platform all|LIST) merged into one list: each root finding once,
 * with the presets it appears on, its consequences (each with its own
 * presets) after it.  The renderers then print that list as they print one
 * platform's, plus the matrix (report_matrix_text.c, and the "platforms"
 * members of JSON and SARIF, report_json.c).
 *
 * Two findings of different presets are the same when id, rule, file event
 * index (src), device and range agree; a consequence is matched only among
 * the consequences of the same merged root, so it never leaves its root.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* One merged finding while merging: where its text comes from. */
struct mentry {
	size_t preset, idx;          /* its first preset and index there */
	long root;                   /* merged index of its root, -1 for a root */
	uint64_t mask;
	size_t order;                /* creation order, the tie-break of sorting */
};

struct merger {
	const struct coh_finding *const *const *per;
	struct mentry *e;
	size_t n;
	size_t *table;               /* open addressing: entry index + 1, 0 empty */
	size_t tsize;                /* a power of two */
	long *rootmap;               /* per preset and root: its merged index */
	size_t *rootbase;            /* per preset: its first slot in rootmap */
};

static const struct coh_finding *finding_of(const struct merger *m, const struct mentry *e)
{
	return m->per[e->preset][e->idx];
}

static uint64_t mix64(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

static uint64_t key_hash(const struct coh_finding *f, long root)
{
	uint64_t h = mix64((uint64_t)root, ((uint64_t)f->id << 16) | f->rule);

	h = mix64(h, f->src);
	h = mix64(h, (uint64_t)(int64_t)f->dev);
	h = mix64(h, f->addr);
	return mix64(h, f->len);
}

static int same_key(const struct coh_finding *a, const struct coh_finding *b)
{
	return a->id == b->id && a->rule == b->rule && a->src == b->src && a->dev == b->dev &&
	       a->addr == b->addr && a->len == b->len;
}

/* The merged index of (@f under merged root @root), adding it when new. */
static size_t lookup(struct merger *m, const struct coh_finding *f, long root, size_t preset,
		     size_t idx)
{
	size_t mask = m->tsize - 1, k = (size_t)key_hash(f, root) & mask;

	for (; m->table[k]; k = (k + 1) & mask) {
		struct mentry *e = &m->e[m->table[k] - 1];

		if (e->root == root && same_key(finding_of(m, e), f))
			return m->table[k] - 1;
	}
	m->e[m->n] = (struct mentry){ preset, idx, root, 0, m->n };
	m->table[k] = ++m->n;
	return m->n - 1;
}

static int is_root(const struct coh_finding *f, size_t n)
{
	return f->parent < 0 || (uint64_t)f->parent >= n;
}

/* Every root of every preset, then every consequence under its root's entry. */
static void merge_all(struct merger *m, const size_t *nper, size_t n)
{
	for (size_t p = 0; p < n; p++)
		for (size_t i = 0; i < nper[p]; i++) {
			const struct coh_finding *f = m->per[p][i];
			size_t k;

			if (!is_root(f, nper[p]))
				continue;
			k = lookup(m, f, -1, p, i);
			m->e[k].mask |= 1ull << p;
			m->rootmap[m->rootbase[p] + i] = (long)k;
		}
	for (size_t p = 0; p < n; p++)
		for (size_t i = 0; i < nper[p]; i++) {
			const struct coh_finding *f = m->per[p][i];
			long r;
			size_t k;

			if (is_root(f, nper[p]) || !is_root(m->per[p][f->parent], nper[p]))
				continue;    /* the engine's parents are roots */
			r = m->rootmap[m->rootbase[p] + (size_t)f->parent];
			k = lookup(m, f, r, p, i);
			m->e[k].mask |= 1ull << p;
		}
}

/* Sort order of merged entries: by root (its event, then creation), a
 * root before its consequences, consequences by event then creation. */
static int cmp_seq_order(const struct merger *m, const struct mentry *a,
			 const struct mentry *b)
{
	uint64_t sa = finding_of(m, a)->seq, sb = finding_of(m, b)->seq;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_entry(const void *x, const void *y, void *ctx)
{
	const struct merger *m = ctx;
	const struct mentry *a = x, *b = y;
	const struct mentry *ra = a->root < 0 ? a : &m->e[a->root];
	const struct mentry *rb = b->root < 0 ? b : &m->e[b->root];
	int c = cmp_seq_order(m, ra, rb);

	if (c)
		return c;
	if ((a->root < 0) != (b->root < 0))
		return a->root < 0 ? -1 : 1;
	return cmp_seq_order(m, a, b);
}

/* Copy the sorted entries out, renumbering parents. */
static int emit(const struct merger *m, struct mentry *sorted, struct report_merged *out)
{
	size_t *newpos = malloc((m->n ? m->n : 1) * sizeof(*newpos));

	out->f = malloc((m->n ? m->n : 1) * sizeof(*out->f));
	out->ptr = malloc((m->n ? m->n : 1) * sizeof(*out->ptr));
	out->mask = malloc((m->n ? m->n : 1) * sizeof(*out->mask));
	out->first = malloc(m->n ? m->n : 1);
	if (!newpos || !out->f || !out->ptr || !out->mask || !out->first) {
		free(newpos);
		return -1;
	}
	for (size_t i = 0; i < m->n; i++)
		newpos[sorted[i].order] = i;
	for (size_t i = 0; i < m->n; i++) {
		out->f[i] = *finding_of(m, &sorted[i]);
		out->f[i].parent = sorted[i].root < 0 ? -1 : (int64_t)newpos[sorted[i].root];
		out->ptr[i] = &out->f[i];
		out->mask[i] = sorted[i].mask;
		out->first[i] = (uint8_t)sorted[i].preset;
	}
	out->n = m->n;
	free(newpos);
	return 0;
}

static int alloc_merger(struct merger *m, const size_t *nper, size_t n)
{
	size_t total = 0;

	m->rootbase = malloc((n ? n : 1) * sizeof(*m->rootbase));
	if (!m->rootbase)
		return -1;
	for (size_t p = 0; p < n; p++) {
		m->rootbase[p] = total;
		total += nper[p];
	}
	m->tsize = 16;
	while (m->tsize < 2 * total)
		m->tsize *= 2;
	m->e = malloc((total ? total : 1) * sizeof(*m->e));
	m->table = calloc(m->tsize, sizeof(*m->table));
	m->rootmap = malloc((total ? total : 1) * sizeof(*m->rootmap));
	return m->e && m->table && m->rootmap ? 0 : -1;
}

int report_matrix_merge(const struct coh_finding *const *const *per, const size_t *nper,
			size_t n, struct report_merged *out)
{
	struct merger m = { .per = per };
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (n > REPORT_MAX_PRESETS)
		return -1;
	if (alloc_merger(&m, nper, n) == 0) {
		struct mentry *sorted;

		merge_all(&m, nper, n);
		sorted = malloc((m.n ? m.n : 1) * sizeof(*sorted));
		if (sorted) {
			memcpy(sorted, m.e, m.n * sizeof(*sorted));
			qsort_r(sorted, m.n, sizeof(*sorted), cmp_entry, &m);
			ret = emit(&m, sorted, out);
		}
		free(sorted);
	}
	free(m.e);
	free(m.table);
	free(m.rootmap);
	free(m.rootbase);
	if (ret < 0)
		report_matrix_free(out);
	return ret;
}

void report_matrix_free(struct report_merged *m)
{
	free(m->f);
	free(m->ptr);
	free(m->mask);
	free(m->first);
	memset(m, 0, sizeof(*m));
}

uint64_t report_finding_mask(const struct report_file *rf, size_t i)
{
	const struct report_platforms *ps = rf->platforms;

	return ps && ps->mask && i < rf->nfindings ? ps->mask[i] : 1;
}

const struct coh_platform *report_finding_plat(const struct report_file *rf,
					       const struct coh_finding *f)
{
	const struct report_platforms *ps = rf->platforms;
	uintptr_t at = (uintptr_t)f, base = ps ? (uintptr_t)ps->base : 0;
	size_t i;

	if (!ps || !ps->first || at < base)
		return rf->plat;
	i = (at - base) / sizeof(*f);
	if (i >= rf->nfindings || ps->first[i] >= ps->n)
		return rf->plat;
	return ps->p[ps->first[i]].plat;
}
