/* SPDX-License-Identifier: MIT */
/*
 * lscreen-state.h - the lesson screen's state, shared by lesson_screen.c
 * (drawing, opening, progress) and lesson_keys.c (what keys do).
 */
#ifndef LSCREEN_STATE_H
#define LSCREEN_STATE_H

#include <stdarg.h>
#include <stdbool.h>

#include "app.h"
#include "lesson_screen.h"
#include "lscreen-local.h"
#include "overlay.h"
#include "prompt.h"

enum ls_mode {
	LS_MENU,                     /* the lesson menu */
	LS_LESSON,                   /* a lesson's pane */
	LS_REPLAY,                   /* the replay panes on the step's simulation */
	LS_ERROR                     /* a lesson stopped with an error */
};

struct lscreen {
	enum ls_mode mode;
	struct cells g;              /* the frame (but the replay panes draw in app.g) */
	struct menu menu;
	struct lrun run;             /* the lesson open (LS_LESSON, LS_REPLAY, LS_ERROR) */
	struct lpane lp;
	struct overlay ov;           /* the help */
	struct prompt pr;            /* a typed answer */
	struct app app;              /* the replay panes, when sess */
	struct session *sess;
	char sess_path[700];         /* the .dmt file sess replays */
	char repo[1024];
	char msg[1300];              /* the status line's message, "" none */
	uint8_t msg_role;
	bool kept_bad;               /* a damaged progress file was kept as .bad */
	bool quit, repaint;
};

void lscreen_msg(struct lscreen *ls, uint8_t role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* record an answer (@s) or the lesson's end (@s NULL) and save the progress */
void lscreen_progress(struct lscreen *ls, const struct lstep *s);

void lscreen_open_lesson(struct lscreen *ls, size_t i);
void lscreen_close_lesson(struct lscreen *ls);
void lscreen_replay_open(struct lscreen *ls);
void lscreen_replay_close(struct lscreen *ls);
void lscreen_veil(struct lscreen *ls);

/* the frame (lesson_screen.c), a key (lesson_keys.c) */
struct cells *lscreen_draw(struct lscreen *ls);
void lscreen_key(struct lscreen *ls, int key);

#endif
