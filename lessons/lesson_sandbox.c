/* SPDX-License-Identifier: MIT */
/*
 * lesson_sandbox.c - the Lua state a lesson runs in.
 *
 * Only the base, table, string, math and utf8 libraries: no io, os,
 * package/require, debug, dofile or loadfile, and load() of text chunks
 * only (a binary chunk could break the VM).  Memory is counted by the
 * state's allocator and capped; VM instructions are counted by a hook and
 * capped, so an endless loop or a memory bomb ends the lesson with a clear
 * message instead of the program.  The `dma` table is the engine's binding
 * (lua_*.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lesson-local.h"
#include "lua-local.h"

#define DEFAULT_MEM   (32u << 20)
#define DEFAULT_INSNS 200000000ull
#define HOOK_EVERY    1000

struct lesson_env {
	lua_State *L;
	size_t used, limit;          /* bytes the state holds, and its cap */
	int mem_hit;                 /* the cap refused an allocation */
	uint64_t insns, max_insns;
};

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lesson_env *e = ud;
	size_t old = ptr ? osize : 0;
	void *p;

	if (nsize == 0) {
		free(ptr);
		e->used -= old;
		return NULL;
	}
	if (nsize > old && e->used - old + nsize > e->limit) {
		e->mem_hit = 1;
		return NULL;
	}
	p = realloc(ptr, nsize);
	if (p)
		e->used = e->used - old + nsize;
	return p;
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	struct lesson_env *e;

	lua_getallocf(L, (void **)&e);
	e->insns += HOOK_EVERY;
	if (e->insns <= e->max_insns)
		return;
	lua_getinfo(L, "Sl", ar);
	lua_pushfstring(L, "%s:%d: instruction limit exceeded (%d million instructions): "
			"an endless loop?", ar->short_src, ar->currentline,
			(int)(e->max_insns / 1000000));
	lua_error(L);
}

/* load(chunk [, name [, mode [, env]]]) with mode forced to "t" */
static int text_load(lua_State *L)
{
	lua_settop(L, 4);
	if (lua_isstring(L, 3) && strcmp(lua_tostring(L, 3), "t"))
		return luaL_error(L, "load: only text chunks (mode \"t\") in a lesson");
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushliteral(L, "t");
	lua_pushvalue(L, 4);
	lua_call(L, 4, LUA_MULTRET);
	return lua_gettop(L) - 4;
}

static void open_libs(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base }, { LUA_TABLIBNAME, luaopen_table },
		{ LUA_STRLIBNAME, luaopen_string }, { LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 }, { NULL, NULL }
	};

	for (const luaL_Reg *l = libs; l->name; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	lua_pushnil(L);
	lua_setglobal(L, "dofile");
	lua_pushnil(L);
	lua_setglobal(L, "loadfile");
	lua_getglobal(L, "load");
	lua_pushcclosure(L, text_load, 1);
	lua_setglobal(L, "load");
	lua_getglobal(L, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");     /* binary chunks have no use here */
	lua_pop(L, 1);
}

static int open_all(lua_State *L)
{
	open_libs(L);
	lua_newtable(L);
	lb_open_platform(L);
	lb_open_sim(L);
	lb_open_view(L);
	lb_open_finding(L);
	lb_open_whatif(L);
	lb_open_trace(L);
	lua_setglobal(L, "dma");
	return 0;
}

struct lesson_env *lesson_env_new(const struct lesson_limits *lim, const char *repo_dir)
{
	struct lesson_env *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->limit = lim && lim->mem_bytes ? lim->mem_bytes : DEFAULT_MEM;
	e->max_insns = lim && lim->instructions ? lim->instructions : DEFAULT_INSNS;
	e->L = lua_newstate(counting_alloc, e);
	if (!e->L)
		goto fail;
	lua_pushcfunction(e->L, open_all);
	if (lua_pcall(e->L, 0, 0, 0) != LUA_OK)
		goto fail;
	if (repo_dir && *repo_dir) {
		lua_pushstring(e->L, repo_dir);
		lua_setfield(e->L, LUA_REGISTRYINDEX, LB_REPO_DIR);
	}
	lua_sethook(e->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
	return e;
fail:
	lesson_env_free(e);
	return NULL;
}

void lesson_env_free(struct lesson_env *e)
{
	if (!e)
		return;
	if (e->L)
		lua_close(e->L);
	free(e);
}

lua_State *lesson_env_lua(struct lesson_env *e)
{
	return e->L;
}

void lesson_env_reset(struct lesson_env *e)
{
	e->insns = 0;
}

int lesson_env_pcall(struct lesson_env *e, int nargs, int nresults, char *err, size_t n)
{
	int r;

	e->mem_hit = 0;
	r = lua_pcall(e->L, nargs, nresults, 0);
	if (r == LUA_OK)
		return 0;
	if (r == LUA_ERRMEM || e->mem_hit)
		snprintf(err, n, "memory limit exceeded (a lesson may use %zu MiB)",
			 e->limit >> 20);
	else
		snprintf(err, n, "%s", lua_isstring(e->L, -1) ? lua_tostring(e->L, -1)
							       : "an error that is not a message");
	lua_pop(e->L, 1);
	lua_gc(e->L, LUA_GCCOLLECT);
	return -1;
}

int lesson_env_run(struct lesson_env *e, const char *chunk, const char *name, char *err,
		   size_t n)
{
	lesson_env_reset(e);
	if (luaL_loadbufferx(e->L, chunk, strlen(chunk), name, "t") != LUA_OK) {
		snprintf(err, n, "%s", lua_tostring(e->L, -1));
		lua_pop(e->L, 1);
		return -1;
	}
	return lesson_env_pcall(e, 0, 0, err, n);
}
