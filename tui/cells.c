/* SPDX-License-Identifier: MIT */
/*
 * cells.c - the cell grid of cells.h: text placed by display width, clipped
 * to a rectangle, and the grid dumped as text for golden screens.
 *
 * UTF-8 is decoded here (so the grid does not depend on the C library's
 * multibyte state) and each code point's width comes from wcwidth(), which
 * needs a UTF-8 LC_CTYPE (dmascope replay sets one); under another locale a
 * small table of the East Asian wide ranges stands in.  A double-width
 * character takes two cells, the second marked CELL_CONT; one that would
 * not fit whole in the rectangle is drawn as a blank, never split.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cells.h"

#define REPLACEMENT 0xFFFDu

int cells_resize(struct cells *g, int w, int h)
{
	struct cell *c;

	if (w < 0 || h < 0)
		return -1;
	c = calloc((size_t)w * (size_t)h + 1, sizeof(*c));
	if (!c)
		return -1;
	free(g->c);
	g->c = c;
	g->w = w;
	g->h = h;
	cells_clear(g, (struct rect){ 0, 0, w, h });
	return 0;
}

void cells_free(struct cells *g)
{
	free(g->c);
	g->c = NULL;
	g->w = g->h = 0;
}

/* @r cut to the grid. */
static struct rect clip(const struct cells *g, struct rect r)
{
	int x1 = r.x + r.w, y1 = r.y + r.h;

	if (r.x < 0)
		r.x = 0;
	if (r.y < 0)
		r.y = 0;
	if (x1 > g->w)
		x1 = g->w;
	if (y1 > g->h)
		y1 = g->h;
	r.w = x1 > r.x ? x1 - r.x : 0;
	r.h = y1 > r.y ? y1 - r.y : 0;
	return r;
}

static void unsplit(struct cells *g, int x, int y, int w);

void cells_clear(struct cells *g, struct rect r)
{
	r = clip(g, r);
	for (int y = r.y; y < r.y + r.h && r.w > 0; y++)
		unsplit(g, r.x, y, r.w);   /* a wide character its edge cuts */
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++)
			g->c[y * g->w + x] = (struct cell){ ' ', ROLE_NORMAL, 0 };
}

/* Decode one code point from @s (at least one byte); *len gets its length.
 * An invalid or truncated sequence is one byte, U+FFFD. */
static uint32_t utf8_next(const unsigned char *s, int *len)
{
	uint32_t cp;
	int n;

	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*len = 1;
		return REPLACEMENT;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return REPLACEMENT;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*len = n;
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		*len = 1;
		return REPLACEMENT;
	}
	return cp;
}

/* The wide ranges of East Asian Width, for a locale whose wcwidth() does
 * not know them. */
static int wide_fallback(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	       (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Columns @cp takes: 0 (combining, zero width), 1 or 2.  Control
 * characters count 1 (they are drawn as '?'). */
static int cp_width(uint32_t cp)
{
	int w;

	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w > 2 ? 2 : w;
	return wide_fallback(cp) ? 2 : 1;
}

int cells_width(const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	int cols = 0, len;

	while (*s) {
		cols += cp_width(utf8_next(s, &len));
		s += len;
	}
	return cols;
}

/* Cells (x, y) .. (x + w - 1, y) are about to be overwritten: blank the
 * other half of a double-width character they would cut. */
static void unsplit(struct cells *g, int x, int y, int w)
{
	struct cell *row = &g->c[y * g->w];

	if (row[x].flags & CELL_CONT && x > 0)
		row[x - 1].ch = ' ';
	if (x + w < g->w && row[x + w].flags & CELL_CONT) {
		row[x + w].flags &= (uint8_t)~CELL_CONT;
		row[x + w].ch = ' ';
	}
}

/* Put one code point of width @w at column @x of row @y (inside @r);
 * returns the columns used (a wide character that does not fit is a blank). */
static int put_cp(struct cells *g, struct rect r, int x, int y, uint32_t cp, int w,
		  uint8_t role, uint8_t flags)
{
	struct cell *c = &g->c[y * g->w + x];

	unsplit(g, x, y, w);
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		cp = '?';
	if (w == 2 && x + 1 >= r.x + r.w) {
		*c = (struct cell){ ' ', role, flags };
		return 1;
	}
	*c = (struct cell){ cp, role, flags };
	if (w == 2)
		c[1] = (struct cell){ ' ', role, (uint8_t)(flags | CELL_CONT) };
	return w;
}

int cells_put(struct cells *g, struct rect r, int x, int y, uint8_t role, uint8_t flags,
	      const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	int col, len;

	r = clip(g, r);
	x += r.x;
	y += r.y;
	if (y < r.y || y >= r.y + r.h)
		return 0;
	col = x;
	while (*s && col < r.x + r.w) {
		uint32_t cp = utf8_next(s, &len);
		int w = cp_width(cp);

		s += len;
		if (w == 0)
			continue;
		if (col < r.x) {   /* starts left of the rectangle: skip it */
			col += w;
			continue;
		}
		col += put_cp(g, r, col, y, cp, w, role, flags);
	}
	return col > x ? col - x : 0;
}

int cells_printf(struct cells *g, struct rect r, int x, int y, uint8_t role, uint8_t flags,
		 const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return cells_put(g, r, x, y, role, flags, buf);
}

void cells_paint(struct cells *g, struct rect r, int x, int y, int w, uint8_t role,
		 uint8_t flags)
{
	struct rect row;

	r = clip(g, r);
	row = clip(g, (struct rect){ r.x + x, r.y + y, w, 1 });
	if (row.y < r.y || row.y >= r.y + r.h)
		return;
	for (int i = row.x; i < row.x + row.w && i < r.x + r.w; i++) {
		struct cell *c = &g->c[row.y * g->w + i];

		c->role = role;
		c->flags = (uint8_t)((c->flags & CELL_CONT) | (flags & ~CELL_CONT));
	}
}

/* Append @cp to @p as UTF-8; returns the new end. */
static char *utf8_put(char *p, uint32_t cp)
{
	if (cp < 0x80) {
		*p++ = (char)cp;
	} else if (cp < 0x800) {
		*p++ = (char)(0xC0 | (cp >> 6));
		*p++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*p++ = (char)(0xE0 | (cp >> 12));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*p++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*p++ = (char)(0xF0 | (cp >> 18));
		*p++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*p++ = (char)(0x80 | (cp & 0x3F));
	}
	return p;
}

/* One letter per role, for the attribute block of cells_dump(). */
static const char role_letters[ROLE_COUNT + 1] = ".dtscSEWlDxpvkbB";

static char attr_letter(const struct cell *c)
{
	char l = c->role < ROLE_COUNT ? role_letters[c->role] : '?';

	if (c->role == ROLE_NORMAL && (c->flags & CELL_REVERSE))
		return 'r';
	if (c->role == ROLE_NORMAL && (c->flags & CELL_BOLD))
		return 'o';
	return l;
}

/**
 * cells_dump - the grid as text (see cells.h)
 *
 * The text block is one line per row; a double-width character is written
 * once (its CELL_CONT half adds nothing), so each line is w columns wide.
 * With @attrs, an empty line and then one line per row giving each cell's
 * role as a letter: . normal, d dim, t title, s selected, c current,
 * S status, E error, W warn, l clean, D dirty, x diff, p by CPU, v by
 * device, k by controller, b by bounce, B band; r and o are normal text in
 * reverse or bold.
 */
char *cells_dump(const struct cells *g, int attrs)
{
	size_t cap = (size_t)g->h * ((size_t)g->w * (attrs ? 5 : 4) + 2) + 2;
	char *out = malloc(cap), *p = out;

	if (!out)
		return NULL;
	for (int y = 0; y < g->h; y++) {
		for (int x = 0; x < g->w; x++) {
			const struct cell *c = &g->c[y * g->w + x];

			if (!(c->flags & CELL_CONT))
				p = utf8_put(p, c->ch);
		}
		*p++ = '\n';
	}
	if (attrs) {
		*p++ = '\n';
		for (int y = 0; y < g->h; y++) {
			for (int x = 0; x < g->w; x++)
				*p++ = attr_letter(&g->c[y * g->w + x]);
			*p++ = '\n';
		}
	}
	*p = '\0';
	return out;
}
