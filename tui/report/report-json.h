/* SPDX-License-Identifier: MIT */
/*
 * report-json.h - the JSON pieces the JSON and SARIF reports share
 * (report_json_ctx.c, report_json_value.c, report_json.c).  The only report
 * header that includes jansson: json_t stays inside the JSON and SARIF files.
 */
#ifndef REPORT_JSON_H
#define REPORT_JSON_H

#include <jansson.h>

#include "report.h"

/**
 * report_json_context - what the trace says around finding @i: its line,
 * the related calls, facts, scope, API, group, as members of @o
 * (docs/json.md)
 *
 * Return: 0, or -1 when a value could not be built.
 */
int report_json_context(json_t *o, const struct report_file *rf, const struct report_ctx *c,
			size_t i);

/* json_dumpf flags: timestamps keep their microseconds and nothing more */
#define REPORT_JSON_FLAGS JSON_REAL_PRECISION(15)

/**
 * report_json_platform - a platform and its devices (report_json.c)
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

/**
 * report_json_put - json_object_set_new() of @v as @key of @o
 * report_json_push - json_array_append_new() of @v to @a
 * @failed: set to 1 when it fails (a NULL @v fails), left alone otherwise,
 *          so a document is built in one go and checked once at the end
 *
 * Both take @v's reference, as jansson's *_new functions do.
 */
void report_json_put(json_t *o, const char *key, json_t *v, int *failed);
void report_json_push(json_t *a, json_t *v, int *failed);

/**
 * report_json_where - where finding @f happened, as members of @o in this
 * order: event (the file's index), ts (seconds), device, cpu, addr, len
 * @failed: set to 1 when a member could not be added
 */
void report_json_where(json_t *o, const struct report_file *rf, const struct coh_finding *f,
		       int *failed);

/* A buffer values are dumped into, reused from one value to the next. */
struct report_json_buf {
	char *buf;                   /* the last value dumped (not 0-terminated); free() it */
	size_t cap;                  /* its size */
};

/**
 * report_json_dump - @v as JSON_INDENT(2) text into @b (grown as needed)
 *
 * Return: its length (borrowed in b->buf until the next dump), 0 when out of memory.
 */
size_t report_json_dump(struct report_json_buf *b, const json_t *v);

/**
 * report_json_indented - write @len bytes of @text with every line, the
 * first included, indented by @indent spaces (at most 16)
 */
void report_json_indented(FILE *out, const char *text, size_t len, int indent);

/**
 * report_json_write - dump @v (a new reference, consumed) and write it
 * indented by @indent, leaving out its last @strip bytes (2: the "\n}" of an
 * object that goes on)
 *
 * Return: 0, or -1 when @v is NULL or out of memory.
 */
int report_json_write(FILE *out, struct report_json_buf *b, json_t *v, int indent,
		      size_t strip);

/**
 * report_json_presets - the "platforms" array of a file of several
 * platforms: per preset its name, status, error, counts and platform
 * report_json_on - the "platforms" of finding @i: the names of its presets
 * (report_json.c)
 * @failed: set to 1 when a member could not be added
 *
 * Return: a new reference (an empty array for a file of one platform).
 */
json_t *report_json_presets(const struct report_file *rf, int *failed);
json_t *report_json_on(const struct report_file *rf, size_t i, int *failed);

#endif
