/* SPDX-License-Identifier: MIT */
/*
 * session_watch.c - the history of a byte or a few: where each lived (memory, each
 * CPU's cache, bounce slots, Windows map buffers, a DMA controller or its
 * posted writes), with which value and version, at each event that changed
 * one of those; and who last wrote it as a CPU should see it.
 *
 * The history is read newest first, window by window backward from pos,
 * each window replayed on a silent copy from the timeline's nearest
 * snapshot (coh_timeline_search_fwd), so a long trace is never replayed
 * from its start for a recent history.
 */
#include <string.h>

#include "coh_sim_dma.h"
#include "i18n.h"
#include "session-local.h"

#define WATCH_WINDOW   2048          /* events per window at first (doubles) */
#define WATCH_MAXWIN   65536
#define WATCH_SPAN     (1u << 18)    /* events looked back at most */
#define WATCH_HELD     512           /* controller or posted bytes looked at */
#define WATCH_RUNS     64            /* bounce or map-buffer runs per mapping */

enum { LOC_MEM, LOC_CPU0, LOC_BOUNCE = LOC_CPU0 + COH_MAX_CPUS, LOC_MAPBUF, LOC_CTRL,
       LOC_POSTED, NLOC };

struct loc {
	bool present;
	uint8_t value;
	uint32_t ver;
};

static void where_name(unsigned l, char *buf, size_t n)
{
	static const char *const names[] = { "bounce", "map buffer", "controller", "posted" };

	if (l == LOC_MEM)
		snprintf(buf, n, _("memory"));
	else if (l < LOC_BOUNCE)
		snprintf(buf, n, _("cpu%u cache"), l - LOC_CPU0);
	else
		snprintf(buf, n, "%s", names[l - LOC_BOUNCE]);
}

static void set_loc(struct loc *l, uint32_t ver, uint8_t value)
{
	l->present = true;
	l->ver = ver;
	l->value = value;
}

static void in_caches(const struct coh_sim *s, uint64_t a, struct loc *loc)
{
	const struct coh_platform *p = coh_sim_platform(s);
	uint8_t bytes[256];
	uint32_t vers[256];
	struct coh_line_view lv;
	unsigned set, way;

	for (unsigned c = 0; c < p->ncpus && c < COH_MAX_CPUS; c++) {
		if (coh_sim_cache_lookup(s, c, a, &set, &way) != 1 ||
		    coh_sim_cache_line(s, c, set, way, &lv, bytes, vers, NULL) < 0 ||
		    lv.state == COH_LINE_INVALID || a - lv.addr >= p->line)
			continue;
		set_loc(&loc[LOC_CPU0 + c], vers[a - lv.addr], bytes[a - lv.addr]);
	}
}

/* Bounce slots or map buffers of every live mapping that mirror @a. */
static void in_mappings(const struct coh_sim *s, uint64_t a, struct loc *loc)
{
	struct coh_buf_run r[WATCH_RUNS];

	for (size_t i = 0; i < coh_sim_nmappings(s); i++) {
		long n = coh_sim_bounce_slots(s, i, r, WATCH_RUNS);
		unsigned l = LOC_BOUNCE;

		if (n < 0) {
			n = coh_sim_map_buffers(s, i, r, WATCH_RUNS);
			l = LOC_MAPBUF;
		}
		for (long k = 0; k < n && k < WATCH_RUNS; k++)
			if (r[k].addr != COH_ADDR_NONE && a >= r[k].addr &&
			    a - r[k].addr < r[k].len && r[k].ver)
				set_loc(&loc[l], r[k].ver, coh_sim_byte_value(s, r[k].ver, a));
	}
}

/* The newest byte for @a held by a controller or posted-write buffer. */
static void in_held(const struct coh_sim *s, uint64_t a, struct loc *loc)
{
	const struct coh_platform *p = coh_sim_platform(s);
	struct coh_held_byte h[WATCH_HELD];

	for (unsigned d = 0; d < p->ndevs; d++) {
		long n = coh_sim_ctrl_view(s, d, h, WATCH_HELD, NULL);

		for (long k = 0; k < n && k < WATCH_HELD; k++)
			if (h[k].addr == a)
				set_loc(&loc[LOC_CTRL], h[k].ver, h[k].value);
		n = coh_sim_posted_view(s, d, h, WATCH_HELD);
		for (long k = 0; k < n && k < WATCH_HELD; k++)
			if (h[k].addr == a)
				set_loc(&loc[LOC_POSTED], h[k].ver, h[k].value);
	}
}

/* Where the byte at @a lives in @s. */
static void locate(const struct coh_sim *s, uint64_t a, struct loc *loc)
{
	uint8_t b;
	uint32_t v;

	memset(loc, 0, NLOC * sizeof(*loc));
	if (coh_sim_mem_read(s, a, 1, &b, &v) == 0)
		set_loc(&loc[LOC_MEM], v, b);
	in_caches(s, a, loc);
	in_mappings(s, a, loc);
	in_held(s, a, loc);
}

/* One window of the history, read forward. */
struct window {
	uint64_t lo;                 /* the bytes watched: [lo, lo + nbytes) */
	unsigned nbytes;
	uint64_t first;              /* events before it only set the baseline */
	struct loc prev[SESSION_WATCH_BYTES][NLOC];
	struct session_watch_row *rows;
	size_t n, max;
};

/* The rows of byte @k's places that changed at event @i.  Return: 1 when
 * the window is full. */
static int byte_changes(struct window *w, unsigned k, const struct loc *cur, uint64_t i)
{
	for (unsigned l = 0; l < NLOC && i >= w->first; l++) {
		struct session_watch_row *r;

		if (!cur[l].present || (w->prev[k][l].present && w->prev[k][l].ver == cur[l].ver))
			continue;
		if (w->n == w->max)
			return 1;
		r = &w->rows[w->n++];
		r->event = i;
		r->addr = w->lo + k;
		where_name(l, r->where, sizeof(r->where));
		r->value = cur[l].value;
		r->version = cur[l].ver;
	}
	memcpy(w->prev[k], cur, NLOC * sizeof(*cur));
	return 0;
}

static int watch_event(void *ctx, const struct coh_sim *s, const struct coh_event *ev,
		       uint64_t i)
{
	struct window *w = ctx;
	struct loc cur[NLOC];

	(void)ev;
	for (unsigned k = 0; k < w->nbytes; k++) {
		locate(s, w->lo + k, cur);
		if (byte_changes(w, k, cur, i))
			return 1;
	}
	return 0;
}

/* The changes in events [a, end), oldest first, into @w. */
static int scan_window(struct session *s, struct window *w, uint64_t a, uint64_t end)
{
	uint64_t found;

	memset(w->prev, 0, sizeof(w->prev));
	for (unsigned k = 0; k < w->nbytes; k++)
		w->prev[k][LOC_MEM].present = true;   /* before event 0: never written */
	w->first = a;
	w->n = 0;
	return coh_timeline_search_fwd(s->tl, a ? a - 1 : 0, end, watch_event, w, &found);
}

/* Append @w's rows newest first to @out.  Return: rows now in @out. */
static size_t take(const struct window *w, struct session_watch_row *out, size_t n,
		   size_t max)
{
	for (size_t k = w->n; k > 0 && n < max; k--)
		out[n++] = w->rows[k - 1];
	return n;
}

/* Clamp [@lo, @hi) to at most SESSION_WATCH_BYTES bytes (one at least). */
static unsigned watch_len(uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return 1;
	return hi - lo > SESSION_WATCH_BYTES ? SESSION_WATCH_BYTES : (unsigned)(hi - lo);
}

/**
 * session_watch_range - the history of the bytes at physical [@lo, @hi) up
 * to and including pos: one row per byte, place and event where the byte's
 * version there changed (a write, a copy, a line filled), newest first
 * (each row names its byte); a place losing the byte (a line evicted, a
 * mapping ended) makes no row.  At most the first SESSION_WATCH_BYTES
 * bytes are watched.
 *
 * The search looks back at most 262144 events from pos (session_error()
 * says so when it stopped there with fewer than @max rows): a byte nobody
 * touched costs that much replay, about as long as the same events take
 * in `dmascope check`, times the bytes watched.
 *
 * Return: rows stored (at most @max; 0 while reading or on error).
 */
size_t session_watch_range(struct session *s, uint64_t lo, uint64_t hi,
			   struct session_watch_row *rows, size_t max)
{
	struct window w;
	struct session_watch_row buf[1024];
	uint64_t end, stop, win = WATCH_WINDOW;
	size_t n = 0;

	session_lock(s);
	w = (struct window){ .lo = lo, .nbytes = watch_len(lo, hi), .rows = buf, .max = 1024 };
	end = s->tl && s->count ? s->pos + 1 : 0;
	stop = end > WATCH_SPAN ? end - WATCH_SPAN : 0;
	s->err[0] = 0;
	while (end > stop && n < max) {
		uint64_t a = end - stop > win ? end - win : stop;

		if (scan_window(s, &w, a, end) < 0)
			break;
		if (w.n == w.max && win > 64) {      /* too many changes: narrower */
			win /= 4;
			continue;
		}
		n = take(&w, rows, n, max);
		end = a;
		if (win < WATCH_MAXWIN)
			win *= 2;
	}
	if (end > 0 && end == stop && n < max)
		snprintf(s->err, sizeof(s->err), _("watch: events before %llu not searched"),
			 (unsigned long long)stop);
	session_unlock(s);
	return n;
}

/**
 * session_watch - the history of the byte at physical @addr
 * (session_watch_range() of that one byte)
 *
 * Return: rows stored (at most @max).
 */
size_t session_watch(struct session *s, uint64_t addr, struct session_watch_row *rows,
		     size_t max)
{
	return session_watch_range(s, addr, addr + 1, rows, max);
}

/**
 * session_last_writer_range - of the bytes at [@lo, @hi) (at most
 * SESSION_WATCH_BYTES), the one whose last write (session_last_writer())
 * is the newest, and that write's event
 *
 * Return: 0 with *@event and *@addr set, or 1 when none was written.
 */
int session_last_writer_range(struct session *s, uint64_t lo, uint64_t hi, uint64_t *event,
			      uint64_t *addr)
{
	uint32_t ver[SESSION_WATCH_BYTES] = { 0 }, best = 0;
	unsigned n = watch_len(lo, hi);

	session_lock(s);
	if (!s->tl || session_view_at(s, s->pos) < 0 ||
	    coh_sim_expected(s->view, lo, n, ver, NULL) < 0)
		n = 0;
	session_unlock(s);
	for (unsigned k = 0; k < n; k++)
		if (ver[k] > best) {
			best = ver[k];
			*addr = lo + k;
		}
	if (!best)
		return 1;
	*event = best - 1;
	return 0;
}

/**
 * session_last_writer - the event whose write the byte at @addr holds as a
 * CPU should see it at pos (the newest CPU write or device write handed
 * over to the CPU)
 *
 * Return: 0 with *@event set, or 1 when it was never written (or pos
 * cannot be replayed).
 */
int session_last_writer(struct session *s, uint64_t addr, uint64_t *event)
{
	uint32_t ver = 0;

	session_lock(s);
	if (!s->tl || session_view_at(s, s->pos) < 0 ||
	    coh_sim_expected(s->view, addr, 1, &ver, NULL) < 0)
		ver = 0;
	session_unlock(s);
	if (!ver)
		return 1;
	*event = ver - 1;
	return 0;
}
