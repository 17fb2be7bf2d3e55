/* SPDX-License-Identifier: MIT */
/*
 * cmd_stat.c - `dmascope stat`: what a trace holds, counted by the reader
 * (trace_stats): every event name in the file with the counts `trace-cmd
 * report` would show, per device, per device and event, per CPU; the time
 * span, lost events and the reader's warnings.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "report.h"

static const struct cli_cmd stat_cmd = {
	"stat", "stat FILE...",
	N_("Count the events of each trace: per event name (every event in the file, as\n"
	"'trace-cmd report' names them), per device, per device and event, per CPU;\n"
	"the time span, lost events, the detected format and the reader's warnings.\n"
	"FILE may be - (standard input) and xz, zstd or gzip compressed."),
	cli_opts_help_only,
	N_("Exit status: 0, or 2 when a file could not be read or a usage error.")
};

/* most frequent first, then by name */
static int by_count(const void *a, const void *b)
{
	const struct trace_count *x = *(const struct trace_count *const *)a;
	const struct trace_count *y = *(const struct trace_count *const *)b;
	int k;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	k = strcmp(x->name, y->name);
	if (k || !x->sub || !y->sub)
		return k;
	return strcmp(x->sub, y->sub);
}

static int print_counts(const char *title, const struct trace_count *c, size_t n)
{
	const struct trace_count **sorted = malloc((n ? n : 1) * sizeof(*sorted));

	if (!sorted)
		return -1;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &c[i];
	qsort(sorted, n, sizeof(*sorted), by_count);
	printf("  %s:\n", title);
	if (!n)
		printf("    (none)\n");
	for (size_t i = 0; i < n; i++) {
		if (sorted[i]->sub)
			printf("    %-20s %-28s %10llu\n", sorted[i]->name, sorted[i]->sub,
			       (unsigned long long)sorted[i]->n);
		else
			printf("    %-36s %10llu\n", sorted[i]->name,
			       (unsigned long long)sorted[i]->n);
	}
	free(sorted);
	return 0;
}

static void print_span(const struct trace_stats *st)
{
	char a[32], b[32], d[32];

	if (!st->events) {
		printf("  time span: (no events)\n");
		return;
	}
	report_ts(a, sizeof(a), st->first_ts);
	report_ts(b, sizeof(b), st->last_ts);
	/* the span of the printed (rounded) timestamps, as trace-cmd shows them */
	report_ts(d, sizeof(d), (report_ts_us(st->last_ts) - report_ts_us(st->first_ts)) * 1000);
	printf("  time span: %s .. %s (%s s)\n", a, b, d);
}

static int stat_one(struct trace *t)
{
	const struct trace_stats *st = trace_stats(t);
	size_t nw = trace_nwarnings(t);
	int ret = 0;

	printf("%s\n", trace_path(t));
	printf("  format: %s\n", trace_format_name(trace_format(t)));
	printf("  events: %llu\n", (unsigned long long)st->events);
	printf("  lost events: %llu\n", (unsigned long long)st->lost);
	print_span(st);
	ret |= print_counts("events per kind", st->kinds, st->nkinds);
	ret |= print_counts("events per device", st->devs, st->ndevs);
	ret |= print_counts("events per device and kind", st->devkinds, st->ndevkinds);
	printf("  events per CPU:\n");
	for (size_t i = 0; i < st->ncpus; i++)
		printf("    cpu%-33zu %10llu\n", i, (unsigned long long)st->cpus[i]);
	printf("  warnings:%s\n", nw ? "" : " none");
	for (size_t i = 0; i < nw; i++)
		printf("    %s\n", trace_warning(t, i));
	return ret;
}

int cmd_stat(int argc, char **argv)
{
	int worst = CLI_EXIT_OK, shown = 0, ret = cli_parse_help(&stat_cmd, argc, argv);

	if (ret >= 0)
		return ret;
	if (optind >= argc)
		return cli_usage_error("stat", "no trace file given");
	for (int i = optind; i < argc; i++) {
		char err[1024];
		struct trace *t = cli_open_trace(argv[i], NULL, err, sizeof(err));

		if (!t) {
			worst = CLI_EXIT_ERROR;
			continue;
		}
		if (shown++)
			putchar('\n');
		if (stat_one(t) < 0) {
			fprintf(stderr, _("dmascope: out of memory\n"));
			worst = CLI_EXIT_ERROR;
		}
		trace_close(t);
	}
	if (fflush(stdout) != 0)
		return CLI_EXIT_ERROR;
	return worst;
}
