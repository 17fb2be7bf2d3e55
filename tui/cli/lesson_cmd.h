/* SPDX-License-Identifier: MIT */
/*
 * lesson_cmd.h - `dmascope lesson [NAME]` and `dmascope` with no arguments:
 * the lesson menu and screen on the terminal, or driven by a script
 * (lesson_cmd_screen.c; cmd_lesson.c parses the options).
 */
#ifndef LESSON_CMD_H
#define LESSON_CMD_H

struct lesson_screen_args {
	int lang;                    /* enum lesson_lang */
	const char *dir;             /* --lessons, or NULL */
	const char *name;            /* the lesson to open, or NULL: the menu */
	const char *script;          /* --script FILE ("-": standard input), or NULL */
	int dump;                    /* --dump-screen */
	int w, h;                    /* --size (without a terminal) */
};

/**
 * lesson_screen_cmd - open the menu (or lesson @a->name) on the terminal,
 * or run @a->script and write the frames
 *
 * Return: the exit status: 0, 2 (no terminal, no such lesson, a bad
 * script), or 128 + a signal.
 */
int lesson_screen_cmd(const struct lesson_screen_args *a);

#endif
