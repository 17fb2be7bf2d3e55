/* SPDX-License-Identifier: MIT */
/*
 * test_cells.c - the cell grid: text placed by display width (Russian one
 * column a letter, Chinese two), clipping to a rectangle never splits a
 * double-width character, painting, and the text dump golden screens use.
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

#include "cells.h"

static int setup(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return 0;
}

/* The grid's row @y as text. */
static char *row(const struct cells *g, int y)
{
	char *all = cells_dump(g, 0), *p = all, *line;
	size_t len;

	assert_non_null(all);
	for (int i = 0; i < y; i++)
		p = strchr(p, '\n') + 1;
	len = (size_t)(strchr(p, '\n') - p);
	line = malloc(len + 1);
	memcpy(line, p, len);
	line[len] = 0;
	free(all);
	return line;
}

static void assert_row(const struct cells *g, int y, const char *want)
{
	char *got = row(g, y);

	assert_string_equal(got, want);
	free(got);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(cells_width("abc"), 3);
	assert_int_equal(cells_width("Привет"), 6);
	assert_int_equal(cells_width("缓存"), 4);
	assert_int_equal(cells_width("a缓b"), 4);
	assert_int_equal(cells_width(""), 0);
	assert_int_equal(cells_width("\xff" "a"), 2);   /* an invalid byte counts 1 */
}

static void test_put_russian_chinese(void **state)
{
	struct cells g = { 0 };
	struct rect all = { 0, 0, 12, 3 };

	(void)state;
	assert_int_equal(cells_resize(&g, 12, 3), 0);
	assert_int_equal(cells_put(&g, all, 0, 0, ROLE_NORMAL, 0, "Кэш ЦП"), 6);
	assert_int_equal(cells_put(&g, all, 0, 1, ROLE_NORMAL, 0, "缓存行"), 6);
	assert_int_equal(cells_put(&g, all, 7, 1, ROLE_TITLE, 0, "x"), 1);
	assert_row(&g, 0, "Кэш ЦП      ");
	assert_row(&g, 1, "缓存行 x    ");
	assert_int_equal(g.c[12 + 1].flags & CELL_CONT, CELL_CONT);
	assert_int_equal(g.c[12 + 0].flags & CELL_CONT, 0);
	assert_int_equal(g.c[12 + 7].role, ROLE_TITLE);
	cells_free(&g);
}

static void test_clip_never_splits(void **state)
{
	struct cells g = { 0 };
	struct rect r = { 2, 0, 5, 1 };

	(void)state;
	assert_int_equal(cells_resize(&g, 10, 1), 0);
	/* 5 columns: two wide characters and a blank where the third would be cut */
	cells_put(&g, r, 0, 0, ROLE_NORMAL, 0, "缓存行");
	assert_row(&g, 0, "  缓存    ");
	assert_int_equal(g.c[6].ch, ' ');
	assert_int_equal(g.c[6].flags & CELL_CONT, 0);
	assert_int_equal(g.c[7].ch, ' ');
	/* nothing outside the rectangle, nor off its bottom */
	cells_put(&g, r, 0, 1, ROLE_NORMAL, 0, "zzzz");
	cells_put(&g, r, -3, 0, ROLE_NORMAL, 0, "abcdefghij");
	assert_row(&g, 0, "  defgh   ");
	cells_free(&g);
}

static void test_overwrite_half(void **state)
{
	struct cells g = { 0 };
	struct rect all = { 0, 0, 6, 1 };

	(void)state;
	assert_int_equal(cells_resize(&g, 6, 1), 0);
	cells_put(&g, all, 0, 0, ROLE_NORMAL, 0, "缓存");
	cells_put(&g, all, 1, 0, ROLE_NORMAL, 0, "a");   /* the right half of 缓 */
	assert_row(&g, 0, " a存  ");
	cells_put(&g, all, 2, 0, ROLE_NORMAL, 0, "b");   /* the left half of 存 */
	assert_row(&g, 0, " ab   ");
	cells_free(&g);
}

static void test_printf_paint_dump_attrs(void **state)
{
	struct cells g = { 0 };
	struct rect r = { 1, 1, 6, 2 };
	char *d;

	(void)state;
	assert_int_equal(cells_resize(&g, 8, 3), 0);
	assert_int_equal(cells_printf(&g, r, 0, 0, ROLE_DIRTY, 0, "%s%d", "D", 42), 3);
	cells_paint(&g, r, 0, 1, 100, ROLE_SELECTED, CELL_REVERSE);
	d = cells_dump(&g, 1);
	assert_string_equal(d, "        \n"
			       " D42    \n"
			       "        \n"
			       "\n"
			       "........\n"
			       ".DDD....\n"
			       ".ssssss.\n");
	free(d);
	cells_clear(&g, (struct rect){ 0, 0, 8, 3 });
	d = cells_dump(&g, 1);
	assert_null(strchr(d, 's'));
	free(d);
	cells_free(&g);
}

static void test_control_and_invalid(void **state)
{
	struct cells g = { 0 };
	struct rect all = { 0, 0, 5, 1 };

	(void)state;
	assert_int_equal(cells_resize(&g, 5, 1), 0);
	cells_put(&g, all, 0, 0, ROLE_NORMAL, 0, "a\tb\xc3");
	assert_int_equal(g.c[1].ch, '?');
	assert_int_equal(g.c[3].ch, 0xFFFD);
	assert_int_equal(cells_resize(&g, -1, 1), -1);
	cells_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_put_russian_chinese),
		cmocka_unit_test(test_clip_never_splits),
		cmocka_unit_test(test_overwrite_half),
		cmocka_unit_test(test_printf_paint_dump_attrs),
		cmocka_unit_test(test_control_and_invalid),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
