/* SPDX-License-Identifier: MIT */
/*
 * actions_whatif.c - the what-if keys: edits at the current event (leave
 * it out, insert the call the platform needs, move it), undo and redo,
 * which run is shown (recorded, edited, diff), saving the edits next to
 * the trace, and the omission matrix.  Each says on the status line what
 * it did; an edit made while the recorded run is shown shows the edited
 * one.
 */
#include <inttypes.h>
#include <stdio.h>

#include "actions-local.h"
#include "app.h"
#include "i18n.h"
#include "session.h"
#include "view.h"

static const char *const run_names[] = {
	[SESSION_RUN_RECORDED] = N_("the recorded run"),
	[SESSION_RUN_EDITED] = N_("the edited run"),
	[SESSION_RUN_DIFF] = N_("the diff of the edited run"),
};

/* Say what edit @what did (0), or why it did not. */
static void edited(struct app *a, int r, const char *what)
{
	size_t n;

	if (r != 0) {
		app_msg(a, "%s", session_error(a->s));
		return;
	}
	n = session_whatif_nedits(a->s);
	if (session_run(a->s) == SESSION_RUN_RECORDED)
		session_run_set(a->s, SESSION_RUN_EDITED);
	app_msg(a, ngettext("what-if: %s (%zu edit in force; e: recorded / edited / diff)",
			    "what-if: %s (%zu edits in force; e: recorded / edited / diff)", n),
		what, n);
}

void act_whatif_delete(struct app *a)
{
	edited(a, session_whatif_delete(a->s), _("left out this event"));
}

void act_whatif_insert(struct app *a)
{
	edited(a, session_whatif_insert(a->s), _("inserted the call needed here"));
}

void act_whatif_earlier(struct app *a)
{
	edited(a, session_whatif_move(a->s, -1), _("moved this event earlier"));
}

void act_whatif_later(struct app *a)
{
	edited(a, session_whatif_move(a->s, 1), _("moved this event later"));
}

void act_whatif_undo(struct app *a)
{
	edited(a, session_whatif_undo(a->s), _("took back the last edit"));
}

void act_whatif_redo(struct app *a)
{
	edited(a, session_whatif_redo(a->s), _("put the edit back"));
}

/* Show run @r. */
static void show(struct app *a, enum session_run r)
{
	session_run_set(a->s, r);
	if (r != SESSION_RUN_RECORDED && !session_whatif_nedits(a->s))
		app_msg(a, _("%s: no edits yet (x, i, <, > edit)"), _(run_names[r]));
	else
		app_msg(a, _("showing %s"), _(run_names[r]));
}

void act_whatif_view(struct app *a)
{
	show(a, (enum session_run)((session_run(a->s) + 1) % 3));
}

void act_whatif_diff(struct app *a)
{
	show(a, session_run(a->s) == SESSION_RUN_DIFF ? SESSION_RUN_EDITED : SESSION_RUN_DIFF);
}

void act_whatif_save(struct app *a)
{
	char msg[320];

	session_whatif_save(a->s, msg, sizeof(msg));
	app_msg(a, "%s", msg);
}

void act_whatif_omit(struct app *a)
{
	char err[256];

	if (session_omit_start(a->s, err, sizeof(err)) < 0) {
		app_msg(a, "%s", err);
		return;
	}
	view_omit_fill(&a->ov, a->s);
}

/* Enter on a row of the omission matrix: that omission alone, its diff. */
void act_whatif_omit_row(struct app *a, uint64_t at)
{
	int r = session_whatif_omit(a->s, at);

	if (r != 0) {
		app_msg(a, "%s", session_error(a->s));
		return;
	}
	overlay_close(&a->ov);
	act_goto(a, at);
	app_msg(a, _("what-if: this call left out; the diff shows what changes (U undoes)"));
}
