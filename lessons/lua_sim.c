/* SPDX-License-Identifier: MIT */
/*
 * lua_sim.c - Sim: a simulation on a platform, and the events a lesson
 * applies to it.
 *
 *   local s = dma.sim(p)                 or dma.sim("x86"), dma.sim(p, {strict = true})
 *   s:cpu_write{addr = 0x1000, len = 64}                   any event kind as a method,
 *   s:dma_map{dev = "eth0", addr = 0x1000, bus = 0x1000,   its fields those of a .dmt
 *             len = 64, dir = "FROM_DEVICE"}                line (lua_event.c)
 *   s:apply{"KeFlushIoBuffers", dev = "nic", ...}          the kind as the first item
 *   s:apply("dev_write dev=nic addr=0x1000 len=64")        or a .dmt line itself
 *   s:count(), s:event(n), s:events()    the record: what was applied, as .dmt lines
 *   s:findings(), s:errors()             Findings; the distinct error ids
 *   s:platform(), s:last_result(), s:stale_reads(), s:close()
 *
 * Each call returns the event's number (1-based, as in s:event(n)).  A
 * rejected event raises a Lua error at the lesson's line; the simulation is
 * unchanged.  Views are lua_view.c, what-ifs lua_whatif.c.
 */
#include <stdio.h>
#include <string.h>

#include "lua-local.h"
#include "trace.h"

#define LESSON_MEM_BYTES    (64ull << 20)
#define LESSON_MAPPED_BYTES (64ull << 20)
#define LESSON_EVENT_BYTES  (1ull << 20)

void lb_sim_methods(lua_State *L)
{
	luaL_getmetatable(L, LB_SIM);
	lua_getfield(L, -1, "methods");
	lua_remove(L, -2);
}

struct lb_sim *lb_sim_push_new(lua_State *L, const struct coh_platform *p, unsigned flags)
{
	struct lb_sim *s = lua_newuserdatauv(L, sizeof(*s), 0);
	struct coh_sim_limits lim = { LESSON_MEM_BYTES, LESSON_MAPPED_BYTES, LESSON_EVENT_BYTES };
	char msg[256];
	int err = 0;

	memset(s, 0, sizeof(*s));
	luaL_setmetatable(L, LB_SIM);
	if (coh_platform_check(p, msg, sizeof(msg)) < 0)
		luaL_error(L, "platform %s: %s", p->name, msg);
	s->own.what = "simulation";
	s->own.plat = *p;
	s->sim = coh_sim_new(p, flags, &err);
	s->log = coh_log_new();
	if (!s->sim || !s->log)
		luaL_error(L, "cannot make a simulation: %s", coh_strerror(err ? err : -COH_E_NOMEM));
	coh_sim_set_limits(s->sim, &lim);
	s->own.open = 1;
	return s;
}

void lb_sim_set_current(lua_State *L, int idx)
{
	lua_pushvalue(L, idx);
	lua_setfield(L, LUA_REGISTRYINDEX, LB_CURRENT_SIM);
}

struct apply_ctx {
	struct lb_sim *s;
	char msg[512];
};

static int apply_one(void *ctx, const struct coh_event *ev)
{
	struct apply_ctx *a = ctx;
	struct coh_event e = *ev;
	int r;

	e.src = coh_log_count(a->s->log);
	r = coh_sim_apply(a->s->sim, &e);
	if (r < 0) {
		snprintf(a->msg, sizeof(a->msg), "%s", coh_sim_errmsg(a->s->sim)[0] ?
			 coh_sim_errmsg(a->s->sim) : coh_strerror(r));
		return r;
	}
	if (coh_log_append(a->s->log, &e) < 0) {
		snprintf(a->msg, sizeof(a->msg), "out of memory");
		return -COH_E_NOMEM;
	}
	return 0;
}

/* the parser's "event:1:23: " prefix says nothing to a lesson's author */
static const char *strip_where(const char *msg)
{
	const char *p = msg;

	if (strncmp(p, "event:", 6))
		return msg;
	for (int colons = 0; *p && colons < 3; p++)
		colons += *p == ':';
	return *p == ' ' ? p + 1 : p;
}

lua_Integer lb_sim_apply_line(lua_State *L, int idx, const char *line)
{
	struct lb_sim *s = lb_sim_live(L, idx);
	struct apply_ctx a = { s, "" };

	if (trace_event_parse(line, &s->own.plat, "event", 1, apply_one, &a, a.msg,
			      sizeof(a.msg)) < 0)
		luaL_error(L, "%s (the event: %s)", strip_where(a.msg), line);
	return (lua_Integer)coh_log_count(s->log);
}

void lb_sim_replay(lua_State *L, int idx, const struct coh_log *log)
{
	struct lb_sim *s = lb_sim_live(L, idx);
	struct coh_event ev;
	char msg[256];

	for (uint64_t i = 0; i < coh_log_count(log); i++) {
		if (coh_log_get(log, i, &ev) < 0)
			break;
		struct apply_ctx a = { s, "" };

		if (apply_one(&a, &ev) < 0) {
			coh_event_describe(&ev, &s->own.plat, msg, sizeof(msg));
			luaL_error(L, "event %I (%s): %s", (lua_Integer)i + 1, msg, a.msg);
		}
	}
}

static int l_sim(lua_State *L)
{
	struct coh_platform p;
	unsigned flags = 0;

	lb_platform_arg(L, 1, NULL, &p);
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "strict");
		flags |= lua_toboolean(L, -1) ? COH_SIM_STRICT : 0;
		lua_pop(L, 1);
	}
	lb_sim_push_new(L, &p, flags);
	lb_sim_set_current(L, -1);
	return 1;
}

static int l_apply(lua_State *L)
{
	const char *line = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2)
							: lb_event_line(L, 2, NULL);

	lb_sim_live(L, 1);
	lua_pushinteger(L, lb_sim_apply_line(L, 1, line));
	return 1;
}

/* s:KIND{...}: the closure __index hands out, the kind in its upvalue */
static int l_kind(lua_State *L)
{
	const char *kind = lua_tostring(L, lua_upvalueindex(1));
	const char *line;

	lb_sim_live(L, 1);
	if (lua_isnoneornil(L, 2)) {
		lua_settop(L, 1);    /* s:trace_end() takes no fields */
		lua_newtable(L);
	}
	line = lb_event_line(L, 2, kind);
	lua_pushinteger(L, lb_sim_apply_line(L, 1, line));
	return 1;
}

static int l_count(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)coh_log_count(lb_sim_live(L, 1)->log));
	return 1;
}

/* push event i (0-based) of @s as a .dmt line */
static void push_line(lua_State *L, struct lb_sim *s, uint64_t i)
{
	struct coh_event ev;
	char line[1024], err[256];

	if (coh_log_get(s->log, i, &ev) < 0)
		luaL_error(L, "no event %I", (lua_Integer)i + 1);
	ev.src = 0;                  /* its number says where it is: no src= */
	if (trace_event_format(&ev, &s->own.plat, line, sizeof(line), err, sizeof(err)) < 0)
		coh_event_describe(&ev, &s->own.plat, line, sizeof(line));
	lua_pushstring(L, line);
}

static int l_event(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);

	if (n < 1 || (uint64_t)n > coh_log_count(s->log))
		luaL_error(L, "no event %I (the simulation has %I)", n,
			   (lua_Integer)coh_log_count(s->log));
	push_line(L, s, (uint64_t)n - 1);
	return 1;
}

static int l_events(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	uint64_t from = (uint64_t)luaL_optinteger(L, 2, 1);
	uint64_t n = coh_log_count(s->log);

	lua_newtable(L);
	for (uint64_t i = from ? from - 1 : 0; i < n; i++) {
		push_line(L, s, i);
		lua_rawseti(L, -2, (lua_Integer)(i - (from ? from - 1 : 0)) + 1);
	}
	return 1;
}

static int l_findings(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	size_t n = coh_sim_nfindings(s->sim);

	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lb_finding_push(L, 1, coh_sim_finding(s->sim, i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int l_errors(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	size_t n = coh_sim_nfindings(s->sim);

	lb_finding_ids(L, n ? coh_sim_finding(s->sim, 0) : NULL, n, sizeof(struct coh_finding));
	return 1;
}

static int l_platform_of(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	struct coh_platform *p = lua_newuserdatauv(L, sizeof(*p), 0);

	*p = s->own.plat;
	luaL_setmetatable(L, LB_PLATFORM);
	return 1;
}

static int l_last_result(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)coh_sim_last_result(lb_sim_live(L, 1)->sim));
	return 1;
}

static int l_stale_reads(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)coh_sim_stale_reads(lb_sim_live(L, 1)->sim));
	return 1;
}

static int l_close(lua_State *L)
{
	struct lb_sim *s = luaL_checkudata(L, 1, LB_SIM);

	s->own.open = 0;
	coh_sim_free(s->sim);
	coh_log_free(s->log);
	s->sim = NULL;
	s->log = NULL;
	return 0;
}

static int l_index(lua_State *L)
{
	const char *k = luaL_checkstring(L, 2);

	luaL_getmetafield(L, 1, "methods");
	if (lua_getfield(L, -1, k) != LUA_TNIL)
		return 1;
	if (coh_kind_lookup(k) < 0)
		return luaL_error(L, "Sim has no method '%s' (an event kind, or see docs/lessons.md)",
				  k);
	lua_pushstring(L, k);
	lua_pushcclosure(L, l_kind, 1);
	return 1;
}

static int l_tostring(lua_State *L)
{
	struct lb_sim *s = luaL_checkudata(L, 1, LB_SIM);

	if (!s->own.open)
		lua_pushliteral(L, "Sim (closed)");
	else
		lua_pushfstring(L, "Sim on %s, %I events", s->own.plat.name,
				(lua_Integer)coh_log_count(s->log));
	return 1;
}

static const luaL_Reg methods[] = {
	{ "apply", l_apply }, { "count", l_count }, { "event", l_event },
	{ "events", l_events }, { "findings", l_findings }, { "errors", l_errors },
	{ "platform", l_platform_of }, { "last_result", l_last_result },
	{ "stale_reads", l_stale_reads }, { "close", l_close }, { NULL, NULL }
};

static const luaL_Reg meta[] = {
	{ "__index", l_index }, { "__gc", l_close }, { "__tostring", l_tostring },
	{ NULL, NULL }
};

void lb_open_sim(lua_State *L)
{
	lb_new_type(L, LB_SIM, meta, methods);
	lua_pushcfunction(L, l_sim);
	lua_setfield(L, -2, "sim");
}
