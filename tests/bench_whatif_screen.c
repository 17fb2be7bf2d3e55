/* SPDX-License-Identifier: MIT */
/*
 * bench_whatif_screen.c - what-if in the replay screen on big/trace.dat
 * (about 2.3 million events), once it is replayed: a dma_unmap near the end
 * and one in the middle left out, then what the keys cost after it: the
 * edited state shown, steps in the edited view, the diff (made once per
 * edit list; in the middle only with WHATIF_DIFF_MIDDLE=1: it replays the
 * rest of the run), the differing bytes the diff pane lists, undo;
 * and the omission matrix of the buggy capture computed in the background
 * while the lock is taken as a frame would (the worst wait).  It prints;
 * it does not fail on slow figures.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bench-quick.h"
#include "bench-table.h"
#include "coh_whatif.h"
#include "session.h"

/* ms the state shown costs now. */
static double shown(struct session *s)
{
	double t = bench_now();

	session_lock(s);
	session_sim(s);
	session_unlock(s);
	return (bench_now() - t) * 1e3;
}

/* The last dma_unmap at or before @from. */
static uint64_t unmap_before(struct session *s, uint64_t from)
{
	struct coh_event ev;

	for (uint64_t i = from; i > 0; i--)
		if (session_event(s, i, &ev) == 0 && ev.kind == COH_EV_DMA_UNMAP)
			return i;
	return from;
}

static double worst_steps(struct session *s, int dir, int n)
{
	double w = 0, d, t;

	for (int k = 0; k < n; k++) {
		t = bench_now();
		session_step(s, dir);
		d = shown(s) + (bench_now() - t) * 1e3;
		w = d > w ? d : w;
	}
	return w;
}

/* One edit at @at and what follows it. */
static void edit_at(struct session *s, const char *where, uint64_t at, bool diff)
{
	const struct coh_byte_diff *d;
	double t;

	printf("  %s (event %llu):\n", where, (unsigned long long)at);
	session_seek(s, at);
	t = bench_now();
	session_whatif_delete(s);
	printf("    delete:                  %.2f ms\n", (bench_now() - t) * 1e3);
	session_run_set(s, SESSION_RUN_EDITED);
	printf("    edited state shown:      %.2f ms\n", shown(s));
	printf("    20 steps, edited view:   worst %.2f ms\n", worst_steps(s, 1, 20));
	printf("    20 steps back:           worst %.2f ms\n", worst_steps(s, -1, 20));
	t = bench_now();
	session_lock(s);
	if (diff)
		session_whatif_diff(s);
	session_unlock(s);
	if (diff)
		printf("    diff:                    %.2f ms\n", (bench_now() - t) * 1e3);
	else
		printf("    diff:                    skipped (WHATIF_DIFF_MIDDLE=1 times it)\n");
	for (int k = 0; k < 2; k++) {
		t = bench_now();
		session_lock(s);
		session_whatif_bytes(s, &d);
		session_unlock(s);
		printf("    diff pane's bytes, %s: %.2f ms\n", k ? "again" : "first", (bench_now() - t) * 1e3);
	}
	t = bench_now();
	session_whatif_undo(s);
	session_run_set(s, SESSION_RUN_RECORDED);
	printf("    undo:                    %.2f ms\n", (bench_now() - t) * 1e3);
}

/* The omission matrix of @path in the background; the worst frame
 * (the lock and the state shown) meanwhile. */
static void omission(const char *path)
{
	struct session_opts o = { .path = path };
	struct session_omit_view v;
	struct session_progress p;
	struct session *s;
	char err[512];
	double t0, w = 0, t;

	if (session_open(&o, &s, err, sizeof(err)) < 0) {
		printf("  cannot open %s: %s\n", path, err);
		return;
	}
	do {
		usleep(10000);
		session_progress(s, &p);
	} while (p.phase == SESSION_READING || p.phase == SESSION_REPLAYING);
	t0 = bench_now();
	if (session_omit_start(s, err, sizeof(err)) < 0) {
		printf("  %s\n", err);
		session_close(s);
		return;
	}
	do {
		t = bench_now();
		session_omit_get(s, &v);
		shown(s);
		w = bench_now() - t > w ? bench_now() - t : w;
		usleep(10000);
	} while (!v.finished);
	printf("  omission matrix of %s: %zu rows in %.2f s, worst frame meanwhile %.2f ms\n",
	       path, v.nrows, bench_now() - t0, w * 1e3);
	session_close(s);
}

int main(void)
{
	const char *d = getenv("CAPTURES");
	char path[1024], buggy[1024], err[512];
	struct session_opts o = { .path = path, .flags = SESSION_SYNC };
	struct session *s;
	uint64_t n;

	if (bench_quick()) {
		printf("bench_whatif_screen: skipped (QUICK): it replays big/trace.dat\n");
		return 0;
	}
	d = d && *d ? d : "tests/data/captures";
	snprintf(path, sizeof(path), "%s/big/trace.dat", d);
	snprintf(buggy, sizeof(buggy), "%s/buggy/trace.dat", d);
	omission(buggy);
	printf("bench_whatif_screen: %s\n", path);
	if (session_open(&o, &s, err, sizeof(err)) < 0) {
		printf("  cannot open: %s\n", err);
		return 0;
	}
	n = session_count(s);
	edit_at(s, "an unmap near the end", unmap_before(s, n - 10), true);
	edit_at(s, "an unmap in the middle", unmap_before(s, n / 2),
		getenv("WHATIF_DIFF_MIDDLE") && *getenv("WHATIF_DIFF_MIDDLE") == '1');
	session_close(s);
	return 0;
}
