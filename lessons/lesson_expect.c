/* SPDX-License-Identifier: MIT */
/*
 * lesson_expect.c - the claims a lesson makes and the checker asserts:
 *
 *   { expect = {"DC001"} }                    the error findings (DC001-DC012)
 *   { expect = {{id = "DC001", at = 7}} }     of the current simulation, by id,
 *   { expect = {} }                           optionally at an event; {} = none
 *   { omissions = {{call = "KeFlushIoBuffers", gives = {"DC001"}},
 *                  {call = "FlushAdapterBuffers", at = 5, gives = {}}} }
 *                                             leaving the call out (each one of
 *                                             that kind, or the one at event n)
 *                                             adds exactly these error findings
 *
 * The omission rows go to the ui as lines (the matrix a screen shows).
 */
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "lesson-local.h"
#include "lua-local.h"

/* the current Sim (pushed), or a Lua error */
static struct lb_sim *current(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, LB_CURRENT_SIM);
	if (!luaL_testudata(L, -1, LB_SIM))
		luaL_error(L, "no simulation yet (a run step makes one with dma.sim or dma.load)");
	return lb_sim_live(L, -1);
}

/* a list of ids ("DC001" or {id = "DC001"}) as a bit mask of enum coh_fid */
static uint32_t ids_mask(lua_State *L, int idx)
{
	uint32_t m = 0;

	idx = lua_absindex(L, idx);
	luaL_checktype(L, idx, LUA_TTABLE);
	for (lua_Integer i = 1; lua_geti(L, idx, i) != LUA_TNIL; i++) {
		int fid;

		if (lua_istable(L, -1))
			lua_getfield(L, -1, "id");
		else
			lua_pushvalue(L, -1);
		fid = lua_isstring(L, -1) ? coh_fid_lookup(lua_tostring(L, -1)) : 0;
		if (fid <= 0)
			luaL_error(L, "'%s' is not a finding id (DC001-DC013)",
				   luaL_tolstring(L, -1, NULL));
		m |= 1u << fid;
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	return m;
}

static const char *mask_text(const struct lesson_ctx *c, uint32_t m, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (unsigned id = 1; id < COH_FID_COUNT; id++)
		if (m & (1u << id))
			len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s",
						len ? ", " : "", coh_fid_code(id));
	if (!m)
		snprintf(buf, n, "%s", lesson_words(c, "none"));
	return buf;
}

static uint32_t error_mask(const struct lb_sim *s)
{
	uint32_t m = 0;

	for (size_t i = 0; i < coh_sim_nfindings(s->sim); i++) {
		const struct coh_finding *f = coh_sim_finding(s->sim, i);

		if (coh_fid_is_error(f->id) || f->id == COH_DC013)
			m |= 1u << f->id;
	}
	return m;
}

static int fired_at(const struct lb_sim *s, int fid, lua_Integer at)
{
	for (size_t i = 0; i < coh_sim_nfindings(s->sim); i++) {
		const struct coh_finding *f = coh_sim_finding(s->sim, i);

		if (f->id == fid && (lua_Integer)f->seq + 1 == at)
			return 1;
	}
	return 0;
}

/* one {id =, at =} item at @item fired there */
static void check_place(lua_State *L, struct lesson_ctx *c, const struct lb_sim *s, int item)
{
	lua_Integer at;
	const char *id;

	if (!lua_istable(L, item) || lua_getfield(L, item, "at") == LUA_TNIL)
		return;
	at = luaL_checkinteger(L, -1);
	lua_getfield(L, item, "id");
	id = luaL_checkstring(L, -1);
	if (!fired_at(s, coh_fid_lookup(id), at))
		lesson_verdict(c, "expect", 0, lesson_words(c, "no %s at event %lld"), id,
			       (long long)at);
}

static void check_places(lua_State *L, struct lesson_ctx *c, const struct lb_sim *s, int list)
{
	for (lua_Integer i = 1; lua_geti(L, list, i) != LUA_TNIL; i++) {
		int top = lua_gettop(L);

		check_place(L, c, s, top);
		lua_settop(L, top - 1);
	}
	lua_pop(L, 1);
}

void lesson_step_expect(lua_State *L, struct lesson_ctx *c)
{
	int step = lua_gettop(L);
	struct lb_sim *s = current(L);
	uint32_t want, got, dc013 = 1u << COH_DC013;
	char a[256], b[256];

	lua_getfield(L, step, "expect");
	want = ids_mask(L, -1);
	got = error_mask(s) & ~(want & dc013 ? 0 : dc013);
	lesson_verdict(c, "expect", want == got,
		       lesson_words(c, "expected %s, the engine found %s"),
		       mask_text(c, want, a, sizeof(a)), mask_text(c, got, b, sizeof(b)));
	check_places(L, c, s, lua_gettop(L));
	lua_settop(L, step);
}

/* push row @row of the matrix as a line for the ui */
static const char *row_line(lua_State *L, const struct lesson_ctx *c, int row)
{
	char ids[256] = "", line[512];
	size_t len = 0;

	lua_getfield(L, row, "added");
	for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TSTRING; i++) {
		len += (size_t)snprintf(ids + len, len < sizeof(ids) ? sizeof(ids) - len : 0,
					"%s%s", len ? ", " : "", lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
	lua_getfield(L, row, "kind");
	lua_getfield(L, row, "at");
	snprintf(line, sizeof(line), lesson_words(c, "without %s (event %lld): %s"),
		 lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?",
		 (long long)lua_tointeger(L, -1),
		 ids[0] ? ids : lesson_words(c, "nothing breaks"));
	lua_pop(L, 2);
	lua_pushstring(L, line);
	return lua_tostring(L, -1);
}

/* does the claim at @claim hold for the rows at @rows? */
static void check_claim(lua_State *L, struct lesson_ctx *c, int rows, int claim)
{
	const char *call;
	lua_Integer at;
	uint32_t want;
	int matched = 0, top = lua_gettop(L);
	char a[256], b[256];

	lua_getfield(L, claim, "call");
	call = luaL_checkstring(L, -1);
	lua_getfield(L, claim, "at");
	at = luaL_optinteger(L, -1, 0);
	lua_getfield(L, claim, "gives");
	want = ids_mask(L, -1);
	for (lua_Integer i = 1; lua_geti(L, rows, i) != LUA_TNIL; i++) {
		lua_getfield(L, -1, "kind");
		lua_getfield(L, -2, "at");
		if (!strcmp(lua_tostring(L, -2), call) && (!at || lua_tointeger(L, -1) == at)) {
			lua_getfield(L, -3, "added");
			uint32_t got = ids_mask(L, -1);

			matched = 1;
			lesson_verdict(c, "omissions", got == want,
				       lesson_words(c, "without %s (event %lld): expected %s, "
						       "the engine found %s"), call,
				       (long long)lua_tointeger(L, -2),
				       mask_text(c, want, a, sizeof(a)),
				       mask_text(c, got, b, sizeof(b)));
			lua_pop(L, 1);
		}
		lua_pop(L, 3);
	}
	lua_settop(L, top);
	if (!matched && at)
		lesson_verdict(c, "omissions", 0,
			       lesson_words(c, "the scenario has no %s at event %lld to leave out"),
			       call, (long long)at);
	else if (!matched)
		lesson_verdict(c, "omissions", 0,
			       lesson_words(c, "the scenario has no %s to leave out"), call);
}

void lesson_step_omissions(lua_State *L, struct lesson_ctx *c)
{
	int step = lua_gettop(L), rows;
	const char *lines[128];
	const char *text = "";
	size_t n = 0;

	current(L);
	lua_getfield(L, -1, "omissions");
	lua_insert(L, -2);
	lua_call(L, 1, 1);
	rows = lua_gettop(L);
	lua_newtable(L);             /* keeps the lines */
	for (lua_Integer i = 1; n < 128 && lua_geti(L, rows, i) != LUA_TNIL; i++) {
		lines[n++] = row_line(L, c, lua_gettop(L));
		lua_rawseti(L, rows + 1, i);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	if (lua_getfield(L, step, "say") != LUA_TNIL)
		text = lesson_text(L, -1, c->lang, "say");
	c->ui->show(c->ui->ctx, c->step, text, lines, n);
	lua_getfield(L, step, "omissions");
	for (lua_Integer i = 1; lua_geti(L, -1, i) != LUA_TNIL; i++) {
		check_claim(L, c, rows, lua_gettop(L));
		lua_settop(L, lua_gettop(L) - 1);
	}
	lua_settop(L, step);
}
