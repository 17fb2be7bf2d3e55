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
 *     the steps backward and forward after it (worst of each).
 * It prints; it does not fail on slow figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bench-quick.h"
#include "bench-table.h"
#include "session.h"

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
	worst = b[0] > b[1] ? b[0] : b[1];
	worst = b[2] > worst ? b[2] : worst;
	snprintf(val, sizeof(val), "%.2f ms", worst);
	bench_row("step in big after a jump: worst of 650", val, NULL, NULL, "<= 20 ms",
		  bench_met(worst <= 20));
	t0 = bench_now();
	session_close(s);
	printf("  close:                %.1f ms\n", (bench_now() - t0) * 1e3);
	return 0;
}
