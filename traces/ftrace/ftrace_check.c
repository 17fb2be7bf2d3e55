/* SPDX-License-Identifier: MIT */
/*
 * ftrace_check.c - look at a trace.dat's layout before libtracecmd does.
 *
 * libtracecmd reports a bad file as a NULL handle, and it trusts some of
 * what it reads: option payloads, section sizes, a ring-buffer page's
 * commit size.  So the reader walks the layout first: the fixed header,
 * the sections (version 6: one after the other; version 7: a sequence of
 * section headers that must tile the file, plus the chain of option
 * sections), the options, the per-CPU data ranges, the chunk tables of
 * compressed data and, in uncompressed data, every page header.  Each
 * inconsistency is reported with the byte offset where it was found.
 * Only positions, sizes and option payloads are checked here; event
 * formats and the contents of compressed data are left to the library.
 * ftrace_options.c checks the options, ftrace_check_data.c the CPU data.
 */
#include <stdlib.h>
#include <string.h>

#include "ftrace-check.h"

static const unsigned char fx_magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

/* magic, version, endianness, long size, page size */
static int check_fixed(struct fx_cursor *c, struct fx_layout *lay)
{
	unsigned char b[10];
	char ver[16];
	uint64_t x;

	if (fx_cursor_get(c, b, sizeof(b), "magic") < 0)
		return -1;
	if (memcmp(b, fx_magic, sizeof(fx_magic)) != 0)
		FAIL(c, 0, "bad magic: not a trace-cmd trace.dat");
	if (fx_cursor_str(c, ver, sizeof(ver), "version string") < 0)
		return -1;
	if (strcmp(ver, "6") != 0 && strcmp(ver, "7") != 0)
		FAIL(c, 10, "trace.dat version '%.8s' is not supported (6 and 7 are)", ver);
	lay->version = ver[0] - '0';
	if (fx_cursor_get(c, b, 2, "endianness and long size") < 0)
		return -1;
	if (b[0] > 1)
		FAIL(c, c->pos - 2, "bad endianness byte %u", b[0]);
	if (b[1] != 4 && b[1] != 8)
		FAIL(c, c->pos - 1, "bad long size %u (4 or 8)", b[1]);
	c->big = b[0];
	c->long_size = b[1];
	if (fx_cursor_num(c, 4, &x, "page size") < 0)
		return -1;
	if (x < 1024 || x > FX_MAX_PAGE || (x & (x - 1)))
		FAIL(c, c->pos - 4, "bad page size %llu", (unsigned long long)x);
	c->page_size = (uint32_t)x;
	lay->page_size = c->page_size;
	return 0;
}

/* ---- version 6 ----------------------------------------------------------------------- */

/* "name\0" + size (u64 or u32) + that many bytes */
static int v6_sized(struct fx_cursor *c, const char *tag, int nsize, const char *what)
{
	char b[16];
	uint64_t len;

	if (tag) {
		size_t tl = strlen(tag) + 1;

		if (fx_cursor_get(c, b, tl, what) < 0)
			return -1;
		if (memcmp(b, tag, tl) != 0)
			FAIL(c, c->pos - tl, "expected \"%s\" here", tag);
	}
	if (fx_cursor_num(c, nsize, &len, what) < 0)
		return -1;
	return fx_cursor_skip(c, len, what);
}

/* count (u32), then count (u64 size + bytes) */
static int v6_formats(struct fx_cursor *c, const char *what)
{
	uint64_t count;

	if (fx_cursor_num(c, 4, &count, what) < 0)
		return -1;
	for (uint64_t i = 0; i < count; i++)
		if (v6_sized(c, NULL, 8, what) < 0)
			return -1;
	return 0;
}

static int v6_systems(struct fx_cursor *c)
{
	uint64_t systems;
	char name[256];

	if (fx_cursor_num(c, 4, &systems, "event systems") < 0)
		return -1;
	for (uint64_t i = 0; i < systems; i++)
		if (fx_cursor_str(c, name, sizeof(name), "event system name") < 0 ||
		    v6_formats(c, "event formats") < 0)
			return -1;
	return 0;
}

/* "options  \0" (optional), then "flyrecord\0" and the CPU data table */
static int v6_tail(struct fx_cursor *c, struct fx_layout *lay, uint64_t cpus)
{
	struct fx_cpu_range *r;
	char tag[10];
	int ret = -1;

	if (fx_cursor_get(c, tag, 10, "options or flyrecord tag") < 0)
		return -1;
	if (memcmp(tag, "options  ", 10) == 0) {
		if (fx_check_options_v6(c, lay, &cpus) < 0)
			return -1;
		if (fx_cursor_get(c, tag, 10, "flyrecord tag") < 0)
			return -1;
	}
	if (memcmp(tag, "latency  ", 10) == 0)
		FAIL(c, c->pos - 10, "a latency-tracer trace.dat: dmascope reads flyrecord (event) "
		     "traces only");
	if (memcmp(tag, "flyrecord", 10) != 0)
		FAIL(c, c->pos - 10, "expected \"flyrecord\" here");
	lay->cpus = (int)cpus;
	lay->head_end = c->pos + 16 * cpus;
	r = calloc((size_t)cpus, sizeof(*r));
	if (!r)
		FAIL(c, c->pos, "out of memory");
	for (uint64_t i = 0; i < cpus; i++) {
		r[i].at = c->pos;
		if (fx_cursor_num(c, 8, &r[i].off, "CPU data table") < 0 ||
		    fx_cursor_num(c, 8, &r[i].size, "CPU data table") < 0)
			goto out;
	}
	ret = fx_check_cpu_data(c, r, (int)cpus, 0);
out:
	free(r);
	return ret;
}

/*
 * printk formats: "address : format" lines.  libtraceevent 1.7.1 reads one
 * byte past a line that has no ':' (or nothing after it).
 */
static int v6_printk(struct fx_cursor *c)
{
	uint64_t len, at;
	char *text;
	int ret = 0;

	if (fx_cursor_num(c, 4, &len, "printk formats") < 0)
		return -1;
	at = c->pos;
	if (!(text = (char *)fx_cursor_alloc(c, len, "printk formats")))
		return -1;
	for (uint64_t i = 0; i < len && ret == 0;) {
		char *nl = memchr(text + i, '\n', (size_t)(len - i));
		uint64_t end = nl ? (uint64_t)(nl - text) : len;
		char *colon = memchr(text + i, ':', (size_t)(end - i));

		if (memchr(text + i, '\0', (size_t)(end - i)) ||
		    (end > i && (!colon || (uint64_t)(colon - text) + 1 >= end))) {
			snprintf(c->err, c->n, "offset %llu: printk format line without "
				 "\"address : format\"", (unsigned long long)(at + i));
			ret = -1;
		}
		i = end + 1;
	}
	free(text);
	return ret;
}

static int check_v6(struct fx_cursor *c, struct fx_layout *lay)
{
	uint64_t cpus;

	c->meta_off = c->pos;
	if (v6_sized(c, "header_page", 8, "header_page") < 0 ||
	    v6_sized(c, "header_event", 8, "header_event") < 0 ||
	    v6_formats(c, "ftrace event formats") < 0 || v6_systems(c) < 0)
		return -1;
	lay->kallsyms_off = c->pos;
	if (v6_sized(c, NULL, 4, "kallsyms") < 0)
		return -1;
	lay->kallsyms_len = c->pos - lay->kallsyms_off;
	if (v6_printk(c) < 0 ||
	    v6_sized(c, NULL, 8, "saved command lines") < 0 ||
	    fx_cursor_num(c, 4, &cpus, "CPU count") < 0)
		return -1;
	if (cpus == 0 || cpus > FX_MAX_CPUS)
		FAIL(c, c->pos - 4, "bad CPU count %llu", (unsigned long long)cpus);
	return v6_tail(c, lay, cpus);
}

int fx_check_file(int fd, uint64_t size, struct fx_layout *lay, char *err, size_t n)
{
	struct fx_cursor c = { .fd = fd, .size = size, .err = err, .n = n };

	int ret;

	memset(lay, 0, sizeof(*lay));
	if (check_fixed(&c, lay) < 0)
		return -1;
	ret = lay->version == 6 ? check_v6(&c, lay) : fx_check_v7(&c, lay);
	lay->file_size = size;
	lay->data_bytes = c.data_bytes;
	lay->page_ranges = c.ranges;
	lay->nranges = c.nranges;
	lay->chunks = c.chunks;
	lay->nchunked = c.nchunked;
	lay->data_off = c.data_off;
	lay->meta_off = c.meta_off;
	lay->long_size = c.long_size;
	lay->big = c.big;
	return ret;
}
