/* SPDX-License-Identifier: MIT */
/*
 * lesson_screen.c - the lesson menu and the lesson screen put together
 * (lesson_screen.h): which of them is shown (the menu, a lesson, its
 * replay panes, a lesson's error), drawn with a title line and a status
 * line under the help and a typed answer's prompt, and the progress kept as
 * the student answers and finishes.  What keys do is lesson_keys.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "frontend.h"
#include "i18n.h"
#include "keys.h"
#include "layout.h"
#include "lscreen-local.h"
#include "lscreen-state.h"
#include "session.h"

#define SPLIT_LESSON_ROWS 14         /* the lesson's rows under the replay panes, at least */

const struct lrun *lscreen_lesson(const struct lscreen *ls)
{
	return ls->mode == LS_MENU ? NULL : &ls->run;
}

const struct lpane *lscreen_pane(const struct lscreen *ls)
{
	return &ls->lp;
}

void lscreen_msg(struct lscreen *ls, uint8_t role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ls->msg, sizeof(ls->msg), fmt, ap);
	va_end(ap);
	ls->msg_role = role;
}

/* ---- progress ---------------------------------------------------------------------- */

static void save_progress(struct lscreen *ls)
{
	char err[1200], bad[1100];

	if (ls->menu.warn[0] && !ls->kept_bad) {
		/* the lines that could not be read stay in a copy */
		snprintf(bad, sizeof(bad), "%s.bad", ls->menu.pg_path);
		ls->kept_bad = rename(ls->menu.pg_path, bad) == 0;
	}
	if (lesson_progress_save(ls->menu.pg_path, &ls->menu.pg, err, sizeof(err)) < 0)
		lscreen_msg(ls, ROLE_ERROR, _("progress not saved: %s"), err);
}

void lscreen_progress(struct lscreen *ls, const struct lstep *s)
{
	struct lesson_progress_row *row = lesson_progress_row(&ls->menu.pg, ls->run.info.id, 1);

	if (!row)
		return;
	if (s && s->qno > row->answered) {      /* answered for the first time */
		row->answered = s->qno;
		row->first_try += s->correct;
	}
	if (lrun_done(&ls->run))
		row->done = 1;
	save_progress(ls);
}

/* ---- opening and closing ------------------------------------------------------------- */

void lscreen_replay_close(struct lscreen *ls)
{
	if (ls->sess) {
		app_free(&ls->app);
		session_close(ls->sess);
	}
	ls->sess = NULL;
	ls->sess_path[0] = 0;
}

void lscreen_close_lesson(struct lscreen *ls)
{
	lscreen_replay_close(ls);
	if (ls->mode != LS_MENU || ls->run.env)
		lrun_close(&ls->run);
	ls->mode = LS_MENU;
	ls->pr.on = false;
}

void lscreen_open_lesson(struct lscreen *ls, size_t i)
{
	const struct menu_item *it = &ls->menu.items[i];

	lscreen_close_lesson(ls);
	ls->lp = (struct lpane){ 0 };
	ls->msg[0] = 0;
	if (lrun_open(&ls->run, it->le.path, ls->repo, ls->menu.lang) < 0)
		snprintf(ls->run.err, sizeof(ls->run.err), _("%s: out of memory"), it->le.path);
	ls->mode = ls->run.err[0] ? LS_ERROR : LS_LESSON;
	if (ls->mode == LS_LESSON && !menu_requires_done(&ls->menu, i))
		lscreen_msg(ls, ROLE_WARN, "%s", _("this lesson's prerequisites are not done yet"));
	if (ls->mode == LS_LESSON && lrun_done(&ls->run))
		lscreen_progress(ls, NULL);
}

/* a replay session on the simulation of the step shown, at its last event
 * (kept while the step's simulation is the same); 0, or -1 (none) */
static int replay_load(struct lscreen *ls)
{
	const struct lstep *s = &ls->run.steps[ls->run.at];
	struct session_opts so = { .path = s->dmt, .flags = SESSION_SYNC };
	char err[512];

	if (!s->dmt)
		return -1;
	if (!strcmp(ls->sess_path, s->dmt))
		return 0;
	lscreen_replay_close(ls);
	if (session_open(&so, &ls->sess, err, sizeof(err)) < 0) {
		lscreen_msg(ls, ROLE_ERROR, "%s", err);
		ls->sess = NULL;
		return -1;
	}
	if (app_init(&ls->app, ls->sess, ls->g.w, ls->g.h) < 0) {
		session_close(ls->sess);
		ls->sess = NULL;
		return -1;
	}
	snprintf(ls->sess_path, sizeof(ls->sess_path), "%s", s->dmt);
	if (session_count(ls->sess))
		session_seek(ls->sess, session_count(ls->sess) - 1);
	return 0;
}

/* the replay panes on the simulation of the step shown, with the keys */
void lscreen_replay_open(struct lscreen *ls)
{
	if (!ls->run.steps[ls->run.at].dmt) {
		lscreen_msg(ls, ROLE_WARN, "%s", _("no simulation yet: a run step makes one"));
		return;
	}
	if (replay_load(ls) < 0)
		return;
	app_msg(&ls->app, "%s", _("q or Esc: back to the lesson"));
	ls->mode = LS_REPLAY;
}

struct lscreen *lscreen_new(const struct lscreen_opts *o, char *err, size_t n)
{
	struct lscreen *ls = calloc(1, sizeof(*ls));
	long i = -1;

	if (!ls || menu_load(&ls->menu, o->dirs, o->ndirs, o->repo, o->lang) < 0) {
		snprintf(err, n, "%s", _("out of memory"));
		lscreen_free(ls);
		return NULL;
	}
	snprintf(ls->repo, sizeof(ls->repo), "%s", o->repo ? o->repo : "");
	if (o->open && (i = menu_find(&ls->menu, o->open)) < 0) {
		snprintf(err, n, _("no lesson '%s' (dmascope lesson --list)"), o->open);
		lscreen_free(ls);
		return NULL;
	}
	if (o->open) {
		ls->menu.sel = i;
		lscreen_open_lesson(ls, (size_t)i);
	}
	return ls;
}

void lscreen_free(struct lscreen *ls)
{
	if (!ls)
		return;
	lscreen_close_lesson(ls);
	overlay_close(&ls->ov);
	menu_free(&ls->menu);
	cells_free(&ls->g);
	free(ls);
}

/* ---- drawing ----------------------------------------------------------------------- */

static void too_small(struct lscreen *ls)
{
	struct rect all = { 0, 0, ls->g.w, ls->g.h };
	char msg[160];

	cells_clear(&ls->g, all);
	snprintf(msg, sizeof(msg), _("terminal too small (%dx%d, needs %dx%d)"), ls->g.w, ls->g.h,
		 LAYOUT_MIN_W, LAYOUT_MIN_H);
	cells_put(&ls->g, all, 0, ls->g.h / 2 - 1, ROLE_ERROR, CELL_BOLD, msg);
	cells_put(&ls->g, all, 0, ls->g.h / 2, ROLE_NORMAL, 0,
		  _("make it larger, or press q to quit"));
}

static const char *kind_name(const char *kind)
{
	static const struct { const char *kind, *name; } names[] = {
		{ "narrate", N_("read") }, { "run", N_("run") }, { "predict", N_("predict") },
		{ "expect", N_("the engine's findings") }, { "omissions", N_("leave a call out") },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(kind, names[i].kind))
			return _(names[i].name);
	return kind;
}

static void title_line(struct lscreen *ls, struct rect r)
{
	const struct lrun *run = &ls->run;
	char t[256];

	if (ls->mode == LS_LESSON)
		snprintf(t, sizeof(t), _("dmascope lesson %d (%s) - step %zu of %zu: %s"),
			 run->info.order, run->info.id, run->at + 1, run->nsteps,
			 kind_name(run->steps[run->at].kind));
	else if (ls->mode == LS_ERROR)
		snprintf(t, sizeof(t), "%s", _("dmascope lesson: an error"));
	else
		snprintf(t, sizeof(t), _("dmascope lessons (%zu)"), ls->menu.n);
	cells_clear(&ls->g, r);
	cells_paint(&ls->g, r, 0, 0, r.w, ROLE_STATUS, 0);
	cells_put(&ls->g, r, 1, 0, ROLE_STATUS, CELL_BOLD, t);
}

static void status_line(struct lscreen *ls, struct rect r)
{
	const char *hint = ls->mode == LS_LESSON ?
		_("? help  q menu  n/p step  Space/b page  1-9 pick  Enter answer  r replay") :
		ls->mode == LS_ERROR ? _("Enter or q: back to the menu") :
		_("? help  q quit  j/k select  Enter open");

	cells_clear(&ls->g, r);
	cells_paint(&ls->g, r, 0, 0, r.w, ROLE_STATUS, 0);
	if (ls->msg[0])
		cells_put(&ls->g, r, 1, 0, ls->msg_role, CELL_BOLD, ls->msg);
	else
		cells_put(&ls->g, r, 1, 0, ROLE_STATUS, 0, hint);
}

static void error_draw(struct lscreen *ls, struct rect body)
{
	struct rect in = { body.x + 1, body.y + 1, body.w - 2, body.h - 1 };
	struct view_put p = { &ls->g, in, 0 };

	cells_clear(&ls->g, body);
	view_wrap_text(_("The lesson stopped with an error:"), in.w, 0, view_put_line, &p,
		       ROLE_TITLE);
	view_wrap_text(ls->run.err, in.w, 2, view_put_line, &p, ROLE_ERROR);
	p.y++;
	view_wrap_text(_("Enter or q returns to the menu; fix the lesson file and open it "
			 "again."), in.w, 0, view_put_line, &p, ROLE_NORMAL);
}

/* While the step shown asks a prediction not yet answered, the replay
 * panes keep the findings to themselves: the bytes are the student's
 * evidence, the finding (its rule, the call it names) is the answer. */
void lscreen_veil(struct lscreen *ls)
{
	const struct lstep *s = ls->run.n ? &ls->run.steps[ls->run.at] : NULL;

	if (ls->sess)
		ls->app.vs.veil = s && s->ask && !s->answered ?
			_("Findings show once the prediction is answered.") : NULL;
}

/* the replay panes drawn at @w x @h */
static struct cells *replay_draw(struct lscreen *ls, int w, int h)
{
	if ((ls->app.g.w != w || ls->app.g.h != h) && app_resize(&ls->app, w, h) < 0)
		return NULL;
	lscreen_veil(ls);
	app_draw(&ls->app);
	return &ls->app.g;
}

/* On a tall terminal the replay panes of the step's simulation sit above
 * the lesson pane: the rows they take (0: the lesson pane alone). */
static int split_rows(struct lscreen *ls)
{
	int top = ls->g.h * 3 / 5 > LAYOUT_MIN_H ? ls->g.h * 3 / 5 : LAYOUT_MIN_H;

	if (ls->mode != LS_LESSON || ls->g.h - top < SPLIT_LESSON_ROWS || replay_load(ls) < 0)
		return 0;
	return top;
}

/* the replay panes on the first @rows rows */
static void split_draw(struct lscreen *ls, int rows)
{
	const struct cells *r;

	app_msg(&ls->app, "%s", _("the step's simulation: r gives these panes the keys"));
	r = replay_draw(ls, ls->g.w, rows);
	if (r)
		memcpy(ls->g.c, r->c, (size_t)r->w * (size_t)rows * sizeof(*r->c));
}

struct cells *lscreen_draw(struct lscreen *ls)
{
	int split = split_rows(ls);
	struct rect top = { 0, split, ls->g.w, 1 }, bottom = { 0, ls->g.h - 1, ls->g.w, 1 };
	struct rect body = { 0, split + 1, ls->g.w, ls->g.h - split - 2 };

	if (ls->mode == LS_REPLAY) {
		struct cells *r = replay_draw(ls, ls->g.w, ls->g.h);

		return r ? r : &ls->g;
	}
	if (!layout_fits(ls->g.w, ls->g.h)) {
		too_small(ls);
		return &ls->g;
	}
	if (split)
		split_draw(ls, split);
	title_line(ls, top);
	if (ls->mode == LS_LESSON)
		view_lesson_draw(&ls->g, body, &ls->run, &ls->lp);
	else if (ls->mode == LS_ERROR)
		error_draw(ls, body);
	else
		menu_draw(&ls->g, body, &ls->menu);
	status_line(ls, bottom);
	if (ls->ov.on)
		overlay_draw(&ls->ov, &ls->g);
	if (ls->pr.on)
		prompt_draw(&ls->pr, &ls->g, bottom.y);
	return &ls->g;
}
