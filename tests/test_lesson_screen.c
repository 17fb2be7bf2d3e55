/* SPDX-License-Identifier: MIT */
/*
 * test_lesson_screen.c - every lesson of lessons/ (found, not listed), in
 * every language it is written in, walked on the lesson screen at 80x24
 * as a student would: each step paged through to its end, each question
 * answered (the first choice, or 0), the reveal paged through again.
 * Every frame goes through the dump path (cells_dump(), what --dump-screen
 * writes) and is measured by display width (wcwidth(): a Chinese
 * character is two columns): no line is wider than 80 columns.  Nothing is
 * cut off: every text of every step (the title, the narration, each event
 * line, the question, each choice, the explanation, the omission rows, the
 * engine's verdicts) is found in the rows drawn over its pages, and a step
 * that pages shows the "more" mark.  Lesson 2 (kef-read) is compared with
 * golden dumps in en, ru and zh (tests/golden/screens/lesson-kef-read-*).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <cmocka.h>

#include "frontend.h"
#include "golden-test.h"
#include "i18n.h"
#include "keys.h"
#include "lesson_screen.h"
#include "lscreen-local.h"

#define W 80
#define H 24

static const char *srcdir(void)
{
	const char *d = getenv("SRCDIR");

	return d && *d ? d : ".";
}

/* a growing text */
struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

/* @s without its blanks (wrapping drops the spaces it breaks at) */
static char *squeeze(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	assert_non_null(out);
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			*o++ = *s;
	*o = 0;
	return out;
}

/* display width of one line of a dump, by wcwidth() */
static int line_width(const char *line, size_t n)
{
	char tmp[4096];
	wchar_t wc[4096];
	size_t k;
	int w = 0;

	assert_true(n < sizeof(tmp));
	memcpy(tmp, line, n);
	tmp[n] = 0;
	k = mbstowcs(wc, tmp, sizeof(wc) / sizeof(wc[0]));
	assert_true(k != (size_t)-1);
	for (size_t i = 0; i < k; i++)
		w += wcwidth(wc[i]) > 0 ? wcwidth(wc[i]) : 0;
	return w;
}

struct walk {
	const char *base, *lang_code;
	struct frontend f;
	struct lscreen *ls;
	struct buf seen;             /* the pane rows drawn for the step shown */
	struct buf dumps;            /* every frame (the golden file) */
	unsigned frames;
	bool marked;                 /* the pane's last row is a more mark */
};

/* draw, dump, measure; the pane's rows appended to w->seen */
static void frame(struct walk *w, const char *what)
{
	struct cells *g = w->f.draw(w->f.ctx);
	char *text = cells_dump(g, 0), *line = text, hdr[160];
	int y = 0;

	assert_non_null(text);
	snprintf(hdr, sizeof(hdr), "==== %s [%s] frame %u: %s\n", w->base, w->lang_code,
		 ++w->frames, what);
	buf_add(&w->dumps, hdr, strlen(hdr));
	buf_add(&w->dumps, text, strlen(text));
	while (*line) {
		size_t n = strcspn(line, "\n");

		if (line_width(line, n) > W)
			fail_msg("%s [%s] %s: row %d is %d columns wide", w->base, w->lang_code,
				 what, y, line_width(line, n));
		if (y == H - 2)
			w->marked = n > 3 && !strncmp(line, " --", 3);
		if (y >= 1 && y < H - 1) {       /* the pane, between title and status */
			buf_add(&w->seen, line, n);
			buf_add(&w->seen, "\n", 1);
		}
		line += n + (line[n] == '\n');
		y++;
	}
	assert_int_equal(y, H);
	free(text);
}

/* page through the step shown, from its top: every row drawn once */
static void page_through(struct walk *w, const char *what)
{
	const struct lpane *lp = lscreen_pane(w->ls);
	char label[64];
	int pages = 0;

	w->seen.len = 0;
	w->f.key(w->f.ctx, 'g');
	for (;;) {
		snprintf(label, sizeof(label), "%s page %d", what, ++pages);
		frame(w, label);
		if (lp->rows > lp->page && !w->marked)
			fail_msg("%s [%s] %s: pages without a more mark", w->base, w->lang_code,
				 label);
		if (lp->top + lp->page >= lp->rows)
			break;
		assert_true(pages < 200);
		w->f.key(w->f.ctx, ' ');
	}
}

/* @text is among the rows drawn for the step */
static void reachable(struct walk *w, const char *text, const char *what)
{
	char *want, *got;

	if (!text || !*text)
		return;
	want = squeeze(text);
	got = squeeze(w->seen.p ? w->seen.p : "");
	if (!strstr(got, want))
		fail_msg("%s [%s] step %zu: the %s is cut off: \"%s\"", w->base, w->lang_code,
			 lscreen_lesson(w->ls)->at + 1, what, text);
	free(want);
	free(got);
}

/* an event row is drawn whole, except a long data= field, of which its first
 * 16 hex digits are (the bytes are in the replay panes) */
static void event_row(struct walk *w, const char *line)
{
	const char *d = strstr(line, " data="), *end;
	char *head;

	if (!d) {
		reachable(w, line, "event or omission row");
		return;
	}
	head = strndup(line, (size_t)(d - line) + 6 + 16);
	assert_non_null(head);
	reachable(w, head, "event row");
	free(head);
	end = d + 6 + strcspn(d + 6, " ");
	reachable(w, end, "event row's fields after data=");
}

static void step_texts(struct walk *w, const struct lrun *r, const struct lstep *s)
{
	reachable(w, lrun_text(r->info.title, r->lang), "title");
	reachable(w, s->text, "text");
	for (size_t i = 0; i < s->nlines; i++)
		event_row(w, s->lines[i]);
	if (!s->ask)
		goto verdicts;
	reachable(w, s->q.text, "question");
	for (size_t i = 0; i < s->q.nchoices; i++)
		reachable(w, s->q.choices[i], "choice");
	if (!s->answered)
		return;
	reachable(w, s->q.explain, "explanation");
verdicts:
	for (size_t i = 0; i < s->nverdicts; i++)
		reachable(w, s->verdicts[i] + 2, "verdict");
}

/* answer the question shown: the first choice, or 0 */
static void answer_first(struct walk *w, const struct lstep *s)
{
	if (s->q.nchoices) {
		w->f.key(w->f.ctx, '1');
		w->f.key(w->f.ctx, TK_ENTER);
	} else {
		w->f.key(w->f.ctx, TK_ENTER);
		w->f.key(w->f.ctx, '0');
		w->f.key(w->f.ctx, TK_ENTER);
	}
	assert_true(s->answered);
}

static void walk_lesson(struct walk *w)
{
	const struct lrun *r = lscreen_lesson(w->ls);
	char what[64];

	assert_non_null(r);
	for (;;) {
		const struct lstep *s;
		size_t no;

		if (r->err[0])
			fail_msg("%s [%s]: %s", w->base, w->lang_code, r->err);
		s = &r->steps[r->at];
		snprintf(what, sizeof(what), "step %zu", s->no);
		page_through(w, what);
		step_texts(w, r, s);
		if (s->ask && !s->answered) {
			answer_first(w, s);
			snprintf(what, sizeof(what), "step %zu answered", s->no);
			page_through(w, what);
			step_texts(w, r, s);
		}
		if (lrun_done(r))
			break;
		no = s->no;          /* the next step may move the steps */
		w->f.key(w->f.ctx, 'n');
		if (r->err[0])
			fail_msg("%s [%s] step %zu: %s", w->base, w->lang_code, no + 1, r->err);
		assert_int_equal(r->at + 1, no + 1);
	}
}

static struct lscreen *open_lesson(const char *base, int lang)
{
	char dir[600], err[1200];
	const char *dirs[1] = { dir };
	struct lscreen_opts o = { dirs, 1, srcdir(), lang, base };
	struct lscreen *ls;

	snprintf(dir, sizeof(dir), "%s/lessons", srcdir());
	ls = lscreen_new(&o, err, sizeof(err));
	if (!ls)
		fail_msg("%s: %s", base, err);
	return ls;
}

/* a fresh $XDG_STATE_HOME (the walks' progress goes there), or its removal */
static void state_dir(bool make)
{
	static char dir[64];
	char path[128];

	if (make) {
		snprintf(dir, sizeof(dir), "/tmp/test_lesson_screen.XXXXXX");
		assert_non_null(mkdtemp(dir));
		setenv("XDG_STATE_HOME", dir, 1);
		return;
	}
	snprintf(path, sizeof(path), "%s/dmascope/progress", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dmascope", dir);
	rmdir(path);
	rmdir(dir);
}

/* one lesson in one language; its frames in *dumps when not NULL */
static void walk_one(const char *base, int lang, char **dumps)
{
	struct walk w = { base, lesson_lang_code(lang), { 0 }, NULL, { 0 }, { 0 }, 0, false };

	/* the screen's own words in the lesson's language too (the catalogues
	 * of build/locale; English where they are not found) */
	i18n_init(lesson_lang_code(lang));
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	state_dir(true);
	w.ls = open_lesson(base, lang);
	lscreen_frontend(w.ls, &w.f);
	assert_int_equal(w.f.resize(w.f.ctx, W, H), 0);
	walk_lesson(&w);
	lscreen_free(w.ls);
	state_dir(false);
	free(w.seen.p);
	if (dumps)
		*dumps = w.dumps.p;
	else
		free(w.dumps.p);
}

/* the languages lesson @base is written in (its metadata) */
static unsigned langs_of(const char *base)
{
	struct lscreen *ls;
	unsigned l;

	state_dir(true);
	ls = open_lesson(base, LESSON_EN);
	l = lscreen_lesson(ls) ? lscreen_lesson(ls)->info.langs : 0;
	lscreen_free(ls);
	state_dir(false);
	return l ? l : 1u << LESSON_EN;
}

static void every_lesson_fits(void **state)
{
	char dir[600];
	const char *dirs[1] = { dir };
	struct lesson_entry *les;
	long n;
	int walked = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/lessons", srcdir());
	n = lesson_dir_scan(dirs, 1, &les);
	assert_true(n >= 2);
	for (long i = 0; i < n; i++) {
		unsigned langs = langs_of(les[i].base);

		for (int lang = 0; lang < LESSON_NLANGS; lang++)
			if (langs & (1u << lang)) {
				walk_one(les[i].base, lang, NULL);
				walked++;
			}
	}
	free(les);
	assert_true(walked >= 2 * 3);
}

static void kef_read_golden(void **state)
{
	char name[64], *dumps;

	(void)state;
	for (int lang = 0; lang < LESSON_NLANGS; lang++) {
		walk_one("02-kef-read", lang, &dumps);
		snprintf(name, sizeof(name), "lesson-kef-read-%s-%dx%d", lesson_lang_code(lang), W,
			 H);
		golden(name, dumps);
		free(dumps);
	}
}

static int setup(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return -1;
	setenv("LANGUAGE", "en", 1);        /* the screen's own words in English */
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_lesson_fits),
		cmocka_unit_test(kef_read_golden),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
