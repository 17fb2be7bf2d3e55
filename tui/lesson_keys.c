/* SPDX-License-Identifier: MIT */
/*
 * lesson_keys.c - what keys do on the lesson screen: one table for the
 * menu and one for a lesson (each key once, with its help: the help screen
 * and the README's key table come from them), the prompt of a typed answer,
 * the help overlay, and the screen as a front end (frontend.h).  In the
 * replay panes every key is the replay screen's, but q and Esc return to
 * the lesson.
 */
#include <stdio.h>
#include <string.h>

#include "frontend.h"
#include "i18n.h"
#include "keys.h"
#include "lscreen-state.h"
#include "session.h"

#define MAX_KEYS 9

struct lkey {
	int keys[MAX_KEYS];          /* 0 ends the list */
	const char *names;           /* as the help shows them, or NULL: from keys[] */
	const char *help;            /* N_() */
	void (*fn)(struct lscreen *ls, int key);
};

/* ---- the menu ---------------------------------------------------------------------- */

static void mk_move(struct lscreen *ls, int key)
{
	long d = key == 'j' || key == TK_DOWN ? 1 : key == 'k' || key == TK_UP ? -1 :
		 key == TK_PGDN || key == ' ' ? 10 : key == TK_PGUP || key == 'b' ? -10 :
		 key == 'g' || key == TK_HOME ? -100000 : 100000;
	long n = (long)ls->menu.n;

	ls->menu.sel += d;
	if (ls->menu.sel >= n)
		ls->menu.sel = n - 1;
	if (ls->menu.sel < 0)
		ls->menu.sel = 0;
}

static void mk_open(struct lscreen *ls, int key)
{
	(void)key;
	if (ls->menu.n)
		lscreen_open_lesson(ls, (size_t)ls->menu.sel);
}

static void k_help(struct lscreen *ls, int key);

static void k_redraw(struct lscreen *ls, int key)
{
	(void)key;
	ls->repaint = true;
}

static void mk_quit(struct lscreen *ls, int key)
{
	(void)key;
	ls->quit = true;
}

static const struct lkey menu_keys[] = {
	{ { 'j', TK_DOWN }, NULL, N_("the next lesson"), mk_move },
	{ { 'k', TK_UP }, NULL, N_("the previous lesson"), mk_move },
	{ { TK_PGDN, ' ' }, NULL, N_("ten lessons down"), mk_move },
	{ { TK_PGUP, 'b' }, NULL, N_("ten lessons up"), mk_move },
	{ { 'g', TK_HOME }, NULL, N_("the first lesson"), mk_move },
	{ { 'G', TK_END }, NULL, N_("the last lesson"), mk_move },
	{ { TK_ENTER, 'l', TK_RIGHT }, NULL, N_("open the lesson (also when its prerequisites "
						 "are not done)"), mk_open },
	{ { '?' }, NULL, N_("this help"), k_help },
	{ { TK_CTRL('l') }, NULL, N_("redraw the terminal"), k_redraw },
	{ { 'q' }, NULL, N_("quit"), mk_quit },
	{ { 0 }, NULL, NULL, NULL }
};

/* ---- a lesson ---------------------------------------------------------------------- */

static struct lstep *shown(struct lscreen *ls)
{
	return &ls->run.steps[ls->run.at];
}

static bool must_answer(struct lscreen *ls)
{
	return shown(ls)->ask && !shown(ls)->answered;
}

static void step_to(struct lscreen *ls, int dir)
{
	int r = lrun_move(&ls->run, dir);

	if (r < 0) {
		lscreen_replay_close(ls);
		ls->mode = LS_ERROR;
		return;
	}
	if (r > 0) {
		lscreen_msg(ls, ROLE_WARN, "%s", dir > 0 ? _("this is the last step (q: the menu)")
						     : _("this is the first step"));
		return;
	}
	ls->lp.top = 0;
	if (dir > 0 && lrun_done(&ls->run))
		lscreen_progress(ls, NULL);
}

static void lk_next(struct lscreen *ls, int key)
{
	(void)key;
	if (must_answer(ls))
		lscreen_msg(ls, ROLE_WARN, "%s", _("answer the question first (Enter)"));
	else
		step_to(ls, 1);
}

static void lk_prev(struct lscreen *ls, int key)
{
	(void)key;
	step_to(ls, -1);
}

static void answer(struct lscreen *ls, const char *value)
{
	int right = lrun_answer(&ls->run, value);

	lscreen_msg(ls, right ? ROLE_CLEAN : ROLE_ERROR, "%s",
		    right ? _("Right. n: the next step") :
		    _("Not right: the answer and why are shown. n: the next step"));
	lscreen_progress(ls, shown(ls));
}

static void lk_enter(struct lscreen *ls, int key)
{
	struct lstep *s = shown(ls);

	if (!must_answer(ls)) {
		lk_next(ls, key);
	} else if (!s->q.nchoices) {
		prompt_start(&ls->pr, _("your answer: "), NULL, NULL);
	} else if (!s->picked) {
		lscreen_msg(ls, ROLE_WARN, _("pick a choice first (1-%zu)"), s->q.nchoices);
	} else {
		answer(ls, NULL);
	}
}

/* Pick choice @i (0-based); again unpicks it when several may be right. */
static void pick(struct lscreen *ls, size_t i)
{
	struct lstep *s = shown(ls);

	if (!must_answer(ls) || i >= s->q.nchoices) {
		lscreen_msg(ls, ROLE_WARN, "%s", !must_answer(ls) ? _("no question to answer here")
								  : _("no such choice"));
		return;
	}
	s->picked = s->q.multi ? s->picked ^ (1u << i) : 1u << i;
}

static void lk_pick(struct lscreen *ls, int key)
{
	pick(ls, (size_t)(key - '1'));
}

static void lk_scroll(struct lscreen *ls, int key)
{
	long page = ls->lp.page > 1 ? ls->lp.page - 1 : 1;
	long d = key == 'j' || key == TK_DOWN ? 1 : key == 'k' || key == TK_UP ? -1 :
		 key == ' ' || key == TK_PGDN ? page : key == 'b' || key == TK_PGUP ? -page :
		 key == 'G' || key == TK_END ? 100000 : -100000;

	ls->lp.top += d;     /* view_lesson_draw() keeps it in range */
	if (ls->lp.top > ls->lp.rows - ls->lp.page)
		ls->lp.top = ls->lp.rows - ls->lp.page;
	if (ls->lp.top < 0)
		ls->lp.top = 0;
}

static void lk_replay(struct lscreen *ls, int key)
{
	(void)key;
	lscreen_replay_open(ls);
}

static void lk_menu(struct lscreen *ls, int key)
{
	(void)key;
	lscreen_close_lesson(ls);
}

static const struct lkey lesson_keys[] = {
	{ { 'n', TK_RIGHT }, NULL, N_("the next step (once the question is answered)"), lk_next },
	{ { 'p', TK_LEFT }, NULL, N_("the previous step (what you answered stays)"), lk_prev },
	{ { '1', '2', '3', '4', '5', '6', '7', '8', '9' }, "1-9",
	  N_("pick a choice (again: unpick it when several may be right)"), lk_pick },
	{ { TK_ENTER }, NULL, N_("answer (a value: type it, then Enter); else the next step"),
	  lk_enter },
	{ { 'j', TK_DOWN }, NULL, N_("scroll down a row"), lk_scroll },
	{ { 'k', TK_UP }, NULL, N_("scroll up a row"), lk_scroll },
	{ { ' ', TK_PGDN }, NULL, N_("a page down (when the pane says more)"), lk_scroll },
	{ { 'b', TK_PGUP }, NULL, N_("a page up"), lk_scroll },
	{ { 'g', TK_HOME }, NULL, N_("the top of the step"), lk_scroll },
	{ { 'G', TK_END }, NULL, N_("the end of the step"), lk_scroll },
	{ { 'r' }, NULL, N_("the replay panes on this step's simulation: caches, memory, "
			   "controller, findings; q or Esc comes back"), lk_replay },
	{ { '?' }, NULL, N_("this help"), k_help },
	{ { TK_CTRL('l') }, NULL, N_("redraw the terminal"), k_redraw },
	{ { 'q' }, NULL, N_("back to the menu (the progress is kept)"), lk_menu },
	{ { 0 }, NULL, NULL, NULL }
};

/* ---- the help ---------------------------------------------------------------------- */

/* the keys of @t as the help shows them, separated by @sep */
static const char *key_names(const struct lkey *t, const char *sep, char *buf, size_t n)
{
	char one[16];
	size_t len = 0;

	if (t->names)
		return t->names;
	buf[0] = 0;
	for (int i = 0; i < MAX_KEYS && t->keys[i] && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? sep : "",
					keys_name(t->keys[i], one, sizeof(one)));
	return buf;
}

#define HELP_KEYS_W 17            /* the keys' column of the help */

/* a help row wrapped: the keys on its first line only */
struct help_put {
	struct overlay *o;
	const char *names;           /* NULL: a text without keys */
	bool first;
};

static void help_put(void *ctx, int indent, uint8_t role, const char *line)
{
	struct help_put *h = ctx;

	(void)indent;
	(void)role;
	if (h->names)
		overlay_add(h->o, OVERLAY_NO_EVENT, "  %-*s %s", HELP_KEYS_W,
			    h->first ? h->names : "", line);
	else
		overlay_add(h->o, OVERLAY_NO_EVENT, "%s", line);
	h->first = false;
}

/* the overlay's inner width on a screen @w wide (overlay.c's box) */
static int help_width(int w)
{
	return w - 6 > 40 ? w - 6 : 40;
}

static void help_rows(struct overlay *o, int w, const char *title, const struct lkey *t)
{
	char names[64];

	overlay_add(o, OVERLAY_NO_EVENT, "%s", title);
	for (; t->fn; t++) {
		struct help_put h = { o, key_names(t, " ", names, sizeof(names)), true };

		view_wrap_text(_(t->help), help_width(w) - HELP_KEYS_W - 3, 0, help_put, &h, 0);
	}
	overlay_add(o, OVERLAY_NO_EVENT, "%s", "");
}

static void help_text(struct overlay *o, int w, const char *text)
{
	struct help_put h = { o, NULL, true };

	view_wrap_text(text, help_width(w), 0, help_put, &h, 0);
}

static void markdown_rows(FILE *out, const char *where, const struct lkey *t)
{
	char names[64];

	for (; t->fn; t++)
		fprintf(out, "| %s | `%s` | %s |\n", where, key_names(t, "` `", names, sizeof(names)),
			t->help);
}

void lscreen_keys_markdown(FILE *out)
{
	fputs("| where | keys | what they do |\n| --- | --- | --- |\n", out);
	markdown_rows(out, "lesson", lesson_keys);
	markdown_rows(out, "menu", menu_keys);
}

static void k_help(struct lscreen *ls, int key)
{
	struct overlay *o = &ls->ov;

	(void)key;
	overlay_open(o, OVERLAY_HELP, _("dmascope lessons: keys"), _("j/k scroll  Esc or q closes"));
	help_rows(o, ls->g.w, _("In a lesson:"), lesson_keys);
	help_rows(o, ls->g.w, _("In the menu:"), menu_keys);
	help_text(o, ls->g.w, _("In the replay panes (r): the keys of dmascope replay; q or Esc "
				"returns to the lesson."));
	help_text(o, ls->g.w, _("A typed answer: Enter accepts, Esc cancels."));
	help_text(o, ls->g.w, _("Mouse: in the menu a click selects a lesson, a second click "
				"opens it; in a lesson a click picks a choice, a click on the "
				"choice picked answers; the wheel scrolls."));
}

static void overlay_key(struct overlay *o, int key)
{
	if (key == TK_ESC || key == 'q' || key == '?')
		overlay_close(o);
	else if (key == 'j' || key == TK_DOWN)
		overlay_move(o, 1);
	else if (key == 'k' || key == TK_UP)
		overlay_move(o, -1);
	else if (key == TK_PGDN || key == ' ')
		overlay_move(o, o->page);
	else if (key == TK_PGUP || key == 'b')
		overlay_move(o, -o->page);
}

/* ---- where a key goes --------------------------------------------------------------- */

static const struct lkey *lookup(const struct lkey *t, int key)
{
	for (; t->fn; t++)
		for (int i = 0; i < MAX_KEYS && t->keys[i]; i++)
			if (t->keys[i] == key)
				return t;
	return NULL;
}

static void replay_key(struct lscreen *ls, int key)
{
	struct app *a = &ls->app;

	if (!a->pr.on && !a->ov.on && !a->pending && (key == 'q' || key == TK_ESC)) {
		ls->mode = LS_LESSON;
		return;
	}
	lscreen_veil(ls);
	app_key(a, key);
	a->quit = false;
}

static void prompt_answer(struct lscreen *ls, int key)
{
	if (prompt_key(&ls->pr, key) == PROMPT_DONE)
		answer(ls, ls->pr.text);
}

void lscreen_key(struct lscreen *ls, int key)
{
	const struct lkey *k;
	char name[16];

	if (ls->mode == LS_REPLAY || ls->pr.on || ls->ov.on) {
		if (ls->mode == LS_REPLAY)
			replay_key(ls, key);
		else if (ls->pr.on)
			prompt_answer(ls, key);
		else
			overlay_key(&ls->ov, key);
		return;
	}
	ls->msg[0] = 0;
	if (ls->mode == LS_ERROR) {
		if (key == 'q' || key == TK_ENTER || key == TK_ESC)
			lscreen_close_lesson(ls);
		return;
	}
	k = lookup(ls->mode == LS_LESSON ? lesson_keys : menu_keys, key);
	if (k)
		k->fn(ls, key);
	else
		lscreen_msg(ls, ROLE_WARN, _("%s is not a key here: ? lists the keys"),
			    keys_name(key, name, sizeof(name)));
}

/* ---- the front end ------------------------------------------------------------------ */

static struct cells *fe_draw(void *ctx)
{
	return lscreen_draw(ctx);
}

static void fe_key(void *ctx, int key)
{
	lscreen_key(ctx, key);
}

/* The menu: a click selects the lesson under it, a click on the lesson
 * selected opens it; the wheel moves the selection. */
static void menu_mouse(struct lscreen *ls, int what, int x, int y)
{
	const struct rect r = ls->menu.list;
	long row = ls->menu.top + (y - r.y);

	if (what != APP_CLICK) {
		mk_move(ls, what == APP_WHEEL_DOWN ? 'j' : 'k');
		return;
	}
	if (x < r.x || x >= r.x + r.w || y < r.y || y >= r.y + r.h || row >= (long)ls->menu.n)
		return;
	if (row == ls->menu.sel)
		mk_open(ls, TK_ENTER);
	else
		ls->menu.sel = row;
}

/* A lesson: a click on a choice picks it (unpicks it when several may be
 * right); a click on the one choice picked answers with it; the wheel
 * scrolls. */
static void lesson_mouse(struct lscreen *ls, int what, int x, int y)
{
	int i = view_lesson_choice_at(&ls->lp, x, y);
	struct lstep *s;

	if (what != APP_CLICK) {
		lk_scroll(ls, what == APP_WHEEL_DOWN ? 'j' : 'k');
		return;
	}
	if (i < 0 || !must_answer(ls))
		return;
	s = shown(ls);
	if (!s->q.multi && s->picked == 1u << i)
		answer(ls, NULL);
	else
		pick(ls, (size_t)i);
}

static void fe_mouse(void *ctx, int what, int x, int y)
{
	struct lscreen *ls = ctx;

	if (ls->mode == LS_REPLAY) {
		lscreen_veil(ls);
		app_mouse(&ls->app, (enum app_mouse)what, x, y);
	}
	else if (ls->mode == LS_LESSON && !ls->ov.on)
		lesson_mouse(ls, what, x, y);
	else if (ls->mode == LS_MENU && !ls->ov.on)
		menu_mouse(ls, what, x, y);
}

static int fe_resize(void *ctx, int w, int h)
{
	struct lscreen *ls = ctx;

	if (ls->sess && app_resize(&ls->app, w, h) < 0)
		return -1;
	return cells_resize(&ls->g, w, h);
}

static bool fe_quit(void *ctx)
{
	return ((struct lscreen *)ctx)->quit;
}

static bool fe_changed(void *ctx)
{
	struct lscreen *ls = ctx;

	return ls->mode == LS_REPLAY && app_changed(&ls->app);
}

static bool fe_repaint(void *ctx)
{
	struct lscreen *ls = ctx;
	bool r = ls->repaint || (ls->sess && ls->app.repaint);

	ls->repaint = false;
	if (ls->sess)
		ls->app.repaint = false;
	return r;
}

void lscreen_frontend(struct lscreen *ls, struct frontend *f)
{
	*f = (struct frontend){ ls, fe_draw, fe_key, fe_mouse, fe_resize, fe_quit, fe_changed,
				fe_repaint };
}
