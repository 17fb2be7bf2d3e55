/* SPDX-License-Identifier: MIT */
/*
 * trace_input.c - what a reader opens: the file the user named, or a
 * temporary copy of standard input ("-") or of a pipe, or the decompressed
 * content of a .xz, .zst or .gz file (by its magic bytes, not its name).
 *
 * Readers open their file by path, several times and from several threads
 * (libtracecmd, the page readers), and seek in it: so standard input is
 * spooled and compressed data is decompressed into a temporary file first.
 * The temporary file is unlinked as soon as it is written and read through
 * /proc/self/fd/N, so nothing is left behind even when dmascope is killed;
 * without /proc it keeps its name until trace_input_close().
 */
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "trace-local.h"

#define CHUNK (256 * 1024)
#define ZSTD_SLICE 4096          /* input per ZSTD_decompressStream() call */

enum packing { PACK_NONE, PACK_XZ, PACK_ZSTD, PACK_GZIP };

/* Where a decompressor reads and writes, and how it reports. */
struct unpack {
	int in, out;                 /* file descriptors */
	const char *name;            /* the input's name for messages */
	const char *kind;            /* ".xz", ".zst", ".gz" */
	unsigned char *ibuf, *obuf;  /* CHUNK bytes each */
	char *err;
	size_t errn;
};

const char *trace_input_name(const char *path)
{
	return path && strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static enum packing packing_of(const unsigned char *h, size_t n)
{
	if (n >= 6 && memcmp(h, "\xfd" "7zXZ\0", 6) == 0)
		return PACK_XZ;
	if (n >= 4 && memcmp(h, "\x28\xb5\x2f\xfd", 4) == 0)
		return PACK_ZSTD;
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return PACK_GZIP;
	return PACK_NONE;
}

/* Write all of @buf; 0, or -1 with errno set. */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t k = write(fd, buf, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Read up to CHUNK bytes; the count, or -1 with errno set. */
static ssize_t read_some(int fd, unsigned char *buf)
{
	ssize_t k;

	do
		k = read(fd, buf, CHUNK);
	while (k < 0 && errno == EINTR);
	return k;
}

/* A new temporary file in $TMPDIR (else /tmp): its descriptor, or -1. */
static int tmp_create(struct trace_input *in, char *err, size_t n)
{
	const char *dir = getenv("TMPDIR");
	char *p;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if (asprintf(&p, "%s/dmascope-XXXXXX", dir) < 0) {
		snprintf(err, n, "%s: out of memory", in->name);
		return -1;
	}
	fd = mkostemp(p, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, n, "%s: cannot make a temporary file in %s: %s", in->name, dir,
			 strerror(errno));
		free(p);
		return -1;
	}
	in->tmp = p;
	in->fd = fd;
	return fd;
}

/* The temporary file is complete: read it through /proc when possible. */
static int tmp_seal(struct trace_input *in, char *err, size_t n)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", in->fd);
	if (access(proc, R_OK) == 0 && unlink(in->tmp) == 0) {
		free(in->tmp);
		in->tmp = NULL;
		in->file = strdup(proc);
	} else {
		in->file = strdup(in->tmp);
	}
	if (!in->file) {
		snprintf(err, n, "%s: out of memory", in->name);
		return -1;
	}
	return 0;
}

static void tmp_drop(struct trace_input *in)
{
	if (in->tmp)
		unlink(in->tmp);
	if (in->fd >= 0)
		close(in->fd);
	free(in->tmp);
	free(in->file);
	in->tmp = NULL;
	in->file = NULL;
	in->fd = -1;
}

static int fail_io(struct unpack *u, const char *what)
{
	snprintf(u->err, u->errn, "%s: %s: %s", u->name, what, strerror(errno));
	return -1;
}

static int fail_damaged(struct unpack *u, uint64_t off, const char *why)
{
	snprintf(u->err, u->errn, "%s: offset %llu: damaged %s file: %s", u->name,
		 (unsigned long long)off, u->kind, why);
	return -1;
}

static int fail_short(struct unpack *u, uint64_t off)
{
	return fail_damaged(u, off, "the compressed data ends early (a truncated file?)");
}

/* ---- the three decompressors --------------------------------------------- */

static const char *lzma_why(lzma_ret r)
{
	switch (r) {
	case LZMA_FORMAT_ERROR: return "not in .xz format";
	case LZMA_OPTIONS_ERROR: return "unsupported compression options";
	case LZMA_DATA_ERROR: return "the compressed data is corrupt";
	case LZMA_BUF_ERROR: return "the compressed data ends early (a truncated file?)";
	case LZMA_MEM_ERROR: return "out of memory";
	default: return "cannot be decompressed";
	}
}

static int unpack_xz(struct unpack *u)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED);
	lzma_action act = LZMA_RUN;

	while (r == LZMA_OK) {
		if (s.avail_in == 0 && act == LZMA_RUN) {
			ssize_t k = read_some(u->in, u->ibuf);

			if (k < 0)
				return lzma_end(&s), fail_io(u, "read error");
			s.next_in = u->ibuf;
			s.avail_in = (size_t)k;
			act = k ? LZMA_RUN : LZMA_FINISH;
		}
		s.next_out = u->obuf;
		s.avail_out = CHUNK;
		r = lzma_code(&s, act);
		if (write_all(u->out, u->obuf, CHUNK - s.avail_out) < 0)
			return lzma_end(&s), fail_io(u, "cannot write the decompressed data");
	}
	lzma_end(&s);
	return r == LZMA_STREAM_END ? 0 : fail_damaged(u, s.total_in, lzma_why(r));
}

static int unpack_zstd(struct unpack *u)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	uint64_t off = 0;
	size_t left = 0;             /* ZSTD_decompressStream's hint: 0 = frame done */
	ssize_t k;

	if (!z)
		return fail_damaged(u, 0, "out of memory");
	while ((k = read_some(u->in, u->ibuf)) > 0) {
		ZSTD_inBuffer ib = { u->ibuf, 0, 0 };
		ZSTD_outBuffer ob;

		do {
			/* a slice at a time: an error is placed by the end of its slice */
			ib.size = ib.pos + ZSTD_SLICE < (size_t)k ? ib.pos + ZSTD_SLICE : (size_t)k;
			ob = (ZSTD_outBuffer){ u->obuf, CHUNK, 0 };
			left = ZSTD_decompressStream(z, &ob, &ib);
			if (ZSTD_isError(left)) {
				ZSTD_freeDCtx(z);
				return fail_damaged(u, off + ib.size, ZSTD_getErrorName(left));
			}
			if (write_all(u->out, u->obuf, ob.pos) < 0)
				return ZSTD_freeDCtx(z), fail_io(u, "cannot write the decompressed data");
		} while (ib.pos < (size_t)k || ob.pos == ob.size);
		off += (uint64_t)k;
	}
	ZSTD_freeDCtx(z);
	if (k < 0)
		return fail_io(u, "read error");
	return left ? fail_short(u, off) : 0;
}

/* inflate() the buffered input as far as it goes; Z_* code (Z_ERRNO: write error) */
static int gz_step(struct unpack *u, z_stream *s)
{
	int r;

	s->next_out = u->obuf;
	s->avail_out = CHUNK;
	r = inflate(s, Z_NO_FLUSH);
	if (write_all(u->out, u->obuf, CHUNK - s->avail_out) < 0)
		return Z_ERRNO;
	/* a gzip file may hold several members, one after the other */
	if (r == Z_STREAM_END && s->avail_in)
		r = inflateReset(s);
	return r == Z_BUF_ERROR ? Z_OK : r;   /* no progress possible: wants input */
}

static int unpack_gzip(struct unpack *u)
{
	z_stream s = { 0 };
	int r = inflateInit2(&s, 16 + MAX_WBITS);
	uint64_t rd = 0;             /* bytes read (total_in restarts per member) */
	ssize_t k = 0;

	while (r == Z_OK || r == Z_STREAM_END) {
		k = read_some(u->in, u->ibuf);
		if (k <= 0)
			break;
		if (r == Z_STREAM_END)           /* another member follows */
			r = inflateReset(&s);
		s.next_in = u->ibuf;
		s.avail_in = (uInt)k;
		rd += (uint64_t)k;
		do
			r = gz_step(u, &s);
		while (r == Z_OK && (s.avail_in || s.avail_out == 0));
	}
	inflateEnd(&s);
	if (k < 0)
		return fail_io(u, "read error");
	if (r == Z_ERRNO)
		return fail_io(u, "cannot write the decompressed data");
	if (r == Z_STREAM_END)
		return 0;
	if (r == Z_OK)
		return fail_short(u, rd);
	return fail_damaged(u, rd - s.avail_in, s.msg ? s.msg : "the compressed data is corrupt");
}

/* ---- putting it together --------------------------------------------------- */

/* Decompress @src (open, at offset 0) into a new temporary file. */
static int unpack_into_tmp(struct trace_input *in, int src, enum packing p, char *err,
			   size_t n)
{
	static const char *const kinds[] = { "", ".xz", ".zst", ".gz" };
	struct unpack u = { .in = src, .name = in->name, .kind = kinds[p], .err = err,
			    .errn = n };
	int ret = -1;

	if (tmp_create(in, err, n) < 0)
		return -1;
	u.out = in->fd;
	u.ibuf = malloc(CHUNK);
	u.obuf = malloc(CHUNK);
	if (!u.ibuf || !u.obuf)
		snprintf(err, n, "%s: out of memory", in->name);
	else if (p == PACK_XZ)
		ret = unpack_xz(&u);
	else if (p == PACK_ZSTD)
		ret = unpack_zstd(&u);
	else
		ret = unpack_gzip(&u);
	free(u.ibuf);
	free(u.obuf);
	return ret;
}

/* Copy what @src gives into a new temporary file. */
static int spool(struct trace_input *in, int src, char *err, size_t n)
{
	unsigned char *buf = malloc(CHUNK);
	ssize_t k;

	if (!buf || tmp_create(in, err, n) < 0) {
		if (!buf)
			snprintf(err, n, "%s: out of memory", in->name);
		free(buf);
		return -1;
	}
	while ((k = read_some(src, buf)) > 0)
		if (write_all(in->fd, buf, (size_t)k) < 0)
			break;
	free(buf);
	if (k != 0) {
		snprintf(err, n, "%s: %s: %s", in->name, k < 0 ? "read error" :
			 "cannot copy to a temporary file", strerror(errno));
		return -1;
	}
	return tmp_seal(in, err, n);
}

/* Decompress in->file when its first bytes say it is compressed. */
static int unpack_if_packed(struct trace_input *in, char *err, size_t n)
{
	struct trace_input spooled = *in;   /* what is dropped once decompressed */
	unsigned char head[8];
	enum packing p;
	int fd = open(in->file, O_RDONLY | O_CLOEXEC);
	ssize_t got = fd < 0 ? -1 : pread(fd, head, sizeof(head), 0);

	if (got < 0) {
		snprintf(err, n, "%s: %s", in->name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	p = packing_of(head, (size_t)got);
	if (p == PACK_NONE) {
		close(fd);
		return 0;
	}
	in->tmp = NULL;
	in->file = NULL;
	in->fd = -1;
	if (unpack_into_tmp(in, fd, p, err, n) == 0 && tmp_seal(in, err, n) == 0) {
		close(fd);
		tmp_drop(&spooled);
		return 0;
	}
	close(fd);
	tmp_drop(&spooled);
	return -1;
}

/* A pipe, FIFO or terminal (`<(xz -dc f)`, /dev/stdin) is read once: spool it. */
static int spool_if_stream(struct trace_input *in, char *err, size_t n)
{
	struct stat sb;
	int fd = open(in->file, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0 || fstat(fd, &sb) < 0 || S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return 0;            /* files, and errors the readers will name */
	}
	free(in->file);
	in->file = NULL;
	ret = spool(in, fd, err, n);
	close(fd);
	return ret;
}

int trace_input_open(const char *path, struct trace_input *in, char *err, size_t n)
{
	*in = (struct trace_input){ .fd = -1 };
	in->name = strdup(trace_input_name(path));
	if (!in->name) {
		snprintf(err, n, "%s: out of memory", path);
		return -1;
	}
	if (strcmp(path, "-") == 0) {
		if (spool(in, 0, err, n) < 0)
			goto fail;
	} else if (!(in->file = strdup(path))) {
		snprintf(err, n, "%s: out of memory", path);
		goto fail;
	} else if (spool_if_stream(in, err, n) < 0) {
		goto fail;
	}
	if (unpack_if_packed(in, err, n) == 0)
		return 0;
fail:
	trace_input_close(in);
	return -1;
}

void trace_input_close(struct trace_input *in)
{
	tmp_drop(in);
	free(in->name);
	in->name = NULL;
}
