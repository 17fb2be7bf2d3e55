/* SPDX-License-Identifier: MIT */
/*
 * app.c - the replay screen without the terminal (app.h): where a key goes
 * (prompt, overlay, a pending bookmark letter, the action table), what a
 * mouse event selects, and how a frame is put together.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "actions-local.h"
#include "actions.h"
#include "app.h"
#include "frontend.h"
#include "i18n.h"
#include "keys.h"
#include "layout.h"
#include "session.h"

int app_init(struct app *a, struct session *s, int w, int h)
{
	*a = (struct app){ .s = s };
	view_state_init(&a->vs);
	return cells_resize(&a->g, w, h);
}

void app_free(struct app *a)
{
	overlay_close(&a->ov);
	cells_free(&a->g);
}

int app_resize(struct app *a, int w, int h)
{
	return cells_resize(&a->g, w, h);
}

/* m or ' was pressed: @key is the bookmark's letter. */
static void bookmark_letter(struct app *a, int key)
{
	int set = a->pending == 'm';
	uint64_t pos;

	a->pending = 0;
	if (!((key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z'))) {
		app_msg(a, _("a bookmark is named by a letter"));
		return;
	}
	if (set) {
		if (session_mark_set(a->s, (char)key, session_pos(a->s)) == 0)
			app_msg(a, _("bookmark '%c set"), key);
		else
			app_msg(a, _("bookmark: %s"), session_error(a->s));
		return;
	}
	if (session_mark_get(a->s, (char)key, &pos) != 0) {
		app_msg(a, _("no bookmark '%c (M lists them)"), key);
		return;
	}
	act_goto(a, pos);
}

/* Enter on a list's row: jump to its event. */
static void overlay_enter(struct app *a)
{
	uint64_t ev = a->ov.n ? a->ov.events[a->ov.sel] : OVERLAY_NO_EVENT;

	if (ev == OVERLAY_NO_EVENT)
		return;
	if (a->ov.kind == OVERLAY_OMIT) {
		act_whatif_omit_row(a, ev);
		return;
	}
	overlay_close(&a->ov);
	act_goto(a, ev);
}

/* A key while a list is shown. */
static void overlay_key(struct app *a, int key)
{
	struct overlay *o = &a->ov;

	if (key == TK_ESC || key == 'q' || (key == '?' && o->kind == OVERLAY_HELP)) {
		overlay_close(o);
	} else if (key == 'j' || key == TK_DOWN) {
		overlay_move(o, 1);
	} else if (key == 'k' || key == TK_UP) {
		overlay_move(o, -1);
	} else if (key == TK_PGDN || key == ' ') {
		overlay_move(o, o->page);
	} else if (key == TK_PGUP || key == 'u') {
		overlay_move(o, -o->page);
	} else if (key == TK_ENTER || key == '\r') {
		overlay_enter(a);
	} else if (key == 'd' && o->kind == OVERLAY_BREAKS && o->n) {
		session_break_del(a->s, (size_t)o->sel);
		overlay_close(o);
		act_breaks_list(a);
	} else if (key == 'W' && o->kind == OVERLAY_WATCH) {
		overlay_close(o);
		act_last_writer(a);
	}
}

/* Would @act show findings (refused under a veil)? */
static bool reveals(const struct app *a, const struct action *act)
{
	static void (*const shows[])(struct app *) = {
		act_finding_next, act_finding_prev, act_whatif_view, act_whatif_diff,
		act_whatif_omit,
	};

	for (size_t i = 0; i < sizeof(shows) / sizeof(shows[0]); i++)
		if (act->fn == shows[i])
			return true;
	return act->fn == act_enter && a->vs.focus == PANE_FINDINGS;
}

void app_key(struct app *a, int key)
{
	const struct action *act;
	char name[16];

	if (a->pr.on) {
		if (prompt_key(&a->pr, key) == PROMPT_DONE && a->pr.done)
			a->pr.done(a, a->pr.text);
		return;
	}
	if (a->ov.on) {
		overlay_key(a, key);
		return;
	}
	if (a->pending) {
		bookmark_letter(a, key);
		return;
	}
	act = action_for_key(key);
	a->vs.msg[0] = 0;
	if (!act) {
		app_msg(a, _("%s is not a key here: ? lists the keys"),
			keys_name(key, name, sizeof(name)));
		return;
	}
	if (a->vs.veil && reveals(a, act)) {
		app_msg(a, "%s", a->vs.veil);
		return;
	}
	act->fn(a);
}

/* The wheel over pane @p: 3 rows (on the timeline, 3 visible events);
 * it scrolls, the selection (the current event) stays. */
static void wheel(struct app *a, enum view_pane p, int d)
{
	struct view_scroll *sc = &a->vs.scroll[p];
	long last = a->vs.rows[p] - 1;

	if (p == PANE_TIMELINE && session_run(a->s) != SESSION_RUN_RECORDED) {
		/* the edited run's rows (view_whatif.c) */
		a->vs.whatif_top += 3L * d;
		if (a->vs.whatif_top > last)
			a->vs.whatif_top = last;
		if (a->vs.whatif_top < 0)
			a->vs.whatif_top = 0;
		return;
	}
	if (p == PANE_TIMELINE) {
		view_timeline_scroll(a->s, &a->vs, 3L * d);
		return;
	}
	sc->top += 3 * d;
	if (sc->top > last)
		sc->top = last;
	if (sc->top < 0)
		sc->top = 0;
}

void app_mouse(struct app *a, enum app_mouse what, int x, int y)
{
	struct layout_hit h = layout_hit(&a->vs, x, y);
	uint64_t ev;

	if (a->pr.on || a->ov.on || h.pane == PANE_COUNT || h.pane == PANE_STATUS)
		return;
	if (what != APP_CLICK) {
		wheel(a, h.pane, what == APP_WHEEL_DOWN ? 1 : -1);
		return;
	}
	a->vs.focus = h.pane;
	if (h.row < 0)
		return;
	if (h.pane == PANE_TIMELINE) {
		if ((session_run(a->s) == SESSION_RUN_RECORDED ?
		     view_timeline_event(a->s, &a->vs, h.row, &ev) :
		     view_whatif_event(a->s, &a->vs, h.row, &ev)) == 0)
			act_goto(a, ev);
		return;
	}
	a->vs.scroll[h.pane].sel = a->vs.scroll[h.pane].top + h.row;
	if (a->vs.scroll[h.pane].sel >= a->vs.rows[h.pane])
		a->vs.scroll[h.pane].sel = a->vs.rows[h.pane] - 1;
}

/* The column that centres @text (0 when it is wider than the grid). */
static int centred(const struct app *a, const char *text)
{
	int x = (a->g.w - cells_width(text)) / 2;

	return x > 0 ? x : 0;
}

static void too_small(struct app *a)
{
	struct rect all = { 0, 0, a->g.w, a->g.h };
	char msg[80];
	int y = a->g.h / 2 - 1;

	cells_clear(&a->g, all);
	snprintf(msg, sizeof(msg), _("terminal too small (%dx%d, needs %dx%d)"), a->g.w, a->g.h,
		 LAYOUT_MIN_W, LAYOUT_MIN_H);
	cells_put(&a->g, all, centred(a, msg), y, ROLE_ERROR, CELL_BOLD, msg);
	snprintf(msg, sizeof(msg), _("make it larger, or press q to quit"));
	cells_put(&a->g, all, centred(a, msg), y + 1, ROLE_NORMAL, 0, msg);
}

/* The keys that matter now, for the status line. */
static const char *hint_of(const struct app *a)
{
	if (a->pr.on)
		return _("Enter accepts  Esc cancels");
	if (a->pending)
		return _("a letter names the bookmark  Esc cancels");
	switch (a->vs.focus) {
	case PANE_TIMELINE:
		return _("? help  q quit  j/k step  J/K call  ]/[ finding  / search  c/C continue");
	case PANE_FINDINGS:
		return _("? help  q quit  j/k select  Enter go to its event  Tab pane");
	default:
		return _("? help  q quit  j/k select  v versions  w watch  Tab pane");
	}
}

/* What-if work of the background: an edit file loaded once the replay
 * ended, the omission matrix's rows as they come. */
static void whatif_poll(struct app *a)
{
	char msg[320];

	if (session_whatif_poll(a->s, msg, sizeof(msg)) != 0)
		app_msg(a, "%s", msg);
	if (a->ov.on && a->ov.kind == OVERLAY_OMIT)
		view_omit_fill(&a->ov, a->s);
}

void app_draw(struct app *a)
{
	int y;

	if (!layout_fits(a->g.w, a->g.h)) {
		too_small(a);
		return;
	}
	a->vs.hint = hint_of(a);
	whatif_poll(a);
	layout_draw(&a->g, a->s, &a->vs);
	if (a->ov.on)
		overlay_draw(&a->ov, &a->g);
	if (a->pr.on) {
		y = a->vs.at[PANE_STATUS].w > 0 ? a->vs.at[PANE_STATUS].y : a->g.h - 1;
		prompt_draw(&a->pr, &a->g, y);
	}
}

bool app_changed(struct app *a)
{
	struct session_progress p;
	struct session_omit_view om;
	struct app_seen now;

	session_progress(a->s, &p);
	session_omit_get(a->s, &om);
	now = (struct app_seen){ p.replayed, session_count(a->s), session_nfindings(a->s),
				 (int)p.phase,
				 p.phase == SESSION_READING ? (int)(p.fraction * 100) : 0, om.tick,
				 session_whatif_diff_tick(a->s) };
	if (memcmp(&now, &a->seen, sizeof(now)) == 0)
		return false;
	a->seen = now;
	return true;
}

static struct cells *fe_draw(void *ctx)
{
	struct app *a = ctx;

	app_draw(a);
	return &a->g;
}

static void fe_key(void *ctx, int key)
{
	app_key(ctx, key);
}

static void fe_mouse(void *ctx, int what, int x, int y)
{
	app_mouse(ctx, (enum app_mouse)what, x, y);
}

static int fe_resize(void *ctx, int w, int h)
{
	return app_resize(ctx, w, h);
}

static bool fe_quit(void *ctx)
{
	return ((struct app *)ctx)->quit;
}

static bool fe_changed(void *ctx)
{
	return app_changed(ctx);
}

static bool fe_repaint(void *ctx)
{
	struct app *a = ctx;
	bool r = a->repaint;

	a->repaint = false;
	return r;
}

void app_frontend(struct app *a, struct frontend *f)
{
	*f = (struct frontend){ a, fe_draw, fe_key, fe_mouse, fe_resize, fe_quit, fe_changed,
				fe_repaint };
}
