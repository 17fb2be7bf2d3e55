/* SPDX-License-Identifier: MIT */
/*
 * lesson_cmd_screen.c - the lesson menu and screen from the command line
 * (lesson_cmd.h): the lesson directories, the message language, then the
 * terminal (screen.c) or a script of keys whose frames are written as text
 * (script.c), as `dmascope replay --script` does.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "frontend.h"
#include "i18n.h"
#include "lesson.h"
#include "lesson_cmd.h"
#include "lesson_screen.h"
#include "screen.h"
#include "script.h"

#ifndef DMASCOPE_DATADIR
#define DMASCOPE_DATADIR "/usr/local/share/dmascope"
#endif

/* the messages in the lessons' language; wide characters need UTF-8 */
static void locale_for(int lang, int headless)
{
	const char *cs;

	i18n_init(lesson_lang_code(lang));
	cs = nl_langinfo(CODESET);
	if (headless || !cs || strcmp(cs, "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

static int run_script(struct lscreen *ls, const struct lesson_screen_args *a)
{
	struct script_opts sc = { a->w, a->h, a->dump, 0 };
	struct frontend f;
	FILE *in = stdin;
	char err[256];
	int r;

	if (a->script && strcmp(a->script, "-") != 0 && !(in = fopen(a->script, "r"))) {
		fprintf(stderr, "dmascope lesson: %s: %s\n", a->script, _("cannot open the script"));
		return CLI_EXIT_ERROR;
	}
	if (!a->script && !(in = fopen("/dev/null", "r")))
		return CLI_EXIT_ERROR;
	lscreen_frontend(ls, &f);
	r = script_run_frontend(&f, in, a->script ? a->script : "-", &sc, stdout, err, sizeof(err));
	if (in != stdin)
		fclose(in);
	if (r < 0)
		fprintf(stderr, "dmascope lesson: %s\n", err);
	return r < 0 ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

static int run_terminal(struct lscreen *ls)
{
	struct frontend f;
	char err[512];
	int r;

	lscreen_frontend(ls, &f);
	r = screen_loop(&f, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "dmascope lesson: %s\n", err);
	return r < 0 ? CLI_EXIT_ERROR : r;
}

int lesson_screen_cmd(const struct lesson_screen_args *a)
{
	char dir[1024], repo[1024], err[1200];
	const char *dirs[2] = { dir, a->dir };
	struct lscreen_opts o = { dirs, a->dir ? 2 : 1, repo, a->lang, a->name };
	int headless = a->script || a->dump, r;
	struct lscreen *ls;

	locale_for(a->lang, headless);
	if (!headless && screen_usable(err, sizeof(err)) < 0)
		return cli_usage_error("lesson", "%s", err);
	lesson_builtin_dir(DMASCOPE_DATADIR, dir, sizeof(dir), repo, sizeof(repo));
	if (!(ls = lscreen_new(&o, err, sizeof(err))))
		return cli_usage_error("lesson", "%s", err);
	r = headless ? run_script(ls, a) : run_terminal(ls);
	lscreen_free(ls);
	return r;
}
