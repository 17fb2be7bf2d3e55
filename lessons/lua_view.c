/* SPDX-License-Identifier: MIT */
/*
 * lua_view.c - what a lesson can look at in a Sim, without changing it.
 *
 *   s:cpu_byte(addr [, cpu]), s:cpu_bytes(addr, n [, cpu])   what a CPU read returns now
 *   s:mem_byte(addr), s:mem_bytes(addr, n)                   what memory holds
 *   s:line(addr [, cpu])      the cache line holding addr: nil when not cached,
 *                             else {state = "clean" | "dirty", addr =, speculative =}
 *   s:ctrl("dev")             the system DMA controller's buffer:
 *                             {dir = "FROM_DEVICE" | "TO_DEVICE" | "NONE", bytes = {...}}
 *   s:posted("dev")           posted writes not yet in memory: {bytes = {...}}
 *   s:mappings()              live mappings: {{kind=, dev=, dir=, owner=, addr=, bus=, len=}}
 */
#include <stdlib.h>

#include "lua-local.h"

#define VIEW_MAX 4096             /* bytes one view call returns at most */

static unsigned cpu_arg(lua_State *L, struct lb_sim *s, int idx)
{
	lua_Integer cpu = luaL_optinteger(L, idx, 0);

	if (cpu < 0 || (uint32_t)cpu >= s->own.plat.ncpus)
		luaL_error(L, "no CPU %I (the platform has %d)", cpu, (int)s->own.plat.ncpus);
	return (unsigned)cpu;
}

static size_t len_arg(lua_State *L, int idx)
{
	uint64_t n = lb_uint(L, idx);

	if (!n || n > VIEW_MAX)
		luaL_error(L, "a view covers 1 to %d bytes", VIEW_MAX);
	return (size_t)n;
}

static int bytes_view(lua_State *L, int cpu_view, size_t n, int one)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	uint64_t addr = lb_uint(L, 2);
	uint8_t buf[VIEW_MAX];
	int r;

	if (cpu_view)
		r = coh_sim_cpu_view(s->sim, cpu_arg(L, s, one ? 3 : 4), addr, n, buf, NULL);
	else
		r = coh_sim_mem_read(s->sim, addr, n, buf, NULL);
	if (r < 0)
		luaL_error(L, "cannot view 0x%I: %s", (lua_Integer)addr, coh_strerror(r));
	if (one)
		lua_pushinteger(L, buf[0]);
	else
		lb_push_bytes(L, buf, n);
	return 1;
}

static int l_cpu_byte(lua_State *L)  { return bytes_view(L, 1, 1, 1); }
static int l_cpu_bytes(lua_State *L) { return bytes_view(L, 1, len_arg(L, 3), 0); }
static int l_mem_byte(lua_State *L)  { return bytes_view(L, 0, 1, 1); }
static int l_mem_bytes(lua_State *L) { return bytes_view(L, 0, len_arg(L, 3), 0); }

static const char *const line_states[] = { "invalid", "clean", "dirty" };

static int l_line(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	uint64_t addr = lb_uint(L, 2);
	unsigned cpu = cpu_arg(L, s, 3), set, way;
	struct coh_line_view v;

	if (coh_sim_cache_lookup(s->sim, cpu, addr, &set, &way) <= 0 ||
	    coh_sim_cache_line(s->sim, cpu, set, way, &v, NULL, NULL, NULL) < 0 ||
	    v.state == COH_LINE_INVALID) {
		lua_pushnil(L);
		return 1;
	}
	lua_newtable(L);
	lb_set_str(L, "state", line_states[v.state < 3 ? v.state : 0]);
	lb_set_int(L, "addr", (lua_Integer)v.addr);
	lb_set_bool(L, "speculative", v.speculative);
	return 1;
}

static unsigned dev_arg(lua_State *L, struct lb_sim *s, int idx)
{
	const char *name = luaL_checkstring(L, idx);
	int d = coh_platform_find_dev(&s->own.plat, name);

	if (d < 0)
		luaL_error(L, "no device '%s' on platform %s", name, s->own.plat.name);
	return (unsigned)d;
}

static void push_held(lua_State *L, const struct coh_held_byte *h, long n)
{
	lua_createtable(L, (int)n, 0);
	for (long i = 0; i < n; i++) {
		lua_pushinteger(L, h[i].value);
		lua_rawseti(L, -2, i + 1);
	}
}

static int held_view(lua_State *L, int ctrl)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	unsigned dev = dev_arg(L, s, 2);
	struct coh_held_byte *h = lua_newuserdatauv(L, VIEW_MAX * sizeof(*h), 0);
	int dir = COH_DIR_NONE;
	long n = ctrl ? coh_sim_ctrl_view(s->sim, dev, h, VIEW_MAX, &dir)
		      : coh_sim_posted_view(s->sim, dev, h, VIEW_MAX);

	if (n < 0)
		luaL_error(L, "cannot view device '%s': %s", lua_tostring(L, 2),
			   coh_strerror((int)n));
	lua_newtable(L);
	push_held(L, h, n < VIEW_MAX ? n : VIEW_MAX);
	lua_setfield(L, -2, "bytes");
	if (ctrl)
		lb_set_str(L, "dir", coh_dir_name((unsigned)dir));
	return 1;
}

static int l_ctrl(lua_State *L)   { return held_view(L, 1); }
static int l_posted(lua_State *L) { return held_view(L, 0); }

static const char *const map_kinds[] = {
	"stream", "sg", "coherent", "pages", "resource", "common", "transfer", "win_sg"
};
static const char *const owners[] = { "cpu", "device", "mixed" };

static int l_mappings(lua_State *L)
{
	struct lb_sim *s = lb_sim_live(L, 1);
	size_t n = coh_sim_nmappings(s->sim);
	struct coh_map_view v;

	lua_newtable(L);
	for (size_t i = 0; i < n; i++) {
		if (coh_sim_mapping(s->sim, i, &v, NULL, 0) < 0)
			break;
		lua_newtable(L);
		lb_set_str(L, "kind", map_kinds[v.kind < 8 ? v.kind : 0]);
		lb_set_str(L, "dev", v.dev < s->own.plat.ndevs ? s->own.plat.devs[v.dev].name : "?");
		lb_set_str(L, "dir", coh_dir_name(v.dir));
		lb_set_str(L, "owner", owners[v.owner < 3 ? v.owner : 2]);
		lb_set_int(L, "addr", (lua_Integer)v.addr);
		lb_set_int(L, "bus", (lua_Integer)v.bus);
		lb_set_int(L, "len", (lua_Integer)v.len);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const luaL_Reg views[] = {
	{ "cpu_byte", l_cpu_byte }, { "cpu_bytes", l_cpu_bytes }, { "mem_byte", l_mem_byte },
	{ "mem_bytes", l_mem_bytes }, { "line", l_line }, { "ctrl", l_ctrl },
	{ "posted", l_posted }, { "mappings", l_mappings }, { NULL, NULL }
};

void lb_open_view(lua_State *L)
{
	lb_sim_methods(L);
	luaL_setfuncs(L, views, 0);
	lua_pop(L, 1);
}
