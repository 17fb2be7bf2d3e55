/* SPDX-License-Identifier: MIT */
/*
 * coh_err.c - the text of each engine error code (coh_err.h).
 */
#include "coh_err.h"

const char *coh_strerror(int err)
{
	static const char *const msgs[] = {
#define COH_ERR_MSG(name, msg) msg,
		COH_ERRORS(COH_ERR_MSG)
#undef COH_ERR_MSG
	};

	unsigned e = err < 0 ? 0u - (unsigned)err : (unsigned)err;

	if (e >= COH_E_COUNT)
		return "unknown error";
	return msgs[e];
}
