/* SPDX-License-Identifier: MIT */
/*
 * lua_finding.c - Finding: one finding of a simulation or of a what-if diff.
 *
 *   f.id        "DC001" (f.name "stale-cpu-read"; f.error: DC001-DC012)
 *   f.rule      the clause that fired, as a sentence (coh_rule_text())
 *   f.event     the event it fired at (1-based); f.other the event it names
 *   f.root      true for a root cause, false for a consequence (f.parent)
 *   f.addr, f.len, f.dev (a name), f.cpu, f.omitted (the call omitted, or nil)
 *   f.seen, f.expected   the evidence bytes, as lists of integers
 *   f:explain()          the paragraph a student reads (coh_finding_explain())
 *
 * A Finding keeps a copy of the engine's finding and its owner (the Sim or
 * WhatIf) in its user value: once the owner is closed, using it is an error.
 */
#include <string.h>

#include "lua-local.h"

struct lb_finding {
	struct coh_finding f;
	const char *owner_type;      /* LB_SIM or LB_WHATIF */
};

void lb_finding_push(lua_State *L, int owner, const struct coh_finding *f)
{
	struct lb_finding *lf;

	owner = lua_absindex(L, owner);
	lf = lua_newuserdatauv(L, sizeof(*lf), 1);
	lf->f = *f;
	lf->owner_type = luaL_testudata(L, owner, LB_SIM) ? LB_SIM : LB_WHATIF;
	luaL_setmetatable(L, LB_FINDING);
	lua_pushvalue(L, owner);
	lua_setiuservalue(L, -2, 1);
}

void lb_finding_ids(lua_State *L, const struct coh_finding *f, size_t n, size_t stride)
{
	unsigned char seen[COH_FID_COUNT] = { 0 };
	lua_Integer k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct coh_finding *x = (const void *)((const char *)f + i * stride);

		if (x->id < COH_FID_COUNT && coh_fid_is_error(x->id))
			seen[x->id] = 1;
	}
	lua_newtable(L);
	for (unsigned id = 1; id < COH_FID_COUNT; id++) {
		if (!seen[id])
			continue;
		lua_pushstring(L, coh_fid_code(id));
		lua_rawseti(L, -2, ++k);
	}
}

/* the Finding at 1, its owner checked; the owner is left at the top */
static struct lb_finding *live(lua_State *L, struct lb_owner **own)
{
	struct lb_finding *lf = luaL_checkudata(L, 1, LB_FINDING);

	lua_getiuservalue(L, 1, 1);
	*own = lb_owner_live(L, -1, lf->owner_type, "finding");
	return lf;
}

static void push_event_no(lua_State *L, uint64_t seq)
{
	if (seq == COH_SEQ_NONE)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)seq + 1);
}

static int push_dev(lua_State *L, const struct coh_finding *f, const struct lb_owner *own)
{
	if (f->dev < 0 || (uint32_t)f->dev >= own->plat.ndevs)
		lua_pushnil(L);
	else
		lua_pushstring(L, own->plat.devs[f->dev].name);
	return 1;
}

static int push_evidence(lua_State *L, const struct coh_finding *f, int expected)
{
	lb_push_bytes(L, expected ? f->expected : f->seen, f->nbytes);
	return 1;
}

static int field_ids(lua_State *L, const struct coh_finding *f, const char *k)
{
	if (!strcmp(k, "id"))
		lua_pushstring(L, coh_fid_code(f->id));
	else if (!strcmp(k, "name"))
		lua_pushstring(L, coh_fid_name(f->id));
	else if (!strcmp(k, "error"))
		lua_pushboolean(L, coh_fid_is_error(f->id));
	else if (!strcmp(k, "rule"))
		lua_pushstring(L, coh_rule_text(f->rule));
	else if (!strcmp(k, "omitted"))
		f->omitted == COH_EV_NONE ? lua_pushnil(L)
					  : (void)lua_pushstring(L, coh_kind_name(f->omitted));
	else
		return 0;
	return 1;
}

static int field_where(lua_State *L, const struct coh_finding *f, const char *k)
{
	if (!strcmp(k, "event"))
		push_event_no(L, f->seq);
	else if (!strcmp(k, "other"))
		push_event_no(L, f->other_seq);
	else if (!strcmp(k, "root"))
		lua_pushboolean(L, f->parent < 0);
	else if (!strcmp(k, "parent"))
		f->parent < 0 ? lua_pushnil(L) : lua_pushinteger(L, f->parent + 1);
	else if (!strcmp(k, "addr"))
		lua_pushinteger(L, (lua_Integer)f->addr);
	else if (!strcmp(k, "len"))
		lua_pushinteger(L, (lua_Integer)f->len);
	else if (!strcmp(k, "cpu"))
		f->cpu < 0 ? lua_pushnil(L) : lua_pushinteger(L, f->cpu);
	else if (!strcmp(k, "inferred"))
		lua_pushboolean(L, !!(f->flags & COH_FF_INFERRED));
	else
		return 0;
	return 1;
}

static int l_explain(lua_State *L)
{
	struct lb_owner *own;
	struct lb_finding *lf = live(L, &own);
	char buf[2048];

	coh_finding_explain(&lf->f, &own->plat, buf, sizeof(buf));
	lua_pushstring(L, buf);
	return 1;
}

static int l_index(lua_State *L)
{
	struct lb_owner *own;
	struct lb_finding *lf = live(L, &own);
	const char *k = luaL_checkstring(L, 2);

	if (field_ids(L, &lf->f, k) || field_where(L, &lf->f, k))
		return 1;
	if (!strcmp(k, "dev"))
		return push_dev(L, &lf->f, own);
	if (!strcmp(k, "seen") || !strcmp(k, "expected"))
		return push_evidence(L, &lf->f, k[0] == 'e');
	if (!strcmp(k, "explain")) {
		lua_pushcfunction(L, l_explain);
		return 1;
	}
	return luaL_error(L, "Finding has no field '%s'", k);
}

static int l_tostring(lua_State *L)
{
	struct lb_owner *own;
	struct lb_finding *lf = live(L, &own);

	lua_pushfstring(L, "%s %s at event %I", coh_fid_code(lf->f.id), coh_fid_name(lf->f.id),
			(lua_Integer)lf->f.seq + 1);
	return 1;
}

static const luaL_Reg meta[] = {
	{ "__index", l_index }, { "__tostring", l_tostring }, { NULL, NULL }
};

void lb_open_finding(lua_State *L)
{
	lb_new_type(L, LB_FINDING, meta, NULL);
}
