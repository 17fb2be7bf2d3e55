/* SPDX-License-Identifier: MIT */
/*
 * whatif_file.h - what-if edit files (FILE.whatif, docs/whatif.md): the
 * edit list of coh_whatif.h saved next to a trace, naming events by the
 * trace's own event numbers, so that it reloads to the same run.
 */
#ifndef WHATIF_FILE_H
#define WHATIF_FILE_H

#include <stddef.h>

#include "coh_whatif.h"
#include "trace.h"

#define WHATIF_FILE_MAGIC "dmascope-whatif"
#define WHATIF_FILE_VERSION 1

/**
 * whatif_file_load - read an edit file and add its edits to @w
 * @path: the file
 * @t:    the trace @w's recorded run replays (maps its event numbers)
 * @w:    receives the edits, appended in the file's order
 * @err, @n: on failure "PATH:LINE: what is wrong"
 *
 * A damaged file adds nothing: on failure every edit this call added is
 * taken back, so @w is as it was.
 *
 * Return: edits added, or -1 with @err set.
 */
int whatif_file_load(const char *path, struct trace *t, struct coh_whatif *w, char *err,
		     size_t n);

/**
 * whatif_file_save - write @w's edits to @path (a temporary file renamed
 * over it, so a failed save leaves the old file)
 *
 * Return: 0, or -1 with @err set.
 */
int whatif_file_save(const char *path, struct trace *t, const struct coh_whatif *w,
		     char *err, size_t n);

/**
 * whatif_file_name - the edit file of a trace: @trace with ".whatif" added
 *
 * Return: @buf, or NULL when it does not fit.
 */
char *whatif_file_name(const char *trace, char *buf, size_t n);

#endif
