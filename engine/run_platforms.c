/* SPDX-License-Identifier: MIT */
/*
 * run_platforms.c - the platform matrix's replays: the same events on
 * several platforms at once, one worker thread per source.
 *
 * Runs whose platforms replay the source alike (coh_plat_same()) are
 * replayed once, and every run of that replay gets its results.  Workers
 * take the next replay from a shared counter, so a slow platform does not
 * hold up the others; each replay is a fresh simulation fed by coh_run()
 * from the worker's own source, and nothing is shared between threads but
 * the counter.  A run's result depends only on its platform and the
 * events, never on which worker ran it or when: the results are the same
 * whatever the number of workers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_run.h"
#include "coh_whatif.h"
#include "sim-local.h"

/* ---- which platforms replay a source alike --------------------------------
 *
 * Two platforms replay a source alike when they agree on every field the
 * replay (coh_sim_new() and coh_sim_apply() of each event) can read.  Each
 * field of struct coh_platform, what reads it, and whether it is compared:
 *
 * - name: compared never.  Nothing under coh_sim_new()/coh_sim_apply()
 *   reads it: the engine reads a platform's name only in
 *   coh_finding_explain() (a front end's call, with the platform it
 *   passes), the omission matrix's other presets (whatif_omit_rec.c) and
 *   the message of a simulation that cannot be made, which run_one() words
 *   per run.  Hashes (sim.c machine_hash) do not include it.
 * - line, sets, ways, ncpus, speculative, dma_align: compared; the caches,
 *   the granule and every path read them.  (A platform whose granule is
 *   its line can still take its results from the replay of one that
 *   differs only in a wider granule: derived, not shared; see below.)
 * - dev_default: compared never.  Only coh_platform_add_dev() reads it, a
 *   caller's step before the simulation exists; coh_sim_new() copies it and
 *   no engine file reads s->plat.dev_default.  coh_platform_check()
 *   validates it, so coh_plat_same() checks each platform whole first.
 * - ndevs, and of each device: name (coh_event_describe() in messages),
 *   coherent, bounce, signals_done: compared; Linux and Windows paths
 *   both read them.
 * - of each device, dma_version, ctrl_size, ctrl_chunk, posted: compared
 *   only when the source holds a Windows call (COH_GROUP_WINDOWS).
 *   dma_version is read by windows.c (put_sg, ke_flush_redundant, the
 *   GET_SG case of coh_windows_apply), all reached only from
 *   coh_windows_apply(), which sim.c dispatch() calls for Windows kinds
 *   alone (and by propose_call.c, a proposal's, not a replay's).
 *   ctrl_size and posted are read by adapter.c xfer_piece(), reached only
 *   through coh_xfer_device_access() for a mapping of kind
 *   COH_MAP_TRANSFER or COH_MAP_WIN_SG (access.c coh_dev_access), which
 *   only windows.c start_transfer() creates (linux.c makes STREAM, SG,
 *   COHERENT and PAGES mappings; map.c's split keeps the kind); with no
 *   such mapping the controller and posted FIFOs stay empty, and empty
 *   FIFOs hash, size and drain alike.  ctrl_chunk is read only by
 *   coh_platform_check().
 *
 * A source with an event of no group (an unknown kind) or that cannot be
 * read counts as holding every group (coh_source_groups()).
 */

/* Each field of struct coh_platform is named above; a field added to it
 * changes these sizes: name it there and in same_dev()/coh_plat_same(). */
_Static_assert(sizeof(struct coh_dev_cfg) == COH_NAME_MAX + 4 + 3 * 4,
	       "struct coh_dev_cfg changed: say above whether a replay reads the new field");
_Static_assert(sizeof(struct coh_platform) ==
	       COH_NAME_MAX + 4 * 4 + 4 + 4 + (1 + COH_MAX_DEVS) * sizeof(struct coh_dev_cfg) + 4,
	       "struct coh_platform changed: say above whether a replay reads the new field");

static int same_dev(const struct coh_dev_cfg *a, const struct coh_dev_cfg *b, int windows)
{
	if (strncmp(a->name, b->name, COH_NAME_MAX) != 0 || a->coherent != b->coherent ||
	    a->bounce != b->bounce || a->signals_done != b->signals_done)
		return 0;
	return !windows || (a->dma_version == b->dma_version && a->ctrl_size == b->ctrl_size &&
			    a->ctrl_chunk == b->ctrl_chunk && a->posted == b->posted);
}

int coh_plat_same(const struct coh_platform *a, const struct coh_platform *b, uint32_t groups)
{
	int windows = !!(groups & (1u << COH_GROUP_WINDOWS));

	if (coh_platform_check(a, NULL, 0) < 0 || coh_platform_check(b, NULL, 0) < 0)
		return 0;
	if (a->line != b->line || a->sets != b->sets || a->ways != b->ways ||
	    a->ncpus != b->ncpus || a->speculative != b->speculative ||
	    a->dma_align != b->dma_align || a->ndevs != b->ndevs)
		return 0;
	for (uint32_t d = 0; d < a->ndevs; d++)
		if (!same_dev(&a->devs[d], &b->devs[d], windows))
			return 0;
	return 1;
}

/* Each run's same_as: the first run before it that replays alike, else itself. */
static void group_runs(struct coh_plat_run *runs, unsigned n, uint32_t groups)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i && runs[i].same_as == i; j++)
			if (runs[j].same_as == j && coh_plat_same(runs[j].plat, runs[i].plat, groups))
				runs[i].same_as = j;
}

/* ---- runs derived from a replay at a wider DMA granule --------------------
 *
 * A platform whose DMA granule is its cache line, equal but for that to one
 * with a wider granule, gets its results from that one's replay
 * (granule.c says why they differ only in what it undoes), when the source
 * holds no Windows call (Windows transfers keep finding indexes).
 */
static int narrower(const struct coh_platform *wide, const struct coh_platform *narrow,
		    uint32_t groups)
{
	struct coh_platform t;

	if ((groups & (1u << COH_GROUP_WINDOWS)) || coh_platform_check(narrow, NULL, 0) < 0 ||
	    coh_platform_check(wide, NULL, 0) < 0 || coh_platform_granule(narrow) != narrow->line ||
	    coh_platform_granule(wide) <= wide->line)
		return 0;
	t = *narrow;
	t.dma_align = wide->dma_align;
	return coh_plat_same(wide, &t, groups);
}

/* Each replayed run's wider: a replayed run at a wider granule it derives
 * from, else -1. */
static void narrow_runs(struct coh_plat_run *runs, unsigned n, uint32_t groups)
{
	for (unsigned i = 0; i < n; i++) {
		runs[i].wider = -1;
		for (unsigned j = 0; j < n && runs[i].same_as == i && runs[i].wider < 0; j++)
			if (j != i && runs[j].same_as == j && narrower(runs[j].plat, runs[i].plat, groups))
				runs[i].wider = (int)j;
	}
}

/* A replay's expected cost, to start the dearest first: speculative fills,
 * copies through bounce slots and the maintenance of noncoherent devices
 * each add work to every access.  Only the order depends on it. */
static unsigned cost(const struct coh_platform *p)
{
	unsigned bounce = 0, noncoherent = 0;

	for (uint32_t d = 0; d < p->ndevs; d++) {
		bounce |= p->devs[d].bounce;
		noncoherent |= !p->devs[d].coherent;
	}
	return p->speculative + bounce + noncoherent;
}

/* The runs to replay (same_as == own index), dearest first, ties in order. */
static unsigned order_todo(const struct coh_plat_run *runs, unsigned n, unsigned *todo)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned j = k, c = cost(runs[i].plat);

		if (runs[i].same_as != i || runs[i].wider >= 0)
			continue;
		for (; j > 0 && cost(runs[todo[j - 1]].plat) < c; j--)
			todo[j] = todo[j - 1];
		todo[j] = i;
		k++;
	}
	return k;
}

/* ---- the workers ------------------------------------------------------------ */

struct plat_pool {
	struct coh_plat_run *runs;
	unsigned *todo;              /* the runs to replay, dearest first */
	unsigned ntodo;
	unsigned char *made;         /* per run: 1 when its simulation was made */
	unsigned sim_flags;
	const struct coh_sim_limits *limits;
	pthread_mutex_t lock;
	unsigned next;               /* the next of todo to take */
};

struct plat_worker {
	struct plat_pool *pool;
	const struct coh_source *src;
	pthread_t thread;
	int started;                 /* 1: the thread runs (join it) */
};

/* The next run to do, or -1 when all are taken. */
static int take(struct plat_pool *p)
{
	int i = -1;

	pthread_mutex_lock(&p->lock);
	if (p->next < p->ntodo)
		i = (int)p->todo[p->next++];
	pthread_mutex_unlock(&p->lock);
	return i;
}

/* The message of a run whose simulation could not be made: it names the
 * run's own platform. */
static void no_sim(struct coh_plat_run *run, int err)
{
	run->err = err;
	snprintf(run->errmsg, sizeof(run->errmsg), "platform %s: %s", run->plat->name,
		 coh_strerror(err));
}

/* One run: a fresh simulation of @run->plat fed every event of @src. */
static void run_one(const struct plat_pool *p, const struct coh_source *src, unsigned i)
{
	struct coh_plat_run *run = &p->runs[i];
	struct coh_run_result r = { .next = 0, .src = COH_SRC_NONE };
	int err = 0;

	run->sim = coh_sim_new(run->plat, p->sim_flags, &err);
	if (!run->sim) {
		no_sim(run, err);
		return;
	}
	p->made[i] = 1;
	if (p->limits && (err = coh_sim_set_limits(run->sim, p->limits)) < 0)
		snprintf(r.errmsg, sizeof(r.errmsg), "%s", coh_strerror(err));
	if (!err)
		err = coh_run(run->sim, src, 0, UINT64_MAX, NULL, &r);
	if (err >= 0) {
		run->err = 0;
		run->errmsg[0] = 0;
		return;
	}
	run->err = err;
	snprintf(run->errmsg, sizeof(run->errmsg), "event %llu: %.200s",
		 (unsigned long long)(r.src != COH_SRC_NONE ? r.src : r.next), r.errmsg);
	coh_sim_free(run->sim);
	run->sim = NULL;
}

static void *work(void *arg)
{
	struct plat_worker *w = arg;
	int i;

	while ((i = take(w->pool)) >= 0)
		run_one(w->pool, w->src, (unsigned)i);
	return NULL;
}

/* Start up to @n workers; the others' runs are taken by those that started.
 * Return: how many started. */
static unsigned start(struct plat_worker *w, unsigned n)
{
	unsigned started = 0;

	for (unsigned k = 0; k < n; k++) {
		w[k].started = pthread_create(&w[k].thread, NULL, work, &w[k]) == 0;
		started += (unsigned)w[k].started;
	}
	return started;
}

/* Replay pool->todo on up to @n workers, one per source. */
static int replay(struct plat_pool *pool, const struct coh_source *srcs, unsigned n)
{
	struct plat_worker *w = calloc(n ? n : 1, sizeof(*w));

	if (!w)
		return -COH_E_NOMEM;
	for (unsigned k = 0; k < n; k++)
		w[k] = (struct plat_worker){ .pool = pool, .src = &srcs[k] };
	if (!start(w, n))
		work(&w[0]);         /* no thread at all: do it here */
	for (unsigned k = 0; k < n; k++)
		if (w[k].started)
			pthread_join(w[k].thread, NULL);
	free(w);
	return 0;
}

/* The runs derived from a wider replay (narrow_runs()): each gets its
 * results from it, or, when they cannot be derived (that replay failed, or
 * was cut short where a narrower one might not be), is queued in
 * p->todo to be replayed itself.  Return: how many are queued. */
static unsigned derive(struct plat_pool *p, unsigned nruns)
{
	unsigned k = 0;

	for (unsigned i = 0; i < nruns; i++) {
		struct coh_plat_run *run = &p->runs[i];
		const struct coh_plat_run *w;
		int err;

		if (run->wider < 0)
			continue;
		w = &p->runs[run->wider];
		run->sim = w->sim && !w->err ? coh_sim_at_line_granule(w->sim, run->plat, &err) : NULL;
		if (run->sim) {
			p->made[i] = 1;
			run->err = 0;
			run->errmsg[0] = 0;
			continue;
		}
		run->wider = -1;
		p->todo[k++] = i;
	}
	p->ntodo = k;
	p->next = 0;
	return k;
}

/* Every run not replayed gets the results of the one replayed for it. */
static void share(const struct plat_pool *p, unsigned nruns)
{
	for (unsigned i = 0; i < nruns; i++) {
		struct coh_plat_run *run = &p->runs[i];
		const struct coh_plat_run *from = &p->runs[run->same_as];

		if (from == run)
			continue;
		run->sim = from->sim;
		run->err = from->err;
		memcpy(run->errmsg, from->errmsg, sizeof(run->errmsg));
		if (!p->made[run->same_as])
			no_sim(run, from->err);
	}
}

int coh_run_platforms(const struct coh_source *srcs, unsigned nsrcs,
		      struct coh_plat_run *runs, unsigned nruns, unsigned sim_flags,
		      const struct coh_sim_limits *limits)
{
	struct plat_pool pool = { runs, NULL, 0, NULL, sim_flags, limits,
				  PTHREAD_MUTEX_INITIALIZER, 0 };
	int err = -COH_E_NOMEM;

	if (!nruns)
		return 0;
	if (!srcs || !nsrcs || !runs)
		return -COH_E_INVAL;
	for (unsigned i = 0; i < nruns; i++) {
		runs[i].sim = NULL;
		runs[i].same_as = i;
		runs[i].wider = -1;
	}
	pool.todo = malloc(nruns * sizeof(*pool.todo));
	pool.made = calloc(nruns, 1);
	if (pool.todo && pool.made) {
		uint32_t groups = coh_source_groups(&srcs[0]);

		group_runs(runs, nruns, groups);
		narrow_runs(runs, nruns, groups);
		pool.ntodo = order_todo(runs, nruns, pool.todo);
		err = replay(&pool, srcs, nsrcs < pool.ntodo ? nsrcs : pool.ntodo);
		if (!err && derive(&pool, nruns))
			err = replay(&pool, srcs, nsrcs < pool.ntodo ? nsrcs : pool.ntodo);
	}
	if (!err)
		share(&pool, nruns);
	free(pool.todo);
	free(pool.made);
	pthread_mutex_destroy(&pool.lock);
	return err;
}

void coh_plat_runs_free(struct coh_plat_run *runs, unsigned nruns)
{
	for (unsigned i = 0; runs && i < nruns; i++)
		if (runs[i].same_as == i)
			coh_sim_free(runs[i].sim);
	for (unsigned i = 0; runs && i < nruns; i++)
		runs[i].sim = NULL;
}
