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
 * ftrace_options.c checks the options.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ftrace-check.h"

static const unsigned char fx_magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

/* magic, version, endianness, long size, page size */
static int check_fixed(struct cur *c, struct fx_layout *lay)
{
	unsigned char b[10];
	char ver[16];
	uint64_t x;

	if (cur_get(c, b, sizeof(b), "magic") < 0)
		return -1;
	if (memcmp(b, fx_magic, sizeof(fx_magic)) != 0)
		FAIL(c, 0, "bad magic: not a trace-cmd trace.dat");
	if (cur_str(c, ver, sizeof(ver), "version string") < 0)
		return -1;
	if (strcmp(ver, "6") != 0 && strcmp(ver, "7") != 0)
		FAIL(c, 10, "trace.dat version '%.8s' is not supported (6 and 7 are)", ver);
	lay->version = ver[0] - '0';
	if (cur_get(c, b, 2, "endianness and long size") < 0)
		return -1;
	if (b[0] > 1)
		FAIL(c, c->pos - 2, "bad endianness byte %u", b[0]);
	if (b[1] != 4 && b[1] != 8)
		FAIL(c, c->pos - 1, "bad long size %u (4 or 8)", b[1]);
	c->big = b[0];
	c->long_size = b[1];
	if (cur_num(c, 4, &x, "page size") < 0)
		return -1;
	if (x < 1024 || x > FX_MAX_PAGE || (x & (x - 1)))
		FAIL(c, c->pos - 4, "bad page size %llu", (unsigned long long)x);
	c->page_size = (uint32_t)x;
	lay->page_size = c->page_size;
	return 0;
}

/* ---- CPU data -------------------------------------------------------------------- */

/*
 * Ring-buffer pages: each starts with a timestamp and a long whose low 27
 * bits are the bytes of events in the page (commit); libtraceevent's
 * kbuffer reads that many bytes without checking them against the page.
 */
static int check_page(struct cur *c, const unsigned char *page, uint64_t at, uint64_t avail)
{
	unsigned hdr = 8 + (unsigned)c->long_size;
	uint64_t flags, commit;

	if (avail < hdr)
		FAIL(c, at, "a ring-buffer page is cut short (%llu bytes)",
		     (unsigned long long)avail);
	flags = cur_host(c, page + 8, c->long_size);
	commit = flags & ((1u << 27) - 1);
	if ((flags & (1ull << 30)) && (flags & (1ull << 31)))
		commit += (unsigned)c->long_size;   /* the lost-event count stored after the data */
	if (commit > c->page_size - hdr || commit > avail - hdr)
		FAIL(c, at + 8, "ring-buffer page claims %llu bytes of events (at most %u fit)",
		     (unsigned long long)(flags & ((1u << 27) - 1)), c->page_size - hdr);
	return 0;
}

int fx_check_page(const struct fx_layout *lay, const unsigned char *page, uint64_t at,
		  uint64_t avail, char *err, size_t n)
{
	struct cur c = { .page_size = lay->page_size, .long_size = lay->long_size,
			 .big = lay->big, .err = err, .n = n };

	return check_page(&c, page, at, avail);
}

/* Uncompressed CPU data: every page header of [off, off + size). */
static int check_pages(struct cur *c, uint64_t off, uint64_t size)
{
	unsigned char *map;
	int ret = 0;

	if (!size)
		return 0;
	map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, c->fd, (off_t)off);
	if (map == MAP_FAILED)
		FAIL(c, off, "cannot map the CPU data (%llu bytes)", (unsigned long long)size);
	for (uint64_t p = 0; p < size && ret == 0; p += c->page_size)
		ret = check_page(c, map + p, off + p, size - p);
	munmap(map, (size_t)size);
	return ret;
}

/*
 * Compressed CPU data: a chunk count, then (compressed size, size, bytes)
 * per chunk.  libtracecmd numbers the CPUs' uncompressed bytes one after
 * the other from one page in, each CPU starting on a page.
 */
static int check_chunks(struct cur *c, struct fx_chunks *ck, uint64_t off, uint64_t size,
			uint64_t *vnext)
{
	uint64_t count, zs, us, end;

	if (!size)
		return 0;
	c->pos = off;
	if (cur_num(c, 4, &count, "chunk count") < 0)
		return -1;
	end = off + 4 + size;
	if (count > size / 8)
		FAIL(c, off, "%llu chunks cannot fit in %llu bytes", (unsigned long long)count,
		     (unsigned long long)size);
	ck->zoff = malloc((count ? count : 1) * sizeof(*ck->zoff));
	ck->uend = malloc((count ? count : 1) * sizeof(*ck->uend));
	if (!ck->zoff || !ck->uend)
		FAIL(c, off, "out of memory");
	for (uint64_t i = 0; i < count; i++) {
		uint64_t at = c->pos;

		if (cur_num(c, 4, &zs, "chunk header") < 0 || cur_num(c, 4, &us, "chunk header") < 0)
			return -1;
		if (us == 0 || us % c->page_size || us > FX_MAX_CHUNK)
			FAIL(c, at + 4, "chunk of %llu bytes is not a whole number of pages",
			     (unsigned long long)us);
		if (zs > end - c->pos)
			FAIL(c, at, "compressed chunk of %llu bytes runs past its CPU's data",
			     (unsigned long long)zs);
		c->pos += zs;
		ck->zoff[i] = at;
		ck->total += us;
		ck->uend[i] = ck->total;
		ck->n++;
	}
	c->data_bytes += ck->total;
	ck->vbase = *vnext;
	*vnext += (ck->total + c->page_size - 1) / c->page_size * c->page_size;
	return 0;
}

/*
 * Uncompressed data: where it is, for fx_check_pages().  Its first page is
 * checked now: opening the file makes libtracecmd read it.
 */
static int keep_range(struct cur *c, const struct fx_cpu_range *r, int n)
{
	unsigned char hdr[16];

	c->ranges = calloc((size_t)n + 1, 2 * sizeof(*c->ranges));
	if (!c->ranges)
		FAIL(c, 0, "out of memory");
	for (int i = 0; i < n; i++) {
		if (r[i].size && r[i].off % c->page_size)
			FAIL(c, r[i].at, "CPU %d data does not start on a page boundary", i);
		c->pos = r[i].off;
		if (r[i].size && (cur_get(c, hdr, r[i].size < 16 ? (size_t)r[i].size : 16,
					  "ring-buffer page") < 0 ||
				  check_page(c, hdr, r[i].off, r[i].size) < 0))
			return -1;
		c->ranges[2 * i] = r[i].off;
		c->ranges[2 * i + 1] = r[i].size;
		c->data_bytes += r[i].size;
	}
	c->nranges = n;
	return 0;
}

int fx_check_cpu_data(struct cur *c, const struct fx_cpu_range *r, int n, int compressed)
{
	uint64_t vnext = c->page_size;

	for (int i = n - 1; i >= 0; i--)
		if (r[i].size)
			c->data_off = r[i].off;

	if (compressed && !(c->chunks = calloc((size_t)n + 1, sizeof(*c->chunks))))
		FAIL(c, 0, "out of memory");
	c->nchunked = compressed ? n : 0;
	for (int i = 0; i < n; i++) {
		uint64_t extra = compressed ? 4 : 0;

		if (r[i].off > c->size || r[i].size + extra > c->size - r[i].off)
			FAIL(c, r[i].at, "CPU %d data (%llu bytes at offset %llu) runs past the end "
			     "of the file (%llu bytes)", i, (unsigned long long)r[i].size,
			     (unsigned long long)r[i].off, (unsigned long long)c->size);
		if (compressed && check_chunks(c, &c->chunks[i], r[i].off, r[i].size, &vnext) < 0)
			return -1;
	}
	return compressed ? 0 : keep_range(c, r, n);
}

int fx_check_read(const struct fx_layout *lay, int cpu_index, int any, uint64_t last,
		  char *err, size_t n)
{
	const struct fx_chunks *ck;
	uint64_t done = 0;
	uint32_t k = 0;

	if (cpu_index >= lay->nchunked || !(ck = &lay->chunks[cpu_index])->n)
		return 0;
	if (any && last >= ck->vbase)
		done = (last - ck->vbase) / lay->page_size * lay->page_size + lay->page_size;
	while (k < ck->n && ck->uend[k] <= done)
		k++;
	/* empty pages at the end are no damage; a whole chunk left unread is */
	if (k + 1 >= ck->n && any)
		return 0;
	snprintf(err, n, "offset %llu: CPU %d: libtracecmd could not decompress its data from "
		 "here on (%llu of %llu bytes read)", (unsigned long long)ck->zoff[k], cpu_index,
		 (unsigned long long)done, (unsigned long long)ck->total);
	return -1;
}

void fx_layout_free(struct fx_layout *lay)
{
	for (int i = 0; lay->chunks && i < lay->nchunked; i++) {
		free(lay->chunks[i].zoff);
		free(lay->chunks[i].uend);
	}
	free(lay->chunks);
	free(lay->page_ranges);
	lay->chunks = NULL;
	lay->page_ranges = NULL;
}

int fx_check_pages(const char *path, const struct fx_layout *lay, int cpu_index, char *err,
		   size_t n)
{
	struct cur c = { .page_size = lay->page_size, .long_size = lay->long_size,
			 .big = lay->big, .err = err, .n = n };
	int ret;

	if (cpu_index >= lay->nranges)
		return 0;
	c.fd = open(path, O_RDONLY);
	if (c.fd < 0)
		FAIL(&c, 0, "cannot open: %s", strerror(errno));
	ret = check_pages(&c, lay->page_ranges[2 * cpu_index], lay->page_ranges[2 * cpu_index + 1]);
	close(c.fd);
	return ret;
}

/* ---- version 6 ----------------------------------------------------------------------- */

/* "name\0" + size (u64 or u32) + that many bytes */
static int v6_sized(struct cur *c, const char *tag, int nsize, const char *what)
{
	char b[16];
	uint64_t len;

	if (tag) {
		size_t tl = strlen(tag) + 1;

		if (cur_get(c, b, tl, what) < 0)
			return -1;
		if (memcmp(b, tag, tl) != 0)
			FAIL(c, c->pos - tl, "expected \"%s\" here", tag);
	}
	if (cur_num(c, nsize, &len, what) < 0)
		return -1;
	return cur_skip(c, len, what);
}

/* count (u32), then count (u64 size + bytes) */
static int v6_formats(struct cur *c, const char *what)
{
	uint64_t count;

	if (cur_num(c, 4, &count, what) < 0)
		return -1;
	for (uint64_t i = 0; i < count; i++)
		if (v6_sized(c, NULL, 8, what) < 0)
			return -1;
	return 0;
}

static int v6_systems(struct cur *c)
{
	uint64_t systems;
	char name[256];

	if (cur_num(c, 4, &systems, "event systems") < 0)
		return -1;
	for (uint64_t i = 0; i < systems; i++)
		if (cur_str(c, name, sizeof(name), "event system name") < 0 ||
		    v6_formats(c, "event formats") < 0)
			return -1;
	return 0;
}

/* "options  \0" (optional), then "flyrecord\0" and the CPU data table */
static int v6_tail(struct cur *c, struct fx_layout *lay, uint64_t cpus)
{
	struct fx_cpu_range *r;
	char tag[10];
	int ret = -1;

	if (cur_get(c, tag, 10, "options or flyrecord tag") < 0)
		return -1;
	if (memcmp(tag, "options  ", 10) == 0) {
		if (fx_check_options_v6(c, lay, &cpus) < 0)
			return -1;
		if (cur_get(c, tag, 10, "flyrecord tag") < 0)
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
		if (cur_num(c, 8, &r[i].off, "CPU data table") < 0 ||
		    cur_num(c, 8, &r[i].size, "CPU data table") < 0)
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
static int v6_printk(struct cur *c)
{
	uint64_t len, at;
	char *text;
	int ret = 0;

	if (cur_num(c, 4, &len, "printk formats") < 0)
		return -1;
	at = c->pos;
	if (!(text = (char *)cur_alloc(c, len, "printk formats")))
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

static int check_v6(struct cur *c, struct fx_layout *lay)
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
	    cur_num(c, 4, &cpus, "CPU count") < 0)
		return -1;
	if (cpus == 0 || cpus > FX_MAX_CPUS)
		FAIL(c, c->pos - 4, "bad CPU count %llu", (unsigned long long)cpus);
	return v6_tail(c, lay, cpus);
}

int fx_check_file(int fd, uint64_t size, struct fx_layout *lay, char *err, size_t n)
{
	struct cur c = { .fd = fd, .size = size, .err = err, .n = n };

	int ret;

	memset(lay, 0, sizeof(*lay));
	if (check_fixed(&c, lay) < 0)
		return -1;
	ret = lay->version == 6 ? check_v6(&c, lay) : fx_check_v7(&c, lay);
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
