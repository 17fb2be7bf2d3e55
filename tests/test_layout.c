/* SPDX-License-Identifier: MIT */
/*
 * test_layout.c - the replay screen's placement and the panes' pure
 * helpers, without a session or a grid: every pane placed inside the
 * screen without overlap at every size from 80x24 up, nothing below it,
 * clicks mapped to pane and row, scrolling that keeps a row in sight, bytes
 * per row, writer roles, the progress bar, wrapping by display width, a
 * buffer's segments and the row of a watched byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "coh_event.h"
#include "coh_sim.h"
#include "layout.h"
#include "view_util.h"

static bool overlap(struct rect a, struct rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void check_size(int w, int h)
{
	struct rect at[PANE_COUNT];

	layout_place(w, h, at);
	for (int p = 0; p < PANE_COUNT; p++) {
		assert_true(at[p].w > 0 && at[p].h > 0);
		assert_true(at[p].x >= 0 && at[p].y >= 0);
		assert_true(at[p].x + at[p].w <= w && at[p].y + at[p].h <= h);
		/* a title and at least four rows, and room for the hex of 8 bytes */
		if (p != PANE_STATUS)
			assert_true(at[p].h >= 5 && at[p].w >= 39);
		for (int q = 0; q < p; q++)
			assert_false(overlap(at[p], at[q]));
	}
	assert_int_equal(at[PANE_STATUS].y, h - 1);
	assert_int_equal(at[PANE_STATUS].w, w);
}

static void test_place(void **state)
{
	(void)state;
	for (int w = 80; w <= 260; w += 7)
		for (int h = 24; h <= 90; h += 5)
			check_size(w, h);
	check_size(80, 24);
	check_size(200, 60);
	check_size(159, 24);
	check_size(160, 24);
}

static void test_too_small(void **state)
{
	struct rect at[PANE_COUNT];

	(void)state;
	assert_true(layout_fits(80, 24));
	assert_false(layout_fits(79, 24));
	assert_false(layout_fits(80, 23));
	assert_false(layout_fits(60, 20));
	layout_place(60, 20, at);
	for (int p = 0; p < PANE_COUNT; p++)
		assert_int_equal(at[p].w, 0);
}

static void test_hit(void **state)
{
	struct view_state vs;
	struct layout_hit h;

	(void)state;
	view_state_init(&vs);
	layout_place(80, 24, vs.at);
	h = layout_hit(&vs, 5, 0);
	assert_int_equal(h.pane, PANE_TIMELINE);
	assert_int_equal(h.row, -1);
	h = layout_hit(&vs, 5, 3);
	assert_int_equal(h.pane, PANE_TIMELINE);
	assert_int_equal(h.row, 2);
	h = layout_hit(&vs, 79, 23);
	assert_int_equal(h.pane, PANE_STATUS);
	h = layout_hit(&vs, vs.at[PANE_FINDINGS].x + 1, vs.at[PANE_FINDINGS].y + 2);
	assert_int_equal(h.pane, PANE_FINDINGS);
	assert_int_equal(h.row, 1);
	/* the blank column between side-by-side panes belongs to none */
	h = layout_hit(&vs, vs.at[PANE_CACHES].x + vs.at[PANE_CACHES].w, vs.at[PANE_CACHES].y);
	assert_int_equal(h.pane, PANE_COUNT);
	h = layout_hit(&vs, 200, 5);
	assert_int_equal(h.pane, PANE_COUNT);
}

static void test_state_init(void **state)
{
	struct view_state vs;

	(void)state;
	memset(&vs, 0x5a, sizeof(vs));
	view_state_init(&vs);
	assert_int_equal(vs.focus, PANE_TIMELINE);
	assert_int_equal(vs.buf.kind, VIEW_BUF_AUTO);
	assert_false(vs.versions);
	assert_false(vs.watching);
	assert_null(vs.hint);
	assert_string_equal(vs.msg, "");
	assert_int_equal(vs.scroll[PANE_CACHES].sel, -1);
	assert_int_equal(vs.scroll[PANE_CACHES].drawn, -1);
}

static void test_follow(void **state)
{
	(void)state;
	assert_int_equal(view_follow(0, 5, 10, 100), 0);     /* in sight: kept */
	assert_int_equal(view_follow(0, 12, 10, 100), 3);    /* below: last row */
	assert_int_equal(view_follow(20, 4, 10, 100), 4);    /* above: first row */
	assert_int_equal(view_follow(95, -1, 10, 100), 90);  /* past the end: clamped */
	assert_int_equal(view_follow(7, -1, 10, 5), 0);      /* fewer rows than room */
	assert_int_equal(view_follow(-3, -1, 10, 100), 0);
}

/* A changed selection scrolls; the same one leaves the wheel's top alone. */
static void test_scroll_to(void **state)
{
	struct view_scroll sc = { .top = 0, .sel = -1, .drawn = -1 };

	(void)state;
	assert_int_equal(view_scroll_to(&sc, 30, 10, 100), 21);
	sc.top = 50;                                        /* the wheel */
	assert_int_equal(view_scroll_to(&sc, 30, 10, 100), 50);
	assert_int_equal(view_scroll_to(&sc, 31, 10, 100), 31);   /* a new selection */
	sc.top = 500;
	assert_int_equal(view_scroll_to(&sc, 31, 10, 100), 90);   /* still clamped */
}

static void test_per_row(void **state)
{
	(void)state;
	assert_int_equal(view_per_row(39, 6, 3, 64), 8);
	assert_int_equal(view_per_row(54, 6, 3, 64), 16);
	assert_int_equal(view_per_row(100, 6, 3, 64), 16);
	assert_int_equal(view_per_row(200, 6, 3, 64), 64);
	assert_int_equal(view_per_row(200, 6, 3, 16), 16);
	assert_int_equal(view_per_row(5, 6, 3, 64), 1);
	assert_int_equal(view_per_row(100, 6, 6, 64), 8);   /* versions: wider cells */
}

static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(view_writer_role(COH_EV_CPU_WRITE, true, true), ROLE_BY_CPU);
	assert_int_equal(view_writer_role(COH_EV_DEV_WRITE, false, false), ROLE_BY_DEVICE);
	assert_int_equal(view_writer_role(COH_EV_DEV_WRITE, false, true), ROLE_BY_CONTROLLER);
	assert_int_equal(view_writer_role(COH_EV_DEV_WRITE, true, false), ROLE_BY_BOUNCE);
	assert_int_equal(view_writer_role(COH_EV_NONE, false, false), ROLE_NORMAL);
	assert_int_equal(view_line_letter(COH_LINE_INVALID), 'I');
	assert_int_equal(view_line_letter(COH_LINE_CLEAN), 'C');
	assert_int_equal(view_line_letter(COH_LINE_DIRTY), 'D');
	assert_string_equal(view_map_kind(COH_MAP_SG), "sg");
	assert_string_equal(view_dir(COH_DIR_FROM_DEVICE), "from-dev");
	assert_string_equal(view_dir(COH_DIR_NONE), "-");
}

static void test_bar(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(view_bar(buf, 12, 0), "[..........]");
	assert_string_equal(view_bar(buf, 12, 0.5), "[#####.....]");
	assert_string_equal(view_bar(buf, 12, 1), "[##########]");
	assert_string_equal(view_bar(buf, 12, 7), "[##########]");
	assert_string_equal(view_bar(buf, 3, 0.9), "[#]");
}

/* A stand-in measure: ASCII 1 column, any multibyte character 2 (CJK). */
static int fake_width(const char *p, int *len)
{
	unsigned char c = (unsigned char)*p;

	*len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	return c < 0x80 ? 1 : 2;
}

static void test_wrap(void **state)
{
	size_t skip, n;

	(void)state;
	n = view_wrap_len("the quick brown fox", 10, fake_width, &skip);
	assert_int_equal(n, 9);                 /* "the quick" */
	assert_int_equal(skip, 1);
	n = view_wrap_len("exactly ten and more", 10, fake_width, &skip);
	assert_int_equal(n, 7);                 /* "exactly": "ten" would reach 11 */
	n = view_wrap_len("abcd efghi jk", 10, fake_width, &skip);
	assert_int_equal(n, 10);                /* fills the row, broken at the space after */
	assert_int_equal(skip, 1);
	n = view_wrap_len("short", 10, fake_width, &skip);
	assert_int_equal(n, 5);
	assert_int_equal(skip, 0);
	n = view_wrap_len("abcdefghijkl", 5, fake_width, &skip);
	assert_int_equal(n, 5);                 /* no space: broken mid-word */
	n = view_wrap_len("line one\nline two", 40, fake_width, &skip);
	assert_int_equal(n, 8);
	assert_int_equal(skip, 1);
	/* three CJK characters of 2 columns each in 5 columns: two fit */
	n = view_wrap_len("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5, fake_width, &skip);
	assert_int_equal(n, 6);
	/* one wide character in a 1-column pane still moves on */
	n = view_wrap_len("\xe4\xb8\xad", 1, fake_width, &skip);
	assert_int_equal(n, 3);
	/* Chinese breaks between characters, not at the last space far back:
	 * "ab 中文字" in 6 columns is "ab 中" (5 columns), not "ab" */
	n = view_wrap_len("ab \xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 6, fake_width, &skip);
	assert_int_equal(n, 6);
	assert_int_equal(skip, 0);
	/* ... but a line never starts with a full-width comma: "中文，字" in 4
	 * columns keeps "中" (the comma goes with "文") */
	n = view_wrap_len("\xe4\xb8\xad\xe6\x96\x87\xef\xbc\x8c\xe5\xad\x97", 4, fake_width,
			  &skip);
	assert_int_equal(n, 3);
	/* nor ends with an opening mark: "中（文" in 4 columns keeps "中" */
	n = view_wrap_len("\xe4\xb8\xad\xef\xbc\x88\xe6\x96\x87", 4, fake_width, &skip);
	assert_int_equal(n, 3);
}

static void test_range(void **state)
{
	struct view_range r = { .nseg = 2, .addr = { 0x1000, 0x8000 }, .len = { 0x100, 0x40 },
				.total = 0x140 };
	struct view_state vs;
	uint64_t room;

	(void)state;
	assert_int_equal(view_range_at(&r, 0, &room), 0x1000);
	assert_int_equal(room, 0x100);
	assert_int_equal(view_range_at(&r, 0x100, &room), 0x8000);   /* second segment */
	assert_int_equal(view_range_at(&r, 0x13f, &room), 0x803f);
	assert_int_equal(room, 1);
	assert_int_equal(view_range_at(&r, 0x140, &room), COH_ADDR_NONE);
	view_state_init(&vs);
	assert_int_equal(view_watch_row(&vs, &r, 16), -1);             /* nothing watched */
	vs.watching = true;
	vs.watch = 0x1020;
	assert_int_equal(view_watch_row(&vs, &r, 16), 2);
	vs.watch = 0x8010;
	assert_int_equal(view_watch_row(&vs, &r, 16), 17);            /* (0x100 + 0x10) / 16 */
	vs.watch = 0x9000;
	assert_int_equal(view_watch_row(&vs, &r, 16), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_place),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_hit),
		cmocka_unit_test(test_state_init),
		cmocka_unit_test(test_follow),
		cmocka_unit_test(test_scroll_to),
		cmocka_unit_test(test_per_row),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
