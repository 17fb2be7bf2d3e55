/* SPDX-License-Identifier: MIT */
/*
 * cli_opts.c - a subcommand's option table made into getopt_long's tables
 * and into its --help text.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "i18n.h"

#define HELP_COLUMN 24           /* where the help of an option starts */
#define LANG_KEY (CLI_LONG + 255)  /* --lang in a table that has none */

const struct cli_opt cli_opts_help_only[] = {
	CLI_OPT_HELP,
	{ 0, NULL, NULL, NULL }
};

/* Print @text, each line after the first indented to HELP_COLUMN. */
static void print_indented(FILE *out, const char *text)
{
	for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1)
		fprintf(out, "%.*s\n%*s", (int)(nl - text), text, HELP_COLUMN, "");
	fprintf(out, "%s\n", text);
}

/* "  -p, --platform NAME   help", or "      --info            help" */
static void print_opt(FILE *out, const struct cli_opt *o)
{
	char left[64];
	int len;

	if (o->key < CLI_LONG)
		len = snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->key, o->name,
			       o->arg ? " " : "", o->arg ? o->arg : "");
	else
		len = snprintf(left, sizeof(left), "      --%s%s%s", o->name,
			       o->arg ? " " : "", o->arg ? o->arg : "");
	if (len >= HELP_COLUMN - 1)
		fprintf(out, "%s\n%*s", left, HELP_COLUMN, "");
	else
		fprintf(out, "%-*s", HELP_COLUMN, left);
	print_indented(out, _(o->help));
}

void cli_help(const struct cli_cmd *cmd, FILE *out)
{
	fprintf(out, _("usage: dmascope %s\n"), cmd->usage);
	fprintf(out, "\n%s\n\n", _(cmd->about));
	for (const struct cli_opt *o = cmd->opts; o->name || o->help; o++) {
		if (o->name)
			print_opt(out, o);
		else
			fprintf(out, "%s\n", o->help[0] ? _(o->help) : "");
	}
	if (cmd->epilog)
		fprintf(out, "\n%s\n", _(cmd->epilog));
}

/* getopt_long's tables from @cmd's: ":p:f:si:..." and the long options */
static void make_tables(const struct cli_cmd *cmd, struct option *longs, char *shorts)
{
	size_t n = 0, k = 0;

	shorts[k++] = ':';
	for (const struct cli_opt *o = cmd->opts; o->name || o->help; o++) {
		if (!o->name || n == CLI_MAX_OPTS)
			continue;
		longs[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument,
					      NULL, o->key };
		if (o->key >= CLI_LONG)
			continue;
		shorts[k++] = (char)o->key;
		if (o->arg)
			shorts[k++] = ':';
	}
	longs[n++] = (struct option){ "lang", required_argument, NULL, LANG_KEY };
	longs[n] = (struct option){ NULL, 0, NULL, 0 };
	shorts[k] = 0;
}

int cli_getopt(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct option longs[CLI_MAX_OPTS + 2];
	char shorts[2 * CLI_MAX_OPTS + 2];
	int c;

	make_tables(cmd, longs, shorts);
	opterr = 0;
	/* main() chose the language from --lang; a table's own "lang" row
	 * comes first, so getopt_long() returns that row's key instead */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) == LANG_KEY)
		;
	return c;
}

int cli_lang_option(int argc, char **argv, int i, const char **lang)
{
	const char *a = argv[i];

	if (strncmp(a, "--lang=", 7) == 0) {
		if (lang)
			*lang = a + 7;
		return 1;
	}
	if (strcmp(a, "--lang") != 0 || i + 1 >= argc)
		return 0;
	if (lang)
		*lang = argv[i + 1];
	return 2;
}

int cli_parse_help(const struct cli_cmd *cmd, int argc, char **argv)
{
	int c;

	while ((c = cli_getopt(cmd, argc, argv)) != -1) {
		if (c != 'h')
			return cli_bad_option(cmd->name, argv, c);
		cli_help(cmd, stdout);
		return CLI_EXIT_OK;
	}
	return -1;
}
