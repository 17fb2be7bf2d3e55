/* SPDX-License-Identifier: MIT */
/*
 * screen.c - the terminal of `dmascope replay`: the only file that includes
 * curses.
 *
 * It starts curses (wide characters, keypad, mouse, colours unless the
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

/* A mouse event to the app. */
static void mouse(struct app *a)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return;
	if (me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		app_mouse(a, APP_CLICK, me.x, me.y);
	else if (me.bstate & BUTTON4_PRESSED)
		app_mouse(a, APP_WHEEL_UP, me.x, me.y);
	else if (me.bstate & BUTTON5_PRESSED)
		app_mouse(a, APP_WHEEL_DOWN, me.x, me.y);
}

/* What the progress was at the last frame: a change redraws. */
struct seen {
	uint64_t replayed, count;
	size_t nfindings;
	int phase;
	int percent;                 /* of the reading (its bar moves) */
	uint64_t omit;               /* the omission matrix's progress */
};

static bool progressed(struct session *s, struct seen *was)
{
	struct session_progress p;
	struct session_omit_view om;
	struct seen now;

	session_progress(s, &p);
	session_omit_get(s, &om);
	now = (struct seen){ p.replayed, session_count(s), session_nfindings(s), (int)p.phase,
			     p.phase == SESSION_READING ? (int)(p.fraction * 100) : 0, om.tick };
	if (memcmp(&now, was, sizeof(now)) == 0)
		return false;
	*was = now;
	return true;
}

/* One key (or nothing, after the tick).  Return: true when the frame changes,
 * -1 on a fatal error. */
static int one_key(struct app *a)
{
	wint_t ch;
	int r = wget_wch(stdscr, &ch), key;

	if (r == ERR)
		return 0;
	if (r == KEY_CODE_YES && ch == KEY_MOUSE) {
		mouse(a);
		return 1;
	}
	key = r == KEY_CODE_YES ? fkey(ch) : ch == '\r' ? TK_ENTER : ch == 8 ? TK_BACKSPACE
											   : (int)ch;
	if (key == TK_RESIZE)
		return app_resize(a, COLS, LINES) < 0 ? -1 : 1;
	if (key != TK_NONE)
		app_key(a, key);
	return 1;
}

/* The loop.  Return: 0, or -1 on a fatal error. */
static int loop(struct app *a, char *err, size_t n)
{
	struct seen seen = { 0 };
	bool dirty = true;
	int r;

	while (!a->quit && !got_signal) {
		if (progressed(a->s, &seen))
			dirty = true;
		if (dirty) {
			app_draw(a);
			if (a->repaint)
				clearok(curscr, TRUE);
			a->repaint = false;
			paint(&a->g);
			dirty = false;
		}
		r = one_key(a);
		if (r < 0) {
			snprintf(err, n, _("out of memory for a %dx%d screen"), COLS, LINES);
			return -1;
		}
		dirty = r > 0;
	}
	return 0;
}

int screen_run(struct session *s, char *err, size_t n)
{
	struct app a;
	int r;

	got_signal = 0;
	if (start(err, n) < 0)
		return -1;
	if (app_init(&a, s, COLS, LINES) < 0) {
		restore();
		snprintf(err, n, _("out of memory for a %dx%d screen"), COLS, LINES);
		return -1;
	}
	r = loop(&a, err, n);
	restore();
	app_free(&a);
	if (r < 0)
		return -1;
	return got_signal ? 128 + got_signal : 0;
}
