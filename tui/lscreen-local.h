/* SPDX-License-Identifier: MIT */
/*
 * lscreen-local.h - what the lesson screen's files share: a lesson being
 * played (lesson_run.c), its pane (view_lesson.c), the menu (menu.c) and
 * the screen that puts them together (lesson_screen.c).  No curses.
 */
#ifndef LSCREEN_LOCAL_H
#define LSCREEN_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cells.h"
#include "lesson.h"

/* ---- a lesson played step by step (lesson_run.c) ------------------------------ */

/* One step as the runtime played it, and what the student did there. */
struct lstep {
	size_t no;                   /* 1-based */
	const char *kind;            /* "narrate", "run", "predict", "expect", "omissions" */
	char *text;                  /* the narration, a run's or omissions' say, a question */
	char **lines;                /* the events a run applied, or the omission rows */
	size_t nlines;
	char **verdicts;             /* what the engine says of the step's claims */
	size_t nverdicts;
	bool ask;                    /* a prediction: q holds it */
	struct lesson_question q;    /* its texts owned by the step */
	unsigned qno;                /* the lesson's question number (1-based) */
	char *dmt;                   /* the simulation shown with it, a .dmt file, or NULL */
	uint32_t picked;             /* choices picked, before the answer */
	bool answered, correct;
	struct lesson_answer ans;
};

struct lrun {
	struct lesson_env *env;
	struct lesson_cursor *cur;
	struct lesson_info info;
	int lang;
	struct lstep *steps;         /* the steps played so far */
	size_t n, cap;
	size_t nsteps;               /* in the lesson */
	size_t at;                   /* the step shown (0-based) */
	char err[2048];              /* a lesson error ("" none): file, line, message */
	char dir[512];               /* the .dmt files of its simulations ("" none yet) */
	struct lesson_ui ui;         /* records each step (the cursor borrows it) */
};

/**
 * lrun_open - load the lesson @path and play its first step
 * @repo: where dma.load() looks (lesson_builtin_dir())
 *
 * Return: 0, or -1 (out of memory).  A lesson that cannot load or play is
 * not a failure: r->err says why.  Free with lrun_close() either way.
 */
int lrun_open(struct lrun *r, const char *path, const char *repo, int lang);

/**
 * lrun_close - free the lesson, its steps and its .dmt files
 */
void lrun_close(struct lrun *r);

/**
 * lrun_move - show the next (@dir +1, playing it when it is new) or the
 * previous step (-1)
 *
 * Return: 0 moved, 1 nothing there, -1 the lesson failed (r->err).
 */
int lrun_move(struct lrun *r, int dir);

/**
 * lrun_answer - the student's answer to the question of the step shown
 * (its picked choices, or @value)
 *
 * Return: 1 right, 0 wrong.
 */
int lrun_answer(struct lrun *r, const char *value);

/**
 * lrun_done - the last step is shown
 */
bool lrun_done(const struct lrun *r);

/**
 * lrun_text - a text of the lesson's metadata (title, teaches) in @lang,
 * else English, else ""
 */
const char *lrun_text(char *const *texts, int lang);

/* ---- the lesson pane (view_lesson.c) ------------------------------------------- */

#define LPANE_CHOICES 32          /* a question's choices are bits of a uint32_t */

struct lpane {
	long top;                    /* the first row shown of the step's rows */
	long rows;                   /* rows the step has (at the last draw) */
	long page;                   /* rows shown (at the last draw) */
	struct rect body;            /* where the rows were drawn */
	size_t nchoices;             /* choices drawn (0: no question shown) */
	long choice_row[LPANE_CHOICES + 1];  /* the first row of each, then the end */
};

/**
 * view_lesson_choice_at - the choice drawn at screen cell (@x, @y) at the
 * last draw (0-based), or -1
 */
int view_lesson_choice_at(const struct lpane *lp, int x, int y);

/**
 * view_lesson_draw - the step @r shows, wrapped to the width of @area, from
 * row lp->top; a "more" mark when it pages
 */
void view_lesson_draw(struct cells *g, struct rect area, const struct lrun *r,
		      struct lpane *lp);

/**
 * view_wrap_text - @text wrapped to @w columns, each line passed to @put
 * with @indent columns before it
 */
void view_wrap_text(const char *text, int w, int indent,
		    void (*put)(void *ctx, int indent, uint8_t role, const char *line),
		    void *ctx, uint8_t role);

/* Rows put one under the other from row y of r (view_put_line). */
struct view_put {
	struct cells *g;
	struct rect r;
	int y;
};

/**
 * view_put_line - a view_wrap_text() callback: @line at the next row of the
 * struct view_put @ctx
 */
void view_put_line(void *ctx, int indent, uint8_t role, const char *line);

/* ---- the menu (menu.c) ----------------------------------------------------------- */

struct menu_item {
	struct lesson_entry le;
	struct lesson_info info;
	bool ok;                     /* its metadata could be read */
	char err[512];               /* else why not */
};

struct menu {
	struct menu_item *items;
	size_t n;
	long sel, top;
	struct rect list;            /* where the rows were drawn last (clicks) */
	int lang;
	struct lesson_progress pg;
	char pg_path[1024];
	char warn[1200];             /* the progress file could not all be read */
};

/**
 * menu_load - the lessons of @dirs, sorted by their order, with the progress
 *
 * Return: 0, or -1 out of memory.
 */
int menu_load(struct menu *m, const char *const *dirs, size_t ndirs, const char *repo,
	      int lang);

/**
 * menu_free - free what menu_load() made
 */
void menu_free(struct menu *m);

/**
 * menu_find - the item of lesson @name (id, file name, or number)
 *
 * Return: its index, or -1.
 */
long menu_find(const struct menu *m, const char *name);

/**
 * menu_requires_done - whether every prerequisite of item @i is done
 */
bool menu_requires_done(const struct menu *m, size_t i);

/**
 * menu_draw - the list and the selected lesson's details in @area
 */
void menu_draw(struct cells *g, struct rect area, struct menu *m);

#endif
