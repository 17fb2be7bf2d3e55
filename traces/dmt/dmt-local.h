/* SPDX-License-Identifier: MIT */
/*
 * dmt-local.h - what the .dmt reader (dmt_reader.c, dmt_header.c, dmt_event.c,
 * dmt_parser.c), its lexer (dmt_lex.c), its field tables (dmt_fields.c) and
 * its writer (dmt_write.c) share.  The format is documented in docs/trace-format.md.
 */
#ifndef DMT_LOCAL_H
#define DMT_LOCAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "coh_event.h"
#include "coh_log.h"
#include "coh_platform.h"
#include "trace-local.h"

#define DMT_MAGIC      "dmascope-trace"
#define DMT_VERSION    1
#define DMT_LINE_MAX   (8u << 20)     /* longest line, in bytes (without the newline) */
#define DMT_MSG_MAX    320            /* longest message of a lexer or field error */

/* ---- fields (dmt_fields.c) ---------------------------------------------- */

/* Everything an event line can carry after its kind, in the writer's order. */
#define DMT_FIELDS(_)                                                     \
	_(CPU,           "cpu")                                           \
	_(DEV,           "dev")                                           \
	_(ADDR,          "addr")                                          \
	_(BUS,           "bus")                                           \
	_(SEG,           "seg")                                           \
	_(NENTS,         "nents")                                         \
	_(OFF,           "off")                                           \
	_(LEN,           "len")                                           \
	_(HANDLE,        "handle")                                        \
	_(IRP,           "irp")                                           \
	_(DIR,           "dir")                                           \
	_(SCOPE,         "scope")                                         \
	_(TEXT,          "text")                                          \
	_(DATA,          "data")                                          \
	_(WRITE_TO_DEV,  "WriteToDevice")                                 \
	_(READ_OP,       "ReadOperation")                                 \
	_(DMA_OP,        "DmaOperation")                                  \
	_(CACHE_ENABLED, "CacheEnabled")                                  \
	_(SKIP_CPU_SYNC, "SKIP_CPU_SYNC")                                 \
	_(TRUNCATED,     "truncated")                                     \
	_(INFER,         "infer")                                         \
	_(STATUS,        "status")                                        \
	_(SRC,           "src")

enum dmt_field {
#define DMT_FIELD_ENUM(sfx, name) DMT_##sfx,
	DMT_FIELDS(DMT_FIELD_ENUM)
#undef DMT_FIELD_ENUM
	DMT_NFIELDS
};

#define DMT_BIT(f) (1u << DMT_##f)

/**
 * dmt_field_name - the keyword of a field ("addr", "WriteToDevice")
 *
 * Return: a static string ("?" for an unknown field).
 */
const char *dmt_field_name(unsigned f);

/**
 * dmt_field_lookup - a field by keyword (exact, case-sensitive)
 *
 * Return: enum dmt_field, or -1.
 */
int dmt_field_lookup(const char *s, size_t n);

/**
 * dmt_field_flag - the COH_F_* bit a flag field stands for
 *
 * Return: the bit, or 0 for a field that is not a flag.
 */
uint32_t dmt_field_flag(unsigned f);

/**
 * dmt_allowed / dmt_required / dmt_shown - per event kind, bit masks of
 * DMT_BIT(): the fields a line of that kind may carry, must carry, and that
 * the writer writes even when they hold their default value.
 *
 * Return: the mask (0 for an unknown kind).
 */
uint32_t dmt_allowed(unsigned kind);
uint32_t dmt_required(unsigned kind);
uint32_t dmt_shown(unsigned kind);

/**
 * dmt_default_dir - dir of an event of @kind whose line gives no dir=
 *
 * Return: enum coh_dir.
 */
uint8_t dmt_default_dir(unsigned kind);

/**
 * dmt_platform_none - the platform "base=none" starts from: docs/model.md
 * section 1's defaults (L=64, 64 sets x 8 ways, 1 CPU, noncoherent devices
 * without bounce buffers, DMA interface v2, no controller, no posted writes)
 * @p: filled in, with no devices
 */
void dmt_platform_none(struct coh_platform *p);

/**
 * dmt_list_fields - the keywords of @mask, comma-separated, into @buf
 * @buf: receives them (always NUL-terminated when @n > 0; cut short if small)
 */
void dmt_list_fields(uint32_t mask, char *buf, size_t n);

/**
 * dmt_status_parse - an NTSTATUS name, TRUE/FALSE, or a 32-bit number
 *
 * Return: 0 with *out set, or -1.
 */
int dmt_status_parse(const char *s, size_t n, int32_t *out);

/**
 * dmt_status_name - the NTSTATUS name the writer uses for @st
 *
 * Return: a static string, or NULL when @st has no name.
 */
const char *dmt_status_name(int32_t st);

/**
 * dmt_parse_u64 - a decimal or 0x-hexadecimal number filling all of s[0..n)
 *
 * Return: 0 with *out set, -1 when it is not a number, -2 when it does not
 * fit in 64 bits.
 */
int dmt_parse_u64(const char *s, size_t n, uint64_t *out);

/**
 * dmt_parse_ts - seconds with up to 9 decimals ("12.000345678") into ns
 *
 * Return: 0, -1 (not a timestamp), -2 (too large), -3 (more than 9 decimals).
 */
int dmt_parse_ts(const char *s, size_t n, uint64_t *out);

/**
 * dmt_next_ts - the timestamp an event without one gets: @prev + 1 ns
 * (saturating), or 0 for the first event
 *
 * Return: the timestamp in ns.
 */
uint64_t dmt_next_ts(int have_prev, uint64_t prev);

/* ---- lexer (dmt_lex.c) --------------------------------------------------- */

/* A line reader that never holds more than DMT_LINE_MAX bytes of one line. */
struct dmt_reader {
	FILE *f;                     /* the file (borrowed) */
	char *buf;                   /* owned */
	size_t cap, start, end;      /* buf[start..end) not yet returned */
	uint64_t buf_off;            /* file offset of buf[0] */
	int eof;                     /* no more bytes to read */
	int err;                     /* errno of a read error, else 0 */
};

/**
 * dmt_reader_init / dmt_reader_free - set up and release a line reader
 *
 * Return (init): 0, or -1 when out of memory; the reader borrows @f and owns
 * its buffer until dmt_reader_free().
 */
int dmt_reader_init(struct dmt_reader *r, FILE *f);
void dmt_reader_free(struct dmt_reader *r);

/**
 * dmt_reader_next - the next line, without its "\n" (nor a "\r" before it)
 * @line: receives the line, borrowed until the next call or dmt_reader_free()
 *        (the caller may modify it)
 * @len:  its length
 * @off:  file offset of its first byte
 *
 * Return: 1, 0 at end of file, -1 on a read error (r->err) or -2 when the
 * line is longer than DMT_LINE_MAX.
 */
int dmt_reader_next(struct dmt_reader *r, char **line, size_t *len, uint64_t *off);

/* One token: a bare word, a quoted string, or key=value. */
struct dmt_tok {
	const char *word;            /* bare word or key (decoded if quoted) */
	size_t wlen;
	const char *val;             /* value after '=' (decoded if quoted), NULL if none */
	size_t vlen;
	unsigned col;                /* 1-based column of the token */
	unsigned vcol;               /* column of the value */
	int quoted;                  /* word was a quoted string */
};

struct dmt_lex {
	char *line;                  /* the line; quoted strings are decoded in place */
	size_t len;
	size_t pos;
	size_t last_end;             /* just past the last token */
	unsigned errcol;             /* column of the error */
	char msg[DMT_MSG_MAX];       /* what went wrong */
};

/**
 * dmt_lex_init - start lexing @line (modified in place)
 *
 * Return: 0, or -1 (errcol, msg) when the line holds a NUL or a control byte.
 */
int dmt_lex_init(struct dmt_lex *lx, char *line, size_t len);

/**
 * dmt_lex_next - the next token of the line
 *
 * Return: 1 and *tok (whose strings are borrowed from the line), 0 at the end
 * of the line (or a comment), -1 (errcol, msg).
 */
int dmt_lex_next(struct dmt_lex *lx, struct dmt_tok *tok);

/**
 * dmt_lex_endcol - the column just past the last token of the line
 *
 * Return: a 1-based column.
 */
unsigned dmt_lex_endcol(const struct dmt_lex *lx);

/**
 * dmt_word_is - is a token the bare word @s (not quoted, no value)?
 *
 * Return: 1 or 0.
 */
int dmt_word_is(const struct dmt_tok *tok, const char *s);

/* ---- reader internals (dmt_reader.c, dmt_header.c, dmt_event.c) ---------- */

/* Counters kept while loading, handed to trace_stats_* at the end. */
struct dmt_stats {
	uint64_t kind[COH_EV_COUNT];
	uint8_t kind_order[COH_EV_COUNT];
	unsigned nkind_order;
	uint64_t dev[COH_MAX_DEVS];
	uint64_t devkind[COH_MAX_DEVS][COH_EV_COUNT];
	uint32_t *pair_order;        /* dev * COH_EV_COUNT + kind, first use first */
	size_t npairs, cappairs;
	uint64_t cpu[COH_MAX_CPUS];
	uint64_t min_ts, max_ts;
};

/* Scratch space one event line borrows. */
struct dmt_scratch {
	struct coh_seg *segs;
	size_t capsegs;
	uint8_t *data;
	size_t capdata;
	char *text;
	size_t captext;
};

struct dmt_parser {
	struct trace *t;
	struct dmt *d;
	char *err;                   /* where load() reports */
	size_t errn;
	uint64_t lineno;             /* 1-based */
	struct dmt_lex lx;           /* the current line */
	int in_body;                 /* an event line has been read */
	int seen_magic, seen_ends, seen_devices;
	int have_platform;           /* a platform line was read */
	int cpus_explicit;           /* it gave cpus= */
	int strict_devs;             /* "devices strict" */
	int declaring;               /* a device line is adding its device */
	int ends_open;               /* "ends open" */
	int have_prev;               /* an event was read: prev_ts is its ts */
	uint64_t prev_ts;
	uint64_t backwards;          /* timestamps lower than the previous one */
	uint64_t backwards_line;     /* the line of the first */
	struct dmt_scratch s;
	struct dmt_stats *st;
	struct coh_platform chk;     /* what events are checked against (ncpus, ndevs) */
	unsigned last_dev;           /* device found by the previous lookup */
};

/* A loaded .dmt file. */
struct dmt {
	FILE *f;                     /* the file, kept open to re-read lines */
	struct coh_log *log;         /* events (src stored as NONE when it is the ordinal) */
	uint64_t *off;               /* file offset of each file event's line */
	uint64_t nfile;              /* events read from the file */
	uint64_t capoff;
	int implicit_end;            /* the log's last event is the appended trace_end */
	uint64_t *none_src;          /* indices of events with an explicit src=none */
	uint64_t nnone, capnone;
	int explicit_src;            /* some line gave src= */
	int src_sorted;              /* the srcs never decrease */
	uint64_t last_src;
	/* trace_lineno()'s table, read on its first call: from file event
	 * line_at[k] on (to the next run), event i is on line i + line_add[k] */
	uint64_t *line_at, *line_add;
	uint64_t nline_runs, capline;
	uint64_t nlined;             /* the events the table knows (the file may end early) */
	int lines_read;              /* 1: the table is read (or could not be) */
};

/* The parse in progress (dmt_parser.c). */

/**
 * dmt_perr - report a parse error at column @col of the current line
 *
 * Return: -1, always.
 */
int dmt_perr(struct dmt_parser *ps, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * dmt_header_line - handle a header line (its first token already read)
 *
 * Return: 1 when @first is a header keyword and the line was handled, 0
 * when it is not a header keyword, -1 on error.
 */
int dmt_header_line(struct dmt_parser *ps, const struct dmt_tok *first);

/**
 * dmt_event_line - parse an event line (its first token already read)
 * @ev:   receives the event; its pointers borrow the parser's scratch space;
 *        its src is left for the caller to fill in
 * @seen: receives the DMT_BIT()s of the fields the line gave
 *
 * Return: 0, or -1 on error.
 */
int dmt_event_line(struct dmt_parser *ps, const struct dmt_tok *first, struct coh_event *ev,
		   uint32_t *seen);

/**
 * dmt_device - the index of a device named in an event, adding it when new
 *
 * Return: the index, or -1 on error (reported).
 */
int dmt_device(struct dmt_parser *ps, const char *name, size_t len, unsigned col);

/**
 * dmt_copy_name - a device or platform name into @out (COH_NAME_MAX)
 *
 * Return: 0, or -1 (reported) when empty or too long.
 */
int dmt_copy_name(struct dmt_parser *ps, const struct dmt_tok *tok, const char *s, size_t n,
		  char *out);

/* ---- writer helpers (dmt_write.c) ---------------------------------------- */

/**
 * dmt_word_safe - can @s be written as a bare word?
 *
 * Return: 1 or 0 (0 also for an empty string).
 */
int dmt_word_safe(const char *s, size_t n);

#endif
