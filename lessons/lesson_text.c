/* SPDX-License-Identifier: MIT */
/*
 * lesson_text.c - the languages of the lessons, and a lesson's text in one
 * of them: a string (the same in every language), a table {en =, ru =,
 * zh =}, or a function returning either (a text that shows the engine's
 * bytes).
 */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lesson-local.h"

static const char *const codes[LESSON_NLANGS] = { "en", "ru", "zh" };

const char *lesson_lang_code(int lang)
{
	return lang >= 0 && lang < LESSON_NLANGS ? codes[lang] : "?";
}

int lesson_lang_lookup(const char *s)
{
	for (int i = 0; s && i < LESSON_NLANGS; i++)
		if (!strncmp(s, codes[i], 2) && (!s[2] || s[2] == '_' || s[2] == '.' ||
						 s[2] == '-' || s[2] == '@'))
			return i;
	return -1;
}

int lesson_lang_default(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return lesson_lang_lookup(v) >= 0 ? lesson_lang_lookup(v) : LESSON_EN;
	}
	return LESSON_EN;
}

const char *lesson_text(lua_State *L, int idx, int lang, const char *what)
{
	idx = lua_absindex(L, idx);
	lua_pushvalue(L, idx);
	if (lua_isfunction(L, -1))
		lua_call(L, 0, 1);
	if (lua_istable(L, -1)) {
		lua_getfield(L, -1, lesson_lang_code(lang));
		lua_remove(L, -2);
	}
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "%s has no text in '%s'", what, lesson_lang_code(lang));
	return lua_tostring(L, -1);
}
