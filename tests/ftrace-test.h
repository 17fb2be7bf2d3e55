/* SPDX-License-Identifier: MIT */
/*
 * ftrace-test.h - helpers the trace.dat reader's tests share: where the
 * captures are, decompressing them, and reading `trace-cmd report` text.
 */
#ifndef FTRACE_TEST_H
#define FTRACE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The captures kept in the repository: $CAPTURES/<name>/... (make sets
 * CAPTURES to tests/data/captures; run by hand from the top directory, the
 * relative default finds the same place). */
static inline const char *captures_dir(void)
{
	const char *s = getenv("CAPTURES");

	return s && *s ? s : "tests/data/captures";
}

static inline void capture_path(char *buf, size_t n, const char *cap, const char *file)
{
	snprintf(buf, n, "%s/%s/%s", captures_dir(), cap, file);
}

static inline int file_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* An input a test cannot run without: 0 when it is there, else one line
 * naming the missing file on stderr and -1 (so a set-up fails cleanly). */
static inline int need_file(const char *path)
{
	if (file_exists(path))
		return 0;
	fprintf(stderr, "missing test input: %s\n", path);
	return -1;
}

/* Run under the sanitizers (make test's second pass): skip the slowest cases. */
static inline int sanitized(void)
{
	const char *s = getenv("SAN");

	return s && strcmp(s, "1") == 0;
}

/* A temporary directory, removed (with its files) by tmpdir_remove(). */
static inline int tmpdir_make(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/dmascope-ftrace-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static inline void tmpdir_remove(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* xz -dc SRC > DST */
static inline int unxz(const char *src, const char *dst)
{
	char cmd[8500];

	snprintf(cmd, sizeof(cmd), "xz -dc '%s' > '%s'", src, dst);
	return system(cmd) == 0 ? 0 : -1;
}

/* A whole file into memory (NUL-terminated). */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1)) && fread(buf, 1, (size_t)size, f) == (size_t)size) {
		buf[size] = '\0';
		if (len)
			*len = (size_t)size;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static inline int spit(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(p, 1, len, f) == len;

	if (f && fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* One line of `trace-cmd report`: "comm-pid [CPU] secs.usecs: name: body". */
struct rline {
	int cpu;
	unsigned long long us;       /* timestamp in microseconds */
	char name[64];
	const char *body;            /* after the name's padding, into the report text */
};

static inline int parse_rline(char *line, struct rline *r)
{
	char *b = line, *p, *q;
	unsigned long long s, us;

	for (;;) {   /* "[001] ": the CPU column */
		b = strstr(b, "] ");
		if (!b)
			return -1;
		for (p = b; p > line && p[-1] >= '0' && p[-1] <= '9'; p--)
			;
		if (p < b && p > line && p[-1] == '[')
			break;
		b++;
	}
	r->cpu = atoi(p);
	if (sscanf(b + 2, " %llu.%llu:", &s, &us) != 2)
		return -1;
	r->us = s * 1000000ull + us;
	p = strchr(b + 2, ':');
	if (!p)
		return -1;
	p++;
	while (*p == ' ')
		p++;
	q = strchr(p, ':');
	if (!q || (size_t)(q - p) >= sizeof(r->name))
		return -1;
	memcpy(r->name, p, (size_t)(q - p));
	r->name[q - p] = '\0';
	for (q++; *q == ' '; q++)
		;
	r->body = q;
	return 0;
}

/* A capture's report, decompressed and split into lines (after the "cpus=N" line). */
struct report {
	char *text;
	struct rline *lines;
	size_t n;
};

static inline int report_parse(struct report *rep)
{
	size_t cap_lines = 0;
	char *save = NULL, *line;

	for (line = strtok_r(rep->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct rline r;

		if (strncmp(line, "cpus=", 5) == 0 || parse_rline(line, &r) < 0)
			continue;
		if (rep->n == cap_lines) {
			cap_lines = cap_lines ? 2 * cap_lines : 1024;
			rep->lines = realloc(rep->lines, cap_lines * sizeof(*rep->lines));
			if (!rep->lines)
				return -1;
		}
		rep->lines[rep->n++] = r;
	}
	return 0;
}

static inline int report_load(const char *cap, const char *tmp, struct report *rep)
{
	char src[4096], dst[4200];

	memset(rep, 0, sizeof(*rep));
	capture_path(src, sizeof(src), cap, "report.txt.xz");
	snprintf(dst, sizeof(dst), "%s/%s-report.txt", tmp, cap);
	if (need_file(src) < 0 || unxz(src, dst) < 0 || !(rep->text = slurp(dst, NULL)))
		return -1;
	return report_parse(rep);
}

/* `trace-cmd report FILE` of any file, parsed. */
static inline int report_run(const char *file, const char *tmp, struct report *rep)
{
	char cmd[8600], dst[4200];

	memset(rep, 0, sizeof(*rep));
	snprintf(dst, sizeof(dst), "%s/run-report.txt", tmp);
	snprintf(cmd, sizeof(cmd), "trace-cmd report '%s' > '%s' 2>/dev/null", file, dst);
	if (system(cmd) != 0 || !(rep->text = slurp(dst, NULL)))
		return -1;
	return report_parse(rep);
}

static inline void report_free(struct report *rep)
{
	free(rep->text);
	free(rep->lines);
	memset(rep, 0, sizeof(*rep));
}

/* "key=value" in a report body: the value's start, or NULL. */
static inline const char *body_key(const char *body, const char *key)
{
	size_t kl = strlen(key);
	const char *p = body;

	while ((p = strstr(p, key))) {
		if ((p == body || p[-1] == ' ') && p[kl] == '=')
			return p + kl + 1;
		p += kl;
	}
	return NULL;
}

/* "ARRAY[aa, bb, ...]" of little-endian bytes -> @n values of @elem bytes. */
static inline size_t body_array(const char *body, const char *key, int elem, uint64_t *out,
				size_t max)
{
	const char *p = body_key(body, key);
	unsigned char bytes[4096];
	size_t nb = 0, n = 0;

	if (!p || strncmp(p, "ARRAY[", 6) != 0)
		return 0;
	for (p += 6; *p && *p != ']' && nb < sizeof(bytes);) {
		bytes[nb++] = (unsigned char)strtoul(p, (char **)&p, 16);
		while (*p == ',' || *p == ' ')
			p++;
	}
	for (size_t i = 0; i + (size_t)elem <= nb && n < max; i += (size_t)elem, n++) {
		out[n] = 0;
		for (int k = 0; k < elem; k++)
			out[n] |= (uint64_t)bytes[i + (size_t)k] << (8 * k);
	}
	return n;
}

#endif
