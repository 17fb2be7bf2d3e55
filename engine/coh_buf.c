/* SPDX-License-Identifier: MIT */
/*
 * coh_buf.c - appending formatted text to a caller's buffer (coh_buf.h).
 */
#include <stdio.h>

#include "coh_buf.h"

void coh_buf_vprintf(struct coh_buf *b, const char *fmt, va_list ap)
{
	int k = vsnprintf(b->p && b->len < b->n ? b->p + b->len : NULL,
			  b->p && b->len < b->n ? b->n - b->len : 0, fmt, ap);

	if (k > 0)
		b->len += (size_t)k;
}

void coh_buf_printf(struct coh_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	coh_buf_vprintf(b, fmt, ap);
	va_end(ap);
}
