/* SPDX-License-Identifier: MIT */
/*
 * lesson-local.h - what the runtime's files (lesson_*.c) share: the Lua
 * state inside a struct lesson_env and running Lua under its caps.
 */
#ifndef LESSON_LOCAL_H
#define LESSON_LOCAL_H

#include <lua.h>

#include "lesson.h"

/* the registry key of the loaded lesson's table */
#define LESSON_TABLE "dmascope.lesson"

/**
 * lesson_env_lua - the Lua state of @e
 */
lua_State *lesson_env_lua(struct lesson_env *e);

/**
 * lesson_env_pcall - lua_pcall() of the function below @nargs arguments,
 * under the instruction cap (counting from lesson_env_reset()); a memory or
 * instruction overrun becomes a clear message
 * @err: receives the message ("FILE:LINE: message") on failure
 *
 * Return: 0 (results on the stack), or -1 (nothing on the stack).
 */
int lesson_env_pcall(struct lesson_env *e, int nargs, int nresults, char *err, size_t n);

/**
 * lesson_env_reset - start the instruction count again (a lesson run)
 */
void lesson_env_reset(struct lesson_env *e);

/**
 * lesson_text - push the text of the value at @idx in @lang: a string (every
 * language), a table {en =, ru =, zh =}, or a function returning one of
 * them; raises a Lua error naming @what when @lang has none
 *
 * Return: the text (on the stack).
 */
const char *lesson_text(lua_State *L, int idx, int lang, const char *what);

/**
 * lesson_step_kind - the kind of the step table at @idx ("narrate", "run",
 * "predict", "expect", "omissions"), or NULL
 */
const char *lesson_step_kind(lua_State *L, int idx);

/* What a step is played with (lesson_play.c fills it in). */
struct lesson_ctx {
	struct lesson_env *env;
	int lang;
	const struct lesson_ui *ui;
	size_t step;                 /* 1-based */
	const char *kind;            /* of the step being played */
	size_t nsteps;
	int failed;                  /* verdicts that failed */
};

/**
 * lesson_step_narrate, lesson_step_run, lesson_step_predict - play the step
 * table at the top (inside a protected call; errors are Lua errors)
 */
void lesson_step_narrate(lua_State *L, struct lesson_ctx *c);
void lesson_step_run(lua_State *L, struct lesson_ctx *c);
void lesson_step_predict(lua_State *L, struct lesson_ctx *c);

/**
 * lesson_step_expect, lesson_step_omissions - check the step table at the
 * top against the current simulation, reporting through ui->verdict
 */
void lesson_step_expect(lua_State *L, struct lesson_ctx *c);
void lesson_step_omissions(lua_State *L, struct lesson_ctx *c);

/**
 * lesson_verdict - report a verdict (and count a failure); @fmt gives why
 */
/* @msgid in the ui's language (struct lesson_ui.words), else as given */
const char *lesson_words(const struct lesson_ctx *c, const char *msgid);

void lesson_verdict(struct lesson_ctx *c, const char *kind, int ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
