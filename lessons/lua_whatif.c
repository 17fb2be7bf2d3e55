/* SPDX-License-Identifier: MIT */
/*
 * lua_whatif.c - WhatIf: the what-if API (engine/coh_whatif.h) over what a
 * Sim recorded, and the questions lessons ask of it.
 *
 *   local w = s:whatif()        an edit list over the events s applied so far
 *   w:omit(n)                   leave event n out
 *   w:insert(n, {"KeFlushIoBuffers", ...})   apply an event just before event n
 *   w:platform(p)               the whole run on another platform (or preset name)
 *   w:undo(), w:redo(), w:clear(), w:close()
 *   w:diff()                    {added = {Finding...}, removed = {...},
 *                                added_ids = {"DC001"}, removed_ids = {...},
 *                                diverge = n | nil, rejoin = n | nil}
 *   s:omissions()               one row per maintenance call, each left out in
 *                               turn: {{at = n, kind = "KeFlushIoBuffers",
 *                               line = "...", added = {"DC001"}, removed = {...}}}
 *   s:on(p)                     a new Sim replaying s's events on platform p
 *   s:breaks_on([presets] [, id]) the presets (default: all) on which s's events
 *                               give a DC001-DC012 finding (or finding @id)
 */
#include <stdio.h>
#include <string.h>

#include "coh_run.h"
#include "coh_whatif.h"
#include "lua-local.h"
#include "trace.h"

struct lb_whatif {
	struct lb_owner own;         /* own.plat: the recorded run's platform */
	struct coh_log *log;         /* a copy of the Sim's record */
	struct coh_timeline *tl;     /* the recorded run */
	struct coh_whatif *w;
};

static int l_close(lua_State *L)
{
	struct lb_whatif *x = luaL_checkudata(L, 1, LB_WHATIF);

	x->own.open = 0;
	coh_whatif_free(x->w);
	coh_timeline_free(x->tl);
	coh_log_free(x->log);
	x->w = NULL;
	x->tl = NULL;
	x->log = NULL;
	return 0;
}

static struct coh_log *copy_log(const struct coh_log *from)
{
	struct coh_log *to = coh_log_new();
	struct coh_event ev;

	for (uint64_t i = 0; to && i < coh_log_count(from); i++)
		if (coh_log_get(from, i, &ev) < 0 || coh_log_append(to, &ev) < 0) {
			coh_log_free(to);
			return NULL;
		}
	return to;
}

/* push a WhatIf over the Sim at 1 */
static struct lb_whatif *push_whatif(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	struct lb_whatif *x = lua_newuserdatauv(L, sizeof(*x), 0);
	struct coh_source src;
	int err = -COH_E_NOMEM;

	memset(x, 0, sizeof(*x));
	luaL_setmetatable(L, LB_WHATIF);
	x->own.what = "what-if";
	x->own.plat = s->own.plat;
	x->log = copy_log(s->log);
	if (x->log) {
		src = coh_log_source(x->log);
		x->tl = coh_timeline_new(&x->own.plat, &src, NULL, &err);
	}
	if (x->tl)
		x->w = coh_whatif_new(x->tl, &err);
	if (!x->w)
		luaL_error(L, "cannot make a what-if: %s", coh_strerror(err));
	x->own.open = 1;
	return x;
}

static int l_whatif(lua_State *L)
{
	push_whatif(L);
	return 1;
}

static struct lb_whatif *live(lua_State *L)
{
	return (struct lb_whatif *)lb_owner_live(L, 1, LB_WHATIF, "what-if");
}

static uint64_t event_arg(lua_State *L, struct lb_whatif *x, int idx, int end_ok)
{
	lua_Integer n = luaL_checkinteger(L, idx);
	lua_Integer count = (lua_Integer)coh_log_count(x->log);

	if (n < 1 || n > count + (end_ok ? 1 : 0))
		luaL_error(L, "no event %I (the run has %I)", n, count);
	return (uint64_t)n - 1;
}

static void add_edit(lua_State *L, struct lb_whatif *x, const struct coh_edit *e)
{
	if (coh_whatif_add(x->w, e) < 0)
		luaL_error(L, "what-if: %s", coh_whatif_errmsg(x->w));
}

static int l_omit(lua_State *L)
{
	struct lb_whatif *x = live(L);
	struct coh_edit e = { .op = COH_EDIT_DELETE };

	e.at = event_arg(L, x, 2, 0);
	add_edit(L, x, &e);
	return 0;
}

struct insert_ctx {
	struct coh_whatif *w;
	uint64_t at;
};

static int insert_one(void *ctx, const struct coh_event *ev)
{
	struct insert_ctx *c = ctx;
	struct coh_edit e = { .op = COH_EDIT_INSERT, .at = c->at, .ev = *ev };

	return coh_whatif_add(c->w, &e);
}

static int l_insert(lua_State *L)
{
	struct lb_whatif *x = live(L);
	struct insert_ctx c = { x->w, event_arg(L, x, 2, 1) };
	const char *line = lua_type(L, 3) == LUA_TSTRING ? lua_tostring(L, 3)
							: lb_event_line(L, 3, NULL);
	char msg[512] = "";

	if (trace_event_parse(line, &x->own.plat, "event", 1, insert_one, &c, msg,
			      sizeof(msg)) < 0)
		luaL_error(L, "what-if: %s (the event: %s)",
			   msg[0] ? msg : coh_whatif_errmsg(x->w), line);
	return 0;
}

static int l_platform(lua_State *L)
{
	struct lb_whatif *x = live(L);
	struct coh_platform p;
	struct coh_edit e = { .op = COH_EDIT_PLATFORM, .plat = &p };

	lb_platform_arg(L, 2, &x->own.plat, &p);
	add_edit(L, x, &e);
	return 0;
}

static int l_undo(lua_State *L)
{
	lua_pushboolean(L, coh_whatif_undo(live(L)->w));
	return 1;
}

static int l_redo(lua_State *L)
{
	lua_pushboolean(L, coh_whatif_redo(live(L)->w));
	return 1;
}

static int l_clear(lua_State *L)
{
	coh_whatif_clear(live(L)->w);
	return 0;
}

static void run_diff(lua_State *L, struct lb_whatif *x, struct coh_run_diff *d)
{
	if (coh_whatif_diff(x->w, d) < 0)
		luaL_error(L, "what-if: %s", coh_whatif_errmsg(x->w));
}

static void push_findings(lua_State *L, const struct coh_finding *f, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lb_finding_push(L, 1, &f[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void set_pos(lua_State *L, const char *k, uint64_t pos)
{
	if (pos != COH_SEQ_NONE)
		lb_set_int(L, k, (lua_Integer)pos + 1);
}

static int l_diff(lua_State *L)
{
	struct lb_whatif *x = live(L);
	struct coh_run_diff d;

	run_diff(L, x, &d);
	lua_newtable(L);
	push_findings(L, d.added, d.nadded);
	lua_setfield(L, -2, "added");
	push_findings(L, d.removed, d.nremoved);
	lua_setfield(L, -2, "removed");
	lb_finding_ids(L, d.added, d.nadded, sizeof(*d.added));
	lua_setfield(L, -2, "added_ids");
	lb_finding_ids(L, d.removed, d.nremoved, sizeof(*d.removed));
	lua_setfield(L, -2, "removed_ids");
	set_pos(L, "diverge", d.diverge);
	set_pos(L, "rejoin", d.rejoin);
	coh_run_diff_free(&d);
	return 1;
}

static void push_row(lua_State *L, struct lb_whatif *x, uint64_t at, struct coh_event *ev)
{
	struct coh_edit e = { .op = COH_EDIT_DELETE, .at = at };
	struct coh_run_diff d;
	char line[1024], err[256];

	coh_whatif_clear(x->w);
	add_edit(L, x, &e);
	run_diff(L, x, &d);
	lua_newtable(L);
	lb_set_int(L, "at", (lua_Integer)at + 1);
	lb_set_str(L, "kind", coh_kind_name(ev->kind));
	ev->src = 0;                 /* at says where it is: no src= */
	if (trace_event_format(ev, &x->own.plat, line, sizeof(line), err, sizeof(err)) < 0)
		coh_event_describe(ev, &x->own.plat, line, sizeof(line));
	lb_set_str(L, "line", line);
	lb_finding_ids(L, d.added, d.nadded, sizeof(*d.added));
	lua_setfield(L, -2, "added");
	lb_finding_ids(L, d.removed, d.nremoved, sizeof(*d.removed));
	lua_setfield(L, -2, "removed");
	coh_run_diff_free(&d);
}

static int l_omissions(lua_State *L)
{
	struct lb_whatif *x;
	struct coh_event ev;
	lua_Integer k = 0;

	x = push_whatif(L);
	lua_replace(L, 1);           /* the rows' findings would belong to it */
	lua_newtable(L);
	for (uint64_t i = 0; i < coh_log_count(x->log); i++) {
		if (coh_log_get(x->log, i, &ev) < 0 || !coh_kind_is_maintenance(ev.kind))
			continue;
		push_row(L, x, i, &ev);
		lua_rawseti(L, -2, ++k);
	}
	return 1;
}

static int l_on(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	struct coh_platform p;

	lb_platform_arg(L, 2, &s->own.plat, &p);
	lb_sim_push_new(L, &p, coh_sim_flags(s->sim));
	lb_sim_replay(L, lua_gettop(L), s->log);
	return 1;
}

/* 1 when @log replayed on @p gives an error finding (@fid 0), or finding
 * @fid; -1 when it cannot run */
static int breaks(const struct coh_log *log, const struct coh_platform *p, int fid)
{
	struct coh_log *copy = (struct coh_log *)log;
	struct coh_source src = coh_log_source(copy);
	struct coh_sim *sim = coh_sim_new(p, 0, NULL);
	int r = sim ? coh_run(sim, &src, 0, UINT64_MAX, NULL, NULL) : -1;

	for (size_t i = 0; r >= 0 && i < coh_sim_nfindings(sim); i++)
		if (fid ? (int)coh_sim_finding(sim, i)->id == fid
			: coh_fid_is_error(coh_sim_finding(sim, i)->id))
			r = 1;
	coh_sim_free(sim);
	return r < 0 ? -1 : r == 1;
}

static void breaks_on_one(lua_State *L, struct lb_sim *s, const char *name, int fid,
			  lua_Integer *k)
{
	struct coh_platform p;

	lua_pushstring(L, name);
	lb_platform_arg(L, -1, &s->own.plat, &p);
	lua_pop(L, 1);
	if (breaks(s->log, &p, fid) > 0) {
		lua_pushstring(L, name);
		lua_rawseti(L, -2, ++*k);
	}
}

static int l_breaks_on(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	const char *name;
	lua_Integer k = 0;
	int fid = 0;

	if (!lua_isnoneornil(L, 3)) {
		fid = coh_fid_lookup(luaL_checkstring(L, 3));
		if (!fid)
			return luaL_error(L, "breaks_on: no finding '%s'", lua_tostring(L, 3));
	}
	lua_settop(L, 2);            /* the list asked for, or nil, stays at 2 */
	lua_newtable(L);
	if (lua_istable(L, 2)) {
		for (lua_Integer i = 1; lua_geti(L, 2, i) == LUA_TSTRING; i++) {
			name = lua_tostring(L, -1);
			lua_pop(L, 1);
			breaks_on_one(L, s, name, fid, &k);
		}
		lua_pop(L, 1);
		return 1;
	}
	for (unsigned i = 0; (name = coh_platform_preset_at(i, NULL)); i++)
		breaks_on_one(L, s, name, fid, &k);
	return 1;
}

static const luaL_Reg whatif_methods[] = {
	{ "omit", l_omit }, { "insert", l_insert }, { "platform", l_platform },
	{ "undo", l_undo }, { "redo", l_redo }, { "clear", l_clear }, { "diff", l_diff },
	{ "close", l_close }, { NULL, NULL }
};

static const luaL_Reg sim_methods[] = {
	{ "whatif", l_whatif }, { "omissions", l_omissions }, { "on", l_on },
	{ "breaks_on", l_breaks_on }, { NULL, NULL }
};

static const luaL_Reg meta[] = { { "__gc", l_close }, { NULL, NULL } };

void lb_open_whatif(lua_State *L)
{
	lb_new_type(L, LB_WHATIF, meta, NULL);
	luaL_getmetatable(L, LB_WHATIF);
	luaL_newlib(L, whatif_methods);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	lb_sim_methods(L);
	luaL_setfuncs(L, sim_methods, 0);
	lua_pop(L, 1);
}
