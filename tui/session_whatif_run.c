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
#include "session-local.h"

#define WHATIF_RUN_MAX 4096          /* run the edited state on rather than rebuild */

/* The edits changed: what was built from them goes. */
static void changed(struct session_whatif *wi)
{
	coh_sim_free(wi->view);
	wi->view = NULL;
	if (wi->diffed)
		coh_run_diff_free(&wi->diff);
	wi->diffed = false;
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
		snprintf(s->err, sizeof(s->err), "what-if: %s", s->phase == SESSION_FAILED ?
			 "the replay failed" : "wait for the replay to end");
		return s->phase == SESSION_FAILED ? -1 : 1;
	}
	if (!s->wi && !(s->wi = calloc(1, sizeof(*s->wi)))) {
		snprintf(s->err, sizeof(s->err), "what-if: out of memory");
		return -1;
	}
	if (!s->wi->w && !(s->wi->w = coh_whatif_new(s->tl, &e))) {
		snprintf(s->err, sizeof(s->err), "what-if: %s", coh_strerror(-e));
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

	snprintf(s->err, sizeof(s->err), "what-if: %.200s", m && m[0] ? m : coh_strerror(-e));
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

/* The edited state run on from the one shown, when it is a little behind
 * @want events.  Return: 0, or -1 (rebuild it). */
static int run_on(struct session_whatif *wi, uint64_t want)
{
	struct coh_source src;
	uint64_t at;

	if (!wi->view || (at = coh_sim_pos(wi->view)) > want || want - at > WHATIF_RUN_MAX)
		return -1;
	src = coh_whatif_source(wi->w);
	return coh_run(wi->view, &src, at, want, NULL, NULL) < 0 ? -1 : 0;
}

/**
 * session_whatif_sim - the edited run's state after the event pos matches
 * (lock held): the recorded one before the first edit
 *
 * Return: borrowed until the next move or edit; NULL on error (s->err).
 */
const struct coh_sim *session_whatif_sim(struct session *s)
{
	struct session_whatif *wi = s->wi;
	uint64_t want = coh_whatif_to_edited(wi->w, s->pos) + 1;
	struct coh_timeline *tl;
	int e = 0;

	if (wi->view && coh_sim_pos(wi->view) == want)
		return wi->view;
	if (run_on(wi, want) == 0)
		return wi->view;
	coh_sim_free(wi->view);
	wi->view = NULL;
	if ((tl = coh_whatif_timeline(wi->w, &e)))
		wi->view = coh_timeline_state_at(tl, want, &e);
	if (!wi->view)
		session_whatif_refused(s, e);
	return wi->view;
}

/**
 * session_whatif_diff - the diff of the edited run and the recorded one,
 * both replayed to the end (made once per edit list; lock held)
 *
 * Return: borrowed until the next edit; NULL before any edit or on error
 * (session_error()).
 */
const struct coh_run_diff *session_whatif_diff(struct session *s)
{
	struct session_whatif *wi = s->wi;
	int e;

	if (!wi || !wi->w)
		return NULL;
	if (!wi->diffed) {
		memset(&wi->diff, 0, sizeof(wi->diff));
		if ((e = coh_whatif_diff(wi->w, &wi->diff)) < 0) {
			session_whatif_refused(s, e);
			return NULL;
		}
		wi->diffed = true;
	}
	return &wi->diff;
}
