/* SPDX-License-Identifier: MIT */
/*
 * view_memory.c - the memory pane: a window on the selected buffer, one row
 * of bytes per line with its offset; each byte coloured by its last writer
 * (CPU, device, controller, bounce copy: its version's event), a byte the
 * current event's CPU would read stale (older than what a read should
 * return, or than memory holds) in ROLE_ERROR, the watched byte
 * underlined; with vs->versions the writing event's number instead (as the
 * timeline numbers it).
 */
#include <stdio.h>
#include <stdlib.h>

#include "coh_event.h"
#include "coh_sim.h"
#include "i18n.h"
#include "session.h"
#include "view_util.h"

#define MEM_PREFIX 9     /* "+000000  " */
#define MEM_ROLES 32     /* versions whose role one frame remembers */

/* One byte of the window, read under the lock. */
struct mbyte {
	uint64_t addr;       /* COH_ADDR_NONE past the end */
	uint8_t value;
	uint32_t ver;
	bool stale;
};

/* Version -> writer role, remembered for the frame. */
struct role_memo {
	uint32_t ver[MEM_ROLES];
	uint8_t role[MEM_ROLES];
	int n;
};

static uint8_t role_of(struct role_memo *m, struct session *s, uint32_t ver, bool bounced)
{
	uint8_t role;

	for (int k = 0; k < m->n; k++)
		if (m->ver[k] == ver)
			return m->role[k];
	role = view_event_role(s, ver, bounced);
	if (m->n < MEM_ROLES) {
		m->ver[m->n] = ver;
		m->role[m->n++] = role;
	}
	return role;
}

static void read_byte(const struct coh_sim *sim, unsigned cpu, struct mbyte *b)
{
	uint32_t seen = 0, want = 0;
	uint8_t v;

	if (b->addr == COH_ADDR_NONE || coh_sim_mem_read(sim, b->addr, 1, &b->value, &b->ver) < 0) {
		b->addr = COH_ADDR_NONE;
		return;
	}
	/* stale: older than what a read should return or than memory holds
	 * (a device write the CPU's cache hides) */
	if (coh_sim_cpu_view(sim, cpu, b->addr, 1, &v, &seen) == 0 &&
	    coh_sim_expected(sim, b->addr, 1, &want, NULL) == 0)
		b->stale = seen < want || seen < b->ver;
}

/* The bytes of rows [top, top + rows) of @vr, @per a row. */
static void read_window(struct session *s, const struct view_range *vr, long top, int rows,
			int per, struct mbyte *out)
{
	const struct coh_sim *sim;

	session_lock(s);
	sim = session_sim(s);
	for (long k = 0; k < (long)rows * per; k++) {
		uint64_t room;

		out[k] = (struct mbyte){ .addr = COH_ADDR_NONE };
		if (sim)
			out[k].addr = view_range_at(vr, (uint64_t)(top * per + k), &room);
		if (sim)
			read_byte(sim, vr->cpu, &out[k]);
	}
	session_unlock(s);
}

static void byte_cell(struct cells *g, struct rect b, int x, int y, struct session *s,
		      const struct mbyte *m, uint8_t role, const struct view_state *vs)
{
	uint64_t hi = vs->watch_hi > vs->watch ? vs->watch_hi : vs->watch + 1;
	uint8_t flags = vs->watching && m->addr >= vs->watch && m->addr < hi ?
			CELL_UNDERLINE | CELL_REVERSE : 0;

	if (m->stale)
		role = ROLE_ERROR;
	if (vs->versions && m->ver)
		cells_printf(g, b, x, y, role, flags, "%5llu",
			     (unsigned long long)session_index(s, m->ver - 1));
	else if (vs->versions)
		cells_put(g, b, x, y, role, flags, "    -");
	else
		cells_printf(g, b, x, y, role, flags, "%02x", m->value);
}

static void draw_rows(struct cells *g, struct rect b, struct session *s,
		      const struct view_range *vr, const struct view_state *vs, int per,
		      const struct mbyte *win)
{
	struct role_memo memo = { .n = 0 };
	long top = vs->scroll[PANE_MEMORY].top;
	int cw = vs->versions ? 6 : 3;

	for (int y = 0; y < b.h; y++) {
		const struct mbyte *row = win + (size_t)y * (size_t)per;

		if (row[0].addr == COH_ADDR_NONE)
			break;
		cells_printf(g, b, 0, y, ROLE_DIM, 0, "+%06llx", (unsigned long long)(top + y) *
			     (unsigned long long)per);
		for (int k = 0; k < per && row[k].addr != COH_ADDR_NONE; k++)
			byte_cell(g, b, MEM_PREFIX + k * cw, y, s, &row[k],
				  role_of(&memo, s, row[k].ver, vr->bounced), vs);
	}
}

void view_memory_draw(struct cells *g, struct rect r, struct session *s,
		      struct view_state *vs)
{
	struct rect b = view_body(r);
	struct view_scroll *sc = &vs->scroll[PANE_MEMORY];
	struct view_range vr;
	struct mbyte *win;
	char title[112];
	int per;

	cells_clear(g, r);
	view_range_get(s, vs, &vr);
	snprintf(title, sizeof(title), _("Memory  %s  stale for cpu%u"), vr.nseg ? vr.label :
		 _("(no buffer)"), vr.cpu);
	view_title(g, r, vs, PANE_MEMORY, title);
	per = view_per_row(b.w, MEM_PREFIX, vs->versions ? 6 : 3, 32);
	vs->rows[PANE_MEMORY] = (long)((vr.total + (uint64_t)per - 1) / (uint64_t)per);
	/* the selected row in sight, else the watched byte */
	view_scroll_to(sc, sc->sel >= 0 ? sc->sel : view_watch_row(vs, &vr, per), b.h,
		       vs->rows[PANE_MEMORY]);
	win = b.h > 0 ? malloc((size_t)b.h * (size_t)per * sizeof(*win)) : NULL;
	if (!win || !vr.nseg) {
		free(win);
		return;
	}
	read_window(s, &vr, sc->top, b.h, per, win);
	draw_rows(g, b, s, &vr, vs, per, win);
	view_select(g, b, vs, PANE_MEMORY);
	free(win);
}
