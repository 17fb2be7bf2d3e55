/* SPDX-License-Identifier: MIT */
/*
 * dmt_parser.c - what the header and event lines of a .dmt file both need
 * from the parse in progress: a message at a line and column, and the device
 * a name stands for.  Below dmt_header.c, dmt_event.c and dmt_reader.c, which
 * all call it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dmt-local.h"

int dmt_perr(struct dmt_parser *ps, unsigned col, const char *fmt, ...)
{
	char msg[DMT_MSG_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->err && ps->errn)
		snprintf(ps->err, ps->errn, "%s:%llu:%u: %s", ps->t->path,
			 (unsigned long long)ps->lineno, col ? col : 1, msg);
	return -1;
}

int dmt_device(struct dmt_parser *ps, const char *name, size_t len, unsigned col)
{
	struct trace *t = ps->t;
	char nm[COH_NAME_MAX];
	int i;

	if (ps->last_dev < t->ndevs && strlen(t->devs[ps->last_dev]) == len &&
	    memcmp(t->devs[ps->last_dev], name, len) == 0)
		return (int)ps->last_dev;
	if (len == 0)
		return dmt_perr(ps, col, "expected a device name, not \"\"");
	if (len >= COH_NAME_MAX)
		return dmt_perr(ps, col, "device name of %zu bytes (at most %d)", len,
				COH_NAME_MAX - 1);
	memcpy(nm, name, len);
	nm[len] = 0;
	for (i = 0; i < (int)t->ndevs; i++)
		if (strcmp(t->devs[i], nm) == 0)
			break;
	if (i == (int)t->ndevs && ps->strict_devs && !ps->declaring)
		return dmt_perr(ps, col, "device '%s' is not declared by a device line (the "
				"header says devices strict)", nm);
	if (i == (int)t->ndevs) {
		i = trace_add_dev(t, nm);
		if (i < 0)
			return dmt_perr(ps, col, "device '%s': more than %d devices", nm,
					COH_MAX_DEVS);
		if (t->has_platform && coh_platform_add_dev(&t->platform, nm) != i)
			return dmt_perr(ps, col, "device '%s': the platform's device table is full",
					nm);
	}
	ps->last_dev = (unsigned)i;
	return i;
}
