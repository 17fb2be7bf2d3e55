/* SPDX-License-Identifier: MIT */
/*
 * map_pieces.c - work over the physical pieces of a mapping: cache maintenance,
 * bounce copies and CPU accesses, piece by piece (Linux and Windows calls).
 */
#include "access.h"
#include "cache.h"
#include "map.h"
#include "sim-local.h"
#include "varr.h"

static int piece(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t phys, uint64_t k,
		 enum piece_op op)
{
	unsigned cpu = s->ev->cpu;
	int err;

	switch (op) {
	case P_CLEAN:
		return coh_cache_clean_range(s, phys, k);
	case P_INVAL:
		return coh_cache_inval_range(s, phys, k);
	case P_CLEAN_INVAL:
		if ((err = coh_cache_clean_range(s, phys, k)) < 0)
			return err;
		return coh_cache_inval_range(s, phys, k);
	case P_TO_SLOT:
		for (uint64_t i = 0, len; i < k; i += len) {
			uint32_t v = coh_view_run(s, cpu, phys + i, k - i, &len);

			if ((err = coh_varr_set(s->heap, &m->slot, off + i, len, v)) < 0)
				return err;
		}
		return 0;
	case P_TO_BUF:
		return coh_kernel_write(s, cpu, phys, k, &m->slot, off);
	case P_CPU_READ:
		return coh_cpu_read(s, cpu, phys, k);
	default:
		return coh_cpu_write(s, cpu, phys, k, NULL);
	}
}

/* Apply @op to mapping bytes [off, off + n), piece by physical piece. */
int coh_map_pieces(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t n, int op)
{
	uint64_t i = 0;

	while (i < n) {
		uint64_t phys, avail;
		int err;

		if (!coh_map_seg_phys(m, off + i, &phys, &avail)) {
			i++;
			continue;
		}
		avail = MIN(avail, n - i);
		if ((err = piece(s, m, off + i, phys, avail, (enum piece_op)op)) < 0)
			return err;
		i += avail;
	}
	return 0;
}
