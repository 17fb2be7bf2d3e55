/* SPDX-License-Identifier: MIT */
/*
 * trace-local.h - what the reader backends share (not for users of trace.h).
 *
 * One backend per reader: dmt/dmt_reader.c, ftrace/ftrace_reader.c,
 * etw/etw_csv_reader.c, etw/etw_xml_reader.c.  Each provides a struct
 * trace_reader_ops.  trace.c probes
 * the file, calls the backend's load(), then serves events through the
 * backend's count()/get(), applying the device filter on top.
 */
#ifndef TRACE_LOCAL_H
#define TRACE_LOCAL_H

#include <stdarg.h>

#include "trace.h"

struct trace_reader_ops {
	const char *name;            /* "dmt", "ftrace", ... */
	enum trace_format format;
	/* how sure the backend is that these are its bytes: 0 (no) .. 100 */
	int (*probe)(const unsigned char *head, size_t n);
	/* when no backend claims the bytes: whether they look like a damaged
	 * file of this format; the offset of the damage with @why filled in
	 * ("the magic bytes ..."), or -1 (may be NULL) */
	long (*damaged)(const unsigned char *head, size_t n, char *why, size_t wn);
	/* read the whole file; on failure fill err with "PATH: offset N: ..."
	 * or "PATH:LINE:COL: ..." and return -1 (close() is then called) */
	int (*load)(struct trace *t, char *err, size_t n);
	uint64_t (*count)(struct trace *t);
	/* event i, pointers borrowed until the next get */
	int (*get)(struct trace *t, uint64_t i, struct coh_event *ev);
	/* full text of file event @src; -1 when unknown */
	int (*detail)(struct trace *t, uint64_t src, char *buf, size_t n);
	/* file event @src on one short line (trace_line_brief()), or NULL:
	 * as trace_line() gives it */
	int (*brief)(struct trace *t, uint64_t src, char *buf, size_t n);
	/* memory the loaded events hold, the size a timeline's snapshot budget
	 * is a share of */
	size_t (*bytes)(struct trace *t);
	void (*close)(struct trace *t);
};

extern const struct trace_reader_ops trace_dmt_ops;
extern const struct trace_reader_ops trace_ftrace_ops;
extern const struct trace_reader_ops trace_etw_csv_ops;
extern const struct trace_reader_ops trace_etw_xml_ops;

/* What a reader opens (trace_input.c). */
struct trace_input {
	char *name;                  /* for messages: the path given, or "<stdin>" */
	char *file;                  /* the file to open: that path, or a temporary copy */
	char *tmp;                   /* a temporary file's name to unlink, or NULL */
	int fd;                      /* the temporary file held open, or -1 */
};

/**
 * trace_input_open - make @path readable by the readers: standard input
 * ("-") is spooled and .xz/.zst/.gz data (by magic bytes) decompressed into
 * a temporary file
 * @err, @n: on failure "NAME: ..." (a damaged stream: "NAME: offset N:
 *          damaged .xz file: ...")
 *
 * Return: 0, or -1 (nothing to close then).
 */
int trace_input_open(const char *path, struct trace_input *in, char *err, size_t n);

/**
 * trace_input_close - remove the temporary file, free the names
 */
void trace_input_close(struct trace_input *in);

struct trace {
	const struct trace_reader_ops *ops;
	char *path;                  /* owned: the name messages use */
	char *file;                  /* borrowed from in: the file readers open */
	struct trace_input in;
	struct trace_opts opts;      /* device string owned (copied) */
	void *priv;                  /* the backend's state */

	char **devs;                 /* device names, owned; ev.dev indexes this */
	unsigned ndevs;

	char **warnings;             /* owned */
	int *warndev;                /* per warning: the device it is about, or -1 */
	size_t nwarnings, capwarnings;

	struct trace_stats stats;    /* arrays and names owned (trace_stats_*) */

	int has_platform;            /* the file names its platform: */
	struct coh_platform platform;/* with its devices, same indices as devs */

	uint32_t *keep;              /* device filter: kept engine indices, or NULL */
	uint64_t nkeep;

	uint8_t *cpumap;             /* file CPU -> simulated CPU, when the file used
				      * CPUs numbered past COH_MAX_CPUS - 1; else NULL */
	unsigned ncpumap;
	unsigned nsimcpus;           /* CPUs the replay needs */

	/* what one pass over the events found (trace_scan(), on first need):
	 * the groups of event kinds (as coh_source_groups() counts them) and
	 * the devices whose transfers end with dev_done events */
	int scanned;
	uint32_t groups;
	uint8_t done[COH_MAX_DEVS];   /* per device: 1 when it has one */
};

/**
 * trace_scan - read every event once, for trace_platform() (each preset asks)
 * and the source's groups; later calls cost nothing
 */
void trace_scan(struct trace *t);

/*
 * What a reader calls while it loads (trace_build.c, which calls nothing
 * above it).
 */

/**
 * trace_add_dev - index of a device name, adding it when new
 *
 * Return: the index, or -1 when COH_MAX_DEVS are in use or out of memory.
 */
int trace_add_dev(struct trace *t, const char *name);

/**
 * trace_warn - add a warning (printf format); identical warnings are kept once
 */
void trace_warn(struct trace *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * trace_warn_dev - add a warning about device @dev (an index of devs): when
 * the trace is opened for one device (opts.device), it is dropped unless
 * @dev is that device
 */
void trace_warn_dev(struct trace *t, unsigned dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * trace_stats_kind / trace_stats_dev / trace_stats_devkind / trace_stats_cpu
 * - add @n to a counter, creating it when new (names are copied)
 *
 * Return: 0, or -1 when out of memory.
 */
int trace_stats_kind(struct trace *t, const char *kind, uint64_t n);
int trace_stats_dev(struct trace *t, const char *dev, uint64_t n);
int trace_stats_devkind(struct trace *t, const char *dev, const char *kind, uint64_t n);
int trace_stats_cpu(struct trace *t, unsigned cpu, uint64_t n);

/**
 * trace_fopen - open the file a reader loads (t->file) for reading
 * @size: receives its size in bytes (0 when it cannot be told), for the
 *        progress of a load
 * @err, @n: receive "PATH: why" when it cannot be opened
 *
 * Return: the stream (the caller closes it), or NULL.
 */
FILE *trace_fopen(const struct trace *t, uint64_t *size, char *err, size_t n);

/**
 * trace_errf - format "PATH: " + message into err (for load failures)
 */
void trace_errf(char *err, size_t n, const struct trace *t, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/**
 * trace_hexval - value of a hexadecimal digit, or -1
 */
int trace_hexval(int c);

/**
 * trace_progress - report load progress (no-op without a callback)
 */
void trace_progress(struct trace *t, uint64_t done, uint64_t total);

/**
 * trace_build_free - free what the calls above added to @t: device names,
 * warnings, statistics counters (trace_close() calls it)
 */
void trace_build_free(struct trace *t);

#endif
