/* SPDX-License-Identifier: MIT */
/*
 * cli_opts.h - one table per subcommand, from which both its getopt_long
 * tables and its --help text are made, so the two cannot drift apart.
 *
 * A table is an array of struct cli_opt ending with an all-zero row.  A row
 * with a name is an option; a row without one is a line of text in --help
 * (a heading, a paragraph, "" for an empty line) that the parser skips.
 */
#ifndef CLI_OPTS_H
#define CLI_OPTS_H

#include <stdio.h>

#include "i18n.h"

/* Keys from CLI_LONG on are options with no short letter (--info). */
#define CLI_LONG 256

/* Options a table may hold (rows of text do not count). */
#define CLI_MAX_OPTS 24

struct cli_opt {
	int key;                     /* the short letter, or CLI_LONG + n; what
				      * cli_getopt() returns for the option */
	const char *name;            /* the long name without "--", or NULL: text */
	const char *arg;             /* its argument in --help ("NAME"), or NULL
				      * when it takes none */
	const char *help;            /* what it does; '\n' starts a line indented
				      * under the first (N_(): --help translates) */
};

/* The row every subcommand has. */
#define CLI_OPT_HELP { 'h', "help", NULL, N_("show this help") }

/* The table of a subcommand whose only option is --help. */
extern const struct cli_opt cli_opts_help_only[];

struct cli_cmd {
	const char *name;            /* "check" */
	const char *usage;           /* the synopsis after "usage: dmascope " */
	const char *about;           /* what it does, before the options (N_()) */
	const struct cli_opt *opts;  /* the table */
	const char *epilog;          /* after the options (exit status; N_()), or NULL */
};

/**
 * cli_help - print @cmd's --help: usage, about, one line per option (or
 * more, as its help says) and the rows of text, then the epilog
 * @out: where to print (stdout for --help)
 */
void cli_help(const struct cli_cmd *cmd, FILE *out);

/**
 * cli_getopt - getopt_long() over @cmd's table (opterr off, ':' first)
 *
 * Return: the key of the next option (optarg holds its argument), '?' or
 * ':' for what getopt_long() rejected (hand it to cli_bad_option()), -1
 * after the last option.
 */
int cli_getopt(const struct cli_cmd *cmd, int argc, char **argv);

/**
 * cli_lang_option - whether argv[@i] is --lang LANG or --lang=LANG (every
 * command takes it: cli_getopt() skips it unless the table has its own)
 * @lang: receives LANG (may be NULL)
 *
 * Return: the arguments it takes (2 or 1), or 0 when it is not one.
 */
int cli_lang_option(int argc, char **argv, int i, const char **lang);

/**
 * cli_parse_help - parse the options of a subcommand whose only option is
 * --help: print the help, or report what is not an option
 *
 * Return: -1 to go on (optind is at the first operand), else the exit
 * status to return now.
 */
int cli_parse_help(const struct cli_cmd *cmd, int argc, char **argv);

#endif
