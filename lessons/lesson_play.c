/* SPDX-License-Identifier: MIT */
/*
 * lesson_play.c - a lesson's steps in order, each in a protected call under
 * the sandbox's caps: an error in a step ends the lesson with "step N
 * (KIND): FILE:LINE: message" and returns to the caller (the checker, the
 * menu); it never ends the program.
 */
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "lesson-local.h"
#include "lua-local.h"

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

int lesson_play(struct lesson_env *e, int lang, const struct lesson_ui *ui, char *err, size_t n)
{
	struct lesson_ctx c = { .env = e, .lang = lang, .ui = ui };
	char msg[1024];

	lesson_env_reset(e);
	if (protected(e, count_steps, &c, msg, sizeof(msg)) < 0) {
		snprintf(err, n, "%s", msg);
		return -1;
	}
	for (c.step = 1; c.step <= c.nsteps; c.step++) {
		c.kind = "?";
		if (protected(e, play_step, &c, msg, sizeof(msg)) < 0) {
			snprintf(err, n, "step %zu (%s): %s", c.step, c.kind ? c.kind : "?", msg);
			return -1;
		}
	}
	return c.failed;
}
