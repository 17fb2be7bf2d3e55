/* SPDX-License-Identifier: MIT */
/*
 * trace.h - open a trace file of any supported format and read its events.
 *
 * Formats (detected by content, not by extension): the native text format
 * (.dmt, docs/trace-format.md), Linux ftrace trace.dat (libtracecmd +
 * libtraceevent), Windows ETW exports of the dmascope provider as tracerpt
 * CSV or XML (docs/etw.md).  A trace is loaded whole when opened; its
 * events are then engine events (struct coh_event) readable by index, in
 * timestamp order, each carrying its index in the file (src).
 */
#ifndef TRACE_H
#define TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "coh_event.h"
#include "coh_log.h"
#include "coh_platform.h"

struct trace;

enum trace_format {
	TRACE_FMT_DMT,
	TRACE_FMT_FTRACE,
	TRACE_FMT_ETW_CSV,
	TRACE_FMT_ETW_XML,
	TRACE_FMT_COUNT
};

enum trace_infer {
	TRACE_INFER_AUTO = 0,        /* per device: infer when it has no access markers */
	TRACE_INFER_NEVER = 1,
	TRACE_INFER_ALWAYS = 2
};

struct trace_opts {
	const char *device;          /* keep only this device's events (with CPU accesses
				      * and markers) and warnings; NULL = every device.
				      * A device the trace lacks fails trace_open() */
	int infer;                   /* enum trace_infer */
	/* called now and then while loading; done/total in bytes of the file */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
};

/* A count per name, for statistics. */
struct trace_count {
	const char *name;            /* event name as the file names it, or device name */
	const char *sub;             /* for per-device rows: the event name; else NULL */
	uint64_t n;
};

struct trace_stats {
	uint64_t events;             /* events in the file, of every kind */
	uint64_t first_ts;           /* ns */
	uint64_t last_ts;            /* ns */
	uint64_t lost;               /* events the file says were lost */
	size_t nkinds;               /* per event name, every kind in the file */
	struct trace_count *kinds;
	size_t ndevs;                /* per device (name), all its events */
	struct trace_count *devs;
	size_t ndevkinds;            /* per device and event name */
	struct trace_count *devkinds;
	size_t ncpus;                /* per CPU index */
	uint64_t *cpus;
};

/**
 * trace_open - load a trace file
 * @path: the file, or "-" for standard input (named "<stdin>" in messages);
 *        .xz, .zst and .gz files (known by their magic bytes) are
 *        decompressed first, and messages still name @path
 * @opts: may be NULL for defaults
 * @out:  receives the trace
 * @err:  receives a message naming the file and the offset or line:column
 *        on failure ("trace.dat: offset 4096: ...")
 * @n:    size of @err
 *
 * Return: 0, or -1 when the file cannot be read or is malformed, or
 * @opts->device names no device of it ("PATH: no device 'X' in this trace
 * (its devices: a, b)"); nothing is returned in *out then.  Caller frees
 * *out with trace_close().
 */
int trace_open(const char *path, const struct trace_opts *opts, struct trace **out,
	       char *err, size_t n);

/**
 * trace_input_name - what messages call the file @path: "<stdin>" for "-"
 * (trace_open() reads standard input then), else @path itself
 */
const char *trace_input_name(const char *path);

/**
 * trace_close - free a trace (NULL is fine)
 */
void trace_close(struct trace *t);

/**
 * trace_format - the format the file was detected as
 */
enum trace_format trace_format(const struct trace *t);

/**
 * trace_format_name - "dmt", "ftrace", "etw-csv", "etw-xml"
 */
const char *trace_format_name(enum trace_format f);

/**
 * trace_path - the path it was opened from (borrowed until trace_close())
 */
const char *trace_path(const struct trace *t);

/**
 * trace_count - engine events (after the device filter)
 */
uint64_t trace_count(const struct trace *t);

/**
 * trace_get - engine event i
 * @ev: receives it; its pointers are borrowed until the next trace_get()
 *      on @t or trace_close()
 *
 * Return: 0, or -COH_E_SEEK when i is out of range.
 */
int trace_get(struct trace *t, uint64_t i, struct coh_event *ev);

/**
 * trace_source - the trace as an engine event source (borrows @t)
 */
struct coh_source trace_source(struct trace *t);

/**
 * trace_ndevs / trace_dev_name - the devices events index (ev.dev)
 *
 * Return: the name is borrowed until trace_close(); NULL when out of range.
 */
unsigned trace_ndevs(const struct trace *t);
const char *trace_dev_name(const struct trace *t, unsigned i);

/* The preset a file is replayed on when neither the caller nor the file
 * names a platform, by the API it was recorded from. */
#define TRACE_DEFAULT_LINUX    "arm-noncoherent"
#define TRACE_DEFAULT_WINDOWS  "nt-busmaster"

/**
 * trace_default_platform - the preset a file of format @f is replayed on
 * when neither the caller nor the file names a platform
 *
 * Return: TRACE_DEFAULT_WINDOWS for ETW exports, TRACE_DEFAULT_LINUX for
 * everything else (a static string).
 */
const char *trace_default_platform(enum trace_format f);

/**
 * trace_platform - build the platform to replay on
 * @t:      the trace
 * @preset: a preset name, or NULL to use the platform the file names
 *          (a .dmt header) or, failing that, trace_default_platform() of
 *          the file's format
 * @p:      receives the platform, with the trace's devices in its table at
 *          the indices the events use (and per-device settings the file gives)
 * @err, @n: message on failure
 *
 * Return: 0, or -1 (unknown preset, too many devices, bad parameters).
 */
int trace_platform(const struct trace *t, const char *preset, struct coh_platform *p,
		   char *err, size_t n);

/**
 * trace_names_platform - 1 when the file names its own platform
 */
int trace_names_platform(const struct trace *t);

/**
 * trace_nwarnings / trace_warning - things the reader noticed (lost events,
 * truncated scatter lists, invisible syncs, inferred accesses, skipped ranges)
 *
 * Return: borrowed until trace_close(); NULL when out of range.
 */
size_t trace_nwarnings(const struct trace *t);
const char *trace_warning(const struct trace *t, size_t i);

/**
 * trace_stats - counts of everything in the file (borrowed until trace_close())
 */
const struct trace_stats *trace_stats(const struct trace *t);

/**
 * trace_detail - the full text of the file's event number @src, re-read
 * from the file (for a timeline's detail pane)
 *
 * Return: the length written (as snprintf), or -1 when @src is unknown or
 * the file cannot be re-read.
 */
int trace_detail(struct trace *t, uint64_t src, char *buf, size_t n);

/**
 * trace_line - file event @src as the file's own tools show it: for a
 * trace.dat the line `trace-cmd report` prints, for a .dmt file its line,
 * for an ETW export what trace_detail() gives
 *
 * Return: the length written (as snprintf), or -1 when @src is unknown or
 * the file cannot be re-read.
 */
int trace_line(struct trace *t, uint64_t src, char *buf, size_t n);

/**
 * trace_line_brief - file event @src on one short line, for a timeline: an
 * ETW export's event as its task and its own fields ("DeviceWrite
 * Device=snd0 LogicalAddress=0x20000000 Length=128"), without the header
 * every row repeats (provider, level, process, thread, clock...); other
 * formats as trace_line() gives them
 *
 * Return: as trace_line().
 */
int trace_line_brief(struct trace *t, uint64_t src, char *buf, size_t n);

/**
 * trace_lineno - the 1-based line of a .dmt file that holds file event @src
 *
 * Return: the line, or 0 for other formats, an unknown @src, or a read error.
 */
uint64_t trace_lineno(struct trace *t, uint64_t src);

/**
 * trace_find_src - the engine index of the first event whose src >= @src
 *
 * Return: that index, or trace_count() when there is none.
 */
uint64_t trace_find_src(struct trace *t, uint64_t src);

/**
 * trace_write_dmt - write events as a .dmt file
 * @out:  the stream
 * @p:    the platform for the header
 * @src:  the events
 * @err, @n: message on failure
 *
 * Return: 0, or -1 on a write error.
 */
int trace_write_dmt(FILE *out, const struct coh_platform *p, const struct coh_source *src,
		    char *err, size_t n);

/**
 * trace_event_format - one event as a line of the .dmt format, with no
 * timestamp and no newline (docs/trace-format.md)
 * @p:   names the devices
 * @buf: receives the line
 * @err, @errn: message on failure
 *
 * Return: 0, or -1 (an event the format cannot hold, a line longer than @n).
 */
int trace_event_format(const struct coh_event *ev, const struct coh_platform *p, char *buf,
		       size_t n, char *err, size_t errn);

/**
 * trace_event_parse - read one event line of the .dmt format
 * @line:   the line (its devices named as @p names them)
 * @where, @lineno: name the file and line in messages ("F.whatif:3:12: ...")
 * @use:    called with the event, whose pointers are borrowed for the call;
 *          its return is returned
 * @err, @n: message on failure
 *
 * Return: @use's return, or -1 with @err set.
 */
int trace_event_parse(const char *line, const struct coh_platform *p, const char *where,
		      uint64_t lineno, int (*use)(void *ctx, const struct coh_event *ev),
		      void *ctx, char *err, size_t n);

#endif
