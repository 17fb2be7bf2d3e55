/* SPDX-License-Identifier: MIT */
/*
 * ftrace-check.h - what the trace.dat layout checker's files share, top to
 * bottom: ftrace_check.c (the fixed header, version 6), ftrace_check_v7.c
 * (version 7's sections), ftrace_options.c (options), ftrace_check_data.c
 * (the CPU data), ftrace_cursor.c (bounded reads).
 */
#ifndef FTRACE_CHECK_H
#define FTRACE_CHECK_H

#include <stdio.h>

#include "ftrace-local.h"

#define FX_MAX_PAGE      (64u << 20)   /* largest ring-buffer page (sub-buffer) */
#define FX_MAX_CHUNK     (64u << 20)   /* largest decompressed chunk of CPU data */
#define FX_MAX_BLOCK     (1u << 30)    /* largest decompressed metadata section */
#define FX_MAX_CPUS      4096          /* FR_CPU_MAX + 1 */
#define FX_MAX_OPTION    (16u << 20)   /* largest option payload */
#define FX_MAX_SECTIONS  65536

/* A read cursor over the file, and where errors go. */
struct fx_cursor {
	int fd;
	uint64_t size;               /* of the file */
	uint64_t pos;
	int big;                     /* big-endian file */
	int long_size;
	uint32_t page_size;
	uint64_t data_bytes;         /* of CPU data, uncompressed */
	uint64_t meta_off;           /* where the headers and formats begin */
	uint64_t data_off;           /* where the first CPU's data begins */
	uint64_t *ranges;            /* uncompressed CPU data, (offset, size) per CPU */
	int nranges;
	struct fx_chunks *chunks;    /* compressed CPU data, per CPU */
	int nchunked;
	char *err;
	size_t n;
};

/* "offset N: ..." into c->err, then return -1 */
#define FAIL(c, at, ...) do { \
	int k_ = snprintf((c)->err, (c)->n, "offset %llu: ", (unsigned long long)(at)); \
	if (k_ >= 0 && (size_t)k_ < (c)->n) \
		snprintf((c)->err + k_, (c)->n - (size_t)k_, __VA_ARGS__); \
	return -1; } while (0)

/* One CPU's data: where its table entry is, and the range it names. */
struct fx_cpu_range {
	uint64_t at;                 /* offset of the table entry (for messages) */
	uint64_t off;
	uint64_t size;
};

/* A section of a version-7 file. */
struct fx_section {
	uint64_t off;                /* of its header */
	uint64_t size;               /* of its data */
	uint16_t id;
	uint16_t flags;
	uint8_t visited;             /* options sections: already walked */
};

/* What walking the options finds. */
struct fx_opts {
	struct fx_layout *lay;
	uint64_t cpus;               /* CPU count (header, or the CPUCOUNT option) */
	const struct fx_section *secs;   /* version 7: the file's sections */
	size_t nsecs;
	uint64_t next;               /* version 7: the next options section, 0 = none */
	int top;                     /* version 7: the top buffer was found */
	uint64_t fly;                /* its flyrecord section */
	uint64_t ncpu;
	struct fx_cpu_range *cpu;    /* owned, ncpu entries */
};

/* The cursor (ftrace_cursor.c).  @what names what is read, for messages. */

/**
 * fx_cursor_get - read @len bytes at the cursor and move past them
 *
 * Return: 0, or -1 with "offset N: ..." in c->err (the file ends, or a
 * read fails).
 */
int fx_cursor_get(struct fx_cursor *c, void *buf, size_t len, const char *what);

/**
 * fx_cursor_host - @len bytes of the file's byte order as a number (reads nothing)
 */
uint64_t fx_cursor_host(const struct fx_cursor *c, const unsigned char *b, int len);

/**
 * fx_cursor_num - read a number of @len bytes (1..8) in the file's byte order
 *
 * Return: 0, or -1 with the error in c->err.
 */
int fx_cursor_num(struct fx_cursor *c, int len, uint64_t *x, const char *what);

/**
 * fx_cursor_str - read a NUL-terminated string of at most @max - 1 bytes into @s
 *
 * Return: 0, or -1 with the error in c->err.
 */
int fx_cursor_str(struct fx_cursor *c, char *s, size_t max, const char *what);

/**
 * fx_cursor_skip - move past @len bytes that must lie inside the file
 *
 * Return: 0, or -1 with the error in c->err.
 */
int fx_cursor_skip(struct fx_cursor *c, uint64_t len, const char *what);

/**
 * fx_cursor_alloc - read @len bytes (at most FX_MAX_OPTION) into a new buffer
 *
 * Return: the buffer (caller frees), or NULL with the error in c->err.
 */
unsigned char *fx_cursor_alloc(struct fx_cursor *c, uint64_t len, const char *what);

/* ftrace_check_data.c: the CPU data ranges, once the layout walk found them */
int fx_check_cpu_data(struct fx_cursor *c, const struct fx_cpu_range *r, int n, int compressed);

/* ftrace_check_v7.c: the sections of a version-7 file */
int fx_check_v7(struct fx_cursor *c, struct fx_layout *lay);

/* ftrace_options.c: options, and the section an option points at */
const struct fx_section *fx_section_at(const struct fx_opts *o, uint64_t off);
int fx_check_options_v6(struct fx_cursor *c, struct fx_layout *lay, uint64_t *cpus);
int fx_check_option(struct fx_cursor *c, struct fx_opts *o, unsigned id, uint64_t at,
		    const unsigned char *data, uint64_t size);

#endif
