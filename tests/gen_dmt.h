/* SPDX-License-Identifier: MIT */
/*
 * gen_dmt.h - a seeded writer of long, realistic .dmt traces for the
 * benches: 256 streaming buffers of two network devices on a non-coherent
 * platform, each going through receive (map FROM_DEVICE, device write,
 * sync for the CPU, CPU read, unmap) or transmit (CPU write, map
 * TO_DEVICE, device read, unmap) cycles on either of 2 CPUs, interleaved
 * at random; one cycle in 512 forgets its sync, so findings accumulate.
 * The same seed and count give the same file, byte for byte.
 */
#ifndef GEN_DMT_H
#define GEN_DMT_H

#include <stdint.h>
#include <stdio.h>

#define GEN_DMT_BUFS 256
#define GEN_DMT_BASE 0x1000000ull  /* buffer k at BASE + k * 4 KiB */

struct gen_dmt {
	uint64_t rng, us;
	uint8_t step[GEN_DMT_BUFS];      /* the next event of each buffer's cycle */
	uint8_t tx[GEN_DMT_BUFS];        /* the cycle is a transmit */
	uint8_t bug[GEN_DMT_BUFS];       /* the cycle skips its sync */
};

static inline uint64_t gen_dmt_rand(struct gen_dmt *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return g->rng;
}

/* The next event of buffer @k's cycle, as a .dmt line on @f. */
static inline void gen_dmt_event(struct gen_dmt *g, FILE *f, unsigned k, uint64_t r)
{
	static const char *rx[] = { "dma_map", "dev_write", "dma_sync_for_cpu", "cpu_read",
				    "dma_unmap" };
	static const char *tx[] = { "cpu_write", "dma_map", "dev_read", "dma_unmap" };
	uint64_t a = GEN_DMT_BASE + (uint64_t)k * 4096, len = 64 + (r >> 20) % 1472;
	const char *ev = g->tx[k] ? tx[g->step[k]] : rx[g->step[k]];
	const char *dir = g->tx[k] ? "TO_DEVICE" : "FROM_DEVICE";

	g->us += 1 + (r >> 40) % 40;
	fprintf(f, "%llu.%06llu %s cpu=%u", (unsigned long long)(g->us / 1000000),
		(unsigned long long)(g->us % 1000000), ev, (unsigned)(r >> 8 & 1));
	if (ev[0] == 'c')
		fprintf(f, " addr=0x%llx len=1536\n", (unsigned long long)a);
	else if (ev[4] == 'w' || ev[4] == 'r')
		fprintf(f, " dev=eth%u addr=0x%llx len=%llu\n", k & 1, (unsigned long long)a,
			(unsigned long long)len);
	else if (ev[4] == 'm')
		fprintf(f, " dev=eth%u addr=0x%llx bus=0x%llx len=1536 dir=%s\n", k & 1,
			(unsigned long long)a, (unsigned long long)a, dir);
	else
		fprintf(f, " dev=eth%u bus=0x%llx len=1536 dir=%s\n", k & 1,
			(unsigned long long)a, dir);
}

/* Move buffer @k's cycle on; a new cycle starts after the unmap. */
static inline void gen_dmt_next(struct gen_dmt *g, unsigned k, uint64_t r)
{
	unsigned last = g->tx[k] ? 3 : 4;

	g->step[k]++;
	if (!g->tx[k] && g->bug[k] && g->step[k] == 2)
		g->step[k]++;
	if (g->step[k] <= last)
		return;
	g->step[k] = 0;
	g->tx[k] = r >> 50 & 1;
	g->bug[k] = (r >> 51) % 512 == 0;
}

/**
 * gen_dmt_write - write a .dmt of @n events from @seed to @path
 *
 * Return: 0, or -1 when the file cannot be written.
 */
static inline int gen_dmt_write(const char *path, uint64_t seed, uint64_t n)
{
	struct gen_dmt g = { .rng = seed * 0x9e3779b97f4a7c15ull + 1, .us = 100000000 };
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "dmascope-trace 1\nplatform arm-noncoherent\ndevice eth0\ndevice eth1\n\n");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = gen_dmt_rand(&g);
		unsigned k = (unsigned)(r >> 24) % GEN_DMT_BUFS;

		gen_dmt_event(&g, f, k, r);
		gen_dmt_next(&g, k, r);
	}
	return fclose(f) == 0 ? 0 : -1;
}

#endif
