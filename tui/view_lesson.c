/* SPDX-License-Identifier: MIT */
/*
 * view_lesson.c - the lesson pane: the step shown, as rows wrapped by
 * display width (a Chinese character is two columns): the lesson's title,
 * the step's text, the events a run step applied or the omission rows, a
 * question with its choices, the reveal, what the engine says of the step's
 * claims.  A step longer than the pane pages: a "more" mark says so, and
 * every row is reachable with Space / PgDn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "lscreen-local.h"
#include "view_util.h"

/* A row, as the builder hands it over. */
typedef void (*put_fn)(void *ctx, int indent, uint8_t role, const char *line);

/* What build() hands its rows to: counted (g NULL) or drawn from row top;
 * where each choice starts goes to lp. */
struct draw_ctx {
	struct cells *g;
	struct rect r;
	long row, top, page;
	struct lpane *lp;
};

static void draw_put(void *ctx, int indent, uint8_t role, const char *line)
{
	struct draw_ctx *d = ctx;
	long y = d->row++ - d->top;

	if (d->g && y >= 0 && y < d->page)
		cells_put(d->g, d->r, indent, (int)y, role, role == ROLE_TITLE ? CELL_BOLD : 0,
			  line);
}

void view_wrap_text(const char *text, int w, int indent, put_fn put, void *ctx, uint8_t role)
{
	char line[1024];
	int cols = w - indent > 8 ? w - indent : 8;

	while (text && *text) {
		size_t skip, n = view_wrap_len(text, cols, view_char_width, &skip);

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, text, n);
		line[n] = 0;
		put(ctx, indent, role, line);
		text += n + skip;
		if (!n && !skip)
			text++;
	}
}

/* "2 KeFlushIoBuffers, 4 IoCompleteRequest": the choices of @m */
static void choices_text(const struct lesson_question *q, uint32_t m, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < q->nchoices && len < n; i++)
		if (m & (1u << i))
			len += (size_t)snprintf(buf + len, n - len, "%s%zu %s", len ? ", " : "", i + 1,
						q->choices[i]);
	if (!m)
		snprintf(buf, n, "%s", _("nothing"));
}

static void put_blank(put_fn put, void *ctx)
{
	put(ctx, 0, ROLE_NORMAL, "");
}

static void build_choices(const struct lstep *s, int w, struct draw_ctx *d)
{
	char line[1200];
	size_t n = s->q.nchoices < LPANE_CHOICES ? s->q.nchoices : LPANE_CHOICES;

	for (size_t i = 0; i < n; i++) {
		uint32_t bit = 1u << i;
		bool on = s->answered ? (s->ans.chosen & bit) : (s->picked & bit);

		d->lp->choice_row[i] = d->row;
		snprintf(line, sizeof(line), s->q.multi ? "[%c] %zu  %s" : "(%c) %zu  %s",
			 on ? (s->q.multi ? 'x' : '*') : ' ', i + 1, s->q.choices[i]);
		view_wrap_text(line, w, 2, draw_put, d, s->answered && (s->q.right & bit) ?
			       ROLE_CLEAN : ROLE_NORMAL);
	}
	d->lp->choice_row[n] = d->row;
	d->lp->nchoices = n;
}

/* a value as the student may have typed it: "170 (0xaa)" for a number */
static const char *value_text(const char *v, char *buf, size_t n)
{
	char *end;
	long long x = strtoll(v, &end, 0);

	if (*v && !*end && (x < 0 || x > 9))
		snprintf(buf, n, "%s (%s0x%llx)", v, x < 0 ? "-" : "",
			 (unsigned long long)(x < 0 ? -x : x));
	else
		snprintf(buf, n, "%s", v);
	return buf;
}

/* @label ("Your answer: %s") with the choices @m, or the value @v */
static void answer_row(const struct lesson_question *q, const char *label, uint32_t m,
		       const char *v, int w, put_fn put, void *ctx, uint8_t role)
{
	char line[1400], ans[1200];

	if (q->nchoices)
		choices_text(q, m, ans, sizeof(ans));
	else
		value_text(v, ans, sizeof(ans));
	snprintf(line, sizeof(line), label, ans);
	view_wrap_text(line, w, 0, put, ctx, role);
}

static void build_reveal(const struct lstep *s, int w, put_fn put, void *ctx)
{
	put_blank(put, ctx);
	put(ctx, 0, s->correct ? ROLE_CLEAN : ROLE_ERROR,
	    s->correct ? _("Right.") : _("Not right."));
	answer_row(&s->q, _("Your answer: %s"), s->ans.chosen, s->ans.value, w, put, ctx,
		   ROLE_NORMAL);
	answer_row(&s->q, _("The answer: %s"), s->q.right, s->q.right_value, w, put, ctx,
		   ROLE_TITLE);
	view_wrap_text(s->q.explain, w, 0, put, ctx, ROLE_NORMAL);
}

static void build_question(const struct lstep *s, int w, struct draw_ctx *d)
{
	const put_fn put = draw_put;
	void *ctx = d;
	char line[256];

	put(ctx, 0, ROLE_TITLE, _("Predict:"));
	view_wrap_text(s->q.text, w, 0, put, ctx, ROLE_NORMAL);
	build_choices(s, w, d);
	if (s->answered) {
		build_reveal(s, w, put, ctx);
		return;
	}
	put_blank(put, ctx);
	if (!s->q.nchoices)
		snprintf(line, sizeof(line), "%s", _("Press Enter and type your answer."));
	else if (s->q.nchoices > 9)          /* the keys reach 9 of them, a click all */
		snprintf(line, sizeof(line), "%s", s->q.multi ?
			 _("Press 1-9 or click the choices to pick the right ones (several may "
			   "be right), then Enter to answer.") :
			 _("Press 1-9 or click a choice to pick one, then Enter to answer."));
	else if (s->q.multi)
		snprintf(line, sizeof(line), _("Press 1-%zu to pick the right ones (several may be "
					       "right), then Enter to answer."), s->q.nchoices);
	else
		snprintf(line, sizeof(line), _("Press 1-%zu to pick one, then Enter to answer."),
			 s->q.nchoices);
	view_wrap_text(line, w, 0, put, ctx, ROLE_WARN);
}

/* An event line with a long data= field cut to its first bytes and its
 * length: the bytes themselves are in the replay panes. */
static const char *short_event(const char *line, char *out, size_t n)
{
	const char *d = strstr(line, " data="), *end;
	size_t hex;

	if (!d)
		return line;
	d += 6;
	end = d + strcspn(d, " ");
	hex = (size_t)(end - d);
	if (hex <= 32 || strspn(d, "0123456789abcdefABCDEF") < hex)
		return line;
	snprintf(out, n, "%.*s%.16s... (%zu bytes)%s", (int)(d - line), line, d, hex / 2, end);
	return out;
}

static void build_lines(const struct lstep *s, int w, put_fn put, void *ctx)
{
	char buf[1024];

	if (!s->nlines)
		return;
	put_blank(put, ctx);
	put(ctx, 0, ROLE_TITLE, !strcmp(s->kind, "omissions") ? _("Leaving each call out:")
							      : _("The events this step applied:"));
	for (size_t i = 0; i < s->nlines; i++)
		view_wrap_text(short_event(s->lines[i], buf, sizeof(buf)), w, 2, put, ctx,
			       ROLE_NORMAL);
}

static void build_verdicts(const struct lstep *s, int w, put_fn put, void *ctx)
{
	char line[1300];

	if (!s->nverdicts || (s->ask && !s->answered))
		return;
	put_blank(put, ctx);
	put(ctx, 0, ROLE_TITLE, _("What the engine says:"));
	for (size_t i = 0; i < s->nverdicts; i++) {
		bool ok = s->verdicts[i][0] == '+';

		snprintf(line, sizeof(line), ok ? _("holds: %s") : _("does not hold: %s"),
			 s->verdicts[i] + 2);
		view_wrap_text(line, w, 2, put, ctx, ok ? ROLE_CLEAN : ROLE_ERROR);
	}
}

/* every row of the step shown */
static void build(const struct lrun *r, int w, struct draw_ctx *d)
{
	const struct lstep *s = &r->steps[r->at];
	const put_fn put = draw_put;
	void *ctx = d;

	view_wrap_text(lrun_text(r->info.title, r->lang), w, 0, put, ctx, ROLE_TITLE);
	put_blank(put, ctx);
	if (s->text && *s->text)
		view_wrap_text(s->text, w, 0, put, ctx, ROLE_NORMAL);
	d->lp->nchoices = 0;
	if (s->ask)
		build_question(s, w, d);
	build_lines(s, w, put, ctx);
	build_verdicts(s, w, put, ctx);
	if (lrun_done(r) && (!s->ask || s->answered)) {
		put_blank(put, ctx);
		view_wrap_text(_("This is the last step: the lesson is done. q returns to the "
				 "menu."), w, 0, put, ctx, ROLE_CLEAN);
	} else if (!s->ask || s->answered) {
		put_blank(put, ctx);
		view_wrap_text(_("n or Right: the next step."), w, 0, put, ctx, ROLE_DIM);
	}
}

/* ---- drawing ----------------------------------------------------------------------- */

void view_lesson_draw(struct cells *g, struct rect area, const struct lrun *r, struct lpane *lp)
{
	struct rect body = { area.x + 1, area.y, area.w - 2, area.h };
	struct draw_ctx count = { NULL, body, 0, 0, 0, lp }, d = { g, body, 0, 0, body.h, lp };
	char mark[160];

	cells_clear(g, area);
	lp->nchoices = 0;
	lp->body = body;
	if (!r->n || body.h < 2)
		return;
	build(r, body.w, &count);
	lp->rows = count.row;
	lp->page = lp->rows > body.h ? body.h - 1 : lp->rows;
	if (lp->top > lp->rows - lp->page)
		lp->top = lp->rows - lp->page;
	if (lp->top < 0)
		lp->top = 0;
	d.top = lp->top;
	d.page = lp->page;
	build(r, body.w, &d);
	if (lp->page == lp->rows)
		return;
	snprintf(mark, sizeof(mark), lp->top + lp->page < lp->rows ?
		 _("-- more: Space or PgDn (rows %ld-%ld of %ld) --") :
		 _("-- end: b or PgUp goes back (rows %ld-%ld of %ld) --"),
		 lp->top + 1, lp->top + lp->page, lp->rows);
	cells_put(g, body, 0, body.h - 1, ROLE_WARN, CELL_BOLD, mark);
}

int view_lesson_choice_at(const struct lpane *lp, int x, int y)
{
	long row = lp->top + (y - lp->body.y);

	if (x < lp->body.x || x >= lp->body.x + lp->body.w || y < lp->body.y ||
	    y - lp->body.y >= lp->page)
		return -1;
	for (size_t i = 0; i < lp->nchoices; i++)
		if (row >= lp->choice_row[i] && row < lp->choice_row[i + 1])
			return (int)i;
	return -1;
}

void view_put_line(void *ctx, int indent, uint8_t role, const char *line)
{
	struct view_put *p = ctx;

	cells_put(p->g, p->r, indent, p->y++, role, role == ROLE_TITLE ? CELL_BOLD : 0, line);
}
