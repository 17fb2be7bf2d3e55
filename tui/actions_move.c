/* SPDX-License-Identifier: MIT */
/*
 * actions_move.c - the actions that move through time or through a pane's
 * rows: steps, pages, the ends, calls, findings, search again, continue in
 * both directions, the watched byte's last writer; and the pane focus.
 */
#include <inttypes.h>
#include <stdio.h>

#include "actions-local.h"
#include "app.h"
#include "i18n.h"
#include "session.h"

void act_report(struct app *a, int r, const char *none)
{
	if (r == 0)
		a->vs.msg[0] = 0;
	else if (r > 0)
		app_msg(a, "%s", none);
	else
		app_msg(a, _("error: %s"), session_error(a->s));
}

void act_goto(struct app *a, uint64_t ev)
{
	act_report(a, session_seek(a->s, ev), _("that event is not replayed yet"));
}

/* The focused pane is a list of its own (not the timeline): move its
 * selection by @d rows.  Return: false when the timeline is focused. */
static bool move_row(struct app *a, long d)
{
	enum view_pane p = a->vs.focus;
	struct view_scroll *sc = &a->vs.scroll[p];
	long last = a->vs.rows[p] - 1;

	if (p == PANE_TIMELINE || p == PANE_STATUS)
		return false;
	sc->sel = sc->sel < 0 ? 0 : sc->sel + d;   /* the first key selects the first row */
	if (sc->sel > last)
		sc->sel = last;
	if (sc->sel < 0)
		sc->sel = last >= 0 ? 0 : -1;
	return true;
}

void act_down(struct app *a)
{
	if (!move_row(a, 1))
		act_report(a, session_step(a->s, 1), _("at the last event (replayed so far)"));
}

void act_up(struct app *a)
{
	if (!move_row(a, -1))
		act_report(a, session_step(a->s, -1), _("at the first event"));
}

/* Rows of the focused pane's list that one page moves. */
static long page_of(struct app *a)
{
	long h = a->vs.at[a->vs.focus].h - 2;

	return h > 1 ? h : 1;
}

/* Seek to @pos, then to the nearest event the filter shows in direction @dir. */
static void seek_visible(struct app *a, uint64_t pos, int dir)
{
	int r = session_seek(a->s, pos);

	if (r == 0 && !session_visible(a->s, pos))
		r = session_step(a->s, dir);
	act_report(a, r, dir > 0 ? _("that event is not replayed yet") : _("at the first event"));
}

void act_onto_visible(struct app *a)
{
	if (!session_count(a->s) || session_visible(a->s, session_pos(a->s)))
		return;
	if (session_step(a->s, 1) != 0)
		session_step(a->s, -1);
}

void act_page_down(struct app *a)
{
	uint64_t pos = session_pos(a->s), n = session_count(a->s);
	uint64_t to = pos + (uint64_t)page_of(a);

	if (move_row(a, page_of(a)))
		return;
	seek_visible(a, to < n ? to : (n ? n - 1 : 0), 1);
}

void act_page_up(struct app *a)
{
	uint64_t pos = session_pos(a->s), page = (uint64_t)page_of(a);

	if (move_row(a, -page_of(a)))
		return;
	seek_visible(a, pos > page ? pos - page : 0, -1);
}

void act_start(struct app *a)
{
	seek_visible(a, 0, 1);
}

void act_end(struct app *a)
{
	struct session_progress p;
	uint64_t last;

	session_progress(a->s, &p);
	last = p.phase == SESSION_DONE ? session_count(a->s) : p.replayed;
	seek_visible(a, last ? last - 1 : 0, -1);
	if (p.phase != SESSION_DONE)
		app_msg(a, _("the last event replayed so far (%.0f%%)"), 100.0 * p.fraction);
}

void act_call_next(struct app *a)
{
	act_report(a, session_step_call(a->s, 1), _("no API call after this event"));
}

void act_call_prev(struct app *a)
{
	act_report(a, session_step_call(a->s, -1), _("no API call before this event"));
}

void act_finding_next(struct app *a)
{
	act_report(a, session_step_finding(a->s, 1), _("no finding after this event"));
}

void act_finding_prev(struct app *a)
{
	act_report(a, session_step_finding(a->s, -1), _("no finding before this event"));
}

static void search_again(struct app *a, int dir)
{
	if (!a->searched) {
		app_msg(a, _("no search yet: / sets one"));
		return;
	}
	act_report(a, session_search(a->s, dir), dir > 0 ? _("no match after this event")
						       : _("no match before this event"));
}

void act_search_next(struct app *a)
{
	search_again(a, 1);
}

void act_search_prev(struct app *a)
{
	search_again(a, -1);
}

static void cont(struct app *a, int dir)
{
	int r;

	if (session_nbreaks(a->s) == 0) {
		app_msg(a, _("no breakpoints: b adds one"));
		return;
	}
	for (size_t i = 0; a->vs.veil && i < session_nbreaks(a->s); i++)
		if (session_break_at(a->s, i)->kind == BREAK_FINDING) {
			app_msg(a, "%s", a->vs.veil);     /* it would stop at a finding */
			return;
		}
	r = session_continue(a->s, dir);
	act_report(a, r, dir > 0 ? _("no breakpoint hit after this event")
				 : _("no breakpoint hit before this event"));
	if (r == 0)
		app_msg(a, _("breakpoint hit at event %" PRIu64),
			session_index(a->s, session_pos(a->s)));
}

void act_continue(struct app *a)
{
	cont(a, 1);
}

void act_continue_back(struct app *a)
{
	cont(a, -1);
}

void act_last_writer(struct app *a)
{
	uint64_t ev, addr;

	if (!a->vs.watching) {
		app_msg(a, _("no watch: w sets one"));
		return;
	}
	if (session_last_writer_range(a->s, a->vs.watch, a->vs.watch_hi, &ev, &addr) != 0) {
		app_msg(a, _("0x%" PRIx64 ": never written"), a->vs.watch);
		return;
	}
	act_goto(a, ev);
	if (!a->vs.msg[0])
		app_msg(a, _("0x%" PRIx64 " last written by event %" PRIu64), addr,
			session_index(a->s, ev));
}

void act_enter(struct app *a)
{
	uint64_t ev;

	if (a->vs.focus != PANE_FINDINGS) {
		app_msg(a, _("Enter jumps to a finding's event: Tab to the findings pane"));
		return;
	}
	if (view_findings_event(a->s, &a->vs, &ev) != 0) {
		app_msg(a, _("no finding selected"));
		return;
	}
	act_goto(a, ev);
}

static void focus_by(struct app *a, int d)
{
	int p = a->vs.focus;

	for (int i = 0; i < PANE_COUNT; i++) {
		p = (p + d + PANE_COUNT) % PANE_COUNT;
		if (p != PANE_STATUS && a->vs.at[p].w > 0)
			break;
	}
	a->vs.focus = (enum view_pane)p;
}

void act_pane_next(struct app *a)
{
	focus_by(a, 1);
}

void act_pane_prev(struct app *a)
{
	focus_by(a, -1);
}

void act_versions(struct app *a)
{
	a->vs.versions = !a->vs.versions;
	app_msg(a, _("showing %s"), a->vs.versions ? _("versions (the event that wrote each byte)")
						: _("values"));
}

void act_redraw(struct app *a)
{
	a->repaint = true;
}

void act_quit(struct app *a)
{
	a->quit = true;
}
