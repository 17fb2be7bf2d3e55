/* SPDX-License-Identifier: MIT */
/*
 * bench_whatif.c - the omission matrix (coh_whatif_omit_each()) of a
 * deterministic 100 000-event trace with 1 000 maintenance calls on
 * arm-noncoherent, two workers (the goal: under 10 s on a 2-core machine).
 *
 * The trace is a network driver's life with streaming buffers mapped once
 * and reused: 16 receive buffers mapped FROM_DEVICE, each frame synced for
 * the CPU, read, synced back for the device; 16 transmit buffers mapped
 * TO_DEVICE, each frame written and synced for the device before the
 * device reads it; between frames the CPU's other work, reads and writes
 * over a 256 KiB working set.  It prints; it does not fail on slow
 * figures.  QUICK=1 shrinks the trace tenfold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench-quick.h"
#include "bench-table.h"
#include "coh_log.h"
#include "coh_timeline.h"
#include "coh_whatif.h"
#include "whatif_omit.h"

#define NRX      16
#define RX_BUF   0x100000ull        /* rx buffers, 2 KiB apart */
#define TX_BUF   0x200000ull        /* tx buffers, 2 KiB apart */
#define WORK     0x400000ull        /* the CPU's other data */
#define WORK_LEN (256u << 10)

struct gen {
	struct coh_log *log;
	uint64_t rnd, ts;
};

static uint64_t rnd(struct gen *g)
{
	g->rnd = g->rnd * 6364136223846793005ull + 1442695040888963407ull;
	return g->rnd >> 33;
}

static void put(struct gen *g, struct coh_event *ev)
{
	ev->ts = g->ts += 1000;
	ev->src = coh_log_count(g->log);
	if (coh_log_append(g->log, ev) < 0) {
		fprintf(stderr, "bench_whatif: out of memory\n");
		exit(1);
	}
}

static void acc(struct gen *g, unsigned kind, uint64_t addr, uint64_t len)
{
	struct coh_event ev;

	coh_event_init(&ev, kind);
	ev.addr = addr;
	ev.len = len;
	ev.dev = 0;
	put(g, &ev);
}

static void call(struct gen *g, unsigned kind, uint64_t addr, uint64_t len, unsigned dir)
{
	struct coh_event ev;

	coh_event_init(&ev, kind);
	ev.dev = 0;
	ev.addr = kind == COH_EV_DMA_MAP ? addr : COH_ADDR_NONE;
	ev.bus = addr;
	ev.len = len;
	ev.dir = (uint8_t)dir;
	put(g, &ev);
}

/* The CPU's other work: @n reads and writes of its working set. */
static void other_work(struct gen *g, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		acc(g, rnd(g) % 3 ? COH_EV_CPU_READ : COH_EV_CPU_WRITE,
		       WORK + (rnd(g) % (WORK_LEN / 64)) * 64, 8 + rnd(g) % 120);
}

static void rx_frame(struct gen *g, unsigned slot)
{
	uint64_t a = RX_BUF + slot * 2048ull, len = 64 + rnd(g) % 1400;

	acc(g, COH_EV_DEV_WRITE, a, len);
	call(g, COH_EV_DMA_SYNC_CPU, a, len, COH_DIR_FROM_DEVICE);
	acc(g, COH_EV_CPU_READ, a, 14);
	acc(g, COH_EV_CPU_READ, a + 14, len - 14);
	call(g, COH_EV_DMA_SYNC_DEV, a, 2048, COH_DIR_FROM_DEVICE);
}

static void tx_frame(struct gen *g, unsigned slot)
{
	uint64_t a = TX_BUF + slot * 2048ull, len = 64 + rnd(g) % 1400;

	acc(g, COH_EV_CPU_WRITE, a, len);
	call(g, COH_EV_DMA_SYNC_DEV, a, len, COH_DIR_TO_DEVICE);
	acc(g, COH_EV_DEV_READ, a, len);
}

static void ring(struct gen *g, unsigned kind)
{
	for (unsigned i = 0; i < NRX; i++) {
		call(g, kind, RX_BUF + i * 2048ull, 2048, COH_DIR_FROM_DEVICE);
		call(g, kind, TX_BUF + i * 2048ull, 2048, COH_DIR_TO_DEVICE);
	}
}

/* @n events, @ncalls maintenance calls: the two rings mapped and unmapped
 * (4 * NRX calls), 5 rx frames (2 calls each) for 3 tx frames (1 call). */
static struct coh_log *make_trace(uint64_t n, unsigned ncalls)
{
	struct gen g = { coh_log_new(), 42, 0 };
	unsigned frames = (ncalls - 4 * NRX) * 8 / 13, calls = 4 * NRX;
	uint64_t filler = (n - ncalls - frames * 3) / frames;

	ring(&g, COH_EV_DMA_MAP);
	for (unsigned f = 0; calls < ncalls; f++) {
		other_work(&g, filler);
		if (f % 8 < 5 && calls + 2 <= ncalls) {
			rx_frame(&g, f % NRX);
			calls += 2;
		} else {
			tx_frame(&g, f % NRX);
			calls += 1;
		}
	}
	other_work(&g, n - 2 * NRX - coh_log_count(g.log));
	ring(&g, COH_EV_DMA_UNMAP);
	return g.log;
}

int main(void)
{
	uint64_t n = bench_quick() ? 10000 : 100000;
	unsigned ncalls = bench_quick() ? 100 : 1000;
	struct coh_log *log = make_trace(n, ncalls);
	struct coh_source src[2] = { coh_log_source(log), coh_log_source(log) };
	struct coh_platform p;
	struct coh_timeline *tl;
	struct coh_omit_opts o = { src, 2, 0, NULL, NULL };
	struct coh_omit_row *rows = NULL;
	size_t nrows = 0, rejoined = 0, broke = 0;
	double t0;
	char fig[128], val[64];
	int e = 0;

	coh_platform_preset("arm-noncoherent", &p);
	coh_platform_add_dev(&p, "eth0");
	tl = coh_timeline_new(&p, &src[0], NULL, &e);
	t0 = bench_now();
	if (!tl || coh_omit_each_counted(tl, &o, &rows, &nrows, &rejoined) < 0) {
		printf("bench_whatif: the matrix failed (%d)\n", e);
		return 1;
	}
	t0 = bench_now() - t0;
	for (size_t i = 0; i < nrows; i++)
		broke += rows[i].broke;
	printf("bench_whatif: omission matrix, arm-noncoherent, 2 workers\n");
	printf("  events %llu, calls %zu, %.2f s, %.0f rows/s, %zu break, %zu rejoined early\n",
	       (unsigned long long)coh_log_count(log), nrows, t0, nrows / t0, broke, rejoined);
	snprintf(fig, sizeof(fig), "omission matrix, %llu events, %zu calls",
		 (unsigned long long)coh_log_count(log), nrows);
	snprintf(val, sizeof(val), "%.2f s", t0);
	bench_row(fig, val, NULL, NULL, bench_quick() ? "(QUICK: 1/10)" : "< 10 s",
		  bench_quick() ? "" : bench_met(t0 < 10));
	free(rows);
	coh_timeline_free(tl);
	coh_log_free(log);
	return 0;
}
