/* SPDX-License-Identifier: MIT */
#include "coh_err.h"

const char *coh_strerror(int err)
{
	static const char *const msgs[] = {
#define COH_ERR_MSG(name, msg) msg,
		COH_ERRORS(COH_ERR_MSG)
#undef COH_ERR_MSG
	};

	if (err < 0)
		err = -err;
	if (err >= COH_E_COUNT)
		return "unknown error";
	return msgs[err];
}
