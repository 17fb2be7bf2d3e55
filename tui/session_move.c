/* SPDX-License-Identifier: MIT */
/*
 * session_move.c - moving a session through time: to an event, a step
 * (honouring the filter), the next or previous API call or finding, a
 * timestamp, a regex match; and the filter itself.  Moves that look for an
 * event test the events themselves or the findings list: none replays.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "report.h"
#include "session-local.h"

#define SCAN_BUDGET_NS 1000000000ull /* a scan stops after a second */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Where to start: where the same scan from the same place ran out of time
 * last, else @from. */
static uint64_t resumed(struct session *s, uint64_t from, int dir, event_pred pred)
{
	bool same = s->resume.on && s->resume.pos == s->pos && s->resume.dir == dir &&
		    s->resume.gen == s->gen && s->resume.pred == (const void *)pred;

	s->resume.on = false;
	return same ? s->resume.next : from;
}

/* Stop a scan at @i, to be resumed by the same move from the same place. */
static int out_of_time(struct session *s, uint64_t from, uint64_t i, int dir, event_pred pred)
{
	s->resume.on = true;
	s->resume.pos = s->pos;
	s->resume.next = i;
	s->resume.dir = dir;
	s->resume.gen = s->gen;
	s->resume.pred = (const void *)pred;
	snprintf(s->err, sizeof(s->err), _("nothing in events %llu to %llu yet: again to go on"),
		 (unsigned long long)(dir > 0 ? from : i + 1),
		 (unsigned long long)(dir > 0 ? i - 1 : from));
	return 0;
}

/**
 * session_scan - the first event from @from going in direction @dir where
 * @pred holds (lock held); a scan that takes more than a second stops,
 * says where in s->err, and the same move from the same place goes on from
 * there (trace.dat lines cost about 0.4 ms each to re-read)
 *
 * Return: 1 with *@found set, 0 when there is none (or not yet).
 */
int session_scan(struct session *s, uint64_t from, int dir, event_pred pred, void *ctx,
		 uint64_t *found)
{
	uint64_t t0 = now_ns(), step = dir > 0 ? 1 : (uint64_t)-1, n = 0;
	struct coh_event ev;

	from = resumed(s, from, dir, pred);
	for (uint64_t i = from; i < s->count; i += step, n++) {
		if (n % 1024 == 1023 && now_ns() - t0 > SCAN_BUDGET_NS)
			return out_of_time(s, from, i, dir, pred);
		if (session_get(s, i, &ev) < 0)
			return 0;
		if (pred(s, i, &ev, ctx)) {
			*found = i;
			return 1;
		}
		if (dir < 0 && i == 0)
			break;
	}
	return 0;
}

/**
 * session_go - move to event @pos (lock held)
 *
 * Return: 0, or -1 (s->err says why).
 */
int session_go(struct session *s, uint64_t pos)
{
	if (session_view_at(s, pos) < 0)
		return -1;
	s->pos = pos;
	return 0;
}

/* The start of a scan from pos in direction @dir, or 1 when there is
 * nothing that way. */
static int next_from(struct session *s, int dir, uint64_t *from)
{
	if (!s->count || (dir < 0 && s->pos == 0) || (dir > 0 && s->pos + 1 >= s->count))
		return 1;
	*from = dir > 0 ? s->pos + 1 : s->pos - 1;
	return 0;
}

/* Scan from pos in direction @dir and move to what is found. */
static int scan_go(struct session *s, int dir, event_pred pred, void *ctx)
{
	uint64_t from, found;
	int ret = 1;

	session_lock(s);
	s->err[0] = 0;
	if (next_from(s, dir, &from) == 0 && session_scan(s, from, dir, pred, ctx, &found))
		ret = session_go(s, found);
	session_unlock(s);
	return ret;
}

/**
 * session_seek - move to event @pos; when the background replay has not
 * got there yet, replays up to it in the caller's thread (the frontier
 * moves on with it)
 *
 * Return: 0, 1 when @pos is not an event (yet), -1 when it cannot be
 * replayed (session_error()).
 */
int session_seek(struct session *s, uint64_t pos)
{
	int ret;

	session_lock(s);
	s->err[0] = 0;
	ret = pos < s->count ? session_go(s, pos) : 1;
	session_unlock(s);
	return ret;
}

static bool visible(struct session *s, uint64_t i, const struct coh_event *ev, void *ctx)
{
	(void)ctx;
	return session_match_filter(s, i, ev);
}

/**
 * session_step - to the next (@dir > 0) or previous visible event
 *
 * Return: 0, 1 at either end, -1 on error.
 */
int session_step(struct session *s, int dir)
{
	return scan_go(s, dir, visible, NULL);
}

static bool is_call(struct session *s, uint64_t i, const struct coh_event *ev, void *ctx)
{
	(void)s;
	(void)i;
	(void)ctx;
	return session_is_call(ev);
}

/**
 * session_step_call - to the next or previous DMA API or Windows call
 * (accesses and markers are passed over; the filter is not)
 *
 * Return: 0, 1 when there is none, -1 on error.
 */
int session_step_call(struct session *s, int dir)
{
	return scan_go(s, dir, is_call, NULL);
}

/* When nothing was found ahead while the replay is still going. */
static int not_yet(struct session *s, int dir)
{
	if (dir > 0 && s->phase == SESSION_REPLAYING)
		snprintf(s->err, sizeof(s->err), _("none so far: replayed %llu of %llu events"),
			 (unsigned long long)s->replayed, (unsigned long long)s->count);
	return 1;
}

/**
 * session_step_finding - to the next or previous event where a finding
 * was raised, among those the replay has raised so far
 *
 * Return: 0, 1 when there is none (session_error() says so when the replay
 * may still find one ahead), -1 on error.
 */
int session_step_finding(struct session *s, int dir)
{
	size_t k;
	int ret;

	session_lock(s);
	s->err[0] = 0;
	k = session_finding_first(s, dir > 0 ? s->pos + 1 : s->pos);
	if (dir > 0 && k < s->nf)
		ret = session_go(s, session_by_seq(s, k)->seq);
	else if (dir < 0 && k > 0)
		ret = session_go(s, session_by_seq(s, k - 1)->seq);
	else
		ret = not_yet(s, dir);
	session_unlock(s);
	return ret;
}

/* "SECONDS[.FRACTION]" to whole microseconds.  Return: 0, or -1. */
static int parse_ts(const char *ts, uint64_t *us)
{
	uint64_t sec = 0, frac = 0;
	int digits = 0;
	const char *p = ts;

	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p) && sec < UINT64_MAX / 100; p++)
		sec = sec * 10 + (uint64_t)(*p - '0');
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, digits++)
			if (digits < 6)
				frac = frac * 10 + (uint64_t)(*p - '0');
	while (isspace((unsigned char)*p) || *p == ':')
		p++;
	if (*p || sec > UINT64_MAX / 1000000 - 1)
		return -1;
	for (; digits < 6; digits++)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return 0;
}

/* The first event whose printed timestamp is at or after @us (events are
 * in timestamp order): s->count when none. */
static uint64_t first_at(struct session *s, uint64_t us)
{
	uint64_t lo = 0, hi = s->count;
	struct coh_event ev;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (session_get(s, mid, &ev) == 0 && report_ts_us(ev.ts) < us)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * session_seek_ts - to the first event at or after a timestamp as
 * `trace-cmd report` prints it ("1234.567890", to the microsecond)
 *
 * Return: 0, 1 when every event is earlier, -1 for a malformed timestamp.
 */
int session_seek_ts(struct session *s, const char *ts)
{
	uint64_t us, i;
	int ret;

	if (parse_ts(ts, &us) < 0) {
		snprintf(s->err, sizeof(s->err), _("'%.200s' is not a timestamp (SECONDS.USEC)"),
			 ts);
		return -1;
	}
	session_lock(s);
	s->err[0] = 0;
	i = first_at(s, us);
	ret = i < s->count ? session_go(s, i) : 1;
	session_unlock(s);
	return ret;
}

/**
 * session_search_set - the pattern n / N look for (POSIX extended regex);
 * "" or NULL forgets it
 *
 * Return: 0, or -1 with regerror()'s text in @err (the old pattern stays).
 */
int session_search_set(struct session *s, const char *regex, char *err, size_t n)
{
	regex_t re;
	int e = 0;

	if (regex && *regex && (e = regcomp(&re, regex, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(e, &re, err, n);
		return -1;
	}
	session_lock(s);
	if (s->have_re)
		regfree(&s->re);
	s->gen++;
	s->have_re = regex && *regex;
	if (s->have_re)
		s->re = re;
	session_unlock(s);
	return 0;
}

static bool matches(struct session *s, uint64_t i, const struct coh_event *ev, void *ctx)
{
	char line[1024];

	(void)ctx;
	if (!session_match_filter(s, i, ev))
		return false;
	return regexec(&s->re, session_line(s, i, line, sizeof(line)), 0, NULL, 0) == 0;
}

/**
 * session_search - to the next (@dir > 0) or previous visible event whose
 * line matches the pattern; no wrapping around
 *
 * Return: 0, 1 when none matches, -1 when no pattern is set.
 */
int session_search(struct session *s, int dir)
{
	if (!s->have_re) {
		snprintf(s->err, sizeof(s->err), _("no search pattern"));
		return -1;
	}
	return scan_go(s, dir, matches, NULL);
}

/**
 * session_filter_set - hide the events that do not match @f from the
 * timeline and from session_step() and session_search()
 */
void session_filter_set(struct session *s, const struct session_filter *f)
{
	session_lock(s);
	s->filter = *f;
	s->gen++;
	if (s->filter.hi && s->filter.hi <= s->filter.lo)
		s->filter.hi = 0;
	session_unlock(s);
}

/**
 * session_filter_get - the filter in force
 */
void session_filter_get(struct session *s, struct session_filter *f)
{
	session_lock(s);
	*f = s->filter;
	session_unlock(s);
}

int session_seq_named(struct session *s, const char *name)
{
	struct coh_event ev;
	int found = -1, nth = 0;

	session_lock(s);
	for (uint64_t i = 0; found < 0 && i < s->count && session_get(s, i, &ev) == 0; i++)
		if (ev.kind == COH_EV_SCOPE_BEGIN && ev.scope == COH_SCOPE_SEQ) {
			if (ev.text && !strcmp(ev.text, name))
				found = nth;
			nth++;
		}
	session_unlock(s);
	return found;
}

/**
 * session_visible - whether event @i passes the filter (false when @i is
 * not known)
 */
bool session_visible(struct session *s, uint64_t i)
{
	struct coh_event ev;
	bool v;

	session_lock(s);
	v = session_get(s, i, &ev) == 0 && session_match_filter(s, i, &ev);
	session_unlock(s);
	return v;
}
