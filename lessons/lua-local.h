/* SPDX-License-Identifier: MIT */
/*
 * lua-local.h - what the Lua binding's files (lua_*.c) share.
 *
 * One file per Lua type: lua_platform.c (Platform), lua_sim.c (Sim and its
 * events), lua_view.c (the views of a Sim), lua_finding.c (Finding),
 * lua_whatif.c (WhatIf, omission rows), lua_trace.c (dma.load), over
 * lua_owner.c (the objects engine state hangs from, and argument helpers)
 * and lua_event.c (a Lua table as a .dmt event line).  Every engine object
 * a lesson holds is a userdata; one that depends on a simulation keeps its
 * owner (a Sim or a WhatIf) in its user value and asks lb_owner_live()
 * before each use, so a closed simulation raises a Lua error, never a crash.
 */
#ifndef LUA_LOCAL_H
#define LUA_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include "coh_log.h"
#include "coh_platform.h"
#include "coh_sim.h"

#define LB_PLATFORM "dmascope.Platform"
#define LB_SIM      "dmascope.Sim"
#define LB_FINDING  "dmascope.Finding"
#define LB_WHATIF   "dmascope.WhatIf"

/* The head of every userdata that owns engine state (a Sim, a WhatIf). */
struct lb_owner {
	int open;                    /* 0 once closed (or collected) */
	const char *what;            /* "simulation", "what-if" */
	struct coh_platform plat;    /* the platform its findings name devices by */
};

/* A Sim: a simulation and the record of every event applied to it. */
struct lb_sim {
	struct lb_owner own;
	struct coh_sim *sim;
	struct coh_log *log;         /* every event applied, in order */
};

/* the lesson's registry key for the simulation made last (lesson_run.c reads it) */
#define LB_CURRENT_SIM "dmascope.current"

/**
 * lb_owner_live - the owner userdata at @idx, or a Lua error naming
 * @user ("finding", "simulation") when it was closed
 */
struct lb_owner *lb_owner_live(lua_State *L, int idx, const char *tname, const char *user);

/**
 * lb_sim_live - the open Sim at @idx (a Lua error when it is not one, or
 * closed)
 */
struct lb_sim *lb_sim_live(lua_State *L, int idx);

/**
 * lb_new_type - register the metatable @tname: its metamethods @meta
 * (__index, __gc, ...) and, when @methods is not NULL, a "methods" table
 * for __index to look in
 */
void lb_new_type(lua_State *L, const char *tname, const luaL_Reg *meta,
		 const luaL_Reg *methods);

/**
 * lb_uint - argument @idx as a non-negative integer (addresses, lengths)
 */
uint64_t lb_uint(lua_State *L, int idx);

/**
 * lb_push_bytes - push @n bytes as a Lua sequence of integers
 */
void lb_push_bytes(lua_State *L, const uint8_t *b, size_t n);

/**
 * lb_set_int, lb_set_str, lb_set_bool - t[k] = v on the table at the top
 */
void lb_set_int(lua_State *L, const char *k, lua_Integer v);
void lb_set_str(lua_State *L, const char *k, const char *v);
void lb_set_bool(lua_State *L, const char *k, int v);

/**
 * lb_event_line - push the event table at @idx (kind in t[1] or @kind) as
 * one line of the .dmt format (docs/trace-format.md), raising a Lua error
 * for a value no field can hold
 *
 * Return: the line (the string pushed).
 */
const char *lb_event_line(lua_State *L, int idx, const char *kind);

/**
 * lb_sim_apply_line - apply one .dmt event line to the Sim at @idx and
 * record it; raises a Lua error (at the lesson's line) when the line or
 * the event is rejected
 *
 * Return: the event's number, 1-based.
 */
lua_Integer lb_sim_apply_line(lua_State *L, int idx, const char *line);

/**
 * lb_sim_push_new - push a new, empty Sim of @p (COH_SIM_* @flags), with the
 * small bounds a lesson gets
 */
struct lb_sim *lb_sim_push_new(lua_State *L, const struct coh_platform *p, unsigned flags);

/**
 * lb_sim_set_current - make the Sim at @idx the lesson's current simulation
 * (the one expect and omissions steps look at)
 */
void lb_sim_set_current(lua_State *L, int idx);

/* registry keys: the lesson's directory and the repository's (dma.load) */
#define LB_LESSON_DIR "dmascope.lesson_dir"
#define LB_REPO_DIR   "dmascope.repo_dir"

/**
 * lb_sim_replay - apply every event of @log to the Sim at @idx, recording
 * them; raises a Lua error naming the event that failed
 */
void lb_sim_replay(lua_State *L, int idx, const struct coh_log *log);

/**
 * lb_platform_check - the Platform userdata at @idx (a copy lives in it)
 */
struct coh_platform *lb_platform_check(lua_State *L, int idx);

/**
 * lb_platform_arg - argument @idx as a platform: a Platform, or a preset
 * name (devices of @like, when not NULL, are added with the preset's
 * default settings)
 */
void lb_platform_arg(lua_State *L, int idx, const struct coh_platform *like,
		     struct coh_platform *out);

/**
 * lb_finding_push - push a Finding holding a copy of @f, owned by the
 * userdata at @owner (its platform names the devices)
 */
void lb_finding_push(lua_State *L, int owner, const struct coh_finding *f);

/**
 * lb_finding_ids - push the sorted, distinct error ids ("DC001") of @n
 * findings as a Lua sequence
 */
void lb_finding_ids(lua_State *L, const struct coh_finding *f, size_t n, size_t stride);

/**
 * lb_sim_methods - push the method table of Sim (lb_open_sim() made it), for
 * lua_view.c and lua_whatif.c to add theirs
 */
void lb_sim_methods(lua_State *L);

/**
 * lb_open_platform, lb_open_sim, lb_open_view, lb_open_finding,
 * lb_open_whatif, lb_open_trace - register a type's metatable, its methods
 * and its functions in the `dma` table at the top (lb_open_sim() first:
 * lb_open_view() and lb_open_whatif() add methods to Sim)
 */
void lb_open_platform(lua_State *L);
void lb_open_sim(lua_State *L);
void lb_open_view(lua_State *L);
void lb_open_finding(lua_State *L);
void lb_open_whatif(lua_State *L);
void lb_open_trace(lua_State *L);

#endif
