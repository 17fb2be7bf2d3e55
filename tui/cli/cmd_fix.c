/* SPDX-License-Identifier: MIT */
/*
 * cmd_fix.c - `dmascope fix FILE`: the smallest set of inserted, moved or
 * re-sized maintenance calls after which no finding a call can cure is
 * left on the platform(s) asked (coh_whatif_fix()), printed as a patch
 * list in the trace's own API, events named by the file's index; then the
 * findings no call cures, with what the driver must change; with -o, the
 * fixed trace in the native format.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "coh_timeline.h"
#include "coh_whatif.h"
#include "fix_call.h"
#include "report.h"

#define FIX_MAX_PLATS 16

struct fix_args {
	const char *platform;        /* -p: NAME, all or a comma list; NULL: the file's */
	const char *out;             /* -o FIXED */
	struct trace_opts topts;     /* -d, -i */
};

struct fix_job {
	struct trace *t;
	struct coh_platform *plats;  /* FIX_MAX_PLATS */
	unsigned nplats;
	struct coh_source src;
	struct coh_timeline *rec;    /* on plats[0] */
	struct coh_fix fix;
};

static const struct cli_opt fix_opts[] = {
	{ 'p', "platform", "NAME", N_("the platform(s) the fix must hold on: a preset, a\n"
	  "comma-separated list, or all (every preset of the trace's\n"
	  "API); default: the one the file names, else the format's") },
	{ 'o', "output", "FIXED", N_("also write the fixed trace, in the native format") },
	{ 'd', "device", "NAME", N_("only this device's calls and accesses (and CPU ones)") },
	{ 'i', "infer", "WHEN", N_("infer accesses around calls: auto, never, always") },
	CLI_OPT_HELP,
	{ 0, NULL, NULL, NULL }
};

static const struct cli_cmd fix_cmd = {
	"fix", "fix [OPTIONS] FILE",
	N_("Search for the smallest set of inserted, moved or re-sized maintenance calls\n"
	"after which the trace has no DC001-DC012 finding a call can cure, and print it\n"
	"as a patch list in the trace's own API (Linux or Windows), events named by\n"
	"their index in the file; then the findings no inserted call can cure, with\n"
	"what the driver must change instead.  docs/whatif.md, \"Minimal fix\"."),
	fix_opts,
	N_("Exit status: 0 nothing to fix or a complete fix, 1 no fix within the search\n"
	"limits or findings no call cures remain, 2 the trace could not be read or a\n"
	"usage error.")
};

/* every name of a comma list is a preset */
static int check_list(const char *list)
{
	char buf[256], *save = NULL;

	if (strcmp(list, "all") == 0)
		return 0;
	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("fix", "--platform list too long");
	strcpy(buf, list);
	for (char *n = strtok_r(buf, ",", &save); n; n = strtok_r(NULL, ",", &save))
		if (cli_check_preset("fix", n))
			return CLI_EXIT_ERROR;
	return 0;
}

static int fix_parse(int argc, char **argv, struct fix_args *a)
{
	const struct cli_trace_args ta = { NULL, &a->topts.device, &a->topts.infer };
	int c, r;

	while ((c = cli_getopt(&fix_cmd, argc, argv)) != -1) {
		if (c == 'p') {
			a->platform = optarg;
			if (check_list(optarg))
				return CLI_EXIT_ERROR;
		} else if (c == 'o') {
			a->out = optarg;
		} else if (c == 'h') {
			cli_help(&fix_cmd, stdout);
			return CLI_EXIT_OK;
		} else if ((r = cli_trace_option("fix", c, optarg, &ta)) != 0) {
			return r > 0 ? r : cli_bad_option("fix", argv, c);
		}
	}
	if (optind >= argc)
		return cli_usage_error("fix", "no trace file given");
	if (optind + 1 < argc)
		return cli_usage_error("fix", "one trace at a time ('%s' is extra)", argv[optind + 1]);
	return -1;
}

static int add_plat(struct fix_job *j, const char *name)
{
	char err[512];

	if (j->nplats == FIX_MAX_PLATS)
		return cli_usage_error("fix", "at most %d platforms", FIX_MAX_PLATS);
	if (cli_trace_platform(j->t, name, &j->plats[j->nplats], err, sizeof(err)) < 0)
		return CLI_EXIT_ERROR;
	j->nplats++;
	return 0;
}

/* "all": the presets of the API the trace uses (its own platform's) */
static int add_all(struct fix_job *j)
{
	const char *name;
	int windows, r;

	if ((r = add_plat(j, NULL)))
		return r;
	windows = strncmp(j->plats[0].name, "nt-", 3) == 0;
	j->nplats = 0;
	for (unsigned i = 0; (name = coh_platform_preset_at(i, NULL)); i++)
		if ((strncmp(name, "nt-", 3) == 0) == windows && (r = add_plat(j, name)))
			return r;
	return 0;
}

static int platforms(struct fix_job *j, const char *spec)
{
	char buf[256], *save = NULL;
	int r;

	if (!spec)
		return add_plat(j, NULL);
	if (strcmp(spec, "all") == 0)
		return add_all(j);
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *n = strtok_r(buf, ",", &save); n; n = strtok_r(NULL, ",", &save))
		if ((r = add_plat(j, n)))
			return r;
	return 0;
}

/* "event 84" by the file's index, or the engine's when the file has none */
static unsigned long long src_of(struct fix_job *j, uint64_t i, struct coh_event *ev)
{
	if (trace_get(j->t, i, ev) < 0)
		return (unsigned long long)i;
	return (unsigned long long)(ev->src != COH_SRC_NONE ? ev->src : i);
}

/* "after event 83, before the CPU read at event 84" */
static void where(struct fix_job *j, uint64_t at)
{
	struct coh_event ev;
	char what[64];
	uint64_t n = trace_count(j->t);
	unsigned long long num;

	if (at > 0)
		printf("after event %llu, ", src_of(j, at - 1, &ev));
	if (at >= n) {
		printf("at the end");
		return;
	}
	num = src_of(j, at, &ev);
	printf("before %s at event %llu", fix_event_what(ev.kind, what, sizeof(what)), num);
}

/* The engine's sentence names the event kind (dma_sync_for_cpu); the
 * reader is told the call as the driver writes it (@call: its name, then
 * its arguments). */
static void print_why(const struct coh_event *ev, const char *call, const char *why)
{
	char name[64], line[512];

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(call, "("), call);
	snprintf(line, sizeof(line), "%s", why);
	report_call_rename(line, sizeof(line), ev->kind, name);
	printf("      %s\n", line);
}

static void print_edit(struct fix_job *j, const struct coh_proposal *p)
{
	const struct coh_edit *e = &p->edit;
	const char *dev = trace_dev_name(j->t, e->ev.dev);
	struct coh_event ev;
	char call[512];

	fix_call_text(&e->ev, &j->plats[0], call, sizeof(call));
	printf("  ");
	if (e->op == COH_EDIT_MOVE) {
		printf("move event %llu ", src_of(j, e->at, &ev));
		where(j, e->to);
	} else if (e->op == COH_EDIT_REPLACE) {
		printf("replace event %llu", src_of(j, e->at, &ev));
	} else {
		where(j, e->at);
	}
	printf(", %s: %s\n", dev ? dev : "?", call);
	print_why(&e->ev, call, p->why);
}

static void print_fix(struct fix_job *j)
{
	const struct coh_fix *f = &j->fix;
	struct coh_event ev;

	printf("%s: on %s", trace_path(j->t), j->plats[0].name);
	for (unsigned i = 1; i < j->nplats; i++)
		printf(",%s", j->plats[i].name);
	printf(" (%u replays)\n", f->runs);
	if (!f->complete)
		printf("  no fix within the search limits: %zu calls tried\n", f->nedits);
	else if (!f->nedits && !f->nuncured)
		printf("  nothing to fix\n");
	else if (f->nedits)
		printf("  %zu call%s to insert, move or re-size:\n", f->nedits,
		       f->nedits == 1 ? "" : "s");
	for (size_t i = 0; f->complete && i < f->nedits; i++)
		print_edit(j, &f->edits[i]);
	if (f->nuncured)
		printf("  %zu finding%s no inserted call can cure:\n", f->nuncured,
		       f->nuncured == 1 ? "" : "s");
	for (size_t i = 0; i < f->nuncured; i++)
		printf("  event %llu: %s\n", src_of(j, f->uncured[i].finding_seq, &ev),
		       f->uncured[i].why);
}

/* the fixed trace: the recorded one with the edits, in the native format */
static int write_fixed(struct fix_job *j, const char *path)
{
	int err = 0;
	struct coh_whatif *w = coh_whatif_new(j->rec, &err);
	char msg[512] = "";
	FILE *f = NULL;
	struct coh_source src;

	for (size_t i = 0; w && err >= 0 && i < j->fix.nedits; i++)
		err = coh_whatif_add(w, &j->fix.edits[i].edit);
	if (w && err >= 0 && (f = fopen(path, "w"))) {
		src = coh_whatif_source(w);
		err = trace_write_dmt(f, &j->plats[0], &src, msg, sizeof(msg)) < 0 ? -1 : 0;
		if (fclose(f) != 0)
			err = -1;
	}
	if (!f || err < 0)
		fprintf(stderr, "dmascope: %s: %s\n", path, msg[0] ? msg : !w || f ?
			coh_whatif_errmsg(w) : strerror(errno));
	coh_whatif_free(w);
	return f && err >= 0 ? 0 : -1;
}

static int run_fix(struct fix_job *j, const struct fix_args *a)
{
	struct coh_fix_opts fo = { .plats = j->plats, .nplats = j->nplats };
	int err;

	j->src = trace_source(j->t);
	/* replayed once to its end first: its snapshots are what edited runs share */
	if (!(j->rec = coh_timeline_new(&j->plats[0], &j->src, NULL, &err)) ||
	    (err = coh_timeline_seek(j->rec, trace_count(j->t))) < 0 ||
	    (err = coh_whatif_fix(j->rec, &fo, &j->fix)) < 0) {
		fprintf(stderr, "dmascope: %s: %s\n", trace_path(j->t), coh_strerror(err));
		return CLI_EXIT_ERROR;
	}
	print_fix(j);
	if (a->out && j->fix.complete && write_fixed(j, a->out) < 0)
		return CLI_EXIT_ERROR;
	if (fflush(stdout) != 0)
		return CLI_EXIT_ERROR;
	return j->fix.complete && !j->fix.nuncured ? CLI_EXIT_OK : CLI_EXIT_FINDINGS;
}

int cmd_fix(int argc, char **argv)
{
	struct fix_args a = { .topts.infer = TRACE_INFER_AUTO };
	struct fix_job j = { 0 };
	char err[1024];
	int ret = fix_parse(argc, argv, &a);

	if (ret >= 0)
		return ret;
	if (!(j.t = cli_open_trace(argv[optind], &a.topts, err, sizeof(err))))
		return CLI_EXIT_ERROR;
	j.plats = calloc(FIX_MAX_PLATS, sizeof(*j.plats));
	ret = !j.plats ? CLI_EXIT_ERROR : platforms(&j, a.platform);
	if (!ret)
		ret = run_fix(&j, &a);
	coh_fix_free(&j.fix);
	coh_timeline_free(j.rec);
	free(j.plats);
	trace_close(j.t);
	return ret;
}
