/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c - `dmascope run`: what `make run` calls.  Until the ncurses TUI
 * exists it plays the built-in demo scenarios headless: each event as the
 * engine describes it, and each finding as it fires, with its explanation.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "cli_opts.h"
#include "coh_sim.h"
#include "demo.h"
#include "report.h"

static const struct cli_cmd run_cmd = {
	"run", "run",
	"Play the built-in demo scenarios without a terminal UI: a Linux receive buffer\n"
	"read before dma_sync_single_for_cpu on arm-noncoherent, then the same with the\n"
	"sync, then a Windows CacheEnabled common buffer written by the device without\n"
	"KeFlushIoBuffers on nt-busmaster, then the same with it.  Each step prints the\n"
	"event and the findings it raised, with their explanations.  The ncurses TUI\n"
	"will replace this demo.",
	cli_opts_help_only, NULL
};

static void print_new_findings(const struct coh_sim *sim, size_t from)
{
	struct report_file rf = { .plat = coh_sim_platform(sim) };
	char msg[512];

	for (size_t i = from; i < coh_sim_nfindings(sim); i++) {
		const struct coh_finding *f = coh_sim_finding(sim, i);
		char *why;

		printf("      %s %s %s%s\n", f->parent >= 0 ? "consequence" : "finding",
		       coh_fid_code(f->id), coh_fid_name(f->id),
		       f->flags & COH_FF_INFERRED ? " (inferred)" : "");
		report_message(&rf, f, NULL, msg, sizeof(msg));
		report_wrap(stdout, msg, 8);
		why = report_explain(&rf, f);
		if (why && *why)
			report_wrap(stdout, why, 8);
		free(why);
	}
}

/* Return: 0, or -1 when the engine refused the scenario. */
static int play(const struct demo_scenario *sc)
{
	struct coh_platform plat;
	struct coh_sim *sim;
	char line[256];
	int e = 0, ret = 0;

	if (coh_platform_preset(sc->platform, &plat) < 0 ||
	    coh_platform_add_dev(&plat, sc->device) < 0 ||
	    !(sim = coh_sim_new(&plat, 0, &e))) {
		fprintf(stderr, "dmascope: cannot set up platform %s: %s\n", sc->platform,
			coh_strerror(e));
		return -1;
	}
	printf("== %s\n   (platform %s, device %s)\n", sc->title, sc->platform, sc->device);
	report_wrap(stdout, sc->about, 3);
	for (size_t i = 0; i < sc->nevents && !ret; i++) {
		struct coh_event ev = sc->events[i];
		size_t before = coh_sim_nfindings(sim);

		ev.ts = (i + 1) * 1000;
		ev.src = i;
		coh_event_describe(&ev, &plat, line, sizeof(line));
		printf("  [%zu] %s\n", i, line);
		if (coh_sim_apply(sim, &ev) < 0) {
			fprintf(stderr, "dmascope: event %zu: %s\n", i, coh_sim_errmsg(sim));
			ret = -1;
		}
		print_new_findings(sim, before);
	}
	printf("  => %zu finding%s, %llu stale read%s\n\n", coh_sim_nfindings(sim),
	       coh_sim_nfindings(sim) == 1 ? "" : "s",
	       (unsigned long long)coh_sim_stale_reads(sim),
	       coh_sim_stale_reads(sim) == 1 ? "" : "s");
	coh_sim_free(sim);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	int ret = cli_parse_help(&run_cmd, argc, argv);
	const struct demo_scenario *sc;

	if (ret >= 0)
		return ret;
	if (optind < argc)
		return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
	if (!demo_scenario_at(0))
		return CLI_EXIT_ERROR;          /* demo.c said why */
	ret = CLI_EXIT_OK;
	printf("dmascope %s: demo scenarios (the terminal UI will replace this)\n\n",
	       DMASCOPE_VERSION);
	for (size_t i = 0; (sc = demo_scenario_at(i)); i++)
		if (play(sc) < 0)
			ret = CLI_EXIT_ERROR;
	return ret;
}
