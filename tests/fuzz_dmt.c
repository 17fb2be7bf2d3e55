/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dmt.c - libFuzzer target for the .dmt reader and writer.
 *
 * Each input is written to a temporary file and opened with trace_open();
 * every event is read and its line re-read with trace_detail().  When the
 * input loads, it is also written back as .dmt, that text is read again and
 * written again, and the two writes must be identical (the reader reads
 * anything the writer writes; write -> read -> write is the identity).
 * Inputs that are not .dmt (the probe declines them) are given the magic
 * line first, so the fuzzer spends its time in the parser.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char in_path[256], out_path[256];

static void make_tmp(char *path, size_t n)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, n, "%s/fuzz-dmt-XXXXXX.dmt", dir && *dir ? dir : "/tmp");
	fd = mkstemps(path, 4);
	if (fd < 0)
		abort();
	close(fd);
}

static void cleanup(void)
{
	unlink(in_path);
	unlink(out_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_tmp(in_path, sizeof(in_path));
	make_tmp(out_path, sizeof(out_path));
	atexit(cleanup);
	return 0;
}

static void put_file(const char *path, const void *a, size_t na, const void *b, size_t nb)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(a, 1, na, f) != na || fwrite(b, 1, nb, f) != nb || fclose(f) != 0)
		abort();
}

/* The trace as .dmt text (malloc'd), or NULL when it has no platform to write. */
static char *write_text(struct trace *t, size_t *len)
{
	struct coh_source src = trace_source(t);
	struct coh_platform p;
	char err[512], *buf = NULL;
	FILE *f;

	if (trace_platform(t, trace_names_platform(t) ? NULL : "x86", &p, err, sizeof(err)) < 0)
		return NULL;
	f = open_memstream(&buf, len);
	if (!f)
		abort();
	if (trace_write_dmt(f, &p, &src, err, sizeof(err)) < 0) {
		fprintf(stderr, "a loaded trace could not be written: %s\n", err);
		abort();
	}
	fclose(f);
	return buf;
}

static void round_trip(struct trace *t)
{
	char err[1024], *one, *two;
	struct trace *t2;
	size_t n1 = 0, n2 = 0;

	one = write_text(t, &n1);
	if (!one)
		return;
	put_file(out_path, one, n1, "", 0);
	if (trace_open(out_path, NULL, &t2, err, sizeof(err)) < 0) {
		fprintf(stderr, "the writer wrote what the reader rejects: %s\n%s", err, one);
		abort();
	}
	two = write_text(t2, &n2);
	if (!two || n1 != n2 || memcmp(one, two, n1) != 0) {
		fprintf(stderr, "write -> read -> write differs:\n%s\n----\n%s", one,
			two ? two : "(none)");
		abort();
	}
	trace_close(t2);
	free(one);
	free(two);
}

static void walk(struct trace *t)
{
	char line[128];

	for (uint64_t i = 0; i < trace_count(t); i++) {
		struct coh_event ev;

		if (trace_get(t, i, &ev) < 0)
			abort();
		if (ev.src != COH_SRC_NONE && i < 64)
			trace_detail(t, ev.src, line, sizeof(line));
	}
	trace_stats(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char magic[] = "dmascope-trace 1\n";
	int has_magic = size >= 14 && memmem(data, size < 4096 ? size : 4096, "dmascope-trace",
					     14) != NULL;
	struct trace *t;
	char err[1024];

	put_file(in_path, has_magic ? "" : magic, has_magic ? 0 : sizeof(magic) - 1, data, size);
	if (trace_open(in_path, NULL, &t, err, sizeof(err)) < 0)
		return 0;
	walk(t);
	round_trip(t);
	trace_close(t);
	return 0;
}
