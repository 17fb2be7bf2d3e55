/* SPDX-License-Identifier: MIT */
/*
 * golden-test.h - golden screens the screen's tests share: a frame's text
 * compared with tests/golden/screens/NAME.txt, or written there with
 * UPDATE_GOLDEN=1 (review them with git diff).  Include after cmocka.h.
 */
#ifndef GOLDEN_TEST_H
#define GOLDEN_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole of @path (caller frees), or NULL. */
static inline char *golden_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* @text is the golden screen @name (or becomes it with UPDATE_GOLDEN=1). */
static inline void golden(const char *name, const char *text)
{
	const char *d = getenv("SRCDIR");
	const char *upd = getenv("UPDATE_GOLDEN");
	char path[600];
	char *want;

	snprintf(path, sizeof(path), "%s/tests/golden/screens/%s.txt", d && *d ? d : ".", name);
	if (upd && strcmp(upd, "1") == 0) {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		return;
	}
	want = golden_slurp(path);
	if (!want)
		fail_msg("%s missing: run with UPDATE_GOLDEN=1 and review", path);
	if (strcmp(want, text) != 0)
		fail_msg("%s differs; got:\n%s", path, text);
	free(want);
}

#endif
