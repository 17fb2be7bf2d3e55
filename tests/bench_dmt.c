/* SPDX-License-Identifier: MIT */
/*
 * bench_dmt.c - how fast a million-line .dmt file is written, loaded and
 * re-read line by line (trace_detail).  Prints its figures; asserts nothing.
 *
 * usage: bench_dmt [EVENTS]      (default 1000000; the file goes to $TMPDIR)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench-quick.h"
#include "bench-table.h"
#include "trace.h"

/* A receive/transmit mix like a converted NIC capture: timestamps and src. */
static struct coh_log *make_events(uint64_t n)
{
	static const unsigned kinds[4] = { COH_EV_CPU_WRITE, COH_EV_DMA_MAP, COH_EV_DEV_READ,
					   COH_EV_DMA_UNMAP };
	struct coh_log *log = coh_log_new();
	uint64_t seed = 88172645463325252ull, ts = 100000000000ull, a = 0, b = 0;

	for (uint64_t i = 0; log && i < n; i++) {
		struct coh_event ev;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		coh_event_init(&ev, (enum coh_kind)kinds[i % 4]);
		if (i % 4 == 0) {
			a = 0x100000 + (seed % (1u << 20)) * 64;
			b = 0x7f000000 + (seed >> 32) % (1u << 16) * 64;
		}
		ts += 1 + seed % 5000;
		ev.ts = ts;
		ev.src = i + 7;
		ev.dev = (uint16_t)(seed >> 60 & 1);
		ev.cpu = (uint16_t)(i % 4 == 1);
		ev.len = i % 4 == 0 ? 64 : 1500;
		ev.addr = i % 4 == 2 ? b : a;
		ev.bus = i % 4 == 1 || i % 4 == 3 ? b : COH_ADDR_NONE;
		ev.dir = i % 4 == 1 || i % 4 == 3 ? COH_DIR_TO_DEVICE : COH_DIR_NONE;
		if (i % 4 == 3)
			ev.addr = COH_ADDR_NONE;
		if (coh_log_append(log, &ev) < 0) {
			coh_log_free(log);
			return NULL;
		}
	}
	return log;
}

static int write_file(const char *path, struct coh_log *log, const struct coh_platform *p)
{
	struct coh_source src = coh_log_source(log);
	char err[512];
	FILE *f = fopen(path, "w");
	int r;

	if (!f)
		return -1;
	r = trace_write_dmt(f, p, &src, err, sizeof(err));
	if (fclose(f) != 0 || r < 0) {
		fprintf(stderr, "bench_dmt: %s\n", err);
		return -1;
	}
	return 0;
}

static void bench_detail(struct trace *t, uint64_t n)
{
	char line[256];
	double t0 = bench_now();
	int k = 10000;

	for (int i = 0; i < k; i++)
		trace_detail(t, 7 + (uint64_t)i * 7919 % n, line, sizeof(line));
	printf("  trace_detail:   %.2f us per line (explicit src=, binary search)\n",
	       (bench_now() - t0) / k * 1e6);
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : bench_quick() ? 100000 : 1000000;
	const char *dir = getenv("TMPDIR");
	char path[512], err[512], val[64];
	struct coh_platform p;
	struct coh_log *log;
	struct trace *t;
	struct stat sb;
	double t0, t1;

	snprintf(path, sizeof(path), "%s/bench-dmt-%d.dmt", dir && *dir ? dir : "/tmp",
		 (int)getpid());
	coh_platform_preset("x86-swiotlb", &p);
	p.ncpus = 2;
	coh_platform_add_dev(&p, "0000:00:02.0");
	coh_platform_add_dev(&p, "0000:00:03.0");
	log = make_events(n);
	t0 = bench_now();
	if (!log || write_file(path, log, &p) < 0)
		return 1;
	t1 = bench_now();
	stat(path, &sb);
	printf("bench_dmt: %llu events, %.1f MB\n", (unsigned long long)n, sb.st_size / 1e6);
	printf("  write:          %.3f s (%.0f events/s)\n", t1 - t0, n / (t1 - t0));
	t0 = bench_now();
	if (trace_open(path, NULL, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_dmt: %s\n", err);
		return 1;
	}
	t1 = bench_now();
	printf("  load:           %.3f s (%.0f events/s, %.0f MB/s)\n", t1 - t0, n / (t1 - t0),
	       sb.st_size / 1e6 / (t1 - t0));
	snprintf(val, sizeof(val), "%.2f M, %.0f MB/s", n / (t1 - t0) / 1e6,
		 sb.st_size / 1e6 / (t1 - t0));
	bench_row(".dmt load (events/s, MB/s)", val, NULL, NULL, NULL, NULL);
	bench_detail(t, n);
	trace_close(t);
	coh_log_free(log);
	unlink(path);
	return 0;
}
