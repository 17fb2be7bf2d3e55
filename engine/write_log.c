/* SPDX-License-Identifier: MIT */
/*
 * write_log.c - the log of explicit write data: the bytes a traced write
 * carried, by version and address, and the byte value of a version.
 *
 * The log is append-only and shared between clones: a clone keeps its own
 * count (ndata) and appends in place while it is the one at the end of the
 * shared log; when two clones diverge the one appending copies its prefix
 * first.  Records never change once appended.
 */
#include <string.h>

#include "sim-local.h"
#include "varr.h"
#include "write_log.h"

static size_t version_slot(uint32_t ver, size_t cap)
{
	return (size_t)(mix(0, ver) >> 7) & (cap - 1);
}

static void write_log_put(struct coh_heap *h, struct write_log *d)
{
	if (!d || ref_put(&d->refs))
		return;
	coh_heap_free(h, d->v, d->cap * sizeof(*d->v));
	coh_heap_free(h, d->bytes, d->capbytes);
	coh_heap_free(h, d->hash, d->hcap * sizeof(*d->hash));
	coh_heap_free(h, d, sizeof(*d));
}

int coh_write_log_clone(struct coh_sim *dst, const struct coh_sim *src)
{
	dst->write_log = src->write_log;
	dst->ndata = src->ndata;
	if (dst->write_log)
		ref_get(&dst->write_log->refs);
	return 0;
}

void coh_write_log_release(struct coh_sim *s)
{
	write_log_put(s->heap, s->write_log);
	s->write_log = NULL;
	s->ndata = 0;
}

static int write_log_rehash(struct coh_sim *s, struct write_log *d, size_t hcap)
{
	uint32_t *h = coh_heap_zalloc(s->heap, hcap * sizeof(*h));

	if (!h)
		return -COH_E_NOMEM;
	coh_heap_free(s->heap, d->hash, d->hcap * sizeof(*d->hash));
	d->hash = h;
	d->hcap = hcap;
	for (size_t i = 0; i < d->n; i++) {
		size_t k = version_slot(d->v[i].ver, hcap);

		while (h[k])
			k = (k + 1) & (hcap - 1);
		h[k] = (uint32_t)i + 1;
	}
	return 0;
}

/* Our own write_log holding our prefix of the shared one. */
static int write_log_fork(struct coh_sim *s)
{
	struct write_log *d = s->write_log, *c = coh_heap_zalloc(s->heap, sizeof(*c));
	size_t nb = d && s->ndata ? d->v[s->ndata - 1].off + d->v[s->ndata - 1].len : 0;
	size_t hcap = 64;

	if (!c)
		return -COH_E_NOMEM;
	ref_init(&c->refs, 1);
	c->cap = MAX(s->ndata * 2, 16);
	c->capbytes = MAX(nb * 2, 256);
	c->v = coh_heap_alloc(s->heap, c->cap * sizeof(*c->v));
	c->bytes = coh_heap_alloc(s->heap, c->capbytes);
	if (!c->v || !c->bytes) {
		write_log_put(s->heap, c);
		return -COH_E_NOMEM;
	}
	if (d) {
		memcpy(c->v, d->v, s->ndata * sizeof(*c->v));
		memcpy(c->bytes, d->bytes, nb);
	}
	c->n = s->ndata;
	c->nbytes = nb;
	while (hcap < 2 * (c->n + 1))
		hcap *= 2;
	if (write_log_rehash(s, c, hcap) < 0) {
		write_log_put(s->heap, c);
		return -COH_E_NOMEM;
	}
	write_log_put(s->heap, d);
	s->write_log = c;
	return 0;
}

/**
 * coh_write_log_unshare - give @s a write log of its own (its prefix of
 * the shared one), so that it never appends in place to a log other
 * threads read (coh_sim_clone_alone())
 *
 * Return: 0, or -COH_E_NOMEM.
 */
int coh_write_log_unshare(struct coh_sim *s)
{
	if (!s->write_log || ref_count(&s->write_log->refs) == 1)
		return 0;
	return write_log_fork(s);
}

/* A private write_log holding our prefix, with room for a record of @n bytes. */
static int write_log_room(struct coh_sim *s, uint64_t n)
{
	struct write_log *d = s->write_log;
	int err;

	if (!d || d->n != s->ndata) {
		if ((err = write_log_fork(s)) < 0)
			return err;
		d = s->write_log;
	}
	if (d->n == d->cap) {
		struct write_record *v = coh_heap_alloc(s->heap, d->cap * 2 * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		memcpy(v, d->v, d->n * sizeof(*v));
		coh_heap_free(s->heap, d->v, d->cap * sizeof(*v));
		d->v = v;
		d->cap *= 2;
	}
	if (d->capbytes - d->nbytes < n) {
		size_t cap = MAX(d->capbytes * 2, d->nbytes + n);
		uint8_t *b = coh_heap_alloc(s->heap, cap);

		if (!b)
			return -COH_E_NOMEM;
		memcpy(b, d->bytes, d->nbytes);
		coh_heap_free(s->heap, d->bytes, d->capbytes);
		d->bytes = b;
		d->capbytes = cap;
	}
	if (2 * (d->n + 1) > d->hcap)
		return write_log_rehash(s, d, d->hcap * 2);
	return 0;
}

int coh_write_log_add(struct coh_sim *s, uint32_t ver, uint64_t phys, const uint8_t *data, uint64_t n)
{
	struct write_log *d;
	size_t k;
	int err;

	if (n > UINT32_MAX)
		return -COH_E_TOOBIG;
	if ((err = write_log_room(s, n)) < 0)
		return err;
	d = s->write_log;
	d->v[d->n] = (struct write_record){ .ver = ver, .len = (uint32_t)n, .phys = phys, .off = d->nbytes };
	memcpy(d->bytes + d->nbytes, data, n);
	d->nbytes += n;
	k = version_slot(ver, d->hcap);
	while (d->hash[k])
		k = (k + 1) & (d->hcap - 1);
	d->hash[k] = (uint32_t)d->n + 1;
	d->n++;
	s->ndata = d->n;
	return 0;
}

int coh_write_log_find(const struct coh_sim *s, uint32_t ver, uint64_t phys, uint8_t *out)
{
	const struct write_log *d = s->write_log;
	int found = 0;

	if (!d || !d->hcap)
		return 0;
	for (size_t k = version_slot(ver, d->hcap); d->hash[k]; k = (k + 1) & (d->hcap - 1)) {
		size_t i = d->hash[k] - 1;
		const struct write_record *r = &d->v[i];

		if (i >= s->ndata || r->ver != ver)
			continue;
		if (phys >= r->phys && phys - r->phys < r->len) {
			*out = d->bytes[r->off + (phys - r->phys)];
			found = 1;              /* the newest piece wins */
		}
	}
	return found;
}

/* ---- reading and recording ------------------------------------------------- */

/**
 * coh_record_data - log the bytes the write being applied carries, if any
 * @s:    the simulation (its version s->ver names the write)
 * @phys: where @data[0] goes
 * @n:    bytes
 * @data: the bytes, or NULL (a write without data: nothing to log)
 *
 * Return: 0, or -COH_E_NOMEM.
 */
int coh_record_data(struct coh_sim *s, uint64_t phys, uint64_t n, const uint8_t *data)
{
	return data ? coh_write_log_add(s, s->ver, phys, data, n) : 0;
}

/**
 * coh_value_of - the value version @ver left at @phys: the logged byte of an
 * explicit write, else coh_synth_byte(@ver); 0 for version 0
 */
uint8_t coh_value_of(const struct coh_sim *s, uint32_t ver, uint64_t phys)
{
	uint8_t b;

	if (!ver)
		return 0;
	if (s->write_log && coh_write_log_find(s, ver, phys, &b))
		return b;
	return coh_synth_byte(ver);
}
