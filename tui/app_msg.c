/* SPDX-License-Identifier: MIT */
/*
 * app_msg.c - the message the replay screen puts on its status line
 * (app.h): what every action says when it cannot do what was asked.  Its
 * own file so that the actions, below app.c, can say it without calling
 * back into the dispatcher.
 */
#include <stdarg.h>
#include <stdio.h>

#include "app.h"

void app_msg(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->vs.msg, sizeof(a->vs.msg), fmt, ap);
	va_end(ap);
}
