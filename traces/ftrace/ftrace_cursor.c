/* SPDX-License-Identifier: MIT */
/*
 * ftrace_cursor.c - bounded reads of a trace.dat for the layout checker;
 * every failure names the offset and what was being read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftrace-check.h"

int fx_cursor_get(struct fx_cursor *c, void *buf, size_t len, const char *what)
{
	ssize_t got;

	if (c->pos > c->size || len > c->size - c->pos)
		FAIL(c, c->pos, "the file ends inside the %s (it has %llu bytes)", what,
		     (unsigned long long)c->size);
	got = pread(c->fd, buf, len, (off_t)c->pos);
	if (got < 0 || (size_t)got != len)
		FAIL(c, c->pos, "cannot read the %s: %s", what, got < 0 ? strerror(errno) :
		     "short read");
	c->pos += len;
	return 0;
}

uint64_t fx_cursor_host(const struct fx_cursor *c, const unsigned char *b, int len)
{
	uint64_t x = 0;

	for (int i = 0; i < len; i++)
		x |= (uint64_t)b[c->big ? len - 1 - i : i] << (8 * i);
	return x;
}

int fx_cursor_num(struct fx_cursor *c, int len, uint64_t *x, const char *what)
{
	unsigned char b[8];

	if (fx_cursor_get(c, b, (size_t)len, what) < 0)
		return -1;
	*x = fx_cursor_host(c, b, len);
	return 0;
}

int fx_cursor_str(struct fx_cursor *c, char *s, size_t max, const char *what)
{
	uint64_t at = c->pos;

	for (size_t i = 0; i < max; i++) {
		if (fx_cursor_get(c, &s[i], 1, what) < 0)
			return -1;
		if (!s[i])
			return 0;
	}
	FAIL(c, at, "the %s is not a terminated string of at most %zu bytes", what, max - 1);
}

int fx_cursor_skip(struct fx_cursor *c, uint64_t len, const char *what)
{
	if (c->pos > c->size || len > c->size - c->pos)
		FAIL(c, c->pos, "the %s (%llu bytes) runs past the end of the file (%llu bytes)",
		     what, (unsigned long long)len, (unsigned long long)c->size);
	c->pos += len;
	return 0;
}

unsigned char *fx_cursor_alloc(struct fx_cursor *c, uint64_t len, const char *what)
{
	unsigned char *p;
	uint64_t at = c->pos;

	if (len > FX_MAX_OPTION) {
		snprintf(c->err, c->n, "offset %llu: the %s is too large (%llu bytes)",
			 (unsigned long long)at, what, (unsigned long long)len);
		return NULL;
	}
	p = malloc(len ? (size_t)len : 1);
	if (!p) {
		snprintf(c->err, c->n, "offset %llu: out of memory", (unsigned long long)at);
		return NULL;
	}
	if (fx_cursor_get(c, p, (size_t)len, what) < 0) {
		free(p);
		return NULL;
	}
	return p;
}
