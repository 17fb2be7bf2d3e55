/* SPDX-License-Identifier: MIT */
/*
 * keys.h - keys as the replay screen sees them, without curses.
 *
 * A key is an int: a Unicode code point for a character (Enter is '\n',
 * Esc 27, Tab '\t', Backspace 127), or one of the KEY_* values below for
 * the keys that have no character.  screen.c turns curses' codes into
 * these; `--script` files and the help screen spell them by name ("j",
 * "<Enter>", "<PgDn>", "<C-l>"), through keys_name() and keys_parse().
 */
#ifndef KEYS_H
#define KEYS_H

#include <stddef.h>

#define TK_ENTER     '\n'
#define TK_ESC       27
#define TK_TAB       '\t'
#define TK_BACKSPACE 127
#define TK_CTRL(c)   ((c) & 0x1f)

enum tui_key {
	TK_UP = 0x110000,            /* above every code point */
	TK_DOWN,
	TK_LEFT,
	TK_RIGHT,
	TK_PGUP,
	TK_PGDN,
	TK_HOME,
	TK_END,
	TK_BTAB,                     /* Shift-Tab */
	TK_DELETE,
	TK_RESIZE,                   /* the terminal changed size */
	TK_NONE                      /* nothing (a timeout) */
};

/**
 * keys_name - how a key is written in the help screen and in scripts
 * @key: the key
 * @buf, @n: where to write it ("j", "<Down>", "<C-l>", "<Space>")
 *
 * Return: @buf.
 */
const char *keys_name(int key, char *buf, size_t n);

/**
 * keys_parse - read one key from script text
 * @s: the text; advanced past the key
 *
 * A character stands for itself (UTF-8), "<Name>" for a named key as
 * keys_name() writes it, "<lt>" for '<'.
 * Return: the key, or -1 at the end of @s or on an unknown "<Name>"
 * (then *@s is left at the '<').
 */
int keys_parse(const char **s);

#endif
