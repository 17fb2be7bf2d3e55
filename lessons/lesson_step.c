/* SPDX-License-Identifier: MIT */
/*
 * lesson_step.c - the steps a student sees: narrate (a text), run (a
 * function applying events; the events it applied are shown) and predict
 * (a question answered before the reveal, the engine's own answer checked
 * against the lesson's when the step has a verify function).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lesson-local.h"
#include "lua-local.h"

void lesson_step_narrate(lua_State *L, struct lesson_ctx *c)
{
	lua_getfield(L, -1, "narrate");
	c->ui->narrate(c->ui->ctx, c->step, lesson_text(L, -1, c->lang, "narrate"));
	lua_pop(L, 2);
}

/* push the current Sim (nil when none) and its event count */
static uint64_t current(lua_State *L)
{
	struct lb_sim *s;

	lua_getfield(L, LUA_REGISTRYINDEX, LB_CURRENT_SIM);
	s = luaL_testudata(L, -1, LB_SIM);
	return s && s->own.open ? coh_log_count(s->log) : 0;
}

/* the events of the current Sim from @from on, as .dmt lines, to the ui */
static void show_events(lua_State *L, struct lesson_ctx *c, const char *text, int before,
			uint64_t from)
{
	const char *lines[256];
	size_t n = 0;

	lua_getfield(L, LUA_REGISTRYINDEX, LB_CURRENT_SIM);
	if (!luaL_testudata(L, -1, LB_SIM) || lua_rawequal(L, -1, before) == 0)
		from = 0;
	if (luaL_testudata(L, -1, LB_SIM)) {
		lua_getfield(L, -1, "events");
		lua_pushvalue(L, -2);
		lua_pushinteger(L, (lua_Integer)from + 1);
		lua_call(L, 2, 1);
		for (lua_Integer i = 1; n < 256 && lua_geti(L, -1, i) == LUA_TSTRING; i++) {
			lines[n++] = lua_tostring(L, -1);
			lua_pop(L, 1);    /* the table keeps the string */
		}
		lua_pop(L, 1);
	}
	c->ui->show(c->ui->ctx, c->step, text, lines, n);
	lua_pop(L, 1);
}

void lesson_step_run(lua_State *L, struct lesson_ctx *c)
{
	int step = lua_gettop(L), before;
	uint64_t from = current(L);
	const char *text = "";

	before = lua_gettop(L);  /* the simulation current before the step */
	if (lua_getfield(L, step, "say") != LUA_TNIL)
		text = lesson_text(L, -1, c->lang, "say");
	if (lua_getfield(L, step, "run") != LUA_TFUNCTION)
		luaL_error(L, "run = a function");
	lua_call(L, 0, 1);
	if (luaL_testudata(L, -1, LB_SIM))
		lb_sim_set_current(L, -1);
	lua_pop(L, 1);
	show_events(L, c, text, before, from);
	lua_settop(L, step - 1);
}

/* choice texts into q (they stay on the stack) */
static void read_choices(lua_State *L, int step, struct lesson_ctx *c,
			 struct lesson_question *q)
{
	int t;

	if (lua_getfield(L, step, "choices") != LUA_TTABLE)
		return;
	t = lua_gettop(L);
	for (lua_Integer i = 1; lua_geti(L, t, i) != LUA_TNIL; i++) {
		if (q->nchoices == LESSON_MAX_CHOICES)
			luaL_error(L, "more than %d choices", LESSON_MAX_CHOICES);
		q->choices[q->nchoices++] = lesson_text(L, -1, c->lang, "a choice");
		lua_remove(L, -2);   /* the text stays on the stack until the step ends */
	}
	lua_pop(L, 1);
}

/* an answer (index, list of indices, choice texts, or a value) as a mask or
 * a value text; the value at the top */
static uint32_t answer_mask(lua_State *L, const struct lesson_question *q, int idx)
{
	uint32_t m = 0;

	if (lua_isinteger(L, idx)) {
		lua_Integer k = lua_tointeger(L, idx);

		if (k < 1 || (size_t)k > q->nchoices)
			luaL_error(L, "answer %I is not a choice (1..%d)", k, (int)q->nchoices);
		return 1u << (k - 1);
	}
	if (lua_type(L, idx) == LUA_TSTRING) {
		for (size_t i = 0; i < q->nchoices; i++)
			if (!strcmp(q->choices[i], lua_tostring(L, idx)))
				return 1u << i;
		luaL_error(L, "'%s' is not one of the choices", lua_tostring(L, idx));
	}
	luaL_checktype(L, idx, LUA_TTABLE);
	for (lua_Integer i = 1; lua_geti(L, idx, i) != LUA_TNIL; i++) {
		m |= answer_mask(L, q, lua_gettop(L));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return m;
}

static void value_text(lua_State *L, int idx, char *buf, size_t n)
{
	if (lua_isinteger(L, idx))
		snprintf(buf, n, "%lld", (long long)lua_tointeger(L, idx));
	else if (lua_type(L, idx) == LUA_TSTRING)
		snprintf(buf, n, "%s", lua_tostring(L, idx));
	else
		luaL_error(L, "answer = a number or a string when there are no choices");
}

static int same_value(const char *a, const char *b)
{
	char *ea, *eb;
	long long x = strtoll(a, &ea, 0), y = strtoll(b, &eb, 0);

	if (*a && *b && !*ea && !*eb)
		return x == y;
	return !strcmp(a, b);
}

int lesson_answer_correct(const struct lesson_question *q, const struct lesson_answer *a)
{
	return q->nchoices ? a->chosen == q->right : same_value(a->value, q->right_value);
}

/* "{1, 3}": the choices of mask @m, 1-based */
static const char *mask_text(uint32_t m, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "{");

	for (unsigned i = 0; i < LESSON_MAX_CHOICES && len < n; i++)
		if (m & (1u << i))
			len += (size_t)snprintf(buf + len, n - len, "%s%u", len > 1 ? ", " : "", i + 1);
	if (len < n)
		snprintf(buf + len, n - len, "}");
	return buf;
}

/* the engine's answer (verify) against the lesson's */
static void verify(lua_State *L, int step, struct lesson_ctx *c, const struct lesson_question *q)
{
	char said[64] = "", right[64];
	int ok;

	if (lua_getfield(L, step, "verify") != LUA_TFUNCTION) {
		lua_pop(L, 1);
		return;
	}
	lua_getfield(L, LUA_REGISTRYINDEX, LB_CURRENT_SIM);
	lua_insert(L, -2);
	lua_call(L, 0, 1);
	lua_insert(L, -2);           /* a simulation verify made is not the lesson's */
	lua_setfield(L, LUA_REGISTRYINDEX, LB_CURRENT_SIM);
	if (q->nchoices) {
		uint32_t m = answer_mask(L, q, lua_gettop(L));

		ok = m == q->right;
		mask_text(m, said, sizeof(said));
	} else {
		value_text(L, -1, said, sizeof(said));
		ok = same_value(said, q->right_value);
	}
	lua_pop(L, 1);
	lesson_verdict(c, "predict", ok, lesson_words(c, "the engine answers %s, the lesson %s"),
		       said, q->nchoices ? mask_text(q->right, right, sizeof(right)) : q->right_value);
}

void lesson_step_predict(lua_State *L, struct lesson_ctx *c)
{
	int step = lua_gettop(L);
	struct lesson_question q = { .step = c->step };
	struct lesson_answer a = { 0 };
	char right[64] = "";

	luaL_checkstack(L, LESSON_MAX_CHOICES + 16, "predict");
	lua_getfield(L, step, "predict");
	q.text = lesson_text(L, -1, c->lang, "predict");
	read_choices(L, step, c, &q);
	lua_getfield(L, step, "answer");
	if (q.nchoices) {
		q.right = answer_mask(L, &q, lua_gettop(L));
		q.multi = lua_istable(L, -1);
	} else {
		value_text(L, -1, right, sizeof(right));
		q.right_value = right;
	}
	lua_getfield(L, step, "explain");
	q.explain = lesson_text(L, -1, c->lang, "explain");
	verify(L, step, c, &q);
	c->ui->ask(c->ui->ctx, &q, &a);
	c->ui->reveal(c->ui->ctx, &q, &a, lesson_answer_correct(&q, &a));
	lua_settop(L, step - 1);
}
