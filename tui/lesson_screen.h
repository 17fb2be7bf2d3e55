/* SPDX-License-Identifier: MIT */
/*
 * lesson_screen.h - the lesson menu and the lesson screen (`dmascope` with
 * no arguments, `dmascope lesson [NAME]`): a front end (frontend.h) that
 * screen.c runs on the terminal and script.c runs from a file of keys.
 */
#ifndef LESSON_SCREEN_H
#define LESSON_SCREEN_H

#include <stddef.h>
#include <stdio.h>

struct frontend;
struct lscreen;
struct lrun;
struct lpane;

struct lscreen_opts {
	const char *const *dirs;     /* the lesson directories (built-in first) */
	size_t ndirs;
	const char *repo;            /* the source tree's top, for dma.load() */
	int lang;                    /* enum lesson_lang */
	const char *open;            /* a lesson to open at once (id, file, number), or NULL */
};

/**
 * lscreen_new - the menu over the lessons of @o->dirs, with the progress of
 * $XDG_STATE_HOME/dmascope/progress; @o->open opened on it
 * @err: why not (out of memory, no lesson @o->open)
 *
 * Return: caller frees with lscreen_free(), or NULL.
 */
struct lscreen *lscreen_new(const struct lscreen_opts *o, char *err, size_t n);

/**
 * lscreen_free - close the lesson, its replay session and the menu (NULL is fine)
 */
void lscreen_free(struct lscreen *ls);

/**
 * lscreen_frontend - @ls as a front end for screen_loop() and
 * script_run_frontend() (borrows @ls)
 */
void lscreen_frontend(struct lscreen *ls, struct frontend *f);

/**
 * lscreen_lesson - the lesson open (NULL in the menu; its err set when it
 * stopped with an error), and its pane: the fit tests walk every step
 * through them
 *
 * Return: borrowed until the next key.
 */
const struct lrun *lscreen_lesson(const struct lscreen *ls);
const struct lpane *lscreen_pane(const struct lscreen *ls);

/**
 * lscreen_keys_markdown - the keys of the lesson screen and the menu as a
 * Markdown table, from the tables the help shows (README's key table)
 */
void lscreen_keys_markdown(FILE *out);

#endif
