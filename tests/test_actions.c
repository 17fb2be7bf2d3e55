/* SPDX-License-Identifier: MIT */
/*
 * test_actions.c - the replay screen without a terminal: every key bound
 * once and named so scripts can type it; the prompt's editing; and keys
 * driving a screen over a sample (steps, go to, bookmarks, search, help,
 * breakpoints, the watch, a bad line never moving, too small a terminal,
 * the status line's percentage at 80 columns while the replay runs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>

#include "ftrace-test.h"
#include "actions.h"
#include "app.h"
#include "keys.h"
#include "layout.h"
#include "prompt.h"
#include "session.h"

static void test_each_key_once(void **state)
{
	const struct action *a, *b;

	(void)state;
	for (size_t i = 0; (a = action_at(i)); i++) {
		assert_non_null(a->name);
		assert_true(strlen(a->help) > 0);
		assert_true(strlen(a->help) <= 60);   /* the help screen fits 80 columns */
		assert_non_null(a->fn);
		assert_true(a->keys[0] != 0);
		for (int k = 0; k < ACTION_KEYS && a->keys[k]; k++) {
			assert_ptr_equal(action_for_key(a->keys[k]), a);
			for (size_t j = i + 1; (b = action_at(j)); j++)
				for (int l = 0; l < ACTION_KEYS && b->keys[l]; l++)
					if (b->keys[l] == a->keys[k])
						fail_msg("key bound twice: %s and %s", a->name, b->name);
		}
		for (size_t j = i + 1; (b = action_at(j)); j++)
			assert_string_not_equal(a->name, b->name);
	}
	assert_null(action_for_key('Z'));
}

static void test_key_names_round_trip(void **state)
{
	const struct action *a;
	char name[32];

	(void)state;
	for (size_t i = 0; (a = action_at(i)); i++)
		for (int k = 0; k < ACTION_KEYS && a->keys[k]; k++) {
			const char *p = keys_name(a->keys[k], name, sizeof(name));

			assert_int_equal(keys_parse(&p), a->keys[k]);
			assert_int_equal(*p, 0);
		}
	{
		const char *s = ":12<Enter><lt>ж<Bogus>";

		assert_int_equal(keys_parse(&s), ':');
		assert_int_equal(keys_parse(&s), '1');
		assert_int_equal(keys_parse(&s), '2');
		assert_int_equal(keys_parse(&s), TK_ENTER);
		assert_int_equal(keys_parse(&s), '<');
		assert_int_equal(keys_parse(&s), 0x436);
		assert_int_equal(keys_parse(&s), -1);
		assert_string_equal(s, "<Bogus>");
	}
}

static void test_prompt_editing(void **state)
{
	struct prompt p = { 0 };

	(void)state;
	/* an initial text: the first character typed replaces it ... */
	prompt_start(&p, ":", "abc", NULL);
	assert_true(p.fresh);
	assert_int_equal(prompt_key(&p, TK_UP), PROMPT_EDITING);      /* edits nothing */
	assert_true(p.fresh);
	assert_int_equal(prompt_key(&p, 'x'), PROMPT_EDITING);
	assert_string_equal(p.text, "x");
	/* ... Enter takes it as it is, Backspace starts editing it */
	prompt_start(&p, ":", "abc", NULL);
	assert_int_equal(prompt_key(&p, TK_ENTER), PROMPT_DONE);
	assert_string_equal(p.text, "abc");
	prompt_start(&p, ":", "abc", NULL);
	assert_int_equal(prompt_key(&p, TK_BACKSPACE), PROMPT_EDITING);
	assert_false(p.fresh);
	assert_string_equal(p.text, "ab");
	assert_int_equal(prompt_key(&p, 0x436), PROMPT_EDITING);     /* ж, two bytes */
	assert_string_equal(p.text, "abж");
	assert_int_equal(prompt_key(&p, TK_BACKSPACE), PROMPT_EDITING);
	assert_string_equal(p.text, "ab");
	assert_int_equal(prompt_key(&p, TK_UP), PROMPT_EDITING);      /* ignored */
	assert_int_equal(prompt_key(&p, TK_CTRL('u')), PROMPT_EDITING);
	assert_string_equal(p.text, "");
	assert_int_equal(prompt_key(&p, '7'), PROMPT_EDITING);
	assert_int_equal(prompt_key(&p, TK_ENTER), PROMPT_DONE);
	assert_string_equal(p.text, "7");
	assert_false(p.on);
	prompt_start(&p, "/", NULL, NULL);
	assert_int_equal(prompt_key(&p, TK_ESC), PROMPT_CANCEL);
	assert_false(p.on);
}

/* ---- a screen over a sample ------------------------------------------------ */

struct fixture {
	struct session *s;
	struct app a;
};

static int open_sample(void **state)
{
	struct session_opts o = { .flags = SESSION_SYNC };
	struct fixture *f = calloc(1, sizeof(*f));
	const char *d = getenv("SRCDIR");
	char path[512], err[512];

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	snprintf(path, sizeof(path), "%s/traces/samples/linux-rx-nosync.bug.dmt",
		 d && *d ? d : ".");
	o.path = path;
	if (session_open(&o, &f->s, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(app_init(&f->a, f->s, 80, 24), 0);
	app_draw(&f->a);
	*state = f;
	return 0;
}

static int close_sample(void **state)
{
	struct fixture *f = *state;

	app_free(&f->a);
	session_close(f->s);
	free(f);
	return 0;
}

/* Type @keys (keys.h names), drawing a frame before each as the screen does. */
static void type(struct app *a, const char *keys)
{
	int k;

	while ((k = keys_parse(&keys)) >= 0) {
		app_key(a, k);
		app_draw(a);
	}
	assert_int_equal(*keys, 0);
}

static bool frame_has(struct app *a, const char *text)
{
	char *d = cells_dump(&a->g, 0);
	bool has = d && strstr(d, text);

	free(d);
	return has;
}

static void test_steps_and_goto(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(session_pos(f->s), 0);
	type(&f->a, "jj");
	assert_int_equal(session_pos(f->s), 2);
	type(&f->a, "k<Up>");
	assert_int_equal(session_pos(f->s), 0);
	type(&f->a, "k");
	assert_int_equal(session_pos(f->s), 0);
	assert_string_equal(f->a.vs.msg, "at the first event");
	type(&f->a, ":4<Enter>");
	assert_int_equal(session_pos(f->s), 4);
	type(&f->a, "g");
	assert_int_equal(session_pos(f->s), 0);
	type(&f->a, "G");
	assert_int_equal(session_pos(f->s), session_count(f->s) - 1);
	/* a line that does not parse moves nothing and says why */
	type(&f->a, ":x9<Enter>");
	assert_int_equal(session_pos(f->s), session_count(f->s) - 1);
	assert_non_null(strstr(f->a.vs.msg, "neither an event number"));
	/* Esc leaves a prompt without doing it */
	type(&f->a, ":0<Esc>");
	assert_int_equal(session_pos(f->s), session_count(f->s) - 1);
	assert_false(f->a.pr.on);
}

static void test_finding_search_marks(void **state)
{
	struct fixture *f = *state;
	uint64_t at;

	type(&f->a, "]");
	assert_true(session_nfindings(f->s) > 0);
	at = session_pos(f->s);
	assert_true(at > 0);
	type(&f->a, "ma");
	type(&f->a, "g'a");
	assert_int_equal(session_pos(f->s), at);
	type(&f->a, "'z");
	assert_non_null(strstr(f->a.vs.msg, "no bookmark"));
	type(&f->a, "g/dma_unmap<Enter>");
	assert_true(session_pos(f->s) > 0);
	at = session_pos(f->s);
	type(&f->a, "gn");
	assert_int_equal(session_pos(f->s), at);
	type(&f->a, "/([<Enter>");
	assert_non_null(strstr(f->a.vs.msg, "search:"));
}

static void test_breakpoints_both_ways(void **state)
{
	struct fixture *f = *state;
	uint64_t hit;

	type(&f->a, "c");
	assert_non_null(strstr(f->a.vs.msg, "no breakpoints"));
	type(&f->a, "bdma_map<Enter>");
	assert_int_equal(session_nbreaks(f->s), 1);
	type(&f->a, "gc");
	hit = session_pos(f->s);
	assert_true(hit > 0);
	assert_non_null(strstr(f->a.vs.msg, "breakpoint hit"));
	type(&f->a, "GC");
	assert_int_equal(session_pos(f->s), hit);
	type(&f->a, "Bd<Esc>");
	assert_int_equal(session_nbreaks(f->s), 0);
}

static void test_watch_and_last_writer(void **state)
{
	struct fixture *f = *state;

	type(&f->a, "W");
	assert_non_null(strstr(f->a.vs.msg, "no watch"));
	type(&f->a, "Gw0x80000<Enter>");
	assert_true(f->a.vs.watching);
	assert_true(f->a.ov.on);
	assert_true(frame_has(&f->a, "Watch 0x80000"));
	type(&f->a, "<Esc>gW");
	assert_false(f->a.ov.on);
	type(&f->a, "GW");
	assert_true(session_pos(f->s) < session_count(f->s) - 1);
	/* a range: rows name their bytes, W takes the newest writer of them */
	type(&f->a, "Gw<C-u>0x8003e+4<Enter>");
	assert_true(f->a.ov.on);
	assert_int_equal(f->a.vs.watch_hi, 0x80042);
	assert_true(frame_has(&f->a, "Watch 0x8003e-0x80042: 10 changes"));
	assert_true(frame_has(&f->a, "0x80041"));
	type(&f->a, "<Esc>GW");
	assert_int_equal(session_pos(f->s), 2);
	assert_non_null(strstr(f->a.vs.msg, "0x8003e last written by event 2"));
	type(&f->a, "w<C-u>0x80000-0x80100<Enter>");
	assert_int_equal(f->a.vs.watch_hi, 0x80000 + SESSION_WATCH_BYTES);
	assert_non_null(strstr(f->a.vs.msg, "the first 64 of the 256 bytes"));
	type(&f->a, "<Esc>w<C-u>0x80010-0x80000<Enter>");
	assert_non_null(strstr(f->a.vs.msg, "not ADDR, LO-HI or ADDR+LEN"));
}

static void test_help_and_unbound(void **state)
{
	struct fixture *f = *state;

	type(&f->a, "?");
	assert_true(f->a.ov.on);
	assert_true(frame_has(&f->a, "dmascope replay: keys"));
	type(&f->a, "j<Esc>");
	assert_false(f->a.ov.on);
	type(&f->a, "Z");
	assert_non_null(strstr(f->a.vs.msg, "? lists the keys"));
	type(&f->a, "<Tab>");
	assert_int_not_equal(f->a.vs.focus, PANE_TIMELINE);
	type(&f->a, "<S-Tab>");
	assert_int_equal(f->a.vs.focus, PANE_TIMELINE);
	type(&f->a, "q");
	assert_true(f->a.quit);
}

static void test_enter_on_a_finding(void **state)
{
	struct fixture *f = *state;
	const struct coh_finding *first;

	type(&f->a, "<Enter>");
	assert_int_equal(session_pos(f->s), 0);
	assert_non_null(strstr(f->a.vs.msg, "findings pane"));
	while (f->a.vs.focus != PANE_FINDINGS)
		type(&f->a, "<Tab>");
	type(&f->a, "j<Enter>");
	first = session_finding(f->s, 0);
	assert_non_null(first);
	assert_int_equal(session_pos(f->s), first->seq);
	assert_true(session_pos(f->s) > 0);
}

static void test_mouse(void **state)
{
	struct fixture *f = *state;
	struct rect tl = f->a.vs.at[PANE_TIMELINE];
	uint64_t ev, first;
	long top;

	assert_true(tl.w > 0);
	/* the third row of the timeline's list: its event */
	assert_int_equal(view_timeline_event(f->s, &f->a.vs, 2, &ev), 0);
	app_mouse(&f->a, APP_CLICK, tl.x + 3, tl.y + 1 + 2);
	assert_int_equal(session_pos(f->s), ev);
	app_draw(&f->a);
	/* the wheel scrolls the rows, the current event stays, even out of sight */
	top = f->a.vs.scroll[PANE_TIMELINE].top;
	app_mouse(&f->a, APP_WHEEL_DOWN, tl.x + 3, tl.y + 2);
	assert_int_equal(session_pos(f->s), ev);
	assert_int_equal(view_timeline_event(f->s, &f->a.vs, 0, &first), 0);
	assert_true(first > ev);
	app_draw(&f->a);
	assert_int_equal(f->a.vs.scroll[PANE_TIMELINE].top, (long)first);
	app_mouse(&f->a, APP_WHEEL_UP, tl.x + 3, tl.y + 2);
	assert_int_equal(f->a.vs.scroll[PANE_TIMELINE].top, top);
	assert_int_equal(session_pos(f->s), ev);
	/* a click on another pane focuses it */
	app_draw(&f->a);
	app_mouse(&f->a, APP_CLICK, f->a.vs.at[PANE_FINDINGS].x + 1,
		  f->a.vs.at[PANE_FINDINGS].y + 1);
	assert_int_equal(f->a.vs.focus, PANE_FINDINGS);
}

static void test_too_small(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(app_resize(&f->a, 60, 20), 0);
	app_draw(&f->a);
	assert_true(frame_has(&f->a, "terminal too small (60x20, needs 80x24)"));
	assert_int_equal(app_resize(&f->a, 80, 24), 0);
	app_draw(&f->a);
	assert_false(frame_has(&f->a, "terminal too small"));
}

/* The status line of a screen of @w columns over @s: its last row. */
static char *status_line(struct app *a, int w)
{
	char *d = cells_dump(&a->g, 0), *last;

	assert_non_null(d);
	d[strlen(d) - 1] = 0;
	last = strrchr(d, '\n');
	memmove(d, last ? last + 1 : d, strlen(last ? last + 1 : d) + 1);
	assert_int_equal(cells_width(d), w);
	return d;
}

/* While the background replay runs, 80 columns show its percentage. */
static void test_status_fits_80(void **state)
{
	struct session_opts o = { 0 };
	struct session_progress p, q;
	struct session *s;
	struct app a;
	char path[1024], err[512], *line;

	(void)state;
	capture_path(path, sizeof(path), "big", "trace.dat");   /* replays for seconds */
	if (need_file(path) < 0)
		fail();
	o.path = path;
	if (session_open(&o, &s, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	do {
		usleep(500);
		session_progress(s, &p);
	} while (p.phase == SESSION_READING);
	assert_int_equal(app_init(&a, s, 80, 24), 0);
	app_draw(&a);
	session_progress(s, &q);
	line = status_line(&a, 80);
	assert_int_equal(q.phase, SESSION_REPLAYING);   /* so it drew while replaying */
	assert_non_null(strstr(line, "replaying "));
	assert_non_null(strchr(strstr(line, "replaying "), '%'));
	free(line);
	app_free(&a);
	session_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_key_once),
		cmocka_unit_test(test_key_names_round_trip),
		cmocka_unit_test(test_prompt_editing),
		cmocka_unit_test_setup_teardown(test_steps_and_goto, open_sample, close_sample),
		cmocka_unit_test_setup_teardown(test_finding_search_marks, open_sample,
						close_sample),
		cmocka_unit_test_setup_teardown(test_breakpoints_both_ways, open_sample,
						close_sample),
		cmocka_unit_test_setup_teardown(test_watch_and_last_writer, open_sample,
						close_sample),
		cmocka_unit_test_setup_teardown(test_help_and_unbound, open_sample, close_sample),
		cmocka_unit_test_setup_teardown(test_enter_on_a_finding, open_sample, close_sample),
		cmocka_unit_test_setup_teardown(test_mouse, open_sample, close_sample),
		cmocka_unit_test_setup_teardown(test_too_small, open_sample, close_sample),
		cmocka_unit_test(test_status_fits_80),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
