/* SPDX-License-Identifier: MIT */
/*
 * session_omit.c - a session's omission matrix (coh_whatif_omit_each():
 * the run again with each maintenance call left out in turn), computed
 * in a thread of its own that never takes the session's lock, so the keys
 * never wait for it: it reads the trace a second time and replays its own
 * recorded timeline on the session's platform, sharing nothing with the
 * session's engine (whose copy-on-write counts are not for two threads).
 * With SESSION_SYNC it is computed at once in the caller's thread.
 *
 * A platform switch or closing the session while it runs leaves the
 * thread to finish alone: it frees its job itself.
 */
#include <stdlib.h>
#include <string.h>

#include "coh_whatif.h"
#include "i18n.h"
#include "session-local.h"

#define OMIT_SLICES 20               /* progress steps of the recorded replay */

struct session_omit {
	pthread_mutex_t mu;          /* guards what is below @plat */
	pthread_t thread;
	bool thread_on;
	atomic_bool stop;
	char *path, *device;         /* what the session opened */
	int infer;
	unsigned sim_flags;
	struct coh_platform plat;
	bool finished, orphaned;
	size_t done, total;          /* rows made, rows in all (0: replaying) */
	int percent;                 /* of the recorded replay */
	uint64_t tick;               /* bumped on every change */
	struct coh_omit_row *rows;
	size_t nrows;
	char error[256];
};

static void job_free(struct session_omit *o)
{
	free(o->rows);
	free(o->path);
	free(o->device);
	pthread_mutex_destroy(&o->mu);
	free(o);
}

/* Update the job's progress under its own lock. */
static void note(struct session_omit *o, size_t done, size_t total, int percent)
{
	pthread_mutex_lock(&o->mu);
	o->done = done;
	o->total = total;
	o->percent = percent;
	o->tick++;
	pthread_mutex_unlock(&o->mu);
}

static void on_row(void *ctx, size_t done, size_t total)
{
	note(ctx, done, total, 100);
}

/* The recorded run replayed to its end, in slices (progress, stop).
 * Return: 0, or a negative COH_E_*. */
static int replay(struct session_omit *o, struct coh_timeline *tl, uint64_t count)
{
	int e = 0;

	for (int k = 1; k <= OMIT_SLICES && e == 0; k++) {
		if (atomic_load(&o->stop))
			return -COH_E_INVAL;
		e = coh_timeline_seek(tl, count * (uint64_t)k / OMIT_SLICES);
		note(o, 0, 0, k * 100 / OMIT_SLICES);
	}
	if (e < 0)
		snprintf(o->error, sizeof(o->error), "%.250s", coh_timeline_errmsg(tl));
	return e;
}

/* The matrix on the job's own reading and timeline.  Return: 0, or -1
 * (o->error says why). */
static int compute(struct session_omit *o, struct coh_omit_row **rows, size_t *n)
{
	struct trace_opts to = { .device = o->device, .infer = o->infer };
	struct coh_timeline_opts tlo = { .sim_flags = o->sim_flags };
	struct coh_omit_opts oo = { .other_presets = 1, .progress = on_row, .ctx = o };
	struct coh_timeline *tl = NULL;
	struct trace *t = NULL;
	struct coh_source src;
	int e = 0;

	if (trace_open(o->path, &to, &t, o->error, sizeof(o->error)) < 0)
		return -1;
	src = trace_source(t);
	if (!(tl = coh_timeline_new(&o->plat, &src, &tlo, &e)) ||
	    replay(o, tl, trace_count(t)) < 0 ||
	    (e = coh_whatif_omit_each(tl, &oo, rows, n)) < 0) {
		if (!o->error[0])
			snprintf(o->error, sizeof(o->error), "%s", coh_strerror(-e));
		e = -1;
	}
	coh_timeline_free(tl);
	trace_close(t);
	return e < 0 ? -1 : 0;
}

/* Run the job; then keep its rows, or free it when nobody waits. */
static void *job_main(void *arg)
{
	struct session_omit *o = arg;
	struct coh_omit_row *rows = NULL;
	size_t n = 0;
	bool orphaned;

	if (compute(o, &rows, &n) < 0) {
		free(rows);
		rows = NULL;
		n = 0;
	}
	pthread_mutex_lock(&o->mu);
	o->rows = rows;
	o->nrows = n;
	o->finished = true;
	o->tick++;
	orphaned = o->orphaned;
	pthread_mutex_unlock(&o->mu);
	if (orphaned)
		job_free(o);
	return NULL;
}

/* A job for the session as it is (lock held).  Return: NULL out of memory. */
static struct session_omit *job_new(struct session *s)
{
	struct session_omit *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	pthread_mutex_init(&o->mu, NULL);
	o->path = strdup(s->path);
	o->device = s->device ? strdup(s->device) : NULL;
	o->infer = s->o.infer;
	o->sim_flags = s->o.sim_flags;
	o->plat = s->plat;
	if (!o->path || (s->device && !o->device)) {
		job_free(o);
		return NULL;
	}
	return o;
}

/**
 * session_omit_drop - forget the omission matrix; a job still running
 * is left to finish and free itself (lock held)
 */
void session_omit_drop(struct session *s)
{
	struct session_omit *o = s->om;
	bool running;

	if (!o)
		return;
	s->om = NULL;
	atomic_store(&o->stop, true);
	pthread_mutex_lock(&o->mu);
	running = o->thread_on && !o->finished;
	o->orphaned = running;
	pthread_mutex_unlock(&o->mu);
	if (o->thread_on)
		pthread_detach(o->thread);
	if (!running)
		job_free(o);
}

/* Start the job (lock held).  Return: 0, or -1 with @err. */
static int start(struct session *s, char *err, size_t n)
{
	if (!(s->om = job_new(s))) {
		snprintf(err, n, _("omission matrix: out of memory"));
		return -1;
	}
	if (s->o.flags & SESSION_SYNC) {
		job_main(s->om);
		return 0;
	}
	if (pthread_create(&s->om->thread, NULL, job_main, s->om) != 0) {
		session_omit_drop(s);
		snprintf(err, n, _("omission matrix: cannot start its thread"));
		return -1;
	}
	s->om->thread_on = true;
	return 0;
}

/**
 * session_omit_start_locked - start computing the omission matrix of the
 * session's run on its platform (nothing when it is under way or made;
 * lock held)
 *
 * Return: 0, or -1 with @err filled in (the trace is standard input, not
 * read yet, out of memory).
 */
int session_omit_start_locked(struct session *s, char *err, size_t n)
{
	if (!s->tl) {
		snprintf(err, n, _("omission matrix: the trace is not read yet"));
		return -1;
	}
	if (strcmp(s->path, "-") == 0) {
		snprintf(err, n, _("omission matrix: needs a file, not standard input"));
		return -1;
	}
	return s->om ? 0 : start(s, err, n);
}

/**
 * session_omit_get_locked - how far the omission matrix is, and its rows
 * when made (lock held)
 * @v: filled in; v->rows borrowed until a platform switch or session_close()
 */
void session_omit_get_locked(struct session *s, struct session_omit_view *v)
{
	struct session_omit *o;

	memset(v, 0, sizeof(*v));
	if ((o = s->om)) {
		pthread_mutex_lock(&o->mu);
		v->started = true;
		v->finished = o->finished;
		v->done = o->done;
		v->total = o->total;
		v->percent = o->percent;
		v->tick = o->tick;
		v->rows = o->finished ? o->rows : NULL;
		v->nrows = o->finished ? o->nrows : 0;
		snprintf(v->error, sizeof(v->error), "%s", o->error);
		pthread_mutex_unlock(&o->mu);
	}
}
