/* SPDX-License-Identifier: MIT */
/*
 * cmd_explain.c - `dmascope explain DC0xx`: what a finding means.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "report.h"

static const struct cli_cmd explain_cmd = {
	"explain", "explain [ID...]",
	N_("Say what a finding means: when it fires, its typical cause, and the rule\n"
	"variants the engine reports under it, each with the API it concerns ([Linux],\n"
	"[Windows] or both).  ID is a code (DC006, dc6, 6) or a name\n"
	"(ownership-violation, pre-trace-mapping).  Without an ID, list them all."),
	cli_opts_help_only,
	N_("Exit status: 0, or 2 for an unknown id or a usage error.")
};

/* "DC006", "dc6", "6", or a name: the id, or 0 */
static unsigned lookup(const char *s)
{
	const char *digits = s;
	char *end;
	long v;

	if (tolower((unsigned char)s[0]) == 'd' && tolower((unsigned char)s[1]) == 'c')
		digits = s + 2;
	if (isdigit((unsigned char)digits[0])) {
		v = strtol(digits, &end, 10);
		if (*end || v < 1 || v > 13)
			return 0;
		return COH_DC001 + (unsigned)(v - 1);
	}
	if (strcmp(s, "info") == 0)
		return 0;       /* three ids share the code: ask by name */
	return coh_fid_lookup(s) > 0 ? (unsigned)coh_fid_lookup(s) : 0;
}

static void print_wrapped(const char *label, const char *text)
{
	const char *p = text;
	int first = 1;

	while (*p) {
		int len = 0, cut = 0;

		while (p[len] && len < 66) {
			if (p[len] == ' ')
				cut = len;
			len++;
		}
		if (p[len] && cut)
			len = cut;
		printf("  %-10s%.*s\n", first ? label : "", len, p);
		first = 0;
		p += len;
		while (*p == ' ')
			p++;
	}
}

static void explain_one(unsigned fid)
{
	const struct coh_finding_doc *d = coh_finding_doc(fid);

	printf("%s %s (%s)\n", coh_fid_code(fid), coh_fid_name(fid),
	       coh_fid_is_error(fid) ? "error" : "information, never counted as an error");
	if (!d)
		return;
	print_wrapped("what:", d->title);
	print_wrapped("when:", d->when);
	print_wrapped("cause:", d->cause);
	for (const unsigned *r = d->rules; *r; r++) {
		char line[256];

		snprintf(line, sizeof(line), "%s [%s]", coh_rule_text(*r), coh_finding_rule_api(*r));
		print_wrapped(r == d->rules ? "variants:" : "", line);
	}
}

static void list_all(void)
{
	for (unsigned fid = 1; fid < COH_FID_COUNT; fid++) {
		const struct coh_finding_doc *d = coh_finding_doc(fid);

		printf("%-6s %-24s %s\n", coh_fid_code(fid), coh_fid_name(fid), d ? d->title : "");
	}
}

int cmd_explain(int argc, char **argv)
{
	int ret = cli_parse_help(&explain_cmd, argc, argv);

	if (ret >= 0)
		return ret;
	if (optind >= argc) {
		list_all();
		return CLI_EXIT_OK;
	}
	for (int i = optind; i < argc; i++)
		if (!lookup(argv[i]))
			return cli_usage_error("explain", "unknown finding id '%s' (DC001-DC013, "
					       "or a name from 'dmascope explain')", argv[i]);
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			putchar('\n');
		explain_one(lookup(argv[i]));
	}
	return CLI_EXIT_OK;
}
