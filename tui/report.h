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

#include <jansson.h>

#include "coh_finding.h"
#include "coh_platform.h"

struct report_file {
	const char *path;            /* the trace file as given on the command line */
	const char *error;           /* why it could not be read, or NULL */
	const char *format;          /* "ftrace", "dmt", ... (trace_format_name) */
	const struct coh_platform *plat;  /* replayed on (names the devices) */
	unsigned sim_flags;          /* COH_SIM_* it was replayed with */
	uint64_t events;             /* engine events replayed */
	size_t nwarnings;            /* reader warnings */
	const char *const *warnings;
	uint64_t stale_reads;        /* coh_sim_stale_reads() */
	size_t nfindings;            /* findings in firing order; parent indexes this */
	const struct coh_finding *const *findings;
	/* file event index (src) of engine event @seq, COH_SRC_NONE if unknown;
	 * NULL means the engine index is the file index */
	uint64_t (*src_of)(void *ctx, uint64_t seq);
	void *src_ctx;
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
 * report_status - the exit status a file earns
 *
 * Return: 2 unreadable, 1 when a finding among DC001-DC012 fired (DC013 and
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

/**
 * report_message - the one-line message of a finding (rule, bytes, address,
 * the call omitted or misplaced), without a trailing newline
 *
 * Return: the length the whole line has (as snprintf).
 */
int report_message(const struct report_file *rf, const struct coh_finding *f,
		   char *buf, size_t n);

/**
 * report_explain - the finding's explanation paragraph (coh_finding_explain)
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

/* ---- JSON pieces (report_json.c), shared with SARIF ---------------------- */

/* json_dumpf flags: timestamps keep their microseconds and nothing more */
#define REPORT_JSON_FLAGS JSON_REAL_PRECISION(15)

/**
 * report_json_platform - a platform and its devices
 * report_json_hex - "0x..." string
 * report_json_src - an event index, or null for COH_SRC_NONE
 * report_json_str - a string, or null for NULL
 *
 * Return: a new reference (caller frees with json_decref()), NULL when out
 * of memory.
 */
json_t *report_json_platform(const struct coh_platform *p);
json_t *report_json_hex(uint64_t v);
json_t *report_json_src(uint64_t src);
json_t *report_json_str(const char *s);

/* ---- what each finding id means (docs/model.md section 3) -------------------- */

struct finding_doc {
	unsigned fid;                /* enum coh_fid */
	const char *title;           /* a short sentence */
	const char *when;            /* exactly when it fires */
	const char *cause;           /* the typical cause */
	const unsigned *rules;       /* enum coh_rule variants, 0-terminated */
};

/**
 * finding_doc - the documentation of an id
 *
 * Return: a static entry, or NULL for an id without one.
 */
const struct finding_doc *finding_doc(unsigned fid);

#endif
