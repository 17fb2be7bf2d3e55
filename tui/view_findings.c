/* SPDX-License-Identifier: MIT */
/*
 * view_findings.c - the findings pane: the findings so far grouped as the
 * text report groups them (session_report_ctx(): report_ctx_build() with
 * the trace's events, as `dmascope check` does; identical roots on one row
 * with a count, their consequences indented under them), and below the
 * list the selected finding's message, explanation and evidence, wrapped
 * by display width.  Enter jumps to its event (view_findings_event()).
 *
 * The grouping is kept between frames and built again only when the
 * session's list of findings changes (it grows while the replay runs), and
 * then, while the replay runs, not more often than its cost allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coh_finding.h"
#include "i18n.h"
#include "report.h"
#include "session.h"
#include "view_util.h"

#define FIND_DEPTH 4     /* consequence levels listed */

/* The grouping of one session's findings, and the rows it lists.  It keeps
 * copies of the findings, so it never reads a closed session's. */
struct fgroups {
	struct coh_finding *copy;
	const struct coh_finding **fs;   /* &copy[i], for the report_file */
	size_t n, cap;
	struct report_file rf;
	struct report_ctx ctx;
	bool built;
	bool stale;          /* the findings changed since the grouping was built */
	double built_at, cost;           /* when, and how long it took (s) */
	const struct session *sess;      /* rf's callbacks read this one's trace */
	size_t *row;         /* finding listed on each row */
	uint8_t *depth;      /* its indent */
	size_t nrows;
};

static struct fgroups cache;

static void drop(struct fgroups *c)
{
	if (c->built)
		report_ctx_free(&c->ctx);
	c->built = false;
	c->nrows = 0;
}

static int grow(struct fgroups *c, size_t n)
{
	struct coh_finding *copy = realloc(c->copy, n * sizeof(*copy));
	const struct coh_finding **fs = copy ? realloc(c->fs, n * sizeof(*fs)) : NULL;
	size_t *row = fs ? realloc(c->row, n * sizeof(*row)) : NULL;
	uint8_t *depth = row ? realloc(c->depth, n) : NULL;

	c->copy = copy ? copy : c->copy;
	c->fs = fs ? fs : c->fs;
	c->row = row ? row : c->row;
	c->depth = depth ? depth : c->depth;
	if (!depth)
		return -1;
	c->cap = n;
	return 0;
}

/* Copy the session's findings; 1 when they differ from the kept ones. */
static int refresh(struct fgroups *c, struct session *s)
{
	size_t n = session_nfindings(s);
	int changed = n != c->n || !c->built;

	if (n > c->cap && grow(c, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct coh_finding *f = session_finding(s, i);

		if (i < c->n && !changed && memcmp(&c->copy[i], f, sizeof(*f)) == 0)
			continue;
		changed = 1;
		c->copy[i] = *f;
		c->fs[i] = &c->copy[i];
	}
	c->n = n;
	return changed;
}

static void list_tree(struct fgroups *c, size_t i, int depth)
{
	c->row[c->nrows] = i;
	c->depth[c->nrows++] = (uint8_t)depth;
	if (depth >= FIND_DEPTH)
		return;
	for (long k = c->ctx.tree.child[i]; k >= 0; k = c->ctx.tree.next[k])
		list_tree(c, (size_t)k, depth + 1);
}

static void build(struct fgroups *c, struct session *s)
{
	drop(c);
	c->rf.nfindings = c->n;
	c->rf.findings = c->fs;
	if (session_report_ctx(s, &c->rf, &c->ctx) < 0)
		return;
	c->built = true;
	for (size_t i = 0; i < c->n; i++)
		if (c->ctx.group[i] == (long)i)
			list_tree(c, i, 0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether to group again now: always once the replay is over; while it
 * runs, when the last grouping took less than a fifth of the time since
 * (it reads the trace around every finding, a while with many). */
static bool due(const struct fgroups *c, struct session *s)
{
	struct session_progress p;

	session_progress(s, &p);
	return !c->built || p.phase != SESSION_REPLAYING || now_s() - c->built_at >= 5 * c->cost;
}

/* The grouping of @s's findings now (while the replay runs, maybe that of
 * a moment ago); NULL when out of memory. */
static struct fgroups *groups_of(struct session *s)
{
	int changed = refresh(&cache, s);

	if (changed < 0)
		return NULL;
	cache.rf.findings = cache.fs;    /* grow() may have moved them */
	cache.stale = cache.stale || changed || cache.sess != s;
	if (cache.stale && (cache.sess != s || due(&cache, s))) {
		cache.built_at = now_s();
		build(&cache, s);
		cache.cost = now_s() - cache.built_at;
		cache.stale = false;
	}
	cache.sess = s;
	return cache.built ? &cache : NULL;
}

static void list_row(struct cells *g, struct rect b, int y, const struct fgroups *c,
		     size_t row, bool sel)
{
	size_t i = c->row[row];
	const struct coh_finding *f = c->fs[i];
	char msg[256], count[24] = "";
	bool err = report_counts(f) != 0;

	report_message(&c->rf, f, &c->ctx.notes[i], msg, sizeof(msg));
	if (c->ctx.group[i] == (long)i && c->ctx.members[i] > 1)
		snprintf(count, sizeof(count), " x%zu", c->ctx.members[i]);
	cells_printf(g, b, 2 * c->depth[row], y, err ? ROLE_ERROR : ROLE_WARN, 0,
		     "%s%s %s%s @%llu  %s", c->depth[row] ? "<- " : "", coh_fid_code(f->id),
		     coh_fid_name(f->id), count,
		     (unsigned long long)report_finding_src(&c->rf, f), msg);
	if (sel)
		cells_paint(g, b, 0, y, b.w, ROLE_SELECTED, CELL_BOLD);
}

/* "seen  xx xx ..." / "expected  xx xx ..." of a finding's evidence bytes. */
static int evidence(struct cells *g, struct rect b, int y, const struct coh_finding *f)
{
	char seen[3 * COH_EVIDENCE + 1], exp[3 * COH_EVIDENCE + 1];
	int len = 0;

	if (!f->nbytes)
		return y;
	for (unsigned k = 0; k < f->nbytes && k < COH_EVIDENCE; k++) {
		snprintf(seen + len, sizeof(seen) - (size_t)len, "%02x ", f->seen[k]);
		len += snprintf(exp + len, sizeof(exp) - (size_t)len, "%02x ", f->expected[k]);
	}
	cells_printf(g, b, 0, y++, ROLE_ERROR, 0, _("seen     %s at %#llx"), seen,
		     (unsigned long long)f->ev_addr);
	cells_printf(g, b, 0, y++, ROLE_NORMAL, 0, _("expected %s"), exp);
	return y;
}

static void detail(struct cells *g, struct rect b, int y, struct session *s,
		   const struct fgroups *c, size_t i)
{
	char *text = session_finding_text(s, i);

	cells_paint(g, b, 0, y, b.w, ROLE_DIM, CELL_UNDERLINE);
	y = view_wrap(g, b, y + 1, ROLE_NORMAL, text);
	free(text);
	evidence(g, b, y, c->fs[i]);
}

static long selected(struct view_state *vs, long nrows)
{
	struct view_scroll *sc = &vs->scroll[PANE_FINDINGS];

	if (sc->sel >= nrows)
		sc->sel = nrows - 1;
	if (sc->sel < 0 && nrows)
		sc->sel = 0;
	return sc->sel;
}

void view_findings_draw(struct cells *g, struct rect r, struct session *s,
			struct view_state *vs)
{
	struct rect b = view_body(r);
	struct view_scroll *sc = &vs->scroll[PANE_FINDINGS];
	struct fgroups *c = groups_of(s);
	int lh = b.h >= 8 ? b.h / 2 : (b.h + 1) / 2;
	char title[64];
	long sel;

	cells_clear(g, r);
	if (vs->veil) {              /* a prediction first: nothing of them shows */
		view_title(g, r, vs, PANE_FINDINGS, _("Findings"));
		vs->rows[PANE_FINDINGS] = 0;
		view_wrap(g, b, 0, ROLE_DIM, vs->veil);
		return;
	}
	snprintf(title, sizeof(title), _("Findings  %zu so far"), session_nfindings(s));
	view_title(g, r, vs, PANE_FINDINGS, title);
	vs->rows[PANE_FINDINGS] = c ? (long)c->nrows : 0;
	if (!c || !c->nrows)
		return;
	sel = selected(vs, (long)c->nrows);
	view_scroll_to(sc, sel, lh, (long)c->nrows);
	for (int y = 0; y < lh && sc->top + y < (long)c->nrows; y++)
		list_row(g, b, y, c, (size_t)(sc->top + y), sc->top + y == sel);
	detail(g, b, lh, s, c, c->row[sel]);
}

int view_findings_event(struct session *s, const struct view_state *vs, uint64_t *event)
{
	struct fgroups *c = groups_of(s);
	long sel = vs->scroll[PANE_FINDINGS].sel;

	if (!c || sel < 0 || sel >= (long)c->nrows)
		return 1;
	*event = c->fs[c->row[sel]]->seq;
	return 0;
}
