/* SPDX-License-Identifier: MIT */
/*
 * ftrace_check_data.c - the CPU data of a trace.dat, checked before
 * libtracecmd reads it: the ranges the CPU table or buffer options name,
 * the chunk tables of compressed data and, in uncompressed data, every
 * ring-buffer page header.  Below the layout walks of both versions
 * (ftrace_check.c, ftrace_check_v7.c), which call it once they know the
 * ranges; the reading threads call it again per CPU.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ftrace-check.h"

/*
 * Ring-buffer pages: each starts with a timestamp and a long whose low 27
 * bits are the bytes of events in the page (commit); libtraceevent's
 * kbuffer reads that many bytes without checking them against the page.
 */
static int check_page(struct fx_cursor *c, const unsigned char *page, uint64_t at, uint64_t avail)
{
	unsigned hdr = 8 + (unsigned)c->long_size;
	uint64_t flags, commit;

	if (avail < hdr)
		FAIL(c, at, "a ring-buffer page is cut short (%llu bytes)",
		     (unsigned long long)avail);
	flags = fx_cursor_host(c, page + 8, c->long_size);
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
	struct fx_cursor c = { .page_size = lay->page_size, .long_size = lay->long_size,
			 .big = lay->big, .err = err, .n = n };

	return check_page(&c, page, at, avail);
}

/* Uncompressed CPU data: every page header of [off, off + size). */
static int check_pages(struct fx_cursor *c, uint64_t off, uint64_t size)
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
static int check_chunks(struct fx_cursor *c, struct fx_chunks *ck, uint64_t off, uint64_t size,
			uint64_t *vnext)
{
	uint64_t count, zs, us, end;

	if (!size)
		return 0;
	c->pos = off;
	if (fx_cursor_num(c, 4, &count, "chunk count") < 0)
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

		if (fx_cursor_num(c, 4, &zs, "chunk header") < 0 || fx_cursor_num(c, 4, &us, "chunk header") < 0)
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
static int keep_range(struct fx_cursor *c, const struct fx_cpu_range *r, int n)
{
	unsigned char hdr[16];

	c->ranges = calloc((size_t)n + 1, 2 * sizeof(*c->ranges));
	if (!c->ranges)
		FAIL(c, 0, "out of memory");
	for (int i = 0; i < n; i++) {
		if (r[i].size && r[i].off % c->page_size)
			FAIL(c, r[i].at, "CPU %d data does not start on a page boundary", i);
		c->pos = r[i].off;
		if (r[i].size && (fx_cursor_get(c, hdr, r[i].size < 16 ? (size_t)r[i].size : 16,
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

int fx_check_cpu_data(struct fx_cursor *c, const struct fx_cpu_range *r, int n, int compressed)
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
	struct fx_cursor c = { .page_size = lay->page_size, .long_size = lay->long_size,
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
