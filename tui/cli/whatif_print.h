/* SPDX-License-Identifier: MIT */
/*
 * whatif_print.h - `dmascope whatif` output: the omission matrix as a text
 * table or JSON (whatif_print.c).
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

#endif
