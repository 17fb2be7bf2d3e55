/* SPDX-License-Identifier: MIT */
/*
 * screen.c - the terminal of `dmascope replay`: the only file that includes
 * curses.
 *
 * It runs a front end (frontend.h): the replay screen's app.c, or the
 * lesson screen.  It starts curses (wide characters, keypad, mouse, colours unless the
 * terminal has none or NO_COLOR is set), runs the loop (a key, or every
 * 100 ms the background replay's progress), and copies the frame app.c
 * draws into a grid to the terminal, cell by cell; curses sends only what
 * changed.  Signal handlers only set a flag; the loop sees it and ends, so
 * the terminal is restored on q, SIGINT, SIGTERM, SIGHUP and errors alike
 * (and by an atexit handler should anything call exit() meanwhile).
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "app.h"
#include "frontend.h"
#include "i18n.h"
#include "keys.h"
#include "screen.h"
#include "session.h"

#define TICK_MS 100

static volatile sig_atomic_t got_signal;
static bool curses_on;
static bool colours;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void restore(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

int screen_usable(char *err, size_t n)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, n, _("standard input and output must be a terminal for the screen "
			 "('dmascope check' prints a text report; --script with --dump-screen "
			 "runs without one)"));
		return -1;
	}
	if (!term || !*term || strcmp(term, "dumb") == 0) {
		snprintf(err, n, _("the terminal (TERM=%s) cannot show the screen: set TERM to "
			 "your terminal's type, e.g. xterm-256color"), term ? term : "");
		return -1;
	}
	return 0;
}

/* Foreground and background of each role when the terminal has colours. */
static const short role_colours[ROLE_COUNT][2] = {
	[ROLE_NORMAL] = { -1, -1 },
	[ROLE_DIM] = { COLOR_BLUE, -1 },
	[ROLE_TITLE] = { COLOR_CYAN, -1 },
	[ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN },
	[ROLE_CURRENT] = { COLOR_BLACK, COLOR_YELLOW },
	[ROLE_STATUS] = { COLOR_BLACK, COLOR_WHITE },
	[ROLE_ERROR] = { COLOR_RED, -1 },
	[ROLE_WARN] = { COLOR_YELLOW, -1 },
	[ROLE_CLEAN] = { COLOR_GREEN, -1 },
	[ROLE_DIRTY] = { COLOR_RED, -1 },
	[ROLE_DIFF] = { COLOR_WHITE, COLOR_RED },
	[ROLE_BY_CPU] = { COLOR_CYAN, -1 },
	[ROLE_BY_DEVICE] = { COLOR_YELLOW, -1 },
	[ROLE_BY_CONTROLLER] = { COLOR_MAGENTA, -1 },
	[ROLE_BY_BOUNCE] = { COLOR_GREEN, -1 },
	[ROLE_BAND] = { COLOR_WHITE, COLOR_BLUE },
};

/* What stands for each role without colours (and is added to colours). */
static const attr_t role_attrs[ROLE_COUNT][2] = {
	/* { monochrome, with colours } */
	[ROLE_DIM] = { A_DIM, 0 },
	[ROLE_TITLE] = { A_BOLD, A_BOLD },
	[ROLE_SELECTED] = { A_REVERSE, 0 },
	[ROLE_CURRENT] = { A_REVERSE | A_BOLD, A_BOLD },
	[ROLE_STATUS] = { A_REVERSE, 0 },
	[ROLE_ERROR] = { A_BOLD | A_UNDERLINE, A_BOLD },
	[ROLE_WARN] = { A_UNDERLINE, 0 },
	[ROLE_DIRTY] = { A_BOLD, A_BOLD },
	[ROLE_DIFF] = { A_UNDERLINE, 0 },
	[ROLE_BY_DEVICE] = { A_UNDERLINE, 0 },
	[ROLE_BAND] = { A_DIM, 0 },
};

static void start_colours(void)
{
	const char *no = getenv("NO_COLOR");

	colours = has_colors() && !(no && *no);
	if (!colours)
		return;
	start_color();
	use_default_colors();
	for (int r = 1; r < ROLE_COUNT; r++)
		init_pair((short)r, role_colours[r][0], role_colours[r][1]);
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Start curses on the terminal.  Return: 0, or -1 (@err says why). */
static int start(char *err, size_t n)
{
	static bool registered;

	/* ours first: ncurses leaves handlers that are not SIG_DFL alone */
	catch_signals();
	if (!newterm(NULL, stdout, stdin)) {
		snprintf(err, n, _("cannot start the terminal (TERM=%s)"), getenv("TERM"));
		return -1;
	}
	curses_on = true;
	if (!registered)
		registered = atexit(restore) == 0;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	wtimeout(stdscr, TICK_MS);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	start_colours();
	return 0;
}

static attr_t attr_of(const struct cell *c, short *pair)
{
	int r = c->role < ROLE_COUNT ? c->role : ROLE_NORMAL;
	attr_t a = role_attrs[r][colours];

	*pair = colours ? (short)r : 0;
	if (c->flags & CELL_BOLD)
		a |= A_BOLD;
	if (c->flags & CELL_REVERSE)
		a |= A_REVERSE;
	if (c->flags & CELL_UNDERLINE)
		a |= A_UNDERLINE;
	return a;
}

/* Copy the grid to the terminal. */
static void paint(const struct cells *g)
{
	for (int y = 0; y < g->h; y++) {
		for (int x = 0; x < g->w; x++) {
			const struct cell *c = &g->c[y * g->w + x];
			wchar_t wc[2] = { (wchar_t)c->ch, 0 };
			cchar_t cc;
			short pair;
			attr_t a;

			if (c->flags & CELL_CONT)
				continue;
			a = attr_of(c, &pair);
			setcchar(&cc, wc, a, pair, NULL);
			mvadd_wch(y, x, &cc);
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* A curses function key as a key of keys.h. */
static int fkey(wint_t k)
{
	static const struct { wint_t curses; int key; } map[] = {
		{ KEY_UP, TK_UP }, { KEY_DOWN, TK_DOWN }, { KEY_LEFT, TK_LEFT },
		{ KEY_RIGHT, TK_RIGHT }, { KEY_PPAGE, TK_PGUP }, { KEY_NPAGE, TK_PGDN },
		{ KEY_HOME, TK_HOME }, { KEY_END, TK_END }, { KEY_BTAB, TK_BTAB },
		{ KEY_DC, TK_DELETE }, { KEY_BACKSPACE, TK_BACKSPACE }, { KEY_ENTER, TK_ENTER },
		{ KEY_RESIZE, TK_RESIZE },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].curses == k)
			return map[i].key;
	return TK_NONE;
}

/* A mouse event to the front end. */
static void mouse(const struct frontend *f)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return;
	if (me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		f->mouse(f->ctx, APP_CLICK, me.x, me.y);
	else if (me.bstate & BUTTON4_PRESSED)
		f->mouse(f->ctx, APP_WHEEL_UP, me.x, me.y);
	else if (me.bstate & BUTTON5_PRESSED)
		f->mouse(f->ctx, APP_WHEEL_DOWN, me.x, me.y);
}

/* One key (or nothing, after the tick).  Return: true when the frame changes,
 * -1 on a fatal error. */
static int one_key(const struct frontend *f)
{
	wint_t ch;
	int r = wget_wch(stdscr, &ch), key;

	if (r == ERR)
		return 0;
	if (r == KEY_CODE_YES && ch == KEY_MOUSE) {
		mouse(f);
		return 1;
	}
	key = r == KEY_CODE_YES ? fkey(ch) : ch == '\r' ? TK_ENTER : ch == 8 ? TK_BACKSPACE
											   : (int)ch;
	if (key == TK_RESIZE)
		return f->resize(f->ctx, COLS, LINES) < 0 ? -1 : 1;
	if (key != TK_NONE)
		f->key(f->ctx, key);
	return 1;
}

/* The loop.  Return: 0, or -1 on a fatal error. */
static int loop(const struct frontend *f, char *err, size_t n)
{
	bool dirty = true;
	int r;

	while (!f->quit(f->ctx) && !got_signal) {
		if (f->changed && f->changed(f->ctx))
			dirty = true;
		if (dirty) {
			struct cells *g = f->draw(f->ctx);

			if (f->repaint && f->repaint(f->ctx))
				clearok(curscr, TRUE);
			paint(g);
			dirty = false;
		}
		r = one_key(f);
		if (r < 0) {
			snprintf(err, n, _("out of memory for a %dx%d screen"), COLS, LINES);
			return -1;
		}
		dirty = r > 0;
	}
	return 0;
}

int screen_loop(const struct frontend *f, char *err, size_t n)
{
	int r;

	got_signal = 0;
	if (start(err, n) < 0)
		return -1;
	if (f->resize(f->ctx, COLS, LINES) < 0) {
		restore();
		snprintf(err, n, _("out of memory for a %dx%d screen"), COLS, LINES);
		return -1;
	}
	r = loop(f, err, n);
	restore();
	if (r < 0)
		return -1;
	return got_signal ? 128 + got_signal : 0;
}

int screen_run(struct session *s, char *err, size_t n)
{
	struct app a;
	struct frontend f;
	int r;

	if (app_init(&a, s, 80, 24) < 0) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	app_frontend(&a, &f);
	r = screen_loop(&f, err, n);
	app_free(&a);
	return r;
}
