/* SPDX-License-Identifier: MIT */
/*
 * lesson_verdict.c - what the engine says of a lesson's claim, handed to
 * the presentation interface in its language, failures counted.
 */
#include <stdarg.h>
#include <stdio.h>

#include "lesson-local.h"

const char *lesson_words(const struct lesson_ctx *c, const char *msgid)
{
	const char *t = c->ui->words ? c->ui->words(c->ui->ctx, msgid) : NULL;

	return t ? t : msgid;
}

void lesson_verdict(struct lesson_ctx *c, const char *kind, int ok, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!ok)
		c->failed++;
	if (c->ui->verdict)
		c->ui->verdict(c->ui->ctx, c->step, kind, ok, why);
}
