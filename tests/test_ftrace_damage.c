/* SPDX-License-Identifier: MIT */
/*
 * test_ftrace_damage.c - damaged copies of buggy/trace.dat (version 7, zstd)
 * and of its version-6 form, made in a temporary directory: truncated at
 * many offsets, header and section bytes changed, page headers lying,
 * garbage.  Each must be refused with a message naming the file and a
 * byte offset, without a crash (the suite also runs under ASan + UBSan).
 * Lost-event markers and counters must load, with a warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>

#include "ftrace/ftrace-local.h"
#include "ftrace-test.h"

/*
 * Damaged input makes libtracecmd and libtraceevent ask for absurd amounts
 * of memory (which the real allocator refuses, as ASan's should here) and
 * lose what they parsed on their error paths.  Neither is dmascope's.
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

struct fixture {
	char tmp[64];
	char v7[4200], v6[4200], out[4200];
	unsigned char *b7, *b6;      /* the files' bytes */
	size_t n7, n6;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char src[4096];

	*state = fx;
	if (!fx || tmpdir_make(fx->tmp, sizeof(fx->tmp)) < 0)
		return -1;
	capture_path(src, sizeof(src), "buggy", "trace.dat");
	if (need_file(src) < 0 || !(fx->b7 = (unsigned char *)slurp(src, &fx->n7)))
		return -1;
	snprintf(fx->v6, sizeof(fx->v6), "%s/v6.dat", fx->tmp);
	capture_path(src, sizeof(src), "buggy", "trace-v6.dat.xz");
	if (need_file(src) < 0 || unxz(src, fx->v6) < 0 ||
	    !(fx->b6 = (unsigned char *)slurp(fx->v6, &fx->n6)))
		return -1;
	snprintf(fx->out, sizeof(fx->out), "%s/damaged.dat", fx->tmp);
	return 0;
}

/* Also after a failed set-up: whatever it got to is released. */
static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (!fx)
		return 0;
	free(fx->b7);
	free(fx->b6);
	if (fx->tmp[0])
		tmpdir_remove(fx->tmp);
	free(fx);
	return 0;
}

/* Load @len bytes of @b (written to the scratch file); the result and message. */
static int load(struct fixture *fx, const unsigned char *b, size_t len, char *err, size_t n,
		struct trace **out)
{
	struct trace *t = NULL;
	int ret;

	assert_int_equal(spit(fx->out, b, len), 0);
	ret = trace_open(fx->out, NULL, &t, err, n);
	if (out)
		*out = t;
	else
		trace_close(t);
	return ret;
}

/* Refused, with "PATH: offset N: ..." and N inside the file; the offset. */
static unsigned long long refused(struct fixture *fx, const unsigned char *b, size_t len)
{
	char err[512], want[4300];
	unsigned long long at;
	struct trace *t = (struct trace *)1;

	assert_int_equal(load(fx, b, len, err, sizeof(err), &t), -1);
	assert_null(t);
	snprintf(want, sizeof(want), "%s: offset ", fx->out);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("no offset in: %s", err);
	at = strtoull(err + strlen(want), NULL, 10);
	assert_true(at <= len);
	return at;
}

/* A copy of a file with @k bytes at @off replaced by @with. */
static unsigned char *patched(const unsigned char *b, size_t n, size_t off, const void *with,
			      size_t k)
{
	unsigned char *c = malloc(n);

	assert_non_null(c);
	memcpy(c, b, n);
	assert_true(off + k <= n);
	memcpy(c + off, with, k);
	return c;
}

static void refused_patch(struct fixture *fx, int v6, size_t off, const void *with, size_t k,
			  const char *expect)
{
	const unsigned char *b = v6 ? fx->b6 : fx->b7;
	size_t n = v6 ? fx->n6 : fx->n7;
	unsigned char *c = patched(b, n, off, with, k);
	char err[512];

	refused(fx, c, n);
	assert_int_equal(load(fx, c, n, err, sizeof(err), NULL), -1);
	if (expect && !strstr(err, expect))
		fail_msg("'%s' not in: %s", expect, err);
	free(c);
}

/* ---- truncation ---------------------------------------------------------------------- */

static void truncated_v7(void **state)
{
	struct fixture *fx = *state;
	const size_t cuts[] = { 1, 5, 10, 11, 13, 16, 20, 29, 33, 37, 40, 60, 300, 5000,
				1509100, 1510700, 1511300, 1513000, fx->n7 - 200, fx->n7 - 1 };

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		char err[512];

		if (cuts[i] < 10) {   /* not even a magic: a damaged one from 3 bytes on */
			char want[96];

			assert_int_equal(load(fx, fx->b7, cuts[i], err, sizeof(err), NULL), -1);
			snprintf(want, sizeof(want), "offset %zu: damaged trace.dat: the file "
				 "ends within the magic bytes", cuts[i]);
			assert_non_null(strstr(err, cuts[i] < 3 ? "offset 0: not a trace" : want));
			continue;
		}
		refused(fx, fx->b7, cuts[i]);
	}
}

static void truncated_v6(void **state)
{
	struct fixture *fx = *state;
	const size_t cuts[] = { 12, 18, 25, 100, 250, 400, 3000, 30000, 60000, 4000000,
				fx->n6 - 30000, fx->n6 - 20000, fx->n6 - 4096, fx->n6 - 1 };

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		refused(fx, fx->b6, cuts[i]);
}

static void empty_file(void **state)
{
	struct fixture *fx = *state;
	char err[512];

	assert_int_equal(load(fx, fx->b7, 0, err, sizeof(err), NULL), -1);
	assert_non_null(strstr(err, "offset 0: empty file"));
}

/* ---- header and section bytes ------------------------------------------------------------ */

static void bad_fixed_header(void **state)
{
	struct fixture *fx = *state;
	const uint32_t page = 3000;
	const uint64_t far = UINT64_MAX / 2;

	refused_patch(fx, 0, 10, "9", 1, "version");
	refused_patch(fx, 0, 12, "\x07", 1, "endianness");
	refused_patch(fx, 0, 13, "\x03", 1, "long size");
	refused_patch(fx, 0, 14, &page, 4, "page size");
	refused_patch(fx, 0, 18, "zztd", 4, "compression");
	refused_patch(fx, 0, 29, &far, 8, "options");
	refused_patch(fx, 1, 10, "5", 1, "version");
	refused_patch(fx, 1, 18, "header_pagX", 11, "header_page");
}

/* The v6 CPU count: right before "options  " (or "flyrecord"). */
static size_t cpu_count_at(const struct fixture *fx)
{
	const unsigned char *p = memmem(fx->b6, fx->n6, "options  ", 10);

	if (!p)
		p = memmem(fx->b6, fx->n6, "flyrecord", 10);
	assert_non_null(p);
	return (size_t)(p - fx->b6) - 4;
}

static void bad_sections(void **state)
{
	struct fixture *fx = *state;
	const uint64_t huge = 1ull << 40;
	const uint32_t huge32 = 0xfffffff0u, cpus = 0;
	const uint16_t id = 3;

	/* v7: the first section's size, its id (the options point at it), a block size */
	refused_patch(fx, 0, 0x25 + 8, &huge, 8, "section");
	refused_patch(fx, 0, 0x25, &id, 2, NULL);
	refused_patch(fx, 0, 0x25 + 16, &huge32, 4, "compressed block");
	/* v6: header_event's size; no CPUs */
	refused_patch(fx, 1, 18 + 12 + 8 + 205 + 13, &huge, 8, "header_event");
	refused_patch(fx, 1, cpu_count_at(fx), &cpus, 4, "CPU count");
}

/* Where the first CPU's data is in the version-6 copy. */
static uint64_t v6_cpu0(const struct fixture *fx)
{
	struct fx_layout lay;
	char err[256];
	uint64_t off;
	int fd = open(fx->v6, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fx_check_file(fd, fx->n6, &lay, err, sizeof(err)), 0);
	close(fd);
	assert_true(lay.nranges >= 1);
	off = lay.page_ranges[0];
	fx_layout_free(&lay);
	return off;
}

static void lying_page_header(void **state)
{
	struct fixture *fx = *state;
	uint64_t page = v6_cpu0(fx), commit = 0x7fffff0;
	unsigned char *c = patched(fx->b6, fx->n6, (size_t)page + 8, &commit, 8);
	char err[512];

	assert_int_equal(load(fx, c, fx->n6, err, sizeof(err), NULL), -1);
	if (!strstr(err, "ring-buffer page"))
		fail_msg("%s", err);
	assert_int_equal(refused(fx, c, fx->n6), page + 8);
	free(c);
}

static void bad_printk_line(void **state)
{
	struct fixture *fx = *state;
	const char *at = memmem(fx->b6, fx->n6, "\n0x", 3);   /* a printk formats line */
	unsigned char *c;
	char *colon;

	assert_non_null(at);
	c = patched(fx->b6, fx->n6, 0, "", 0);
	colon = memchr(c + (at - (const char *)fx->b6) + 1, ':', 40);
	assert_non_null(colon);
	*colon = ';';
	refused(fx, c, fx->n6);
	free(c);
}

/* A format losing a field the reader needs: refused, naming the event. */
static void missing_field(void **state)
{
	struct fixture *fx = *state;
	const char *fmt = memmem(fx->b6, fx->n6, "name: dma_sync_single_for_cpu", 29);
	const char *field;
	char err[512];
	unsigned char *c;

	assert_non_null(fmt);
	field = strstr(fmt, "u64 dma_addr;");
	assert_non_null(field);
	c = patched(fx->b6, fx->n6, (size_t)(field - (const char *)fx->b6), "u64 dma_xxxx;", 13);
	assert_int_equal(load(fx, c, fx->n6, err, sizeof(err), NULL), -1);
	assert_non_null(strstr(err, "dma_sync_single_for_cpu"));
	assert_non_null(strstr(err, "dma_addr"));
	assert_non_null(strstr(err, "offset "));
	free(c);
}

static void garbage(void **state)
{
	struct fixture *fx = *state;
	unsigned char *c = malloc(100000);
	uint64_t x = 7;

	assert_non_null(c);
	for (size_t i = 0; i < 100000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		c[i] = (unsigned char)(x >> 56);
	}
	memcpy(c, fx->b7, 10);
	refused(fx, c, 100000);
	memcpy(c, fx->b6, 18);   /* a valid fixed header, then garbage */
	refused(fx, c, 100000);
	free(c);
}

/* Random bytes changed in the headers and sections: refused or loaded, never a crash. */
static void random_damage(void **state)
{
	struct fixture *fx = *state;
	uint64_t x = 2024;
	int runs = sanitized() ? 12 : 40;

	for (int k = 0; k < runs; k++) {
		int v6 = k & 1;
		size_t n = v6 ? fx->n6 : fx->n7;
		unsigned char *c = patched(v6 ? fx->b6 : fx->b7, n, 0, "", 0);
		struct trace *t;
		char err[512];

		for (int j = 0; j < 3; j++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			/* the v6 metadata before kallsyms, or anything of the v7 file */
			c[(x >> 33) % (v6 ? 50000 : n)] ^= (unsigned char)(1 + (x >> 20) % 255);
		}
		if (load(fx, c, n, err, sizeof(err), &t) < 0) {
			assert_non_null(strstr(err, "offset "));
		} else {
			struct coh_event ev;

			for (uint64_t e = 0; e < trace_count(t); e++)
				assert_int_equal(trace_get(t, e, &ev), 0);
			trace_close(t);
		}
		free(c);
	}
}

/*
 * libtracecmd is given a copy of a version-7 file with its kallsyms section
 * emptied (nothing here uses kallsyms; parsing them was a quarter of
 * loading big): a kallsyms section whose compressed data is garbage loads,
 * with the same events.
 */
static uint64_t events_hash(struct trace *t)
{
	uint64_t h = 1469598103934665603ull;

	for (uint64_t e = 0; e < trace_count(t); e++) {
		struct coh_event ev;
		uint64_t f[5];

		assert_int_equal(trace_get(t, e, &ev), 0);
		f[0] = ev.kind;
		f[1] = ev.ts;
		f[2] = ev.addr;
		f[3] = ev.len;
		f[4] = ev.cpu;
		for (int k = 0; k < 5; k++)
			h = (h ^ f[k]) * 1099511628211ull;
	}
	return h;
}

static void kallsyms_not_read(void **state)
{
	struct fixture *fx = *state;
	struct fx_layout lay;
	struct trace *a, *b;
	uint64_t ha, na;
	unsigned char *c;
	char err[512];
	int fd;

	assert_int_equal(spit(fx->out, fx->b7, fx->n7), 0);
	fd = open(fx->out, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fx_check_file(fd, fx->n7, &lay, err, sizeof(err)), 0);
	close(fd);
	fx_layout_free(&lay);
	assert_true(lay.ksec_size > 16);
	c = patched(fx->b7, fx->n7, 0, "", 0);
	/* the compressed data, after its block's sizes (which the layout checks) */
	memset(c + lay.ksec_off + 16 + 8, 0xa5, lay.ksec_size - 8);
	assert_int_equal(load(fx, fx->b7, fx->n7, err, sizeof(err), &a), 0);
	ha = events_hash(a);
	na = trace_count(a);
	trace_close(a);
	if (load(fx, c, fx->n7, err, sizeof(err), &b) < 0)
		fail_msg("kallsyms of garbage refused: %s", err);
	assert_true(na > 0);
	assert_int_equal(trace_count(b), na);
	assert_int_equal(events_hash(b), ha);
	trace_close(b);
	free(c);
}

/* ---- timestamps out of order ----------------------------------------------------------- */

/*
 * A CPU whose second page starts 2 ms before its first: the CPUs can no
 * longer be merged by counting, and the reader merges them one event at a
 * time as trace-cmd does.  Its order must still be `trace-cmd report`'s.
 */
static void out_of_order(void **state)
{
	struct fixture *fx = *state;
	uint64_t page = v6_cpu0(fx), ts;
	struct report rep;
	struct coh_event ev;
	struct trace *t;
	unsigned char *c;
	char err[512];
	uint64_t back = 0, prev = 0;

	memcpy(&ts, fx->b6 + page, 8);
	ts -= 2000000;
	c = patched(fx->b6, fx->n6, (size_t)(page + 4096), &ts, 8);
	assert_int_equal(load(fx, c, fx->n6, err, sizeof(err), &t), 0);
	assert_int_equal(report_run(fx->out, fx->tmp, &rep), 0);
	assert_int_equal(rep.n, trace_stats(t)->events);
	assert_true(trace_count(t) > 200);
	for (uint64_t e = 0; e < trace_count(t); e++) {
		assert_int_equal(trace_get(t, e, &ev), 0);
		assert_true(ev.src < rep.n);
		assert_int_equal((ev.ts + 500) / 1000, rep.lines[ev.src].us);
		assert_int_equal(ev.cpu, rep.lines[ev.src].cpu);
		assert_int_equal(trace_find_src(t, ev.src), e);
		back += ev.ts < prev;
		prev = ev.ts;
	}
	assert_true(back > 0);   /* time does go backwards: the serial merge was used */
	report_free(&rep);
	trace_close(t);
	free(c);
}

/* ---- lost events ---------------------------------------------------------------------- */

static int has_warning(const struct trace *t, const char *part)
{
	for (size_t i = 0; i < trace_nwarnings(t); i++)
		if (strstr(trace_warning(t, i), part))
			return 1;
	return 0;
}

static void lost_events(void **state)
{
	struct fixture *fx = *state;
	uint64_t page = v6_cpu0(fx), flags;
	const char *stat = memmem(fx->b6, fx->n6, "overrun: 0", 10);
	unsigned char *c;
	struct trace *t;
	char err[512];

	/* a page flagged "events were lost before this one", count not stored */
	memcpy(&flags, fx->b6 + page + 8, 8);
	flags |= 1ull << 31;
	c = patched(fx->b6, fx->n6, (size_t)page + 8, &flags, 8);
	assert_int_equal(load(fx, c, fx->n6, err, sizeof(err), &t), 0);
	assert_true(has_warning(t, "events lost"));
	trace_close(t);
	free(c);
	/* the kernel's own counters, saved in the file */
	assert_non_null(stat);
	c = patched(fx->b6, fx->n6, (size_t)(stat - (const char *)fx->b6), "overrun: 7", 10);
	assert_int_equal(load(fx, c, fx->n6, err, sizeof(err), &t), 0);
	assert_int_equal(trace_stats(t)->lost, 7);
	assert_true(has_warning(t, "count 7 lost events"));
	trace_close(t);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncated_v7),
		cmocka_unit_test(truncated_v6),
		cmocka_unit_test(empty_file),
		cmocka_unit_test(bad_fixed_header),
		cmocka_unit_test(bad_sections),
		cmocka_unit_test(lying_page_header),
		cmocka_unit_test(bad_printk_line),
		cmocka_unit_test(missing_field),
		cmocka_unit_test(garbage),
		cmocka_unit_test(random_damage),
		cmocka_unit_test(kallsyms_not_read),
		cmocka_unit_test(out_of_order),
		cmocka_unit_test(lost_events),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
