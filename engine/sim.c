/* SPDX-License-Identifier: MIT */
/*
 * sim.c - a simulation's life: create, clone, apply events, hash, free.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "adapter.h"
#include "cache.h"
#include "cache_snap.h"
#include "dma_api.h"
#include "finding-local.h"
#include "map.h"
#include "mem.h"
#include "scope.h"
#include "shared_log.h"
#include "sim-local.h"
#include "skip.h"
#include "src_log.h"
#include "varr.h"
#include "write_log.h"
#include "xfer.h"
#include "sim_limits.h"

int coh_sim_err(struct coh_sim *s, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
	return code < 0 ? code : -code;
}

static uint32_t log2u(uint32_t v)
{
	uint32_t k = 0;

	while ((1u << k) < v)
		k++;
	return k;
}

static void sim_teardown(struct coh_sim *s)
{
	coh_vm_free(s);
	for (unsigned c = 0; c < COH_MAX_CPUS; c++)
		if (s->cache[c].lines)
			coh_cache_fini(s, c);
	coh_cache_snap_put(s, s->csnap);
	for (uint32_t d = 0; s->dev && d < s->plat.ndevs; d++) {
		coh_heap_free(s->heap, s->dev[d].ctrl.v, s->dev[d].ctrl.cap * sizeof(struct held));
		coh_heap_free(s->heap, s->dev[d].posted.v, s->dev[d].posted.cap * sizeof(struct held));
	}
	coh_heap_free(s->heap, s->dev, MAX(s->plat.ndevs, 1) * sizeof(*s->dev));
	coh_map_table_free(s);
	coh_finding_log_release(s);
	coh_write_log_release(s);
	coh_src_release(s);
}

void coh_sim_free(struct coh_sim *s)
{
	struct coh_heap *h;

	if (!s)
		return;
	h = s->heap;
	sim_teardown(s);
	if (!ref_put(&h->refs))
		free(h);
	free(s);
}

/**
 * coh_sim_free_some - free @s a part at a time (a state let go, never used
 * again): up to about @pages pages of its memory, then, when none is left,
 * the rest of it
 *
 * Return: true when @s is freed, false when a call remains to be made.
 */
bool coh_sim_free_some(struct coh_sim *s, size_t pages)
{
	if (!coh_vm_free_some(s, pages))
		return false;
	coh_sim_free(s);
	return true;
}

struct coh_sim *coh_sim_new(const struct coh_platform *p, unsigned flags, int *err)
{
	struct coh_sim *s;
	int e = coh_platform_check(p, NULL, 0);

	if (err)
		*err = e;
	if (e < 0)
		return NULL;
	if (flags & ~(COH_SIM_STRICT | COH_SIM_NO_FAST)) {
		if (err)
			*err = -COH_E_INVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->heap = calloc(1, sizeof(*s->heap)))) {
		free(s);
		if (err)
			*err = -COH_E_NOMEM;
		return NULL;
	}
	ref_init(&s->heap->refs, 1);
	s->plat = *p;
	s->flags = flags;
	s->lshift = log2u(p->line);
	s->granule = coh_platform_granule(p);
	s->xfer = &coh_windows_xfer_ops;
	coh_limits_init(&s->lim);
	s->dev = coh_heap_zalloc(s->heap, MAX(p->ndevs, 1) * sizeof(*s->dev));
	e = s->dev ? 0 : -COH_E_NOMEM;
	for (unsigned c = 0; !e && c < p->ncpus; c++)
		e = coh_cache_init(s, c);
	if (e < 0) {
		coh_sim_free(s);
		if (err)
			*err = e;
		return NULL;
	}
	return s;
}

static int fifo_copy(struct coh_sim *dst, struct fifo *d, const struct fifo *q)
{
	*d = *q;
	d->v = NULL;
	if (!q->cap)
		return 0;
	d->v = coh_heap_alloc(dst->heap, q->cap * sizeof(*d->v));
	if (!d->v)
		return -COH_E_NOMEM;
	memcpy(d->v, q->v, q->cap * sizeof(*d->v));
	return 0;
}

/* @c's caches as @s's: shared in compact form when @compact (a snapshot),
 * else in full, restored from @s's compact form if it has one. */
static int caches_copy(struct coh_sim *c, const struct coh_sim *s, bool compact)
{
	int err = 0;

	if (compact) {
		c->csnap = s->csnap ? coh_cache_snap_get(s->csnap) : coh_cache_snap_new(c, s);
		return c->csnap ? 0 : -COH_E_NOMEM;
	}
	if (s->csnap)
		return coh_cache_snap_restore(c, s->csnap);
	for (unsigned cpu = 0; !err && cpu < s->plat.ncpus; cpu++)
		err = coh_cache_copy(c, s, cpu);
	return err;
}

static struct coh_sim *clone_as(const struct coh_sim *src, bool compact)
{
	struct coh_sim *s = (struct coh_sim *)src;   /* its TLB is flushed */
	struct coh_sim *c = malloc(sizeof(*c));
	int err;

	if (!c)
		return NULL;
	*c = *s;
	ref_get(&c->heap->refs);
	memset(c->cache, 0, sizeof(c->cache));
	memset(&c->maps, 0, sizeof(c->maps));
	c->csnap = NULL;
	c->dev = NULL;
	c->dead = NULL;
	c->finding_log = NULL;
	c->write_log = NULL;
	c->src_log = NULL;
	c->ev = NULL;
	if (!(s->hooks.flags & COH_HOOKS_INHERIT))
		memset(&c->hooks, 0, sizeof(c->hooks));
	err = coh_vm_clone(c, s, compact);
	coh_finding_log_clone(c, s);
	coh_write_log_clone(c, s);
	coh_src_clone(c, s);
	if (!err)
		err = caches_copy(c, s, compact);
	c->dev = coh_heap_zalloc(c->heap, MAX(s->plat.ndevs, 1) * sizeof(*c->dev));
	for (uint32_t d = 0; !err && c->dev && d < s->plat.ndevs; d++) {
		err = fifo_copy(c, &c->dev[d].ctrl, &s->dev[d].ctrl);
		if (!err)
			err = fifo_copy(c, &c->dev[d].posted, &s->dev[d].posted);
	}
	if (!err && c->dev)
		err = coh_map_table_copy(c, s, compact);
	if (err || !c->dev) {
		coh_sim_free(c);
		return NULL;
	}
	return c;
}

struct coh_sim *coh_sim_clone(const struct coh_sim *src)
{
	return clone_as(src, false);
}

/**
 * coh_sim_snapshot - a clone to keep and clone from later (a timeline's
 * snapshot): its caches are in compact form (cache_snap.c), so nothing but
 * coh_sim_clone(), coh_sim_snapshot(), coh_sim_pos(), coh_sim_flags(),
 * coh_sim_get_limits(), coh_sim_mem_bytes() and coh_sim_free() may be
 * called on it; a snapshot of a snapshot shares that form.
 *
 * Return: caller frees with coh_sim_free(), or NULL when out of memory.
 */
struct coh_sim *coh_sim_snapshot(const struct coh_sim *src)
{
	return clone_as(src, true);
}

/**
 * coh_sim_clone_alone - coh_sim_clone() whose append-only logs (findings,
 * write data, file indexes) are its own copies of its prefix, not shared
 * with @src: a clone that may append in place to a shared log would race
 * with clones of the same state in other threads.  Pages, nodes and
 * mappings stay shared (their sharer counts are atomic, util.h).
 *
 * Return: caller frees with coh_sim_free(), or NULL when out of memory.
 */
struct coh_sim *coh_sim_clone_alone(const struct coh_sim *src)
{
	struct coh_sim *c = coh_sim_clone(src);
	int err;

	if (!c)
		return NULL;
	err = coh_shared_log_unshare(c->heap, &c->finding_log, c->nfind,
				     sizeof(struct coh_finding));
	if (!err)
		err = coh_shared_log_unshare(c->heap, &c->src_log, c->nsrc, sizeof(uint64_t));
	if (!err)
		err = coh_write_log_unshare(c);
	if (err) {
		coh_sim_free(c);
		return NULL;
	}
	return c;
}

/* ---- applying events -------------------------------------------------------- */

static int dispatch(struct coh_sim *s, const struct coh_event *ev)
{
	switch (coh_kind_group(ev->kind)) {
	case COH_GROUP_LINUX:
		return coh_linux_apply(s, ev);
	case COH_GROUP_WINDOWS:
		return coh_windows_apply(s, ev);
	case COH_GROUP_MARKER:
		return coh_scope_apply(s, ev);
	}
	switch (ev->kind) {
	case COH_EV_CPU_READ:
		return coh_cpu_read(s, ev->cpu, ev->addr, ev->len);
	case COH_EV_CPU_WRITE:
		return coh_cpu_write(s, ev->cpu, ev->addr, ev->len, ev->data);
	case COH_EV_DEV_READ:
	case COH_EV_DEV_WRITE:
		coh_scope_note_device(s, ev->dev);
		return coh_dev_access(s, ev->dev, ev->addr, ev->len, ev->kind == COH_EV_DEV_WRITE,
				  ev->data);
	case COH_EV_DEV_DONE:
		return coh_windows_dev_done(s, ev);
	case COH_EV_EVICT:
		return coh_cache_evict_range(s, ev->cpu, ev->addr, ev->len);
	case COH_EV_SPEC_FILL:
		return coh_cache_spec_fill(s, ev->cpu, ev->addr, ev->len);
	}
	return -COH_E_KIND;
}

/* Small CPU accesses may take the fast path (fast.c) unless switched off. */
static bool fast_ok(const struct coh_sim *s, const struct coh_event *ev)
{
	return ev && ev->kind <= COH_EV_CPU_WRITE && !(s->flags & COH_SIM_NO_FAST) &&
	       s->pos < UINT32_MAX - 1 && ev->len && ev->addr + (ev->len - 1) >= ev->addr &&
	       (!s->lim.event_bytes || ev->len <= s->lim.event_bytes);
}

static int applied(struct coh_sim *s, const struct coh_event *ev)
{
	if (s->hooks.event)
		s->hooks.event(s->hooks.ctx, s, ev);
	return 0;
}

static int failed(struct coh_sim *s, const struct coh_event *ev, int err)
{
	char bound[96];

	if (!s->limit)
		return coh_sim_err(s, err, "%s: %s", coh_kind_name(ev->kind), coh_strerror(err));
	coh_limit_describe(s, bound, sizeof(bound));
	return coh_sim_err(s, -COH_E_TOOBIG, "%s: the simulation reached its bound of %s",
			   coh_kind_name(ev->kind), bound);
}

int coh_sim_apply(struct coh_sim *s, const struct coh_event *ev)
{
	char msg[160];
	int err;

	if (fast_ok(s, ev)) {
		s->ev = ev;
		s->seq = s->pos;
		s->ver = (uint32_t)(s->pos + 1);
		s->limit = NULL;
		err = coh_src_note(s, ev->src);
		if (!err)
			err = coh_fast_access(s, ev);
		if (err > 0) {
			s->ev = NULL;
			s->last_result = 0;
			s->pos++;
			return applied(s, ev);
		}
		if (err < 0)
			return failed(s, ev, err);
	}
	s->errmsg[0] = 0;
	err = coh_event_check(ev, &s->plat, msg, sizeof(msg));
	if (!err)
		err = coh_limit_event_check(s, ev, msg, sizeof(msg));
	if (err < 0)
		return coh_sim_err(s, err, "%s", msg);
	if (s->pos >= UINT32_MAX - 1)
		return coh_sim_err(s, -COH_E_TOOBIG, "more than %u events", UINT32_MAX - 1);
	s->ev = ev;
	s->seq = s->pos;
	s->ver = (uint32_t)(s->pos + 1);
	s->last_result = 0;
	s->inferring = false;
	s->limit = NULL;
	err = coh_src_note(s, ev->src);
	if (!err)
		err = dispatch(s, ev);
	s->ev = NULL;
	s->inferring = false;
	s->pos++;
	if (err < 0)
		return failed(s, ev, err);
	return applied(s, ev);
}

const char *coh_sim_errmsg(const struct coh_sim *s)
{
	return s->errmsg;
}

uint64_t coh_sim_pos(const struct coh_sim *s)
{
	return s->pos;
}

const struct coh_platform *coh_sim_platform(const struct coh_sim *s)
{
	return &s->plat;
}

unsigned coh_sim_flags(const struct coh_sim *s)
{
	return s->flags;
}

int64_t coh_sim_last_result(const struct coh_sim *s)
{
	return s->last_result;
}

size_t coh_sim_nfindings(const struct coh_sim *s)
{
	return s->nfind;
}

const struct coh_finding *coh_sim_finding(const struct coh_sim *s, size_t i)
{
	return i < s->nfind ? finding_at(s, i) : NULL;
}

uint64_t coh_sim_stale_reads(const struct coh_sim *s)
{
	return s->stale_reads;
}

void coh_sim_set_hooks(struct coh_sim *s, const struct coh_hooks *h)
{
	if (h)
		s->hooks = *h;
	else
		memset(&s->hooks, 0, sizeof(s->hooks));
}

void coh_sim_get_hooks(const struct coh_sim *s, struct coh_hooks *out)
{
	*out = s->hooks;
}

/* ---- hashing and size -------------------------------------------------------- */

/* @next: 0, or the next mapping number, to hash each held byte's mapping
 * relative to it (coh_map_state_hash()). */
static uint64_t fifo_hash(const struct fifo *q, uint64_t h, uint32_t next)
{
	h = mix(mix(h, q->n), q->dir);
	for (uint32_t i = 0; i < q->n; i++) {
		const struct held *e = &q->v[(q->head + i) % q->cap];

		h = mix(mix(mix(h, e->phys), e->ver), next ? next - e->map : e->map);
	}
	return h;
}

/* Everything the next events' effects depend on, except the counters and
 * the findings (see coh_sim_state_hash()); @whole: hash the KeFlushIoBuffers
 * notes' access counts as they are (coh_sim_hash()) rather than relative to
 * the current count. */
static uint64_t machine_hash(const struct coh_sim *s, uint64_t h, bool whole, bool vm)
{
	uint32_t next = whole ? 0 : s->next_map;

	h = mix(mix(whole ? mix(h, s->next_map) : h, s->next_scope), s->nscopes);
	for (uint32_t i = 0; i < s->nscopes; i++) {
		h = mix(h, s->scopes[i].id);
		for (unsigned w = 0; w < (COH_MAX_DEVS + 63) / 64; w++)
			h = mix(h, s->scopes[i].devs[w]);
	}
	for (unsigned i = 0; i < KFLUSH_RING; i++)
		if (s->kf[i].valid) {
			h = mix(mix(mix(h, s->kf[i].addr), s->kf[i].len),
				whole ? s->kf[i].nacc : s->nacc - s->kf[i].nacc);
			if (s->kf[i].v3_pending)
				h = mix(h, 3);
		}
	for (unsigned w = 0; w < (COH_MAX_DEVS + 63) / 64; w++)
		h = mix(h, s->done_devs[w]);
	for (unsigned i = 0; i < ENDED_RING; i++)
		if (s->ended[i].len)
			h = mix(mix(mix(h, s->ended[i].phys), s->ended[i].len), s->ended[i].dev);
	for (unsigned i = 0; i < IRP_NOTES; i++)
		if (s->irps[i].irp)
			h = mix(mix(mix(h, s->irps[i].irp), s->irps[i].flushed),
				(uint64_t)(int64_t)s->irps[i].last_flush);
	for (uint32_t d = 0; d < s->plat.ndevs; d++)
		h = fifo_hash(&s->dev[d].posted, fifo_hash(&s->dev[d].ctrl, h, next), next);
	h = coh_skip_hash(s, h);
	h = coh_cache_hash(s, h);
	if (vm)
		h = coh_vm_hash(s, h);
	return whole ? coh_map_hash(s, h) : coh_map_state_hash(s, h);
}

uint64_t coh_sim_hash(const struct coh_sim *s)
{
	uint64_t h = mix(mix(mix(0x636f6873696dull, s->pos), s->nacc), s->stale_reads);

	h = machine_hash(s, h, true, true);
	h = mix(h, s->nfind);
	for (size_t i = 0; i < s->nfind; i++) {
		const struct coh_finding *f = finding_at(s, i);

		h = mix(mix(mix(mix(h, f->id), f->rule), f->seq), (uint64_t)f->parent);
		h = mix(mix(h, f->addr), f->len);
	}
	return mix(h, s->ndata);
}

uint64_t coh_sim_state_hash(const struct coh_sim *s)
{
	return machine_hash(s, 0x636f6873746174ull, false, true);
}

int coh_sim_state_equal(const struct coh_sim *a, const struct coh_sim *b)
{
	return machine_hash(a, 0, false, false) == machine_hash(b, 0, false, false) &&
	       coh_vm_equal(a, b);
}

size_t coh_sim_mem_bytes(const struct coh_sim *s)
{
	size_t n = sizeof(*s) + coh_vm_bytes(s) + coh_map_bytes(s);

	n += s->csnap ? coh_cache_snap_bytes(s->csnap) : coh_cache_bytes(s);

	n += MAX(s->plat.ndevs, 1) * sizeof(*s->dev);
	for (uint32_t d = 0; d < s->plat.ndevs; d++)
		n += (s->dev[d].ctrl.cap + s->dev[d].posted.cap) * sizeof(struct held);
	n += coh_shared_log_bytes(s->finding_log) + coh_shared_log_bytes(s->src_log);
	if (s->write_log)
		n += s->write_log->cap * sizeof(*s->write_log->v) + s->write_log->capbytes +
		     s->write_log->hcap * sizeof(*s->write_log->hash);
	return n;
}

size_t coh_sim_heap_bytes(const struct coh_sim *s)
{
	return atomic_load_explicit(&s->heap->bytes, memory_order_relaxed);
}
