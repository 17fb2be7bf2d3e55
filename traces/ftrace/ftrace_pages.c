/* SPDX-License-Identifier: MIT */
/*
 * ftrace_pages.c - read an uncompressed CPU's ring-buffer pages directly.
 *
 * In a version-6 file (or a version-7 one without compression) a CPU's
 * data is a run of ring-buffer pages at an offset the layout checks found.
 * When the file asks for no timestamp conversion (no date, offset, TSC or
 * guest-clock options), what libtracecmd does per record is libtraceevent's
 * kbuffer walk over those pages plus a malloc and free per record; doing
 * the walk here with the same kbuffer calls gives the same records without
 * the allocation, and lets the reading threads share one handle's event
 * formats instead of each parsing the file's headers again.  Each page
 * header is checked (ftrace_check_data.c) before kbuffer reads the page.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kbuffer.h>
#include <trace-cmd.h>

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

/* Copy [from, to) of @in to @out. */
static int copy_range(int in, int out, uint64_t from, uint64_t to)
{
	char buf[65536];

	while (from < to) {
		size_t want = to - from < sizeof(buf) ? (size_t)(to - from) : sizeof(buf);
		ssize_t got = pread(in, buf, want, (off_t)from);

		if (got <= 0 || write(out, buf, (size_t)got) != got)
			return -1;
		from += (uint64_t)got;
	}
	return 0;
}

/*
 * Pages mode only needs the event formats (and printk formats, for driver
 * markers), not the CPU data, and libtracecmd spends nine tenths of its
 * open parsing kallsyms, which nothing here uses.  So thread 0 opens a
 * copy of the file's headers with an empty kallsyms, made in memory.
 */
struct tracecmd_input *fx_open_formats(const char *path, const struct fx_layout *lay)
{
	static const unsigned char none[4];
	struct tracecmd_input *h = NULL;
	char name[64];
	int in, mem;

	if (lay->version != 6 || !lay->head_end)
		return NULL;
	in = open(path, O_RDONLY | O_CLOEXEC);
	mem = memfd_create("dmascope-formats", MFD_CLOEXEC);
	if (in >= 0 && mem >= 0 && copy_range(in, mem, 0, lay->kallsyms_off) == 0 &&
	    write(mem, none, 4) == 4 &&
	    copy_range(in, mem, lay->kallsyms_off + lay->kallsyms_len, lay->head_end) == 0) {
		snprintf(name, sizeof(name), "/proc/self/fd/%d", mem);
		h = tracecmd_open_head(name, TRACECMD_FL_LOAD_NO_PLUGINS);
	}
	if (in >= 0)
		close(in);
	if (mem >= 0)
		close(mem);
	return h;
}

int fx_copy_without_kallsyms(const char *path, const struct fx_layout *lay, char *name,
			     size_t n)
{
	static const unsigned char zeros[4096];
	uint64_t at, end;
	int in, mem;

	if (lay->version < 7 || !lay->ksec_size || lay->file_size > FX_COPY_MAX)
		return -1;
	end = lay->ksec_off + 16 + lay->ksec_size;
	in = open(path, O_RDONLY | O_CLOEXEC);
	mem = memfd_create("dmascope-trace", MFD_CLOEXEC);
	if (in < 0 || mem < 0 || end > lay->file_size || copy_range(in, mem, 0, lay->file_size) < 0)
		goto fail;
	/* the section's flags (the 2 bytes after its id) cleared: stored
	 * uncompressed; its data: a kallsyms of size 0, and zeros to its end */
	if (pwrite(mem, zeros, 2, (off_t)(lay->ksec_off + 2)) != 2)
		goto fail;
	for (at = lay->ksec_off + 16; at < end;) {
		size_t k = end - at < sizeof(zeros) ? (size_t)(end - at) : sizeof(zeros);

		if (pwrite(mem, zeros, k, (off_t)at) != (ssize_t)k)
			goto fail;
		at += k;
	}
	close(in);
	snprintf(name, n, "/proc/self/fd/%d", mem);
	if ((in = open(name, O_RDONLY | O_CLOEXEC)) < 0)    /* no /proc: read the file */
		goto fail;
	close(in);
	return mem;
fail:
	if (in >= 0)
		close(in);
	if (mem >= 0)
		close(mem);
	return -1;
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
