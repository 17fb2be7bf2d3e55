/* SPDX-License-Identifier: MIT */
/*
 * session_whatif_run.c - what a session shows of its what-if, under the
 * lock: the what-if itself (made on first use, once the replay has ended),
 * the edited run's state after the event pos matches, the diff of the two
 * runs, and forgetting them when the edits or the timeline change.  The
 * edits themselves, which take the lock, are session_whatif.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "coh_run.h"
#include "coh_whatif.h"
#include "i18n.h"
#include "session-local.h"

#define WHATIF_RUN_MAX 4096          /* run the edited state on rather than rebuild */

/* The edits changed: what was built from them goes (a diff being made
 * too: the background thread finds no job and waits). */
static void changed(struct session_whatif *wi)
{
	coh_sim_free(wi->view);
	wi->view = NULL;
	session_ck_free(wi->ck, &wi->nck);
	wi->have_bytes = false;
	if (wi->diffed)
		coh_run_diff_free(&wi->diff);
	wi->diffed = false;
	coh_whatif_diff_end(wi->job);
	wi->job = NULL;
	wi->job_tick++;
	wi->diff_error[0] = 0;
}

/**
 * session_whatif_free - forget the edits, what was built from them and
 * the omission matrix (lock held)
 */
void session_whatif_free(struct session *s)
{
	session_omit_drop(s);
	if (!s->wi)
		return;
	changed(s->wi);
	coh_whatif_free(s->wi->w);
	free(s->wi);
	s->wi = NULL;
	s->run = SESSION_RUN_RECORDED;
}

/**
 * session_whatif_ready - the what-if, made on first use (lock held)
 *
 * Return: 0, 1 not yet (the replay runs), or -1; s->err says why.
 */
int session_whatif_ready(struct session *s)
{
	int e = 0;

	if (s->phase != SESSION_DONE || !s->tl) {
		snprintf(s->err, sizeof(s->err), _("what-if: %s"), s->phase == SESSION_FAILED ?
			 _("the replay failed") : _("wait for the replay to end"));
		return s->phase == SESSION_FAILED ? -1 : 1;
	}
	if (!s->wi && !(s->wi = calloc(1, sizeof(*s->wi)))) {
		snprintf(s->err, sizeof(s->err), _("what-if: out of memory"));
		return -1;
	}
	if (!s->wi->w && !(s->wi->w = coh_whatif_new(s->tl, &e))) {
		snprintf(s->err, sizeof(s->err), _("what-if: %s"), coh_strerror(-e));
		return -1;
	}
	return 0;
}

/**
 * session_whatif_changed - the edits changed behind the session's back
 * (an edit file added some): what was built from them goes (lock held)
 */
void session_whatif_changed(struct session *s)
{
	if (s->wi)
		changed(s->wi);
}

/**
 * session_whatif_refused - say in s->err why the what-if refused: its
 * message, else the code's (lock held)
 *
 * Return: -1.
 */
int session_whatif_refused(struct session *s, int e)
{
	const char *m = coh_whatif_errmsg(s->wi->w);

	snprintf(s->err, sizeof(s->err), _("what-if: %.200s"), m && m[0] ? m : coh_strerror(-e));
	return -1;
}

/**
 * session_whatif - the what-if (lock held)
 *
 * Return: borrowed; NULL before the first edit.
 */
struct coh_whatif *session_whatif(struct session *s)
{
	return s->wi ? s->wi->w : NULL;
}

/* Running the edited state on: a checkpoint every SESSION_CK_STEP events. */
static int on_the_way(void *ctx, struct coh_sim *sim, const struct coh_event *ev, uint64_t i)
{
	struct session_whatif *wi = ctx;

	(void)ev;
	if ((i + 1) % SESSION_CK_STEP == 0)
		session_ck_keep(wi->ck, &wi->nck, sim, i + 1);
	return 0;
}

/* Run @sim on to @want edited events, keeping checkpoints.  Return: 0, or
 * -1 (freed). */
static int run_to(struct session_whatif *wi, struct coh_sim *sim, uint64_t want)
{
	struct coh_run_opts keep = { .ctx = wi, .event = on_the_way };
	struct coh_source src = coh_whatif_source(wi->w);

	if (coh_run(sim, &src, coh_sim_pos(sim), want, &keep, NULL) >= 0)
		return 0;
	coh_sim_free(sim);
	return -1;
}

/* A state to run on to @want from: the one shown when a little behind,
 * else a copy of the nearest checkpoint, else the edited timeline's state
 * SESSION_CK_SPAN events before, but not before the first edit (so that
 * steps back from @want find checkpoints).  Return: NULL on error (*@e). */
static struct coh_sim *start_for(struct session_whatif *wi, uint64_t want, int *e)
{
	const struct session_ck *ck = session_ck_nearer(wi->ck, wi->nck, want, NULL);
	uint64_t at = wi->view ? coh_sim_pos(wi->view) : UINT64_MAX;
	struct coh_timeline *tl;
	struct coh_sim *v;

	if (at <= want && want - at <= WHATIF_RUN_MAX) {
		v = wi->view;
		wi->view = NULL;
		return v;
	}
	if (ck && want - ck->pos <= WHATIF_RUN_MAX)
		return coh_sim_clone(ck->sim);
	session_ck_free(wi->ck, &wi->nck);
	if (!(tl = coh_whatif_timeline(wi->w, e)))
		return NULL;
	at = want > SESSION_CK_SPAN ? want - SESSION_CK_SPAN : 0;
	if (at < coh_whatif_same_until(wi->w))   /* the edited timeline's own start */
		at = coh_whatif_same_until(wi->w);
	if ((v = coh_timeline_state_at(tl, at, e)))
		session_ck_keep(wi->ck, &wi->nck, v, at);   /* steps back start here */
	return v;
}

/**
 * session_whatif_sim - the edited run's state after the event pos matches
 * (lock held): run on from the one shown, or from a checkpoint kept every
 * SESSION_CK_STEP events (stepping back replays at most that many), or
 * rebuilt from the edited timeline; before the first edit, the recorded
 * view's state (the same)
 *
 * Return: borrowed until the next move or edit; NULL on error (s->err).
 */
const struct coh_sim *session_whatif_sim(struct session *s)
{
	struct session_whatif *wi = s->wi;
	uint64_t want = coh_whatif_to_edited(wi->w, s->pos) + 1;
	struct coh_sim *v;
	int e = -COH_E_NOMEM;

	if (want <= coh_whatif_same_until(wi->w))     /* before the first edit */
		return session_view_at(s, s->pos) == 0 ? s->view : NULL;
	if (wi->view && coh_sim_pos(wi->view) == want)
		return wi->view;
	v = start_for(wi, want, &e);
	coh_sim_free(wi->view);
	wi->view = NULL;
	if (v && run_to(wi, v, want) == 0)
		wi->view = v;
	else
		session_whatif_refused(s, e);
	return wi->view;
}

/* One slice of the diff being made (lock held), as slice() is of the
 * replay: @len events, in eighths, until SESSION_SLICE_NS have passed. */
static void diff_slice(struct session *s, uint64_t *len)
{
	struct session_whatif *wi = s->wi;
	uint64_t t0 = session_now_ns(), dt, step = *len / 8 ? *len / 8 : 1;
	struct coh_run_diff d;
	int r;

	do
		r = coh_whatif_diff_step(wi->job, step, &d);
	while (r == 0 && session_now_ns() - t0 < SESSION_SLICE_NS);
	dt = session_now_ns() - t0;
	if (r == 0) {
		coh_whatif_diff_progress(wi->job, &wi->job_done, &wi->job_total);
	} else {
		if (r == 1) {
			wi->diff = d;
			wi->diffed = true;
		} else {
			session_whatif_refused(s, r);
			snprintf(wi->diff_error, sizeof(wi->diff_error), "%s", s->err);
		}
		coh_whatif_diff_end(wi->job);
		wi->job = NULL;
	}
	wi->job_tick++;
	pthread_cond_broadcast(&s->cv);
	session_slice_len(len, dt);
}

/**
 * session_differ - the background thread once the replay is done: it makes
 * the diff session_whatif_diff() asked for, a slice at a time under the
 * lock (the screen first, as the replay does), then waits for the next
 */
void *session_differ(void *arg)
{
	struct session *s = arg;
	uint64_t len = 1024;

	for (;;) {
		session_yield(s);
		pthread_mutex_lock(&s->mu);
		while (!atomic_load(&s->stop) && !(s->wi && s->wi->job))
			pthread_cond_wait(&s->cv, &s->mu);
		if (atomic_load(&s->stop)) {
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		diff_slice(s, &len);
		pthread_mutex_unlock(&s->mu);
	}
}

/* The background thread, making diffs now that the replay is done (lock
 * held): started once; false when no thread can start. */
static bool differ_on(struct session *s)
{
	if (s->differ)
		return true;
	if (atomic_load(&s->stop))              /* stopping: no new thread */
		return false;
	if (s->thread_on) {                     /* the replay's: done, it takes */
		pthread_join(s->thread, NULL);   /* the lock no more */
		s->thread_on = false;
	}
	if (pthread_create(&s->thread, NULL, session_differ, s) != 0)
		return false;
	s->thread_on = s->differ = true;
	return true;
}

/**
 * session_whatif_diff - the diff of the edited run and the recorded one,
 * both replayed to the end (made once per edit list; lock held): at once
 * with SESSION_SYNC, else by the background thread a slice at a time
 * while the keys go on working (session_whatif_diffing() says how far)
 *
 * Return: borrowed until the next edit; NULL before any edit, while it is
 * being made, or on error (session_error()).
 */
const struct coh_run_diff *session_whatif_diff(struct session *s)
{
	struct session_whatif *wi = s->wi;
	int e = 0;

	if (!wi || !wi->w)
		return NULL;
	if (wi->diffed)
		return &wi->diff;
	if (wi->diff_error[0]) {
		snprintf(s->err, sizeof(s->err), "%s", wi->diff_error);
		return NULL;
	}
	if (!(s->o.flags & SESSION_SYNC) && (wi->job || differ_on(s))) {
		if (!wi->job && !(wi->job = coh_whatif_diff_start(wi->w, &e))) {
			session_whatif_refused(s, e);
			snprintf(wi->diff_error, sizeof(wi->diff_error), "%s", s->err);
			return NULL;
		}
		pthread_cond_broadcast(&s->cv);
		return NULL;
	}
	memset(&wi->diff, 0, sizeof(wi->diff));
	if ((e = coh_whatif_diff(wi->w, &wi->diff)) < 0) {
		session_whatif_refused(s, e);
		return NULL;
	}
	wi->diffed = true;
	return &wi->diff;
}

bool session_whatif_diffing(struct session *s, uint64_t *done, uint64_t *total)
{
	struct session_whatif *wi = s->wi;

	if (!wi || !wi->job)
		return false;
	*done = wi->job_done;
	*total = wi->job_total;
	return true;
}

/**
 * session_whatif_bytes - the bytes that differ between the runs after the
 * current event, kept until pos or the edits change (lock held)
 * @d: set to the first of them
 *
 * Return: runs found (only the first SESSION_WHATIF_BYTES are kept), or -1
 * (session_error()).
 */
long session_whatif_bytes(struct session *s, const struct coh_byte_diff **d)
{
	struct session_whatif *wi = s->wi;

	if (!wi || !wi->w)
		return 0;
	if (!wi->have_bytes || wi->bytes_pos != s->pos + 1) {
		wi->nbytes = coh_whatif_bytes(wi->w, s->pos + 1, wi->bytes, SESSION_WHATIF_BYTES);
		wi->bytes_pos = s->pos + 1;
		wi->have_bytes = true;
	}
	*d = wi->bytes;
	if (wi->nbytes < 0)
		return session_whatif_refused(s, (int)wi->nbytes);
	return wi->nbytes;
}
