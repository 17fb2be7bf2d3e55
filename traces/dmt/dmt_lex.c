/* SPDX-License-Identifier: MIT */
/*
 * dmt_lex.c - lines and tokens of a .dmt file.
 *
 * The line reader hands out one line at a time from a buffer that grows only
 * as far as the longest line (at most DMT_LINE_MAX), so a file of any size,
 * or one enormous line, never makes it hold more than that.  The lexer splits
 * a line into bare words, quoted strings and key=value pairs, decoding quoted
 * strings in place.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmt-local.h"

#define READ_CHUNK (64u << 10)

int dmt_reader_init(struct dmt_reader *r, FILE *f)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->cap = READ_CHUNK;
	r->buf = malloc(r->cap);
	return r->buf ? 0 : -1;
}

void dmt_reader_free(struct dmt_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Read more bytes after r->end, first moving the unread part to the front. */
static int refill(struct dmt_reader *r)
{
	size_t got;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->buf_off += r->start;
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		size_t cap = r->cap * 2;
		char *b;

		if (cap > (size_t)DMT_LINE_MAX + READ_CHUNK)
			cap = (size_t)DMT_LINE_MAX + READ_CHUNK;
		b = cap > r->cap ? realloc(r->buf, cap) : NULL;
		if (!b) {
			r->err = ENOMEM;
			return -1;
		}
		r->buf = b;
		r->cap = cap;
	}
	got = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
	r->end += got;
	if (got == 0) {
		if (ferror(r->f)) {
			r->err = errno ? errno : EIO;
			return -1;
		}
		r->eof = 1;
	}
	return 0;
}

static void take(struct dmt_reader *r, size_t len, size_t skip, char **line, size_t *n,
		 uint64_t *off)
{
	*line = r->buf + r->start;
	*off = r->buf_off + r->start;
	*n = len;
	if (len && (*line)[len - 1] == '\r')
		(*n)--;
	r->start += len + skip;
}

int dmt_reader_next(struct dmt_reader *r, char **line, size_t *len, uint64_t *off)
{
	size_t scanned = 0;

	for (;;) {
		size_t avail = r->end - r->start;
		char *nl = memchr(r->buf + r->start + scanned, '\n', avail - scanned);

		if (nl) {
			size_t n = (size_t)(nl - (r->buf + r->start));

			if (n > DMT_LINE_MAX + 1u)
				return -2;
			take(r, n, 1, line, len, off);
			return *len > DMT_LINE_MAX ? -2 : 1;
		}
		if (avail > DMT_LINE_MAX + 1u)
			return -2;
		scanned = avail;
		if (r->eof) {
			if (!avail)
				return 0;
			take(r, avail, 0, line, len, off);
			return *len > DMT_LINE_MAX ? -2 : 1;
		}
		if (refill(r) < 0)
			return -1;
	}
}

/* ---- tokens ---------------------------------------------------------------- */

static int lex_err(struct dmt_lex *lx, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int lex_err(struct dmt_lex *lx, size_t pos, const char *fmt, ...)
{
	va_list ap;

	lx->errcol = (unsigned)(pos + 1);
	va_start(ap, fmt);
	vsnprintf(lx->msg, sizeof(lx->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int dmt_lex_init(struct dmt_lex *lx, char *line, size_t len)
{
	lx->line = line;
	lx->len = len;
	lx->pos = 0;
	lx->last_end = 0;
	lx->errcol = 0;
	lx->msg[0] = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == 0)
			return lex_err(lx, i, "NUL byte (a .dmt file is text)");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return lex_err(lx, i, "control character 0x%02x (a .dmt file is text; "
				       "inside a quoted string write \\x%02x)", c, c);
	}
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Decode one escape at line[*pos] (the backslash) into *out. */
static int lex_escape(struct dmt_lex *lx, size_t *pos, char *out)
{
	size_t p = *pos;
	char c = p + 1 < lx->len ? lx->line[p + 1] : 0;
	int hi, lo;

	switch (c) {
	case '\\': case '"':
		*out = c;
		break;
	case 'n':
		*out = '\n';
		break;
	case 't':
		*out = '\t';
		break;
	case 'r':
		*out = '\r';
		break;
	case 'x':
		hi = p + 2 < lx->len ? trace_hexval(lx->line[p + 2]) : -1;
		lo = p + 3 < lx->len ? trace_hexval(lx->line[p + 3]) : -1;
		if (hi < 0 || lo < 0)
			return lex_err(lx, p, "expected two hexadecimal digits after \\x");
		if (!hi && !lo)
			return lex_err(lx, p, "\\x00: a string cannot hold a NUL byte");
		*out = (char)(hi << 4 | lo);
		*pos = p + 4;
		return 0;
	default:
		return lex_err(lx, p, "unknown escape (expected \\\\, \\\", \\n, \\t, \\r "
			       "or \\xHH)");
	}
	*pos = p + 2;
	return 0;
}

/* A quoted string at lx->pos, decoded in place over itself. */
static int lex_quoted(struct dmt_lex *lx, const char **s, size_t *n)
{
	size_t open = lx->pos, p = open + 1, w = open;

	while (p < lx->len && lx->line[p] != '"') {
		char c = lx->line[p];

		if (c == '\\') {
			if (lex_escape(lx, &p, &c) < 0)
				return -1;
		} else {
			p++;
		}
		lx->line[w++] = c;
	}
	if (p >= lx->len)
		return lex_err(lx, open, "unterminated quoted string (expected a closing '\"' "
			       "before the end of the line)");
	lx->pos = p + 1;
	if (lx->pos < lx->len && !is_space(lx->line[lx->pos]) && lx->line[lx->pos] != '#')
		return lex_err(lx, lx->pos, "expected a space after the closing '\"'");
	*s = lx->line + open;
	*n = w - open;
	return 0;
}

/* A bare word: up to a space, '#', the end, or (when @stop_eq) '='. */
static int lex_bare(struct dmt_lex *lx, int stop_eq, const char **s, size_t *n)
{
	size_t p = lx->pos;

	while (p < lx->len && !is_space(lx->line[p]) && lx->line[p] != '#' &&
	       !(stop_eq && lx->line[p] == '=')) {
		if (lx->line[p] == '"')
			return lex_err(lx, p, "unexpected '\"' inside a word (quote the whole "
				       "value: key=\"...\")");
		p++;
	}
	*s = lx->line + lx->pos;
	*n = p - lx->pos;
	lx->pos = p;
	return 0;
}

static int lex_value(struct dmt_lex *lx, struct dmt_tok *tok)
{
	tok->vcol = (unsigned)(lx->pos + 1);
	if (lx->pos < lx->len && lx->line[lx->pos] == '"')
		return lex_quoted(lx, &tok->val, &tok->vlen);
	if (lex_bare(lx, 0, &tok->val, &tok->vlen) < 0)
		return -1;
	if (!tok->vlen)
		return lex_err(lx, lx->pos, "expected a value after %.*s=", (int)tok->wlen,
			       tok->word);
	return 0;
}

int dmt_lex_next(struct dmt_lex *lx, struct dmt_tok *tok)
{
	memset(tok, 0, sizeof(*tok));
	while (lx->pos < lx->len && is_space(lx->line[lx->pos]))
		lx->pos++;
	if (lx->pos >= lx->len || lx->line[lx->pos] == '#')
		return 0;
	tok->col = (unsigned)(lx->pos + 1);
	if (lx->line[lx->pos] == '"') {
		tok->quoted = 1;
		if (lex_quoted(lx, &tok->word, &tok->wlen) < 0)
			return -1;
	} else {
		if (lex_bare(lx, 1, &tok->word, &tok->wlen) < 0)
			return -1;
		if (!tok->wlen)
			return lex_err(lx, lx->pos, "expected a key before '='");
		if (lx->pos < lx->len && lx->line[lx->pos] == '=') {
			lx->pos++;
			if (lex_value(lx, tok) < 0)
				return -1;
		}
	}
	lx->last_end = lx->pos;
	return 1;
}

unsigned dmt_lex_endcol(const struct dmt_lex *lx)
{
	return (unsigned)(lx->last_end + 1);
}

int dmt_word_is(const struct dmt_tok *tok, const char *s)
{
	return !tok->quoted && !tok->val && strlen(s) == tok->wlen &&
	       memcmp(tok->word, s, tok->wlen) == 0;
}
