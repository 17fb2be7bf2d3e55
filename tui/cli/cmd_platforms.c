/* SPDX-License-Identifier: MIT */
/*
 * cmd_platforms.c - `dmascope platforms`: the presets and their parameters.
 */
#include <getopt.h>

#include "cli.h"
#include "cli_opts.h"
#include "report.h"

static const struct cli_cmd platforms_cmd = {
	"platforms", "platforms",
	N_("List the platform presets that --platform accepts, with their parameters:\n"
	"the API its traces use (Linux DMA API, or Windows DMA for the nt-* presets),\n"
	"CPU caches, speculation, DMA granule, and what their devices are like."),
	cli_opts_help_only, NULL
};

static void print_device(const struct coh_dev_cfg *d)
{
	printf("    devices: %s, %s, DMA interface v%u", d->coherent ? "coherent" : "noncoherent",
	       d->bounce ? "bounce buffers" : "no bounce buffers", d->dma_version);
	if (d->ctrl_size)
		printf(", system DMA controller B=%u C=%u", d->ctrl_size, d->ctrl_chunk);
	if (d->posted)
		printf(", posted writes P=%u", d->posted);
	putchar('\n');
}

static void print_preset(const char *name, const char *help)
{
	struct coh_platform p;

	if (coh_platform_preset(name, &p) < 0)
		return;
	printf("%-16s %s\n", name, help ? help : "");
	printf("    API: %s\n", coh_finding_preset_api(name));
	printf("    cache: %u-byte lines, %u sets x %u ways (%u KiB) per CPU, %u CPU%s\n",
	       p.line, p.sets, p.ways, p.line * p.sets * p.ways / 1024, p.ncpus,
	       p.ncpus == 1 ? "" : "s");
	printf("    speculative: %s, DMA granule: %u bytes\n", p.speculative ? "yes" : "no",
	       coh_platform_granule(&p));
	print_device(&p.dev_default);
}

int cmd_platforms(int argc, char **argv)
{
	int ret = cli_parse_help(&platforms_cmd, argc, argv);
	const char *name, *help;

	if (ret >= 0)
		return ret;
	if (optind < argc)
		return cli_usage_error("platforms", "unexpected argument '%s'", argv[optind]);
	for (unsigned i = 0; (name = coh_platform_preset_at(i, &help)); i++) {
		if (i)
			putchar('\n');
		print_preset(name, help);
	}
	printf("\nTraces replay with as many CPUs as they used (up to %d).\n", COH_MAX_CPUS);
	return CLI_EXIT_OK;
}
