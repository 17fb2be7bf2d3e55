/* SPDX-License-Identifier: MIT */
/*
 * cmd_lesson.c - `dmascope lesson --list`, `dmascope lesson --check
 * [NAME]`: the Lua lessons (lessons/, docs/lessons.md) without a screen;
 * `dmascope lesson [NAME]` opens the lesson menu or one lesson on the
 * screen (lesson_cmd_screen.c).
 *
 * --check plays each lesson headless in each language asked for, answering
 * every prediction with the lesson's right answer and asserting every claim
 * it makes (expected findings, omission rows, the engine's answer to a
 * prediction); it writes no progress.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "i18n.h"
#include "lesson.h"
#include "lesson_cmd.h"
#include "lesson_screen.h"

#ifndef DMASCOPE_DATADIR
#define DMASCOPE_DATADIR "/usr/local/share/dmascope"
#endif

#define ALL_LANGS (-2)

enum { OPT_SCRIPT = CLI_LONG, OPT_DUMP, OPT_SIZE, OPT_KEYS };

struct lesson_opts {
	int list, check;
	struct lesson_screen_args sc; /* the screen's: --script, --dump-screen, --size */
	int lang;                    /* enum lesson_lang, or ALL_LANGS */
	const char *dir;             /* --lessons */
	const char *name;            /* the lesson to check, or NULL */
};

static const struct cli_opt lesson_opts_table[] = {
	{ 'l', "list", NULL, N_("list the lessons: id, title, what each teaches,\n"
	  "prerequisites, your progress") },
	{ 'c', "check", NULL, N_("play lessons headless (NAME: one), answering every\n"
	  "prediction right and asserting every claim; exit 1 on a failure") },
	{ 'L', "lang", "LANG", N_("en, ru or zh (--check also: all); default from\n"
	  "LC_ALL, LC_MESSAGES or LANG, else en") },
	{ 'D', "lessons", "DIR", N_("also the lessons of DIR (a teacher's own)") },
	{ 0, NULL, NULL, N_("\nWithout a terminal (tests, golden screens):") },
	{ OPT_SCRIPT, "script", "FILE", N_("read keys from FILE instead of the terminal\n"
	  "(as dmascope replay --script)") },
	{ OPT_DUMP, "dump-screen", NULL, N_("write the screen as text on standard output") },
	{ OPT_SIZE, "size", "WxH", N_("the screen's size without a terminal (default 80x24)") },
	{ OPT_KEYS, "keys", NULL, N_("print the screen's keys as a Markdown table and exit") },
	CLI_OPT_HELP,
	{ 0, NULL, NULL, NULL }
};

static const struct cli_cmd lesson_cmd = {
	"lesson", "lesson [NAME | --list | --check [NAME]] [OPTIONS]",
	N_("The Lua lessons: learn DMA coherency by breaking it (docs/lessons.md).\n"
	"Without --list or --check: the lesson menu on the screen (also `dmascope`\n"
	"with no arguments), or lesson NAME opened at once; press ? there for the\n"
	"keys.  NAME is a lesson's id, its file name, or its number."),
	lesson_opts_table,
	N_("Exit status: 0 fine, 1 a lesson failed its check (or could not be loaded),\n"
	"2 a usage error (or no terminal for the screen).")
};

static int parse_lang(const char *s, struct lesson_opts *o)
{
	if (!strcmp(s, "all")) {
		o->lang = ALL_LANGS;
		return 0;
	}
	o->lang = lesson_lang_lookup(s);
	return o->lang < 0 ? cli_usage_error("lesson", "unknown language '%s' (en, ru, zh, all)", s)
			   : 0;
}

static int lesson_parse(int argc, char **argv, struct lesson_opts *o)
{
	int c;

	while ((c = cli_getopt(&lesson_cmd, argc, argv)) != -1) {
		switch (c) {
		case 'l': o->list = 1; break;
		case 'c': o->check = 1; break;
		case 'D': o->dir = optarg; break;
		case OPT_SCRIPT: o->sc.script = optarg; break;
		case OPT_DUMP: o->sc.dump = 1; break;
		case OPT_KEYS:
			lscreen_keys_markdown(stdout);
			return CLI_EXIT_OK;
		case OPT_SIZE:
			if (sscanf(optarg, "%dx%d", &o->sc.w, &o->sc.h) != 2 || o->sc.w < 1 ||
			    o->sc.h < 1 || o->sc.w > 1000 || o->sc.h > 1000)
				return cli_usage_error("lesson", _("--size takes WxH (80x24), not '%s'"),
						       optarg);
			break;
		case 'L':
			if (parse_lang(optarg, o))
				return CLI_EXIT_ERROR;
			break;
		case 'h':
			cli_help(&lesson_cmd, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option("lesson", argv, c);
		}
	}
	if (optind < argc)
		o->name = argv[optind++];
	if (optind < argc)
		return cli_usage_error("lesson", "one lesson at a time ('%s' is extra)", argv[optind]);
	if (o->list && o->check)
		return cli_usage_error("lesson", "%s", _("give --list or --check, not both"));
	if (o->list && o->lang == ALL_LANGS)
		return cli_usage_error("lesson", "--list shows one language");
	return -1;
}

/* ---- the headless checker ------------------------------------------------------ */

struct checker {
	const char *id;
	int lang;
	int failed;
	size_t claims;
};

static void ck_narrate(void *ctx, size_t step, const char *text)
{
	(void)ctx;
	(void)step;
	(void)text;
}

static void ck_show(void *ctx, size_t step, const char *text, const char *const *lines,
		    size_t n)
{
	(void)ctx;
	(void)step;
	(void)text;
	(void)lines;
	(void)n;
}

static void ck_ask(void *ctx, const struct lesson_question *q, struct lesson_answer *out)
{
	(void)ctx;
	out->chosen = q->right;
	snprintf(out->value, sizeof(out->value), "%s", q->right_value ? q->right_value : "");
}

static void ck_fail(struct checker *k, size_t step, const char *kind, const char *why)
{
	printf("FAIL %s [%s] step %zu (%s): %s\n", k->id, lesson_lang_code(k->lang), step, kind,
	       why);
	k->failed++;
}

static void ck_reveal(void *ctx, const struct lesson_question *q, const struct lesson_answer *a,
		      int correct)
{
	(void)a;
	if (!correct)
		ck_fail(ctx, q->step, "predict", "the right answer is not judged right");
}

static void ck_verdict(void *ctx, size_t step, const char *kind, int ok, const char *why)
{
	struct checker *k = ctx;

	k->claims++;
	if (!ok)
		ck_fail(k, step, kind, why);
}

/* play one lesson in one language; 0 passed, 1 failed */
static int check_one(const char *path, const char *repo, const struct lesson_info *li, int lang)
{
	struct lesson_ui ui = { NULL, ck_narrate, ck_show, ck_ask, ck_reveal, ck_verdict,
				i18n_lesson_words };
	struct checker k = { li->id, lang, 0, 0 };
	struct lesson_env *e = lesson_env_new(NULL, repo);
	struct lesson_info again;
	char err[2048];
	int r = -1;

	ui.ctx = &k;
	if (!(li->langs & (1u << lang)))
		snprintf(err, sizeof(err), "the lesson is not written in this language");
	else if (!e)
		snprintf(err, sizeof(err), "out of memory");
	else if (lesson_load(e, path, &again, err, sizeof(err)) == 0)
		r = lesson_play(e, lang, &ui, err, sizeof(err));
	if (e)
		lesson_info_free(&again);
	lesson_env_free(e);
	if (r < 0)
		printf("FAIL %s [%s] %s\n", li->id, lesson_lang_code(lang), err);
	else if (!r && !k.failed)
		printf("ok   %s [%s]: %zu steps, %zu claims hold\n", li->id, lesson_lang_code(lang),
		       li->nsteps, k.claims);
	return r != 0 || k.failed != 0;
}

/* ---- listing --------------------------------------------------------------------- */

static const char *text_in(char *const *t, int lang)
{
	return t[lang] ? t[lang] : t[LESSON_EN] ? t[LESSON_EN] : "";
}

static void list_one(const struct lesson_info *li, int lang, struct lesson_progress *pg)
{
	struct lesson_progress_row *r = lesson_progress_row(pg, li->id, 0);

	printf("%-16s %s\n", li->id, text_in(li->title, lang));
	printf("    %s\n", text_in(li->teaches, lang));
	if (li->nrequires) {
		printf("    requires:");
		for (size_t i = 0; i < li->nrequires; i++)
			printf(" %s", li->requires[i]);
		putchar('\n');
	}
	if (r)
		printf("    progress: %s, %u answered, %u right the first time\n",
		       r->done ? "done" : "started", r->answered, r->first_try);
	else
		printf("    progress: not started\n");
}

/* ---- the command ------------------------------------------------------------------- */

static int matches(const struct lesson_entry *le, const struct lesson_info *li, const char *name)
{
	char *end;
	long n = strtol(name, &end, 10);

	if (!*end && n > 0)
		return atoi(le->base) == n || li->order == n;
	return !strcmp(name, li->id) || !strcmp(name, le->base);
}

/* the lesson of @le loaded for its metadata; 0, or -1 (printed) */
static int info_of(const struct lesson_entry *le, const char *repo, struct lesson_info *li)
{
	struct lesson_env *e = lesson_env_new(NULL, repo);
	char err[2048];
	int r = e ? lesson_load(e, le->path, li, err, sizeof(err)) : -1;

	if (r < 0)
		printf("FAIL %s: %s\n", le->base, e ? err : "out of memory");
	lesson_env_free(e);
	return r;
}

static int run_lesson(const struct lesson_opts *o, const struct lesson_entry *le,
		      const char *repo, struct lesson_progress *pg, int *found)
{
	struct lesson_info li;
	int bad = 0;

	if (info_of(le, repo, &li) < 0) {
		lesson_info_free(&li);
		*found += !o->name;
		return 1;
	}
	if (o->name && !matches(le, &li, o->name)) {
		lesson_info_free(&li);
		return 0;
	}
	(*found)++;
	if (o->list)
		list_one(&li, o->lang, pg);
	for (int lang = 0; o->check && lang < LESSON_NLANGS; lang++)
		if (o->lang == lang || (o->lang == ALL_LANGS && (li.langs & (1u << lang))))
			bad |= check_one(le->path, repo, &li, lang);
	lesson_info_free(&li);
	return bad;
}

static int run_all(const struct lesson_opts *o)
{
	char dir[1024], repo[1024], warn[1200], path[1100];
	const char *dirs[2] = { dir, o->dir };
	struct lesson_progress pg = { NULL, 0 };
	struct lesson_entry *les;
	long n;
	int bad = 0, found = 0;

	lesson_builtin_dir(DMASCOPE_DATADIR, dir, sizeof(dir), repo, sizeof(repo));
	if ((n = lesson_dir_scan(dirs, o->dir ? 2 : 1, &les)) < 0)
		return cli_usage_error("lesson", "out of memory");
	lesson_progress_path(path, sizeof(path));
	if (o->list && lesson_progress_load(path, &pg, warn, sizeof(warn)) == 0 && warn[0])
		fprintf(stderr, "dmascope lesson: warning: %s\n", warn);
	for (long i = 0; i < n; i++)
		bad |= run_lesson(o, &les[i], repo, &pg, &found);
	free(les);
	lesson_progress_free(&pg);
	if (o->name && !found)
		return cli_usage_error("lesson", "no lesson '%s' (dmascope lesson --list)", o->name);
	if (!found)
		printf("no lessons in %s%s%s\n", dir, o->dir ? " or " : "", o->dir ? o->dir : "");
	return bad ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

int cmd_lesson(int argc, char **argv)
{
	struct lesson_opts o = { .sc = { .w = 80, .h = 24 }, .lang = i18n_lang() };
	int ret = lesson_parse(argc, argv, &o);

	if (ret >= 0)
		return ret;
	if (o.list || o.check)
		return run_all(&o);
	if (o.lang == ALL_LANGS)
		return cli_usage_error("lesson", "%s", _("the screen shows one language (en, ru, zh)"));
	o.sc.lang = o.lang;
	o.sc.dir = o.dir;
	o.sc.name = o.name;
	return lesson_screen_cmd(&o.sc);
}
