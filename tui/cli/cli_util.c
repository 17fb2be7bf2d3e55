/* SPDX-License-Identifier: MIT */
/*
 * cli_util.c - what the subcommands share: usage errors, timestamps, the
 * default platform, opening a trace with a progress bar.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dmascope%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, _(fmt), ap);   /* xgettext: cli_usage_error:2 */
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, _("Try 'dmascope %s%s--help'.\n"), cmd ? cmd : "", cmd ? " " : "");
	return CLI_EXIT_ERROR;
}

int cli_bad_option(const char *cmd, char **argv, int c)
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs a value", opt);
	if (optopt && (!opt || strncmp(opt, "--", 2) != 0))
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return cli_usage_error(cmd, "unknown option '%s'", opt ? opt : "?");
}

int cli_check_preset(const char *cmd, const char *name)
{
	struct coh_platform p;

	if (!name || coh_platform_preset(name, &p) == 0)
		return 0;
	return cli_usage_error(cmd, "unknown platform '%s' ('dmascope platforms' lists them)",
			       name);
}

int cli_parse_infer(const char *s)
{
	static const char *const names[] = {
		[TRACE_INFER_AUTO] = "auto",
		[TRACE_INFER_NEVER] = "never",
		[TRACE_INFER_ALWAYS] = "always",
	};

	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

int cli_trace_option(const char *cmd, int c, const char *arg, const struct cli_trace_args *a)
{
	switch (c) {
	case 'p':
		*a->platform = arg;
		return cli_check_preset(cmd, arg) ? CLI_EXIT_ERROR : 0;
	case 'd':
		*a->device = arg;
		return 0;
	case 'i':
		*a->infer = cli_parse_infer(arg);
		if (*a->infer < 0)
			return cli_usage_error(cmd, "--infer takes auto, never or always, not '%s'",
					       arg);
		return 0;
	default:
		return -1;
	}
}

/* @err also goes into JSON and SARIF reports: it stays English */
struct trace *cli_open_trace(const char *path, const struct trace_opts *opts, char *err,
			     size_t n)
{
	struct trace_opts o = opts ? *opts : (struct trace_opts){ 0 };
	struct progress pr;
	struct trace *t = NULL;

	progress_init(&pr, _("loading"), trace_input_name(path));
	if (pr.on) {
		o.progress = progress_update;
		o.progress_ctx = &pr;
	}
	err[0] = 0;
	if (trace_open(path, &o, &t, err, n) < 0)
		t = NULL;
	progress_end(&pr);
	if (!t) {
		if (!err[0])
			snprintf(err, n, "%s: cannot be read", trace_input_name(path));
		fprintf(stderr, "dmascope: %s\n", err);
	}
	return t;
}

int cli_trace_platform(const struct trace *t, const char *preset, struct coh_platform *p,
		       char *err, size_t n)
{
	const char *path = trace_path(t);
	char msg[512];

	msg[0] = 0;
	if (trace_platform(t, preset, p, msg, sizeof(msg)) == 0)
		return 0;
	if (strncmp(msg, path, strlen(path)) == 0)
		snprintf(err, n, "%s", msg);
	else
		snprintf(err, n, "%s: %s", path, msg[0] ? msg : "bad platform");
	fprintf(stderr, "dmascope: %s\n", err);
	return -1;
}
