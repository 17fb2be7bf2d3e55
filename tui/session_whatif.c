/* SPDX-License-Identifier: MIT */
/*
 * session_whatif.c - what-if in a session: an edit list (coh_whatif.h)
 * over the recorded timeline, the edits made at the current event (leave
 * it out, insert the call the engine proposes before it, move it one event
 * earlier or later), undo and redo, which run the state panes show, and
 * the omission matrix's calls that take the lock.  What the views read
 * under the lock (the edited state at pos, the diff) is
 * session_whatif_run.c's; the matrix's thread session_omit.c's.
 *
 * Edits wait for the background replay to end: the recorded timeline is
 * then complete and nothing moves it any more, so the what-if's edited
 * timeline, which starts from its snapshots, never races with the
 * replay.  Every what-if call still holds the session's lock, since the
 * edited run reads its recorded events through the session's trace.
 * A platform switch drops the edits (the timeline they were made on goes).
 */
#include <stdlib.h>
#include <string.h>

#include "coh_whatif.h"
#include "i18n.h"
#include "session-local.h"

/* Append @e.  Return: 0, or -1. */
static int add(struct session *s, const struct coh_edit *e)
{
	int r = coh_whatif_add(s->wi->w, e);

	if (r < 0)
		return session_whatif_refused(s, r);
	session_whatif_changed(s);
	return 0;
}

/* Run @fn(s, arg) under the lock once the what-if is ready. */
static int locked(struct session *s, int (*fn)(struct session *, int64_t), int64_t arg)
{
	int r;

	session_lock(s);
	s->err[0] = 0;
	r = session_whatif_ready(s);
	if (r == 0)
		r = fn(s, arg);
	session_unlock(s);
	return r;
}

static int do_delete(struct session *s, int64_t unused)
{
	struct coh_edit e = { .op = COH_EDIT_DELETE, .at = s->pos };

	(void)unused;
	return add(s, &e);
}

/**
 * session_whatif_delete - leave the current event out of the edited run
 *
 * Return: 0, 1 (the replay runs), or -1 (session_error(): an event already
 * left out or moved, ...).
 */
int session_whatif_delete(struct session *s)
{
	return locked(s, do_delete, 0);
}

static int do_insert(struct session *s, int64_t unused)
{
	struct coh_proposal pr;
	int r;

	(void)unused;
	r = coh_whatif_propose_at(s->tl, s->pos, &pr);
	if (r < 0)
		return session_whatif_refused(s, r);
	if (r == 0 || pr.edit.op == COH_EDIT_NONE) {
		snprintf(s->err, sizeof(s->err), _("what-if: %.200s"), r && pr.why[0] ? pr.why :
			 _("no call is needed before this event"));
		return 1;
	}
	return add(s, &pr.edit);
}

/**
 * session_whatif_insert - insert before the current event the call the
 * platform's rules require there (coh_whatif_propose_at())
 *
 * Return: 0, 1 (nothing needs a call here, or the replay runs), or -1.
 */
int session_whatif_insert(struct session *s)
{
	return locked(s, do_insert, 0);
}

/* Where the current event is applied now: before recorded event *@to
 * (pos + 1: in place); a last edit moving it is taken back, to be
 * replaced.  Return: whether it was. */
static bool moved_last(struct session *s, uint64_t *to)
{
	size_t n = coh_whatif_nedits(s->wi->w);
	struct coh_edit e;

	*to = s->pos + 1;
	if (!n || coh_whatif_edit(s->wi->w, n - 1, &e) < 0 || e.op != COH_EDIT_MOVE ||
	    e.at != s->pos)
		return false;
	*to = e.to;
	coh_whatif_undo(s->wi->w);
	return true;
}

/* Whether "before recorded event @cur" is event @at's own place. */
static bool home(uint64_t at, uint64_t cur)
{
	return cur == at || cur == at + 1;
}

/* One place earlier (@dir < 0) or later than "before @cur" for event @at;
 * false when there is none. */
static bool next_place(const struct session *s, uint64_t cur, int dir, uint64_t *to)
{
	uint64_t at = s->pos;

	if (dir < 0 && (home(at, cur) ? at == 0 : cur == 0))
		return false;
	if (dir < 0)
		*to = home(at, cur) ? at - 1 : cur - 1;
	else
		*to = home(at, cur) ? at + 2 : cur + 1;
	return *to <= s->count;
}

static int do_move(struct session *s, int64_t dir)
{
	uint64_t cur, to;
	bool again = moved_last(s, &cur);

	if (!next_place(s, cur, (int)dir, &to)) {
		if (again)
			coh_whatif_redo(s->wi->w);
		snprintf(s->err, sizeof(s->err), _("what-if: it cannot move further"));
		return 1;
	}
	session_whatif_changed(s);
	if (home(s->pos, to))
		return 0;                            /* back in place */
	return add(s, &(struct coh_edit){ .op = COH_EDIT_MOVE, .at = s->pos, .to = to });
}

/**
 * session_whatif_move - apply the current event one event earlier (@dir
 * -1) or later (+1) in the edited run; moving it again replaces that move
 * (back in place: no move)
 *
 * Return: 0, 1 (it is at an end, or the replay runs), or -1.
 */
int session_whatif_move(struct session *s, int dir)
{
	return locked(s, do_move, dir);
}

static int do_undo(struct session *s, int64_t redo)
{
	int r = redo ? coh_whatif_redo(s->wi->w) : coh_whatif_undo(s->wi->w);

	if (!r) {
		snprintf(s->err, sizeof(s->err), _("what-if: nothing to %s"),
			 redo ? _("redo") : _("undo"));
		return 1;
	}
	session_whatif_changed(s);
	return 0;
}

/**
 * session_whatif_undo - take back the last edit
 * Return: 0, 1 (nothing to undo), or -1.
 */
int session_whatif_undo(struct session *s)
{
	return locked(s, do_undo, 0);
}

/**
 * session_whatif_redo - put back the last edit taken back
 * Return: 0, 1 (nothing to redo), or -1.
 */
int session_whatif_redo(struct session *s)
{
	return locked(s, do_undo, 1);
}

static int do_omit(struct session *s, int64_t at)
{
	coh_whatif_clear(s->wi->w);
	session_whatif_changed(s);
	if (add(s, &(struct coh_edit){ .op = COH_EDIT_DELETE, .at = (uint64_t)at }) < 0)
		return -1;
	s->run = SESSION_RUN_DIFF;
	return 0;
}

/**
 * session_whatif_omit - make the edits "leave out recorded event @at" and
 * nothing else (a row of the omission matrix), and show the diff
 *
 * Return: 0, 1 (the replay runs), or -1.
 */
int session_whatif_omit(struct session *s, uint64_t at)
{
	return locked(s, do_omit, (int64_t)at);
}

/**
 * session_whatif_nedits - edits in force
 */
size_t session_whatif_nedits(struct session *s)
{
	size_t n;

	session_lock(s);
	n = s->wi && s->wi->w ? coh_whatif_nedits(s->wi->w) : 0;
	session_unlock(s);
	return n;
}

/**
 * session_run_set - show the recorded run, the edited one, or the edited
 * one with the diff
 */
void session_run_set(struct session *s, enum session_run r)
{
	session_lock(s);
	s->run = r;
	session_unlock(s);
}

/**
 * session_run - the run the state panes show
 */
enum session_run session_run(struct session *s)
{
	enum session_run r;

	session_lock(s);
	r = s->run;
	session_unlock(s);
	return r;
}


/**
 * session_omit_start - start computing the omission matrix (session_omit.c)
 * of the run on its platform; nothing when it is under way or made
 *
 * Return: 0, or -1 with @err filled in.
 */
int session_omit_start(struct session *s, char *err, size_t n)
{
	int r;

	session_lock(s);
	r = session_omit_start_locked(s, err, n);
	session_unlock(s);
	return r;
}

/**
 * session_omit_get - how far the omission matrix is, its rows when made
 */
void session_omit_get(struct session *s, struct session_omit_view *v)
{
	session_lock(s);
	session_omit_get_locked(s, v);
	session_unlock(s);
}

uint64_t session_whatif_diff_tick(struct session *s)
{
	uint64_t t;

	session_lock(s);
	t = s->wi ? s->wi->job_tick : 0;
	session_unlock(s);
	return t;
}
