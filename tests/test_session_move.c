/* SPDX-License-Identifier: MIT */
/*
 * test_session_move.c - moving through a replay session: next and previous
 * API call and finding, timestamps, regex search both ways and a bad regex,
 * filters, bookmarks, breakpoints forward and backward (each compared with
 * a brute-force scan of the events), and the byte watch and its last
 * writer on a sample whose answer is known.
 */
#include <inttypes.h>
#include <regex.h>

#include "session-test.h"
#include "ftrace-test.h"

enum want { W_CALL, W_FINDING, W_MATCH, W_KIND, W_RANGE, W_BREAK_CALL, W_BREAK_FID };

struct brute {
	enum want w;
	regex_t re;
	unsigned kind;
	uint64_t lo, hi;
	const char *call;
	unsigned fid;
};

static bool touches(const struct coh_event *ev, uint64_t lo, uint64_t hi)
{
	uint64_t len = ev->len ? ev->len : 1;

	if ((ev->addr != COH_ADDR_NONE && ev->addr < hi && ev->addr + len > lo) ||
	    (ev->bus != COH_ADDR_NONE && ev->bus < hi && ev->bus + len > lo))
		return true;
	for (uint32_t k = 0; k < ev->nsegs; k++) {
		const struct coh_seg *g = &ev->segs[k];

		if ((g->addr != COH_ADDR_NONE && g->addr < hi && g->addr + g->len > lo) ||
		    (g->bus != COH_ADDR_NONE && g->bus < hi && g->bus + g->len > lo))
			return true;
	}
	return false;
}

static bool finding_at(struct session *s, uint64_t i, unsigned fid)
{
	for (size_t k = 0; k < session_nfindings(s); k++)
		if (session_finding(s, k)->seq == i && (!fid || session_finding(s, k)->id == fid))
			return true;
	return false;
}

/* Whether event @i is what @b looks for, decided from scratch. */
static bool wanted(struct session *s, const struct brute *b, uint64_t i)
{
	struct coh_event ev;
	char line[1024];
	int g;

	assert_int_equal(session_event(s, i, &ev), 0);
	g = coh_kind_group(ev.kind);
	switch (b->w) {
	case W_CALL:
		return g == COH_GROUP_LINUX || g == COH_GROUP_WINDOWS;
	case W_FINDING:
		return finding_at(s, i, 0);
	case W_MATCH:
		return regexec(&b->re, session_line(s, i, line, sizeof(line)), 0, NULL, 0) == 0;
	case W_KIND:
		return ev.kind == b->kind;
	case W_RANGE:
		return touches(&ev, b->lo, b->hi);
	case W_BREAK_CALL:
		return strcmp(coh_kind_name(ev.kind), b->call) == 0;
	default:
		return finding_at(s, i, b->fid);
	}
}

/* @move from the start to the end and back visits exactly the wanted
 * events; returns how many there are. */
static size_t visits(struct session *s, const struct brute *b, int (*move)(struct session *, int))
{
	uint64_t n = session_count(s), k, hits = 0;

	assert_int_equal(session_seek(s, 0), 0);
	for (k = 1; k < n; k++) {
		if (!wanted(s, b, k))
			continue;
		assert_int_equal(move(s, 1), 0);
		assert_int_equal(session_pos(s), k);
		hits++;
	}
	assert_int_equal(move(s, 1), 1);
	assert_int_equal(session_seek(s, n - 1), 0);
	for (k = n - 1; k-- > 0;) {
		if (!wanted(s, b, k))
			continue;
		assert_int_equal(move(s, -1), 0);
		assert_int_equal(session_pos(s), k);
	}
	assert_int_equal(move(s, -1), 1);
	return hits;
}

static void calls_findings_search(struct session *s)
{
	struct brute b = { .w = W_CALL };
	char err[256];

	visits(s, &b, session_step_call);
	b.w = W_FINDING;
	assert_int_equal(visits(s, &b, session_step_finding) > 0, session_nfindings(s) > 0);
	b.w = W_MATCH;
	assert_int_equal(regcomp(&b.re, "dma_(un)?map|sync", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(session_search(s, 1) == -1 || true, 1);
	assert_int_equal(session_search_set(s, "dma_(un)?map|sync", err, sizeof(err)), 0);
	visits(s, &b, session_search);
	regfree(&b.re);
}

static void moves_on(const char *path)
{
	struct session *s = st_open(path, NULL, SESSION_SYNC);

	calls_findings_search(s);
	session_close(s);
}

static void every_sample_moves(void **state)
{
	char **names = rt_sample_names(), path[1024];

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		rt_sample_path(path, sizeof(path), names[i]);
		moves_on(path);
	}
	rt_free_names(names);
}

static void bad_regex(void **state)
{
	struct session *s = st_open_sample("linux-rx-nosync.bug.dmt", NULL, SESSION_SYNC);
	char err[256] = "", ref[256];
	regex_t re;
	int e = regcomp(&re, "dma_map(", REG_EXTENDED | REG_NOSUB);

	(void)state;
	assert_int_not_equal(e, 0);
	regerror(e, &re, ref, sizeof(ref));
	assert_int_equal(session_search(s, 1), -1);
	assert_string_equal(session_error(s), "no search pattern");
	assert_int_equal(session_search_set(s, "dma_map(", err, sizeof(err)), -1);
	assert_string_equal(err, ref);
	assert_int_equal(session_search_set(s, "cpu_read", err, sizeof(err)), 0);
	assert_int_equal(session_search(s, 1), 0);
	assert_int_equal(session_pos(s), 3);
	assert_int_equal(session_search_set(s, "dma_map(", err, sizeof(err)), -1);
	assert_int_equal(session_search(s, -1), 1);  /* the old pattern stays */
	assert_int_equal(session_search(s, 1), 1);
	session_close(s);
}

/* Filters: step and session_visible agree with the brute force. */
static void filters(void **state)
{
	struct session *s = st_open_sample("v2-recipe.bug.dmt", NULL, SESSION_SYNC);
	struct session_filter f = { .dev = -1, .cpu = -1, .kind = COH_EV_CPU_READ, .seq = -1 };
	struct brute b = { .w = W_KIND, .kind = COH_EV_CPU_READ };
	struct coh_event ev;
	uint64_t n = session_count(s), in_seq = 0;

	(void)state;
	session_filter_set(s, &f);
	assert_true(visits(s, &b, session_step) > 0);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(session_visible(s, i), wanted(s, &b, i));
	f = (struct session_filter){ .dev = -1, .cpu = -1, .kind = -1, .seq = -1,
				     .lo = 0x400080, .hi = 0x400081 };
	b = (struct brute){ .w = W_RANGE, .lo = 0x400080, .hi = 0x400081 };
	session_filter_set(s, &f);
	assert_true(visits(s, &b, session_step) > 0);
	session_close(s);
	/* the second marker sequence: from its begin to its end */
	s = st_open_sample("etw-busmaster.dmt", NULL, SESSION_SYNC);
	n = session_count(s);
	f = (struct session_filter){ .dev = -1, .cpu = -1, .kind = -1, .seq = 1 };
	session_filter_set(s, &f);
	for (uint64_t i = 0, seqs = 0, open = 0; i < n; i++) {
		assert_int_equal(session_event(s, i, &ev), 0);
		if (ev.kind == COH_EV_SCOPE_BEGIN && ev.scope == COH_SCOPE_SEQ)
			open = ++seqs;
		assert_int_equal(session_visible(s, i), open == 2);
		in_seq += open == 2;
		if (ev.kind == COH_EV_SCOPE_END && ev.scope == COH_SCOPE_SEQ)
			open = 0;
	}
	assert_true(in_seq > 2);
	session_filter_get(s, &f);
	assert_int_equal(f.seq, 1);
	session_close(s);
}

static void bookmarks(void **state)
{
	struct session *s = st_open_sample("v2-recipe.bug.dmt", NULL, SESSION_SYNC);
	char names[8];
	uint64_t pos[8], p = 99;

	(void)state;
	assert_int_equal(session_mark_get(s, 'a', &p), 1);
	assert_int_equal(p, 99);
	assert_int_equal(session_mark_set(s, 'b', 7), 0);
	assert_int_equal(session_mark_set(s, 'a', 3), 0);
	assert_int_equal(session_mark_set(s, 'c', session_count(s)), -1);
	assert_int_equal(session_mark_get(s, 'a', &p), 0);
	assert_int_equal(p, 3);
	assert_int_equal(session_marks(s, names, pos, 8), 2);
	assert_int_equal(names[0], 'a');
	assert_int_equal(pos[0], 3);
	assert_int_equal(names[1], 'b');
	assert_int_equal(pos[1], 7);
	assert_int_equal(session_marks(s, names, pos, 1), 2);
	session_close(s);
}

/* Each kind of breakpoint alone, forward and backward, on @s. */
static void breaks_on(struct session *s, uint64_t lo, uint64_t hi, unsigned fid)
{
	struct session_break br[3] = {
		{ .kind = BREAK_RANGE, .lo = lo, .hi = hi },
		{ .kind = BREAK_CALL, .call = "dma_unmap" },
		{ .kind = BREAK_FINDING, .fid = fid },
	};
	struct brute b[3] = {
		{ .w = W_RANGE, .lo = lo, .hi = hi },
		{ .w = W_BREAK_CALL, .call = "dma_unmap" },
		{ .w = W_BREAK_FID, .fid = fid },
	};

	assert_int_equal(session_continue(s, 1), 1);
	assert_string_equal(session_error(s), "no breakpoints");
	for (int k = 0; k < 3; k++) {
		assert_int_equal(session_break_add(s, &br[k]), 0);
		assert_int_equal(session_nbreaks(s), 1);
		assert_int_equal(session_break_at(s, 0)->kind, br[k].kind);
		assert_true(visits(s, &b[k], session_continue) > 0);
		session_break_del(s, 0);
		assert_int_equal(session_nbreaks(s), 0);
	}
}

/* A call breakpoint by the API function the trace.dat names. */
static void api_break(struct session *s)
{
	struct session_break br = { .kind = BREAK_CALL, .call = "dma_map_page" };
	struct brute b = { .w = W_MATCH };

	assert_int_equal(regcomp(&b.re, "dma_map_page:", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(session_break_add(s, &br), 0);
	assert_true(visits(s, &b, session_continue) > 3);
	session_break_del(s, 0);
	regfree(&b.re);
}

static void breakpoints(void **state)
{
	struct session *s = st_open_sample("linux-rx-nosync.bug.dmt", NULL, SESSION_SYNC);
	struct session_break bad = { .kind = BREAK_RANGE, .lo = 5, .hi = 5 };
	char path[1024];

	(void)state;
	breaks_on(s, 0x80000, 0x80001, COH_DC001);
	assert_int_equal(session_break_add(s, &bad), -1);
	bad = (struct session_break){ .kind = BREAK_FINDING, .fid = COH_FID_COUNT };
	assert_int_equal(session_break_add(s, &bad), -1);
	session_close(s);
	capture_path(path, sizeof(path), "buggy", "trace.dat");
	if (need_file(path) < 0)
		fail();
	s = st_open(path, NULL, 0);
	st_wait(s);
	assert_int_equal(session_step_finding(s, 1), 0);
	breaks_on(s, session_finding(s, 0)->addr, session_finding(s, 0)->addr + 1,
		  session_finding(s, 0)->id);
	api_break(s);
	session_close(s);
}

/* linux-rx-nosync.bug: the CPU clears 0x80000 (event 0, into its cache),
 * dma_map cleans it to memory (1), the NIC writes memory (2); the CPU
 * should see the NIC's bytes only once unmapped (4). */
static void watch(void **state)
{
	struct session *s = st_open_sample("linux-rx-nosync.bug.dmt", NULL, 0);
	struct session_watch_row r[8];
	uint64_t w = 99;

	(void)state;
	st_wait(s);
	assert_int_equal(session_seek(s, 3), 0);
	assert_int_equal(session_last_writer(s, 0x80000, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(session_watch(s, 0x80000, r, 8), 3);
	assert_int_equal(r[0].event, 2);
	assert_string_equal(r[0].where, "memory");
	assert_int_equal(r[0].version, 3);
	assert_int_equal(r[0].value, 3);
	assert_int_equal(r[1].event, 1);
	assert_string_equal(r[1].where, "memory");
	assert_int_equal(r[1].version, 1);
	assert_int_equal(r[2].event, 0);
	assert_string_equal(r[2].where, "cpu0 cache");
	assert_int_equal(r[2].value, 1);
	assert_int_equal(session_watch(s, 0x80000, r, 1), 1);
	assert_int_equal(r[0].event, 2);
	assert_int_equal(session_step(s, 1), 0);
	assert_int_equal(session_last_writer(s, 0x80000, &w), 0);
	assert_int_equal(w, 2);
	assert_int_equal(session_last_writer(s, 0x90000, &w), 1);
	assert_int_equal(session_watch(s, 0x90000, r, 8), 0);
	session_close(s);
}

/* A range across the end of the NIC's 64 bytes: 0x8003e-f written by it
 * (2), 0x80040-1 not; rows for every byte, newest first; the newest last
 * writer among them; at most SESSION_WATCH_BYTES bytes watched. */
static void watch_range(void **state)
{
	struct session *s = st_open_sample("linux-rx-nosync.bug.dmt", NULL, SESSION_SYNC);
	struct session_watch_row r[64];
	uint64_t w = 99, at = 0;
	size_t n;

	(void)state;
	assert_int_equal(session_seek(s, 3), 0);
	assert_int_equal(session_watch_range(s, 0x8003e, 0x80042, r, 64), 10);
	assert_int_equal(r[0].event, 2);
	assert_int_equal(r[1].event, 2);
	assert_true(r[0].addr == 0x8003e || r[0].addr == 0x8003f);
	assert_true(r[1].addr == 0x8003e || r[1].addr == 0x8003f);
	assert_int_equal(r[2].event, 1);
	for (size_t i = 0; i < 10; i++) {
		assert_true(r[i].addr >= 0x8003e && r[i].addr < 0x80042);
		assert_true(i == 0 || r[i].event <= r[i - 1].event);
	}
	assert_int_equal(session_watch_range(s, 0x8003e, 0x80042, r, 5), 5);
	assert_int_equal(session_last_writer_range(s, 0x8003e, 0x80042, &w, &at), 0);
	assert_int_equal(w, 0);
	assert_int_equal(session_step(s, 1), 0);   /* unmapped: the NIC's bytes */
	assert_int_equal(session_last_writer_range(s, 0x80040, 0x80042, &w, &at), 0);
	assert_int_equal(w, 0);
	assert_int_equal(session_last_writer_range(s, 0x8003e, 0x80042, &w, &at), 0);
	assert_int_equal(w, 2);
	assert_int_equal(at, 0x8003e);
	n = session_watch_range(s, 0x80000, 0x80100, r, 64);
	assert_int_equal(n, 64);
	for (size_t i = 0; i < n; i++)
		assert_true(r[i].addr < 0x80000 + SESSION_WATCH_BYTES);
	assert_int_equal(session_last_writer_range(s, 0x90000, 0x90010, &w, &at), 1);
	session_close(s);
}

/* Timestamps as printed: the first event at or after. */
static void timestamps(void **state)
{
	struct session *s = st_open_sample("v2-recipe.bug.dmt", NULL, SESSION_SYNC);
	uint64_t n = session_count(s);
	char ts[64], last[64];

	(void)state;
	session_ts(s, n / 2, ts, sizeof(ts));
	assert_int_equal(session_seek_ts(s, ts), 0);
	assert_true(session_pos(s) <= n / 2);
	session_ts(s, session_pos(s), last, sizeof(last));
	assert_string_equal(last, ts);
	if (session_pos(s) > 0) {
		session_ts(s, session_pos(s) - 1, last, sizeof(last));
		assert_string_not_equal(last, ts);
	}
	assert_int_equal(session_seek_ts(s, "0"), 0);
	assert_int_equal(session_pos(s), 0);
	assert_int_equal(session_seek_ts(s, "99999.5"), 1);
	assert_int_equal(session_seek_ts(s, "1.2.3"), -1);
	assert_non_null(strstr(session_error(s), "not a timestamp"));
	session_close(s);
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A search over big's 2.3 million trace.dat lines (0.4 ms each to re-read)
 * stops after a second and goes on from there when asked again. */
static void long_search(void **state)
{
	char path[1024], e1[256];
	struct session *s;
	uint64_t a, b, c, d;
	double t0;

	(void)state;
	if (sanitized())
		skip();
	capture_path(path, sizeof(path), "big", "trace.dat");
	if (need_file(path) < 0)
		fail();
	s = st_open(path, NULL, 0);
	st_wait_read(s);
	assert_int_equal(session_search_set(s, "no such text anywhere", e1, sizeof(e1)), 0);
	t0 = wall();
	assert_int_equal(session_search(s, 1), 1);
	assert_true(wall() - t0 < 3.0);
	assert_int_equal(session_pos(s), 0);
	assert_int_equal(sscanf(session_error(s), "nothing in events %" SCNu64 " to %" SCNu64 " yet", &a, &b), 2);
	assert_int_equal(a, 1);
	assert_int_equal(session_search(s, 1), 1);
	assert_int_equal(sscanf(session_error(s), "nothing in events %" SCNu64 " to %" SCNu64 " yet", &c, &d), 2);
	assert_int_equal(c, b + 1);
	assert_true(d > c);
	assert_int_equal(session_search_set(s, "nor this either", e1, sizeof(e1)), 0);
	assert_int_equal(session_search(s, 1), 1);  /* a new pattern starts over */
	assert_int_equal(sscanf(session_error(s), "nothing in events %" SCNu64, &c), 1);
	assert_int_equal(c, 1);
	session_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_sample_moves),
		cmocka_unit_test(bad_regex),
		cmocka_unit_test(filters),
		cmocka_unit_test(bookmarks),
		cmocka_unit_test(breakpoints),
		cmocka_unit_test(watch),
		cmocka_unit_test(watch_range),
		cmocka_unit_test(timestamps),
		cmocka_unit_test(long_search),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
