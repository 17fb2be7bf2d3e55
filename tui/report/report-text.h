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

#endif
