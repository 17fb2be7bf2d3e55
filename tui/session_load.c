/* SPDX-License-Identifier: MIT */
/*
 * session_load.c - reading a session's trace and replaying it: in a
 * background thread, in slices of a few milliseconds under the session's
 * lock, driving the timeline forward so its snapshots exist wherever the
 * user jumps, and copying the findings as they are raised; or all at once
 * in the caller's thread (SESSION_SYNC).  Also the foreground's state at
 * pos, built from the timeline without moving its frontier.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coh_run.h"
#include "session-local.h"

#define SLICE_NS     3000000ull      /* a slice of replay: about 3 ms */
#define OPEN_WAIT_MS 150             /* session_open waits this long for errors */
#define VIEW_RUN_MAX 4096            /* run the view forward rather than rebuild */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void fail(struct session *s, const char *msg)
{
	s->phase = SESSION_FAILED;
	snprintf(s->failed, sizeof(s->failed), "%s", msg);
	pthread_cond_broadcast(&s->cv);
}

static int grow(struct session *s, size_t n)
{
	size_t cap = s->capf ? s->capf : 64;
	struct coh_finding *f;
	size_t *o;

	while (cap < n)
		cap *= 2;
	if (!(f = realloc(s->f, cap * sizeof(*f))))
		return -1;
	s->f = f;
	if (!(o = realloc(s->byseq, cap * sizeof(*o))))
		return -1;
	s->byseq = o;
	s->capf = cap;
	return 0;
}

/* Copy the findings the frontier raised since the last call. */
static int collect(struct session *s)
{
	const struct coh_sim *sim = coh_timeline_sim(s->tl);
	size_t n = coh_sim_nfindings(sim);

	if (n > s->capf && grow(s, n) < 0)
		return -1;
	for (; s->nf < n; s->nf++) {
		size_t k = s->nf;

		s->f[k] = *coh_sim_finding(sim, k);
		for (; k > 0 && s->f[s->byseq[k - 1]].seq > s->f[s->nf].seq; k--)
			s->byseq[k] = s->byseq[k - 1];
		s->byseq[k] = s->nf;
	}
	return 0;
}

/* Move the frontier to @to (lock held); the phase says how it went. */
static int advance(struct session *s, uint64_t to)
{
	int err = coh_timeline_seek(s->tl, to);
	char msg[256];

	s->replayed = coh_timeline_pos(s->tl);
	if (collect(s) < 0)
		err = -COH_E_NOMEM;
	if (err < 0) {
		snprintf(msg, sizeof(msg), "%.80s: %.170s", s->path, coh_timeline_errmsg(s->tl)[0] ?
			 coh_timeline_errmsg(s->tl) : coh_strerror(-err));
		fail(s, msg);
		return -1;
	}
	if (s->replayed >= s->count)
		s->phase = SESSION_DONE;
	pthread_cond_broadcast(&s->cv);
	return 0;
}

/**
 * session_replay_setup - the platform, the source and a fresh timeline for
 * the loaded trace (lock held); the replay starts over
 *
 * Return: 0, or -1 with @err filled in.
 */
int session_replay_setup(struct session *s, const char *preset, char *err, size_t n)
{
	struct coh_platform p;
	struct coh_timeline_opts to = { .sim_flags = s->o.sim_flags };
	struct coh_timeline *tl;
	char msg[256] = "";
	int e = 0;

	if (trace_platform(s->t, preset, &p, msg, sizeof(msg)) < 0) {
		if (strncmp(msg, s->path, strlen(s->path)) == 0)
			snprintf(err, n, "%s", msg);
		else
			snprintf(err, n, "%s: %s", s->path, msg[0] ? msg : "bad platform");
		return -1;
	}
	s->src = trace_source(s->t);
	if (!(tl = coh_timeline_new(&p, &s->src, &to, &e))) {
		snprintf(err, n, "%s: %s", s->path, coh_strerror(-e));
		return -1;
	}
	coh_timeline_free(s->tl);
	coh_sim_free(s->view);
	s->view = NULL;
	s->tl = tl;
	s->plat = p;
	s->nf = 0;
	s->replayed = 0;
	s->phase = s->count ? SESSION_REPLAYING : SESSION_DONE;
	return 0;
}

static void read_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct session *s = ctx;

	pthread_mutex_lock(&s->mu);
	s->fraction = total ? (double)done / (double)total : 0;
	pthread_mutex_unlock(&s->mu);
}

/* Read the trace (without the lock: nothing else sees it yet), then
 * publish it.  Return: 0, or -1 with the phase SESSION_FAILED. */
static int load(struct session *s)
{
	struct trace_opts to = { .device = s->device, .infer = s->o.infer,
				 .progress = read_progress, .progress_ctx = s };
	struct trace *t = NULL;
	char err[256] = "";
	int ret = 0;

	if (trace_open(s->path, &to, &t, err, sizeof(err)) < 0) {
		if (!err[0])
			snprintf(err, sizeof(err), "%s: cannot be read", trace_input_name(s->path));
		pthread_mutex_lock(&s->mu);
		fail(s, err);
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	pthread_mutex_lock(&s->mu);
	s->t = t;
	s->count = trace_count(t);
	if (session_replay_setup(s, s->platform, err, sizeof(err)) < 0) {
		fail(s, err);
		ret = -1;
	}
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return ret;
}

/* One slice of replay, sized so it lasts about SLICE_NS.  Return: 1 to go
 * on, 0 when finished or failed. */
static int slice(struct session *s, uint64_t *len)
{
	uint64_t t0, dt;
	int more;

	pthread_mutex_lock(&s->mu);
	if (s->phase != SESSION_REPLAYING) {
		pthread_mutex_unlock(&s->mu);
		return 0;
	}
	t0 = now_ns();
	advance(s, s->replayed + *len < s->count ? s->replayed + *len : s->count);
	dt = now_ns() - t0;
	more = s->phase == SESSION_REPLAYING;
	pthread_mutex_unlock(&s->mu);
	if (dt < SLICE_NS / 2 && *len < (1u << 20))
		*len *= 2;
	else if (dt > SLICE_NS * 2 && *len > 16)
		*len /= 2;
	return more;
}

static void *background(void *arg)
{
	struct session *s = arg;
	uint64_t len = 256;

	if (!s->t && load(s) < 0)
		return NULL;
	while (!atomic_load(&s->stop) && slice(s, &len))
		;
	return NULL;
}

/* Wait up to OPEN_WAIT_MS for the reading to end, so that a file that
 * cannot be read fails session_open() itself.  Return: 0, or -1. */
static int wait_open(struct session *s, char *err, size_t n)
{
	struct timespec dl;
	int failed;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_nsec += OPEN_WAIT_MS * 1000000L;
	dl.tv_sec += dl.tv_nsec / 1000000000L;
	dl.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&s->mu);
	while (s->phase == SESSION_READING &&
	       pthread_cond_timedwait(&s->cv, &s->mu, &dl) != ETIMEDOUT)
		;
	failed = s->phase == SESSION_FAILED && !s->tl;
	if (failed)
		snprintf(err, n, "%s", s->failed);
	pthread_mutex_unlock(&s->mu);
	if (failed)
		session_load_stop(s);
	return failed ? -1 : 0;
}

/**
 * session_load_start - read and replay: in the caller's thread with
 * SESSION_SYNC, else start the background thread (also after a platform
 * switch, when the trace is already read)
 *
 * Return: 0, or -1 with @err filled in when the file cannot be read or the
 * platform built (nothing is left running).
 */
int session_load_start(struct session *s, char *err, size_t n)
{
	atomic_store(&s->stop, false);
	if (s->o.flags & SESSION_SYNC) {
		if (!s->t && load(s) < 0) {
			snprintf(err, n, "%s", s->failed);
			return -1;
		}
		pthread_mutex_lock(&s->mu);
		if (s->phase == SESSION_REPLAYING)
			advance(s, s->count);
		pthread_mutex_unlock(&s->mu);
		return 0;
	}
	if (pthread_create(&s->thread, NULL, background, s) != 0) {
		snprintf(err, n, "%s: cannot start the replay thread", s->path);
		return -1;
	}
	s->thread_on = true;
	return wait_open(s, err, n);
}

/**
 * session_load_stop - stop the background thread (between two slices) and
 * wait for it; called without the lock
 */
void session_load_stop(struct session *s)
{
	if (!s->thread_on)
		return;
	atomic_store(&s->stop, true);
	pthread_join(s->thread, NULL);
	s->thread_on = false;
}

struct grab {
	uint64_t at;
	struct coh_sim *sim;
};

static int grab_state(void *ctx, const struct coh_sim *sim, const struct coh_event *ev,
		      uint64_t i)
{
	struct grab *g = ctx;

	(void)ev;
	if (i != g->at)
		return 0;
	g->sim = coh_sim_clone(sim);
	return 1;
}

/* A new view at @pos: the frontier moved there, or a state rebuilt from a
 * snapshot by a forward search that stops at @pos. */
static int rebuild(struct session *s, uint64_t pos)
{
	struct grab g = { .at = pos };
	uint64_t found;
	int err;

	if (pos + 1 >= coh_timeline_pos(s->tl)) {
		if (s->phase == SESSION_REPLAYING && advance(s, pos + 1) < 0)
			return -1;
		if (coh_timeline_pos(s->tl) < pos + 1)
			return -1;
		g.sim = coh_timeline_fork(s->tl);
	} else {
		err = coh_timeline_search_fwd(s->tl, pos, pos + 1, grab_state, &g, &found);
		if (err < 0) {
			coh_sim_free(g.sim);
			return -1;
		}
	}
	if (!g.sim)
		return -1;
	coh_sim_set_hooks(g.sim, NULL);
	coh_sim_free(s->view);
	s->view = g.sim;
	return 0;
}

/**
 * session_view_at - make the foreground's state the one after event @pos
 * (lock held): run the current view forward when it is a little behind,
 * else rebuild it from the timeline; replays up to @pos first when the
 * background has not got there yet
 *
 * Return: 0, or -1 (s->err says why).
 */
int session_view_at(struct session *s, uint64_t pos)
{
	uint64_t vpos = s->view ? coh_sim_pos(s->view) : 0;

	if (!s->tl || pos >= s->count) {
		snprintf(s->err, sizeof(s->err), "no event %llu", (unsigned long long)pos);
		return -1;
	}
	if (s->view && vpos == pos + 1)
		return 0;
	if (s->view && vpos <= pos && pos + 1 - vpos <= VIEW_RUN_MAX &&
	    pos + 1 < coh_timeline_pos(s->tl)) {
		if (coh_run(s->view, &s->src, vpos, pos + 1, NULL, NULL) >= 0)
			return 0;
	}
	if (rebuild(s, pos) == 0)
		return 0;
	snprintf(s->err, sizeof(s->err), "cannot replay to event %llu: %.200s",
		 (unsigned long long)pos, s->phase == SESSION_FAILED ? s->failed : "out of memory");
	return -1;
}
