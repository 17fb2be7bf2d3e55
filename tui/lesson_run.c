/* SPDX-License-Identifier: MIT */
/*
 * lesson_run.c - a lesson on the screen: played one step at a time
 * (lesson_cursor_next()) when the student first goes on to it, each step's
 * texts, events, question and verdicts kept so that going back shows it
 * again.  A run step's simulation is written as a .dmt file in a directory
 * of the lesson's own, which the replay panes open (`r`); the files go when
 * the lesson is closed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "lscreen-local.h"

const char *lrun_text(char *const *texts, int lang)
{
	return texts[lang] ? texts[lang] : texts[LESSON_EN] ? texts[LESSON_EN] : "";
}

static struct lstep *cur_step(struct lrun *r)
{
	return &r->steps[r->n - 1];
}

/* @s appended to the list *@v of *@n; 0, or -1 out of memory */
static int push_line(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

static void ui_narrate(void *ctx, size_t step, const char *text)
{
	(void)step;
	free(cur_step(ctx)->text);
	cur_step(ctx)->text = strdup(text);
}

static void ui_show(void *ctx, size_t step, const char *text, const char *const *lines,
		    size_t n)
{
	struct lstep *s = cur_step(ctx);

	ui_narrate(ctx, step, text);
	for (size_t i = 0; i < n; i++)
		push_line(&s->lines, &s->nlines, lines[i]);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* the question, copied: the runtime's strings go when the step ends */
static void ui_ask(void *ctx, const struct lesson_question *q, struct lesson_answer *out)
{
	struct lrun *r = ctx;
	struct lstep *s = cur_step(r);

	s->ask = true;
	s->q = *q;
	s->q.text = dup_or_null(q->text);
	s->q.right_value = dup_or_null(q->right_value);
	s->q.explain = dup_or_null(q->explain);
	for (size_t i = 0; i < q->nchoices; i++)
		s->q.choices[i] = dup_or_null(q->choices[i]);
	for (size_t i = 0; i + 1 < r->n; i++)
		s->qno += r->steps[i].ask;
	s->qno++;
	memset(out, 0, sizeof(*out));    /* the student answers later, on the screen */
}

static void ui_reveal(void *ctx, const struct lesson_question *q, const struct lesson_answer *a,
		      int correct)
{
	(void)ctx;
	(void)q;
	(void)a;
	(void)correct;
}

static void ui_verdict(void *ctx, size_t step, const char *kind, int ok, const char *why)
{
	struct lstep *s = cur_step(ctx);
	char line[1200];

	(void)step;
	(void)kind;
	snprintf(line, sizeof(line), "%s %s", ok ? "+" : "!", why);
	push_line(&s->verdicts, &s->nverdicts, line);
}

/* a run step's simulation as a .dmt file in the lesson's directory */
static void write_sim(struct lrun *r, struct lstep *s)
{
	char path[700], err[256];
	FILE *f;
	int w;

	if (!r->dir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(r->dir, sizeof(r->dir), "%s/dmascope-lesson-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(r->dir)) {
			r->dir[0] = 0;
			return;
		}
	}
	snprintf(path, sizeof(path), "%s/%s-step%zu.dmt", r->dir, r->info.id, s->no);
	if (!(f = fopen(path, "w")))
		return;
	w = lesson_cursor_write_dmt(r->cur, f, err, sizeof(err));
	if (fclose(f) != 0 || w != 0) {
		unlink(path);
		return;
	}
	s->dmt = strdup(path);
}

/* room for one more step; 0, or -1 out of memory */
static int grow(struct lrun *r)
{
	size_t cap = r->cap ? 2 * r->cap : 16;
	struct lstep *v;

	if (r->n < r->cap)
		return 0;
	if (!(v = realloc(r->steps, cap * sizeof(*v))))
		return -1;
	r->steps = v;
	r->cap = cap;
	return 0;
}

static void step_free(struct lstep *s)
{
	free(s->text);
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	for (size_t i = 0; i < s->nverdicts; i++)
		free(s->verdicts[i]);
	free(s->verdicts);
	free((char *)s->q.text);
	free((char *)s->q.right_value);
	free((char *)s->q.explain);
	for (size_t i = 0; i < s->q.nchoices; i++)
		free((char *)s->q.choices[i]);
	if (s->dmt && !strcmp(s->kind, "run"))
		unlink(s->dmt);
	free(s->dmt);
}

/* play the next step of the lesson; 0, or -1 (r->err) */
static int play_next(struct lrun *r)
{
	struct lstep *s;

	if (grow(r) < 0) {
		snprintf(r->err, sizeof(r->err), "%s", _("out of memory"));
		return -1;
	}
	s = &r->steps[r->n++];
	*s = (struct lstep){ .no = r->n, .kind = "?" };
	if (lesson_cursor_next(r->cur, r->err, sizeof(r->err)) < 0) {
		step_free(s);
		r->n--;
		return -1;
	}
	s->kind = lesson_cursor_kind(r->cur);
	if (!strcmp(s->kind, "run"))
		write_sim(r, s);
	else if (r->n > 1 && r->steps[r->n - 2].dmt)
		s->dmt = strdup(r->steps[r->n - 2].dmt);
	return 0;
}

int lrun_open(struct lrun *r, const char *path, const char *repo, int lang)
{
	*r = (struct lrun){ .lang = lang };
	r->ui = (struct lesson_ui){ r, ui_narrate, ui_show, ui_ask, ui_reveal, ui_verdict,
				    i18n_lesson_words };
	if (!(r->env = lesson_env_new(NULL, repo)))
		return -1;
	if (lesson_load(r->env, path, &r->info, r->err, sizeof(r->err)) < 0)
		return 0;
	if (!(r->info.langs & (1u << lang))) {
		snprintf(r->err, sizeof(r->err), _("%s: the lesson is not written in '%s'"), path,
			 lesson_lang_code(lang));
		return 0;
	}
	if (!(r->cur = lesson_cursor_new(r->env, lang, &r->ui, r->err, sizeof(r->err))))
		return 0;
	r->nsteps = lesson_cursor_nsteps(r->cur);
	if (r->nsteps)
		play_next(r);
	return 0;
}

void lrun_close(struct lrun *r)
{
	for (size_t i = 0; i < r->n; i++)
		step_free(&r->steps[i]);
	free(r->steps);
	lesson_cursor_free(r->cur);
	lesson_env_free(r->env);
	lesson_info_free(&r->info);
	if (r->dir[0])
		rmdir(r->dir);
	memset(r, 0, sizeof(*r));
}

int lrun_move(struct lrun *r, int dir)
{
	if (dir < 0) {
		if (!r->at)
			return 1;
		r->at--;
		return 0;
	}
	if (r->at + 1 < r->n) {
		r->at++;
		return 0;
	}
	if (r->n >= r->nsteps || r->err[0])
		return 1;
	if (play_next(r) < 0)
		return -1;
	r->at = r->n - 1;
	return 0;
}

int lrun_answer(struct lrun *r, const char *value)
{
	struct lstep *s = &r->steps[r->at];

	s->ans = (struct lesson_answer){ .chosen = s->picked };
	if (value)
		snprintf(s->ans.value, sizeof(s->ans.value), "%s", value);
	s->answered = true;
	s->correct = lesson_answer_correct(&s->q, &s->ans) != 0;
	return s->correct;
}

bool lrun_done(const struct lrun *r)
{
	return r->n && r->at + 1 == r->nsteps && !r->err[0];
}
