/* SPDX-License-Identifier: MIT */
/*
 * frontend.h - what the terminal (screen.c) and a script of keys (script.c)
 * drive: the replay screen (app.c) or the lesson screen (lesson_screen.c).
 * Each draws into a grid of cells; neither knows which of the two feeds it.
 */
#ifndef FRONTEND_H
#define FRONTEND_H

#include <stdbool.h>

#include "cells.h"

struct frontend {
	void *ctx;
	/* draw the frame; return the grid it is in (borrowed until the next call) */
	struct cells *(*draw)(void *ctx);
	void (*key)(void *ctx, int key);             /* a key of keys.h */
	void (*mouse)(void *ctx, int what, int x, int y);   /* enum app_mouse */
	int (*resize)(void *ctx, int w, int h);      /* 0, or -1 out of memory */
	bool (*quit)(void *ctx);                     /* the loop ends */
	/* the background moved since the last call: redraw (may be NULL) */
	bool (*changed)(void *ctx);
	/* a full repaint was asked for (Ctrl-L); the call clears the request */
	bool (*repaint)(void *ctx);
};

#endif
