/* SPDX-License-Identifier: MIT */
/*
 * cmd_check.c - `dmascope check`: replay traces headless, report findings.
 *
 * Each file is loaded, replayed on its own simulation, and handed to the
 * chosen renderer (text, JSON, SARIF) while the trace is still open, since
 * findings name events by the file's own index.  The exit status is the
 * worst over all files: 0 clean, 1 findings among DC001-DC012, 2 unreadable.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli_opts.h"
#include "coh_run.h"
#include "coh_sim.h"

enum { OPT_INFO = CLI_LONG, OPT_HIDE, OPT_MAX_PER_ID, OPT_JOBS };

static const struct cli_opt check_opts[] = {
	{ 'p', "platform", "NAME", N_("replay on this preset ('dmascope platforms' lists them);\n"
	  "default: the platform the file names, else\n"
	  "nt-busmaster for ETW exports, arm-noncoherent otherwise.\n"
	  "all (every preset) or a list (x86,arm-speculative):\n"
	  "replay on each in parallel; each finding is reported\n"
	  "once with its presets, then a matrix") },	/* TRACE_DEFAULT_* */
	{ OPT_JOBS, "jobs", "N", N_("with --platform all or a list: replay on N threads\n"
	  "(default: the processors online)") },
	{ 'f', "format", "FMT", N_("text (default), json or sarif (SARIF 2.1.0)") },
	{ 'd', "device", "NAME", N_("only this device's calls and accesses (and CPU ones);\n"
	  "a name the trace lacks is an error listing its devices") },
	{ 's', "strict", NULL, N_("add the strict ownership findings (see explain DC006)") },
	{ 'i', "infer", "WHEN", N_("infer CPU and device accesses around DMA calls:\n"
	  "auto (devices with no access markers), never, always") },
	{ 0, NULL, NULL, N_("\nText report (JSON and SARIF always hold every finding):") },
	{ OPT_INFO, "info", NULL, N_("also list information findings (DC013 and the 'info'\n"
	  "ids: dma-alignment, pre-trace-mapping, unknown-range)") },
	{ OPT_HIDE, "hide", "ID[,ID]", N_("do not list these ids (DC007 or shared-cache-line, ...;\n"
	  "info: every information id)") },
	{ OPT_MAX_PER_ID, "max-per-id", "N",
	  N_("list at most N entries per id (0: no limit, the default)") },
	{ 'q', "quiet", NULL, N_("print only each file's summary") },
	{ 0, NULL, NULL,
	  N_("  Identical findings (same id, rule, device and call omitted) are listed once\n"
	  "  with a count and their first event indices.  These options change what is\n"
	  "  listed, never the exit status.\n") },
	CLI_OPT_HELP,
	{ 0, NULL, NULL, NULL }
};

static const struct cli_cmd check_cmd = {
	"check", "check [OPTIONS] FILE...",
	N_("Replay each trace on a simulated platform and report every DMA cache-coherency\n"
	"finding (DC001-DC013; 'dmascope explain' says what each means).  The format\n"
	"(.dmt, ftrace trace.dat, ETW CSV or XML export) is detected from the content;\n"
	"FILE may be - (standard input) and xz, zstd or gzip compressed."),
	check_opts,
	N_("Exit status: 0 no finding among DC001-DC012 (DC013 and information do not\n"
	"count), 1 findings, 2 a file could not be read or a usage error.  With several\n"
	"files each is replayed separately and the exit status is the worst.")
};

/* --hide ID[,ID]: mark each id (code, name, or "info" for every info id). */
static int parse_hide(struct report_view *v, const char *arg)
{
	char buf[256], *save = NULL;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return cli_usage_error("check", "--hide list too long");
	for (char *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		int fid = coh_fid_lookup(id);

		if (strcmp(id, "info") == 0) {
			for (unsigned k = 1; k < COH_FID_COUNT; k++)
				v->hide[k] |= strcmp(coh_fid_code(k), "info") == 0;
			continue;
		}
		if (fid <= 0)
			return cli_usage_error("check", "--hide: unknown finding id '%s' "
					       "('dmascope explain' lists them)", id);
		v->hide[fid] = 1;
	}
	return -1;
}

static int parse_max(struct report_view *v, const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (!*arg || *end || arg[0] == '-' || n > 1000000)
		return cli_usage_error("check", "--max-per-id takes a number, not '%s'", arg);
	v->max_per_id = (unsigned)n;
	return -1;
}

static int parse_jobs(struct check_opts *o, const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (!*arg || *end || arg[0] == '-' || n < 1 || n > 64)
		return cli_usage_error("check", "--jobs takes a number from 1 to 64, not '%s'", arg);
	o->jobs = (unsigned)n;
	return -1;
}

/* The text-report options; -1 to go on, else the exit status. */
static int parse_view(int c, struct check_opts *o)
{
	switch (c) {
	case OPT_INFO:
		o->view.info = 1;
		return -1;
	case OPT_HIDE:
		return parse_hide(&o->view, optarg);
	case OPT_MAX_PER_ID:
		return parse_max(&o->view, optarg);
	default:
		o->view.quiet = 1;
		return -1;
	}
}

/* Return: -1 to go on, else the exit status to return now. */
static int check_parse(int argc, char **argv, struct check_opts *o)
{
	const struct cli_trace_args ta = { &o->platform, &o->topts.device, &o->topts.infer };
	int c, r;

	while ((c = cli_getopt(&check_cmd, argc, argv)) != -1) {
		if (c == 'p' && (r = check_platform_list(o, optarg)) >= 0)
			return r;
		if (c == 'p' && o->nplats)
			continue;
		if ((r = cli_trace_option("check", c, optarg, &ta)) >= 0) {
			if (r)
				return r;
			continue;
		}
		switch (c) {
		case 'f':
			o->sink = report_sink_lookup(optarg);
			if (!o->sink)
				return cli_usage_error("check",
						       "unknown format '%s' (text, json or sarif)",
						       optarg);
			break;
		case 's':
			o->flags |= COH_SIM_STRICT;
			break;
		case 'h':
			cli_help(&check_cmd, stdout);
			return CLI_EXIT_OK;
		case OPT_INFO:
		case OPT_HIDE:
		case OPT_MAX_PER_ID:
		case 'q':
			if ((r = parse_view(c, o)) >= 0)
				return r;
			break;
		case OPT_JOBS:
			if ((r = parse_jobs(o, optarg)) >= 0)
				return r;
			break;
		default:
			return cli_bad_option("check", argv, c);
		}
	}
	if (optind >= argc)
		return cli_usage_error("check", "no trace file given");
	return -1;
}

struct replay_ctx {
	struct progress pr;
	uint64_t *from_file;         /* events of the file applied */
};

static int count_file_event(void *ctx, struct coh_sim *s, const struct coh_event *ev,
			    uint64_t i)
{
	struct replay_ctx *rc = ctx;

	(void)s;
	(void)i;
	if (ev->src != COH_SRC_NONE)
		(*rc->from_file)++;
	return 0;
}

static void show_progress(void *ctx, uint64_t i, uint64_t count)
{
	progress_update(&((struct replay_ctx *)ctx)->pr, i, count);
}

/* Apply every event, counting in *@from_file those of the file; on failure
 * fill @err naming the file and event. */
static int replay(struct trace *t, struct coh_sim *sim, uint64_t *from_file, char *err,
		  size_t n)
{
	struct replay_ctx rc = { .from_file = from_file };
	struct coh_run_opts o = { .ctx = &rc, .event = count_file_event,
				  .progress = show_progress };
	struct coh_source src = trace_source(t);
	struct coh_run_result r;
	int ret;

	progress_init(&rc.pr, _("replaying"), trace_path(t));
	ret = coh_run(sim, &src, 0, UINT64_MAX, &o, &r);
	progress_end(&rc.pr);
	if (ret >= 0)
		return 0;
	snprintf(err, n, "%s: event %llu: %s", trace_path(t),
		 (unsigned long long)(r.src != COH_SRC_NONE ? r.src : r.next), r.errmsg);
	fprintf(stderr, "dmascope: %s\n", err);
	return -1;
}

/* Fill the parts of @rf that come from the replay (arrays are malloc'd). */
static int collect(struct report_file *rf, struct trace *t, struct coh_sim *sim)
{
	size_t nf = coh_sim_nfindings(sim);
	const struct coh_finding **f = malloc((nf ? nf : 1) * sizeof(*f));

	if (!f || check_trace_info(rf, t) < 0) {
		free(f);
		return -1;
	}
	for (size_t i = 0; i < nf; i++)
		f[i] = coh_sim_finding(sim, i);
	rf->events = coh_sim_pos(sim);
	rf->stale_reads = coh_sim_stale_reads(sim);
	rf->nfindings = nf;
	rf->findings = f;
	return 0;
}

/*
 * Replay one loaded file and report it.
 * Return: its exit status (0 or 1), or -1 with @err filled in.
 */
static int check_trace(struct trace *t, const struct check_opts *o, void *st,
		       char *err, size_t n)
{
	struct report_file rf = { .path = trace_path(t) };
	struct coh_platform *plat = malloc(sizeof(*plat));
	struct coh_sim *sim = NULL;
	int e = 0, ret = -1;

	if (!plat) {
		snprintf(err, n, "%s: out of memory", rf.path);
		return -1;
	}
	if (cli_trace_platform(t, o->platform, plat, err, n) < 0)
		goto out;
	sim = coh_sim_new(plat, o->flags, &e);
	if (!sim) {
		snprintf(err, n, "%s: cannot simulate platform %s: %s", rf.path, plat->name,
			 coh_strerror(e));
		fprintf(stderr, "dmascope: %s\n", err);
		goto out;
	}
	if (replay(t, sim, &rf.file_replayed, err, n) < 0)
		goto out;
	rf.plat = coh_sim_platform(sim);
	rf.sim_flags = o->flags;
	rf.view = &o->view;
	if (collect(&rf, t, sim) < 0) {
		snprintf(err, n, "%s: out of memory", rf.path);
		goto out;
	}
	ret = o->sink->add(st, &rf) < 0 ? -1 : report_status(&rf);
	free((void *)rf.warnings);
	free((void *)rf.findings);
	if (ret < 0)
		snprintf(err, n, "%s: out of memory while reporting", rf.path);
out:
	coh_sim_free(sim);
	free(plat);
	return ret;
}

/* Return: the file's exit status; -1 when even the error could not be reported. */
static int check_file(const char *path, const struct check_opts *o, void *st)
{
	struct report_file bad = { .path = trace_input_name(path) };
	struct trace *t = NULL;
	char err[1024];
	int ret = -1;

	if (o->nplats)
		ret = check_platforms_file(path, o, st, err, sizeof(err));
	else if ((t = cli_open_trace(path, &o->topts, err, sizeof(err))))
		ret = check_trace(t, o, st, err, sizeof(err));
	trace_close(t);
	if (ret >= 0)
		return ret;
	bad.error = err;
	if (o->sink->add(st, &bad) < 0)
		return -1;
	return report_status(&bad);
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o = { .sink = &report_text_ops, .topts.infer = TRACE_INFER_AUTO };
	int worst = CLI_EXIT_OK, ret = check_parse(argc, argv, &o);
	void *st;

	if (ret >= 0)
		return ret;
	st = o.sink->open(stdout);
	if (!st) {
		fprintf(stderr, _("dmascope: out of memory\n"));
		return CLI_EXIT_ERROR;
	}
	for (int i = optind; i < argc; i++) {
		ret = check_file(argv[i], &o, st);
		if (ret < 0) {
			fprintf(stderr, _("dmascope: %s: out of memory while reporting\n"),
				trace_input_name(argv[i]));
			ret = CLI_EXIT_ERROR;
		}
		if (ret > worst)
			worst = ret;
	}
	if (o.sink->close(st) < 0) {
		fprintf(stderr, _("dmascope: error writing the report\n"));
		return CLI_EXIT_ERROR;
	}
	return worst;
}
