/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c - `dmascope run`: the built-in demo scenarios played headless:
 * each event as the engine describes it, and each finding as it fires, with
 * its explanation.  The screen is `dmascope replay` (cmd_replay.c); `make
 * run` opens the lesson menu.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "cli_opts.h"
#include "coh_run.h"
#include "coh_sim.h"
#include "demo.h"
#include "report.h"

static const struct cli_cmd run_cmd = {
	"run", "run",
	N_("Play the built-in demo scenarios without a terminal UI: a Linux receive buffer\n"
	"read before dma_sync_single_for_cpu on arm-noncoherent, then the same with the\n"
	"sync, then a Windows CacheEnabled common buffer written by the device without\n"
	"KeFlushIoBuffers on nt-busmaster, then the same with it.  Each step prints the\n"
	"event and the findings it raised, with their explanations.  The ncurses TUI\n"
	"is 'dmascope replay FILE'; 'make run' opens the lesson menu."),
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

/* The scenario as an event source that describes each event as it hands it out. */
struct play_ctx {
	const struct demo_scenario *sc;
	const struct coh_platform *plat;
	size_t before;               /* findings before the current event */
};

static uint64_t play_count(void *ctx)
{
	return coh_log_count(((struct play_ctx *)ctx)->sc->events);
}

static int play_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	struct play_ctx *pc = ctx;
	char line[256];

	if (coh_log_get(pc->sc->events, i, ev) < 0)
		return -1;
	ev->ts = (i + 1) * 1000;
	ev->src = i;
	coh_event_describe(ev, pc->plat, line, sizeof(line));
	printf("  [%llu] %s\n", (unsigned long long)i, line);
	return 0;
}

static int play_event(void *ctx, struct coh_sim *sim, const struct coh_event *ev, uint64_t i)
{
	struct play_ctx *pc = ctx;

	(void)ev;
	(void)i;
	print_new_findings(sim, pc->before);
	pc->before = coh_sim_nfindings(sim);
	return 0;
}

/* Return: 0, or -1 when the engine refused the scenario. */
static int play(const struct demo_scenario *sc)
{
	struct play_ctx pc = { .sc = sc, .plat = &sc->plat };
	struct coh_source src = { .ctx = &pc, .count = play_count, .get = play_get };
	struct coh_run_opts o = { .ctx = &pc, .event = play_event };
	struct coh_run_result r;
	struct coh_sim *sim;
	int e = 0, ret = 0;

	if (!(sim = coh_sim_new(&sc->plat, 0, &e))) {
		fprintf(stderr, _("dmascope: cannot set up platform %s: %s\n"), sc->plat.name,
			coh_strerror(e));
		return -1;
	}
	printf("== %s\n   (platform %s, device %s)\n", sc->title, sc->plat.name,
	       sc->plat.devs[0].name);
	report_wrap(stdout, sc->about, 3);
	if (coh_run(sim, &src, 0, UINT64_MAX, &o, &r) < 0) {
		fprintf(stderr, _("dmascope: event %llu: %s\n"), (unsigned long long)r.next,
			r.errmsg);
		print_new_findings(sim, pc.before);
		ret = -1;
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
	printf("dmascope %s: demo scenarios, headless (dmascope replay shows a trace on a screen)\n\n",
	       DMASCOPE_VERSION);
	for (size_t i = 0; (sc = demo_scenario_at(i)); i++)
		if (play(sc) < 0)
			ret = CLI_EXIT_ERROR;
	return ret;
}
