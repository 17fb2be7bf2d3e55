/* SPDX-License-Identifier: MIT */
/*
 * timeline.c - seeking a replay: snapshots plus deterministic re-execution.
 *
 * Snapshots are clones taken as the replay first passes a point: every
 * `interval` events when fixed, else spaced by replay work (WORK_EVENT).
 * The current state is tracked (coh_vm_track()): a snapshot holds the
 * snapshot before's memory with the pages written since in compact form,
 * and shares no page with the state that goes on.  When the memory they
 * hold beyond the current state exceeds the budget, every other one is
 * dropped and the interval doubles, so spacing adapts to how much state
 * each interval dirties.
 *
 * A seek back restores a snapshot and lets the current state go.  That
 * state holds its pages alone: at the end of big, 40 000 pages and their
 * blocks, 16 ms to free, as long as the seek's own replay.  So a state let
 * go is freed REAP_PAGES pages at a time at the start of each later seek
 * (about 1.5 ms; most such states are smaller and go at once), and whole
 * when the heap's figures are wanted
 * (coh_timeline_snapshot_bytes(), thinning: a seek that would thin while
 * one is left thins at the next instead).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-local.h"
#include "coh_run.h"
#include "timeline-local.h"
#include "coh_timeline.h"

/*
 * Without a fixed interval, snapshots are spaced by replay work rather than
 * by events, so that a seek's replay is bounded in time where events are
 * costly (big's disk stretches cost five times its median event): the work
 * of a stretch is WORK_EVENT units an event plus one a line touched (the
 * caches' LRU clocks, which every fill and hit advances).  Fitted on big's
 * replay in stretches of 2048 events: 0.83 us an event and 0.015 us a line
 * touched (95 % of stretches within 1.26x of it).  The first spacing,
 * FIRST_WORK units, is about 8 ms of replay by that fit, 9 Ki events that
 * only hit; the budget then widens it where snapshots cost too much.
 */
#define WORK_EVENT 56
#define FIRST_WORK (1ull << 19)

#define REAP_PAGES 4096
#define MAX_DYING  8

struct snap {
	uint64_t pos;
	uint64_t work;               /* work() of the state it was taken of */
	struct coh_sim *sim;         /* coh_sim_snapshot(): only cloned */
	size_t bytes;                /* the full size of the state it was taken of */
};

struct coh_timeline {
	struct coh_platform plat;
	struct coh_source src;
	unsigned flags;
	struct coh_sim *cur;
	struct snap *snaps;          /* by position, snaps[0] at 0 */
	size_t nsnaps, capsnaps;
	uint64_t interval;           /* events (fixed_interval), or work units */
	bool fixed_interval;
	size_t budget;               /* 0: no limit */
	bool rebuilt;                /* cur was restored and is behind the last
				      * snapshot: its copies of pages the snapshots
				      * hold grow their cost as it runs */
	struct coh_hooks hooks;      /* installed on cur (coh_timeline_set_hooks) */
	unsigned hook_flags;         /* COH_TIMELINE_HOOKS_* */
	struct coh_sim *dying[MAX_DYING];   /* states let go, oldest first */
	size_t ndying;
	bool thin_due;               /* a seek's thin() waits for them */
	char errmsg[256];
};

/* Free up to @pages pages of each state let go (SIZE_MAX: all of them):
 * most are the few pages a seek's replay wrote, and go at once; the one
 * that was at the frontier goes over several seeks. */
static void reap(struct coh_timeline *tl, size_t pages)
{
	size_t k = 0;

	for (size_t i = 0; i < tl->ndying; i++)
		if (!coh_sim_free_some(tl->dying[i], pages))
			tl->dying[k++] = tl->dying[i];
	tl->ndying = k;
}

/* Let @s go: later seeks free it a part at a time. */
static void let_go(struct coh_timeline *tl, struct coh_sim *s)
{
	if (tl->ndying == MAX_DYING) {           /* the oldest goes now */
		coh_sim_free_some(tl->dying[0], SIZE_MAX);
		tl->ndying--;
		memmove(tl->dying, tl->dying + 1, tl->ndying * sizeof(tl->dying[0]));
	}
	tl->dying[tl->ndying++] = s;
}

/* The replay work up to @s's position (see WORK_EVENT). */
static uint64_t work(const struct coh_sim *s)
{
	uint64_t w = WORK_EVENT * coh_sim_pos(s);

	for (unsigned cpu = 0; cpu < s->plat.ncpus; cpu++)
		w += s->cache[cpu].clock;
	return w;
}

static int add_snap(struct coh_timeline *tl)
{
	struct coh_sim *c;

	if (tl->nsnaps == tl->capsnaps) {
		size_t cap = tl->capsnaps ? 2 * tl->capsnaps : 16;
		struct snap *v = realloc(tl->snaps, cap * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		tl->snaps = v;
		tl->capsnaps = cap;
	}
	c = coh_sim_snapshot(tl->cur);
	if (!c)
		return -COH_E_NOMEM;
	coh_sim_set_hooks(c, NULL);
	tl->snaps[tl->nsnaps++] = (struct snap){ coh_sim_pos(tl->cur), work(tl->cur), c,
						 coh_sim_mem_bytes(tl->cur) };
	return 0;
}

/* Everything held beyond the largest single state: the current one, whose
 * own bytes are @own (a walk of its memory), or the furthest snapshot
 * (states only grow as a replay goes on). */
static size_t held_beyond(const struct coh_timeline *tl, size_t own)
{
	size_t total = coh_sim_heap_bytes(tl->cur);

	if (tl->nsnaps && tl->snaps[tl->nsnaps - 1].bytes > own)
		own = tl->snaps[tl->nsnaps - 1].bytes;
	return total > own ? total - own : 0;
}

size_t coh_timeline_snapshot_bytes(const struct coh_timeline *tl)
{
	/* states let go are freed first: they change no figure but the heap's */
	reap((struct coh_timeline *)tl, SIZE_MAX);
	return held_beyond(tl, coh_sim_mem_bytes(tl->cur));
}

/* Drop every other snapshot until within budget; never the first, nor the
 * one the current state's memory is tracked from (the next snapshot is
 * built over it: dropped, it would be held all the same).  @own: the
 * current state's own bytes when known (a snapshot of it was just taken),
 * else SIZE_MAX: walked once here (a quarter of a replay's time when it
 * was walked again each round and after each snapshot; dropping
 * snapshots frees none of them). */
static void thin(struct coh_timeline *tl, size_t own)
{
	if (!tl->budget || tl->nsnaps <= 2)
		return;
	reap(tl, SIZE_MAX);
	if (own == SIZE_MAX)
		own = coh_sim_mem_bytes(tl->cur);
	while (tl->nsnaps > 2 && held_beyond(tl, own) > tl->budget) {
		size_t k = 1;

		for (size_t i = 1; i < tl->nsnaps; i++) {
			if (i % 2 && !coh_vm_is_base(tl->cur, tl->snaps[i].sim)) {
				coh_sim_free(tl->snaps[i].sim);
				continue;
			}
			tl->snaps[k++] = tl->snaps[i];
		}
		if (k == tl->nsnaps)
			break;
		tl->nsnaps = k;
		if (!tl->fixed_interval)
			tl->interval *= 2;
	}
}

struct coh_timeline *coh_timeline_new(const struct coh_platform *p,
				      const struct coh_source *src,
				      const struct coh_timeline_opts *opts, int *err)
{
	struct coh_timeline *tl = calloc(1, sizeof(*tl));
	int e = 0;

	if (!tl || !src || !src->count || !src->get) {
		free(tl);
		if (err)
			*err = tl ? -COH_E_INVAL : -COH_E_NOMEM;
		return NULL;
	}
	tl->plat = *p;
	tl->src = *src;
	tl->flags = opts ? opts->sim_flags : 0;
	tl->interval = opts && opts->interval ? opts->interval : FIRST_WORK;
	tl->fixed_interval = opts && opts->interval;
	if (opts && opts->snapshot_budget)
		tl->budget = opts->snapshot_budget == SIZE_MAX ? 0 : opts->snapshot_budget;
	else if (src->bytes)
		tl->budget = src->bytes(src->ctx) / 4;
	tl->cur = coh_sim_new(p, tl->flags, &e);
	if (tl->cur)
		coh_vm_track(tl->cur, NULL);
	if (tl->cur && opts && opts->limits)
		e = coh_sim_set_limits(tl->cur, opts->limits);
	if (tl->cur && !e)
		e = add_snap(tl);
	if (err)
		*err = e;
	if (e < 0) {
		coh_timeline_free(tl);
		return NULL;
	}
	return tl;
}

static const struct snap *nearest(const struct coh_timeline *tl, uint64_t pos);

/* A timeline shaped as @rec (flags, spacing, budget), with no state yet. */
static struct coh_timeline *shaped_as(const struct coh_timeline *rec,
				      const struct coh_source *src,
				      const struct coh_platform *p)
{
	struct coh_timeline *tl = calloc(1, sizeof(*tl));

	if (!tl)
		return NULL;
	tl->plat = *p;
	tl->src = *src;
	tl->flags = rec->flags;
	tl->interval = rec->interval;
	tl->fixed_interval = rec->fixed_interval;
	tl->budget = rec->budget;
	return tl;
}

/* Clones of @rec's snapshots at positions up to @same; cur is a clone of
 * the last of them. */
static int share_snaps(struct coh_timeline *tl, const struct coh_timeline *rec, uint64_t same)
{
	size_t n = 0;

	while (n < rec->nsnaps && rec->snaps[n].pos <= same)
		n++;
	tl->snaps = calloc(n, sizeof(*tl->snaps));
	if (!tl->snaps)
		return -COH_E_NOMEM;
	tl->capsnaps = n;
	for (size_t i = 0; i < n; i++) {
		struct coh_sim *c = coh_sim_snapshot(rec->snaps[i].sim);

		if (!c)
			return -COH_E_NOMEM;
		tl->snaps[tl->nsnaps++] = (struct snap){ rec->snaps[i].pos, rec->snaps[i].work, c,
							 rec->snaps[i].bytes };
	}
	if (!(tl->cur = coh_sim_clone(tl->snaps[n - 1].sim)))
		return -COH_E_NOMEM;
	coh_vm_track(tl->cur, tl->snaps[n - 1].sim);
	return 0;
}

/* A fresh state at event 0 on @tl's platform, bounded as @rec's. */
static int fresh_start(struct coh_timeline *tl, const struct coh_timeline *rec)
{
	struct coh_sim_limits l;
	int e = 0;

	tl->cur = coh_sim_new(&tl->plat, tl->flags, &e);
	if (!tl->cur)
		return e;
	coh_vm_track(tl->cur, NULL);
	coh_sim_get_limits(rec->cur, &l);
	if ((e = coh_sim_set_limits(tl->cur, &l)) < 0)
		return e;
	return add_snap(tl);
}

struct coh_timeline *coh_timeline_derive(const struct coh_timeline *rec,
					 const struct coh_source *src, uint64_t same,
					 const struct coh_platform *p, int *err)
{
	bool other = p && memcmp(p, &rec->plat, sizeof(*p)) != 0;
	struct coh_timeline *tl;
	int e;

	if (!src || !src->count || !src->get) {
		if (err)
			*err = -COH_E_INVAL;
		return NULL;
	}
	tl = shaped_as(rec, src, other ? p : &rec->plat);
	if (!tl)
		e = -COH_E_NOMEM;
	else if (other || same == 0)
		e = fresh_start(tl, rec);
	else
		e = share_snaps(tl, rec, same);
	if (err)
		*err = e;
	if (e < 0) {
		coh_timeline_free(tl);
		return NULL;
	}
	return tl;
}

struct coh_sim *coh_timeline_state_at(const struct coh_timeline *tl, uint64_t pos, int *err)
{
	const struct snap *sn = nearest(tl, pos);
	struct coh_sim *c;
	int e = 0;

	if (pos > tl->src.count(tl->src.ctx))
		e = -COH_E_SEEK;
	else if (!(c = coh_sim_clone(sn->sim)))
		e = -COH_E_NOMEM;
	else if ((e = coh_run(c, &tl->src, sn->pos, pos, NULL, NULL)) < 0)
		coh_sim_free(c);
	if (err)
		*err = e < 0 ? e : 0;
	return e < 0 ? NULL : c;
}

const struct coh_platform *coh_timeline_platform(const struct coh_timeline *tl)
{
	return &tl->plat;
}

void coh_timeline_free(struct coh_timeline *tl)
{
	if (!tl)
		return;
	reap(tl, SIZE_MAX);
	for (size_t i = 0; i < tl->nsnaps; i++)
		coh_sim_free(tl->snaps[i].sim);
	free(tl->snaps);
	coh_sim_free(tl->cur);
	free(tl);
}

/* The last snapshot at or before @pos. */
static const struct snap *nearest(const struct coh_timeline *tl, uint64_t pos)
{
	size_t lo = 0, hi = tl->nsnaps;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (tl->snaps[mid].pos <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return &tl->snaps[lo];
}

static int restore(struct coh_timeline *tl, const struct snap *sn)
{
	struct coh_sim *c = coh_sim_clone(sn->sim);

	if (!c)
		return -COH_E_NOMEM;
	coh_vm_track(c, sn->sim);
	let_go(tl, tl->cur);
	tl->cur = c;
	if (tl->hook_flags & COH_TIMELINE_HOOKS_REEXEC)
		coh_sim_set_hooks(c, &tl->hooks);
	return 0;
}

/* After each event: a snapshot every `interval` events, or once the work
 * since the last one reaches `interval` units; first time past. */
static int after_event(void *ctx, struct coh_sim *s, const struct coh_event *ev, uint64_t i)
{
	struct coh_timeline *tl = ctx;
	const struct snap *last = &tl->snaps[tl->nsnaps - 1];
	uint64_t pos = i + 1;
	bool due;
	int err;

	(void)ev;
	if (pos <= last->pos)
		return 0;
	due = tl->fixed_interval ? pos % tl->interval == 0 : work(s) - last->work >= tl->interval;
	if (due) {
		if ((err = add_snap(tl)) < 0)
			return err;
		thin(tl, tl->snaps[tl->nsnaps - 1].bytes);
	}
	return 0;
}

static int run_to(struct coh_timeline *tl, uint64_t pos)
{
	struct coh_run_opts o = { .ctx = tl, .event = after_event };
	struct coh_run_result r;
	int err = coh_run(tl->cur, &tl->src, coh_sim_pos(tl->cur), pos, &o, &r);

	if (err >= 0)
		return 0;
	if (r.source) {
		snprintf(tl->errmsg, sizeof(tl->errmsg), "event %llu: the source failed (%.200s)",
			 (unsigned long long)r.next, r.errmsg);
		return -COH_E_SOURCE;
	}
	snprintf(tl->errmsg, sizeof(tl->errmsg), "event %llu: %.220s", (unsigned long long)r.next,
		 r.errmsg);
	return err;
}

int coh_timeline_seek(struct coh_timeline *tl, uint64_t pos)
{
	uint64_t cur = coh_sim_pos(tl->cur);
	const struct snap *sn;
	bool restored;
	int err;

	tl->errmsg[0] = 0;
	reap(tl, REAP_PAGES);
	if (tl->thin_due && !tl->ndying)
		thin(tl, SIZE_MAX);
	tl->thin_due &= tl->ndying > 0;
	if (pos > tl->src.count(tl->src.ctx)) {
		snprintf(tl->errmsg, sizeof(tl->errmsg), "event %llu is past the end (%llu)",
			 (unsigned long long)pos,
			 (unsigned long long)tl->src.count(tl->src.ctx));
		return -COH_E_SEEK;
	}
	sn = nearest(tl, pos);
	restored = pos < cur || sn->pos > cur;
	if (restored && (err = restore(tl, sn)) < 0)
		return err;
	tl->rebuilt |= restored;
	err = run_to(tl, pos);                       /* may add snapshots: sn is stale */
	coh_sim_set_hooks(tl->cur, &tl->hooks);
	if (err < 0)
		return err;
	/* a state rebuilt from an early snapshot copies pages later snapshots
	 * also hold, on every seek until it is past the last one (then, as
	 * the frontier, each snapshot it adds thins): keep within the budget
	 * after such seeks too */
	if (tl->rebuilt && tl->ndying)
		tl->thin_due = true;                 /* once they are freed */
	else if (tl->rebuilt)
		thin(tl, SIZE_MAX);
	tl->rebuilt = pos < tl->snaps[tl->nsnaps - 1].pos;
	return 0;
}

uint64_t coh_timeline_pos(const struct coh_timeline *tl)
{
	return coh_sim_pos(tl->cur);
}

const struct coh_sim *coh_timeline_sim(const struct coh_timeline *tl)
{
	return tl->cur;
}

struct coh_sim *coh_timeline_fork(const struct coh_timeline *tl)
{
	return coh_sim_clone(tl->cur);
}

const char *coh_timeline_errmsg(const struct coh_timeline *tl)
{
	return tl->errmsg;
}

size_t coh_timeline_nsnapshots(const struct coh_timeline *tl)
{
	return tl->nsnaps;
}

uint64_t coh_timeline_interval(const struct coh_timeline *tl)
{
	if (tl->fixed_interval || tl->nsnaps < 2)
		return tl->fixed_interval ? tl->interval : 0;
	return tl->snaps[tl->nsnaps - 1].pos / (tl->nsnaps - 1);
}

void coh_timeline_set_hooks(struct coh_timeline *tl, const struct coh_hooks *h,
			    unsigned flags)
{
	memset(&tl->hooks, 0, sizeof(tl->hooks));
	if (h)
		tl->hooks = *h;
	tl->hook_flags = flags;
	coh_sim_set_hooks(tl->cur, &tl->hooks);
}

/* The last snapshot at or before @pos, and its position (timeline_search.c). */
const struct coh_sim *coh_timeline_snap_before(const struct coh_timeline *tl, uint64_t pos,
					       uint64_t *snap_pos)
{
	const struct snap *sn = nearest(tl, pos);

	*snap_pos = sn->pos;
	return sn->sim;
}

uint64_t coh_timeline_snap_pos(const struct coh_timeline *tl, uint64_t pos)
{
	return nearest(tl, pos)->pos;
}

const struct coh_source *coh_timeline_source(const struct coh_timeline *tl)
{
	return &tl->src;
}
