/* SPDX-License-Identifier: MIT */
/*
 * actions.h - the replay screen's action table: every key is bound once,
 * to one named action with a one-line description.  The help screen (`?`),
 * `dmascope replay --keys` and the README's key table are made from it.
 */
#ifndef ACTIONS_H
#define ACTIONS_H

#include <stdio.h>

struct app;

#define ACTION_KEYS 3

struct action {
	const char *name;            /* "step-forward" */
	int keys[ACTION_KEYS];       /* keys.h; 0 ends the list */
	const char *help;            /* one line (N_(): the help screen translates) */
	void (*fn)(struct app *a);
};

/**
 * action_at - the table in order
 * Return: row @i, or NULL past the last.
 */
const struct action *action_at(size_t i);

/**
 * action_for_key - the action bound to @key
 * Return: the row, or NULL when the key is not bound.
 */
const struct action *action_for_key(int key);

/**
 * action_keys - the keys of @act as the help prints them ("j <Down>")
 * @buf, @n: where to write them
 * @sep: between two keys (" " or "` `")
 *
 * Return: @buf.
 */
const char *action_keys(const struct action *act, const char *sep, char *buf, size_t n);

/**
 * actions_markdown - the README's key table (Markdown): one row per action
 * @out: where to print
 */
void actions_markdown(FILE *out);

/**
 * actions_help - open the help screen (`?`) from the table
 */
void actions_help(struct app *a);

#endif
