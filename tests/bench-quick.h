/* SPDX-License-Identifier: MIT */
/*
 * bench-quick.h - `make bench QUICK=1`: the benches shrink their runs (10^5
 * events instead of millions) and skip what needs the big capture, so the
 * whole bench takes under a minute.
 */
#ifndef BENCH_QUICK_H
#define BENCH_QUICK_H

#include <stdlib.h>

/* Whether QUICK is set (to anything but "" or "0"). */
static inline int bench_quick(void)
{
	const char *q = getenv("QUICK");

	return q && *q && *q != '0';
}

#endif
