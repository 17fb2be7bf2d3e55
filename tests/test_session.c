/* SPDX-License-Identifier: MIT */
/*
 * test_session.c - a replay session gets the findings `dmascope check`
 * gets, with and without the background thread, on every sample and the
 * nic capture; its state at each position equals a fresh replay to there
 * stepping forward and back; a file that cannot be read gives the reader's
 * message; closing while the background replays returns at once; a
 * platform switch keeps the position and changes the findings; stepping
 * back after the view ran forward gives a fresh replay's states.
 */
#include "session-test.h"
#include "ftrace-test.h"

/* Open @name both ways; both give the reference's findings. */
static void same_as_check(const char *path)
{
	struct trace *t = rt_open(path);
	struct coh_sim *ref = st_reference(t, NULL, UINT64_MAX);
	struct session *a = st_open(path, NULL, SESSION_SYNC), *b = st_open(path, NULL, 0);
	struct session_progress p;

	st_wait(b);
	session_progress(a, &p);
	assert_int_equal(p.phase, SESSION_DONE);
	assert_int_equal(p.replayed, trace_count(t));
	assert_true(p.fraction == 1.0);
	session_progress(b, &p);
	assert_int_equal(p.phase, SESSION_DONE);
	assert_int_equal(session_count(b), trace_count(t));
	st_same_findings(a, ref);
	st_same_findings(b, ref);
	session_close(a);
	session_close(b);
	coh_sim_free(ref);
	trace_close(t);
}

static void every_sample_findings(void **state)
{
	char **names = rt_sample_names(), path[1024];

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		rt_sample_path(path, sizeof(path), names[i]);
		same_as_check(path);
	}
	rt_free_names(names);
}

static void nic_findings(void **state)
{
	char path[1024];

	(void)state;
	capture_path(path, sizeof(path), "nic", "trace.dat");
	if (need_file(path) < 0)
		fail();
	same_as_check(path);
}

/* The state at @pos equals a fresh replay of events [0, pos]. */
static void state_matches(struct session *s, struct trace *t)
{
	uint64_t pos = session_pos(s);
	struct coh_sim *ref = st_reference(t, NULL, pos + 1);
	const struct coh_sim *sim;

	session_lock(s);
	sim = session_sim(s);
	assert_non_null(sim);
	assert_int_equal(coh_sim_pos(sim), pos + 1);
	assert_int_equal(coh_sim_hash(sim), coh_sim_hash(ref));
	session_unlock(s);
	coh_sim_free(ref);
}

/* Step to the end and back, comparing every position. */
static void walk(const char *path, unsigned flags)
{
	struct trace *t = rt_open(path);
	struct session *s = st_open(path, NULL, flags);
	uint64_t n = session_count(s), k = 0;

	assert_int_equal(session_pos(s), 0);
	state_matches(s, t);
	while (session_step(s, 1) == 0) {
		assert_int_equal(session_pos(s), ++k);
		state_matches(s, t);
	}
	assert_int_equal(k, n - 1);
	assert_int_equal(session_step(s, 1), 1);
	while (session_step(s, -1) == 0) {
		assert_int_equal(session_pos(s), --k);
		state_matches(s, t);
	}
	assert_int_equal(k, 0);
	assert_int_equal(session_step(s, -1), 1);
	session_close(s);
	trace_close(t);
}

static void step_both_ways(void **state)
{
	char **names = rt_sample_names(), path[1024];

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		rt_sample_path(path, sizeof(path), names[i]);
		walk(path, i % 2 ? SESSION_SYNC : 0);
	}
	rt_free_names(names);
}

/* Jumps far apart on the nic capture (rebuilt from snapshots). */
static void nic_seeks(void **state)
{
	char path[1024];
	struct trace *t;
	struct session *s;
	uint64_t n, at[] = { 0, 0, 0, 0, 0, 0 };

	(void)state;
	capture_path(path, sizeof(path), "nic", "trace.dat");
	if (need_file(path) < 0)
		fail();
	t = rt_open(path);
	s = st_open(path, NULL, 0);
	st_wait_read(s);
	n = session_count(s);
	at[0] = n - 1, at[1] = n / 2, at[2] = 3, at[3] = n / 2 + 1, at[4] = n / 3, at[5] = n - 2;
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		assert_int_equal(session_seek(s, at[k]), 0);
		assert_int_equal(session_pos(s), at[k]);
		state_matches(s, t);
	}
	assert_int_equal(session_seek(s, n), 1);
	assert_int_equal(session_pos(s), n - 2);
	/* back over the checkpoints a jump leaves, and past them */
	for (int k = 1; k <= 3000; k++) {
		assert_int_equal(session_step(s, -1), 0);
		if (k % 250 == 0)
			state_matches(s, t);
	}
	session_close(s);
	trace_close(t);
}

static void unreadable(void **state)
{
	struct session_opts o = { .path = "/nonexistent/x.dmt" };
	struct session *s = (struct session *)&o;
	char err[512] = "", ref[512] = "", path[1024];
	struct trace *t = NULL;

	(void)state;
	assert_int_equal(trace_open(o.path, NULL, &t, ref, sizeof(ref)), -1);
	for (unsigned flags = 0; flags <= SESSION_SYNC; flags += SESSION_SYNC) {
		o.flags = flags;
		assert_int_equal(session_open(&o, &s, err, sizeof(err)), -1);
		assert_null(s);
		assert_string_equal(err, ref);
	}
	rt_sample_path(path, sizeof(path), "linux-rx-nosync.bug.dmt");
	o.path = path;
	o.platform = "no-such-preset";
	assert_int_equal(session_open(&o, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-preset"));
	o.platform = NULL;
	o.device = "wlan9";
	assert_int_equal(session_open(&o, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no device 'wlan9' in this trace (its devices: eth0)"));
	o.device = "eth0";
	o.flags = SESSION_SYNC;
	assert_int_equal(session_open(&o, &s, err, sizeof(err)), 0);
	assert_int_equal(session_count(s), 6);
	session_close(s);
	session_close(NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Close while the background thread replays: promptly, nothing leaked. */
static void close_while_replaying(void **state)
{
	char path[1024];
	struct session_progress p;
	struct session *s;
	double t0;

	(void)state;
	/* big even under the sanitizers: its replay lasts seconds, so the
	 * poll below sees it under way however loaded the machine is (nic's
	 * 0.1 s could end unseen while the poll waited for a core) */
	capture_path(path, sizeof(path), "big", "trace.dat");
	if (need_file(path) < 0)
		fail();
	t0 = now_s();
	s = st_open(path, NULL, 0);
	assert_true(now_s() - t0 < 0.5);          /* the reading goes on in the background */
	do {
		usleep(500);
		session_progress(s, &p);
	} while (p.phase == SESSION_READING);
	assert_int_equal(p.phase, SESSION_REPLAYING);
	assert_true(p.replayed < p.events);
	t0 = now_s();
	session_close(s);
	assert_true(now_s() - t0 < 2.0);          /* the slice ends, memory is freed */
}

/* linux-rx-nosync.bug: DC001 on arm-noncoherent, not on x86 (snooping). */
static void platform_switch(void **state)
{
	struct session *s = st_open_sample("linux-rx-nosync.bug.dmt", NULL, 0);
	char err[256];

	(void)state;
	st_wait(s);
	assert_string_equal(session_platform(s)->name, "arm-noncoherent");
	assert_int_equal(session_nfindings(s), 2);
	assert_int_equal(session_seek(s, 3), 0);
	assert_int_equal(session_set_platform(s, "x86", err, sizeof(err)), 0);
	st_wait(s);
	assert_string_equal(session_platform(s)->name, "x86");
	assert_int_equal(session_pos(s), 3);
	assert_int_equal(session_nfindings(s), 1);
	assert_int_equal(session_finding(s, 0)->id, COH_DC006);
	assert_int_equal(session_set_platform(s, "bogus", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bogus"));
	assert_string_equal(session_platform(s)->name, "x86");
	assert_int_equal(session_pos(s), 3);
	session_close(s);
}

/* The finding's text is the text report's message and explanation. */
static void finding_text(void **state)
{
	struct session *s = st_open_sample("linux-rx-nosync.bug.dmt", NULL, SESSION_SYNC);
	char *a = session_finding_text(s, 0), *b = session_finding_text(s, 1);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(strstr(a, "DC006 ownership-violation: CPU read bytes the device owns"));
	assert_non_null(strstr(a, "dma_sync_single_for_cpu"));
	assert_non_null(strstr(a, "Until dma_sync_*_for_cpu or dma_unmap_*"));
	assert_non_null(strstr(b, "DC001 stale-cpu-read"));
	assert_non_null(strstr(b, "(written by event 2)"));
	assert_null(session_finding_text(s, 2));
	free(a);
	free(b);
	session_close(s);
}

/* Events are copies that outlive the reader's next call; lines are the
 * trace's own; findings at an event include one raised later (the leak
 * partial-sg-unmap reports at its map call, event 0). */
static void events_and_lines(void **state)
{
	struct session *s = st_open_sample("linux-sg-rx.bug.dmt", NULL, SESSION_SYNC);
	struct trace *t;
	struct coh_event ev, ref;
	char line[256], want[256], ts[32];
	size_t idx[4];
	uint64_t sg = 0;

	(void)state;
	rt_sample_path(want, sizeof(want), "linux-sg-rx.bug.dmt");
	t = rt_open(want);
	while (session_event(s, sg, &ev) == 0 && ev.kind != COH_EV_DMA_MAP_SG)
		sg++;
	assert_int_equal(ev.kind, COH_EV_DMA_MAP_SG);
	assert_true(ev.nsegs > 1);
	session_line(s, 0, line, sizeof(line));       /* the reader moves on */
	assert_int_equal(trace_get(t, sg, &ref), 0);
	assert_memory_equal(ev.segs, ref.segs, ref.nsegs * sizeof(*ref.segs));
	assert_int_equal(trace_line(t, ref.src, want, sizeof(want)) > 0, 1);
	want[strcspn(want, "\n")] = 0;
	assert_string_equal(session_line(s, sg, line, 12), "dma_map_sg ");
	assert_string_equal(session_line(s, sg, line, sizeof(line)), want);  /* cached whole */
	assert_string_equal(session_ts(s, sg, ts, sizeof(ts)), "0.000000");
	assert_string_equal(session_line(s, session_count(s), line, sizeof(line)), "");
	assert_int_equal(session_event(s, session_count(s), &ev), -1);
	session_line(s, session_count(s) - 1, line, sizeof(line));
	assert_non_null(strstr(line, "trace end"));
	trace_close(t);
	session_close(s);
	s = st_open_sample("partial-sg-unmap.bug.dmt", NULL, SESSION_SYNC);
	assert_int_equal(session_nfindings(s), 3);
	assert_int_equal(session_findings_at(s, 0, idx, 4), 1);
	assert_int_equal(idx[0], 2);
	assert_int_equal(session_findings_at(s, 4, idx, 0), 1);
	assert_int_equal(session_findings_at(s, 5, idx, 4), 0);
	session_close(s);
}

/* A .dmt of @n receive buffers read without a sync: two findings each. */
static void write_many(char *path, size_t size, unsigned n)
{
	int fd;
	FILE *f;

	snprintf(path, size, "/tmp/dmascope-session-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "dmascope-trace 1\nplatform arm-noncoherent\ndevice eth0\n");
	for (unsigned i = 0; i < n; i++) {
		unsigned long a = 0x100000ul + i * 0x1000ul;

		fprintf(f, "cpu_write addr=%#lx len=64\n"
			"dma_map dev=eth0 addr=%#lx bus=%#lx len=64 dir=FROM_DEVICE\n"
			"dev_write dev=eth0 addr=%#lx len=64\ncpu_read addr=%#lx len=14\n"
			"dma_unmap dev=eth0 bus=%#lx len=64 dir=FROM_DEVICE\n", a, a, a, a, a, a);
	}
	fclose(f);
}

/* Findings beyond the first chunk; a pointer taken early stays valid while
 * the background replay adds more. */
static void many_findings(void **state)
{
	char path[64];
	struct session *s;
	const struct coh_finding *first = NULL;
	struct coh_finding copy;
	struct trace *t;
	struct coh_sim *ref;

	(void)state;
	write_many(path, sizeof(path), 1500);
	s = st_open(path, NULL, 0);
	while (!first) {
		first = session_finding(s, 0);
		usleep(100);
	}
	copy = *first;
	st_wait(s);
	assert_true(session_nfindings(s) == 3000);
	assert_ptr_equal(session_finding(s, 0), first);
	assert_memory_equal(first, &copy, sizeof(copy));
	t = rt_open(path);
	ref = st_reference(t, NULL, UINT64_MAX);
	st_same_findings(s, ref);
	assert_int_equal(session_seek(s, 5 * 1400 + 3), 0);
	assert_int_equal(session_step_finding(s, -1), 0);
	assert_int_equal(session_pos(s), 5 * 1399 + 3);
	coh_sim_free(ref);
	trace_close(t);
	session_close(s);
	unlink(path);
}

/* Back from where the view ran forward (checkpoints kept on the way), and
 * forward again over checkpoints kept ahead: each state a fresh replay's. */
static void back_after_forward_run(void **state)
{
	char path[64];
	struct session *s;
	struct trace *t;

	(void)state;
	write_many(path, sizeof(path), 2400);
	s = st_open(path, NULL, SESSION_SYNC);
	t = rt_open(path);
	assert_int_equal(session_seek(s, 3000), 0);
	assert_int_equal(session_seek(s, 7000), 0);
	for (int k = 0; k < 300; k++) {
		assert_int_equal(session_step(s, -1), 0);
		if (k % 37 == 0)
			state_matches(s, t);
	}
	state_matches(s, t);
	assert_int_equal(session_seek(s, 4100), 0);
	state_matches(s, t);
	assert_int_equal(session_seek(s, 6900), 0);
	state_matches(s, t);
	assert_int_equal(session_step(s, -1), 0);
	state_matches(s, t);
	trace_close(t);
	session_close(s);
	unlink(path);
}

/* What the reading's progress said each time it moved. */
struct read_log {
	double f[4096];
	size_t n;
	bool all_reading;
};

static void log_read(struct session *s, void *ctx)
{
	struct read_log *l = ctx;
	struct session_progress p;

	session_progress(s, &p);
	l->all_reading = l->all_reading && p.phase == SESSION_READING;
	if (l->n < 4096)
		l->f[l->n++] = p.fraction;
}

/* Read @path (and replay it) in the caller's thread, logging the reading's
 * progress into @l: always reading, never back, ending at 1.  Return: how
 * many fractions were strictly between 0 and 1. */
static size_t read_logged(const char *path, struct read_log *l)
{
	struct session_opts o = { .path = path, .flags = SESSION_SYNC, .on_read = log_read,
				  .on_read_ctx = l };
	struct session *s = NULL;
	char err[512];
	size_t mid = 0;

	memset(l, 0, sizeof(*l));
	l->all_reading = true;
	if (session_open(&o, &s, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_true(l->all_reading);
	assert_true(l->n >= 1);
	for (size_t i = 0; i < l->n; i++) {
		assert_true(i == 0 || l->f[i] >= l->f[i - 1]);
		mid += l->f[i] > 0 && l->f[i] < 1;
	}
	assert_true(l->f[l->n - 1] == 1.0);
	session_close(s);
	return mid;
}

/* The reading's fraction rises and ends at 1: on a .dmt of 150,000 lines
 * (the reader reports every 65,536), and on nic (its threads report as
 * they go, how often depends on them). */
static void reading_progress(void **state)
{
	struct read_log *l = calloc(1, sizeof(*l));
	char path[1024];

	(void)state;
	assert_non_null(l);
	write_many(path, sizeof(path), 30000);
	assert_int_equal(read_logged(path, l), 2);
	unlink(path);
	capture_path(path, sizeof(path), "nic", "trace.dat");
	if (need_file(path) < 0)
		fail();
	read_logged(path, l);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_sample_findings),
		cmocka_unit_test(nic_findings),
		cmocka_unit_test(step_both_ways),
		cmocka_unit_test(nic_seeks),
		cmocka_unit_test(unreadable),
		cmocka_unit_test(close_while_replaying),
		cmocka_unit_test(platform_switch),
		cmocka_unit_test(finding_text),
		cmocka_unit_test(events_and_lines),
		cmocka_unit_test(many_findings),
		cmocka_unit_test(back_after_forward_run),
		cmocka_unit_test(reading_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
