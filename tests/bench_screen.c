/* SPDX-License-Identifier: MIT */
/*
 * bench_screen.c - how fast the replay screen answers, without a terminal,
 * against the targets, printed as one table (it does not fail on a
 * slow figure): the time from session_open() to a first drawn frame on
 * big/trace.dat (the background thread still reading), and, on a
 * 10-million-event run it writes to $TMPDIR (gen_dmt.h) once the whole run
 * is replayed, keypress to redrawn frame (app_key + app_draw, the work
 * screen.c does before curses sends the changes) at 200x60 for a forward
 * step, a backward step, a jump to the other end and back, at the start,
 * the middle and the end, and backward after running forward or far back
 * from a jump.  Each figure: median and worst of its runs.  Each first frame
 * is timed in a child process that then exits: closing the session would
 * wait for its reading to end (seconds on the run), which no figure needs.
 * QUICK=1: a run of 10^5 events (BENCH_EVENTS=N: of N).  BENCH_TRACE=FILE times another trace.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "bench-quick.h"
#include "bench-table.h"
#include "gen_dmt.h"
#include "keys.h"
#include "session.h"

#define RUNS     9                   /* of each figure */
#define FRAME_MS 16.0
#define FIRST_MS 200.0

/* One row of the table (and of make bench's): @n times in ms against @target. */
static void row(const char *what, double *ms, int n, double target)
{
	struct bench_stat st = bench_stats(ms, (size_t)n);
	char fig[160], val[64], tgt[32];

	printf("  %-34s %9.2f %9.2f %8.0f   %s\n", what, st.median, st.max, target,
	       bench_met(st.max <= target));
	snprintf(fig, sizeof(fig), "screen: %s", what);
	snprintf(val, sizeof(val), "%.2f ms (worst %.2f)", st.median, st.max);
	snprintf(tgt, sizeof(tgt), "worst <= %.0f ms", target);
	bench_row(fig, val, NULL, NULL, tgt, bench_met(st.max <= target));
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

/* session_open() to a drawn frame, in ms, written to @fd; the session is
 * left to the process's exit. */
static void first_frame_child(const char *path, int fd)
{
	struct session *s;
	struct app a;
	double t0 = bench_now(), t = 1e9;

	if (open_session(path, 0, &s) == 0) {
		app_init(&a, s, 200, 60);
		app_draw(&a);
		t = (bench_now() - t0) * 1e3;
	}
	if (write(fd, &t, sizeof(t)) != (ssize_t)sizeof(t))
		_exit(1);
	_exit(0);
}

/* session_open() to a drawn frame, in ms, in a child process. */
static double first_frame(const char *path)
{
	double t = 1e9;
	int fd[2];
	pid_t pid;

	if (pipe(fd) < 0)
		return t;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		first_frame_child(path, fd[1]);
	}
	close(fd[1]);
	if (pid > 0 && read(fd[0], &t, sizeof(t)) != (ssize_t)sizeof(t))
		t = 1e9;
	close(fd[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return t;
}

static void first_frames(const char *what, const char *path)
{
	double ms[5];

	if (access(path, R_OK) != 0) {
		printf("  %-34s %s is missing\n", what, path);
		return;
	}
	for (int i = 0; i < 5; i++)
		ms[i] = first_frame(path);
	row(what, ms, 5, FIRST_MS);
}

/* One key and the frame after it, in ms. */
static double press(struct app *a, int key)
{
	double t0 = bench_now();

	app_key(a, key);
	app_draw(a);
	return (bench_now() - t0) * 1e3;
}

/* Forward and backward steps from event @at. */
static void steps_at(struct app *a, const char *where, uint64_t at)
{
	double j[RUNS], k[RUNS];
	char what[64];

	session_seek(a->s, at);
	app_draw(a);
	for (int i = 0; i < RUNS; i++)
		j[i] = press(a, 'j');
	for (int i = 0; i < RUNS; i++)
		k[i] = press(a, 'k');
	snprintf(what, sizeof(what), "forward step (j) at the %s", where);
	row(what, j, RUNS, FRAME_MS);
	snprintf(what, sizeof(what), "backward step (k) at the %s", where);
	row(what, k, RUNS, FRAME_MS);
	if (at == 0)
		return;
	session_seek(a->s, at);
	app_draw(a);
	for (int i = 0; i < RUNS; i++)
		k[i] = press(a, 'k');
	snprintf(what, sizeof(what), "k after a jump to the %s", where);
	row(what, k, RUNS, FRAME_MS);
}

/* Backward steps after running 3000 events forward from a jump to @at,
 * and the first step back past a jump's checkpoints (2048 events behind
 * it), which rebuilds from the timeline's snapshot; the jumps themselves
 * (into the middle: up to a snapshot interval replayed, the engine's). */
static void back_after(struct app *a, uint64_t at)
{
	double k[RUNS], far[RUNS], seek[RUNS];

	session_seek(a->s, at);
	session_seek(a->s, at + 3000);
	app_draw(a);
	for (int i = 0; i < RUNS; i++)
		k[i] = press(a, 'k');
	row("k after 3000 events forward", k, RUNS, FRAME_MS);
	for (int i = 0; i < RUNS; i++) {
		double t0 = bench_now();

		session_seek(a->s, at + (uint64_t)i * (session_count(a->s) / (2 * RUNS)));
		app_draw(a);
		seek[i] = (bench_now() - t0) * 1e3;
		for (int j = 0; j < 2048; j++)
			session_step(a->s, -1);
		app_draw(a);
		far[i] = press(a, 'k');
	}
	row("k 2048 events behind a jump", far, RUNS, FRAME_MS);
	row("jump into the middle (engine)", seek, RUNS, FRAME_MS);
}

/* G and g in turns, from the start. */
static void ends(struct app *a)
{
	double g[RUNS], G[RUNS];

	session_seek(a->s, 0);
	app_draw(a);
	for (int i = 0; i < RUNS; i++) {
		G[i] = press(a, 'G');
		g[i] = press(a, 'g');
	}
	row("jump to the end (G)", G, RUNS, FRAME_MS);
	row("jump back to the start (g)", g, RUNS, FRAME_MS);
}

static void keypresses(const char *path)
{
	struct session *s;
	struct app a;
	uint64_t n;
	double t0 = bench_now();

	if (open_session(path, SESSION_SYNC, &s) < 0)
		return;
	n = session_count(s);
	printf("  (replayed %llu events in %.1f s; keypress to frame at 200x60)\n",
	       (unsigned long long)n, bench_now() - t0);
	app_init(&a, s, 200, 60);
	app_draw(&a);
	steps_at(&a, "start", 0);
	steps_at(&a, "middle", n / 2);
	back_after(&a, n / 4);
	steps_at(&a, "end", n - 1);
	ends(&a);
	app_free(&a);
	session_close(s);
}

static const char *big_file(void)
{
	static char path[4096];
	const char *c = getenv("CAPTURES");

	snprintf(path, sizeof(path), "%s/big/trace.dat", c && *c ? c : "tests/data/captures");
	return path;
}

/* The run to time: BENCH_TRACE, or one written to $TMPDIR (*@made). */
static const char *run_file(uint64_t n, int *made)
{
	static char path[512];
	const char *b = getenv("BENCH_TRACE"), *dir = getenv("TMPDIR");
	double t0 = bench_now();

	*made = 0;
	if (b && *b)
		return b;
	snprintf(path, sizeof(path), "%s/bench-screen-%d.dmt", dir && *dir ? dir : "/tmp",
		 (int)getpid());
	if (gen_dmt_write(path, 8, n) < 0) {
		fprintf(stderr, "bench_screen: cannot write %s\n", path);
		return NULL;
	}
	*made = 1;
	printf("  (wrote %llu events to %s in %.1f s)\n", (unsigned long long)n, path,
	       bench_now() - t0);
	return path;
}

int main(void)
{
	const char *e = getenv("BENCH_EVENTS");
	uint64_t n = e && *e ? strtoull(e, NULL, 10) : bench_quick() ? 100000 : 10000000;
	const char *path;
	int made;

	setlocale(LC_ALL, "C.UTF-8");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!(path = run_file(n, &made)))
		return 1;
	printf("  %-34s %9s %9s %8s\n", "figure (ms)", "median", "worst", "target");
	first_frames("first frame on big", big_file());
	first_frames("first frame on the run", path);
	keypresses(path);
	if (made)
		unlink(path);
	return 0;
}
