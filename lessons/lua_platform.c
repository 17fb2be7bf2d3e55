/* SPDX-License-Identifier: MIT */
/*
 * lua_platform.c - Platform: the machine a lesson simulates.
 *
 *   dma.platform("arm-noncoherent")         a preset (docs/model.md section 1)
 *   dma.platform{base = "nt-busmaster", name = "mine", speculative = 1, P = 0}
 *   p.line, p.sets, p.ways, p.cpus, p.speculative, p.dma_align, p.name
 *   p.coherent, p.bounce, p.dma, p.B, p.C, p.P, p.signals_done  (the
 *                                           default device: what devices get)
 *   p:device("nic", {coherent = 0, P = 32})  add a device (returns its name)
 *   p:devices()                             their names, in table order
 *   p:settings("nic")                       one device's settings as a table
 *   p:copy()
 *   dma.presets()                           {{name=, help=}, ...}
 *
 * The names and ranges are those of a .dmt header (docs/trace-format.md
 * section 2); a Platform is checked when a simulation is made on it.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lua-local.h"

struct pfield {
	const char *key;
	int dev;                     /* 1: a field of struct coh_dev_cfg */
	size_t off;
	size_t size;                 /* 1 or 4 bytes */
};

#define PF(key, member) { key, 0, offsetof(struct coh_platform, member), \
			  sizeof(((struct coh_platform *)0)->member) }
#define DF(key, member) { key, 1, offsetof(struct coh_dev_cfg, member), \
			  sizeof(((struct coh_dev_cfg *)0)->member) }

static const struct pfield fields[] = {
	PF("line", line), PF("sets", sets), PF("ways", ways), PF("cpus", ncpus),
	PF("speculative", speculative), PF("dma_align", dma_align),
	DF("coherent", coherent), DF("bounce", bounce), DF("dma", dma_version),
	DF("B", ctrl_size), DF("C", ctrl_chunk), DF("P", posted),
	DF("signals_done", signals_done),
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const struct pfield *field_of(const char *key, int dev_only)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (!strcmp(fields[i].key, key) && (!dev_only || fields[i].dev))
			return &fields[i];
	return NULL;
}

static void *field_ptr(const struct pfield *f, struct coh_platform *p, struct coh_dev_cfg *d)
{
	return (char *)(f->dev ? (void *)d : (void *)p) + f->off;
}

static void field_get(lua_State *L, const struct pfield *f, struct coh_platform *p,
		      struct coh_dev_cfg *d)
{
	const void *v = field_ptr(f, p, d);

	lua_pushinteger(L, f->size == 1 ? *(const uint8_t *)v : *(const uint32_t *)v);
}

/* value at @idx: an integer, or a boolean for the 0/1 settings */
static void field_set(lua_State *L, const struct pfield *f, struct coh_platform *p,
		      struct coh_dev_cfg *d, int idx)
{
	void *v = field_ptr(f, p, d);
	lua_Integer x = lua_isboolean(L, idx) ? lua_toboolean(L, idx) : luaL_checkinteger(L, idx);

	if (x < 0 || x > (f->size == 1 ? 0xff : 0xffffffffLL))
		luaL_error(L, "platform field %s=%I is out of range", f->key, x);
	if (f->size == 1)
		*(uint8_t *)v = (uint8_t)x;
	else
		*(uint32_t *)v = (uint32_t)x;
}

struct coh_platform *lb_platform_check(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, LB_PLATFORM);
}

static struct coh_platform *push_platform(lua_State *L)
{
	struct coh_platform *p = lua_newuserdatauv(L, sizeof(*p), 0);

	memset(p, 0, sizeof(*p));
	luaL_setmetatable(L, LB_PLATFORM);
	return p;
}

/* t.k = v for every settings pair of the table at @idx (device ones only
 * when @d is not the platform's default) */
static void apply_settings(lua_State *L, int idx, struct coh_platform *p, struct coh_dev_cfg *d,
			   int dev_only)
{
	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		const struct pfield *f = field_of(k, dev_only);

		if (!strcmp(k, "name") && !dev_only)
			snprintf(p->name, sizeof(p->name), "%s", luaL_checkstring(L, -1));
		else if (f)
			field_set(L, f, p, d, lua_gettop(L));
		else if (strcmp(k, "base"))
			luaL_error(L, "no platform setting '%s' (see docs/lessons.md)", k);
		lua_pop(L, 1);
	}
}

static void base_none(struct coh_platform *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "custom");
	p->line = 64;
	p->sets = 64;
	p->ways = 8;
	p->ncpus = 1;
	p->dev_default.dma_version = 2;
}

static void preset_or_error(lua_State *L, const char *name, struct coh_platform *p)
{
	if (!strcmp(name, "none"))
		base_none(p);
	else if (coh_platform_preset(name, p) < 0)
		luaL_error(L, "unknown platform preset '%s' (dma.presets() lists them)", name);
}

/* dma.platform("preset") or dma.platform{base = "preset" | "none", ...} */
static int l_platform(lua_State *L)
{
	struct coh_platform *p = push_platform(L);

	if (lua_type(L, 1) == LUA_TSTRING) {
		preset_or_error(L, lua_tostring(L, 1), p);
		return 1;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_getfield(L, 1, "base");
	preset_or_error(L, luaL_optstring(L, -1, "none"), p);
	lua_pop(L, 1);
	apply_settings(L, 1, p, &p->dev_default, 0);
	return 1;
}

void lb_platform_arg(lua_State *L, int idx, const struct coh_platform *like,
		     struct coh_platform *out)
{
	if (lua_type(L, idx) != LUA_TSTRING) {
		*out = *lb_platform_check(L, idx);
		return;
	}
	preset_or_error(L, lua_tostring(L, idx), out);
	for (uint32_t i = 0; like && i < like->ndevs; i++)
		if (coh_platform_add_dev(out, like->devs[i].name) < 0)
			luaL_error(L, "cannot add device '%s'", like->devs[i].name);
}

static struct coh_dev_cfg *dev_of(lua_State *L, struct coh_platform *p, int idx)
{
	const char *name = luaL_checkstring(L, idx);
	int i = coh_platform_find_dev(p, name);

	if (i < 0)
		luaL_error(L, "platform %s has no device '%s'", p->name, name);
	return &p->devs[i];
}

static int l_device(lua_State *L)
{
	struct coh_platform *p = lb_platform_check(L, 1);
	const char *name = luaL_checkstring(L, 2);
	int i = coh_platform_add_dev(p, name);

	if (i < 0)
		luaL_error(L, "cannot add device '%s' (%d devices at most)", name, COH_MAX_DEVS);
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		apply_settings(L, 3, p, &p->devs[i], 1);
	}
	lua_pushstring(L, p->devs[i].name);
	return 1;
}

static int l_devices(lua_State *L)
{
	struct coh_platform *p = lb_platform_check(L, 1);

	lua_createtable(L, (int)p->ndevs, 0);
	for (uint32_t i = 0; i < p->ndevs; i++) {
		lua_pushstring(L, p->devs[i].name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int l_settings(lua_State *L)
{
	struct coh_platform *p = lb_platform_check(L, 1);
	struct coh_dev_cfg *d = dev_of(L, p, 2);

	lua_newtable(L);
	for (size_t i = 0; i < NFIELDS; i++) {
		if (!fields[i].dev)
			continue;
		field_get(L, &fields[i], p, d);
		lua_setfield(L, -2, fields[i].key);
	}
	return 1;
}

static int l_copy(lua_State *L)
{
	struct coh_platform *p = lb_platform_check(L, 1);

	*push_platform(L) = *p;
	return 1;
}

static const luaL_Reg methods[] = {
	{ "device", l_device }, { "devices", l_devices }, { "settings", l_settings },
	{ "copy", l_copy }, { NULL, NULL }
};

static int l_index(lua_State *L)
{
	struct coh_platform *p = lb_platform_check(L, 1);
	const char *k = luaL_checkstring(L, 2);
	const struct pfield *f = field_of(k, 0);

	if (f)
		field_get(L, f, p, &p->dev_default);
	else if (!strcmp(k, "name"))
		lua_pushstring(L, p->name);
	else if (luaL_getmetafield(L, 1, "methods") != LUA_TNIL)
		lua_getfield(L, -1, k);
	else
		lua_pushnil(L);
	return 1;
}

static int l_newindex(lua_State *L)
{
	struct coh_platform *p = lb_platform_check(L, 1);
	const char *k = luaL_checkstring(L, 2);
	const struct pfield *f = field_of(k, 0);

	if (!strcmp(k, "name"))
		snprintf(p->name, sizeof(p->name), "%s", luaL_checkstring(L, 3));
	else if (f)
		field_set(L, f, p, &p->dev_default, 3);
	else
		luaL_error(L, "no platform setting '%s' (see docs/lessons.md)", k);
	return 0;
}

static int l_tostring(lua_State *L)
{
	struct coh_platform *p = lb_platform_check(L, 1);

	lua_pushfstring(L, "Platform %s (%d devices)", p->name, (int)p->ndevs);
	return 1;
}

static int l_presets(lua_State *L)
{
	const char *name, *help;

	lua_newtable(L);
	for (unsigned i = 0; (name = coh_platform_preset_at(i, &help)); i++) {
		lua_newtable(L);
		lb_set_str(L, "name", name);
		lb_set_str(L, "help", help ? help : "");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const luaL_Reg meta[] = {
	{ "__index", l_index }, { "__newindex", l_newindex }, { "__tostring", l_tostring },
	{ NULL, NULL }
};

static const luaL_Reg functions[] = {
	{ "platform", l_platform }, { "presets", l_presets }, { NULL, NULL }
};

void lb_open_platform(lua_State *L)
{
	lb_new_type(L, LB_PLATFORM, meta, methods);
	luaL_setfuncs(L, functions, 0);
}
