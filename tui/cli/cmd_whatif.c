/* SPDX-License-Identifier: MIT */
/*
 * cmd_whatif.c - `dmascope whatif`: what if a call were not there.
 *
 * --omit-each replays the trace once per maintenance call with that call
 * left out (coh_whatif_omit_each(), the omission matrix) on as many worker
 * threads as the machine has cores, each reading its own copy of the
 * trace (standard input is read once, by one worker), and prints which
 * calls the run needs, here and on the other presets of its API.
 * --edits applies a FILE.whatif edit list (traces/whatif_file.h) and prints
 * how the edited run differs from the recorded one.  The exit status says
 * whether leaving out some call, or the edits, break the run.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "coh_timeline.h"
#include "coh_whatif.h"
#include "whatif_file.h"
#include "whatif_print.h"

#define MAX_WORKERS 16
#define BYTE_RUNS   64               /* differing byte runs printed at most */

struct whatif_opts {
	const char *platform;        /* --platform, or NULL */
	struct trace_opts topts;     /* --device, --infer */
	int json;                    /* --format json */
	int omit_each;               /* --omit-each */
	const char *edits;           /* --edits F.whatif */
};

enum { OPT_OMIT_EACH = CLI_LONG, OPT_EDITS };

static const struct cli_opt whatif_opts_table[] = {
	{ OPT_OMIT_EACH, "omit-each", NULL, N_("replay the trace once per maintenance call\n"
	  "(KeFlushIoBuffers, FlushAdapterBuffers(Ex), MapTransfer(Ex),\n"
	  "dma_map/unmap(_sg), dma_sync_*) with that call left out, and\n"
	  "list what breaks without it") },
	{ OPT_EDITS, "edits", "F", N_("apply the edits of F (a .whatif file, docs/whatif.md)\n"
	  "and print how the edited run differs from the recorded one") },
	{ 'p', "platform", "NAME", N_("replay on this preset ('dmascope platforms' lists them);\n"
	  "default: as for check") },
	{ 'f', "format", "FMT", N_("text (default) or json") },
	{ 'd', "device", "NAME", N_("only this device's calls and accesses (and CPU ones)") },
	{ 'i', "infer", "WHEN", N_("infer CPU and device accesses around DMA calls:\n"
	  "auto (devices with no access markers), never, always") },
	CLI_OPT_HELP,
	{ 0, NULL, NULL, NULL }
};

static const struct cli_cmd whatif_cmd = {
	"whatif", "whatif FILE --omit-each|--edits F [OPTIONS]",
	N_("Answer \"what if this call were not there?\": with --omit-each, replay the trace\n"
	"once per maintenance call with that call left out, and list for each whether\n"
	"the run breaks, the findings that appear, the bytes read wrong and the first\n"
	"wrong read; a call whose removal changes nothing here is listed as such, with\n"
	"the other presets of the trace's API that need it (\"needed on:\")."),
	whatif_opts_table,
	N_("Exit status: 0 no omission (or edit) breaks the run, 1 leaving out some call\n"
	"breaks it (a DC001-DC012 finding the recorded run lacks appears), 2 a usage\n"
	"error or a file that could not be read.")
};

static int parse_one(int c, struct whatif_opts *o)
{
	switch (c) {
	case OPT_OMIT_EACH:
		o->omit_each = 1;
		return -1;
	case OPT_EDITS:
		o->edits = optarg;
		return -1;
	case 'f':
		if (strcmp(optarg, "text") && strcmp(optarg, "json"))
			return cli_usage_error("whatif", "unknown format '%s' (text or json)",
					       optarg);
		o->json = strcmp(optarg, "json") == 0;
		return -1;
	case 'h':
		cli_help(&whatif_cmd, stdout);
		return CLI_EXIT_OK;
	}
	return -2;
}

/* Return: -1 to go on, else the exit status to return now. */
static int whatif_parse(int argc, char **argv, struct whatif_opts *o)
{
	const struct cli_trace_args ta = { &o->platform, &o->topts.device, &o->topts.infer };
	int c, r;

	while ((c = cli_getopt(&whatif_cmd, argc, argv)) != -1) {
		if ((r = cli_trace_option("whatif", c, optarg, &ta)) >= 0) {
			if (r)
				return r;
			continue;
		}
		if ((r = parse_one(c, o)) == -2)
			return cli_bad_option("whatif", argv, c);
		if (r >= 0)
			return r;
	}
	if (optind >= argc)
		return cli_usage_error("whatif", "no trace file given");
	if (optind + 1 < argc)
		return cli_usage_error("whatif", "one trace file at a time");
	if (!o->omit_each == !o->edits)
		return cli_usage_error("whatif", "say what to do: --omit-each or --edits F");
	return -1;
}

/* ---- the omission matrix ------------------------------------------------- */

struct opened {
	struct trace *t[MAX_WORKERS];
	struct coh_source src[MAX_WORKERS];
	unsigned n;
	struct coh_platform plat;
};

static unsigned workers_for(const char *path)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (strcmp(path, "-") == 0 || n < 1)
		return 1;
	return n > MAX_WORKERS ? MAX_WORKERS : (unsigned)n;
}

/* The trace once per worker (a worker reads only its own copy). */
static int open_all(const char *path, unsigned want, const struct whatif_opts *o,
		    struct opened *op)
{
	char err[1024];

	for (op->n = 0; op->n < want; op->n++) {
		op->t[op->n] = cli_open_trace(path, &o->topts, err, sizeof(err));
		if (!op->t[op->n])
			return -1;
		op->src[op->n] = trace_source(op->t[op->n]);
	}
	return cli_trace_platform(op->t[0], o->platform, &op->plat, err, sizeof(err));
}

static void close_all(struct opened *op)
{
	for (unsigned i = 0; i < op->n; i++)
		trace_close(op->t[i]);
}

static void show_progress(void *ctx, size_t done, size_t total)
{
	progress_update(ctx, done, total);
}

static int print_matrix(const struct whatif_opts *o, const struct opened *op,
			const struct coh_omit_row *rows, size_t n)
{
	struct whatif_matrix m = { trace_path(op->t[0]), &op->plat, trace_count(op->t[0]),
				   rows, n };
	int e = o->json ? whatif_print_json(stdout, &m) : whatif_print_text(stdout, &m);

	if (e < 0 || fflush(stdout) == EOF) {
		fprintf(stderr, _("dmascope: error writing the report\n"));
		return CLI_EXIT_ERROR;
	}
	return whatif_broken(&m) ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

static int omit_each(const char *path, const struct whatif_opts *o, struct opened *op)
{
	struct coh_timeline *tl;
	struct coh_omit_row *rows = NULL;
	struct progress pr;
	struct coh_omit_opts oo = { op->src, op->n, 1, show_progress, &pr };
	size_t n = 0;
	int e = 0, ret;

	tl = coh_timeline_new(&op->plat, &op->src[0], NULL, &e);
	progress_init(&pr, _("omitting calls of"), trace_input_name(path));
	if (tl)
		e = coh_whatif_omit_each(tl, &oo, &rows, &n);
	progress_end(&pr);
	if (!tl || e < 0) {
		fprintf(stderr, _("dmascope: %s: the omission matrix failed: %s\n"),
			trace_input_name(path), coh_strerror(e));
		ret = CLI_EXIT_ERROR;
	} else {
		ret = print_matrix(o, op, rows, n);
	}
	free(rows);
	coh_timeline_free(tl);
	return ret;
}

/* ---- an edit file -------------------------------------------------------- */

struct edited {
	struct coh_whatif *w;
	struct trace *t;
};

static uint64_t file_event(void *ctx, uint64_t ed, int *inserted)
{
	const struct edited *e = ctx;
	uint64_t rec = coh_whatif_to_recorded(e->w, ed, inserted);
	struct coh_event ev;

	if (rec >= trace_count(e->t) || trace_get(e->t, rec, &ev) < 0)
		return COH_SRC_NONE;
	return ev.src;
}

static int print_diff(const struct whatif_opts *o, struct edited *e,
		      const struct coh_run_diff *d, const struct coh_byte_diff *b, long nruns)
{
	struct whatif_diff x = { trace_path(e->t), o->edits, coh_whatif_nedits(e->w),
				 coh_whatif_platform(e->w), d, b,
				 nruns < BYTE_RUNS ? (size_t)nruns : BYTE_RUNS, nruns,
				 file_event, e };
	int r = o->json ? whatif_print_diff_json(stdout, &x) : whatif_print_diff_text(stdout, &x);

	if (r < 0 || fflush(stdout) == EOF) {
		fprintf(stderr, _("dmascope: error writing the report\n"));
		return CLI_EXIT_ERROR;
	}
	return whatif_diff_breaks(&x) ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

/* The diff of the edited run, and the bytes that differ at the end. */
static int diff_edits(const struct whatif_opts *o, struct edited *e)
{
	struct coh_byte_diff *b = calloc(BYTE_RUNS, sizeof(*b));
	struct coh_run_diff d = { 0 };
	long nruns = -COH_E_NOMEM;
	int ret = CLI_EXIT_ERROR, err = b ? coh_whatif_diff(e->w, &d) : -COH_E_NOMEM;

	if (err >= 0)
		nruns = coh_whatif_bytes(e->w, trace_count(e->t), b, BYTE_RUNS);
	if (err < 0 || nruns < 0)
		fprintf(stderr, _("dmascope: %s: the edited run failed: %s\n"), trace_path(e->t),
			*coh_whatif_errmsg(e->w) ? coh_whatif_errmsg(e->w) :
			coh_strerror(err < 0 ? err : (int)nruns));
	else
		ret = print_diff(o, e, &d, b, nruns);
	coh_run_diff_free(&d);
	free(b);
	return ret;
}

static int edits(const struct whatif_opts *o, struct opened *op)
{
	struct edited e = { NULL, op->t[0] };
	struct coh_timeline *tl;
	char err[1024];
	int ret = CLI_EXIT_ERROR, ec = 0;

	tl = coh_timeline_new(&op->plat, &op->src[0], NULL, &ec);
	if (tl)
		e.w = coh_whatif_new(tl, &ec);
	if (!e.w)
		fprintf(stderr, "dmascope: %s: %s\n", trace_path(e.t), coh_strerror(ec));
	else if (whatif_file_load(o->edits, e.t, e.w, err, sizeof(err)) < 0)
		fprintf(stderr, "dmascope: %s\n", err);
	else
		ret = diff_edits(o, &e);
	coh_whatif_free(e.w);
	coh_timeline_free(tl);
	return ret;
}

int cmd_whatif(int argc, char **argv)
{
	struct whatif_opts o = { .topts.infer = TRACE_INFER_AUTO };
	struct opened *op;
	int ret = whatif_parse(argc, argv, &o);

	if (ret >= 0)
		return ret;
	if (!(op = calloc(1, sizeof(*op)))) {
		fprintf(stderr, _("dmascope: out of memory\n"));
		return CLI_EXIT_ERROR;
	}
	if (open_all(argv[optind], o.omit_each ? workers_for(argv[optind]) : 1, &o, op) < 0)
		ret = CLI_EXIT_ERROR;
	else if (o.omit_each)
		ret = omit_each(argv[optind], &o, op);
	else
		ret = edits(&o, op);
	close_all(op);
	free(op);
	return ret;
}
