/* SPDX-License-Identifier: MIT */
/*
 * ftrace_pages.c - read an uncompressed CPU's ring-buffer pages directly.
 *
 * In a version-6 file (or a version-7 one without compression) a CPU's
 * data is a run of ring-buffer pages at an offset ftrace_check.c found.
 * When the file asks for no timestamp conversion (no date, offset, TSC or
 * guest-clock options), what libtracecmd does per record is libtraceevent's
 * kbuffer walk over those pages plus a malloc and free per record; doing
 * the walk here with the same kbuffer calls gives the same records without
 * the allocation, and lets the reading threads share one handle's event
 * formats instead of each parsing the file's headers again.  Each page
 * header is checked (ftrace_check.c) before kbuffer reads the page.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kbuffer.h>

#include "ftrace-local.h"

/* Every event of one page into the stream. */
static int read_page(struct fx_reader *rd, struct fx_stream *st, struct kbuffer *kb,
		     void *page, uint64_t off)
{
	struct tep_record rec = { .cpu = (int)st->cpu };
	unsigned long long ts;
	void *data;

	if (kbuffer_load_subbuffer(kb, page) < 0)
		return 0;
	for (data = kbuffer_read_event(kb, &ts); data; data = kbuffer_next_event(kb, &ts)) {
		rec.ts = ts;
		rec.data = data;
		rec.size = kbuffer_event_size(kb);
		rec.offset = off + (uint64_t)kbuffer_curr_offset(kb);
		rec.missed_events = kbuffer_missed_events(kb);
		if (fx_stream_add(rd, st, &rec) < 0)
			return -1;
	}
	return 0;
}

static struct kbuffer *new_kbuffer(const struct fx_layout *lay)
{
	return kbuffer_alloc(lay->long_size == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
			     lay->big ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE);
}

int fx_read_pages(struct fx_reader *rd, struct fx_stream *st, const char *path,
		  const struct fx_layout *lay)
{
	uint64_t off = st->pg_off, size = st->pg_size;
	struct kbuffer *kb = NULL;
	unsigned char *map;
	int fd, ret = 0;

	st->cpu = (unsigned)st->cpu_index;   /* version 6: CPU i's data is the i-th */
	if (!size)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	map = fd < 0 ? MAP_FAILED : mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd,
					 (off_t)off);
	if (fd >= 0)
		close(fd);
	if (map == MAP_FAILED || !(kb = new_kbuffer(lay))) {
		snprintf(st->msg, sizeof(st->msg), "offset %llu: cannot map CPU %d's data",
			 (unsigned long long)off, st->cpu_index);
		ret = -1;
		goto out;
	}
	madvise(map, (size_t)size, MADV_SEQUENTIAL);
	for (uint64_t p = 0; p < size && ret == 0; p += lay->page_size) {
		if (fx_check_page(lay, map + p, off + p, size - p, st->msg, sizeof(st->msg)) < 0)
			ret = -1;
		else if (read_page(rd, st, kb, map + p, off + p) < 0) {
			snprintf(st->msg, sizeof(st->msg), "out of memory reading CPU %d",
				 st->cpu_index);
			ret = -1;
		}
	}
out:
	if (kb)
		kbuffer_free(kb);
	if (map != MAP_FAILED)
		munmap(map, (size_t)size);
	return ret;
}
