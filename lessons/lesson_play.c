/* SPDX-License-Identifier: MIT */
/*
 * lesson_play.c - a lesson's steps in order, each in a protected call under
 * the sandbox's caps: an error in a step ends the lesson with "step N
 * (KIND): FILE:LINE: message" and returns to the caller (the checker, the
 * menu); it never ends the program.  A cursor plays one step at a time (the
 * lesson screen); lesson_play() is the cursor run to the end (the checker).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lesson-local.h"
#include "lua-local.h"
#include "trace.h"

/* the lesson's steps table, pushed */
static void push_steps(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, LESSON_TABLE);
	if (!lua_istable(L, -1))
		luaL_error(L, "no lesson loaded");
	lua_getfield(L, -1, "steps");
	luaL_checktype(L, -1, LUA_TTABLE);
}

static int count_steps(lua_State *L)
{
	struct lesson_ctx *c = lua_touserdata(L, 1);

	push_steps(L);
	c->nsteps = (size_t)luaL_len(L, -1);
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, LB_CURRENT_SIM);
	return 0;
}

static int play_step(lua_State *L)
{
	struct lesson_ctx *c = lua_touserdata(L, 1);

	push_steps(L);
	lua_geti(L, -1, (lua_Integer)c->step);
	c->kind = lua_istable(L, -1) ? lesson_step_kind(L, -1) : NULL;
	if (!c->kind)
		return luaL_error(L, "not a step (narrate, run, predict, expect, omissions)");
	if (!strcmp(c->kind, "narrate"))
		lesson_step_narrate(L, c);
	else if (!strcmp(c->kind, "run"))
		lesson_step_run(L, c);
	else if (!strcmp(c->kind, "predict"))
		lesson_step_predict(L, c);
	else if (!strcmp(c->kind, "expect"))
		lesson_step_expect(L, c);
	else
		lesson_step_omissions(L, c);
	return 0;
}

static int protected(struct lesson_env *e, lua_CFunction fn, struct lesson_ctx *c, char *err,
		     size_t n)
{
	lua_State *L = lesson_env_lua(e);

	lua_pushcfunction(L, fn);
	lua_pushlightuserdata(L, c);
	return lesson_env_pcall(e, 1, 0, err, n);
}

struct lesson_cursor {
	struct lesson_ctx c;
	size_t played;               /* steps played so far */
};

struct lesson_cursor *lesson_cursor_new(struct lesson_env *e, int lang,
					const struct lesson_ui *ui, char *err, size_t n)
{
	struct lesson_cursor *cur = calloc(1, sizeof(*cur));

	if (!cur) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	cur->c = (struct lesson_ctx){ .env = e, .lang = lang, .ui = ui };
	lesson_env_reset(e);
	if (protected(e, count_steps, &cur->c, err, n) < 0) {
		free(cur);
		return NULL;
	}
	return cur;
}

size_t lesson_cursor_nsteps(const struct lesson_cursor *cur)
{
	return cur->c.nsteps;
}

size_t lesson_cursor_played(const struct lesson_cursor *cur)
{
	return cur->played;
}

const char *lesson_cursor_kind(const struct lesson_cursor *cur)
{
	return cur->played && cur->c.kind ? cur->c.kind : "?";
}

int lesson_cursor_failed(const struct lesson_cursor *cur)
{
	return cur->c.failed;
}

int lesson_cursor_next(struct lesson_cursor *cur, char *err, size_t n)
{
	char msg[1024];

	if (cur->played >= cur->c.nsteps)
		return 0;
	cur->c.step = ++cur->played;
	cur->c.kind = "?";
	if (protected(cur->c.env, play_step, &cur->c, msg, sizeof(msg)) < 0) {
		snprintf(err, n, "step %zu (%s): %s", cur->c.step, cur->c.kind ? cur->c.kind : "?",
			 msg);
		cur->played = cur->c.nsteps;     /* the lesson stops there */
		return -1;
	}
	return 1;
}

int lesson_cursor_write_dmt(struct lesson_cursor *cur, FILE *out, char *err, size_t n)
{
	lua_State *L = lesson_env_lua(cur->c.env);
	struct lb_sim *s;
	struct coh_source src;
	int r = 1;

	lua_getfield(L, LUA_REGISTRYINDEX, LB_CURRENT_SIM);
	s = luaL_testudata(L, -1, LB_SIM);
	if (s && s->own.open) {
		src = coh_log_source(s->log);
		r = trace_write_dmt(out, &s->own.plat, &src, err, n);
	}
	lua_pop(L, 1);
	return r;
}

void lesson_cursor_free(struct lesson_cursor *cur)
{
	free(cur);
}

int lesson_play(struct lesson_env *e, int lang, const struct lesson_ui *ui, char *err, size_t n)
{
	struct lesson_cursor *cur = lesson_cursor_new(e, lang, ui, err, n);
	int r;

	if (!cur)
		return -1;
	while ((r = lesson_cursor_next(cur, err, n)) > 0)
		;
	if (r == 0)
		r = lesson_cursor_failed(cur);
	lesson_cursor_free(cur);
	return r;
}
