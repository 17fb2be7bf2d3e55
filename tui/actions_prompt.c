/* SPDX-License-Identifier: MIT */
/*
 * actions_prompt.c - the actions that ask for a line first (go to, search,
 * breakpoint, watch, platform, filter) and what the line means, and the
 * two bookmark keys that wait for a letter.  A line that does not parse is
 * an error on the status line; the position does not move.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions-local.h"
#include "app.h"
#include "i18n.h"
#include "session.h"

/* @s as a number (decimal, or 0x hex); *end after it.  Return: 0, or -1. */
static int parse_u64(const char *s, uint64_t *v, const char **end)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &e, 0);
	if (errno)
		return -1;
	*end = e;
	return 0;
}

/* The first engine event whose file index is >= @n (the timeline numbers
 * events by their index in the file). */
static uint64_t event_of_index(struct app *a, uint64_t n)
{
	uint64_t lo = 0, hi = session_count(a->s);
	struct coh_event e;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (session_event(a->s, mid, &e) == 0 && e.src < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void goto_done(struct app *a, const char *text)
{
	const char *end;
	uint64_t n;

	if (strchr(text, '.')) {
		act_report(a, session_seek_ts(a->s, text), _("no event at or after that time"));
		return;
	}
	if (parse_u64(text, &n, &end) < 0 || *end) {
		app_msg(a, _("go to: '%s' is neither an event number nor a timestamp"), text);
		return;
	}
	n = event_of_index(a, n);
	if (n >= session_count(a->s)) {
		app_msg(a, _("go to: no event %s (yet)"), text);
		return;
	}
	act_goto(a, n);
}

void act_goto_prompt(struct app *a)
{
	prompt_start(&a->pr, _("go to event or timestamp: "), NULL, goto_done);
}

static void search_done(struct app *a, const char *text)
{
	char err[160];

	if (!*text) {
		if (a->searched)
			act_search_next(a);
		return;
	}
	if (session_search_set(a->s, text, err, sizeof(err)) != 0) {
		app_msg(a, _("search: %s"), err);
		return;
	}
	a->searched = true;
	act_search_next(a);
}

void act_search_prompt(struct app *a)
{
	prompt_start(&a->pr, "/", NULL, search_done);
}

/* "LO-HI", "LO+LEN" or "ADDR" (one byte) into [lo, hi).  Return: 0, or -1. */
static int parse_range(const char *t, uint64_t *lo, uint64_t *hi)
{
	const char *end;
	uint64_t b;

	if (parse_u64(t, lo, &end) < 0)
		return -1;
	if (!*end) {
		*hi = *lo + 1;
		return 0;
	}
	if ((*end != '-' && *end != '+') || parse_u64(end + 1, &b, &t) < 0 || *t)
		return -1;
	*hi = *end == '+' ? *lo + b : b;
	return *hi > *lo ? 0 : -1;
}

static void break_done(struct app *a, const char *text)
{
	struct session_break b = { 0 };
	int fid = coh_fid_lookup(text);

	if (!*text)
		return;
	if (fid > 0) {
		b.kind = BREAK_FINDING;
		b.fid = (unsigned)fid;
	} else if (isdigit((unsigned char)*text)) {
		b.kind = BREAK_RANGE;
		if (parse_range(text, &b.lo, &b.hi) < 0) {
			app_msg(a, _("breakpoint: '%s' is not ADDR, LO-HI or ADDR+LEN"), text);
			return;
		}
	} else {
		b.kind = BREAK_CALL;
		snprintf(b.call, sizeof(b.call), "%s", text);
	}
	if (session_break_add(a->s, &b) != 0) {
		app_msg(a, _("breakpoint: %s"), session_error(a->s));
		return;
	}
	app_msg(a, _("breakpoint %zu on %s: c continues, C continues backward"),
		session_nbreaks(a->s), text);
}

void act_break_prompt(struct app *a)
{
	prompt_start(&a->pr, _("break on (LO-HI, ADDR+LEN, a call, a finding id): "), NULL,
		     break_done);
}

static void watch_done(struct app *a, const char *text)
{
	uint64_t lo, hi;

	if (!*text)
		return;
	if (parse_range(text, &lo, &hi) < 0) {
		app_msg(a, _("watch: '%s' is not ADDR, LO-HI or ADDR+LEN"), text);
		return;
	}
	a->vs.watching = true;
	a->vs.watch = lo;
	a->vs.watch_hi = hi - lo > SESSION_WATCH_BYTES ? lo + SESSION_WATCH_BYTES : hi;
	act_watch_list(a);
	if (hi - lo > SESSION_WATCH_BYTES)
		app_msg(a, _("watching the first %d of the %" PRIu64 " bytes"), SESSION_WATCH_BYTES,
			hi - lo);
}

void act_watch_prompt(struct app *a)
{
	char init[48] = "";

	if (a->vs.watching && a->vs.watch_hi > a->vs.watch + 1)
		snprintf(init, sizeof(init), "0x%" PRIx64 "-0x%" PRIx64, a->vs.watch,
			 a->vs.watch_hi);
	else if (a->vs.watching)
		snprintf(init, sizeof(init), "0x%" PRIx64, a->vs.watch);
	prompt_start(&a->pr, _("watch (ADDR, LO-HI, ADDR+LEN): "), init, watch_done);
}

static void platform_done(struct app *a, const char *text)
{
	char err[160];

	if (!*text)
		return;
	if (session_set_platform(a->s, text, err, sizeof(err)) != 0) {
		app_msg(a, _("platform: %s"), err);
		return;
	}
	app_msg(a, _("replayed on %s"), session_platform(a->s)->name);
}

void act_platform_prompt(struct app *a)
{
	char label[160];

	snprintf(label, sizeof(label), _("platform (%s, %s, ...): "),
		 coh_platform_preset_at(0, NULL), coh_platform_preset_at(1, NULL));
	prompt_start(&a->pr, label, session_platform(a->s)->name, platform_done);
}

/* One "name=value" of a filter into @f.  Return: 0, or -1. */
static int filter_term(struct app *a, const char *name, const char *v,
		       struct session_filter *f)
{
	uint64_t n;
	const char *end;
	int num = parse_u64(v, &n, &end) == 0 && !*end;

	if (strcmp(name, "dev") == 0)
		return (f->dev = num ? (int)n : coh_platform_find_dev(session_platform(a->s), v)) < 0
			       ? -1 : 0;
	if (strcmp(name, "kind") == 0)
		return (f->kind = coh_kind_lookup(v)) < 0 ? -1 : 0;
	if (strcmp(name, "cpu") == 0 && num)
		f->cpu = (int)n;
	else if (strcmp(name, "seq") == 0 && (f->seq = session_seq_named(a->s, v)) >= 0)
		;                            /* a sequence's name, as its marker gives it */
	else if (strcmp(name, "seq") == 0 && num && n >= 1 && n <= INT_MAX)
		f->seq = (int)n - 1;         /* the n-th sequence */
	else if (strcmp(name, "addr") == 0)
		return parse_range(v, &f->lo, &f->hi);
	else
		return -1;
	return 0;
}

static void filter_done(struct app *a, const char *text)
{
	struct session_filter f = { -1, -1, -1, 0, 0, -1 };
	char buf[PROMPT_MAX], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", text);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(t, '=');

		if (eq)
			*eq = 0;
		if (!eq || filter_term(a, t, eq + 1, &f) < 0) {
			if (eq)
				*eq = '=';           /* the whole term in the message */
			app_msg(a, _("filter: '%s' is not dev=, cpu=, kind=, addr=LO-HI or seq="),
				t);
			return;
		}
	}
	session_filter_set(a->s, &f);
	act_onto_visible(a);
	app_msg(a, "%s", *text ? _("filter set (F then Enter on an empty line clears it)")
			       : _("filter cleared"));
}

void act_filter_prompt(struct app *a)
{
	prompt_start(&a->pr, _("filter (dev= cpu= kind= addr=LO-HI seq=): "), NULL, filter_done);
}

void act_mark(struct app *a)
{
	a->pending = 'm';
	app_msg(a, _("bookmark: press a letter"));
}

void act_mark_jump(struct app *a)
{
	a->pending = '\'';
	app_msg(a, _("jump to bookmark: press its letter"));
}
