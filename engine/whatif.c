/* SPDX-License-Identifier: MIT */
/*
 * whatif.c - the edit list over a recorded run, and the edited run as an
 * event source (coh_whatif.h).
 *
 * The edits are kept in the order they were added (undo drops the last,
 * redo puts it back).  From them a plan is built: the recorded events that
 * are left out, moved or replaced (one "override" each, sorted by recorded
 * position), and the events inserted before each recorded position (one
 * "group" each, sorted, with prefix counts), so that mapping a position
 * between the two runs is a binary search and the edited source reads the
 * recorded one lazily.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_whatif.h"
#include "whatif-local.h"

/* An edit with copies of what its event borrows. */
struct held_edit {
	struct coh_edit e;
	struct coh_seg *segs;
	uint8_t *data;
	char *text;
	struct coh_platform *plat;
};

static void held_free(struct held_edit *h)
{
	free(h->segs);
	free(h->data);
	free(h->text);
	free(h->plat);
}

static void *dup_bytes(const void *p, size_t n, int *fail)
{
	void *c;

	if (!p || !n)
		return NULL;
	if (!(c = malloc(n)))
		*fail = 1;
	else
		memcpy(c, p, n);
	return c;
}

/* Copy @e into @h, its event's pointers and platform included. */
static int held_set(struct held_edit *h, const struct coh_edit *e)
{
	const struct coh_event *ev = &e->ev;
	int fail = 0;

	memset(h, 0, sizeof(*h));
	h->e = *e;
	h->segs = dup_bytes(ev->segs, ev->nsegs * sizeof(*ev->segs), &fail);
	h->data = dup_bytes(ev->data, ev->data ? ev->len : 0, &fail);
	h->text = dup_bytes(ev->text, ev->text ? strlen(ev->text) + 1 : 0, &fail);
	if (e->op == COH_EDIT_PLATFORM)
		h->plat = dup_bytes(e->plat, sizeof(*e->plat), &fail);
	if (fail) {
		held_free(h);
		return -COH_E_NOMEM;
	}
	h->e.ev.segs = h->segs;
	h->e.ev.data = h->data;
	h->e.ev.text = h->text;
	h->e.plat = h->plat;
	if (e->op == COH_EDIT_INSERT)
		h->e.ev.src = COH_SRC_NONE;
	return 0;
}

struct coh_whatif {
	const struct coh_timeline *rec;
	const struct coh_source *rsrc;
	uint64_t n;                  /* recorded events */
	struct held_edit *edits;
	size_t nedits, nall, cap;    /* in force; with the redo list; room */
	struct whatif_plan plan;
	bool planned;
	struct coh_timeline *tl;     /* the edited run, made on first use */
	struct coh_event scratch;    /* coh_whatif_source()'s last event */
	char text[320];              /* its mark's text */
	char errmsg[256];
};

struct coh_whatif *coh_whatif_new(const struct coh_timeline *rec, int *err)
{
	struct coh_whatif *w = rec ? calloc(1, sizeof(*w)) : NULL;

	if (err)
		*err = w ? 0 : rec ? -COH_E_NOMEM : -COH_E_INVAL;
	if (!w)
		return NULL;
	w->rec = rec;
	w->rsrc = coh_timeline_source(rec);
	w->n = w->rsrc->count(w->rsrc->ctx);
	return w;
}

static void drop_from(struct coh_whatif *w, size_t k)
{
	for (size_t i = k; i < w->nall; i++)
		held_free(&w->edits[i]);
	w->nall = k;
}

/* The list changed: the plan and the edited timeline are stale. */
static void changed(struct coh_whatif *w)
{
	w->planned = false;
	coh_timeline_free(w->tl);
	w->tl = NULL;
}

void coh_whatif_free(struct coh_whatif *w)
{
	if (!w)
		return;
	drop_from(w, 0);
	free(w->edits);
	coh_whatif_plan_free(&w->plan);
	coh_timeline_free(w->tl);
	free(w);
}

const char *coh_whatif_errmsg(const struct coh_whatif *w)
{
	return w->errmsg;
}

static int fail(struct coh_whatif *w, int err, const char *why, uint64_t at)
{
	snprintf(w->errmsg, sizeof(w->errmsg), why, (unsigned long long)at);
	return err;
}

/* The plan of the edits in force, built when stale. */
static int plan(struct coh_whatif *w)
{
	const struct coh_edit **v;
	int err;

	if (w->planned)
		return 0;
	if (!(v = malloc((w->nedits + 1) * sizeof(*v))))
		return -COH_E_NOMEM;
	for (size_t i = 0; i < w->nedits; i++)
		v[i] = &w->edits[i].e;
	err = coh_whatif_plan_build(&w->plan, v, w->nedits);
	free(v);
	w->planned = err == 0;
	return err;
}

/* Why @e cannot be added to the edits in force, or 0. */
static int check_edit(struct coh_whatif *w, const struct coh_edit *e)
{
	char msg[200];
	bool needs_event = e->op == COH_EDIT_DELETE || e->op == COH_EDIT_MOVE ||
			   e->op == COH_EDIT_REPLACE;
	int err;

	if (e->op == COH_EDIT_PLATFORM) {
		if (e->plat && coh_platform_check(e->plat, msg, sizeof(msg)) == 0)
			return 0;
		snprintf(w->errmsg, sizeof(w->errmsg), "platform: %s",
			 e->plat ? msg : "none given");
		return -COH_E_INVAL;
	}
	if (e->op < COH_EDIT_DELETE || e->op > COH_EDIT_REPLACE)
		return fail(w, -COH_E_INVAL, "unknown edit %llu", e->op);
	if (e->at > w->n || (needs_event && e->at == w->n))
		return fail(w, -COH_E_INVAL, "event %llu is past the end", e->at);
	if (e->op == COH_EDIT_MOVE && (e->to > w->n || e->to == e->at || e->to == e->at + 1))
		return fail(w, -COH_E_INVAL, "event %llu does not move there", e->at);
	if ((err = plan(w)) < 0)
		return err;
	if (needs_event && coh_whatif_plan_override(&w->plan, e->at))
		return fail(w, -COH_E_INVAL, "event %llu is already left out, moved or "
			    "replaced", e->at);
	if ((e->op == COH_EDIT_INSERT || e->op == COH_EDIT_REPLACE) &&
	    coh_event_check(&e->ev, coh_whatif_platform(w), msg, sizeof(msg)) < 0) {
		snprintf(w->errmsg, sizeof(w->errmsg), "the event: %s", msg);
		return -COH_E_INVAL;
	}
	return 0;
}

int coh_whatif_add(struct coh_whatif *w, const struct coh_edit *e)
{
	int err;

	w->errmsg[0] = 0;
	if ((err = check_edit(w, e)) < 0)
		return err;
	drop_from(w, w->nedits);
	if (w->nall == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct held_edit *v = realloc(w->edits, cap * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		w->edits = v;
		w->cap = cap;
	}
	if ((err = held_set(&w->edits[w->nall], e)) < 0)
		return err;
	w->nedits = ++w->nall;
	changed(w);
	return 0;
}

int coh_whatif_undo(struct coh_whatif *w)
{
	if (!w->nedits)
		return 0;
	w->nedits--;
	changed(w);
	return 1;
}

int coh_whatif_redo(struct coh_whatif *w)
{
	if (w->nedits == w->nall)
		return 0;
	w->nedits++;
	changed(w);
	return 1;
}

void coh_whatif_clear(struct coh_whatif *w)
{
	drop_from(w, 0);
	w->nedits = 0;
	changed(w);
}

size_t coh_whatif_nedits(const struct coh_whatif *w)
{
	return w->nedits;
}

int coh_whatif_edit(const struct coh_whatif *w, size_t i, struct coh_edit *out)
{
	if (i >= w->nedits)
		return -COH_E_INVAL;
	*out = w->edits[i].e;
	return 0;
}

const struct coh_platform *coh_whatif_platform(const struct coh_whatif *w)
{
	for (size_t i = w->nedits; i-- > 0;)
		if (w->edits[i].e.op == COH_EDIT_PLATFORM)
			return w->edits[i].plat;
	return coh_timeline_platform(w->rec);
}

uint64_t coh_whatif_same_until(const struct coh_whatif *w)
{
	uint64_t same = w->n;

	for (size_t i = 0; i < w->nedits; i++) {
		const struct coh_edit *e = &w->edits[i].e;

		if (e->op == COH_EDIT_PLATFORM)
			return 0;
		if (e->at < same)
			same = e->at;
		if (e->op == COH_EDIT_MOVE && e->to < same)
			same = e->to;
	}
	return same;
}

uint64_t coh_whatif_to_edited(const struct coh_whatif *w, uint64_t rec)
{
	if (plan((struct coh_whatif *)w) < 0)
		return rec;
	return coh_whatif_plan_to_edited(&w->plan, rec);
}

uint64_t coh_whatif_to_recorded(const struct coh_whatif *w, uint64_t ed, int *inserted)
{
	struct whatif_item it;

	if (plan((struct coh_whatif *)w) < 0) {
		if (inserted)
			*inserted = 0;
		return ed;
	}
	coh_whatif_plan_item(&w->plan, ed, &it);
	if (inserted)
		*inserted = it.inserted != NULL;
	return it.rec;
}

/* ---- the edited source ----------------------------------------------------- */

static uint64_t edited_count(void *ctx)
{
	struct coh_whatif *w = ctx;

	return plan(w) < 0 ? 0 : w->n + w->plan.ninserted;
}

/* The timestamp an inserted event takes: that of the event it precedes. */
static int ts_before(struct coh_whatif *w, uint64_t rec, uint64_t *ts)
{
	struct coh_event ev;
	int err;

	*ts = 0;
	if (!w->n)
		return 0;
	if ((err = w->rsrc->get(w->rsrc->ctx, rec < w->n ? rec : w->n - 1, &ev)) < 0)
		return err;
	*ts = ev.ts;
	return 0;
}

/* A mark standing for recorded event @ev, left out or moved away. */
static void as_mark(struct coh_whatif *w, struct coh_event *ev, const char *why)
{
	char d[256];
	uint64_t ts = ev->ts, src = ev->src;
	uint16_t cpu = ev->cpu;

	coh_event_describe(ev, coh_whatif_platform(w), d, sizeof(d));
	snprintf(w->text, sizeof(w->text), "what-if: %s %s", why, d);
	coh_event_init(ev, COH_EV_MARK);
	ev->ts = ts;
	ev->src = src;
	ev->cpu = cpu;
	ev->text = w->text;
}

static int inserted_event(struct coh_whatif *w, const struct whatif_item *it,
			  struct coh_event *ev)
{
	const struct coh_edit *e = it->inserted;
	uint64_t ts;
	int err;

	if ((err = ts_before(w, it->rec, &ts)) < 0)
		return err;
	if (e->op == COH_EDIT_MOVE) {
		if ((err = w->rsrc->get(w->rsrc->ctx, e->at, ev)) < 0)
			return err;
	} else {
		*ev = e->ev;
	}
	ev->ts = ts;
	return 0;
}

static int edited_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	struct coh_whatif *w = ctx;
	struct whatif_item it;
	int err;

	if ((err = plan(w)) < 0)
		return err;
	if (i >= w->n + w->plan.ninserted)
		return -COH_E_SEEK;
	coh_whatif_plan_item(&w->plan, i, &it);
	if (it.inserted)
		return inserted_event(w, &it, ev);
	if ((err = w->rsrc->get(w->rsrc->ctx, it.rec, ev)) < 0)
		return err;
	if (it.over && it.over->op == COH_EDIT_REPLACE) {
		uint64_t ts = ev->ts, src = ev->src;

		*ev = it.over->ev;
		ev->ts = ts;
		ev->src = src;
		return 0;
	}
	if (it.over)
		as_mark(w, ev, it.over->op == COH_EDIT_MOVE ? "moved away:" : "left out:");
	return 0;
}

static size_t edited_bytes(void *ctx)
{
	struct coh_whatif *w = ctx;

	return w->rsrc->bytes ? w->rsrc->bytes(w->rsrc->ctx) : 0;
}

struct coh_source coh_whatif_source(struct coh_whatif *w)
{
	struct coh_source s = { .ctx = w, .count = edited_count, .get = edited_get,
				.bytes = w->rsrc->bytes ? edited_bytes : NULL };
	return s;
}

struct coh_timeline *coh_whatif_timeline(struct coh_whatif *w, int *err)
{
	const struct coh_platform *p = coh_whatif_platform(w);
	struct coh_source src = coh_whatif_source(w);
	int e = plan(w);

	if (!e && !w->tl)
		w->tl = coh_timeline_derive(w->rec, &src, coh_whatif_same_until(w),
					    p == coh_timeline_platform(w->rec) ? NULL : p, &e);
	if (e < 0)
		snprintf(w->errmsg, sizeof(w->errmsg), "the edited run: %s", coh_strerror(e));
	if (err)
		*err = e;
	return w->tl;
}

const struct coh_timeline *coh_whatif_recorded(const struct coh_whatif *w)
{
	return w->rec;
}

/* The plan of the edits in force (built when stale; on failure, empty). */
const struct whatif_plan *coh_whatif_plan_of(struct coh_whatif *w)
{
	plan(w);
	return &w->plan;
}

/* Set the message of a failure at edited position @pos. */
void coh_whatif_fail(struct coh_whatif *w, const char *fmt, uint64_t pos, const char *why)
{
	snprintf(w->errmsg, sizeof(w->errmsg), fmt, (unsigned long long)pos, why);
}
