/* SPDX-License-Identifier: MIT */
/*
 * replay-test.h - helpers the engine service tests share (test_run.c,
 * test_hooks.c, test_timeline_search.c, test_views_dma.c, test_limits.c,
 * test_fastpath.c): open a sample or a capture, build its platform, replay
 * it straight with coh_sim_apply() as the reference.
 */
#ifndef REPLAY_TEST_H
#define REPLAY_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coh_run.h"
#include "coh_sim.h"
#include "trace.h"

/* traces/samples/@name under SRCDIR (or the current directory). */
static inline void rt_sample_path(char *buf, size_t n, const char *name)
{
	const char *d = getenv("SRCDIR");

	snprintf(buf, n, "%s/traces/samples/%s", d && *d ? d : ".", name);
}

/* Open a trace that must load. */
static inline struct trace *rt_open(const char *path)
{
	struct trace *t = NULL;
	char err[1024];

	if (trace_open(path, NULL, &t, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return t;
}

static inline struct trace *rt_open_sample(const char *name)
{
	char path[1024];

	rt_sample_path(path, sizeof(path), name);
	return rt_open(path);
}

/* The platform of @t: @preset (NULL: the one it names, else x86). */
static inline void rt_platform(const struct trace *t, const char *preset, struct coh_platform *p)
{
	char err[512];

	if (trace_platform(t, preset ? preset : trace_names_platform(t) ? NULL : "x86", p, err, sizeof(err)) < 0)
		fail_msg("trace_platform: %s", err);
}

static inline struct coh_sim *rt_sim(const struct trace *t, const char *preset, unsigned flags)
{
	struct coh_platform p;
	struct coh_sim *s;
	int err = 0;

	rt_platform(t, preset, &p);
	s = coh_sim_new(&p, flags, &err);
	assert_non_null(s);
	return s;
}

/* Apply events of @t with coh_sim_apply() until @s is at @to (the reference). */
static inline void rt_replay(struct trace *t, struct coh_sim *s, uint64_t to)
{
	struct coh_event ev;

	while (coh_sim_pos(s) < to) {
		uint64_t i = coh_sim_pos(s);

		assert_int_equal(trace_get(t, i, &ev), 0);
		if (coh_sim_apply(s, &ev) < 0)
			fail_msg("event %llu: %s", (unsigned long long)i, coh_sim_errmsg(s));
	}
}

/* Every sample .dmt, in name order; NULL-terminated, caller frees. */
static inline char **rt_sample_names(void)
{
	char cmd[1200], line[512], dir[1024];
	char **v = calloc(256, sizeof(*v));
	size_t n = 0;
	FILE *f;

	assert_non_null(v);
	rt_sample_path(dir, sizeof(dir), "");
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep '\\.dmt$' | sort", dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (n < 255 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		v[n++] = strdup(line);
	}
	pclose(f);
	assert_true(n > 10);
	return v;
}

static inline void rt_free_names(char **v)
{
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

#endif
