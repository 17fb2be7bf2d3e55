/* SPDX-License-Identifier: MIT */
/*
 * coh_buf.h - appending formatted text to a caller's buffer, as snprintf
 * does: what does not fit is cut (the text stays NUL-terminated) but still
 * counted, so the caller learns the length the whole text has.
 */
#ifndef COH_BUF_H
#define COH_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct coh_buf {
	char *p;                     /* the caller's buffer (may be NULL when n == 0) */
	size_t n;                    /* its size */
	size_t len;                  /* length of everything appended so far */
};

/**
 * coh_buf_printf - append printf-formatted text
 */
void coh_buf_printf(struct coh_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * coh_buf_vprintf - the same with a va_list
 */
void coh_buf_vprintf(struct coh_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
