/* SPDX-License-Identifier: MIT */
/*
 * report.h - rendering the findings of `dmascope check` (text, JSON, SARIF).
 *
 * A renderer ("sink") is opened once, given one struct report_file per
 * trace file in the order they were checked, then closed, which writes what
 * is left (JSON and SARIF are written whole at the end; text as it comes).
 * A report_file only borrows: the trace and the simulation behind it stay
 * alive while add() runs.  Nothing here touches a trace or an engine
 * simulation directly, so tests render hand-built findings.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "coh_event.h"
#include "coh_finding.h"
#include "coh_platform.h"

#ifndef DMASCOPE_VERSION
#define DMASCOPE_VERSION "0.0.0"   /* the Makefile defines the real one */
#endif

struct report_file {
	const char *path;            /* the trace file as given on the command line */
	const char *error;           /* why it could not be read, or NULL */
	const char *format;          /* "ftrace", "dmt", ... (trace_format_name) */
	const struct coh_platform *plat;  /* replayed on (names the devices) */
	unsigned sim_flags;          /* COH_SIM_* it was replayed with */
	uint64_t events;             /* engine events replayed */
	uint64_t file_replayed;      /* how many of them are events of the file
				      * (not added by the reader, like its end) */
	size_t nwarnings;            /* reader warnings */
	const char *const *warnings;
	uint64_t stale_reads;        /* coh_sim_stale_reads() */
	size_t nfindings;            /* findings in firing order; parent indexes this */
	const struct coh_finding *const *findings;
	/* file event index (src) of engine event @seq, COH_SRC_NONE if unknown;
	 * NULL means the engine index is the file index */
	uint64_t (*src_of)(void *ctx, uint64_t seq);
	void *src_ctx;
	/* the callbacks below take src_ctx and may be NULL (nothing known) */
	/* engine event @seq, pointers borrowed until the next call; 0 or -1 */
	int (*event)(void *ctx, uint64_t seq, struct coh_event *ev);
	/* file event @src as the trace shows it (trace_line); length or -1 */
	int (*line)(void *ctx, uint64_t src, char *buf, size_t n);
	/* 1-based line of file event @src in a text trace (.dmt), 0 if none */
	uint64_t (*lineno)(void *ctx, uint64_t src);
	uint64_t file_events;        /* events in the file (trace_stats), 0 if unknown */
	const struct report_view *view;  /* text: what to show; NULL = everything */
	/* check --platform all|LIST: the presets replayed, and which of them
	 * each finding appears on (report_matrix.c); NULL: one platform */
	const struct report_platforms *platforms;
};

/* ---- several platforms at once (report_matrix.c) -------------------------- */

#define REPORT_MAX_PRESETS 64        /* a finding's presets are bits of a uint64_t */

/* One preset of check --platform all|LIST, as its own replay saw the file. */
struct report_preset {
	const struct coh_platform *plat;  /* the preset with the trace's devices */
	const char *error;           /* why its replay failed, or NULL */
	uint64_t stale_reads;        /* coh_sim_stale_reads() of its run */
	size_t nfindings;            /* findings of its run */
	size_t roots;                /* root findings of its run */
	size_t errors;               /* of them, findings among DC001-DC012 */
};

/*
 * The findings of several replays of one file, merged: a finding of one
 * preset is the same finding on another when id, rule, file event index,
 * device and range agree (consequences are matched inside their root only).
 * A report_file with .platforms set holds the merged findings: each root
 * once, in firing order, its consequences after it.
 */
struct report_platforms {
	size_t n;                    /* presets, in the order asked (<= REPORT_MAX_PRESETS) */
	const struct report_preset *p;
	const uint64_t *mask;        /* per merged finding: bit k = found on preset k */
	const uint8_t *first;        /* per merged finding: the first preset it is on,
				      * whose run its text and evidence come from */
	const struct coh_finding *base;  /* the merged findings (rf->findings[i] == base + i) */
};

/* What report_matrix_merge() builds (and report_matrix_free() frees). */
struct report_merged {
	size_t n;
	struct coh_finding *f;       /* the merged findings, parents renumbered */
	const struct coh_finding **ptr;  /* &f[i], for report_file.findings */
	uint64_t *mask;
	uint8_t *first;
};

/**
 * report_matrix_merge - merge the findings of @n replays of one file
 * @per:  per preset, its findings in firing order (a consequence's parent
 *        indexes its own preset's array)
 * @nper: per preset, how many
 * @out:  the merged findings and their presets
 *
 * Return: 0, or -1 when out of memory or @n > REPORT_MAX_PRESETS.
 */
int report_matrix_merge(const struct coh_finding *const *const *per, const size_t *nper,
			size_t n, struct report_merged *out);

/**
 * report_matrix_free - free what report_matrix_merge() built
 */
void report_matrix_free(struct report_merged *m);

/**
 * report_finding_mask - the presets finding @i of @rf appears on (bit k:
 * rf->platforms->p[k]); 1 when @rf is of one platform
 */
uint64_t report_finding_mask(const struct report_file *rf, size_t i);

/**
 * report_finding_plat - the platform finding @f of @rf was replayed on
 * (its first preset's with several)
 */
const struct coh_platform *report_finding_plat(const struct report_file *rf,
					       const struct coh_finding *f);

/* What the text report shows (check's options); JSON and SARIF show all. */
struct report_view {
	unsigned max_per_id;         /* entries listed per id, 0 = no limit */
	int quiet;                   /* 1: summary only */
	int info;                    /* 1: list information findings (DC013, info) */
	uint8_t hide[COH_FID_COUNT]; /* 1: do not list this id */
};

struct report_sink_ops {
	const char *name;            /* "text", "json", "sarif" */
	/* returns the sink's state, NULL when out of memory */
	void *(*open)(FILE *out);
	/* one checked (or unreadable) file; 0 or -1 (out of memory) */
	int (*add)(void *st, const struct report_file *rf);
	/* write what is left and free the state; 0 or -1 (write error) */
	int (*close)(void *st);
};

extern const struct report_sink_ops report_text_ops;
extern const struct report_sink_ops report_json_ops;
extern const struct report_sink_ops report_sarif_ops;

/**
 * report_sink_lookup - a renderer by name ("text", "json", "sarif")
 *
 * Return: a static table, or NULL for an unknown name.
 */
const struct report_sink_ops *report_sink_lookup(const char *name);

/**
 * report_status - the exit status a file earns (the worst over its presets)
 *
 * Return: 2 unreadable or a preset's replay failed, 1 when a finding among DC001-DC012 fired (DC013 and
 * information never count), else 0.
 */
int report_status(const struct report_file *rf);

/**
 * report_counts - whether a finding counts as an error
 *
 * Return: 1 for DC001-DC012 not marked information, else 0.
 */
int report_counts(const struct coh_finding *f);

/**
 * report_parent - the finding @i is listed under
 *
 * Return: its parent when that is another finding of @rf and following
 * parents from there ends at a root (no cycle); else -1: @i is a root.
 */
long report_parent(const struct report_file *rf, size_t i);

/* Findings as a forest: roots and, under each, its consequences, in firing order. */
struct report_tree {
	size_t n;                    /* findings */
	long *parent;                /* report_parent() of each */
	long *child;                 /* first consequence, -1 if none */
	long *next;                  /* next sibling, -1 if none */
};

/**
 * report_tree_build - link the findings of @rf
 *
 * Return: 0, or -1 when out of memory; free with report_tree_free().
 */
int report_tree_build(const struct report_file *rf, struct report_tree *t);

/**
 * report_tree_free - free what report_tree_build() allocated
 */
void report_tree_free(struct report_tree *t);

/**
 * report_src - file event index of engine event @seq
 *
 * Return: the index, or COH_SRC_NONE.
 */
uint64_t report_src(const struct report_file *rf, uint64_t seq);

/**
 * report_finding_src - file event index where @f fired (its src, else
 * derived from its engine index)
 *
 * Return: the index, or COH_SRC_NONE.
 */
uint64_t report_finding_src(const struct report_file *rf, const struct coh_finding *f);

/**
 * report_device - the name of device @dev on the file's platform
 *
 * Return: borrowed from rf->plat, or NULL when there is none.
 */
const char *report_device(const struct report_file *rf, int32_t dev);

struct report_note;

/**
 * report_message - the one-line message of a finding (rule, bytes, address,
 * the API function omitted or misplaced), without a trailing newline
 * @note: report_notes() entry of @f (names the function as the mapping was
 *        made), or NULL to name it from @f alone
 *
 * Return: the length the whole line has (as snprintf).
 */
int report_message(const struct report_file *rf, const struct coh_finding *f,
		   const struct report_note *note, char *buf, size_t n);

/**
 * report_explain - the finding's explanation paragraph (coh_finding_explain),
 * without the engine's name for the call omitted (report_message names it)
 *
 * Return: caller frees with free(); NULL when out of memory.
 */
char *report_explain(const struct report_file *rf, const struct coh_finding *f);

/**
 * report_hex - @n bytes as lowercase hex digits, no separators
 *
 * Return: @buf (room for 2 * n + 1).
 */
char *report_hex(char *buf, const uint8_t *bytes, size_t n);

/**
 * report_severity - how a finding is labelled
 *
 * Return: a static "error" or "info".
 */
const char *report_severity(const struct coh_finding *f);

/**
 * report_wrap - print @text wrapped at 78 columns, each line indented by
 * @indent spaces
 */
void report_wrap(FILE *out, const char *text, int indent);

/**
 * report_ts - a timestamp in seconds as `trace-cmd report` prints it
 * (rounded to the nearest microsecond: "10.904137")
 *
 * Return: @buf.
 */
char *report_ts(char *buf, size_t n, uint64_t ts_ns);

/**
 * report_ts_us - the same timestamp in whole microseconds
 */
uint64_t report_ts_us(uint64_t ts_ns);

/**
 * report_ts_seconds - the same timestamp in seconds, for JSON (10.904137)
 */
double report_ts_seconds(uint64_t ts_ns);

/* ---- what the trace says around a finding (report_note.c) --------------- */

/* A call event, kept without its borrowed pointers. */
struct report_call {
	uint64_t seq;                /* engine index, COH_SEQ_NONE when none */
	uint16_t kind;               /* enum coh_kind, COH_EV_NONE when none */
	uint8_t dir;                 /* enum coh_dir */
	uint32_t flags;              /* COH_F_* */
	uint32_t nents;              /* sg nents as passed */
	uint64_t addr, bus, len;     /* as the event gives them; len sums the segments */
};

struct report_note {
	struct report_call at;       /* the event the finding fired at */
	struct report_call map;      /* the map or alloc call the bytes belong to */
	struct report_call end;      /* the unmap or free that ended it before @at */
	uint64_t write_seq;          /* the CPU write the device never got, COH_SEQ_NONE */
	const char *call;            /* real API function omitted or misplaced, or NULL */
	int windows;                 /* 1: a Windows finding (Windows advice only) */
	char seq[72];                /* open marker sequence ("seq begin id=S05"), or "" */
	char phase[72];              /* open phase ("phase begin name=rx"), or "" */
	char facts[256];             /* what makes it a bug, "" when the message says it */
};

/**
 * report_notes - look up, for every finding of @rf, the calls and scope
 * around it (through rf->event; everything stays empty without it)
 *
 * Return: an array of rf->nfindings notes (free with free()), NULL when out
 * of memory.
 */
struct report_note *report_notes(const struct report_file *rf);

/* ---- map and unmap calls by address (report_maps.c) ---------------------- */

struct report_maps;

/**
 * report_maps_new - an empty index of map and end (unmap, free) calls
 *
 * Return: caller frees with report_maps_free(); NULL when out of memory.
 */
struct report_maps *report_maps_new(void);

/**
 * report_maps_free - free @m (NULL is fine)
 */
void report_maps_free(struct report_maps *m);

/**
 * report_maps_add - keep engine event @seq, a map call (@end 0) or an
 * unmap or free (@end 1), by the ranges it covers; calls come in index order
 *
 * Return: 0, or -1 when out of memory.
 */
int report_maps_add(struct report_maps *m, uint64_t seq, const struct coh_event *ev, int end);

/**
 * report_maps_forget - let go of the calls before engine index @lo: no
 * later report_maps_find() asks about them
 */
void report_maps_forget(struct report_maps *m, uint64_t lo);

/**
 * report_maps_find - among the calls at [@lo, @hi) of device @dev (any when
 * < 0) whose ranges hold the physical address @pa or the bus address @ba
 * (COH_ADDR_NONE: not asked), the newest map call (@map) and the newest end
 * call after it (@end, after none when there is no map); COH_SEQ_NONE for
 * none
 */
void report_maps_find(const struct report_maps *m, int32_t dev, uint64_t pa, uint64_t ba,
		      uint64_t lo, uint64_t hi, uint64_t *map, uint64_t *end);

struct report_lines;

/* Everything a renderer derives from a file's findings. */
struct report_ctx {
	struct report_tree tree;     /* roots and consequences */
	struct report_note *notes;   /* report_notes() */
	long *group;                 /* per finding: the first root of its group of
				      * identical roots (itself for that one), -1 for
				      * a consequence */
	size_t *members;             /* per first root: findings in its group */
	struct report_lines *lines;  /* report_ctx_lines(), NULL: read as asked */
};

/**
 * report_ctx_build - tree, notes and groups of @rf's findings.  Roots are
 * identical (one group) when id, rule, device, the strict/inferred/info
 * flags and the API function omitted agree: a bug repeated on every packet.
 *
 * Return: 0, or -1 when out of memory (nothing to free then).
 */
int report_ctx_build(const struct report_file *rf, struct report_ctx *c);

/**
 * report_ctx_free - free what report_ctx_build() allocated
 */
void report_ctx_free(struct report_ctx *c);

/**
 * report_call_name - the API function a finding's omitted call stands for,
 * as the mapping was made: dma_sync_single_for_cpu for a single mapping,
 * dma_sync_sg_for_cpu for a scatter list, dma_unmap_sg, dma_free_coherent,
 * FlushAdapterBuffersEx after MapTransferEx, ...
 * @omitted:  enum coh_kind the engine names (f->omitted)
 * @map_kind: kind of the mapping's map call, COH_EV_NONE when unknown
 * @at_kind:  kind of the event the finding fired at, COH_EV_NONE when unknown
 *
 * Return: a static string, or NULL when @omitted is COH_EV_NONE.
 */
const char *report_call_name(unsigned omitted, unsigned map_kind, unsigned at_kind);

/**
 * report_call_rename - @line, the engine's words about an event of @kind,
 * with the kind's name said as @api, the function a driver calls
 * (dma_sync_for_cpu: dma_sync_single_for_cpu); unchanged when @api is NULL
 * or the same, or the kind's name is not a word of @line
 */
void report_call_rename(char *line, size_t n, unsigned kind, const char *api);

/**
 * report_line - file event @src as the trace shows it, into @buf
 * (report_lines.c)
 *
 * Return: @buf, or NULL when the file cannot say.
 */
const char *report_line(const struct report_file *rf, uint64_t src, char *buf, size_t n);

#define REPORT_LINE_MAX 1024         /* the room a JSON or SARIF line has */

/**
 * report_ctx_lines - read ahead, in file order, every line a JSON or SARIF
 * finding of @rf prints (its event's, its map, unmap and write calls')
 *
 * Return: 0, or -1 when out of memory; report_ctx_free() frees them.
 */
int report_ctx_lines(const struct report_file *rf, struct report_ctx *c);

/**
 * report_ctx_line - report_line() of @src into @buf (REPORT_LINE_MAX bytes),
 * from what report_ctx_lines() read when it has it
 *
 * Return: borrowed until report_ctx_free() or the next call, NULL when the
 * file cannot say.
 */
const char *report_ctx_line(const struct report_file *rf, const struct report_ctx *c,
			    uint64_t src, char *buf);

/**
 * report_lines_free - free what report_ctx_lines() read (NULL is fine)
 */
void report_lines_free(struct report_lines *l);

#endif
