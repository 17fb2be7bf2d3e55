/* SPDX-License-Identifier: MIT */
/*
 * coh_platform.c - platform presets and validation (docs/model.md section 1).
 */
#include <stdio.h>
#include <string.h>

#include "coh_err.h"
#include "coh_platform.h"

struct preset {
	const char *name;
	const char *help;
	uint8_t coherent, bounce, speculative, dma_version;
	uint32_t dma_align, ctrl_size, ctrl_chunk, posted;
};

static const struct preset presets[] = {
	{ "x86", "coherent (bus snooping), no bounce buffers",
	  1, 0, 0, 2, 0, 0, 0, 0 },
	{ "x86-swiotlb", "coherent, every streaming mapping bounced (Linux swiotlb=force)",
	  1, 1, 0, 2, 0, 0, 0, 0 },
	{ "arm-noncoherent", "arm64 rules: no snooping, not speculative, DMA granule 128",
	  0, 0, 0, 2, 128, 0, 0, 0 },
	{ "arm-speculative", "arm64 rules with a CPU that fills lines speculatively",
	  0, 0, 1, 2, 128, 0, 0, 0 },
	{ "nt-slave-dma", "noncoherent, system DMA controller with B=16, C=8",
	  0, 0, 0, 2, 0, 16, 8, 0 },
	{ "nt-busmaster", "noncoherent bus master with a 32-byte posted-write buffer",
	  0, 0, 0, 2, 0, 0, 0, 32 },
	{ "nt-doublebuffer", "coherent, map registers double-buffered (bounce)",
	  1, 1, 0, 2, 0, 0, 0, 0 },
	{ "nt-v3", "noncoherent, speculative CPU, DMA interface version 3 adapters",
	  0, 0, 1, 3, 0, 0, 0, 0 },
};

#define NPRESETS (sizeof(presets) / sizeof(presets[0]))

const char *coh_platform_preset_at(unsigned i, const char **help)
{
	if (i >= NPRESETS)
		return NULL;
	if (help)
		*help = presets[i].help;
	return presets[i].name;
}

int coh_platform_preset(const char *name, struct coh_platform *out)
{
	const struct preset *ps = NULL;

	for (unsigned i = 0; i < NPRESETS; i++)
		if (name && strcmp(presets[i].name, name) == 0)
			ps = &presets[i];
	if (!ps)
		return -COH_E_INVAL;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", ps->name);
	out->line = 64;
	out->sets = 64;
	out->ways = 8;
	out->ncpus = 1;
	out->speculative = ps->speculative;
	out->dma_align = ps->dma_align;
	out->dev_default.coherent = ps->coherent;
	out->dev_default.bounce = ps->bounce;
	out->dev_default.dma_version = ps->dma_version;
	out->dev_default.ctrl_size = ps->ctrl_size;
	out->dev_default.ctrl_chunk = ps->ctrl_chunk;
	out->dev_default.posted = ps->posted;
	return 0;
}

static int pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

#define BAD(...) do { if (msg && n) snprintf(msg, n, __VA_ARGS__); return -COH_E_PLATFORM; } while (0)

static int check_dev(const struct coh_dev_cfg *d, const char *what, char *msg, size_t n)
{
	if (d->coherent > 1 || d->bounce > 1 || d->signals_done > 1)
		BAD("%s: coherent, bounce and signals_done are 0 or 1", what);
	if (d->dma_version < 1 || d->dma_version > 3)
		BAD("%s: DMA interface version %u (expected 1, 2 or 3)", what, d->dma_version);
	if (d->ctrl_size) {
		if (d->ctrl_size > COH_CTRL_MAX)
			BAD("%s: controller buffer %u bytes (at most %u)", what, d->ctrl_size,
			    COH_CTRL_MAX);
		if (d->ctrl_chunk < 8 || d->ctrl_chunk > d->ctrl_size ||
		    d->ctrl_size % d->ctrl_chunk)
			BAD("%s: controller chunk %u must be >= 8 and divide its buffer of %u",
			    what, d->ctrl_chunk, d->ctrl_size);
	}
	if (d->posted > COH_POSTED_MAX)
		BAD("%s: posted-write buffer %u bytes (at most %u)", what, d->posted,
		    COH_POSTED_MAX);
	return 0;
}

int coh_platform_check(const struct coh_platform *p, char *msg, size_t n)
{
	char what[COH_NAME_MAX + 16];

	if (!p)
		BAD("no platform");
	if (!pow2(p->line) || p->line < COH_LINE_MIN || p->line > COH_LINE_MAX)
		BAD("line size %u (a power of two in %u..%u)", p->line, COH_LINE_MIN, COH_LINE_MAX);
	if (!pow2(p->sets) || p->sets > (1u << 20))
		BAD("sets %u (a power of two)", p->sets);
	if (p->ways < 1 || p->ways > 32)
		BAD("ways %u (1..32)", p->ways);
	if ((uint64_t)p->sets * p->ways * p->line > COH_CACHE_MAX)
		BAD("cache of %llu bytes per CPU (at most %u)",
		    (unsigned long long)p->sets * p->ways * p->line, COH_CACHE_MAX);
	if (p->ncpus < 1 || p->ncpus > COH_MAX_CPUS)
		BAD("cpus %u (1..%u)", p->ncpus, COH_MAX_CPUS);
	if (p->speculative > 1)
		BAD("speculative is 0 or 1");
	if (p->dma_align && (!pow2(p->dma_align) || p->dma_align > 4096))
		BAD("DMA alignment %u (0 or a power of two up to 4096)", p->dma_align);
	if (check_dev(&p->dev_default, "default device", msg, n) < 0)
		return -COH_E_PLATFORM;
	if (p->ndevs > COH_MAX_DEVS)
		BAD("%u devices (at most %u)", p->ndevs, COH_MAX_DEVS);
	for (uint32_t i = 0; i < p->ndevs; i++) {
		const struct coh_dev_cfg *d = &p->devs[i];

		if (!d->name[0] || !memchr(d->name, 0, sizeof(d->name)))
			BAD("device %u has no name", i);
		snprintf(what, sizeof(what), "device %s", d->name);
		if (check_dev(d, what, msg, n) < 0)
			return -COH_E_PLATFORM;
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(p->devs[j].name, d->name) == 0)
				BAD("device %s appears twice", d->name);
	}
	return 0;
}

int coh_platform_find_dev(const struct coh_platform *p, const char *name)
{
	for (uint32_t i = 0; i < p->ndevs && i < COH_MAX_DEVS; i++)
		if (strncmp(p->devs[i].name, name, COH_NAME_MAX - 1) == 0)
			return (int)i;
	return -1;
}

int coh_platform_add_dev(struct coh_platform *p, const char *name)
{
	int i;

	if (!name || !name[0])
		return -COH_E_INVAL;
	i = coh_platform_find_dev(p, name);
	if (i >= 0)
		return i;
	if (p->ndevs >= COH_MAX_DEVS)
		return -COH_E_TOOBIG;
	p->devs[p->ndevs] = p->dev_default;
	snprintf(p->devs[p->ndevs].name, COH_NAME_MAX, "%s", name);
	return (int)p->ndevs++;
}

uint32_t coh_platform_granule(const struct coh_platform *p)
{
	return p->dma_align > p->line ? p->dma_align : p->line;
}
