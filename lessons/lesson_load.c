/* SPDX-License-Identifier: MIT */
/*
 * lesson_load.c - run a lesson file and read what it says of itself: id,
 * order, title and "teaches" per language, prerequisites, languages, and
 * that every step is of a known kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lesson-local.h"
#include "lua-local.h"

static const char *const kinds[] = { "narrate", "run", "predict", "expect", "omissions" };

const char *lesson_step_kind(lua_State *L, int idx)
{
	const char *kind = NULL;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int t = lua_getfield(L, idx, kinds[i]);

		lua_pop(L, 1);
		if (t != LUA_TNIL && !kind)
			kind = kinds[i];
	}
	return kind;
}

static void read_langs(lua_State *L, struct lesson_info *li)
{
	if (lua_getfield(L, 1, "languages") != LUA_TTABLE)
		luaL_error(L, "the lesson lists no languages (languages = {\"en\", \"ru\", \"zh\"})");
	for (lua_Integer i = 1; lua_geti(L, -1, i) != LUA_TNIL; i++) {
		int lang = lesson_lang_lookup(lua_tostring(L, -1));

		if (lang < 0)
			luaL_error(L, "unknown language '%s' (en, ru, zh)", lua_tostring(L, -1));
		li->langs |= 1u << lang;
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
}

static void read_texts(lua_State *L, struct lesson_info *li, const char *key,
		       char **out)
{
	lua_getfield(L, 1, key);
	for (int lang = 0; lang < LESSON_NLANGS; lang++) {
		if (!(li->langs & (1u << lang)))
			continue;
		out[lang] = strdup(lesson_text(L, -1, lang, key));
		lua_pop(L, 1);
		if (!out[lang])
			luaL_error(L, "out of memory");
	}
	lua_pop(L, 1);
}

static void read_requires(lua_State *L, struct lesson_info *li)
{
	if (lua_getfield(L, 1, "requires") == LUA_TTABLE) {
		for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TSTRING; i++) {
			if (li->nrequires == LESSON_MAX_REQUIRES)
				luaL_error(L, "more than %d prerequisites", LESSON_MAX_REQUIRES);
			snprintf(li->requires[li->nrequires++], LESSON_ID_MAX, "%s",
				 lua_tostring(L, -1));
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static void read_steps(lua_State *L, struct lesson_info *li)
{
	if (lua_getfield(L, 1, "steps") != LUA_TTABLE)
		luaL_error(L, "the lesson has no steps table");
	li->nsteps = (size_t)luaL_len(L, -1);
	if (!li->nsteps)
		luaL_error(L, "the lesson has no steps");
	for (size_t i = 1; i <= li->nsteps; i++) {
		if (lua_geti(L, -1, (lua_Integer)i) != LUA_TTABLE || !lesson_step_kind(L, -1))
			luaL_error(L, "step %d is not a table with narrate, run, predict, expect "
				   "or omissions", (int)i);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* the lesson's table at 1, the struct lesson_info as light userdata at 2 */
static int read_meta(lua_State *L)
{
	struct lesson_info *li = lua_touserdata(L, 2);

	if (!lua_istable(L, 1))
		return luaL_error(L, "the lesson does not return a table");
	if (lua_getfield(L, 1, "id") != LUA_TSTRING)
		return luaL_error(L, "the lesson has no id (id = \"...\")");
	snprintf(li->id, sizeof(li->id), "%s", lua_tostring(L, -1));
	lua_getfield(L, 1, "order");
	li->order = (int)lua_tointeger(L, -1);
	lua_pop(L, 2);
	read_langs(L, li);
	read_texts(L, li, "title", li->title);
	read_texts(L, li, "teaches", li->teaches);
	read_requires(L, li);
	read_steps(L, li);
	return 0;
}

static void set_dir(lua_State *L, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash)
		lua_pushlstring(L, path, (size_t)(slash - path));
	else
		lua_pushliteral(L, ".");
	lua_setfield(L, LUA_REGISTRYINDEX, LB_LESSON_DIR);
}

int lesson_load(struct lesson_env *e, const char *path, struct lesson_info *out, char *err,
		size_t n)
{
	lua_State *L = lesson_env_lua(e);

	memset(out, 0, sizeof(*out));
	snprintf(out->path, sizeof(out->path), "%s", path);
	lesson_env_reset(e);
	set_dir(L, path);
	if (luaL_loadfilex(L, path, "t") != LUA_OK) {
		snprintf(err, n, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	if (lesson_env_pcall(e, 0, 1, err, n) < 0)
		return -1;
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, LESSON_TABLE);
	lua_pushcfunction(L, read_meta);
	lua_insert(L, -2);
	lua_pushlightuserdata(L, out);
	if (lesson_env_pcall(e, 2, 0, err, n) < 0) {
		size_t len = strlen(err);

		if (len + strlen(path) + 3 < n) {
			memmove(err + strlen(path) + 2, err, len + 1);
			memcpy(err, path, strlen(path));
			memcpy(err + strlen(path), ": ", 2);
		}
		return -1;
	}
	return 0;
}

void lesson_info_free(struct lesson_info *li)
{
	for (int i = 0; i < LESSON_NLANGS; i++) {
		free(li->title[i]);
		free(li->teaches[i]);
		li->title[i] = li->teaches[i] = NULL;
	}
}
