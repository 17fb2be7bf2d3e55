/* SPDX-License-Identifier: MIT */
/*
 * actions_list.c - the actions that show a list over the panes: the
 * bookmarks, the breakpoints, the watched byte's history.  Enter on a row
 * that names an event jumps there (app.c does it for every list).
 */
#include <inttypes.h>
#include <stdio.h>

#include "actions-local.h"
#include "app.h"
#include "i18n.h"
#include "session.h"

#define MAX_MARKS 64
#define MAX_WATCH 512

void act_marks_list(struct app *a)
{
	char names[MAX_MARKS];
	uint64_t pos[MAX_MARKS];
	size_t n = session_marks(a->s, names, pos, MAX_MARKS);

	if (!n) {
		app_msg(a, _("no bookmarks: m then a letter sets one"));
		return;
	}
	overlay_open(&a->ov, OVERLAY_MARKS, _("Bookmarks"), _("Enter jumps  Esc closes"));
	for (size_t i = 0; i < n; i++)
		overlay_add(&a->ov, pos[i], _("'%c  event %" PRIu64), names[i],
			    session_index(a->s, pos[i]));
}

/* One breakpoint in words. */
static void break_words(const struct session_break *b, char *buf, size_t n)
{
	switch (b->kind) {
	case BREAK_RANGE:
		snprintf(buf, n, _("an event touching 0x%" PRIx64 "-0x%" PRIx64), b->lo, b->hi);
		break;
	case BREAK_CALL:
		snprintf(buf, n, _("the call %s"), b->call);
		break;
	default:
		snprintf(buf, n, _("finding %s %s"), coh_fid_code(b->fid), coh_fid_name(b->fid));
		break;
	}
}

void act_breaks_list(struct app *a)
{
	size_t n = session_nbreaks(a->s);
	char what[128];

	if (!n) {
		app_msg(a, _("no breakpoints: b adds one"));
		return;
	}
	overlay_open(&a->ov, OVERLAY_BREAKS, _("Breakpoints"), _("d deletes  Esc closes"));
	for (size_t i = 0; i < n; i++) {
		break_words(session_break_at(a->s, i), what, sizeof(what));
		overlay_add(&a->ov, OVERLAY_NO_EVENT, "%zu  %s", i + 1, what);
	}
}

void act_watch_list(struct app *a)
{
	static struct session_watch_row rows[MAX_WATCH];
	size_t n;
	char title[96];

	if (!a->vs.watching) {
		app_msg(a, _("no watch: w sets one"));
		return;
	}
	n = session_watch_range(a->s, a->vs.watch, a->vs.watch_hi, rows, MAX_WATCH);
	if (a->vs.watch_hi > a->vs.watch + 1)
		snprintf(title, sizeof(title),
			 ngettext("Watch 0x%" PRIx64 "-0x%" PRIx64 ": %s%zu change",
				  "Watch 0x%" PRIx64 "-0x%" PRIx64 ": %s%zu changes", n),
			 a->vs.watch, a->vs.watch_hi, n == MAX_WATCH ? _("the newest ") : "", n);
	else
		snprintf(title, sizeof(title), ngettext("Watch 0x%" PRIx64 ": %s%zu change",
					"Watch 0x%" PRIx64 ": %s%zu changes", n), a->vs.watch,
			 n == MAX_WATCH ? _("the newest ") : "", n);
	overlay_open(&a->ov, OVERLAY_WATCH, title, _("Enter jumps  W: last writer  Esc closes"));
	if (!n)
		overlay_add(&a->ov, OVERLAY_NO_EVENT, "%s", _("never written so far"));
	for (size_t i = 0; i < n && i < MAX_WATCH; i++) {
		char by[24] = "-";           /* the event that wrote the value */

		if (rows[i].version)
			snprintf(by, sizeof(by), "%" PRIu64,
				 session_index(a->s, rows[i].version - 1));
		overlay_add(&a->ov, rows[i].event,
			    _("event %-8" PRIu64 " 0x%-8" PRIx64 " %-12s 0x%02x  by %s"),
			    session_index(a->s, rows[i].event), rows[i].addr, rows[i].where,
			    rows[i].value, by);
	}
}
