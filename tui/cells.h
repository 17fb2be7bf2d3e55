/* SPDX-License-Identifier: MIT */
/*
 * cells.h - a screen as a grid of cells, drawn without curses.
 *
 * Every pane draws into a struct cells; screen.c (the only curses file)
 * copies the grid to the terminal, and `dmascope replay --dump-screen`
 * writes it as text for golden tests.  A cell holds one character (a
 * Unicode code point; a double-width character takes two cells, the second
 * marked CELL_CONT) and an attribute: a colour role and flags.  Text is
 * placed by display width (wcwidth), so Russian and Chinese text aligns.
 */
#ifndef CELLS_H
#define CELLS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* What a cell's colour means; screen.c maps roles to colours (or, under
 * NO_COLOR / a monochrome terminal, to bold / reverse / underline). */
enum cell_role {
	ROLE_NORMAL = 0,
	ROLE_DIM,            /* secondary text, invalid lines */
	ROLE_TITLE,          /* pane titles */
	ROLE_SELECTED,       /* the selected row */
	ROLE_CURRENT,        /* the current event */
	ROLE_STATUS,         /* the status line */
	ROLE_ERROR,          /* error findings, stale bytes */
	ROLE_WARN,           /* warnings, information findings */
	ROLE_CLEAN,          /* a clean cache line */
	ROLE_DIRTY,          /* a dirty cache line */
	ROLE_DIFF,           /* a cached byte that differs from memory */
	ROLE_BY_CPU,         /* byte last written by a CPU */
	ROLE_BY_DEVICE,      /* ... by a device */
	ROLE_BY_CONTROLLER,  /* ... by the DMA controller (a drain) */
	ROLE_BY_BOUNCE,      /* ... by a bounce copy */
	ROLE_BAND,           /* marker sequence / phase bands */
	ROLE_COUNT
};

#define CELL_BOLD     (1u << 0)
#define CELL_REVERSE  (1u << 1)
#define CELL_UNDERLINE (1u << 2)
#define CELL_CONT     (1u << 7)  /* right half of a double-width character */

struct cell {
	uint32_t ch;         /* code point; ' ' when empty */
	uint8_t role;        /* enum cell_role */
	uint8_t flags;       /* CELL_* */
};

struct cells {
	int w, h;
	struct cell *c;      /* h rows of w cells */
};

/* A rectangle of a grid that a pane draws in; drawing is clipped to it. */
struct rect {
	int x, y, w, h;
};

int cells_resize(struct cells *g, int w, int h);   /* 0, or -1 out of memory; cleared */
void cells_free(struct cells *g);
void cells_clear(struct cells *g, struct rect r);
/* Put UTF-8 text at (x, y) inside r, clipped to r; returns the columns used. */
int cells_put(struct cells *g, struct rect r, int x, int y, uint8_t role, uint8_t flags,
	      const char *utf8);
int cells_printf(struct cells *g, struct rect r, int x, int y, uint8_t role, uint8_t flags,
		 const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Set the role/flags of w cells from (x, y) (e.g. highlight a row). */
void cells_paint(struct cells *g, struct rect r, int x, int y, int w, uint8_t role,
		 uint8_t flags);
/* Display width of UTF-8 text (invalid bytes count 1). */
int cells_width(const char *utf8);
/* The grid as text: one line per row, trailing blanks kept to the width, or
 * with @attrs a second block marking each cell's role as a letter (for
 * golden tests). Returns a malloc'd string. */
char *cells_dump(const struct cells *g, int attrs);

#endif
