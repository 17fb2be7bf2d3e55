/* SPDX-License-Identifier: MIT */
/*
 * bench_session.c - how a replay session (tui/session.h) behaves on
 * big/trace.dat (about 2.3 million events), the figures the screen's
 * speed goals rest on:
 *   - session_open() returning (the screen's first frame can follow),
 *   - the reading, and the background replay against `check`'s 20-30 s,
 *   - the worst wait for the lock while the replay runs (a frame waits
 *     that long at most), and steps while it runs,
 *   - once replayed: a jump to the end, to the start, into the middle, and
 *     the steps backward and forward after it (worst of each);
 *   - then a timeline alone (coh_timeline.h) over the same events with the
 *     budget the seek target allows (what the source says its events hold,
 *     about 100 MB): the snapshots it keeps, their spacing and bytes, and
 *     its seeks to the end, the start, the middle and 8 spread positions.
 * It prints; it does not fail on slow figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench-quick.h"
#include "bench-table.h"
#include "coh_timeline.h"
#include "session.h"
#include "trace.h"

/* A move and the state drawn after it, as a key press costs the screen. */
static double timed(struct session *s, int (*move)(struct session *, int), int dir)
{
	double t = bench_now();

	move(s, dir);
	session_lock(s);
	session_sim(s);
	session_unlock(s);
	return (bench_now() - t) * 1e3;
}

static double jump(struct session *s, uint64_t pos)
{
	double t = bench_now();

	session_seek(s, pos);
	session_lock(s);
	session_sim(s);
	session_unlock(s);
	return (bench_now() - t) * 1e3;
}

/* The worst of SPREAD jumps of the screen's session (@s) to positions
 * scattered over @n events: how far a jump lands from the snapshot before
 * it decides its cost, and the end, start and middle are only three. */
static double worst_jumps(struct session *s, uint64_t n)
{
	double w = 0, d;

	for (uint64_t k = 0, x = 54321; k < 8; k++) {
		x = (x * 6364136223846793005ull + 1442695040888963407ull) >> 1;
		if ((d = jump(s, x % n)) > w)
			w = d;
	}
	return w;
}

static double worst_steps(struct session *s, int dir, int n)
{
	double w = 0, d;

	for (int k = 0; k < n; k++)
		if ((d = timed(s, session_step, dir)) > w)
			w = d;
	return w;
}

static void while_replaying(struct session *s, double t0)
{
	struct session_progress p;
	double w = 0, t;

	do {
		usleep(1000);
		session_progress(s, &p);
	} while (p.phase == SESSION_READING);
	printf("  read:                 %.2f s, %llu events\n", bench_now() - t0,
	       (unsigned long long)p.events);
	printf("  100 steps forward while replaying: worst %.2f ms\n", worst_steps(s, 1, 100));
	for (int k = 0; k < 200; k++) {
		t = bench_now();
		session_lock(s);
		session_unlock(s);
		if (bench_now() - t > w)
			w = bench_now() - t;
		usleep(10000);
	}
	printf("  lock wait while replaying (200 tries): worst %.2f ms\n", w * 1e3);
	do {
		usleep(20000);
		session_progress(s, &p);
	} while (p.phase == SESSION_REPLAYING);
	printf("  replayed:             %.2f s after open (phase %d)\n", bench_now() - t0, p.phase);
}

static double peak_rss_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024;
}

static double seek_ms(struct coh_timeline *tl, uint64_t pos)
{
	double t = bench_now();

	if (coh_timeline_seek(tl, pos) < 0)
		printf("  seek to %llu failed: %s\n", (unsigned long long)pos,
		       coh_timeline_errmsg(tl));
	return (bench_now() - t) * 1e3;
}

/* Seeks on @tl (replayed to its end): end, start, middle, then SPREAD
 * positions (a fixed scatter, each away from the one before; at today's
 * spacing each may replay for seconds, so make bench keeps them few). */
#define SPREAD 8

static void timeline_seeks(struct coh_timeline *tl, uint64_t n)
{
	double j[3], w = 0, d;
	char val[64];

	j[0] = seek_ms(tl, n - 1);
	j[1] = seek_ms(tl, 0);
	j[2] = seek_ms(tl, n / 2);
	for (uint64_t k = 0, x = 12345; k < SPREAD; k++) {
		x = (x * 6364136223846793005ull + 1442695040888963407ull) >> 1;
		if ((d = seek_ms(tl, x % n)) > w)
			w = d;
	}
	printf("  timeline seeks: end %.2f ms, start %.2f ms, middle %.2f ms, "
	       "worst of %d spread %.2f ms\n", j[0], j[1], j[2], SPREAD, w);
	d = j[0] > j[1] ? j[0] : j[1];
	d = j[2] > d ? j[2] : d;
	snprintf(val, sizeof(val), "%.2f ms", d);
	bench_row("seek in big, timeline at the source's size as budget: worst of end, start, "
		  "middle", val, NULL, NULL, "<= 20 ms", bench_met(d <= 20));
	snprintf(val, sizeof(val), "%.2f ms", w);
	bench_row("seek in big, timeline at the source's size as budget: worst of 8 spread",
		  val, NULL, NULL, "<= 20 ms", bench_met(w <= 20));
}

/* A timeline over @path's events with the target's budget: what the
 * source says they hold. */
static void timeline_alone(const char *path)
{
	struct coh_timeline_opts o = { 0 };
	struct coh_timeline *tl;
	struct coh_platform p;
	struct coh_source src;
	struct trace *t = NULL;
	char err[512], val[96];
	double t0;
	size_t b;
	int e = 0;

	if (trace_open(path, NULL, &t, err, sizeof(err)) < 0 ||
	    trace_platform(t, NULL, &p, err, sizeof(err)) < 0) {
		printf("  timeline: %s\n", err);
		trace_close(t);
		return;
	}
	src = trace_source(t);
	o.snapshot_budget = src.bytes ? src.bytes(src.ctx) : SIZE_MAX;
	if (!(tl = coh_timeline_new(&p, &src, &o, &e))) {
		printf("  timeline: error %d\n", e);
		trace_close(t);
		return;
	}
	t0 = bench_now();
	seek_ms(tl, src.count(src.ctx));
	b = coh_timeline_snapshot_bytes(tl);
	printf("  timeline, budget %.1f MB: replayed in %.2f s; %zu snapshots every %llu events, "
	       "%.1f MB\n", (double)o.snapshot_budget / 1e6, bench_now() - t0,
	       coh_timeline_nsnapshots(tl), (unsigned long long)coh_timeline_interval(tl),
	       (double)b / 1e6);
	snprintf(val, sizeof(val), "%zu every %llu events, %.1f MB", coh_timeline_nsnapshots(tl),
		 (unsigned long long)coh_timeline_interval(tl), (double)b / 1e6);
	bench_row("snapshots of big within the source's size", val, NULL, NULL, NULL, NULL);
	timeline_seeks(tl, src.count(src.ctx));
	coh_timeline_free(tl);
	trace_close(t);
}

int main(void)
{
	const char *d = getenv("CAPTURES");
	char path[1024], err[512];
	struct session_opts o = { .path = path };
	struct session *s;
	uint64_t n;
	double t0, j[3], b[3], worst;
	char val[64];

	if (bench_quick()) {
		printf("bench_session: skipped (QUICK): it replays big/trace.dat\n");
		bench_row("seek in big", "skipped (QUICK)", NULL, NULL, NULL, NULL);
		bench_row("seek in big, timeline at the source's size as budget", "skipped (QUICK)",
			  NULL, NULL, NULL, NULL);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/big/trace.dat", d && *d ? d : "tests/data/captures");
	printf("bench_session: %s\n", path);
	t0 = bench_now();
	if (session_open(&o, &s, err, sizeof(err)) < 0) {
		printf("  cannot open: %s\n", err);
		return 0;
	}
	printf("  session_open:         %.1f ms\n", (bench_now() - t0) * 1e3);
	while_replaying(s, t0);
	n = session_count(s);
	j[0] = jump(s, n - 1);
	b[0] = worst_steps(s, -1, 50);
	j[1] = jump(s, 0);
	j[2] = jump(s, n / 2);
	b[1] = worst_steps(s, -1, 300);
	b[2] = worst_steps(s, 1, 300);
	printf("  jump to the end:      %.2f ms\n", j[0]);
	printf("  then 50 steps back:   worst %.2f ms\n", b[0]);
	printf("  jump to the start:    %.2f ms\n", j[1]);
	printf("  jump to the middle:   %.2f ms\n", j[2]);
	printf("  then 300 steps back:  worst %.2f ms\n", b[1]);
	printf("  then 300 forward:     worst %.2f ms\n", b[2]);
	worst = j[0] > j[1] ? j[0] : j[1];
	worst = j[2] > worst ? j[2] : worst;
	snprintf(val, sizeof(val), "%.2f ms", worst);
	bench_row("seek in big, replayed: worst of end, start, middle", val, NULL, NULL,
		  "<= 20 ms", bench_met(worst <= 20));
	worst = worst_jumps(s, n);
	printf("  8 spread jumps:       worst %.2f ms\n", worst);
	snprintf(val, sizeof(val), "%.2f ms", worst);
	bench_row("seek in big, replayed: worst of 8 spread", val, NULL, NULL, "<= 20 ms",
		  bench_met(worst <= 20));
	worst = b[0] > b[1] ? b[0] : b[1];
	worst = b[2] > worst ? b[2] : worst;
	snprintf(val, sizeof(val), "%.2f ms", worst);
	bench_row("step in big after a jump: worst of 650", val, NULL, NULL, "<= 20 ms",
		  bench_met(worst <= 20));
	t0 = bench_now();
	session_close(s);
	printf("  close:                %.1f ms\n", (bench_now() - t0) * 1e3);
	printf("  peak RSS so far:      %.0f MiB\n", peak_rss_mib());
	timeline_alone(path);
	printf("  peak RSS:             %.0f MiB\n", peak_rss_mib());
	return 0;
}
