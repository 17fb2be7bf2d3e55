/* SPDX-License-Identifier: MIT */
/*
 * view_timeline.c - the timeline pane: one row per visible event as the
 * trace shows it (file index, timestamp as trace-cmd prints it, CPU,
 * device, the trace's own line), marker sequences and phases as bands in
 * the two left columns, findings marked in the third, the current event
 * highlighted.
 *
 * Its scroll: top is the engine index of the first row shown, sel the
 * current event when it was last drawn; when the current event moves out of
 * sight it is brought back to the middle of the pane.
 */
#include <stdio.h>
#include <string.h>

#include "coh_event.h"
#include "i18n.h"
#include "report.h"
#include "session.h"
#include "view_util.h"

#define TL_PROBE   100000   /* hidden events looked at per walk, at most */
#define TL_BACK    512      /* events read back to find open scopes */
#define TL_LINES   256      /* lines kept between frames */

/* The trace's lines of the events shown lately: reading one again from a
 * trace.dat can take a page decompression, and each frame shows the same
 * rows again.  Keyed by the file's index (the same whatever the filter). */
struct line_memo {
	const struct session *s;
	char path[256];
	uint64_t src[TL_LINES];
	bool valid[TL_LINES];
	char line[TL_LINES][200];
};

static struct line_memo memo;

/* The first visible event at or after @i (n when none near). */
static uint64_t next_visible(struct session *s, uint64_t i, uint64_t n)
{
	for (uint64_t k = 0; i < n && k < TL_PROBE; i++, k++)
		if (session_visible(s, i))
			return i;
	return n;
}

/* The @back-th visible event before @i (or the first one reached). */
static uint64_t back_visible(struct session *s, uint64_t i, long back)
{
	for (uint64_t k = 0; back > 0 && i > 0 && k < TL_PROBE; k++)
		if (session_visible(s, --i))
			back--;
	return i;
}

/* Whether @pos is among the @rows visible events from @top. */
static bool shown(struct session *s, uint64_t top, long rows, uint64_t pos, uint64_t n)
{
	uint64_t i = next_visible(s, top, n);

	for (long r = 0; r < rows && i < n; r++, i = next_visible(s, i + 1, n))
		if (i == pos)
			return true;
	return false;
}

/* Move the window onto the current event when it moved out of sight. */
static uint64_t timeline_top(struct session *s, struct view_scroll *sc, long rows, uint64_t n)
{
	uint64_t pos = session_pos(s), top = sc->top > 0 ? (uint64_t)sc->top : 0;

	if (top >= n)
		top = n ? n - 1 : 0;
	if (((long)pos != sc->sel || rows != sc->height) && !shown(s, top, rows, pos, n))
		top = back_visible(s, pos, rows / 2);
	sc->sel = (long)pos;
	sc->height = rows;
	sc->top = (long)top;
	return top;
}

/* Open scopes (sequence, phase) just before event @i. */
static void open_scopes(struct session *s, uint64_t i, int open[2])
{
	int ends[2] = { 0, 0 };
	uint64_t stop = i > TL_BACK ? i - TL_BACK : 0;
	struct coh_event ev;

	open[0] = open[1] = 0;
	while (i-- > stop) {
		if (session_event(s, i, &ev) < 0 || ev.scope > COH_SCOPE_PHASE)
			continue;
		if (ev.kind == COH_EV_SCOPE_END)
			ends[ev.scope]++;
		else if (ev.kind == COH_EV_SCOPE_BEGIN && ends[ev.scope])
			ends[ev.scope]--;
		else if (ev.kind == COH_EV_SCOPE_BEGIN)
			open[ev.scope]++;
	}
}

/* The band mark of one scope kind at event @ev, updating @open. */
static const char *band(const struct coh_event *ev, unsigned scope, int *open)
{
	bool mine = ev->scope == scope &&
		    (ev->kind == COH_EV_SCOPE_BEGIN || ev->kind == COH_EV_SCOPE_END);

	if (mine && ev->kind == COH_EV_SCOPE_BEGIN) {
		++*open;
		return "┌";
	}
	if (mine && *open > 0) {
		--*open;
		return "└";
	}
	return *open > 0 ? "│" : " ";
}

static void band_cell(struct cells *g, struct rect b, int x, int y, const char *mark)
{
	if (*mark != ' ')
		cells_put(g, b, x, y, ROLE_BAND, 0, mark);
}

/* Whether events of @kind have a device (CPU accesses and markers do not). */
static bool has_dev(unsigned kind)
{
	return kind == COH_EV_DEV_READ || kind == COH_EV_DEV_WRITE || kind == COH_EV_DEV_DONE ||
	       coh_kind_group(kind) == COH_GROUP_LINUX || coh_kind_group(kind) == COH_GROUP_WINDOWS;
}

/* The finding mark of event @i: '!' for an error, 'i' for information. */
static void gutter(struct cells *g, struct rect b, int y, struct session *s, uint64_t i)
{
	size_t idx[8], nf = session_findings_at(s, i, idx, 8);
	bool err = false;

	for (size_t k = 0; k < nf; k++)
		err |= report_counts(session_finding(s, idx[k])) != 0;
	if (nf)
		cells_put(g, b, 2, y, err ? ROLE_ERROR : ROLE_WARN, CELL_BOLD, err ? "!" : "i");
}

/* Forget the lines when the session or its file is another. */
static void memo_check(struct session *s)
{
	const char *path = session_path(s);

	if (memo.s == s && path && strncmp(memo.path, path, sizeof(memo.path)) == 0)
		return;
	memset(memo.valid, 0, sizeof(memo.valid));
	memo.s = s;
	snprintf(memo.path, sizeof(memo.path), "%s", path ? path : "");
}

/* Event @i's line as the trace shows it (from the memo when there). */
static const char *line_of(struct session *s, uint64_t i, uint64_t src, char *buf, size_t n)
{
	size_t k = (size_t)(src % TL_LINES);

	if (src == COH_SRC_NONE)
		return session_line(s, i, buf, n);
	if (!memo.valid[k] || memo.src[k] != src) {
		session_line(s, i, memo.line[k], sizeof(memo.line[k]));
		memo.src[k] = src;
		memo.valid[k] = true;
	}
	snprintf(buf, n, "%s", memo.line[k]);
	return buf;
}

/* The part of a trace-cmd line after its timestamp ("name: info"): the
 * columns before say again what the pane shows. */
static const char *after_ts(const char *line, const char *ts)
{
	const char *p = *ts ? strstr(line, ts) : NULL;
	size_t n = strlen(ts);

	if (p && p[n] == ':' && p[n + 1] == ' ')
		return p + n + 2;
	return line;
}

/* A device name that fits @w columns: its tail (PCI names differ there). */
static const char *fit_name(const char *name, int w)
{
	size_t n = strlen(name);

	return n > (size_t)w ? name + n - (size_t)w : name;
}

static const char *dev_name(struct session *s, unsigned dev)
{
	const struct coh_platform *p = session_platform(s);

	return p && dev < p->ndevs ? p->devs[dev].name : "-";
}

/* One event's row at @y of the body @b (no finding mark under a veil). */
static void event_row(struct cells *g, struct rect b, int y, struct session *s, uint64_t i,
		      int open[2], bool veiled)
{
	char ts[40], line[512];
	struct coh_event ev;
	int devw = b.w >= 120 ? 12 : 7;

	if (session_event(s, i, &ev) < 0)
		return;
	band_cell(g, b, 0, y, band(&ev, COH_SCOPE_SEQ, &open[0]));
	band_cell(g, b, 1, y, band(&ev, COH_SCOPE_PHASE, &open[1]));
	if (!veiled)
		gutter(g, b, y, s, i);
	session_ts(s, i, ts, sizeof(ts));
	line_of(s, i, ev.src, line, sizeof(line));
	cells_printf(g, b, 3, y, ROLE_NORMAL, 0, "%7llu %s c%u %-*.*s %s",
		     ev.src == COH_SRC_NONE ? (unsigned long long)i : (unsigned long long)ev.src,
		     ts, (unsigned)ev.cpu, devw, devw,
		     has_dev(ev.kind) ? fit_name(dev_name(s, ev.dev), devw) : "-",
		     after_ts(line, ts));
	if (i == session_pos(s))
		cells_paint(g, b, 3, y, b.w - 3, ROLE_CURRENT, CELL_BOLD);
}

void view_timeline_draw(struct cells *g, struct rect r, struct session *s,
			struct view_state *vs)
{
	struct rect b = view_body(r);
	uint64_t n = session_count(s), i;
	char title[96];
	int open[2];

	cells_clear(g, r);
	memo_check(s);
	snprintf(title, sizeof(title), ngettext("Timeline  %llu event", "Timeline  %llu events", n),
		 (unsigned long long)n);
	view_title(g, r, vs, PANE_TIMELINE, title);
	vs->rows[PANE_TIMELINE] = (long)n;
	if (!n)
		return;
	i = next_visible(s, timeline_top(s, &vs->scroll[PANE_TIMELINE], b.h, n), n);
	open_scopes(s, i, open);
	for (int y = 0; y < b.h && i < n; y++, i = next_visible(s, i + 1, n))
		event_row(g, b, y, s, i, open, vs->veil);
}

int view_timeline_event(struct session *s, const struct view_state *vs, long row,
			uint64_t *event)
{
	uint64_t n = session_count(s);
	uint64_t i = next_visible(s, (uint64_t)(vs->scroll[PANE_TIMELINE].top > 0 ?
						 vs->scroll[PANE_TIMELINE].top : 0), n);

	for (long k = 0; k < row && i < n; k++)
		i = next_visible(s, i + 1, n);
	if (row < 0 || i >= n)
		return 1;
	*event = i;
	return 0;
}

void view_timeline_scroll(struct session *s, struct view_state *vs, long d)
{
	struct view_scroll *sc = &vs->scroll[PANE_TIMELINE];
	uint64_t n = session_count(s), top = sc->top > 0 ? (uint64_t)sc->top : 0;

	if (!n)
		return;
	top = next_visible(s, top < n ? top : n - 1, n);
	if (d < 0)
		top = back_visible(s, top, -d);
	for (; d > 0 && top < n; d--) {
		uint64_t next = next_visible(s, top + 1, n);

		if (next >= n)
			break;
		top = next;
	}
	sc->top = (long)(top < n ? top : n - 1);
}
