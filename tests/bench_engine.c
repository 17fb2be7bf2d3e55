/* SPDX-License-Identifier: MIT */
/*
 * bench_engine.c - engine speed and memory (issue 2), printed, never asserted:
 *  1. simple events per second: CPU accesses of at most 8 bytes, one CPU,
 *     a 32 KiB cache (target: 20 million per second), over working sets that
 *     fit the cache, are twice its size, and are far larger;
 *  2. seeking anywhere in a 10-million-event run (target: 20 ms at most),
 *     and the memory the snapshots hold against the event log's (target:
 *     at most 25 %).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_ROUNDS 5

#include "bench-quick.h"
#include "bench-table.h"
#include "coh_log.h"
#include "coh_sim.h"
#include "coh_timeline.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A CPU access of 1..8 bytes inside a working set of @span bytes. */
static void simple(struct coh_event *ev, uint64_t base, uint64_t span)
{
	uint64_t r = next();
	uint64_t len = 1 + (r & 7);
	uint64_t addr = base + ((r >> 8) % (span - 8));

	coh_event_init(ev, (r >> 40) & 1 ? COH_EV_CPU_WRITE : COH_EV_CPU_READ);
	ev->addr = addr;
	ev->len = len;
	ev->ts = 0;
}

/* Random reads and writes of 1..8 bytes over a working set of @span bytes. */
static int bench_rate(const struct coh_platform *p, uint64_t span, const char *what)
{
	const size_t n = bench_quick() ? 1000000 : 10000000;
	struct coh_event *evs = malloc(n * sizeof(*evs));
	double rate[BENCH_ROUNDS];
	struct bench_stat st;
	char fig[128], val[96];

	if (!evs)
		return 1;
	for (size_t i = 0; i < n; i++)
		simple(&evs[i], 0x100000, span);
	for (int round = 0; round < BENCH_ROUNDS; round++) {
		struct coh_sim *s = coh_sim_new(p, 0, NULL);
		double t0 = bench_now(), dt;

		for (size_t i = 0; i < n; i++)
			if (coh_sim_apply(s, &evs[i]) < 0) {
				fprintf(stderr, "apply: %s\n", coh_sim_errmsg(s));
				return 1;
			}
		dt = bench_now() - t0;
		rate[round] = (double)n / dt / 1e6;
		coh_sim_free(s);
	}
	st = bench_stats(rate, BENCH_ROUNDS);
	printf("simple events, %-34s %5.1f million/s (median of %d runs of %zu, %.1f-%.1f)\n",
	       what, st.median, BENCH_ROUNDS, n, st.min, st.max);
	snprintf(fig, sizeof(fig), "engine events/s, %.*s", (int)strcspn(what, ":"), what);
	snprintf(val, sizeof(val), "%.1f M (%.1f-%.1f)", st.median, st.min, st.max);
	bench_row(fig, val, NULL, NULL, ">= 20 M", bench_met(st.median >= 20));
	free(evs);
	return 0;
}

/* 10 million events: CPU accesses with a DMA receive cycle now and then. */
static int build_log(struct coh_log *log, uint64_t n)
{
	struct coh_event ev;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t slot = (i / 1000) % 64;

		if (i % 1000 == 0) {
			coh_event_init(&ev, COH_EV_DMA_MAP);
			ev.dev = 0;
			ev.dir = COH_DIR_FROM_DEVICE;
			ev.addr = 0x800000 + slot * 2048;
			ev.bus = 0x40000000 + slot * 2048;
			ev.len = 1536;
		} else if (i % 1000 == 1) {
			coh_event_init(&ev, COH_EV_DEV_WRITE);
			ev.addr = 0x40000000 + slot * 2048;
			ev.len = 1536;
		} else if (i % 1000 == 2) {
			coh_event_init(&ev, COH_EV_DMA_UNMAP);
			ev.dir = COH_DIR_FROM_DEVICE;
			ev.bus = 0x40000000 + slot * 2048;
			ev.len = 1536;
		} else {
			simple(&ev, 0x100000, 64 << 10);
		}
		ev.ts = i * 100;
		if (coh_log_append(log, &ev) < 0)
			return 1;
	}
	return 0;
}

static int bench_seek(const struct coh_platform *p)
{
	const uint64_t n = bench_quick() ? 100000 : 10000000;
	struct coh_log *log = coh_log_new();
	struct coh_source src;
	struct coh_timeline *tl;
	double worst = 0, sum = 0, t0, ms[200], share;
	const int seeks = 200;
	struct bench_stat st;
	char fig[96], val[96];
	int err;

	if (!log || build_log(log, n))
		return 1;
	src = coh_log_source(log);
	tl = coh_timeline_new(p, &src, NULL, &err);
	if (!tl)
		return 1;
	t0 = bench_now();
	if (coh_timeline_seek(tl, n) < 0) {
		fprintf(stderr, "seek: %s\n", coh_timeline_errmsg(tl));
		return 1;
	}
	printf("first pass over %llu events: %.2f s, %zu snapshots\n", (unsigned long long)n,
	       bench_now() - t0, coh_timeline_nsnapshots(tl));
	for (int i = 0; i < seeks; i++) {
		uint64_t to = next() % (n + 1), from = coh_timeline_pos(tl);
		double dt;

		t0 = bench_now();
		if (coh_timeline_seek(tl, to) < 0)
			return 1;
		dt = bench_now() - t0;
		ms[i] = dt * 1e3;
		sum += dt;
		if (dt > worst) {
			worst = dt;
			if (getenv("BENCH_VERBOSE"))
				printf("  slowest so far: %llu -> %llu, %.2f ms\n", (unsigned long long)from,
				       (unsigned long long)to, dt * 1e3);
		}
	}
	printf("seek to a random index of %llu: worst %.2f ms, mean %.2f ms over %d seeks "
	       "(target <= 20 ms)\n", (unsigned long long)n, worst * 1e3, sum / seeks * 1e3, seeks);
	printf("snapshots: %.1f MiB for an event log of %.1f MiB = %.1f %% (target <= 25 %%)\n",
	       (double)coh_timeline_snapshot_bytes(tl) / (1 << 20),
	       (double)coh_log_bytes(log) / (1 << 20),
	       100.0 * (double)coh_timeline_snapshot_bytes(tl) / (double)coh_log_bytes(log));
	st = bench_stats(ms, (size_t)seeks);
	snprintf(fig, sizeof(fig), "seek, %llu-event run (median of %d)", (unsigned long long)n,
		 seeks);
	snprintf(val, sizeof(val), "%.2f ms", st.median);
	bench_row(fig, val, NULL, NULL, NULL, NULL);
	snprintf(fig, sizeof(fig), "seek, %llu-event run (worst of %d)", (unsigned long long)n,
		 seeks);
	snprintf(val, sizeof(val), "%.2f ms", st.max);
	bench_row(fig, val, NULL, NULL, "<= 20 ms", bench_met(st.max <= 20));
	share = 100.0 * (double)coh_timeline_snapshot_bytes(tl) / (double)coh_log_bytes(log);
	snprintf(val, sizeof(val), "%.1f %%", share);
	bench_row("snapshots / event log", val, NULL, NULL, "<= 25 %", bench_met(share <= 25));
	snprintf(val, sizeof(val), "%.1f", (double)coh_log_bytes(log) / (double)n);
	bench_row("bytes per event (engine log)", val, NULL, NULL, NULL, NULL);
	coh_timeline_free(tl);
	coh_log_free(log);
	return 0;
}

int main(void)
{
	struct coh_platform p;

	coh_platform_preset("arm-noncoherent", &p);     /* 64 sets x 8 ways x 64 B */
	coh_platform_add_dev(&p, "nic");
	printf("platform %s, %u KiB cache, 1 CPU; target: >= 20 million simple events/s\n",
	       p.name, p.sets * p.ways * p.line / 1024);
	if (bench_rate(&p, 16 << 10, "16 KiB working set (mostly hits):") ||
	    bench_rate(&p, 64 << 10, "64 KiB working set (half misses):") ||
	    bench_rate(&p, 1 << 20, "1 MiB working set (nearly all miss):"))
		return 1;
	return bench_seek(&p);
}
