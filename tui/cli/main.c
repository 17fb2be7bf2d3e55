/* SPDX-License-Identifier: MIT */
/*
 * main.c - the dmascope binary: dispatch argv[1] to its subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* X-macro: name, function, one-line summary (the order of `dmascope --help`) */
#define CLI_COMMANDS(_)                                                              \
	_("replay",    cmd_replay,    "open the replay debugger (an ncurses screen) on a trace") \
	_("check",     cmd_check,     "replay traces and report coherency findings")    \
	_("stat",      cmd_stat,      "count the events of traces by kind, device, CPU") \
	_("convert",   cmd_convert,   "convert a trace to the native .dmt format")      \
	_("platforms", cmd_platforms, "list the platform presets and their parameters") \
	_("explain",   cmd_explain,   "say what a finding id (DC001-DC013) means")      \
	_("fix",       cmd_fix,       "find the fewest calls to insert or move that cure a trace") \
	_("run",       cmd_run,       "play the built-in demo scenarios without a screen") \
	_("lesson",    cmd_lesson,    "the lesson menu (also with no command), list or check lessons") \
	_("whatif",    cmd_whatif,    "what breaks when each maintenance call is left out")

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
	fputs("usage: dmascope COMMAND [OPTIONS] [ARGS]\n"
	      "       dmascope               (the lesson menu)\n"
	      "       dmascope --help | --version\n"
	      "\n"
	      "dmascope simulates CPU caches, memory and DMA devices, replays Linux and\n"
	      "Windows DMA API traces on them, and reports every cache-coherency fault.\n"
	      "\n"
	      "commands:\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'dmascope COMMAND --help' describes each; 'man dmascope' has the details.\n",
	      out);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

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
