/* SPDX-License-Identifier: MIT */
/*
 * infer.c - inferred device accesses: what a device did to the bytes it owned
 * when the trace records only the calls around it (COH_F_INFER).
 */
#include "access.h"
#include "infer.h"
#include "map.h"
#include "sim-local.h"
#include "varr.h"

/* Inferred device accesses to the bytes of [off, off + n) the device owns. */
int coh_infer_device(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n)
{
	uint64_t i = 0, len;
	int err = 0;

	s->inferring = true;
	while (i < n && !err) {
		uint32_t v = ((*mp)->flags & MF_OWNED) ? coh_varr_run(&(*mp)->own, off + i, n - i, &len)
						       : (len = n - i, OWN_DEV);

		if (v & OWN_DEV) {
			if (dir_to((*mp)->dir))
				err = coh_dev_access_map(s, mp, off + i, len, false, NULL);
			if (!err && dir_from((*mp)->dir))
				err = coh_dev_access_map(s, mp, off + i, len, true, NULL);
		}
		i += len;
	}
	s->inferring = false;
	return err;
}
