/* SPDX-License-Identifier: MIT */
/*
 * lesson.h - the Lua lesson runtime: a sandbox, a lesson's metadata, stepping
 * through it with a presentation interface, the lesson directories, and the
 * student's progress.
 *
 * A lesson is a Lua 5.4 script returning a table (docs/lessons.md): its
 * metadata and its steps (narrate, run, predict, expect, omissions).  The
 * runtime knows no screen: lesson_play() calls a struct lesson_ui (narrate,
 * show, ask, reveal, verdict), which the headless checker (`dmascope lesson
 * --check`) and the lesson screen (tui/lesson_*.c, one step at a time
 * through a struct lesson_cursor) implement.
 *
 * Files, bottom to top: lua_*.c (the binding of the engine, lua-local.h),
 * lesson_sandbox.c (the state: libraries, memory and instruction caps),
 * lesson_text.c (a text in the chosen language), lesson_load.c (metadata),
 * lesson_step.c (narrate, run, predict), lesson_expect.c (expect,
 * omissions), lesson_play.c (the steps in order, or one at a time), lesson_dir.c (finding
 * lessons), lesson_progress.c (the state file).
 */
#ifndef LESSON_H
#define LESSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- languages ------------------------------------------------------------ */

enum lesson_lang { LESSON_EN, LESSON_RU, LESSON_ZH, LESSON_NLANGS };

/**
 * lesson_lang_code - "en", "ru", "zh"
 */
const char *lesson_lang_code(int lang);

/**
 * lesson_lang_lookup - a language by code ("ru", "zh", "zh_CN.UTF-8", "ru_RU")
 *
 * Return: enum lesson_lang, or -1.
 */
int lesson_lang_lookup(const char *s);

/**
 * lesson_lang_default - from LC_ALL, LC_MESSAGES, LANG (in that order), else
 * English
 */
int lesson_lang_default(void);

/* ---- the sandbox ------------------------------------------------------------ */

struct lesson_env;

struct lesson_limits {
	size_t mem_bytes;            /* Lua memory (0: 32 MiB) */
	uint64_t instructions;       /* VM instructions per lesson (0: 200 million) */
};

/**
 * lesson_env_new - a sandboxed Lua state with the engine's binding (`dma`)
 * @lim:      may be NULL for the defaults
 * @repo_dir: the repository's top, where dma.load() looks after the
 *            lesson's own directory (may be NULL)
 *
 * Only the base, table, string, math and utf8 libraries; no dofile,
 * loadfile, require; load() takes text chunks only.
 *
 * Return: caller frees with lesson_env_free(), or NULL (out of memory).
 */
struct lesson_env *lesson_env_new(const struct lesson_limits *lim, const char *repo_dir);

/**
 * lesson_env_free - close the state and every simulation in it (NULL is fine)
 */
void lesson_env_free(struct lesson_env *e);

/**
 * lesson_env_run - run a chunk of Lua text in the sandbox (tests, tools)
 * @name: names the chunk in messages ("=test" prints as "test")
 * @err:  receives "NAME:LINE: message" when it fails
 *
 * Return: 0, or -1.
 */
int lesson_env_run(struct lesson_env *e, const char *chunk, const char *name, char *err,
		   size_t n);

/* ---- a lesson ------------------------------------------------------------------ */

#define LESSON_ID_MAX 64
#define LESSON_MAX_REQUIRES 16

struct lesson_info {
	char id[LESSON_ID_MAX];      /* its id ("kef-read") */
	char path[1024];             /* the file */
	int order;                   /* its place in the menu (the `order` field) */
	char *title[LESSON_NLANGS];  /* NULL where the lesson has no text */
	char *teaches[LESSON_NLANGS];
	char requires[LESSON_MAX_REQUIRES][LESSON_ID_MAX];
	size_t nrequires;
	unsigned langs;              /* bit per enum lesson_lang it claims */
	size_t nsteps;
};

/**
 * lesson_load - run a lesson file in @e and read its metadata; the lesson
 * stays loaded in @e for lesson_play()
 * @err: "FILE:LINE: message" (a syntax or run error) or "FILE: message"
 *
 * Return: 0, or -1.  Free @out with lesson_info_free() either way.
 */
int lesson_load(struct lesson_env *e, const char *path, struct lesson_info *out, char *err,
		size_t n);

/**
 * lesson_info_free - free the texts of @li
 */
void lesson_info_free(struct lesson_info *li);

/* ---- the presentation interface ------------------------------------------------ */

#define LESSON_MAX_CHOICES 16

struct lesson_question {
	size_t step;                 /* 1-based */
	const char *text;            /* the question */
	size_t nchoices;             /* 0: the answer is a value (a byte, a name) */
	const char *choices[LESSON_MAX_CHOICES];
	int multi;                   /* 1: several choices may be right */
	uint32_t right;              /* the right choices, bit i = choice i + 1 */
	const char *right_value;     /* without choices: the right value, as text */
	const char *explain;         /* shown at the reveal */
};

struct lesson_answer {
	uint32_t chosen;             /* bit i = choice i + 1 */
	char value[64];              /* without choices */
};

struct lesson_ui {
	void *ctx;
	/* a text to read */
	void (*narrate)(void *ctx, size_t step, const char *text);
	/* a run step applied these events (.dmt lines), after its text */
	void (*show)(void *ctx, size_t step, const char *text, const char *const *lines,
		     size_t n);
	/* the student answers (before the reveal) */
	void (*ask)(void *ctx, const struct lesson_question *q, struct lesson_answer *out);
	/* the right answer and its explanation */
	void (*reveal)(void *ctx, const struct lesson_question *q, const struct lesson_answer *a,
		       int correct);
	/* what the engine says of a claim of the lesson (an expect or omissions
	 * step, a prediction's verify): @ok, else @why */
	void (*verdict)(void *ctx, size_t step, const char *kind, int ok, const char *why);
	/* the runtime's own words (a verdict's sentence, an omission row) in
	 * the ui's language: @msgid translated, or NULL (or no hook): as given.
	 * Each msgid is marked lesson_words(c, "...") for xgettext. */
	const char *(*words)(void *ctx, const char *msgid);
};

/**
 * lesson_play - step through the lesson loaded in @e, in language @lang
 * @err: on an error, "step N (KIND): FILE:LINE: message"
 *
 * Return: the number of failed verdicts (0: every claim held), or -1 when a
 * step failed with an error (the lesson stops there; @e may be freed).
 */
int lesson_play(struct lesson_env *e, int lang, const struct lesson_ui *ui, char *err, size_t n);

/**
 * lesson_answer_correct - whether @a answers @q: exactly the right choices,
 * or the right value (numbers compared by value: "0xaa" is "170")
 */
int lesson_answer_correct(const struct lesson_question *q, const struct lesson_answer *a);

/* ---- one step at a time (the lesson screen) ------------------------------------- */

struct lesson_cursor;

/**
 * lesson_cursor_new - start playing the lesson loaded in @e, in language
 * @lang, one step per lesson_cursor_next(); @ui is called as by lesson_play()
 * @err: why it cannot start (no steps table)
 *
 * Return: caller frees with lesson_cursor_free() (before @e), or NULL.
 */
struct lesson_cursor *lesson_cursor_new(struct lesson_env *e, int lang,
					const struct lesson_ui *ui, char *err, size_t n);

/**
 * lesson_cursor_nsteps, lesson_cursor_played - the lesson's steps, and how
 * many were played
 */
size_t lesson_cursor_nsteps(const struct lesson_cursor *cur);
size_t lesson_cursor_played(const struct lesson_cursor *cur);

/**
 * lesson_cursor_kind - the kind of the step played last ("narrate", "run",
 * "predict", "expect", "omissions"; "?" before the first)
 *
 * Return: a static string.
 */
const char *lesson_cursor_kind(const struct lesson_cursor *cur);

/**
 * lesson_cursor_failed - the verdicts that failed so far
 */
int lesson_cursor_failed(const struct lesson_cursor *cur);

/**
 * lesson_cursor_next - play the next step (its ui calls happen inside)
 * @err: on an error, "step N (KIND): FILE:LINE: message"; no step is played
 *       after one
 *
 * Return: 1 played, 0 no step left, -1 an error.
 */
int lesson_cursor_next(struct lesson_cursor *cur, char *err, size_t n);

/**
 * lesson_cursor_write_dmt - the lesson's current simulation (the one the
 * last run step made or went on with) as a .dmt file: its platform and
 * every event applied to it
 * @err: why it failed
 *
 * Return: 0, 1 when there is no simulation yet, or -1 (a write error).
 */
int lesson_cursor_write_dmt(struct lesson_cursor *cur, FILE *out, char *err, size_t n);

/**
 * lesson_cursor_free - stop (NULL is fine)
 */
void lesson_cursor_free(struct lesson_cursor *cur);

/* ---- lesson directories ---------------------------------------------------------- */

/**
 * lesson_source_tree - the source tree the binary was built in: its
 * directory or one of the three above it (build/asan/tests/test_x) holding
 * lessons/lesson.h
 * @top: receives its path
 *
 * Return: 1, or 0 when the binary is not in a source tree (installed).
 */
int lesson_source_tree(char *top, size_t n);

struct lesson_entry {
	char path[1024];
	char base[256];              /* file name without .lua ("02-kef-read") */
};

/**
 * lesson_dir_scan - the *.lua files of @dirs (in order; within a directory
 * sorted by name)
 * @out: receives a malloc'd array (caller frees)
 *
 * Return: the number found, or -1 (out of memory).
 */
long lesson_dir_scan(const char *const *dirs, size_t ndirs, struct lesson_entry **out);

/**
 * lesson_builtin_dir - the directory of the lessons that come with dmascope:
 * $DMASCOPE_LESSONS, else the lessons/ of the source tree the binary sits in
 * (its directory or one of the three above, holding lessons/lesson.h), else
 * @datadir/lessons
 * @repo: if not NULL, receives the source tree's top (where dma.load()
 *        looks after the lesson's own directory), else ""
 */
void lesson_builtin_dir(const char *datadir, char *out, size_t n, char *repo, size_t rn);

/* ---- progress ------------------------------------------------------------------------ */

struct lesson_progress_row {
	char id[LESSON_ID_MAX];
	int done;
	unsigned answered;           /* questions answered */
	unsigned first_try;          /* answered right the first time */
};

struct lesson_progress {
	struct lesson_progress_row *rows;
	size_t n;
};

/**
 * lesson_progress_path - $XDG_STATE_HOME/dmascope/progress, or
 * ~/.local/state/dmascope/progress
 */
void lesson_progress_path(char *out, size_t n);

/**
 * lesson_progress_load - read a progress file; a missing file is empty, a
 * line that cannot be read is skipped (the rest is kept)
 * @warn: receives a warning when something was skipped or unreadable, else ""
 *
 * Return: 0, or -1 (out of memory).  Free with lesson_progress_free().
 */
int lesson_progress_load(const char *path, struct lesson_progress *p, char *warn, size_t n);

/**
 * lesson_progress_row - the row of lesson @id, added when @add (NULL when
 * absent, or out of memory)
 */
struct lesson_progress_row *lesson_progress_row(struct lesson_progress *p, const char *id,
						int add);

/**
 * lesson_progress_save - write @p atomically (a temporary file in the same
 * directory, then rename), making the directory when missing
 * @err: why it failed
 *
 * Return: 0, or -1.
 */
int lesson_progress_save(const char *path, const struct lesson_progress *p, char *err,
			 size_t n);

/**
 * lesson_progress_free - free the rows
 */
void lesson_progress_free(struct lesson_progress *p);

#endif
