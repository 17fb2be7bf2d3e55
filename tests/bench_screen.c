/* SPDX-License-Identifier: MIT */
/*
 * bench_screen.c - how fast the replay screen answers, without a terminal:
 * the time from `dmascope replay`'s session_open() to a first drawn frame on
 * big/trace.dat (the background thread still reading), and, once the whole
 * capture is replayed, keypress to redrawn frame (app_key + app_draw, the
 * work screen.c does before curses sends the changes) at 200x60 for a
 * forward step, a backward step, a jump to the other end and back, at a few
 * positions.  Targets: first frame 200 ms, a key 16 ms.  It prints; it does
 * not fail on slow figures.  BENCH_TRACE=FILE times another trace.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "keys.h"
#include "session.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *trace_file(void)
{
	static char path[4096];
	const char *b = getenv("BENCH_TRACE"), *c = getenv("CAPTURES");

	if (b && *b)
		return b;
	snprintf(path, sizeof(path), "%s/big/trace.dat", c && *c ? c : "tests/data/captures");
	return path;
}

static int open_session(const char *path, unsigned flags, struct session **s)
{
	struct session_opts o = { .path = path, .flags = flags };
	char err[512];

	if (session_open(&o, s, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_screen: %s\n", err);
		return -1;
	}
	return 0;
}

static void first_frame(const char *path)
{
	struct session *s;
	struct app a;
	double t0 = now(), t1;

	if (open_session(path, 0, &s) < 0)
		return;
	app_init(&a, s, 200, 60);
	app_draw(&a);
	t1 = now();
	printf("first frame at 200x60: %.1f ms (target 200 ms)\n", (t1 - t0) * 1e3);
	app_free(&a);
	session_close(s);
}

/* The worst of @n presses of @key, in ms; *@draw gets the worst drawing part. */
static double key_time(struct app *a, int key, int n, double *draw)
{
	double worst = 0;

	*draw = 0;
	for (int i = 0; i < n; i++) {
		double t0 = now(), t1, t;

		app_key(a, key);
		t1 = now();
		app_draw(a);
		t = (now() - t0) * 1e3;
		worst = t > worst ? t : worst;
		*draw = (now() - t1) * 1e3 > *draw ? (now() - t1) * 1e3 : *draw;
	}
	return worst;
}

static void keys_at(struct app *a, const char *where)
{
	double dj, dk, j, k;

	j = key_time(a, 'j', 20, &dj);
	k = key_time(a, 'k', 20, &dk);
	printf("  at %-8s event %-9llu  j %7.2f ms (drawing %7.2f)   k %7.2f ms (drawing %7.2f)\n",
	       where, (unsigned long long)session_pos(a->s), j, dj, k, dk);
}

static void keypresses(const char *path)
{
	struct session *s;
	struct app a;
	double t0 = now(), g, G, d;

	if (open_session(path, SESSION_SYNC, &s) < 0)
		return;
	printf("replayed %llu events in %.1f s; keypress to frame at 200x60 (worst of 20):\n",
	       (unsigned long long)session_count(s), now() - t0);
	app_init(&a, s, 200, 60);
	app_draw(&a);
	keys_at(&a, "start");
	session_seek(s, session_count(s) / 2);
	keys_at(&a, "middle");
	G = key_time(&a, 'G', 1, &d);
	keys_at(&a, "end");
	g = key_time(&a, 'g', 1, &d);
	printf("  G (to the end) %.2f ms, g (back to the start) %.2f ms (target 16 ms)\n", G, g);
	app_free(&a);
	session_close(s);
}

int main(void)
{
	const char *path = trace_file();

	setlocale(LC_ALL, "C.UTF-8");
	if (access(path, R_OK) != 0) {
		printf("bench_screen: %s is missing, nothing timed\n", path);
		return 0;
	}
	first_frame(path);
	keypresses(path);
	return 0;
}
