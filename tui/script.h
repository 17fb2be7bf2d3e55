/* SPDX-License-Identifier: MIT */
/*
 * script.h - `dmascope replay --script FILE`: the screen driven by a file
 * of keys instead of a terminal, its frames written as text (golden
 * screens, as tig's test suite does).
 *
 * One command a line; '#' starts a comment:
 *   key KEYS          keys as keys.h spells them: "key :120<Enter>", "key j"
 *   resize W H        the terminal is now W x H
 *   click X Y         a mouse click (also wheel-up X Y, wheel-down X Y)
 *   dump [attrs]      write the frame (and with attrs, each cell's role)
 */
#ifndef SCRIPT_H
#define SCRIPT_H

#include <stdio.h>

struct frontend;
struct session;

struct script_opts {
	int w, h;                    /* the terminal's size at the start */
	int dump_end;                /* write the last frame at the end */
	int attrs;                   /* ... with the roles */
};

/**
 * script_run - run the commands of @in over session @s
 * @name: the script's name, for messages
 * @out:  where frames are written
 * @err, @n: receives "NAME:LINE: what is wrong" for a line that does not parse
 *
 * Return: 0, or -1 (a bad line, or out of memory).
 */
int script_run(struct session *s, FILE *in, const char *name, const struct script_opts *o,
	       FILE *out, char *err, size_t n);

/**
 * script_run_frontend - the same over any front end (frontend.h): the
 * lesson screen's scripts
 *
 * Return: 0, or -1 (a bad line, or out of memory).
 */
int script_run_frontend(const struct frontend *f, FILE *in, const char *name,
			const struct script_opts *o, FILE *out, char *err, size_t n);

#endif
