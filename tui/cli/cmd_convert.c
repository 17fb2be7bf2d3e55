/* SPDX-License-Identifier: MIT */
/*
 * cmd_convert.c - `dmascope convert IN -o OUT.dmt`: any trace dmascope reads
 * to the native text format (docs/trace-format.md), via trace_write_dmt().
 *
 * The output is written to a temporary file beside OUT and renamed over it
 * only when complete, so a failed conversion never leaves half a file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"

struct convert_opts {
	const char *out;             /* -o, "-" = stdout */
	const char *platform;        /* --platform, or NULL */
	struct trace_opts topts;     /* --device, --infer */
};

/* a coh_source that draws a progress bar as it is read */
struct progress_source {
	struct coh_source inner;     /* the trace */
	struct progress pr;          /* the bar */
};

static const struct cli_opt convert_opts[] = {
	{ 'o', "output", "FILE", N_("where to write ('-' for standard output); required") },
	{ 'p', "platform", "NAME", N_("platform for the header; default: the one the file\n"
	  "names, else nt-busmaster for ETW exports,\n"
	  "arm-noncoherent otherwise") },	/* TRACE_DEFAULT_* */
	{ 'd', "device", "NAME", N_("only this device's calls and accesses (and CPU ones);\n"
	  "a name the trace lacks is an error listing its devices") },
	{ 'i', "infer", "WHEN", N_("mark calls for access inference: auto, never, always") },
	CLI_OPT_HELP,
	{ 0, NULL, NULL, NULL }
};

static const struct cli_cmd convert_cmd = {
	"convert", "convert [OPTIONS] IN -o OUT.dmt",
	N_("Convert a trace of any format dmascope reads (ftrace trace.dat, ETW CSV or XML\n"
	"export, .dmt) to the native text format, with a header naming its platform.\n"
	"IN may be - (standard input) and xz, zstd or gzip compressed."),
	convert_opts,
	N_("Exit status: 0 converted, 2 the input could not be read, the output could not\n"
	"be written, or a usage error.")
};

static int convert_parse(int argc, char **argv, struct convert_opts *o)
{
	const struct cli_trace_args ta = { &o->platform, &o->topts.device, &o->topts.infer };
	int c, r;

	while ((c = cli_getopt(&convert_cmd, argc, argv)) != -1) {
		if ((r = cli_trace_option("convert", c, optarg, &ta)) >= 0) {
			if (r)
				return r;
			continue;
		}
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'h':
			cli_help(&convert_cmd, stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option("convert", argv, c);
		}
	}
	if (optind >= argc)
		return cli_usage_error("convert", "no input file given");
	if (optind + 1 < argc)
		return cli_usage_error("convert", "one input file at a time ('%s' is extra)",
				       argv[optind + 1]);
	if (!o->out)
		return cli_usage_error("convert", "no output file given (-o OUT.dmt)");
	return -1;
}

static uint64_t ps_count(void *ctx)
{
	struct progress_source *ps = ctx;

	return ps->inner.count(ps->inner.ctx);
}

static int ps_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	struct progress_source *ps = ctx;

	if ((i & 0xffff) == 0)
		progress_update(&ps->pr, i, ps->inner.count(ps->inner.ctx));
	return ps->inner.get(ps->inner.ctx, i, ev);
}

static int write_dmt(FILE *f, struct trace *t, const struct coh_platform *p, char *err,
		     size_t n)
{
	struct progress_source ps = { .inner = trace_source(t) };
	struct coh_source src = { .ctx = &ps, .count = ps_count, .get = ps_get };
	int ret;

	progress_init(&ps.pr, _("writing"), trace_path(t));
	ret = trace_write_dmt(f, p, &src, err, n);
	progress_end(&ps.pr);
	return ret;
}

/* mkstemp() makes 0600 files; the output gets what open() would give it */
static mode_t current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

/* Write to a temporary file beside @out, then rename it into place. */
static int write_file(const char *out, struct trace *t, const struct coh_platform *p)
{
	size_t len = strlen(out);
	char *tmp = malloc(len + 8), err[512] = "";
	FILE *f = NULL;
	int fd, ret = -1;

	if (!tmp)
		return -1;
	memcpy(tmp, out, len);
	memcpy(tmp + len, ".XXXXXX", 8);
	fd = mkstemp(tmp);
	if (fd >= 0)
		fchmod(fd, 0666 & ~current_umask());
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "dmascope: %s: %s\n", out, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	if (write_dmt(f, t, p, err, sizeof(err)) == 0 && fflush(f) == 0 && !ferror(f))
		ret = 0;
	if (fclose(f) != 0)
		ret = -1;
	if (ret == 0 && rename(tmp, out) < 0)
		ret = -1;
	if (ret < 0) {
		fprintf(stderr, "dmascope: %s: %s\n", out, err[0] ? err : strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ret;
}

int cmd_convert(int argc, char **argv)
{
	struct convert_opts o = { .topts.infer = TRACE_INFER_AUTO };
	int ret = convert_parse(argc, argv, &o);
	struct coh_platform *plat;
	struct trace *t;
	char err[1024];

	if (ret >= 0)
		return ret;
	t = cli_open_trace(argv[optind], &o.topts, err, sizeof(err));
	if (!t)
		return CLI_EXIT_ERROR;
	plat = malloc(sizeof(*plat));
	ret = CLI_EXIT_ERROR;
	if (plat && cli_trace_platform(t, o.platform, plat, err, sizeof(err)) == 0) {
		err[0] = 0;
		if (strcmp(o.out, "-") == 0) {
			if (write_dmt(stdout, t, plat, err, sizeof(err)) == 0 &&
			    fflush(stdout) == 0)
				ret = CLI_EXIT_OK;
			else
				fprintf(stderr, _("dmascope: standard output: %s\n"),
					err[0] ? err : strerror(errno));
		} else if (write_file(o.out, t, plat) == 0) {
			ret = CLI_EXIT_OK;
		}
	}
	free(plat);
	trace_close(t);
	return ret;
}
