/* SPDX-License-Identifier: MIT */
/*
 * screen.h - the terminal side of `dmascope replay` (screen.c, the only
 * file that includes curses).
 */
#ifndef SCREEN_H
#define SCREEN_H

#include <stddef.h>

struct frontend;
struct session;

/**
 * screen_usable - whether the screen can start here: standard input and
 * output are terminals and TERM names one that can address the cursor
 * @err, @n: receives why not
 *
 * Called before anything is drawn, so the error is a plain message.
 * Return: 0, or -1.
 */
int screen_usable(char *err, size_t n);

/**
 * screen_run - run the replay screen over @s until q, SIGINT, SIGTERM or
 * SIGHUP; the terminal is restored in every case before it returns
 * @err, @n: receives the message of a fatal error, for the caller to print
 *           (the terminal is restored by then)
 *
 * Return: 0 after q, 128 + the signal after a signal, -1 on a fatal error.
 */
int screen_run(struct session *s, char *err, size_t n);

/**
 * screen_loop - run front end @f (frontend.h) on the terminal until it quits
 * or a signal comes, as screen_run() does; the terminal is restored in
 * every case before it returns
 *
 * Return: as screen_run().
 */
int screen_loop(const struct frontend *f, char *err, size_t n);

#endif
