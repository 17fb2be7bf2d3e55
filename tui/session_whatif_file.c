/* SPDX-License-Identifier: MIT */
/*
 * session_whatif_file.c - a session's edit file (traces/whatif_file.h):
 * FILE.whatif next to the trace, or the file --whatif names.  Loading waits
 * for the replay to end (edits do, session_whatif.c) and happens at the
 * next session_whatif_poll(), which the screen calls before each frame;
 * a damaged file adds nothing and is reported with its line, and the
 * recorded run stays on the screen.
 */
#include <stdlib.h>
#include <string.h>

#include "coh_whatif.h"
#include "i18n.h"
#include "session-local.h"
#include "whatif_file.h"

/* The edit file's name: the one given, else the trace's with ".whatif". */
static const char *file_of(struct session *s, char *buf, size_t n)
{
	if (s->whatif_path)
		return s->whatif_path;
	return whatif_file_name(s->path, buf, n);
}

/**
 * session_whatif_load - load @path (NULL: FILE.whatif) once the replay
 * has ended (session_whatif_poll()); saves go there from then on
 */
void session_whatif_load(struct session *s, const char *path)
{
	char *p = path ? strdup(path) : NULL;

	session_lock(s);
	if (!path || p) {
		free(s->whatif_path);
		s->whatif_path = p;
	}
	s->whatif_pending = true;
	session_unlock(s);
}

/* Load the edit file now (lock held).  Return: 1, or -1 with @msg. */
static int load_now(struct session *s, char *msg, size_t n)
{
	char name[4096];
	const char *path = file_of(s, name, sizeof(name));
	int r;

	s->whatif_pending = false;
	if (!path) {
		snprintf(msg, n, _("%s: name too long for its edit file"), s->path);
		return -1;
	}
	if (session_whatif_ready(s) != 0) {
		snprintf(msg, n, "%.60s: %s", path, s->err);
		return -1;
	}
	r = whatif_file_load(path, s->t, session_whatif(s), msg, n);
	session_whatif_changed(s);
	if (r < 0)
		return -1;
	if (r > 0 && s->run == SESSION_RUN_RECORDED)
		s->run = SESSION_RUN_EDITED;
	snprintf(msg, n,
		 ngettext("what-if: %d edit loaded from %.100s (e: recorded / edited / diff)",
			  "what-if: %d edits loaded from %.100s (e: recorded / edited / diff)",
			  (unsigned long)r), r, path);
	return 1;
}

/**
 * session_whatif_poll - load the edit file asked for, when the replay has
 * ended
 *
 * Return: 1 loaded (@msg says what), -1 failed (@msg: the file, its line,
 * what is wrong; the edits stay as they were), 0 nothing to do yet.
 */
int session_whatif_poll(struct session *s, char *msg, size_t n)
{
	int r = 0;

	session_lock(s);
	if (s->whatif_pending && (s->phase == SESSION_DONE || s->phase == SESSION_FAILED))
		r = load_now(s, msg, n);
	session_unlock(s);
	return r;
}

/**
 * session_whatif_save - write the edits to the edit file (the one loaded,
 * else FILE.whatif)
 *
 * Return: 0 with @msg saying where, or -1 with @msg saying why.
 */
int session_whatif_save(struct session *s, char *msg, size_t n)
{
	char name[4096];
	const char *path;
	struct coh_whatif *w;
	int r = -1;

	session_lock(s);
	path = file_of(s, name, sizeof(name));
	w = session_whatif(s);
	if (!path)
		snprintf(msg, n, _("%s: name too long for its edit file"), s->path);
	else if (!w)
		snprintf(msg, n, _("what-if: no edits to save"));
	else if ((r = whatif_file_save(path, s->t, w, msg, n)) == 0)
		snprintf(msg, n, ngettext("what-if: %zu edit saved to %.100s",
					  "what-if: %zu edits saved to %.100s",
					  coh_whatif_nedits(w)),
			 coh_whatif_nedits(w), path);
	session_unlock(s);
	return r;
}
