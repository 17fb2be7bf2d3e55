/* SPDX-License-Identifier: MIT */
/*
 * view_caches.c - the caches pane: per CPU, the lines that matter (those of
 * the selected buffer first, marked '*', then the other valid lines), each
 * as a header row (set/way, tag, state letter and colour) and rows of its
 * bytes in hex, a byte that differs from memory in ROLE_DIFF; with
 * vs->versions, the number of the event that wrote each byte, as the
 * timeline numbers it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_platform.h"
#include "coh_sim.h"
#include "i18n.h"
#include "session.h"
#include "view_util.h"

#define CACHE_PREFIX 6   /* "  +00 " */
#define CACHE_LINE_MAX 256
#define CACHE_LOOK  8192 /* lines of the selected buffer looked up, at most */

struct cline {
	unsigned cpu, set, way;
	bool mine;           /* holds bytes of the selected buffer */
	bool header;         /* a "CPU n" row, not a line */
};

struct clist {
	struct cline *v;
	size_t n, cap;
};

static void push(struct clist *l, struct cline c)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct cline *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = c;
}

/* The lines of CPU @cpu holding bytes of @r, in address order, marked in
 * @seen (one flag per set and way). */
static void mine(const struct coh_sim *sim, unsigned cpu, const struct view_range *r,
		 struct clist *l, uint8_t *seen)
{
	const struct coh_platform *p = coh_sim_platform(sim);
	unsigned looked = 0;

	for (int k = 0; k < r->nseg; k++) {
		uint64_t end = r->addr[k] + r->len[k];

		for (uint64_t a = r->addr[k] & ~(uint64_t)(p->line - 1);
		     a < end && looked++ < CACHE_LOOK; a += p->line) {
			unsigned set, way;

			if (coh_sim_cache_lookup(sim, cpu, a, &set, &way) != 1)
				continue;
			seen[(size_t)set * p->ways + way] = 1;
			push(l, (struct cline){ cpu, set, way, true, false });
		}
	}
}

/* The other valid lines of CPU @cpu (not in @seen). */
static void others(const struct coh_sim *sim, unsigned cpu, struct clist *l,
		   const uint8_t *seen)
{
	const struct coh_platform *p = coh_sim_platform(sim);
	struct coh_line_view lv;

	for (unsigned set = 0; set < p->sets; set++)
		for (unsigned way = 0; way < p->ways; way++)
			if (!seen[(size_t)set * p->ways + way] &&
			    coh_sim_cache_line(sim, cpu, set, way, &lv, NULL, NULL, NULL) == 0 &&
			    lv.state != COH_LINE_INVALID)
				push(l, (struct cline){ cpu, set, way, false, false });
}

static void collect(const struct coh_sim *sim, const struct view_range *r, struct clist *l)
{
	const struct coh_platform *p = coh_sim_platform(sim);
	uint8_t *seen = malloc((size_t)p->sets * p->ways);

	for (unsigned cpu = 0; seen && cpu < p->ncpus; cpu++) {
		memset(seen, 0, (size_t)p->sets * p->ways);
		push(l, (struct cline){ .cpu = cpu, .header = true });
		mine(sim, cpu, r, l, seen);
		others(sim, cpu, l, seen);
	}
	free(seen);
}

/* Rows one entry takes: a CPU header 1, a line 1 + its byte rows. */
static long entry_rows(const struct cline *c, uint32_t L, int per)
{
	return c->header ? 1 : 1 + (long)((L + (uint32_t)per - 1) / (uint32_t)per);
}

static uint8_t state_role(unsigned state)
{
	return state == COH_LINE_DIRTY ? ROLE_DIRTY :
	       state == COH_LINE_CLEAN ? ROLE_CLEAN : ROLE_DIM;
}

/* The header row of a line, or of a CPU. */
static void head_row(struct cells *g, struct rect b, int y, const struct coh_sim *sim,
		     const struct cline *c, const struct coh_line_view *lv)
{
	const struct coh_platform *p = coh_sim_platform(sim);

	if (c->header) {
		cells_printf(g, b, 0, y, ROLE_DIM, CELL_BOLD, _("CPU %u"), c->cpu);
		return;
	}
	cells_printf(g, b, 0, y, state_role(lv->state), 0, "%c s%-4u w%-2u %c tag %#llx%s",
		     c->mine ? '*' : ' ', lv->set, lv->way, view_line_letter(lv->state),
		     (unsigned long long)(lv->addr / p->line / p->sets),
		     lv->speculative ? " spec" : "");
	if (b.w >= 48)
		cells_printf(g, b, 34, y, ROLE_DIM, 0, _("line %#llx"),
			     (unsigned long long)lv->addr);
}

/* Byte row @sub of a line: its bytes from offset sub * per, or with
 * @versions (the session, NULL: bytes) the events that wrote them. */
static void byte_row(struct cells *g, struct rect b, int y, int sub, int per,
		     struct session *versions, const uint8_t *bytes, const uint32_t *vers,
		     const uint8_t *diff)
{
	int cw = versions ? 6 : 3;

	cells_printf(g, b, 0, y, ROLE_DIM, 0, "  +%02x", sub * per);
	for (int k = 0; k < per; k++) {
		int o = sub * per + k;
		uint8_t role = diff[o] ? ROLE_DIFF : ROLE_NORMAL;

		if (versions && vers[o])
			cells_printf(g, b, CACHE_PREFIX + k * cw, y, role, 0, "%5llu",
				     (unsigned long long)session_index(versions, vers[o] - 1));
		else if (versions)
			cells_put(g, b, CACHE_PREFIX + k * cw, y, role, 0, "    -");
		else
			cells_printf(g, b, CACHE_PREFIX + k * cw, y, role, 0, "%02x", bytes[o]);
	}
}

/* Draw row @sub of entry @c at @y (sub 0 the header). */
static void entry_row(struct cells *g, struct rect b, int y, const struct coh_sim *sim,
		      const struct cline *c, int sub, int per, struct session *versions)
{
	struct coh_line_view lv = { 0 };
	uint8_t bytes[CACHE_LINE_MAX], diff[CACHE_LINE_MAX];
	uint32_t vers[CACHE_LINE_MAX];

	if (!c->header && coh_sim_cache_line(sim, c->cpu, c->set, c->way, &lv, bytes, vers,
					     diff) < 0)
		return;
	if (sub == 0)
		head_row(g, b, y, sim, c, &lv);
	else
		byte_row(g, b, y, sub - 1, per, versions, bytes, vers, diff);
}

static long total_rows(const struct clist *l, uint32_t L, int per)
{
	long n = 0;

	for (size_t k = 0; k < l->n; k++)
		n += entry_rows(&l->v[k], L, per);
	return n;
}

static void draw_list(struct cells *g, struct rect b, struct session *s,
		      const struct coh_sim *sim, const struct clist *l, struct view_state *vs,
		      int per)
{
	uint32_t L = coh_sim_platform(sim)->line;
	long top = vs->scroll[PANE_CACHES].top, row = 0;

	for (size_t k = 0; k < l->n && row < top + b.h; k++) {
		long er = entry_rows(&l->v[k], L, per);

		for (long sub = 0; sub < er; sub++, row++)
			if (row >= top && row < top + b.h)
				entry_row(g, b, (int)(row - top), sim, &l->v[k], (int)sub, per,
					  vs->versions ? s : NULL);
	}
}

void view_caches_draw(struct cells *g, struct rect r, struct session *s,
		      struct view_state *vs)
{
	struct rect b = view_body(r);
	struct view_range vr;
	struct clist l = { 0 };
	struct view_scroll *sc = &vs->scroll[PANE_CACHES];
	const struct coh_sim *sim;
	char title[96];
	uint32_t L;
	int per;

	cells_clear(g, r);
	view_range_get(s, vs, &vr);
	snprintf(title, sizeof(title), _("Caches%s%s"), vr.nseg ? "  * = " : "", vr.label);
	view_title(g, r, vs, PANE_CACHES, title);
	session_lock(s);
	sim = session_sim(s);
	if (!sim) {
		session_unlock(s);
		return;
	}
	L = coh_sim_platform(sim)->line;
	per = view_per_row(b.w, CACHE_PREFIX, vs->versions ? 6 : 3, (int)L);
	collect(sim, &vr, &l);
	vs->rows[PANE_CACHES] = total_rows(&l, L, per);
	view_scroll_to(sc, sc->sel, b.h, vs->rows[PANE_CACHES]);
	draw_list(g, b, s, sim, &l, vs, per);
	session_unlock(s);
	view_select(g, b, vs, PANE_CACHES);
	free(l.v);
}
