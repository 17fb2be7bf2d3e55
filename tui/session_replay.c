/* SPDX-License-Identifier: MIT */
/*
 * session_replay.c - the frontier of a session's replay: the timeline on
 * the chosen platform, moved forward by the background thread (or by a
 * seek past it), and the findings it raises, copied as they come and kept
 * in firing order and in the order of their events.  Callers hold the lock.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "session-local.h"

/* What the timeline's snapshots may hold: a trace's source does not say
 * how big it is, and without a budget they grow with the trace (big: peak
 * 1.5 GB, a jump into the middle 145 ms; with this budget 840 MB, 580 ms;
 * jumps to either end and steps do not depend on it). */
#define SESSION_SNAP_BUDGET ((size_t)512 << 20)

/**
 * session_fail - the replay cannot go on: say why in the progress
 */
void session_fail(struct session *s, const char *msg)
{
	s->phase = SESSION_FAILED;
	snprintf(s->failed, sizeof(s->failed), "%s", msg);
	pthread_cond_broadcast(&s->cv);
}

/* Room for @n findings: chunks added, the order index grown. */
static int grow(struct session *s, size_t n)
{
	size_t nch = s->capf / SESSION_FCHUNK, want = (n + SESSION_FCHUNK - 1) / SESSION_FCHUNK;
	struct coh_finding **ch;
	size_t *o;

	if (!(ch = realloc(s->fchunk, want * sizeof(*ch))))
		return -1;
	s->fchunk = ch;
	if (!(o = realloc(s->byseq, want * SESSION_FCHUNK * sizeof(*o))))
		return -1;
	s->byseq = o;
	for (; nch < want; nch++) {
		if (!(ch[nch] = malloc(SESSION_FCHUNK * sizeof(**ch))))
			return -1;
		s->capf += SESSION_FCHUNK;
	}
	return 0;
}

/**
 * session_findings_free - free the findings' chunks and index
 */
void session_findings_free(struct session *s)
{
	for (size_t k = 0; k < s->capf / SESSION_FCHUNK; k++)
		free(s->fchunk[k]);
	free(s->fchunk);
	free(s->byseq);
}

/* Copy the findings the frontier raised since the last call; a few name
 * an earlier event than the last one's, hence the insertion. */
static int collect(struct session *s)
{
	const struct coh_sim *sim = coh_timeline_sim(s->tl);
	size_t n = coh_sim_nfindings(sim);

	if (n > s->capf && grow(s, n) < 0)
		return -1;
	for (; s->nf < n; s->nf++) {
		size_t k = s->nf;

		*session_f(s, k) = *coh_sim_finding(sim, k);
		for (; k > 0 && session_f(s, s->byseq[k - 1])->seq > session_f(s, s->nf)->seq; k--)
			s->byseq[k] = s->byseq[k - 1];
		s->byseq[k] = s->nf;
	}
	return 0;
}

/* Move the timeline to @to, keeping a copy of it every SESSION_CK_STEP
 * events over the trace's last SESSION_CK_SPAN events, so that stepping
 * back from the end (where a jump to the end lands) is quick. */
static int seek_frontier(struct session *s, uint64_t to)
{
	uint64_t first = s->count > SESSION_CK_SPAN ? s->count - SESSION_CK_SPAN : 0;
	uint64_t m = coh_timeline_pos(s->tl) + 1;
	int err;

	if (m < first)
		m = first;
	m = (m + SESSION_CK_STEP - 1) / SESSION_CK_STEP * SESSION_CK_STEP;
	for (; m < to && s->ntail < SESSION_NCK; m += SESSION_CK_STEP) {
		if ((err = coh_timeline_seek(s->tl, m)) < 0)
			return err;
		if ((s->tail[s->ntail].sim = coh_timeline_fork(s->tl)))
			s->tail[s->ntail++].pos = m;
	}
	return coh_timeline_seek(s->tl, to);
}

/**
 * session_advance - move the frontier to @to events applied
 *
 * Return: 0, or -1 with the phase SESSION_FAILED (the frontier stays
 * before the event that failed).
 */
int session_advance(struct session *s, uint64_t to)
{
	int err = seek_frontier(s, to);
	char msg[256];

	s->replayed = coh_timeline_pos(s->tl);
	if (collect(s) < 0)
		err = -COH_E_NOMEM;
	if (err < 0) {
		snprintf(msg, sizeof(msg), "%.80s: %.170s", s->path, coh_timeline_errmsg(s->tl)[0] ?
			 coh_timeline_errmsg(s->tl) : coh_strerror(-err));
		session_fail(s, msg);
		return -1;
	}
	if (s->replayed >= s->count)
		s->phase = SESSION_DONE;
	pthread_cond_broadcast(&s->cv);
	return 0;
}

/**
 * session_states_free - forget the foreground's state and its checkpoints
 */
void session_states_free(struct session *s)
{
	coh_sim_free(s->view);
	s->view = NULL;
	for (size_t k = 0; k < s->nck; k++)
		coh_sim_free(s->ck[k].sim);
	s->nck = 0;
}

/**
 * session_tail_free - forget the frontier's copies over the trace's end
 */
void session_tail_free(struct session *s)
{
	for (size_t k = 0; k < s->ntail; k++)
		coh_sim_free(s->tail[k].sim);
	s->ntail = 0;
}

/* The platform @preset names (NULL: the file's own), as check words its
 * errors.  Return: 0, or -1. */
static int platform(struct session *s, const char *preset, struct coh_platform *p,
		    char *err, size_t n)
{
	char msg[256] = "";

	if (trace_platform(s->t, preset, p, msg, sizeof(msg)) == 0)
		return 0;
	if (strncmp(msg, s->path, strlen(s->path)) == 0)
		snprintf(err, n, "%s", msg);
	else
		snprintf(err, n, "%s: %s", s->path, msg[0] ? msg : _("bad platform"));
	return -1;
}

/**
 * session_replay_setup - the platform, the source and a fresh timeline for
 * the loaded trace; the replay and its findings start over
 *
 * Return: 0, or -1 with @err filled in (nothing changed then).
 */
int session_replay_setup(struct session *s, const char *preset, char *err, size_t n)
{
	struct coh_timeline_opts to = { .sim_flags = s->o.sim_flags,
					.snapshot_budget = SESSION_SNAP_BUDGET };
	struct coh_platform p;
	struct coh_timeline *tl;
	int e = 0;

	if (platform(s, preset, &p, err, n) < 0)
		return -1;
	s->src = trace_source(s->t);
	if (!(tl = coh_timeline_new(&p, &s->src, &to, &e))) {
		snprintf(err, n, "%s: %s", s->path, coh_strerror(-e));
		return -1;
	}
	coh_timeline_free(s->tl);
	session_states_free(s);
	session_tail_free(s);
	s->tl = tl;
	s->plat = p;
	s->nf = 0;
	s->replayed = 0;
	s->failed[0] = 0;
	s->phase = s->count ? SESSION_REPLAYING : SESSION_DONE;
	return 0;
}
