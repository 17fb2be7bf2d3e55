/* SPDX-License-Identifier: MIT */
/*
 * ftrace-local.h - what the files of the trace.dat reader share.
 *
 *   ftrace_reader.c    the reader ops, warnings and statistics (start here)
 *   ftrace_check.c, ftrace_check_v7.c, ftrace_options.c, ftrace_check_data.c,
 *   ftrace_cursor.c    the file's layout, checked before libtracecmd reads it
 *   ftrace_guard.c     a version-7 file opened once in a child process first
 *   ftrace_threads.c   reading the CPUs, one libtracecmd handle per thread
 *   ftrace_pages.c     an uncompressed CPU's pages read directly
 *   ftrace_stream.c    what one CPU yields, record by record
 *   ftrace_decode.c    fields of one record -> one engine event (by name, per tep)
 *   ftrace_marker.c    trace_marker lines -> access, scope and mark events
 *   ftrace_scatter.c   packed scatter lists
 *   ftrace_merge.c     `trace-cmd report` order: file indexes, device numbers
 *   ftrace_order.c     engine event i of the loaded trace
 *   ftrace_detail.c    re-reading one record for a detail pane
 *
 * Loaded events are kept as struct frec (36 bytes, no pointers), in the
 * arrays the reading threads filled; get() turns one back into a struct
 * coh_event.
 */
#ifndef FTRACE_LOCAL_H
#define FTRACE_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include <event-parse.h>
#include <trace-seq.h>

struct tracecmd_input;

#include "coh_event.h"
#include "trace-local.h"

/* DMA_ATTR_* bits the reader looks at (include/linux/dma-mapping.h). */
#define FX_ATTR_SKIP_CPU_SYNC  (1ull << 5)
#define FX_ATTR_MMIO           (1ull << 10)   /* 6.18+: dma_map_phys of MMIO */

/* ---- decoding one record (ftrace_decode.c) --------------------------------- */

/* What the decoder does with an event of the file. */
enum fx_op {
	FX_OTHER,            /* not ours: only counted */
	FX_MAP,              /* dma_map_page, dma_map_phys */
	FX_UNMAP,            /* dma_unmap_page, dma_unmap_phys */
	FX_MAP_RES,
	FX_UNMAP_RES,
	FX_ALLOC,            /* dma_alloc */
	FX_FREE,
	FX_ALLOC_PAGES,
	FX_FREE_PAGES,
	FX_ALLOC_SGT,
	FX_FREE_SGT,
	FX_MAP_SG,
	FX_UNMAP_SG,
	FX_SYNC_CPU,
	FX_SYNC_DEV,
	FX_SYNC_SG_CPU,
	FX_SYNC_SG_DEV,
	FX_ERR,              /* dma_*_err: a failed call, counted */
	FX_PRINT,            /* ftrace:print, a trace_marker line */
	FX_BPRINT,           /* ftrace:bprint / bputs: trace_printk / trace_puts from a driver */
};

/* The fields the decoder reads, whatever the kernel calls them. */
enum fx_role {
	R_DEVICE, R_PHYS, R_DMA, R_SIZE, R_DIR, R_ATTRS, R_VIRT,
	R_PHYS_ARR, R_DMA_ARR, R_LEN_ARR, R_NENTS, R_TRUNC, R_BUF,
	R_NROLES
};

/* One resolved field: where it is in a record of that event. */
struct fx_fld {
	int off;             /* byte offset in the record */
	int size;            /* bytes (4 for a __data_loc word) */
	uint8_t present;     /* the event has it */
	uint8_t dyn;         /* __data_loc / __rel_loc: a 32-bit (len << 16 | off) word */
	uint8_t rel;         /* __rel_loc: off counts from the end of the word */
	uint8_t elem;        /* array element size (dynamic arrays) */
};

/* One event of the file (a "slot"), with its fields resolved. */
struct fx_slot {
	const char *name;    /* the event's name (owned by the tep) */
	int op;              /* enum fx_op */
	int has_dev;         /* has a "device" string: counted per device */
	struct fx_fld f[R_NROLES];
};

/* Decoding state for one tep handle (one per reading thread). */
struct fx_decoder {
	struct tep_handle *tep;      /* borrowed */
	int swap;                    /* the file's byte order differs from ours */
	int type_off, type_size;     /* where common_type is */
	unsigned nslots;
	struct fx_slot *slots;       /* owned */
	uint16_t *slot_of;           /* owned, 65536 entries: id -> slot + 1 (0 = none) */
	struct coh_seg *segs;        /* owned scratch: segments of the last event */
	uint32_t capsegs;
	struct trace_seq seq;        /* the text of the last bprint/bputs event */
	char lastdev[64];            /* the last device string seen (raw, with its NUL) */
	uint32_t lastraw, lastlen;   /* its raw length (0: none cached) and strlen */
	uint64_t devgen;             /* changes whenever the device differs from the last */
};

/* What one record decoded to. */
enum fx_class {
	FXC_OTHER,           /* counted only */
	FXC_EVENT,           /* a DMA API call: ev is filled in */
	FXC_PRINT,           /* a marker line: text */
	FXC_ERR,             /* a failed call (dma_*_err, or an allocation that returned NULL) */
	FXC_BAD,             /* ours but unusable: why says what is wrong */
	FXC_UNKNOWN          /* an event id the file has no format for */
};

struct fx_event {
	int cls;                     /* enum fx_class */
	unsigned slot;               /* index into the decoder's slots (not for FXC_UNKNOWN) */
	const char *dev;             /* device name in the record (not NUL-terminated) */
	uint32_t devlen;             /* 0 = the event has no device */
	uint64_t devgen;             /* equal for consecutive records of one device */
	const char *text;            /* FXC_PRINT: the line (not NUL-terminated) */
	uint32_t textlen;
	struct coh_event ev;         /* FXC_EVENT: kind, addresses, dir, flags, segs; the
				      * caller fills ts, src, cpu, dev */
	char why[128];               /* FXC_BAD: the reason */
};

/**
 * fx_decoder_init - resolve the fields of every event the file describes
 * @d:   filled in
 * @tep: the file's tep handle (borrowed while @d is used)
 * @err, @n: message when a known event lacks a field it needs
 *
 * Return: 0, or -1 (out of memory, or a required field is missing: the
 * message names the event and the field).  fx_decoder_free() either way.
 */
int fx_decoder_init(struct fx_decoder *d, struct tep_handle *tep, char *err, size_t n);

/**
 * fx_decoder_free - free what fx_decoder_init() allocated (not the tep)
 */
void fx_decoder_free(struct fx_decoder *d);

/**
 * fx_decode - decode one record
 * @d:    the decoder
 * @data: the record's bytes (tep_record.data)
 * @size: their number (tep_record.size)
 * @out:  receives the result; its pointers borrow @data and @d until the
 *        next fx_decode() on @d
 */
void fx_decode(struct fx_decoder *d, const void *data, uint32_t size, struct fx_event *out);

/**
 * fx_op_of - what the reader does with an event of this name (FX_OTHER if nothing)
 */
int fx_op_of(const char *system, const char *name);

/* ---- markers (ftrace_marker.c) ------------------------------------------------- */

struct fx_marker {
	uint16_t kind;               /* COH_EV_CPU_*, DEV_*, DEV_DONE, SCOPE_*, MARK */
	uint8_t scope;               /* COH_SCOPE_* for begin/end */
	uint8_t malformed;           /* a known keyword with bad fields: now a MARK */
	uint8_t multiline;           /* more text follows the first line (ignored) */
	uint64_t addr;               /* access address, or the dev_done handle */
	uint64_t len;
	const char *dev;             /* dev=NAME (not NUL-terminated), or NULL */
	uint32_t devlen;
	const char *text;            /* scope name or the mark's text (not NUL-terminated) */
	uint32_t textlen;
	char why[96];                /* what was malformed */
};

/**
 * fx_marker_parse - read one trace_marker line (the grammar of docs/capturing.md)
 * @s, @n: the text of the print event (a trailing newline is ignored)
 * @m:     receives the event; its pointers borrow @s
 */
void fx_marker_parse(const char *s, size_t n, struct fx_marker *m);

/* ---- compact events ----------------------------------------------------------- */

/*
 * One engine event, 36 bytes.  Per kind:
 *   sg kinds, and dma_alloc/free_pages with segments: addr = offset of the
 *     packed list in the segment arena, len = nsegs, bus = nents (FR_SEGS set)
 *   mark, begin, end: addr = offset of the text in the text arena, len = its length
 *   dev_done: addr = handle
 *   everything else: as struct coh_event
 * meta: kind (5 bits) | dir (2) | FR_SKIP | FR_TRUNC | FR_LEN4G | FR_SEGS | scope (2) |
 *       dev (7) | cpu (12)
 */
struct frec {
	uint32_t ts[2];              /* lo, hi: nanoseconds */
	uint32_t addr[2];
	uint32_t bus[2];
	uint32_t len;
	uint32_t src;                /* index of the event in the file */
	uint32_t meta;
};

#define FR_KIND_BITS   5
#define FR_DIR_SHIFT   5
#define FR_SKIP        (1u << 7)
#define FR_TRUNC       (1u << 8)
#define FR_LEN4G       (1u << 9)    /* len is 2^32 (the largest the engine takes) */
#define FR_SEGS        (1u << 10)
#define FR_SCOPE_SHIFT 11
#define FR_DEV_SHIFT   13
#define FR_DEV_BITS    7
#define FR_CPU_SHIFT   20
#define FR_CPU_MAX     4095u

_Static_assert(COH_EV_DMA_UNMAP_RES < (1 << FR_KIND_BITS), "engine kinds must fit in 5 bits");
_Static_assert(COH_MAX_DEVS <= (1 << FR_DEV_BITS), "device index must fit in meta");

static inline uint64_t fr_u64(const uint32_t v[2])
{
	return (uint64_t)v[0] | (uint64_t)v[1] << 32;
}

static inline void fr_set(uint32_t v[2], uint64_t x)
{
	v[0] = (uint32_t)x;
	v[1] = (uint32_t)(x >> 32);
}

static inline unsigned fr_kind(const struct frec *r)
{
	return r->meta & ((1u << FR_KIND_BITS) - 1);
}

static inline unsigned fr_dev(const struct frec *r)
{
	return (r->meta >> FR_DEV_SHIFT) & ((1u << FR_DEV_BITS) - 1);
}

static inline void fr_set_dev(struct frec *r, unsigned dev)
{
	r->meta = (r->meta & ~(((1u << FR_DEV_BITS) - 1) << FR_DEV_SHIFT)) | dev << FR_DEV_SHIFT;
}

/* ---- reading the CPUs (ftrace_threads.c, ftrace_stream.c) -------------------------------- */

/* Growable arrays of the stream and of the loaded trace. */
struct fx_vec {
	void *p;
	uint64_t n, cap;
};

/* Device names local to one stream. */
struct fx_devtab {
	char **names;
	uint32_t *lens;
	uint64_t *first;             /* index of the first engine event naming it, or UINT64_MAX */
	uint8_t *flags;              /* FXD_* */
	unsigned n;
	unsigned last;               /* last hit */
};

#define FXD_CALLS  1                 /* it has DMA API calls */
#define FXD_ACCESS 2                 /* a dev_read/dev_write marker names it */

/* One event of a CPU, as read: its timestamp and file offset. */
struct fev {
	uint64_t ts;
	uint64_t off;                /* record->offset | FEV_REL when it has a record */
};

#define FEV_REL (1ull << 63)

/* A warning about one event, given once its index in the file is known. */
struct fx_note {
	uint64_t ev;                 /* index of the event in its stream */
	uint64_t text;               /* offset of the message in the stream's text arena */
};

#define FX_MAX_NOTES 20              /* per-event warnings kept per stream (and given) */

/*
 * Everything one CPU of the file yields (or a run of its pages: a big CPU
 * read page by page is cut into several streams, in order, so threads share
 * the work evenly).
 */
struct fx_stream {
	int idx;                     /* position in fx_load.streams */
	int cpu_index;               /* position of its CPU in the file */
	uint64_t pg_off, pg_size;    /* page mode: the pages it covers */
	unsigned cpu;                /* its CPU number (record->cpu) */
	int sorted;                  /* timestamps never go backwards */
	struct fx_vec ev;            /* struct fev per event */
	struct fx_vec recs;          /* struct frec: src = local device, addr = arena offsets */
	struct fx_vec segs;          /* packed segment lists (fx_scatter_pack) */
	struct fx_vec text;          /* char: mark texts and notes, NUL-terminated */
	struct fx_vec notes;         /* struct fx_note, at most FX_MAX_NOTES */
	struct fx_devtab devs;
	uint64_t devgen;             /* decoder device generation of devs.last */
	uint64_t *counts;            /* per slot */
	uint64_t *devcounts;         /* per local device x slot (nslots columns) */
	unsigned capdevcounts;       /* devices devcounts has room for */
	uint64_t maxoff;             /* largest record offset */
	/* counters for warnings */
	uint64_t unknown;            /* records of an id the file has no format for */
	uint64_t lost;               /* missed events the ring buffer reported */
	uint64_t lost_unknown;       /* pages with an unknown number of missed events */
	uint64_t failed;             /* dma_alloc* that returned NULL */
	uint64_t clipped;            /* records longer than what is left of their page */
	uint64_t bad;                /* calls that could not become engine events */
	uint64_t malformed;          /* marker lines with a keyword but bad fields */
	uint64_t multiline;          /* print events with more than one line */
	uint64_t truncated;          /* dma_map_sg events with lost entries */
	uint64_t maps, syncs;        /* streaming maps, dma_sync_* events */
	uint64_t toomany;            /* records dropped: their device is past COH_MAX_DEVS */
	/* merging (ftrace_merge.c) */
	int *gdev;                   /* local device -> trace device, -1 = dropped */
	uint64_t text_base;          /* where the stream's arenas go in the trace's */
	uint64_t seg_base;
	uint32_t *rank;              /* serial merge only: src of each event */
	uint32_t *rrank;             /* serial merge only: engine index of each record */
	int err;                     /* 1: reading failed, msg says why */
	char msg[256];
};

/* One CPU's compressed data: its chunks. */
struct fx_chunks {
	uint64_t vbase;              /* the offset libtracecmd gives its first page */
	uint64_t total;              /* bytes, uncompressed */
	uint32_t n;                  /* chunks */
	uint64_t *zoff;              /* owned: file offset of each chunk */
	uint64_t *uend;              /* owned: uncompressed bytes up to each chunk's end */
};

/* What the layout check learns about a file. */
struct fx_layout {
	int version;                 /* 6 or 7 */
	uint32_t page_size;          /* of the ring-buffer pages */
	int long_size;               /* of the kernel that recorded it (4 or 8) */
	int big;                     /* big-endian file */
	int compressed;              /* the CPU data is compressed */
	int cpus;                    /* CPUs of the top buffer */
	int instances;               /* buffer instances (trace-cmd record -B): not read */
	int cpustats;                /* the file has the kernel's buffer statistics */
	int ts_options;              /* options that make libtracecmd convert timestamps */
	uint64_t meta_off;           /* where the headers and formats begin */
	uint64_t kallsyms_off;       /* version 6: the kallsyms (size + text) ... */
	uint64_t kallsyms_len;
	uint64_t head_end;           /* ... and the end of the headers (the CPU table) */
	uint64_t ksec_off;           /* version 7: the kallsyms section's header, and */
	uint64_t ksec_size;          /* the bytes after it (0: none) */
	uint64_t file_size;
	uint64_t data_off;           /* where the first CPU's data begins */
	uint64_t data_bytes;         /* of CPU data, uncompressed (for progress) */
	uint64_t *page_ranges;       /* owned: uncompressed CPU data whose ring-buffer pages
				      * are still to be checked, (offset, size) per CPU index */
	int nranges;
	struct fx_chunks *chunks;    /* owned: compressed CPU data, per CPU index */
	int nchunked;
	uint64_t stat_lost;          /* overrun + commit overrun + dropped events in them */
};

/* A file being loaded: what the reading threads share. */
struct fx_load {
	struct trace *t;             /* progress is reported by thread 0 only */
	const char *path;
	int nthreads;
	int ncpus;                   /* streams: the file's CPUs, some maybe cut in runs */
	int next_cpu;                /* the next CPU a thread takes */
	unsigned nslots;             /* slots of the first thread's decoder */
	char **slot_names;           /* owned copies, nslots */
	struct fx_stream *streams;   /* ncpus, in (CPU, page) order */
	char err[512];
	struct fx_layout lay;        /* from fx_check_file() */
};

/**
 * fx_guard_open - let libtracecmd parse a version-7 file's compressed
 * headers in a child process first, so that a damaged one fails the load
 * instead of crashing dmascope
 *
 * Return: 0, or -1 with @err set ("offset N: ..." without the path; N is
 * @meta_off, where the headers begin).
 */
int fx_guard_open(const char *path, uint64_t meta_off, char *err, size_t n);

/**
 * fx_read_file - read every CPU of @path into ld->streams, in parallel
 *
 * Return: 0, or -1 with ld->err set ("offset N: ..." without the path).
 */
int fx_read_file(struct fx_load *ld);

/**
 * fx_parallel - run @fn(ctx, stream) for every stream, on up to ld->nthreads
 * threads (the caller is one of them); each stream is handed to one thread
 */
void fx_parallel(struct fx_load *ld, void (*fn)(void *ctx, struct fx_stream *st), void *ctx);

/* Per-record work of a reading thread (ftrace_stream.c). */
struct fx_reader {
	struct fx_decoder dec;
	uint64_t page_size;          /* of the file's ring-buffer pages */
};

/**
 * fx_stream_add - decode one record of @st's CPU and keep what matters
 *
 * Return: 0, or -1 when out of memory.
 */
int fx_stream_add(struct fx_reader *rd, struct fx_stream *st, const struct tep_record *rec);

/**
 * fx_read_pages - read the uncompressed ring-buffer pages of @st's CPU
 * (lay->page_ranges) with libtraceevent's kbuffer, checking each page header
 *
 * Return: 0, or -1 with st->msg set.
 */
int fx_read_pages(struct fx_reader *rd, struct fx_stream *st, const char *path,
		  const struct fx_layout *lay);

/**
 * fx_open_formats - a libtracecmd handle with a version-6 file's headers and
 * event formats only (kallsyms left out), for reading its pages here
 *
 * Return: the handle (caller closes it with tracecmd_close()), or NULL.
 */
struct tracecmd_input *fx_open_formats(const char *path, const struct fx_layout *lay);

/**
 * fx_copy_without_kallsyms - a version-7 file copied into memory with its
 * kallsyms section emptied (stored uncompressed, size 0): libtracecmd
 * decompresses and parses kallsyms at every open, which nothing here uses,
 * and that was a quarter of loading big
 * @name: receives the copy's path (/proc/self/fd/N), @n bytes
 *
 * Return: the copy's descriptor (caller closes it), or -1 (no copy: the
 * file has no kallsyms section, is over FX_COPY_MAX, or memory ran out).
 */
#define FX_COPY_MAX (64u << 20)
int fx_copy_without_kallsyms(const char *path, const struct fx_layout *lay, char *name,
			     size_t n);

/**
 * fx_stream_free - free a stream's arrays
 */
void fx_stream_free(struct fx_stream *st);

/**
 * fx_load_free - free the streams and names of a load
 */
void fx_load_free(struct fx_load *ld);

/* ---- the loaded trace (ftrace_reader.c, ftrace_merge.c) ----------------------------- */

/* The records of one CPU (or, merged, of all), with the arenas they point into. */
struct fx_part {
	struct frec *recs;           /* in file order */
	uint64_t n;
	uint8_t *segs;               /* packed segment lists */
	uint64_t nsegbytes;
	char *text;                  /* NUL-terminated strings */
	uint64_t ntext;
};

#define FX_CP 256                    /* engine events between order checkpoints */

struct ftrace {
	/*
	 * Engine events live in parts: one per CPU when every CPU's timestamps
	 * are in order (event i is then the i-th of the CPUs' records merged by
	 * (timestamp, CPU index), found from a checkpoint of every FX_CP
	 * events and a cursor), else a single part already in order.
	 */
	struct fx_part *parts;
	unsigned nparts;
	uint64_t nrecs;              /* engine events */
	uint32_t *cp;                /* per checkpoint j, per part: records before event j*FX_CP */
	uint64_t ncp;
	uint64_t cur;                /* cursor: the next event's index */
	uint64_t *pos;               /* cursor: per part, records before it */
	int cur_ok;
	uint32_t *off_lo;            /* per file event: record->offset, low 32 bits */
	uint8_t *off_hi;             /* bits 32..39; NULL while every offset fits 32 bits */
	uint64_t nevents;            /* events in the file */
	struct coh_seg *scratch;     /* segments of the last get() */
	uint32_t capscratch;
	uint8_t infer[COH_MAX_DEVS]; /* 1: set COH_F_INFER on this device's calls */
	uint8_t access[COH_MAX_DEVS];/* 1: a dev_read/dev_write marker names it */
	uint8_t calls[COH_MAX_DEVS]; /* 1: it has DMA API calls */
	/* re-reading records (ftrace_detail.c) */
	struct tracecmd_input *dh;   /* opened on first use */
	unsigned dreads;             /* regions read since dh was opened */
	uint64_t dlast;              /* offset of the last record read */
	int version;
};

/**
 * fx_locate - engine event @i of a loaded trace
 * @part: receives the part its record and arenas are in
 *
 * Moves the cursor; sequential calls cost one comparison per part.
 *
 * Return: the record (borrowed until the trace is freed), or NULL past the end.
 */
const struct frec *fx_locate(struct ftrace *f, uint64_t i, const struct fx_part **part);

/**
 * fx_order_alloc - the checkpoints and cursor of a trace with several parts
 *
 * Return: 0, or -1 when out of memory.
 */
int fx_order_alloc(struct ftrace *f);

/*
 * fx_order_note - record @k of part @p is engine event @rr (called for each
 * record of a part in order, then fx_order_end()); threads may fill
 * different parts at once.  *next is the first checkpoint not yet filled.
 */
static inline void fx_order_note(struct ftrace *f, unsigned p, uint64_t k, uint64_t rr,
				 uint64_t *next)
{
	while (*next < f->ncp && *next * FX_CP <= rr)
		f->cp[(*next)++ * f->nparts + p] = (uint32_t)k;
}

static inline void fx_order_end(struct ftrace *f, unsigned p, uint64_t n, uint64_t *next)
{
	while (*next < f->ncp)
		f->cp[(*next)++ * f->nparts + p] = (uint32_t)n;
}

/**
 * fx_parts_free - free the parts, checkpoints and cursor
 */
void fx_parts_free(struct ftrace *f);

/**
 * fx_merge - merge the streams in `trace-cmd report` order into @f
 *
 * Return: 0, or -1 with @err set.
 */
int fx_merge(struct trace *t, struct ftrace *f, struct fx_load *ld, char *err, size_t n);

/* The layout: fx_check_file() in ftrace_check.c, the CPU data checks in
 * ftrace_check_data.c. */

/**
 * fx_check_file - check the layout of a trace.dat before libtracecmd reads it
 * @fd:   open on the file
 * @size: its size
 * @lay:  receives what was learnt
 * @err, @n: "offset N: what" on failure
 *
 * Return: 0 when libtracecmd can be let loose on it, -1 otherwise.
 */
int fx_check_file(int fd, uint64_t size, struct fx_layout *lay, char *err, size_t n);

/**
 * fx_check_pages - check the ring-buffer page headers of one CPU's
 * uncompressed data (lay->page_ranges[2 * cpu_index ...]); reading threads
 * call it before libtracecmd reads that CPU
 *
 * Return: 0, or -1 with "offset N: ..." in @err.
 */
int fx_check_pages(const char *path, const struct fx_layout *lay, int cpu_index, char *err,
		   size_t n);

/**
 * fx_check_page - check one ring-buffer page header at file offset @at,
 * @avail bytes of data from it on
 *
 * Return: 0, or -1 with "offset N: ..." in @err.
 */
int fx_check_page(const struct fx_layout *lay, const unsigned char *page, uint64_t at,
		  uint64_t avail, char *err, size_t n);

/**
 * fx_check_read - after a CPU was read: did libtracecmd get through its
 * compressed data?  (It reports a chunk it cannot decompress as the end of
 * the CPU's data.)  @any: a record was read; @last: the last one's offset
 *
 * Return: 0, or -1 with "offset N: ..." in @err naming the chunk.
 */
int fx_check_read(const struct fx_layout *lay, int cpu_index, int any, uint64_t last,
		  char *err, size_t n);

/**
 * fx_layout_free - free what fx_check_file() allocated in @lay
 */
void fx_layout_free(struct fx_layout *lay);

/**
 * fx_detail - the text of file event @src (ops->detail)
 */
int fx_detail(struct trace *t, struct ftrace *f, uint64_t src, char *buf, size_t n);

/**
 * fx_line - file event @src as `trace-cmd report` prints it (trace_line)
 */
int fx_line(struct trace *t, struct ftrace *f, uint64_t src, char *buf, size_t n);

/**
 * fx_detail_close - free the re-reading state
 */
void fx_detail_close(struct ftrace *f);

/**
 * ftrace_bytes - memory the loaded trace holds in its own allocations
 * (compact events, offsets, arenas, device and warning tables), for benchmarks
 */
uint64_t ftrace_bytes(const struct trace *t);

/* growable arrays (ftrace_stream.c) */
int fx_vec_reserve(struct fx_vec *v, uint64_t more, size_t elem);

static inline int fx_vec_room(struct fx_vec *v, uint64_t more, size_t elem)
{
	return v->n + more <= v->cap ? 0 : fx_vec_reserve(v, more, elem);
}

void fx_vec_free(struct fx_vec *v);
/* ask for transparent huge pages on a large buffer (fewer page faults) */
void fx_hugepages(void *p, size_t len);

/* packed scatter lists (ftrace_scatter.c) */
size_t fx_scatter_max(uint32_t n);          /* bytes fx_scatter_pack() may write for n entries */
size_t fx_scatter_pack(uint8_t *out, const struct coh_seg *s, uint32_t n);
void fx_scatter_unpack(const uint8_t *in, struct coh_seg *s, uint32_t n);
size_t fx_scatter_len(const uint8_t *in, uint32_t n);   /* bytes of a packed list */
uint64_t fx_scatter_first_addr(const uint8_t *in);

#endif
