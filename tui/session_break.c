/* SPDX-License-Identifier: MIT */
/*
 * session_break.c - bookmarks (named positions) and breakpoints (an event
 * touching an address range, a call by kind or API name, a finding id
 * raised), which session_continue() honours in both directions by testing
 * the events and the findings list, without replaying.
 */
#include <ctype.h>
#include <string.h>

#include "i18n.h"
#include "session-local.h"

/**
 * session_mark_set - remember @pos under @name
 *
 * Return: 0, or -1 when @pos is not an event.
 */
int session_mark_set(struct session *s, char name, uint64_t pos)
{
	int ret = -1;

	session_lock(s);
	if (pos < s->count) {
		s->mark_set[(unsigned char)name] = true;
		s->marks[(unsigned char)name] = pos;
		ret = 0;
	}
	session_unlock(s);
	return ret;
}

/**
 * session_mark_get - the position remembered under @name
 *
 * Return: 0, or 1 when it is unset.
 */
int session_mark_get(struct session *s, char name, uint64_t *pos)
{
	int ret = 1;

	session_lock(s);
	if (s->mark_set[(unsigned char)name]) {
		*pos = s->marks[(unsigned char)name];
		ret = 0;
	}
	session_unlock(s);
	return ret;
}

/**
 * session_marks - the bookmarks set, in the order of their names
 *
 * Return: how many are set (the first @max are stored).
 */
size_t session_marks(struct session *s, char *names, uint64_t *pos, size_t max)
{
	size_t n = 0;

	session_lock(s);
	for (unsigned c = 1; c < 256; c++) {
		if (!s->mark_set[c])
			continue;
		if (n < max) {
			names[n] = (char)c;
			pos[n] = s->marks[c];
		}
		n++;
	}
	session_unlock(s);
	return n;
}

/**
 * session_break_add - add a breakpoint (at most 32)
 *
 * Return: 0, or -1 (a bad one: an empty range or call name, an unknown
 * finding id, or too many; session_error() says which).
 */
int session_break_add(struct session *s, const struct session_break *b)
{
	const char *why = NULL;

	if (b->kind == BREAK_RANGE && b->hi <= b->lo)
		why = _("an empty address range");
	else if (b->kind == BREAK_CALL && !memchr(b->call, 0, sizeof(b->call)))
		why = _("a call name too long");
	else if (b->kind == BREAK_CALL && !b->call[0])
		why = _("no call name");
	else if (b->kind == BREAK_FINDING && (b->fid == 0 || b->fid >= COH_FID_COUNT))
		why = _("an unknown finding id");
	session_lock(s);
	if (!why && s->nbr == SESSION_MAX_BREAKS)
		why = _("too many breakpoints");
	if (!why) {
		s->br[s->nbr++] = *b;
		s->gen++;
	}
	else
		snprintf(s->err, sizeof(s->err), _("breakpoint: %s"), why);
	session_unlock(s);
	return why ? -1 : 0;
}

/**
 * session_break_del - remove breakpoint @i (the later ones move down)
 */
void session_break_del(struct session *s, size_t i)
{
	session_lock(s);
	if (i < s->nbr) {
		memmove(&s->br[i], &s->br[i + 1], (s->nbr - i - 1) * sizeof(s->br[0]));
		s->nbr--;
		s->gen++;
	}
	session_unlock(s);
}

/**
 * session_nbreaks - breakpoints set
 */
size_t session_nbreaks(struct session *s)
{
	size_t n;

	session_lock(s);
	n = s->nbr;
	session_unlock(s);
	return n;
}

/**
 * session_break_at - breakpoint @i
 *
 * Return: borrowed until the next session_break_add() / _del(); NULL out
 * of range.
 */
const struct session_break *session_break_at(struct session *s, size_t i)
{
	const struct session_break *b;

	session_lock(s);
	b = i < s->nbr ? &s->br[i] : NULL;
	session_unlock(s);
	return b;
}

static bool ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Whether @word appears in @line as a whole word ("dma_map_single"). */
static bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(line, word); p; p = strstr(p + 1, word))
		if ((p == line || !ident(p[-1])) && !ident(p[n]))
			return true;
	return false;
}

/* A call breakpoint: the engine's kind name, or the API function the
 * trace's line names. */
static bool call_hit(struct session *s, uint64_t i, const struct coh_event *ev,
		     const char *call)
{
	char line[1024];

	if (strcmp(coh_kind_name(ev->kind), call) == 0)
		return true;
	if (!session_is_call(ev) || coh_kind_lookup(call) >= 0)
		return false;                        /* a kind name: no line to read */
	return has_word(session_line(s, i, line, sizeof(line)), call);
}

static bool finding_hit(struct session *s, uint64_t i, unsigned fid)
{
	const struct coh_finding *f;

	for (size_t k = session_finding_first(s, i); (f = session_by_seq(s, k)) && f->seq == i; k++)
		if (f->id == fid)
			return true;
	return false;
}

static bool break_hit(struct session *s, uint64_t i, const struct coh_event *ev, void *ctx)
{
	(void)ctx;
	for (size_t k = 0; k < s->nbr; k++) {
		const struct session_break *b = &s->br[k];

		if ((b->kind == BREAK_RANGE && session_touches(ev, b->lo, b->hi)) ||
		    (b->kind == BREAK_CALL && call_hit(s, i, ev, b->call)) ||
		    (b->kind == BREAK_FINDING && finding_hit(s, i, b->fid)))
			return true;
	}
	return false;
}

/**
 * session_continue - to the next (@dir > 0) or previous event where a
 * breakpoint hits; finding breakpoints hit only where the replay has got
 * to so far
 *
 * Return: 0, 1 when none hits (session_error() says so when the replay is
 * still going), -1 on error.
 */
int session_continue(struct session *s, int dir)
{
	uint64_t from, found;
	int ret = 1;

	session_lock(s);
	s->err[0] = 0;
	if (!s->nbr)
		snprintf(s->err, sizeof(s->err), _("no breakpoints"));
	else if (s->count && (dir > 0 ? s->pos + 1 < s->count : s->pos > 0)) {
		from = dir > 0 ? s->pos + 1 : s->pos - 1;
		if (session_scan(s, from, dir, break_hit, NULL, &found))
			ret = session_go(s, found);
		else if (!s->err[0] && dir > 0 && s->phase == SESSION_REPLAYING)
			snprintf(s->err, sizeof(s->err), _("no hit so far: replayed %llu of %llu"),
				 (unsigned long long)s->replayed, (unsigned long long)s->count);
	}
	session_unlock(s);
	return ret;
}
