/* SPDX-License-Identifier: MIT */
/*
 * view_omit.c - the omission pane: a list over the panes with one row per
 * maintenance call of the run (session_omit.c computes them in the
 * background), as `dmascope whatif --omit-each` prints them
 * (whatif_print.c): the call, its event, whether leaving it out breaks the
 * run and with which findings, how many bytes are then read wrong and the
 * first wrong read; the presets that need the others.  While the matrix
 * is computed the title says how far it is.  Enter on a row makes that omission the edit list
 * and shows the diff (app.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "overlay.h"
#include "session.h"
#include "view.h"
#include "whatif_print.h"

/* The matrix as `dmascope whatif --omit-each` prints it (whatif_print.c),
 * one line per row after a header.  Return: malloc'd text, or NULL. */
static char *as_printed(struct session *s, const struct session_omit_view *v)
{
	struct whatif_matrix m = { .path = session_path(s), .plat = session_platform(s),
				   .events = session_count(s), .rows = v->rows,
				   .nrows = v->nrows };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (!m.plat || whatif_print_text(f, &m) < 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	return text;
}

/* The header and the rows of the printed matrix @text into @o: its last
 * @n lines are the rows, the line before them the header. */
static void add_rows(struct overlay *o, char *text, const struct session_omit_view *v)
{
	char **line = malloc((v->nrows + 1) * sizeof(*line)), *p = text + strlen(text);
	size_t k = v->nrows + 1;

	while (line && k > 0 && p > text) {
		*--p = 0;                              /* the newline ending a line */
		while (p > text && p[-1] != '\n')
			p--;
		line[--k] = p;
	}
	if (line && k == 0) {
		overlay_add(o, OVERLAY_NO_EVENT, "%s", line[0]);
		for (size_t i = 0; i < v->nrows; i++)
			overlay_add(o, v->rows[i].at, "%s", line[i + 1]);
	}
	free(line);
}

/* The title: how far the matrix is. */
static void title_of(const struct session_omit_view *v, const struct coh_platform *p,
		     char *buf, size_t len)
{
	size_t broke = 0;

	for (size_t i = 0; i < v->nrows; i++)
		broke += v->rows[i].broke;
	if (v->finished && !v->rows && v->error[0])
		snprintf(buf, len, _("Omission matrix: failed: %.60s"), v->error);
	else if (v->finished)
		/* TRANSLATORS: the plural follows the calls; the second number
		 * counts those whose omission breaks the run */
		snprintf(buf, len, broke == 1 ?
			 ngettext("Omission matrix on %s: %zu call, %zu breaks the run",
				  "Omission matrix on %s: %zu calls, %zu breaks the run", v->nrows) :
			 ngettext("Omission matrix on %s: %zu call, %zu break the run",
				  "Omission matrix on %s: %zu calls, %zu break the run", v->nrows),
			 p ? p->name : "-", v->nrows, broke);
	else if (v->total)
		snprintf(buf, len, _("Omission matrix: %zu of %zu calls left out so far"), v->done,
			 v->total);
	else
		snprintf(buf, len, _("Omission matrix: replaying the recorded run %d%%"),
			 v->percent);
}

/**
 * view_omit_fill - (re)fill the omission list @o from the session's matrix,
 * keeping its selection; opens it when it is not shown
 */
void view_omit_fill(struct overlay *o, struct session *s)
{
	struct session_omit_view v;
	long sel = o->on && o->kind == OVERLAY_OMIT ? o->sel : 0;
	long top = o->on && o->kind == OVERLAY_OMIT ? o->top : 0;
	char title[192], *text = NULL;

	session_omit_get(s, &v);
	title_of(&v, session_platform(s), title, sizeof(title));
	overlay_open(o, OVERLAY_OMIT, title, _("Enter: that omission's diff  Esc closes"));
	if (!v.finished)
		overlay_add(o, OVERLAY_NO_EVENT, "%s",
			    _("computing in the background; keys work meanwhile"));
	else if (!v.nrows && !v.error[0])
		overlay_add(o, OVERLAY_NO_EVENT, "%s", _("no maintenance call in this run"));
	if (v.nrows && (text = as_printed(s, &v)))
		add_rows(o, text, &v);
	free(text);
	o->sel = sel ? sel : 1;               /* the first row, not the header */
	o->top = top;
	overlay_move(o, 0);
}
