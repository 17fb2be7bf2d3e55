/* SPDX-License-Identifier: MIT */
/*
 * dmt-test.h - helpers the .dmt tests share (test_dmt.c, test_dmt_write.c).
 */
#ifndef DMT_TEST_H
#define DMT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "coh_err.h"
#include "trace.h"

/* The worktree the fixtures live in (tests run from it unless SRCDIR says). */
static inline const char *dt_srcdir(void)
{
	const char *s = getenv("SRCDIR");

	return s && *s ? s : ".";
}

/* Write @n bytes to a new temporary file; caller unlinks and frees the path. */
static inline char *dt_tmpfile(const void *text, size_t n)
{
	const char *dir = getenv("TMPDIR");
	char *path = malloc(512);
	int fd;

	assert_non_null(path);
	snprintf(path, 512, "%s/dmt-test-XXXXXX.dmt", dir && *dir ? dir : "/tmp");
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

static inline char *dt_tmptext(const char *text)
{
	return dt_tmpfile(text, strlen(text));
}

static inline void dt_rmtmp(char *path)
{
	unlink(path);
	free(path);
}

/* Open a trace that must load; fails the test with the reader's message. */
static inline struct trace *dt_open(const char *path, const struct trace_opts *opts)
{
	struct trace *t = NULL;
	char err[1024];

	if (trace_open(path, opts, &t, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return t;
}

/* Open text that must load; the temporary file is gone when this returns. */
static inline struct trace *dt_open_text(const char *text)
{
	char *path = dt_tmptext(text);
	struct trace *t = dt_open(path, NULL);

	dt_rmtmp(path);
	return t;
}

static inline struct coh_event dt_get(struct trace *t, uint64_t i)
{
	struct coh_event ev;

	assert_int_equal(trace_get(t, i, &ev), 0);
	return ev;
}

/* The whole of a trace written as .dmt (on the platform the file names, or x86). */
static inline char *dt_write(struct trace *t, size_t *len)
{
	struct coh_platform p;
	struct coh_source src = trace_source(t);
	char err[512], *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	if (trace_platform(t, trace_names_platform(t) ? NULL : "x86", &p, err, sizeof(err)) < 0)
		fail_msg("trace_platform: %s", err);
	if (trace_write_dmt(f, &p, &src, err, sizeof(err)) < 0)
		fail_msg("trace_write_dmt: %s", err);
	fclose(f);
	return buf;
}

#endif
