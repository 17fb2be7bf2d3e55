/* SPDX-License-Identifier: MIT */
/*
 * report_json_ctx.c - the members of a JSON finding that come from the
 * trace around it rather than from the engine (docs/json.md): the event's
 * line, the related calls, the facts, the scope, the API and the group.
 */
#include <string.h>

#include "report-json.h"

static int set(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v) < 0 ? -1 : 0;
}

static json_t *jline(const struct report_file *rf, const struct report_ctx *c, uint64_t src)
{
	char buf[REPORT_LINE_MAX];
	const char *line = report_ctx_line(rf, c, src, buf);

	return line ? json_string(line) : json_null();
}

static json_t *jlineno(const struct report_file *rf, uint64_t src)
{
	uint64_t n = rf->lineno && src != COH_SRC_NONE ? rf->lineno(rf->src_ctx, src) : 0;

	return n ? json_integer((json_int_t)n) : json_null();
}

static int push_call(json_t *a, const struct report_file *rf, const struct report_ctx *c,
		     const char *role, uint64_t seq)
{
	uint64_t src = report_src(rf, seq);
	json_t *o;
	int bad;

	if (seq == COH_SEQ_NONE)
		return 0;
	o = json_object();
	bad = !o || set(o, "role", json_string(role)) < 0 ||
	      set(o, "event", report_json_src(src)) < 0 ||
	      set(o, "line", jline(rf, c, src)) < 0 || set(o, "file_line", jlineno(rf, src)) < 0;
	if (bad || json_array_append_new(a, o) < 0)
		return -1;
	return 0;
}

static const char *role(unsigned kind, int end)
{
	if (end)
		return kind == COH_EV_DMA_FREE || kind == COH_EV_DMA_FREE_PAGES ||
		       kind == COH_EV_FREE_COMMON ? "free" : "unmap";
	return kind == COH_EV_DMA_ALLOC || kind == COH_EV_DMA_ALLOC_PAGES ||
	       kind == COH_EV_ALLOC_COMMON ? "alloc" : "map";
}

static json_t *jrelated(const struct report_file *rf, const struct report_ctx *c,
			const struct coh_finding *f, const struct report_note *n)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	if ((n->map.kind != COH_EV_NONE && n->map.seq != f->seq &&
	     push_call(a, rf, c, role(n->map.kind, 0), n->map.seq) < 0) ||
	    (n->end.kind != COH_EV_NONE && push_call(a, rf, c, role(n->end.kind, 1), n->end.seq) < 0) ||
	    push_call(a, rf, c, "write", n->write_seq) < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *jgroup(const struct report_file *rf, const struct report_ctx *c, size_t i)
{
	long g = c->group[i];
	json_t *o;

	if (g < 0)
		return json_null();
	o = json_object();
	if (!o || set(o, "first_event", report_json_src(report_finding_src(rf,
							   rf->findings[g]))) < 0 ||
	    set(o, "count", json_integer((json_int_t)c->members[g])) < 0 ||
	    set(o, "first", json_boolean((size_t)g == i)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jtext(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

int report_json_context(json_t *o, const struct report_file *rf, const struct report_ctx *c,
			size_t i)
{
	const struct coh_finding *f = rf->findings[i];
	const struct report_note *n = &c->notes[i];
	uint64_t src = report_finding_src(rf, f);
	char ts[32];

	return set(o, "ts_text", json_string(report_ts(ts, sizeof(ts), f->ts))) < 0 ||
	       set(o, "line", jline(rf, c, src)) < 0 || set(o, "file_line", jlineno(rf, src)) < 0 ||
	       set(o, "api", json_string(n->windows ? "windows" : "linux")) < 0 ||
	       set(o, "seq", jtext(n->seq)) < 0 || set(o, "phase", jtext(n->phase)) < 0 ||
	       set(o, "facts", jtext(n->facts)) < 0 ||
	       set(o, "related", jrelated(rf, c, f, n)) < 0 ||
	       set(o, "group", jgroup(rf, c, i)) < 0 ? -1 : 0;
}
