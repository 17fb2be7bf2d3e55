/* SPDX-License-Identifier: MIT */
/*
 * session.c - a replay session: opening and closing it, its progress, the
 * lock, and what it says about one event or finding (its copy, its line and
 * timestamp as the trace's own tools print them, the finding's text as
 * `dmascope check` words it).  Moving is session_move.c and
 * session_break.c; the byte history session_watch.c.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"
#include "session-local.h"

static char *dup_or_null(const char *p)
{
	return p ? strdup(p) : NULL;
}

static void session_free(struct session *s)
{
	session_whatif_free(s);
	session_states_free(s);
	session_tail_free(s);
	coh_timeline_free(s->tl);
	trace_close(s->t);
	if (s->have_re)
		regfree(&s->re);
	session_findings_free(s);
	for (size_t k = 0; k < SESSION_NLINES; k++)
		free(s->lines[k].text);
	free(s->segs);
	free(s->data);
	free(s->text);
	free(s->seqid);
	free(s->path);
	free(s->platform);
	free(s->device);
	free(s->whatif_path);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

static struct session *session_new(const struct session_opts *o)
{
	struct session *s = calloc(1, sizeof(*s));
	pthread_mutexattr_t a;

	if (!s)
		return NULL;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->mu, &a);
	pthread_mutexattr_destroy(&a);
	pthread_cond_init(&s->cv, NULL);
	s->o = *o;
	s->path = strdup(o->path);
	s->platform = dup_or_null(o->platform);
	s->device = dup_or_null(o->device);
	s->filter = (struct session_filter){ .dev = -1, .cpu = -1, .kind = -1, .seq = -1 };
	if (!s->path || (o->platform && !s->platform) || (o->device && !s->device)) {
		session_free(s);
		return NULL;
	}
	return s;
}

/**
 * session_open - open @o->path and start reading and replaying it
 *
 * Without SESSION_SYNC the file is read in the background; session_open
 * waits up to 150 ms for the reader, so a file that cannot be read (or a
 * platform that cannot be built) fails here with the reader's message;
 * one that fails later leaves the session in SESSION_FAILED with the
 * message in its progress.
 *
 * Return: 0, or -1 with @err filled in (nothing is left running).
 */
int session_open(const struct session_opts *o, struct session **out, char *err, size_t n)
{
	struct session *s;

	*out = NULL;
	if (!o || !o->path) {
		snprintf(err, n, _("no trace file given"));
		return -1;
	}
	if (!(s = session_new(o))) {
		snprintf(err, n, _("%s: out of memory"), o->path);
		return -1;
	}
	if (session_load_start(s, err, n) < 0) {
		session_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

/**
 * session_close - stop the background replay (at the end of its current
 * slice; a trace still being read is read to the end first) and free
 * everything (NULL is fine)
 */
void session_close(struct session *s)
{
	if (!s)
		return;
	session_load_stop(s);
	session_free(s);
}

/**
 * session_progress - the phase, how far it is, the events known and replayed
 */
void session_progress(struct session *s, struct session_progress *p)
{
	memset(p, 0, sizeof(*p));
	session_lock(s);
	p->phase = s->phase;
	p->events = s->count;
	p->replayed = s->replayed;
	if (s->phase == SESSION_READING)
		p->fraction = s->fraction;
	else
		p->fraction = s->count ? (double)s->replayed / (double)s->count : 1.0;
	snprintf(p->error, sizeof(p->error), "%s", s->failed);
	session_unlock(s);
}

/**
 * session_lock - hold the session (and the engine) still while drawing;
 * the background replay lets a thread waiting here go first (it pauses
 * between slices while one waits); may be nested
 */
void session_lock(struct session *s)
{
	atomic_fetch_add(&s->waiting, 1);
	pthread_mutex_lock(&s->mu);
	atomic_fetch_sub(&s->waiting, 1);
}

/**
 * session_unlock - let the background replay go on
 */
void session_unlock(struct session *s)
{
	pthread_mutex_unlock(&s->mu);
}

/**
 * session_sim - the state after event pos, built on demand (lock held);
 * in the edited views, the edited run's (session_whatif.c)
 *
 * Return: borrowed until the next move or session_close(); NULL while the
 * trace is being read, when it has no events, or if pos cannot be replayed.
 */
const struct coh_sim *session_sim(struct session *s)
{
	if (!s->tl || !s->count)
		return NULL;
	if (s->run != SESSION_RUN_RECORDED && session_whatif(s))
		return session_whatif_sim(s);
	if (session_view_at(s, s->pos) < 0)
		return NULL;
	return s->view;
}

/**
 * session_count - events known (0 while reading)
 */
uint64_t session_count(struct session *s)
{
	uint64_t n;

	session_lock(s);
	n = s->count;
	session_unlock(s);
	return n;
}

/**
 * session_pos - the current event
 */
uint64_t session_pos(struct session *s)
{
	uint64_t n;

	session_lock(s);
	n = s->pos;
	session_unlock(s);
	return n;
}

/**
 * session_platform - the platform replayed on
 *
 * Return: borrowed until the next platform switch; NULL while reading.
 */
const struct coh_platform *session_platform(struct session *s)
{
	const struct coh_platform *p;

	session_lock(s);
	p = s->tl ? &s->plat : NULL;
	session_unlock(s);
	return p;
}

/**
 * session_path - the trace file as given
 */
const char *session_path(struct session *s)
{
	return s->path;
}

/* Grow *@buf to hold @need bytes.  Return: 0, or -1. */
static int reserve(void **buf, size_t *cap, size_t need)
{
	void *p;

	if (need <= *cap)
		return 0;
	if (!(p = realloc(*buf, need)))
		return -1;
	*buf = p;
	*cap = need;
	return 0;
}

/* Copy what @ev borrows into the session's own buffers. */
static int keep_event(struct session *s, struct coh_event *ev)
{
	size_t ns = ev->segs ? ev->nsegs * sizeof(*ev->segs) : 0;
	size_t nd = ev->data ? ev->len : 0;
	size_t nt = ev->text ? strlen(ev->text) + 1 : 0;

	if (reserve((void **)&s->segs, &s->capsegs, ns) < 0 ||
	    reserve((void **)&s->data, &s->capdata, nd) < 0 ||
	    reserve((void **)&s->text, &s->captext, nt) < 0)
		return -1;
	if (ns)
		ev->segs = memcpy(s->segs, ev->segs, ns);
	if (nd)
		ev->data = memcpy(s->data, ev->data, nd);
	if (nt)
		ev->text = memcpy(s->text, ev->text, nt);
	return 0;
}

/**
 * session_event - a copy of event @i; its pointers stay valid until the
 * next session_event() (the background replay does not disturb them)
 *
 * Return: 0, or -1 when @i is not known (yet).
 */
int session_event(struct session *s, uint64_t i, struct coh_event *ev)
{
	int ret;

	session_lock(s);
	ret = session_get(s, i, ev);
	if (ret == 0)
		ret = keep_event(s, ev);
	session_unlock(s);
	return ret;
}

uint64_t session_index(struct session *s, uint64_t i)
{
	struct coh_event ev;
	uint64_t src = COH_SRC_NONE;

	session_lock(s);
	if (session_get(s, i, &ev) == 0)
		src = ev.src;
	session_unlock(s);
	return src == COH_SRC_NONE ? i : src;
}

/* One line, as check's report shows a multi-line ETW row. */
static char *flatten(char *buf)
{
	size_t n;

	for (char *p = buf; (p = strchr(p, '\n')); )
		*p = ' ';
	for (n = strlen(buf); n && buf[n - 1] == ' '; n--)
		buf[n - 1] = 0;
	return buf;
}

/* Line @i from the cache into @buf.  Return: whether it was there. */
static bool cached(struct session *s, uint64_t i, char *buf, size_t n)
{
	size_t k = i % SESSION_NLINES;

	if (!s->lines[k].text || s->lines[k].i != i)
		return false;
	snprintf(buf, n, "%s", s->lines[k].text);
	return true;
}

static void remember(struct session *s, uint64_t i, const char *line)
{
	size_t k = i % SESSION_NLINES;

	free(s->lines[k].text);
	s->lines[k].text = strdup(line);
	s->lines[k].i = i;
}

/**
 * session_line - event @i as the trace's own tool prints it, on one line
 * (events the reader added, like the trace's end, as the engine describes
 * them)
 *
 * Return: @buf ("" when @i is not known).
 */
const char *session_line(struct session *s, uint64_t i, char *buf, size_t n)
{
	char full[4096];
	struct coh_event ev;

	if (!n)
		return buf;
	buf[0] = 0;
	session_lock(s);
	if (!cached(s, i, buf, n) && session_get(s, i, &ev) == 0) {
		if (ev.src == COH_SRC_NONE ||
		    trace_line_brief(s->t, ev.src, full, sizeof(full)) < 0)
			coh_event_describe(&ev, &s->plat, full, sizeof(full));
		remember(s, i, flatten(full));
		snprintf(buf, n, "%s", full);
	}
	session_unlock(s);
	return buf;
}

/**
 * session_ts - event @i's timestamp as `trace-cmd report` prints it
 *
 * Return: @buf ("" when @i is not known).
 */
const char *session_ts(struct session *s, uint64_t i, char *buf, size_t n)
{
	struct coh_event ev;
	int ok;

	session_lock(s);
	ok = session_get(s, i, &ev) == 0;
	session_unlock(s);
	if (ok)
		return report_ts(buf, n, ev.ts);
	if (n)
		buf[0] = 0;
	return buf;
}

/**
 * session_nfindings - findings the replay has raised so far
 */
size_t session_nfindings(struct session *s)
{
	size_t n;

	session_lock(s);
	n = s->nf;
	session_unlock(s);
	return n;
}

/**
 * session_finding - finding @i of the replay (in firing order)
 *
 * Return: borrowed until the next platform switch or session_close() (it
 * does not move while the replay adds findings); NULL out of range.
 */
const struct coh_finding *session_finding(struct session *s, size_t i)
{
	const struct coh_finding *f;

	session_lock(s);
	f = i < s->nf ? session_f(s, i) : NULL;
	session_unlock(s);
	return f;
}

/**
 * session_findings_at - findings raised at event @i (in firing order)
 *
 * Return: how many (the first @max of them are stored in @idx).
 */
size_t session_findings_at(struct session *s, uint64_t i, size_t *idx, size_t max)
{
	size_t k, n = 0;

	session_lock(s);
	for (k = session_finding_first(s, i); k < s->nf && session_f(s, s->byseq[k])->seq == i; k++, n++)
		if (n < max)
			idx[n] = s->byseq[k];
	session_unlock(s);
	return n;
}

static int rf_event(void *ctx, uint64_t seq, struct coh_event *ev)
{
	return session_get(ctx, seq, ev);
}

static int rf_line(void *ctx, uint64_t src, char *buf, size_t n)
{
	return trace_line(((struct session *)ctx)->t, src, buf, n);
}

static uint64_t rf_src(void *ctx, uint64_t seq)
{
	struct coh_event ev;

	return session_get(ctx, seq, &ev) == 0 ? ev.src : COH_SRC_NONE;
}

/* What the text report knows of the session's trace, for @rf. */
static void rf_fill(struct session *s, struct report_file *rf)
{
	rf->path = s->path;
	rf->plat = &s->plat;
	rf->sim_flags = s->o.sim_flags;
	rf->events = s->count;
	rf->src_of = rf_src;
	rf->src_ctx = s;
	rf->event = rf_event;
	rf->line = rf_line;
}

/**
 * session_report_ctx - group @rf's findings (the session's, or copies of
 * them) as `dmascope check`'s text report does: report_ctx_build() with the
 * trace's events around each finding, which name the call omitted
 *
 * Fills in @rf's trace parts (path, platform, the event callbacks), which
 * stay valid while the session is open.  Takes the lock.
 * Return: 0, or -1 when out of memory (nothing to free then).
 */
int session_report_ctx(struct session *s, struct report_file *rf, struct report_ctx *c)
{
	int ret;

	session_lock(s);
	rf_fill(s, rf);
	ret = report_ctx_build(rf, c);
	session_unlock(s);
	return ret;
}

/* The message and explanation of @f, as the text report words them. */
static char *word(struct session *s, const struct coh_finding *f)
{
	const struct coh_finding *one[1] = { f };
	struct report_file rf = { .nfindings = 1, .findings = one };
	struct report_note *notes;
	char msg[1024], *ex, *out = NULL;

	rf_fill(s, &rf);
	notes = report_notes(&rf);

	report_message(&rf, f, notes, msg, sizeof(msg));
	free(notes);
	ex = report_explain(&rf, f);
	if (ex && asprintf(&out, "%s %s: %s\n\n%s", coh_fid_code(f->id),
			   coh_fid_name(f->id), msg, ex) < 0)
		out = NULL;
	free(ex);
	return out;
}

/**
 * session_finding_text - finding @i's id, message and explanation, as
 * `dmascope check`'s text report words them ("DC001 stale-cpu-read: ...",
 * a blank line, the explanation)
 *
 * Return: caller frees; NULL when @i is out of range or out of memory.
 */
char *session_finding_text(struct session *s, size_t i)
{
	char *out = NULL;

	session_lock(s);
	if (i < s->nf)
		out = word(s, session_f(s, i));
	session_unlock(s);
	return out;
}

/**
 * session_error - why the last move failed
 */
const char *session_error(struct session *s)
{
	return s->err;
}

/**
 * session_set_platform - replay on preset @preset (NULL: the file's own)
 * from the start, keeping the position; the findings start over and the
 * what-if edits are dropped
 *
 * Return: 0, or -1 with @err filled in (the old platform stays then).
 */
int session_set_platform(struct session *s, const char *preset, char *err, size_t n)
{
	char *name = dup_or_null(preset);
	int ret;

	if (preset && !name) {
		snprintf(err, n, _("out of memory"));
		return -1;
	}
	session_load_stop(s);
	session_lock(s);
	session_whatif_free(s);             /* the edits were made on the old run */
	ret = s->t ? session_replay_setup(s, preset, err, n) : -1;
	if (!s->t)
		snprintf(err, n, _("%s: not read yet"), s->path);
	if (ret == 0) {
		free(s->platform);
		s->platform = name;
		name = NULL;
	}
	session_unlock(s);
	free(name);
	if (session_load_start(s, err, n) < 0)
		return -1;
	return ret;
}
