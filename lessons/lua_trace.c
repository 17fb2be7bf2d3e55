/* SPDX-License-Identifier: MIT */
/*
 * lua_trace.c - dma.load(PATH [, PLATFORM]): a .dmt file or a capture of the
 * repository, replayed into a new Sim (which becomes the lesson's current
 * simulation).
 *
 * PATH is relative: to the lesson's directory first, then to the
 * repository's top (traces/samples/..., tests/data/captures/...).  Absolute
 * paths and ".." are refused: a lesson reads what the repository holds,
 * nothing else.  PLATFORM is a preset name or a Platform; by default the
 * file's own platform, else the default of its API (trace_platform()).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lua-local.h"
#include "trace.h"

static int resolve(lua_State *L, const char *key, const char *path, char *out, size_t n)
{
	const char *dir;
	int ok;

	lua_getfield(L, LUA_REGISTRYINDEX, key);
	dir = lua_tostring(L, -1);
	ok = dir && (size_t)snprintf(out, n, "%s/%s", dir, path) < n && access(out, R_OK) == 0;
	lua_pop(L, 1);
	return ok;
}

static void find_file(lua_State *L, const char *path, char *out, size_t n)
{
	if (path[0] == '/' || strstr(path, ".."))
		luaL_error(L, "dma.load: '%s': give a path inside the lesson's directory or the "
			   "repository, without '..'", path);
	if (!resolve(L, LB_LESSON_DIR, path, out, n) && !resolve(L, LB_REPO_DIR, path, out, n))
		luaL_error(L, "dma.load: no file '%s' in the lesson's directory or the repository",
			   path);
}

/* the trace's platform, or the one the lesson asks for (with the trace's devices) */
static void platform_of(lua_State *L, struct trace *t, struct coh_platform *p)
{
	struct coh_platform own;
	char err[256];

	if (trace_platform(t, lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL, p, err,
			   sizeof(err)) < 0)
		luaL_error(L, "dma.load: %s", err);
	if (!lua_isnil(L, 2) && lua_type(L, 2) != LUA_TSTRING) {
		own = *lb_platform_check(L, 2);
		for (unsigned i = 0; i < trace_ndevs(t); i++)
			if (coh_platform_add_dev(&own, trace_dev_name(t, i)) < 0)
				luaL_error(L, "dma.load: too many devices");
		*p = own;
	}
}

/* what l_load holds while it may raise: freed by the collector either way */
struct hold {
	struct trace *t;
	struct coh_log *log;
};

#define LB_HOLD "dmascope.TraceHold"

static int hold_gc(lua_State *L)
{
	struct hold *h = luaL_checkudata(L, 1, LB_HOLD);

	trace_close(h->t);
	coh_log_free(h->log);
	h->t = NULL;
	h->log = NULL;
	return 0;
}

static int l_load(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	char full[4096], err[512];
	struct coh_platform p;
	struct hold *h;
	struct coh_event ev;

	lua_settop(L, 2);            /* the platform, or nil, stays at 2 */
	h = lua_newuserdatauv(L, sizeof(*h), 0);
	h->t = NULL;
	h->log = coh_log_new();
	luaL_setmetatable(L, LB_HOLD);
	find_file(L, path, full, sizeof(full));
	if (!h->log || trace_open(full, NULL, &h->t, err, sizeof(err)) < 0)
		return luaL_error(L, "dma.load: %s", h->log ? err : "out of memory");
	for (uint64_t i = 0; i < trace_count(h->t); i++)
		if (trace_get(h->t, i, &ev) < 0 || coh_log_append(h->log, &ev) < 0)
			return luaL_error(L, "dma.load: %s: cannot read event %I", path,
					  (lua_Integer)i + 1);
	platform_of(L, h->t, &p);
	lb_sim_push_new(L, &p, 0);
	lb_sim_replay(L, lua_gettop(L), h->log);
	lb_sim_set_current(L, -1);
	return 1;
}

void lb_open_trace(lua_State *L)
{
	static const luaL_Reg meta[] = { { "__gc", hold_gc }, { NULL, NULL } };

	lb_new_type(L, LB_HOLD, meta, NULL);
	lua_pushcfunction(L, l_load);
	lua_setfield(L, -2, "load");
}
