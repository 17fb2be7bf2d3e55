/* SPDX-License-Identifier: MIT */
/*
 * view_omit.c - the omission pane: a list over the panes with one row per
 * maintenance call of the run (session_omit.c computes them in the
 * background): the call, its event, whether leaving it out breaks the run
 * and with which findings, how many bytes are then read wrong and where
 * the first wrong read is; "changes nothing" for the others, with the
 * presets where they are needed.  While the matrix is computed the title
 * says how far it is.  Enter on a row makes that omission the edit list
 * and shows the diff (app.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "coh_whatif.h"
#include "overlay.h"
#include "session.h"
#include "view.h"

/* The event's index in the file. */
static uint64_t file_index(struct session *s, uint64_t ev)
{
	struct coh_event e;

	return session_event(s, ev, &e) == 0 && e.src != COH_SRC_NONE ? e.src : ev;
}

/* "DC001 x2 DC004" of the per-id counts @n. */
static size_t ids(char *buf, size_t len, const uint32_t *n)
{
	size_t k = 0;

	buf[0] = 0;
	for (unsigned id = 0; id < COH_FID_COUNT && k + 16 < len; id++)
		if (n[id])
			k += (size_t)snprintf(buf + k, len - k, n[id] > 1 ? " %s x%u" : " %s",
					      coh_fid_code(id), (unsigned)n[id]);
	return k;
}

/* The presets of @mask ("arm-speculative, x86-swiotlb"). */
static void presets(char *buf, size_t len, uint64_t mask)
{
	size_t k = 0;
	const char *name;

	buf[0] = 0;
	for (unsigned i = 0; i < 64 && (name = coh_platform_preset_at(i, NULL)) && k + 32 < len; i++)
		if (mask & (1ull << i))
			k += (size_t)snprintf(buf + k, len - k, "%s%s", k ? ", " : "", name);
}

/* What leaving the call of row @r out does, in words. */
static void effect(struct session *s, const struct coh_omit_row *r, char *buf, size_t len)
{
	char add[160], rem[160], on[200];
	size_t k;

	ids(add, sizeof(add), r->added);
	ids(rem, sizeof(rem), r->removed);
	if (r->broke) {
		k = (size_t)snprintf(buf, len, "BREAKS:%s", add);
		if (r->wrong_bytes && k < len)
			k += (size_t)snprintf(buf + k, len - k, "; %" PRIu64 " byte%s read wrong",
					      r->wrong_bytes, r->wrong_bytes == 1 ? "" : "s");
		if (r->has_first_wrong && k < len)
			snprintf(buf + k, len - k, ", first at event %" PRIu64,
				 file_index(s, r->first_wrong.seq));
		return;
	}
	presets(on, sizeof(on), r->needed_on);
	if (!r->changed) {
		snprintf(buf, len, "changes nothing%s%s%s", on[0] ? " (needed on: " : "", on,
			 on[0] ? ")" : "");
		return;
	}
	snprintf(buf, len, "changes the run, no error%s%s%s%s", add[0] ? "; adds" : "", add,
		 rem[0] ? "; removes" : "", rem);
}

/* The title: how far the matrix is. */
static void title_of(const struct session_omit_view *v, const struct coh_platform *p,
		     char *buf, size_t len)
{
	size_t broke = 0;

	for (size_t i = 0; i < v->nrows; i++)
		broke += v->rows[i].broke;
	if (v->finished && !v->rows && v->error[0])
		snprintf(buf, len, "Omission matrix: failed: %.60s", v->error);
	else if (v->finished)
		snprintf(buf, len, "Omission matrix on %s: %zu call%s, %zu break%s the run",
			 p ? p->name : "-", v->nrows, v->nrows == 1 ? "" : "s", broke,
			 broke == 1 ? "s" : "");
	else if (v->total)
		snprintf(buf, len, "Omission matrix: %zu of %zu calls left out so far", v->done,
			 v->total);
	else
		snprintf(buf, len, "Omission matrix: replaying the recorded run %d%%", v->percent);
}

/**
 * view_omit_fill - (re)fill the omission list @o from the session's matrix,
 * keeping its selection; opens it when it is not shown
 */
void view_omit_fill(struct overlay *o, struct session *s)
{
	struct session_omit_view v;
	long sel = o->on && o->kind == OVERLAY_OMIT ? o->sel : 0;
	long top = o->on && o->kind == OVERLAY_OMIT ? o->top : 0;
	char title[128], what[400];

	session_omit_get(s, &v);
	title_of(&v, session_platform(s), title, sizeof(title));
	overlay_open(o, OVERLAY_OMIT, title, "Enter: that omission's diff  Esc closes");
	if (!v.finished)
		overlay_add(o, OVERLAY_NO_EVENT, "%s", "computing in the background; keys work meanwhile");
	else if (!v.nrows && !v.error[0])
		overlay_add(o, OVERLAY_NO_EVENT, "%s", "no maintenance call in this run");
	for (size_t i = 0; i < v.nrows; i++) {
		effect(s, &v.rows[i], what, sizeof(what));
		overlay_add(o, v.rows[i].at, "event %-7" PRIu64 " %-28s %s",
			    file_index(s, v.rows[i].at), coh_kind_name(v.rows[i].kind), what);
	}
	o->sel = sel;
	o->top = top;
	overlay_move(o, 0);
}
