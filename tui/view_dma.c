/* SPDX-License-Identifier: MIT */
/*
 * view_dma.c - the DMA pane: per device its system controller buffer (fill
 * level, direction, bytes) and posted writes; then the live mappings (the
 * selected buffer's first, marked '>') with owner (CPU, device) and
 * direction, a transfer in progress marked, and
 * under each what its bounce slots or map buffers hold and the device
 * writes not yet handed over to the CPU.  Rows are built under the lock,
 * then drawn from the pane's scroll.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "coh_platform.h"
#include "coh_sim.h"
#include "coh_sim_dma.h"
#include "i18n.h"
#include "session.h"
#include "view_util.h"

#define DMA_ROWS 512     /* rows one frame lists, at most */
#define DMA_HELD 64      /* held bytes shown per buffer */
#define DMA_RUNS 16      /* runs shown per mapping and view */

struct drow {
	char text[200];
	uint8_t role;
};

struct dlist {
	struct drow *v;
	int n;
	int width;           /* the pane's columns: how many bytes a row shows */
	struct session *s;   /* the events' numbers as the timeline shows them */
};

static void add(struct dlist *l, uint8_t role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct dlist *l, uint8_t role, const char *fmt, ...)
{
	va_list ap;

	if (l->n >= DMA_ROWS)
		return;
	va_start(ap, fmt);
	vsnprintf(l->v[l->n].text, sizeof(l->v[l->n].text), fmt, ap);
	va_end(ap);
	l->v[l->n++].role = role;
}

/* Held bytes as hex rows, as many a row as the pane fits. */
static void held_rows(struct dlist *l, const struct coh_held_byte *b, long n)
{
	int per = view_per_row(l->width, 4, 3, 32);

	for (long k = 0; k < n; k += per) {
		char hex[200];
		int len = 0;

		for (long j = k; j < n && j < k + per && len < (int)sizeof(hex) - 4; j++)
			len += snprintf(hex + len, sizeof(hex) - (size_t)len, "%02x ", b[j].value);
		add(l, ROLE_BY_CONTROLLER, "    %s", hex);
	}
}

static void controller(struct dlist *l, const struct coh_sim *sim, unsigned dev,
		       const struct coh_dev_cfg *cfg)
{
	struct coh_held_byte held[DMA_HELD];
	char bar[16];
	int dir = COH_DIR_NONE;
	long n = coh_sim_ctrl_view(sim, dev, held, DMA_HELD, &dir);

	if (n < 0)
		return;
	add(l, ROLE_NORMAL, _("controller %s %s %ld/%u bytes %s"), cfg->name,
	    view_bar(bar, 12, cfg->ctrl_size ? (double)n / cfg->ctrl_size : 0), n,
	    cfg->ctrl_size, view_dir((unsigned)dir));
	held_rows(l, held, n < DMA_HELD ? n : DMA_HELD);
}

static void posted(struct dlist *l, const struct coh_sim *sim, unsigned dev,
		   const struct coh_dev_cfg *cfg)
{
	struct coh_held_byte held[DMA_HELD];
	long n = coh_sim_posted_view(sim, dev, held, DMA_HELD);

	if (n <= 0)
		return;
	add(l, ROLE_BY_DEVICE, _("posted writes %s: %ld bytes (of %u) not in memory"), cfg->name,
	    n, cfg->posted);
	held_rows(l, held, n < DMA_HELD ? n : DMA_HELD);
}

static void devices(struct dlist *l, const struct coh_sim *sim)
{
	const struct coh_platform *p = coh_sim_platform(sim);

	for (unsigned d = 0; d < p->ndevs; d++) {
		if (p->devs[d].ctrl_size)
			controller(l, sim, d, &p->devs[d]);
		if (p->devs[d].posted)
			posted(l, sim, d, &p->devs[d]);
	}
}

static void runs(struct dlist *l, const char *what, uint8_t role, const struct coh_buf_run *r,
		 long n)
{
	for (long k = 0; k < n && k < DMA_RUNS; k++) {
		char by[24];

		snprintf(by, sizeof(by), "%s", _("empty"));
		if (r[k].ver)
			snprintf(by, sizeof(by), _("by ev %llu"),
				 (unsigned long long)session_index(l->s, r[k].ver - 1));
		add(l, role, "   %s +%llu..+%llu @%#llx %s", what, (unsigned long long)r[k].off,
		    (unsigned long long)(r[k].off + r[k].len), (unsigned long long)r[k].bus, by);
	}
	if (n > DMA_RUNS)
		add(l, ROLE_DIM, _("    ... %ld runs in all"), n);
}

static const char *owner_name(unsigned owner)
{
	return owner == COH_OWNER_CPU ? "cpu" : owner == COH_OWNER_DEVICE ? "device" : "mixed";
}

static const char *dev_label(const struct coh_sim *sim, unsigned dev)
{
	const struct coh_platform *p = coh_sim_platform(sim);

	return dev < p->ndevs ? p->devs[dev].name : "?";
}

static void mapping(struct dlist *l, const struct coh_sim *sim, size_t i, bool cur)
{
	struct coh_map_view mv;
	struct coh_buf_run r[DMA_RUNS];
	bool xfer;

	if (coh_sim_mapping(sim, i, &mv, NULL, 0) < 0)
		return;
	xfer = mv.kind == COH_MAP_TRANSFER || mv.kind == COH_MAP_WIN_SG;
	add(l, mv.owner == COH_OWNER_DEVICE ? ROLE_BY_DEVICE : ROLE_BY_CPU,
	    "%c#%zu %s %s %s owner %s %#llx+%llu bus %#llx%s%s", cur ? '>' : ' ', i,
	    view_map_kind(mv.kind),
	    dev_label(sim, mv.dev), view_dir(mv.dir), owner_name(mv.owner),
	    (unsigned long long)mv.addr, (unsigned long long)mv.len, (unsigned long long)mv.bus,
	    mv.bounced ? " bounced" : "", xfer ? " (transfer in progress)" : "");
	if (mv.bounced)
		runs(l, _("slot"), ROLE_BY_BOUNCE, r, coh_sim_bounce_slots(sim, i, r, DMA_RUNS));
	if (xfer)
		runs(l, _("map buffer"), ROLE_BY_BOUNCE, r,
		     coh_sim_map_buffers(sim, i, r, DMA_RUNS));
	runs(l, _("pending"), ROLE_WARN, r, coh_sim_pending_writes(sim, i, r, DMA_RUNS));
}

/* Devices, then the live mappings: the selected buffer's first ('>'). */
static void collect(struct dlist *l, const struct coh_sim *sim, long cur)
{
	size_t n = coh_sim_nmappings(sim);

	devices(l, sim);
	add(l, ROLE_DIM, ngettext("%zu live mapping", "%zu live mappings", n), n);
	if (cur >= 0 && (size_t)cur < n)
		mapping(l, sim, (size_t)cur, true);
	for (size_t i = 0; i < n && l->n < DMA_ROWS; i++)
		if ((long)i != cur)
			mapping(l, sim, i, false);
}

void view_dma_draw(struct cells *g, struct rect r, struct session *s, struct view_state *vs)
{
	struct rect b = view_body(r);
	struct view_scroll *sc = &vs->scroll[PANE_DMA];
	struct dlist l = { .v = malloc(DMA_ROWS * sizeof(struct drow)), .width = b.w, .s = s };
	struct view_range vr;

	cells_clear(g, r);
	view_title(g, r, vs, PANE_DMA, _("DMA"));
	if (!l.v)
		return;
	view_range_get(s, vs, &vr);
	session_lock(s);
	if (session_sim(s))
		collect(&l, session_sim(s), vr.mapping);
	session_unlock(s);
	vs->rows[PANE_DMA] = l.n;
	view_scroll_to(sc, sc->sel, b.h, l.n);
	for (int y = 0; y < b.h && sc->top + y < l.n; y++) {
		const struct drow *d = &l.v[sc->top + y];

		cells_put(g, b, 0, y, d->role, 0, d->text);
	}
	view_select(g, b, vs, PANE_DMA);
	free(l.v);
}
