/* SPDX-License-Identifier: MIT */
/*
 * session_load.c - reading a session's trace and replaying it: in a
 * background thread, in slices of a few milliseconds under the session's
 * lock, driving the timeline forward so its snapshots exist wherever the
 * user jumps, and copying the findings as they are raised; or all at once
 * in the caller's thread (SESSION_SYNC).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coh_run.h"
#include "i18n.h"
#include "session-local.h"

#define OPEN_WAIT_MS 60              /* session_open waits this long for errors */

static void read_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct session *s = ctx;

	pthread_mutex_lock(&s->mu);
	s->fraction = total ? (double)done / (double)total : 0;
	pthread_mutex_unlock(&s->mu);
	if (s->o.on_read)
		s->o.on_read(s, s->o.on_read_ctx);
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
			snprintf(err, sizeof(err), _("%s: cannot be read"),
				 trace_input_name(s->path));
		pthread_mutex_lock(&s->mu);
		session_fail(s, err);
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	read_progress(s, 1, 1);      /* read, whatever the reader said last */
	pthread_mutex_lock(&s->mu);
	s->t = t;
	s->count = trace_count(t);
	if (session_replay_setup(s, s->platform, err, sizeof(err)) < 0) {
		session_fail(s, err);
		ret = -1;
	}
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return ret;
}

/* One slice of replay, sized so it lasts about SESSION_SLICE_NS.  Return: 1 to go
 * on, 0 when finished or failed. */
static int slice(struct session *s, uint64_t *len)
{
	uint64_t t0, dt, end, step;
	int more;

	session_yield(s);
	pthread_mutex_lock(&s->mu);
	if (s->phase != SESSION_REPLAYING) {
		pthread_mutex_unlock(&s->mu);
		return 0;
	}
	/* in eighths, each checking the clock: the events of a slice may cost
	 * five times those of the slice before (big's disk stretches), and
	 * the screen waits for the lock meanwhile */
	t0 = session_now_ns();
	end = s->replayed + *len < s->count ? s->replayed + *len : s->count;
	step = *len / 8 ? *len / 8 : 1;
	do
		session_advance(s, s->replayed + step < end ? s->replayed + step : end);
	while (s->phase == SESSION_REPLAYING && s->replayed < end &&
	       session_now_ns() - t0 < SESSION_SLICE_NS);
	dt = session_now_ns() - t0;
	more = s->phase == SESSION_REPLAYING;
	pthread_mutex_unlock(&s->mu);
	session_slice_len(len, dt);
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
			session_advance(s, s->count);
		pthread_mutex_unlock(&s->mu);
		return 0;
	}
	if (pthread_create(&s->thread, NULL, background, s) != 0) {
		snprintf(err, n, _("%s: cannot start the replay thread"), s->path);
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
	pthread_mutex_lock(&s->mu);           /* wakes a differ waiting for work */
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	s->thread_on = false;
	s->differ = false;
}

