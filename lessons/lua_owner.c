/* SPDX-License-Identifier: MIT */
/*
 * lua_owner.c - the objects engine state hangs from (a Sim, a WhatIf), the
 * check every dependent object makes before it touches them, and the
 * argument and table helpers of the binding.
 */
#include "lua-local.h"

struct lb_owner *lb_owner_live(lua_State *L, int idx, const char *tname, const char *user)
{
	struct lb_owner *o = luaL_testudata(L, idx, tname);

	if (!o)
		luaL_error(L, "%s: its owner is not a %s", user, tname);
	else if (!o->open)
		luaL_error(L, "%s used after its %s was closed", user, o->what);
	return o;
}

struct lb_sim *lb_sim_live(lua_State *L, int idx)
{
	struct lb_sim *s = luaL_checkudata(L, idx, LB_SIM);

	if (!s->own.open)
		luaL_error(L, "simulation used after it was closed");
	return s;
}

void lb_new_type(lua_State *L, const char *tname, const luaL_Reg *meta,
		 const luaL_Reg *methods)
{
	luaL_newmetatable(L, tname);
	luaL_setfuncs(L, meta, 0);
	if (methods) {
		lua_newtable(L);
		luaL_setfuncs(L, methods, 0);
		lua_setfield(L, -2, "methods");
	}
	lua_pop(L, 1);
}

uint64_t lb_uint(lua_State *L, int idx)
{
	lua_Integer v = luaL_checkinteger(L, idx);

	if (v < 0)
		luaL_argerror(L, idx, "a non-negative integer expected");
	return (uint64_t)v;
}

void lb_push_bytes(lua_State *L, const uint8_t *b, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushinteger(L, b[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

void lb_set_int(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

void lb_set_str(lua_State *L, const char *k, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

void lb_set_bool(lua_State *L, const char *k, int v)
{
	lua_pushboolean(L, v);
	lua_setfield(L, -2, k);
}
