/* SPDX-License-Identifier: MIT */
/*
 * run_platforms.c - the platform matrix's replays: the same events on
 * several platforms at once, one worker thread per source.
 *
 * Workers take the next run from a shared counter, so a slow platform does
 * not hold up the others; each run is a fresh simulation replayed with
 * coh_run() from the worker's own source, and nothing is shared between
 * threads but the counter.  A run's result depends only on its platform and
 * the events, never on which worker ran it or when: the results are the
 * same whatever the number of workers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "coh_run.h"
#include "coh_whatif.h"

struct plat_pool {
	struct coh_plat_run *runs;
	unsigned nruns;
	unsigned sim_flags;
	const struct coh_sim_limits *limits;
	pthread_mutex_t lock;
	unsigned next;               /* the next run to take */
};

struct plat_worker {
	struct plat_pool *pool;
	const struct coh_source *src;
	pthread_t thread;
	int started;                 /* 1: the thread runs (join it) */
};

/* The index of the next run to do, or nruns when all are taken. */
static unsigned take(struct plat_pool *p)
{
	unsigned i;

	pthread_mutex_lock(&p->lock);
	i = p->next < p->nruns ? p->next++ : p->nruns;
	pthread_mutex_unlock(&p->lock);
	return i;
}

/* One run: a fresh simulation of @run->plat fed every event of @src. */
static void run_one(const struct plat_pool *p, const struct coh_source *src,
		    struct coh_plat_run *run)
{
	struct coh_run_result r = { .next = 0, .src = COH_SRC_NONE };
	int err = 0;

	run->sim = coh_sim_new(run->plat, p->sim_flags, &err);
	if (run->sim && p->limits && (err = coh_sim_set_limits(run->sim, p->limits)) < 0)
		snprintf(r.errmsg, sizeof(r.errmsg), "%s", coh_strerror(err));
	if (run->sim && !err)
		err = coh_run(run->sim, src, 0, UINT64_MAX, NULL, &r);
	if (err >= 0) {
		run->err = 0;
		run->errmsg[0] = 0;
		return;
	}
	run->err = err;
	if (run->sim)
		snprintf(run->errmsg, sizeof(run->errmsg), "event %llu: %.200s",
			 (unsigned long long)(r.src != COH_SRC_NONE ? r.src : r.next), r.errmsg);
	else
		snprintf(run->errmsg, sizeof(run->errmsg), "platform %s: %s", run->plat->name,
			 coh_strerror(err));
	coh_sim_free(run->sim);
	run->sim = NULL;
}

static void *work(void *arg)
{
	struct plat_worker *w = arg;
	unsigned i;

	while ((i = take(w->pool)) < w->pool->nruns)
		run_one(w->pool, w->src, &w->pool->runs[i]);
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

int coh_run_platforms(const struct coh_source *srcs, unsigned nsrcs,
		      struct coh_plat_run *runs, unsigned nruns, unsigned sim_flags,
		      const struct coh_sim_limits *limits)
{
	struct plat_pool pool = { runs, nruns, sim_flags, limits,
				  PTHREAD_MUTEX_INITIALIZER, 0 };
	struct plat_worker *w;
	unsigned n = nsrcs < nruns ? nsrcs : nruns, started;

	if (!nruns)
		return 0;
	if (!srcs || !nsrcs || !runs)
		return -COH_E_INVAL;
	for (unsigned i = 0; i < nruns; i++)
		runs[i].sim = NULL;
	w = calloc(n ? n : 1, sizeof(*w));
	if (!w)
		return -COH_E_NOMEM;
	for (unsigned k = 0; k < n; k++)
		w[k] = (struct plat_worker){ .pool = &pool, .src = &srcs[k] };
	started = start(w, n);
	if (!started)
		work(&w[0]);         /* no thread at all: do it here */
	for (unsigned k = 0; k < n; k++)
		if (w[k].started)
			pthread_join(w[k].thread, NULL);
	free(w);
	pthread_mutex_destroy(&pool.lock);
	return 0;
}
