/* SPDX-License-Identifier: MIT */
/*
 * session-test.h - helpers the replay session's tests share: open a sample
 * or capture as a session, and the reference replay `dmascope check` does
 * (the file's own platform, coh_run over the whole trace).
 */
#ifndef SESSION_TEST_H
#define SESSION_TEST_H

#include <time.h>
#include <unistd.h>

#include "replay-test.h"
#include "session.h"

/* Open @path as a session that must open. */
static inline struct session *st_open(const char *path, const char *preset, unsigned flags)
{
	struct session_opts o = { .path = path, .platform = preset, .flags = flags };
	struct session *s = NULL;
	char err[512];

	if (session_open(&o, &s, err, sizeof(err)) < 0)
		fail_msg("%s: %s", path, err);
	return s;
}

static inline struct session *st_open_sample(const char *name, const char *preset,
					     unsigned flags)
{
	char path[1024];

	rt_sample_path(path, sizeof(path), name);
	return st_open(path, preset, flags);
}

/* Wait for the background replay to end (at most a minute). */
static inline void st_wait(struct session *s)
{
	struct session_progress p;

	for (int k = 0; k < 60000; k++) {
		session_progress(s, &p);
		if (p.phase == SESSION_DONE || p.phase == SESSION_FAILED)
			return;
		usleep(1000);
	}
	fail_msg("the replay did not end");
}

/* Wait for the reading to end (the replay may go on). */
static inline void st_wait_read(struct session *s)
{
	struct session_progress p;

	for (int k = 0; k < 60000; k++) {
		session_progress(s, &p);
		if (p.phase != SESSION_READING)
			return;
		usleep(1000);
	}
	fail_msg("the reading did not end");
}

/* The state `dmascope check` replays @t to, at @to events (no preset: the
 * file's own or its API's default). */
static inline struct coh_sim *st_reference(struct trace *t, const char *preset, uint64_t to)
{
	struct coh_platform p;
	struct coh_source src = trace_source(t);
	struct coh_sim *s;
	char err[512];
	int e = 0;

	if (trace_platform(t, preset, &p, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	s = coh_sim_new(&p, 0, &e);
	assert_non_null(s);
	assert_true(coh_run(s, &src, 0, to, NULL, NULL) >= 0);
	return s;
}

/* The session's findings equal the reference's, one by one. */
static inline void st_same_findings(struct session *s, const struct coh_sim *ref)
{
	size_t n = coh_sim_nfindings(ref);

	assert_int_equal(session_nfindings(s), n);
	for (size_t i = 0; i < n; i++) {
		const struct coh_finding *a = session_finding(s, i), *b = coh_sim_finding(ref, i);

		assert_int_equal(a->id, b->id);
		assert_int_equal(a->seq, b->seq);
		assert_int_equal(a->addr, b->addr);
		assert_int_equal(a->rule, b->rule);
	}
}

#endif
