/* SPDX-License-Identifier: MIT */
/*
 * view_whatif.c - the panes of the edited run: its timeline (in place of
 * the recorded one in the edited and diff views: one row per edited
 * event, '-' on the mark left for an event left out, '~' on the one left
 * where a moved event was and '>' where it is now, '+' on an inserted
 * call, '*' on a replaced one, the event pos matches highlighted) and the diff (in place of the caches and memory in the diff
 * view: the first divergence and where the runs rejoin, the findings
 * added and removed, the bytes that differ after the current event).
 *
 * Both read the what-if under the session's lock: its edited source reads
 * the recorded events through the session's trace.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "coh_whatif.h"
#include "i18n.h"
#include "report.h"
#include "session.h"
#include "view_util.h"

#define WI_BYTES_SHOWN 64   /* differing runs of bytes listed, at most */

/* The mark of recorded event @rec in the edit list: '-', '~', '*' or ' '. */
static char edit_mark(struct coh_whatif *w, uint64_t rec)
{
	static const char marks[] = { [COH_EDIT_DELETE] = '-', [COH_EDIT_MOVE] = '~',
				      [COH_EDIT_REPLACE] = '*' };
	struct coh_edit e;

	for (size_t i = coh_whatif_nedits(w); i-- > 0;)
		if (coh_whatif_edit(w, i, &e) == 0 && e.at == rec && e.op < sizeof(marks) &&
		    marks[e.op])
			return marks[e.op];
	return ' ';
}

/* The role of a row marked @mark. */
static uint8_t mark_role(char mark)
{
	return mark == ' ' ? ROLE_NORMAL : mark == '-' || mark == '~' ? ROLE_ERROR : ROLE_WARN;
}

/* Edited event @e's row: mark, file index ("new" for an inserted call),
 * CPU, the trace's line (the engine's words for what the edits made). */
static void edited_row(struct cells *g, struct rect b, int y, struct session *s,
		       struct coh_whatif *w, uint64_t e)
{
	struct coh_source src = coh_whatif_source(w);
	char line[512] = "", idx[24] = "new";
	struct coh_event ev;
	int ins = 0;
	uint64_t rec = coh_whatif_to_recorded(w, e, &ins);
	char mark;

	if (src.get(src.ctx, e, &ev) < 0)
		return;
	mark = !ins ? edit_mark(w, rec) : ev.src == COH_SRC_NONE ? '+' : '>';
	if (ev.src != COH_SRC_NONE || !ins)           /* the reader's own: its index */
		snprintf(idx, sizeof(idx), "%" PRIu64, ev.src != COH_SRC_NONE ? ev.src : rec);
	if (mark == ' ')
		session_line(s, rec, line, sizeof(line));
	else {
		coh_event_describe(&ev, coh_whatif_platform(w), line, sizeof(line));
		report_call_rename(line, sizeof(line), ev.kind,
				   report_call_name(ev.kind, COH_EV_NONE, COH_EV_NONE));
	}
	cells_printf(g, b, 0, y, mark_role(mark), CELL_BOLD, "%c", mark);
	cells_printf(g, b, 2, y, mark == '+' ? ROLE_WARN : ROLE_NORMAL, 0, "%7s c%u %s", idx,
		     (unsigned)ev.cpu, line);
}

/* The first row shown: when the current edited event @cur moved out of
 * sight, it is brought back to the middle (the wheel moves the rows alone). */
static uint64_t edited_top(struct view_state *vs, uint64_t cur, int h, uint64_t n)
{
	long top = vs->whatif_top;

	if (top < 0 || ((long)cur != vs->whatif_sel &&
			((uint64_t)top > cur || cur - (uint64_t)top >= (uint64_t)h)))
		top = (long)cur - h / 2;
	vs->whatif_sel = (long)cur;
	if (top > (long)n - h)
		top = (long)n - h;
	vs->whatif_top = top < 0 ? 0 : top;
	return (uint64_t)vs->whatif_top;
}

void view_whatif_timeline_draw(struct cells *g, struct rect r, struct session *s,
			       struct view_state *vs)
{
	struct rect b = view_body(r);
	struct coh_whatif *w;
	struct coh_source src;
	uint64_t n, cur, i;
	char title[128];

	cells_clear(g, r);
	session_lock(s);
	if (!(w = session_whatif(s))) {          /* no edit yet: the same run */
		session_unlock(s);
		view_timeline_draw(g, r, s, vs);
		return;
	}
	src = coh_whatif_source(w);
	n = src.count(src.ctx);
	cur = coh_whatif_to_edited(w, session_pos(s));
	snprintf(title, sizeof(title), ngettext("Edited run  %zu edit  %" PRIu64 " events  on %s",
						"Edited run  %zu edits  %" PRIu64 " events  on %s",
						coh_whatif_nedits(w)),
		 coh_whatif_nedits(w), n, coh_whatif_platform(w)->name);
	view_title(g, r, vs, PANE_TIMELINE, title);
	vs->rows[PANE_TIMELINE] = (long)n;
	i = edited_top(vs, cur, b.h, n);
	for (int y = 0; y < b.h && i < n; y++, i++) {
		edited_row(g, b, y, s, w, i);
		if (i == cur)
			cells_paint(g, b, 2, y, b.w - 2, ROLE_CURRENT, CELL_BOLD);
	}
	session_unlock(s);
}

/**
 * view_whatif_event - the recorded event of a row of the edited timeline
 * (an inserted call: the event it precedes), for a click
 *
 * Return: 0, or 1 when that row shows no event.
 */
int view_whatif_event(struct session *s, const struct view_state *vs, long row,
		      uint64_t *event)
{
	struct coh_whatif *w;
	struct coh_source src;
	uint64_t e = (uint64_t)(vs->whatif_top > 0 ? vs->whatif_top : 0) + (uint64_t)row;
	int r = 1;

	session_lock(s);
	if (row >= 0 && (w = session_whatif(s))) {
		src = coh_whatif_source(w);
		if (e < src.count(src.ctx)) {
			*event = coh_whatif_to_recorded(w, e, NULL);
			r = *event < session_count(s) ? 0 : 1;
		}
	}
	session_unlock(s);
	return r;
}

/* Edited position @e as the file numbers it ("new" for an inserted call). */
static const char *edited_name(struct coh_whatif *w, uint64_t e, char *buf, size_t n)
{
	struct coh_source src = coh_whatif_source(w);
	struct coh_event ev;

	if (e == COH_SEQ_NONE)
		return _("never");
	if (src.get(src.ctx, e, &ev) < 0 || ev.src == COH_SRC_NONE)
		snprintf(buf, n, _("an inserted call (edited event %" PRIu64 ")"), e);
	else
		snprintf(buf, n, _("event %" PRIu64), ev.src);
	return buf;
}

/* Recorded position @r as the file numbers it. */
static uint64_t recorded_name(struct session *s, uint64_t r)
{
	struct coh_event ev;

	return session_event(s, r, &ev) == 0 && ev.src != COH_SRC_NONE ? ev.src : r;
}

/* The findings added (@sign '+', edited positions) or removed ('-'). */
static int finding_rows(struct cells *g, struct rect b, int y, struct session *s,
			const struct coh_finding *f, size_t n, char sign)
{
	struct coh_whatif *w = session_whatif(s);
	char at[160];

	cells_printf(g, b, 0, y++, ROLE_TITLE, 0, _("Findings %s: %zu"),
		     sign == '+' ? _("added") : _("removed"), n);
	for (size_t i = 0; i < n && y < b.h; i++, y++) {
		if (sign == '+')
			edited_name(w, f[i].seq, at, sizeof(at));
		else
			snprintf(at, sizeof(at), _("event %" PRIu64), recorded_name(s, f[i].seq));
		cells_printf(g, b, 0, y, sign == '+' ? ROLE_ERROR : ROLE_CLEAN, 0,
			     _("%c %s %s at %s"), sign, coh_fid_code(f[i].id), coh_fid_name(f[i].id),
			     at);
	}
	return y;
}

static const char *where_name(const struct coh_byte_diff *d, char *buf, size_t n)
{
	static const char *const names[] = { N_("memory"), N_("cpu%u cache"), N_("dev%u bounce"),
					     N_("dev%u controller"), N_("dev%u posted") };

	snprintf(buf, n, d->where < 5 ? _(names[d->where]) : "?", (unsigned)d->unit);
	return buf;
}

/* The first @max bytes of one side of @d ("-" where they do not exist). */
static const char *first_bytes(const uint8_t *v, bool in, uint64_t len, uint64_t max,
			       char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = 0;
	if (!in)
		return "-";
	for (uint64_t i = 0; i < len && i < max && k + 4 < n; i++)
		k += (size_t)snprintf(buf + k, n - k, "%s%02x", i ? " " : "", v[i]);
	return buf;
}

/* The bytes that differ after the current event. */
static int byte_rows(struct cells *g, struct rect b, int y, struct session *s)
{
	const struct coh_byte_diff *d;
	long n = session_whatif_bytes(s, &d);
	uint64_t per = b.w >= 100 ? 8 : 4;
	int bw = (int)per * 3 - 1;
	char where[64], a[32], e[32];

	cells_printf(g, b, 0, y++, ROLE_TITLE, 0, _("Bytes that differ after this event: %ld%s"),
		     n < 0 ? 0 : n, n < 0 ? _(" (cannot replay)") : "");
	for (long i = 0; i < n && i < WI_BYTES_SHOWN && y < b.h; i++, y++)
		cells_printf(g, b, 0, y, ROLE_DIFF, 0, _("%-15s 0x%-8" PRIx64 " +%-5" PRIu64
			     " recorded %-*s  edited %s"), where_name(&d[i], where, sizeof(where)),
			     d[i].addr, d[i].len, bw,
			     first_bytes(d[i].a, d[i].in_a, d[i].len, per, a, sizeof(a)),
			     first_bytes(d[i].b, d[i].in_b, d[i].len, per, e, sizeof(e)));
	return y;
}

void view_whatif_diff_draw(struct cells *g, struct rect r, struct session *s,
			   struct view_state *vs)
{
	struct rect b = view_body(r);
	const struct coh_run_diff *d = NULL;
	uint64_t done = 0, total = 0;
	char div[160], rej[160];
	int y = 0;

	cells_clear(g, r);
	view_title(g, r, vs, PANE_CACHES, _("Diff  recorded run / edited run"));
	session_lock(s);
	if (session_whatif(s) && !(d = session_whatif_diff(s)) &&
	    session_whatif_diffing(s, &done, &total)) {
		cells_printf(g, b, 0, 0, ROLE_DIM, 0,
			     _("Making the diff: %" PRIu64 " of %" PRIu64 " edited events..."),
			     done, total);
		session_unlock(s);
		return;
	}
	if (!session_whatif(s) || !d) {
		cells_put(g, b, 0, 0, session_whatif(s) ? ROLE_ERROR : ROLE_DIM, 0,
			  session_whatif(s) ? session_error(s) : _("no edits yet"));
		session_unlock(s);
		return;
	}
	cells_printf(g, b, 0, y++, ROLE_NORMAL, 0, _("First divergence: %s;  rejoins: %s"),
		     edited_name(session_whatif(s), d->diverge, div, sizeof(div)),
		     edited_name(session_whatif(s), d->rejoin, rej, sizeof(rej)));
	if (vs->veil) {              /* a lesson's prediction first */
		cells_put(g, b, 0, y++, ROLE_DIM, 0, vs->veil);
	} else {
		y = finding_rows(g, b, y, s, d->added, d->nadded, '+');
		y = finding_rows(g, b, y, s, d->removed, d->nremoved, '-');
	}
	byte_rows(g, b, y, s);
	session_unlock(s);
}
