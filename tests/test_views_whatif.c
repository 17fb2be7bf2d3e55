/* SPDX-License-Identifier: MIT */
/*
 * test_views_whatif.c - golden screens of what-if (view_whatif.c,
 * view_omit.c): the fixed linux-rx-nosync driver with its first
 * dma_sync_for_cpu left out, at the CPU read after it, in the edited view
 * and in the diff view, at 80x24 and 200x60, and the omission pane over
 * it; tests/golden/screens/whatif-*.txt (UPDATE_GOLDEN=1 writes them).
 * Then what holds whatever the golden files say: the edited timeline marks
 * the call left out, the diff names the stale read the model predicts
 * there, every view draws at every size from 80x24 up (and nothing but
 * the "too small" message below it), and a click on an edited row goes to
 * its recorded event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "golden-test.h"
#include "keys.h"
#include "layout.h"
#include "replay-test.h"
#include "session.h"

static const int sizes[][2] = { { 80, 24 }, { 200, 60 } };

/* The fixed driver, its first sync left out, at the read after it. */
static struct session *edited_sample(void)
{
	struct session_opts o = { .flags = SESSION_SYNC };
	struct session *s = NULL;
	struct coh_event ev;
	char path[512], err[256];
	uint64_t i = 0;

	rt_sample_path(path, sizeof(path), "linux-rx-nosync.ok.dmt");
	o.path = path;
	if (session_open(&o, &s, err, sizeof(err)) < 0)
		fail_msg("%s: %s", path, err);
	while (session_event(s, i, &ev) == 0 && ev.kind != COH_EV_DMA_SYNC_CPU)
		i++;
	assert_int_equal(session_seek(s, i), 0);
	assert_int_equal(session_whatif_delete(s), 0);
	assert_int_equal(session_seek(s, i + 1), 0);
	return s;
}

/* A frame of the panes (no overlay) at @w x @h, as text with its roles. */
static char *frame(struct session *s, int w, int h)
{
	struct view_state vs;
	struct cells g = { 0 };
	char *text;

	view_state_init(&vs);
	vs.hint = "q quit  ? help";
	assert_int_equal(cells_resize(&g, w, h), 0);
	layout_draw(&g, s, &vs);
	text = cells_dump(&g, 1);
	cells_free(&g);
	return text;
}

static void golden_views(void **state)
{
	static const char *const names[] = { [SESSION_RUN_EDITED] = "edited",
					     [SESSION_RUN_DIFF] = "diff" };
	struct session *s = edited_sample();
	char name[96], *text;

	(void)state;
	for (int run = SESSION_RUN_EDITED; run <= SESSION_RUN_DIFF; run++)
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			session_run_set(s, (enum session_run)run);
			text = frame(s, sizes[z][0], sizes[z][1]);
			snprintf(name, sizeof(name), "whatif-%s-%dx%d", names[run], sizes[z][0],
				 sizes[z][1]);
			golden(name, text);
			free(text);
		}
	session_close(s);
}

static void golden_omission_pane(void **state)
{
	struct session *s = edited_sample();
	struct app a;
	char *text;

	(void)state;
	assert_int_equal(app_init(&a, s, 80, 24), 0);
	app_key(&a, 'O');
	app_draw(&a);
	text = cells_dump(&a.g, 1);
	golden("whatif-omit-80x24", text);
	assert_non_null(strstr(text, "dma_sync_single_for_cpu     yes    DC001"));   /* reads need it */
	free(text);
	app_key(&a, TK_ENTER);                  /* the first row: its diff */
	assert_false(a.ov.on);
	assert_int_equal(session_run(s), SESSION_RUN_DIFF);
	assert_int_equal(session_whatif_nedits(s), 1);
	app_free(&a);
	session_close(s);
}

static void marks_and_diff(void **state)
{
	struct session *s = edited_sample();
	char *text;

	(void)state;
	session_run_set(s, SESSION_RUN_DIFF);
	text = frame(s, 200, 60);
	assert_non_null(strstr(text, "Edited run  1 edit"));
	assert_non_null(strstr(text, "left out: eth0 dma_sync_for_cpu"));
	assert_non_null(strstr(text, "+ DC001 stale-cpu-read at event 4"));
	assert_non_null(strstr(text, "Bytes that differ after this event"));
	free(text);
	session_close(s);
}

static void every_size(void **state)
{
	struct session *s = edited_sample();
	struct app a;

	(void)state;
	assert_int_equal(app_init(&a, s, 60, 20), 0);
	for (int run = SESSION_RUN_RECORDED; run <= SESSION_RUN_DIFF; run++) {
		session_run_set(s, (enum session_run)run);
		for (int w = 60; w <= 220; w += 7)
			for (int h = 18; h <= 70; h += 5) {
				assert_int_equal(app_resize(&a, w, h), 0);
				app_draw(&a);
				if (w < LAYOUT_MIN_W || h < LAYOUT_MIN_H) {
					char *text = cells_dump(&a.g, 0);

					assert_non_null(strstr(text, "terminal too small"));
					free(text);
				}
			}
	}
	app_free(&a);
	session_close(s);
}

/* A click on the edited timeline goes to the recorded event on that row:
 * the row after the mark left for the sync is the read after it; the
 * wheel moves the rows, not the position. */
static void click_edited_row(void **state)
{
	struct session *s = edited_sample();
	uint64_t read = session_pos(s);
	struct app a;
	struct rect t;
	long row;

	(void)state;
	session_run_set(s, SESSION_RUN_EDITED);
	assert_int_equal(app_init(&a, s, 80, 24), 0);
	app_draw(&a);
	t = a.vs.at[PANE_TIMELINE];
	assert_int_equal(session_seek(s, 0), 0);
	app_draw(&a);
	row = (long)read - a.vs.whatif_top;
	app_mouse(&a, APP_CLICK, t.x + 4, t.y + 1 + (int)row);
	assert_int_equal(session_pos(s), read);
	app_mouse(&a, APP_CLICK, t.x + 4, t.y + (int)row);      /* the mark: the sync */
	assert_int_equal(session_pos(s), read - 1);
	app_draw(&a);
	row = a.vs.whatif_top;
	app_mouse(&a, APP_WHEEL_DOWN, t.x + 4, t.y + 2);       /* the rows move, not pos */
	app_draw(&a);
	assert_int_equal(a.vs.whatif_top, row + 3 < 11 - (t.h - 1) ? row + 3 : 11 - (t.h - 1));
	assert_int_equal(session_pos(s), read - 1);
	app_free(&a);
	session_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_views),
		cmocka_unit_test(golden_omission_pane),
		cmocka_unit_test(marks_and_diff),
		cmocka_unit_test(every_size),
		cmocka_unit_test(click_edited_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
