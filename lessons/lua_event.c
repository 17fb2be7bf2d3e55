/* SPDX-License-Identifier: MIT */
/*
 * lua_event.c - a lesson's event table as one line of the .dmt format.
 *
 * A lesson writes { "dma_map", dev = "eth0", addr = 0x80000, bus = 0x80000,
 * len = 2048, dir = "FROM_DEVICE" }: the keys are the fields of the .dmt
 * format (docs/trace-format.md section 3), so the line built here goes
 * through the same parser, checks and messages as a file's.  Values:
 * integers (addresses written in hexadecimal), booleans (TRUE/FALSE: the
 * Windows BOOLEAN parameters and the flags), strings (names, directions,
 * statuses, text; data= as hexadecimal digits), seg= as {PHYS, BUS, LEN}
 * or a list of them (false or "-" for an unknown address), data= also as a
 * list of byte values.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lua-local.h"

#define LINE_MAX_BYTES (256u << 10)

/* the line being built, in a userdata so that a Lua error frees it */
struct sb {
	lua_State *L;
	char *p;
	size_t len;
};

static void sb_add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, LINE_MAX_BYTES - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= LINE_MAX_BYTES - b->len)
		luaL_error(b->L, "event longer than %d KiB", (int)(LINE_MAX_BYTES >> 10));
	b->len += (size_t)n;
}

static int is_addr_key(const char *k)
{
	return !strcmp(k, "addr") || !strcmp(k, "bus") || !strcmp(k, "handle") ||
	       !strcmp(k, "irp");
}

static void add_number(lua_State *L, struct sb *b, int idx, const char *key, int hex)
{
	int exact = 0;
	lua_Integer v = lua_tointegerx(L, idx, &exact);   /* 2.0 is 2; 0.5 is not */

	if (!exact)
		luaL_error(L, "%s=%s: an integer expected", key, lua_tostring(L, idx));
	if (hex && v >= 0)
		sb_add(b, "0x%llx", (unsigned long long)v);
	else
		sb_add(b, "%lld", (long long)v);
}

static int bare_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '#' || *s == '"' || *s == '=' || *s == 0x7f)
			return 0;
	return 1;
}

static void add_string(struct sb *b, const char *s)
{
	if (bare_word(s)) {
		sb_add(b, "%s", s);
		return;
	}
	sb_add(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_add(b, "\\%c", c);
		else if (c < ' ' || c == 0x7f)
			sb_add(b, "\\x%02x", c);
		else
			sb_add(b, "%c", c);
	}
	sb_add(b, "\"");
}

/* one part of a segment: an address or length, or "-" */
static void add_seg_part(lua_State *L, struct sb *b, int idx, int part)
{
	int t = lua_geti(L, idx, part);

	if (t == LUA_TNUMBER) {
		add_number(L, b, lua_gettop(L), "seg", part < 3);
		lua_pop(L, 1);
		return;
	}
	if (part < 3 && (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) ||
			 (t == LUA_TSTRING && !strcmp(lua_tostring(L, -1), "-")))) {
		lua_pop(L, 1);
		sb_add(b, "-");
		return;
	}
	luaL_error(L, "seg= takes {PHYS, BUS, LEN} (false or \"-\" for an unknown address)");
}

static void add_seg(lua_State *L, struct sb *b, int idx)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		sb_add(b, " seg=%s", lua_tostring(L, idx));
		return;
	}
	luaL_checktype(L, idx, LUA_TTABLE);
	sb_add(b, " seg=");
	for (int part = 1; part <= 3; part++) {
		if (part > 1)
			sb_add(b, ",");
		add_seg_part(L, b, idx, part);
	}
}

/* seg= is one segment, or a list of them */
static void add_segs(lua_State *L, struct sb *b, int idx)
{
	int t = lua_type(L, idx) == LUA_TTABLE ? lua_geti(L, idx, 1) : LUA_TNONE;

	if (t != LUA_TNONE)
		lua_pop(L, 1);
	if (t != LUA_TTABLE && t != LUA_TSTRING) {
		add_seg(L, b, idx);
		return;
	}
	for (lua_Integer i = 1; lua_geti(L, idx, i) != LUA_TNIL; i++) {
		add_seg(L, b, lua_gettop(L));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static void add_data_list(lua_State *L, struct sb *b, int idx)
{
	for (lua_Integer i = 1; lua_geti(L, idx, i) != LUA_TNIL; i++) {
		lua_Integer v = lua_tointeger(L, -1);

		if (!lua_isinteger(L, -1) || v < 0 || v > 255)
			luaL_error(L, "data= item %I is not a byte (0..255)", i);
		sb_add(b, "%02x", (unsigned)v);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* " key=value" for the value at the top (the key below it) */
static void add_field(lua_State *L, struct sb *b, const char *key)
{
	int top = lua_gettop(L);

	if (!strcmp(key, "seg")) {
		add_segs(L, b, top);
		return;
	}
	sb_add(b, " %s=", key);
	switch (lua_type(L, top)) {
	case LUA_TBOOLEAN:
		sb_add(b, "%s", lua_toboolean(L, top) ? "TRUE" : "FALSE");
		break;
	case LUA_TNUMBER:
		add_number(L, b, top, key, is_addr_key(key));
		break;
	case LUA_TSTRING:
		add_string(b, lua_tostring(L, top));
		break;
	case LUA_TTABLE:
		if (!strcmp(key, "data")) {
			add_data_list(L, b, top);
			break;
		}
		/* fall through */
	default:
		luaL_error(L, "%s= cannot be a %s", key, luaL_typename(L, top));
	}
}

const char *lb_event_line(lua_State *L, int idx, const char *kind)
{
	struct sb b = { L, NULL, 0 };

	idx = lua_absindex(L, idx);
	luaL_checktype(L, idx, LUA_TTABLE);
	if (!kind) {
		lua_geti(L, idx, 1);
		kind = lua_tostring(L, -1);
		if (!kind)
			luaL_error(L, "an event table starts with its kind: {\"cpu_read\", addr=..., len=...}");
		lua_pop(L, 1);       /* the table still holds the string */
	}
	b.p = lua_newuserdatauv(L, LINE_MAX_BYTES, 0);
	sb_add(&b, "%s", kind);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) == LUA_TSTRING)
			add_field(L, &b, lua_tostring(L, -2));
		else if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) != 1)
			luaL_error(L, "%s: event fields are named (key=value)", kind);
		lua_pop(L, 1);
	}
	lua_pushlstring(L, b.p, b.len);
	lua_remove(L, -2);
	return lua_tostring(L, -1);
}
