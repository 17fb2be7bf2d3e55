/* SPDX-License-Identifier: MIT */
/*
 * main.c - the dmascope binary: dispatch argv[1] to its subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "i18n.h"

/* X-macro: name, function, one-line summary (the order of `dmascope --help`) */
#define CLI_COMMANDS(X)                                                              \
	X("replay",    cmd_replay,                                                     \
	  N_("open the replay debugger (an ncurses screen) on a trace"))                \
	X("check",     cmd_check,     N_("replay traces and report coherency findings"))    \
	X("stat",      cmd_stat,      N_("count the events of traces by kind, device, CPU")) \
	X("convert",   cmd_convert,   N_("convert a trace to the native .dmt format"))      \
	X("platforms", cmd_platforms, N_("list the platform presets and their parameters")) \
	X("explain",   cmd_explain,   N_("say what a finding id (DC001-DC013) means"))      \
	X("fix",       cmd_fix,                                                        \
	  N_("find the fewest calls to insert or move that cure a trace"))              \
	X("run",       cmd_run,       N_("play the built-in demo scenarios without a screen")) \
	X("lesson",    cmd_lesson,    N_("the lesson menu (also with no command), list or check lessons")) \
	X("whatif",    cmd_whatif,    N_("what breaks when each maintenance call is left out"))

struct command {
	const char *name;            /* as typed */
	int (*fn)(int argc, char **argv);
	const char *summary;         /* for --help */
};

static const struct command commands[] = {
#define CLI_CMD_ROW(name, fn, summary) { name, fn, summary },
	CLI_COMMANDS(CLI_CMD_ROW)
#undef CLI_CMD_ROW
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fputs(_("usage: dmascope [--lang LANG] COMMAND [OPTIONS] [ARGS]\n"
		"       dmascope [--lang LANG]  (the lesson menu)\n"
		"       dmascope --help | --version\n"
		"\n"
		"dmascope simulates CPU caches, memory and DMA devices, replays Linux and\n"
		"Windows DMA API traces on them, and reports every cache-coherency fault.\n"
		"\n"
		"commands:\n"), out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
	fputs(_("\n--lang en|ru|zh: the language of messages, screens and lessons (default\n"
		"from LC_ALL, LC_MESSAGES, LANG); every command takes it too.\n"
		"'dmascope COMMAND --help' describes each; 'man dmascope' has the details.\n"),
	      out);
}

/* A --lang before the command goes after it, where every command's
 * options take it (cli_getopt); 1 when it was one argument (--lang=ru),
 * 2 when two, 0 when there is none. */
static int move_lang(int argc, char **argv)
{
	int n = argc > 1 ? cli_lang_option(argc, argv, 1, NULL) : 0;
	char *cmd;

	if (n == 0 || argc <= 1 + n)
		return n;
	cmd = argv[1 + n];
	memmove(argv + 2, argv + 1, (size_t)n * sizeof(*argv));
	argv[1] = cmd;
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd, *lang = NULL;
	int n;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (cli_lang_option(argc, argv, i, &lang))
			break;
	/* `lesson --check --lang all`: every lesson language, messages as usual */
	if (lang && strcmp(lang, "all") == 0)
		lang = NULL;
	if (i18n_init(lang) < 0)
		return cli_usage_error(NULL, "--lang takes en, ru or zh, not '%s'", lang);
	n = move_lang(argc, argv);
	argc -= n;
	argv += n;
	cmd = argc > 1 ? argv[1] : NULL;
	if (!cmd) {                  /* the lesson menu */
		char *menu[] = { "lesson", NULL };

		return cmd_lesson(1, menu);
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("dmascope %s\n", DMASCOPE_VERSION);
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", cmd);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
