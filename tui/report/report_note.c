/* SPDX-License-Identifier: MIT */
/*
 * report_note.c - what the trace says around a finding: the event it fired
 * at, the map call its bytes belong to and the unmap that ended it, the
 * marker sequence and phase it lies in, the real API function it names, and
 * the facts that make it a bug ("mapped 512 bytes at event 111, unmapped
 * 256").  Everything is read back through report_file.event, so the
 * renderers need no trace and tests can feed hand-built events.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "coh_buf.h"
#include "report.h"

#define NOTE_SCAN_BACK (1u << 16)  /* events searched back for the map call */
#define NOTE_SCOPES    16          /* open scopes tracked */

static bool is_map(unsigned k)
{
	return k == COH_EV_DMA_MAP || k == COH_EV_DMA_MAP_SG || k == COH_EV_DMA_MAP_RES ||
	       k == COH_EV_DMA_ALLOC || k == COH_EV_DMA_ALLOC_PAGES ||
	       k == COH_EV_MAP_TRANSFER || k == COH_EV_MAP_TRANSFER_EX ||
	       k == COH_EV_GET_SG || k == COH_EV_ALLOC_COMMON;
}

static bool is_end(unsigned k)
{
	return k == COH_EV_DMA_UNMAP || k == COH_EV_DMA_UNMAP_SG || k == COH_EV_DMA_UNMAP_RES ||
	       k == COH_EV_DMA_FREE || k == COH_EV_DMA_FREE_PAGES || k == COH_EV_FREE_COMMON;
}

static bool in(uint64_t a, uint64_t base, uint64_t len)
{
	return a != COH_ADDR_NONE && base != COH_ADDR_NONE && a >= base && a - base < len;
}

/* 1 when @ev's ranges hold the physical address @pa or the bus address @ba. */
static bool covers(const struct coh_event *ev, uint64_t pa, uint64_t ba)
{
	if (ev->nsegs && ev->segs) {
		for (uint32_t i = 0; i < ev->nsegs; i++)
			if (in(pa, ev->segs[i].addr, ev->segs[i].len) ||
			    in(ba, ev->segs[i].bus, ev->segs[i].len))
				return true;
		if (ev->kind != COH_EV_MAP_TRANSFER && ev->kind != COH_EV_MAP_TRANSFER_EX)
			return false;
	}
	return in(pa, ev->addr, ev->len) || in(ba, ev->bus, ev->len);
}

static void keep(struct report_call *c, const struct coh_event *ev, uint64_t seq)
{
	uint64_t len = ev->len;

	if (ev->nsegs && ev->segs && ev->kind != COH_EV_MAP_TRANSFER &&
	    ev->kind != COH_EV_MAP_TRANSFER_EX) {
		len = 0;
		for (uint32_t i = 0; i < ev->nsegs; i++)
			len += ev->segs[i].len;
	}
	*c = (struct report_call){ .seq = seq, .kind = ev->kind, .dir = ev->dir,
				   .flags = ev->flags, .nents = ev->nents, .addr = ev->addr, .bus = ev->bus,
				   .len = len };
	if (ev->nsegs && ev->segs && c->addr == COH_ADDR_NONE)
		c->addr = ev->segs[0].addr;
	if (ev->nsegs && ev->segs && c->bus == COH_ADDR_NONE)
		c->bus = ev->segs[0].bus;
}

static const struct report_call no_call = {
	.seq = COH_SEQ_NONE, .kind = COH_EV_NONE, .dir = COH_DIR_NONE,
	.addr = COH_ADDR_NONE, .bus = COH_ADDR_NONE,
};

/* The addresses that name the finding's bytes: its own, else its event's. */
static void target(const struct coh_finding *f, const struct report_call *at, uint64_t *pa,
		   uint64_t *ba)
{
	*pa = f->addr;
	*ba = f->bus;
	if (*pa == COH_ADDR_NONE && *ba == COH_ADDR_NONE && at->kind != COH_EV_NONE) {
		*pa = at->addr;
		*ba = at->bus;
	}
}

/* The map call @f names itself (its other event, or a leak's own call).
 * Return: 1 when found or when there is nothing to search for, 0 when the
 * events before @f must be searched (for the addresses in @pa, @ba). */
static int direct_map(const struct report_file *rf, const struct coh_finding *f,
		      struct report_note *n, uint64_t *pa, uint64_t *ba)
{
	struct coh_event ev;

	if (f->other_seq != COH_SEQ_NONE && rf->event(rf->src_ctx, f->other_seq, &ev) == 0 &&
	    is_map(ev.kind)) {
		keep(&n->map, &ev, f->other_seq);
		return 1;
	}
	if (f->rule == COH_R_LEAK && is_map(n->at.kind)) {
		n->map = n->at;      /* a leak is reported at its own map call */
		return 1;
	}
	target(f, &n->at, pa, ba);
	return *pa == COH_ADDR_NONE && *ba == COH_ADDR_NONE;
}

static uint64_t scan_stop(uint64_t seq)
{
	return seq > NOTE_SCAN_BACK ? seq - NOTE_SCAN_BACK : 0;
}

/* Search back from @f for its map call, noting an unmap met on the way
 * (what the forward sweep's look-up answers, for when an event cannot be read). */
static void scan_back(const struct report_file *rf, const struct coh_finding *f,
		      struct report_note *n, uint64_t pa, uint64_t ba)
{
	struct coh_event ev;

	for (uint64_t s = f->seq; s-- > scan_stop(f->seq);) {
		if (rf->event(rf->src_ctx, s, &ev) < 0)
			return;
		if (f->dev >= 0 && ev.dev != (uint16_t)f->dev)
			continue;
		if ((is_map(ev.kind) || is_end(ev.kind)) && covers(&ev, pa, ba)) {
			if (is_map(ev.kind)) {
				keep(&n->map, &ev, s);
				return;
			}
			if (n->end.kind == COH_EV_NONE)
				keep(&n->end, &ev, s);
		}
	}
}

/* ---- facts ------------------------------------------------------------ */

#define fact coh_buf_printf

static unsigned long long ev_src(const struct report_file *rf, uint64_t seq)
{
	return (unsigned long long)report_src(rf, seq);
}

/* How a call states its direction: " FROM_DEVICE", " WriteToDevice=TRUE", or "". */
static const char *dir_text(const struct report_call *c)
{
	static const char *const linux_dir[] = {
		" BIDIRECTIONAL", " TO_DEVICE", " FROM_DEVICE",
	};

	if (coh_kind_group(c->kind) == COH_GROUP_WINDOWS)
		return c->kind == COH_EV_ALLOC_COMMON ? "" : c->flags & COH_F_WRITE_TO_DEVICE ?
		       " WriteToDevice=TRUE" : " WriteToDevice=FALSE";
	return c->dir < 3 ? linux_dir[c->dir] : "";
}

static void map_facts(struct coh_buf *b, const struct report_file *rf,
		      const struct coh_finding *f, const struct report_note *n)
{
	const struct report_call *m = &n->map, *a = &n->at;

	switch (f->rule) {
	case COH_R_UNMAP_SIZE:
	case COH_R_FREE_SIZE:
		fact(b, "mapped %llu bytes at event %llu, %s %llu", (unsigned long long)m->len,
		     ev_src(rf, m->seq), f->rule == COH_R_FREE_SIZE ? "freed" : "unmapped",
		     (unsigned long long)a->len);
		return;
	case COH_R_DIR_UNMAP:
	case COH_R_DIR_SYNC:
		fact(b, "mapped%s at event %llu, %s%s", dir_text(m), ev_src(rf, m->seq),
		     f->rule == COH_R_DIR_SYNC ? "synced" : "unmapped", dir_text(a));
		return;
	case COH_R_SG_NENTS:
		fact(b, "mapped with nents=%u at event %llu, passed nents=%u", m->nents,
		     ev_src(rf, m->seq), a->nents);
		return;
	case COH_R_LEAK:
		fact(b, "mapped %llu bytes%s at event %llu, never unmapped",
		     (unsigned long long)m->len, dir_text(m), ev_src(rf, m->seq));
		return;
	}
	fact(b, "%s %llu bytes%s at event %llu", m->kind == COH_EV_DMA_ALLOC ||
	     m->kind == COH_EV_DMA_ALLOC_PAGES || m->kind == COH_EV_ALLOC_COMMON ? "allocated" :
	     "mapped", (unsigned long long)m->len, dir_text(m), ev_src(rf, m->seq));
}

static void build_facts(const struct report_file *rf, const struct coh_finding *f,
			struct report_note *n)
{
	struct coh_buf b = { n->facts, sizeof(n->facts), 0 };
	const char *sep = "";

	if ((f->rule == COH_R_SHARED_LINE || f->rule == COH_R_ALIGN) &&
	    n->at.kind == COH_EV_CPU_WRITE) {
		fact(&b, "the CPU wrote %llu bytes at 0x%llx", (unsigned long long)n->at.len,
		     (unsigned long long)n->at.addr);
		sep = "; ";
	}
	if (n->map.kind != COH_EV_NONE) {
		fact(&b, "%s", sep);
		map_facts(&b, rf, f, n);
		sep = ", ";
	} else if (f->rule == COH_R_DIR_DEV_WRITE) {
		fact(&b, "%sthe mapping is TO_DEVICE, the device wrote", sep);
		sep = "; ";
	}
	if (n->end.kind != COH_EV_NONE)
		fact(&b, "%s%s at event %llu", sep, n->end.kind == COH_EV_DMA_FREE ||
		     n->end.kind == COH_EV_DMA_FREE_PAGES || n->end.kind == COH_EV_FREE_COMMON ?
		     "freed" : "unmapped", ev_src(rf, n->end.seq));
}

/* ---- scopes ----------------------------------------------------------- */

struct open_scope {
	uint8_t scope;
	char text[64];
};

static void scope_text(char *buf, size_t n, const struct open_scope *s)
{
	static const char *const key[] = { "id", "name", "round" };

	snprintf(buf, n, "%s begin %s=%s", coh_scope_name(s->scope),
		 key[s->scope < 3 ? s->scope : 0], s->text);
}

static void scope_step(struct open_scope *st, unsigned *depth, const struct coh_event *ev)
{
	if (ev->kind == COH_EV_SCOPE_BEGIN && *depth < NOTE_SCOPES) {
		st[*depth].scope = ev->scope;
		snprintf(st[*depth].text, sizeof(st[*depth].text), "%s", ev->text ? ev->text : "");
		(*depth)++;
	} else if (ev->kind == COH_EV_SCOPE_END) {
		for (unsigned d = *depth; d-- > 0;)
			if (st[d].scope == ev->scope) {
				*depth = d;
				break;
			}
	}
}

static void scope_note(const struct open_scope *st, unsigned depth, struct report_note *n)
{
	for (unsigned d = depth; d-- > 0;) {
		if (st[d].scope == COH_SCOPE_SEQ && !n->seq[0])
			scope_text(n->seq, sizeof(n->seq), &st[d]);
		if (st[d].scope == COH_SCOPE_PHASE && !n->phase[0])
			scope_text(n->phase, sizeof(n->phase), &st[d]);
	}
}

/* ---- one forward pass ------------------------------------------------- */

/* The addresses a finding's map call is searched by; both COH_ADDR_NONE: no search. */
struct want {
	uint64_t pa, ba;
};

static bool searches(const struct want *q)
{
	return q->pa != COH_ADDR_NONE || q->ba != COH_ADDR_NONE;
}

/* What the pass over the events knows before event @next. */
struct sweep {
	const struct report_file *rf;
	struct report_maps *maps;    /* the map and end calls of the last NOTE_SCAN_BACK events */
	struct open_scope st[NOTE_SCOPES];  /* the open scopes */
	unsigned depth;
	uint64_t next;               /* the next event to read */
	uint64_t index_from;         /* calls before this index no search looks at */
	int stuck;                   /* 1: event @next could not be read; the pass ends there */
};

/* Read the events before @to.  Return: 0, or -1 when out of memory. */
static int advance(struct sweep *w, uint64_t to)
{
	struct coh_event ev;

	for (; !w->stuck && w->next < to; w->next++) {
		if (w->rf->event(w->rf->src_ctx, w->next, &ev) < 0) {
			w->stuck = 1;
			break;
		}
		scope_step(w->st, &w->depth, &ev);
		if (w->next >= w->index_from && (is_map(ev.kind) || is_end(ev.kind)) &&
		    report_maps_add(w->maps, w->next, &ev, is_end(ev.kind)) < 0)
			return -1;
		report_maps_forget(w->maps, scan_stop(w->next));
	}
	return 0;
}

/* @f's map call and the end met after it, once the events before @f are read. */
static void lookup(struct sweep *w, const struct coh_finding *f, struct report_note *n,
		   const struct want *q)
{
	const struct report_file *rf = w->rf;
	struct coh_event ev;
	uint64_t map, end;

	if (w->stuck) {              /* the search back stops at the event it cannot read */
		scan_back(rf, f, n, q->pa, q->ba);
		return;
	}
	report_maps_find(w->maps, f->dev, q->pa, q->ba, scan_stop(f->seq), f->seq, &map, &end);
	if (map != COH_SEQ_NONE && rf->event(rf->src_ctx, map, &ev) == 0)
		keep(&n->map, &ev, map);
	if (end != COH_SEQ_NONE && rf->event(rf->src_ctx, end, &ev) == 0)
		keep(&n->end, &ev, end);
}

struct at_seq {
	uint64_t seq;                /* the finding's engine index */
	size_t i;                    /* the finding */
};

static int by_seq(const void *a, const void *b)
{
	const struct at_seq *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Visit the findings in engine-index order; read each event once, for the scopes
 * open at every finding and the map calls the findings' searches want. */
static int sweep(struct sweep *w, struct report_note *notes, const struct want *want,
		 struct at_seq *order)
{
	const struct report_file *rf = w->rf;
	size_t j = 0;                /* the next finding that searches */

	for (size_t i = 0; i < rf->nfindings; i++)
		order[i] = (struct at_seq){ rf->findings[i]->seq, i };
	qsort(order, rf->nfindings, sizeof(*order), by_seq);
	for (size_t k = 0; k < rf->nfindings; k++) {
		size_t i = order[k].i;
		uint64_t seq = order[k].seq;

		while (j < rf->nfindings && (j < k || !searches(&want[order[j].i])))
			j++;
		/* only the windows of the searches to come need the calls indexed */
		w->index_from = j < rf->nfindings ? scan_stop(order[j].seq) : UINT64_MAX;
		if (seq != COH_SEQ_NONE) {
			if (advance(w, seq) < 0)
				return -1;
			if (searches(&want[i]))
				lookup(w, rf->findings[i], &notes[i], &want[i]);
			if (advance(w, seq + 1) < 0)
				return -1;
		}
		scope_note(w->st, w->depth, &notes[i]);
	}
	return 0;
}

static int sweep_all(const struct report_file *rf, struct report_note *notes,
		     const struct want *want)
{
	struct sweep w = { .rf = rf, .maps = report_maps_new() };
	struct at_seq *order = malloc((rf->nfindings ? rf->nfindings : 1) * sizeof(*order));
	int ret = w.maps && order ? sweep(&w, notes, want, order) : -1;

	free(order);
	report_maps_free(w.maps);
	return ret;
}

/* ---- putting it together ---------------------------------------------- */

static int windows_finding(const struct report_file *rf, const struct coh_finding *f,
			   const struct report_note *n)
{
	unsigned kinds[] = { n->map.kind, f->omitted, n->at.kind, n->end.kind };
	const struct coh_platform *p = report_finding_plat(rf, f);

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int g = kinds[i] == COH_EV_NONE ? -1 : coh_kind_group(kinds[i]);

		if (g == COH_GROUP_WINDOWS || g == COH_GROUP_LINUX)
			return g == COH_GROUP_WINDOWS;
	}
	return p && strncmp(p->name, "nt-", 3) == 0;
}

/* What @f's own event says: the call it fired at, the map call it names. */
static void note_at(const struct report_file *rf, const struct coh_finding *f,
		    struct report_note *n, struct want *q)
{
	struct coh_event ev;

	n->at = n->map = n->end = no_call;
	n->write_seq = COH_SEQ_NONE;
	q->pa = q->ba = COH_ADDR_NONE;
	if (!rf->event || f->seq == COH_SEQ_NONE)
		return;
	if (rf->event(rf->src_ctx, f->seq, &ev) == 0)
		keep(&n->at, &ev, f->seq);
	if (direct_map(rf, f, n, &q->pa, &q->ba))
		q->pa = q->ba = COH_ADDR_NONE;
}

/* What follows from the calls found: the API function, the facts. */
static void note_rest(const struct report_file *rf, const struct coh_finding *f,
		      struct report_note *n)
{
	if (f->rule == COH_R_CPU_WRITE_NO_SYNC && f->nbytes && f->exp_ver[0])
		n->write_seq = f->exp_ver[0] - 1u;   /* version v: engine event v - 1 */
	n->call = report_call_name(f->omitted, n->map.kind, n->at.kind);
	n->windows = windows_finding(rf, f, n);
	build_facts(rf, f, n);
}

struct report_note *report_notes(const struct report_file *rf)
{
	size_t n = rf->nfindings ? rf->nfindings : 1;
	struct report_note *notes = calloc(n, sizeof(*notes));
	struct want *want = malloc(n * sizeof(*want));

	if (!notes || !want)
		goto fail;
	for (size_t i = 0; i < rf->nfindings; i++)
		note_at(rf, rf->findings[i], &notes[i], &want[i]);
	if (rf->event && sweep_all(rf, notes, want) < 0)
		goto fail;
	for (size_t i = 0; i < rf->nfindings; i++)
		note_rest(rf, rf->findings[i], &notes[i]);
	free(want);
	return notes;
fail:
	free(notes);
	free(want);
	return NULL;
}

/* ---- grouping and the whole context --------------------------------------------------------- */

/* 1 when roots @a and @b are the same finding repeated (on the same presets). */
static int same(const struct report_file *rf, const struct report_note *notes, size_t a,
		size_t b)
{
	const struct coh_finding *x = rf->findings[a], *y = rf->findings[b];
	const char *cx = notes[a].call, *cy = notes[b].call;

	return x->id == y->id && x->rule == y->rule && x->dev == y->dev &&
	       report_finding_mask(rf, a) == report_finding_mask(rf, b) &&
	       (x->flags & (COH_FF_STRICT | COH_FF_INFERRED | COH_FF_INFO | COH_FF_LATENT)) ==
	       (y->flags & (COH_FF_STRICT | COH_FF_INFERRED | COH_FF_INFO | COH_FF_LATENT)) &&
	       (cx == cy || (cx && cy && strcmp(cx, cy) == 0));
}

static long *groups(const struct report_file *rf, const struct report_tree *t,
		    const struct report_note *notes)
{
	long *group = malloc((rf->nfindings ? rf->nfindings : 1) * sizeof(*group));
	size_t *firsts = malloc((rf->nfindings ? rf->nfindings : 1) * sizeof(*firsts));
	size_t nfirst = 0;

	if (!group || !firsts) {
		free(group);
		free(firsts);
		return NULL;
	}
	for (size_t i = 0; i < rf->nfindings; i++) {
		size_t k = 0;

		group[i] = -1;
		if (t->parent[i] >= 0)
			continue;
		while (k < nfirst && !same(rf, notes, firsts[k], i))
			k++;
		if (k == nfirst)
			firsts[nfirst++] = i;
		group[i] = (long)firsts[k];
	}
	free(firsts);
	return group;
}

int report_ctx_build(const struct report_file *rf, struct report_ctx *c)
{
	memset(c, 0, sizeof(*c));
	if (report_tree_build(rf, &c->tree) < 0)
		return -1;
	c->notes = report_notes(rf);
	c->group = c->notes ? groups(rf, &c->tree, c->notes) : NULL;
	c->members = calloc(rf->nfindings ? rf->nfindings : 1, sizeof(*c->members));
	if (!c->group || !c->members) {
		report_ctx_free(c);
		return -1;
	}
	for (size_t i = 0; i < rf->nfindings; i++)
		if (c->group[i] >= 0)
			c->members[c->group[i]]++;
	return 0;
}

void report_ctx_free(struct report_ctx *c)
{
	report_tree_free(&c->tree);
	free(c->notes);
	free(c->group);
	free(c->members);
	report_lines_free(c->lines);
	c->lines = NULL;
	c->notes = NULL;
	c->group = NULL;
	c->members = NULL;
}
