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

#endif
