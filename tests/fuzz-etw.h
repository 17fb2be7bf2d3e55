/* SPDX-License-Identifier: MIT */
/*
 * fuzz-etw.h - the libFuzzer target both ETW readers share: the input goes to
 * a file, which is opened (format by content), read event by event,
 * described, re-read through trace_detail, and closed.  Included by
 * fuzz_etw_csv.c and fuzz_etw_xml.c after defining FUZZ_ETW_NAME.
 */
#ifndef FUZZ_ETW_H
#define FUZZ_ETW_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

static const char *input_file(const uint8_t *data, size_t size)
{
	FILE *f;
	int fd;

	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/fuzz_" FUZZ_ETW_NAME ".XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		atexit(cleanup);
	}
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	return path;
}

static void walk(struct trace *t)
{
	char line[512], detail[2048];
	struct coh_event ev;
	uint64_t n = trace_count(t);

	for (uint64_t i = 0; i < n; i++) {
		if (trace_get(t, i, &ev) < 0)
			abort();
		coh_event_describe(&ev, NULL, line, sizeof(line));
		if (i < 4 || i == n - 1)
			trace_detail(t, ev.src, detail, sizeof(detail));
	}
	trace_detail(t, trace_stats(t)->events, detail, sizeof(detail));
	for (size_t i = 0; i < trace_nwarnings(t); i++)
		if (!trace_warning(t, i))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_opts o = { .device = (size & 1) ? "nic0" : NULL, .infer = (int)(size % 3) };
	struct trace *t = NULL;
	char err[512];

	if (trace_open(input_file(data, size), &o, &t, err, sizeof(err)) == 0) {
		walk(t);
		trace_close(t);
	} else if (t || strncmp(err, path, strlen(path)) != 0) {
		abort();             /* every refusal names the file */
	}
	return 0;
}

#endif
