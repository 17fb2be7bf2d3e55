/* SPDX-License-Identifier: MIT */
/*
 * whatif_print.h - `dmascope whatif` output: the omission matrix as a text
 * table or JSON (whatif_print.c), the diff of an edited run from the
 * recorded one (whatif_print_diff.c).
 */
#ifndef WHATIF_PRINT_H
#define WHATIF_PRINT_H

#include <stdio.h>

#include "coh_whatif.h"

/* One file's omission matrix, as printed. */
struct whatif_matrix {
	const char *path;            /* the file, as named in messages */
	const struct coh_platform *plat;  /* the platform it was replayed on */
	uint64_t events;             /* events replayed */
	const struct coh_omit_row *rows;
	size_t nrows;
};

/**
 * whatif_print_text - the matrix as a table: per call its event, the
 * function, whether the run broke, the findings that appear, the bytes
 * read wrong, the first wrong read; "no effect here" and the presets that
 * need the call for the others
 *
 * Return: 0, or -1 on a write error.
 */
int whatif_print_text(FILE *out, const struct whatif_matrix *m);

/**
 * whatif_print_json - the same as one JSON object (docs/whatif.md)
 *
 * Return: 0, or -1 when out of memory or on a write error.
 */
int whatif_print_json(FILE *out, const struct whatif_matrix *m);

/**
 * whatif_broken - rows whose removal breaks the run
 */
size_t whatif_broken(const struct whatif_matrix *m);

/* An edited run against the recorded one, as printed. */
struct whatif_diff {
	const char *path;            /* the trace */
	const char *edits;           /* the edit file */
	size_t nedits;
	const struct coh_platform *plat;  /* the edited run's */
	const struct coh_run_diff *d;
	const struct coh_byte_diff *bytes;  /* at the end */
	size_t nbytes;               /* held in @bytes */
	long nruns;                  /* found (may exceed nbytes) */
	/* the file's event number of edited position @ed (COH_SRC_NONE when it
	 * has none); *@inserted: 1 for an inserted event */
	uint64_t (*file_event)(void *ctx, uint64_t ed, int *inserted);
	void *ctx;
};

/**
 * whatif_print_diff_text, whatif_print_diff_json - where the runs diverge
 * and rejoin, the findings added and removed, the bytes that differ at
 * the end
 *
 * Return: 0, or -1 when out of memory or on a write error.
 */
int whatif_print_diff_text(FILE *out, const struct whatif_diff *x);
int whatif_print_diff_json(FILE *out, const struct whatif_diff *x);

/**
 * whatif_diff_breaks - whether the edited run has a DC001-DC012 finding the
 * recorded one lacks
 */
int whatif_diff_breaks(const struct whatif_diff *x);

#endif
