/* SPDX-License-Identifier: MIT */
/*
 * cmd_replay.c - `dmascope replay`: the replay debugger, an ncurses screen
 * over one trace (screen.c), or with --script the same screen driven by a
 * file of keys and written as text (script.c), for tests and golden
 * screens.  The file is opened first: one that cannot be read is an error
 * (exit 2) before the terminal is touched.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "cli.h"
#include "cli_opts.h"
#include "screen.h"
#include "script.h"
#include "session.h"
#include "whatif_file.h"

enum { OPT_SCRIPT = CLI_LONG, OPT_DUMP, OPT_SIZE, OPT_KEYS, OPT_WHATIF };

static const struct cli_opt replay_opts[] = {
	{ 'p', "platform", "NAME", N_("replay on this preset ('dmascope platforms' lists them);\n"
	  "default: the platform the file names, else\n"
	  "nt-busmaster for ETW exports, arm-noncoherent otherwise") },	/* TRACE_DEFAULT_* */
	{ 'd', "device", "NAME", N_("only this device's calls and accesses (and CPU ones)") },
	{ 'i', "infer", "WHEN", N_("infer CPU and device accesses around DMA calls:\n"
	  "auto (devices with no access markers), never, always") },
	{ OPT_WHATIF, "whatif", "FILE", N_("load these what-if edits (docs/whatif.md); default:\n"
	  "FILE.whatif next to the trace, when there is one") },
	{ 0, NULL, NULL, N_("\nWithout a terminal (tests, golden screens):") },
	{ OPT_SCRIPT, "script", "FILE", N_("read keys from FILE instead of the terminal, one\n"
	  "command a line: key KEYS (key :120<Enter>), resize W H,\n"
	  "click X Y, wheel-up X Y, wheel-down X Y, dump [attrs]") },
	{ OPT_DUMP, "dump-screen", NULL, N_("write the screen as text on standard output and exit:\n"
	  "the last frame of the script (unless it dumps), or the first") },
	{ OPT_SIZE, "size", "WxH", N_("the screen's size without a terminal (default 80x24)") },
	{ OPT_KEYS, "keys", NULL, N_("print the key table (Markdown, as in the README) and exit") },
	CLI_OPT_HELP,
	{ 0, NULL, NULL, NULL }
};

static const struct cli_cmd replay_cmd = {
	"replay", "replay [OPTIONS] FILE",
	N_("Open the replay debugger on a trace: caches, memory, the DMA controller, the\n"
	"timeline and the findings at each event, moving through time both ways.  The\n"
	"file is read and replayed in the background; the screen opens at once.\n"
	"Press ? in the screen for the keys, q to quit.  Needs a terminal of 80x24 or\n"
	"more (TERM set, not dumb)."),
	replay_opts,
	N_("Exit status: 0, or 2 when the file cannot be read, there is no usable terminal,\n"
	"or on a usage error.")
};

struct replay_args {
	struct session_opts so;
	const char *script;
	const char *whatif;
	struct script_opts sc;
	int dump;
};

static int parse_size(const char *arg, struct script_opts *sc)
{
	char x;

	if (sscanf(arg, "%d%c%d", &sc->w, &x, &sc->h) != 3 || x != 'x' || sc->w < 1 ||
	    sc->h < 1 || sc->w > 1000 || sc->h > 1000)
		return cli_usage_error("replay", "--size takes WxH (80x24), not '%s'", arg);
	return -1;
}

/* One option; -1 to go on, else the exit status. */
static int parse_one(int c, char **argv, struct replay_args *ra)
{
	const struct cli_trace_args ta = { &ra->so.platform, &ra->so.device, &ra->so.infer };
	int r = cli_trace_option("replay", c, optarg, &ta);

	if (r >= 0)
		return r ? r : -1;
	switch (c) {
	case OPT_SCRIPT:
		ra->script = optarg;
		return -1;
	case OPT_DUMP:
		ra->dump = 1;
		return -1;
	case OPT_WHATIF:
		ra->whatif = optarg;
		return -1;
	case OPT_SIZE:
		return parse_size(optarg, &ra->sc);
	case OPT_KEYS:
		actions_markdown(stdout);
		return CLI_EXIT_OK;
	case 'h':
		cli_help(&replay_cmd, stdout);
		return CLI_EXIT_OK;
	default:
		return cli_bad_option("replay", argv, c);
	}
}

static int parse(int argc, char **argv, struct replay_args *ra)
{
	int c, r;

	while ((c = cli_getopt(&replay_cmd, argc, argv)) != -1)
		if ((r = parse_one(c, argv, ra)) >= 0)
			return r;
	if (optind >= argc)
		return cli_usage_error("replay", "no trace file given");
	if (optind + 1 < argc)
		return cli_usage_error("replay", "one trace file at a time");
	ra->so.path = argv[optind];
	return -1;
}

/* Wide characters need a UTF-8 LC_CTYPE: the user's (main's i18n_init()
 * set the locale), else C.UTF-8. */
static void utf8_locale(int headless)
{
	const char *cs;

	cs = nl_langinfo(CODESET);
	if (headless || !cs || strcmp(cs, "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

/* The edits to load: --whatif's file, else FILE.whatif when it exists
 * (the screen says on its status line what it loaded, or which line of
 * the file is wrong). */
static void load_edits(struct session *s, const struct replay_args *ra)
{
	char name[4096];

	if (ra->whatif)
		session_whatif_load(s, ra->whatif);
	else if (whatif_file_name(ra->so.path, name, sizeof(name)) && access(name, F_OK) == 0)
		session_whatif_load(s, NULL);
}

/* --script / --dump-screen: no terminal. */
static int headless(struct session *s, const struct replay_args *ra)
{
	struct script_opts sc = ra->sc;
	FILE *in = stdin;
	char err[256];
	int r;

	sc.dump_end = ra->dump;
	if (ra->script && strcmp(ra->script, "-") != 0 && !(in = fopen(ra->script, "r"))) {
		fprintf(stderr, _("dmascope replay: %s: cannot open the script\n"), ra->script);
		return CLI_EXIT_ERROR;
	}
	if (!ra->script) {
		in = fopen("/dev/null", "r");
		if (!in)
			return CLI_EXIT_ERROR;
	}
	r = script_run(s, in, ra->script ? ra->script : "-", &sc, stdout, err, sizeof(err));
	if (in != stdin)
		fclose(in);
	if (r < 0) {
		fprintf(stderr, "dmascope replay: %s\n", err);
		return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_OK;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_args ra = { .sc = { 80, 24, 0, 0 } };
	struct session *s;
	char err[512];
	int r, nohup = 0;

	if ((r = parse(argc, argv, &ra)) >= 0)
		return r;
	nohup = ra.script || ra.dump;
	utf8_locale(nohup);
	ra.so.flags = nohup ? SESSION_SYNC : 0;
	if (session_open(&ra.so, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "dmascope replay: %s\n", err);
		return CLI_EXIT_ERROR;
	}
	load_edits(s, &ra);
	if (!nohup && screen_usable(err, sizeof(err)) < 0) {
		fprintf(stderr, "dmascope replay: %s\n", err);
		r = CLI_EXIT_ERROR;
	} else if (nohup) {
		r = headless(s, &ra);
	} else {
		r = screen_run(s, err, sizeof(err));
		if (r < 0)
			fprintf(stderr, "dmascope replay: %s\n", err);
		r = r < 0 ? CLI_EXIT_ERROR : r;
	}
	session_close(s);
	return r;
}
