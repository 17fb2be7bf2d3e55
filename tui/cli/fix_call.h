/* SPDX-License-Identifier: MIT */
/*
 * fix_call.h - maintenance calls as lines of the driver's code, for the
 * patch list of `dmascope fix` (fix_call.c).
 */
#ifndef FIX_CALL_H
#define FIX_CALL_H

#include <stddef.h>

#include "coh_event.h"
#include "coh_platform.h"

void fix_call_text(const struct coh_event *ev, const struct coh_platform *p, char *buf,
		   size_t n);
const char *fix_event_what(unsigned kind, char *buf, size_t n);

#endif
