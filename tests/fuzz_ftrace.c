/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ftrace.c - libFuzzer target for the trace.dat reader.
 *
 * Each input is written to a scratch file (libtracecmd reads files, not
 * buffers), opened with trace_open(), and when it loads, every event is
 * fetched and a few records are re-read for their detail text.  Seeded by
 * `make fuzz` with buggy/trace.dat and its version-6 form
 * (scripts/fuzz-seeds.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Damaged input makes libtracecmd and libtraceevent ask for absurd amounts
 * of memory (which the real allocator refuses, as ASan's should here) and
 * lose what they parsed on their error paths; neither is the reader's.
 */
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libtracecmd.so\nleak:libtraceevent.so\nleak:__vfscanf_internal\n";
}

static const char *scratch(void)
{
	static char path[64];

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz_ftrace-%ld.dat", (long)getpid());
	return path;
}

static void use(struct trace *t)
{
	struct coh_event ev;
	char buf[1024];
	uint64_t n = trace_count(t);

	for (uint64_t i = 0; i < n; i++)
		trace_get(t, i, &ev);
	for (uint64_t s = 0; s < trace_stats(t)->events && s < 8; s++)
		trace_detail(t, s, buf, sizeof(buf));
	if (n)
		trace_find_src(t, n / 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(scratch(), "wb");
	struct trace *t;
	char err[512];

	if (!f)
		return 0;
	if (fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	if (trace_open(scratch(), NULL, &t, err, sizeof(err)) == 0) {
		use(t);
		trace_close(t);
	} else if (t || strncmp(err, scratch(), strlen(scratch())) != 0) {
		abort();             /* every refusal names the file */
	}
	return 0;
}
