/* SPDX-License-Identifier: MIT */
/*
 * prompt.h - the one-line input at the bottom of the replay screen, for
 * `:` (event or timestamp), `/` (a regex), a breakpoint, a watch address,
 * a platform, a filter.  Pure editing: what the text means is the caller's.
 */
#ifndef PROMPT_H
#define PROMPT_H

#include <stdbool.h>

#include "cells.h"

#define PROMPT_MAX 256

struct app;

/* Called with the text when Enter ends the prompt. */
typedef void (*prompt_done_fn)(struct app *a, const char *text);

struct prompt {
	bool on;                     /* the prompt is shown and takes the keys */
	char label[160];             /* ":", "/", "breakpoint (...): " (UTF-8) */
	char text[PROMPT_MAX];       /* UTF-8 */
	int len;                     /* bytes in text */
	bool fresh;                  /* text is the initial one, untouched: the
				      * first character typed replaces it */
	prompt_done_fn done;
};

enum prompt_result { PROMPT_EDITING, PROMPT_DONE, PROMPT_CANCEL };

/**
 * prompt_start - show a prompt
 * @p: the prompt
 * @label: what it asks, written before the text
 * @init: initial text, or NULL
 * @done: what Enter calls
 */
void prompt_start(struct prompt *p, const char *label, const char *init, prompt_done_fn done);

/**
 * prompt_key - edit the prompt with one key (keys.h)
 * @p: a prompt that is on
 * @key: the key: a character is inserted, Backspace deletes the last
 *       character (and on an empty text cancels), Ctrl-U clears, Enter
 *       ends, Esc or Ctrl-G cancels
 *
 * Return: PROMPT_DONE (the text is in @p->text, @p is off), PROMPT_CANCEL
 * (@p is off), or PROMPT_EDITING.
 */
enum prompt_result prompt_key(struct prompt *p, int key);

/**
 * prompt_draw - draw the prompt on row @y of @g, over whatever is there
 * @g: the grid
 * @y: the row
 */
void prompt_draw(const struct prompt *p, struct cells *g, int y);

#endif
