/* SPDX-License-Identifier: MIT */
/*
 * report-text.h - the pieces of the text report (report_text.c,
 * report_entry.c).
 */
#ifndef REPORT_TEXT_H
#define REPORT_TEXT_H

#include <stdio.h>

#include "report.h"

/* Identical findings listed as one entry show this many event indices. */
#define REPORT_GROUP_SHOWN 5

/**
 * report_entry - print finding @i (a root, or a consequence when @indent > 2)
 * with its trace lines, facts, message, explanation and the consequences
 * under it that rf->view does not hide
 *
 * Return: 0, or -1 when out of memory.
 */
int report_entry(FILE *out, const struct report_file *rf, const struct report_tree *t,
		 const struct report_note *notes, size_t i, int indent);

/* ---- several platforms (report_matrix_text.c) ---- */

/**
 * report_matrix_on - under entry @i, "on: PRESETS" when @rf has several
 * platforms (a consequence only when its presets differ from its root's)
 */
void report_matrix_on(FILE *out, const struct report_file *rf, const struct report_tree *t,
		      size_t i, int indent);

/**
 * report_matrix_table - the matrix (finding x preset) of a file of several
 * platforms, nothing for one platform or with -q
 */
void report_matrix_table(FILE *out, const struct report_file *rf, const struct report_tree *t);

/**
 * report_matrix_summary - one summary line per preset of @rf (which has
 * several platforms)
 */
void report_matrix_summary(FILE *out, const struct report_file *rf);

#endif
