/* SPDX-License-Identifier: MIT */
/*
 * plat.h - helpers shared by the platform tests: a snapshot of the cache
 * lines (every CPU) and memory over a few lines, to show what a call did.
 */
#ifndef PLAT_H
#define PLAT_H

#include <stdlib.h>

#include "scen.h"

#define PL_CPUS   2
#define PL_LINES  4

struct cstate {
	uint8_t cached[PL_CPUS][PL_LINES];
	uint8_t state[PL_CPUS][PL_LINES];
	uint32_t vers[PL_CPUS][PL_LINES][COH_LINE_MAX];
	uint32_t mem[PL_LINES * COH_LINE_MAX];
};

/* Lines [a, a + nlines * L) in every CPU (up to PL_CPUS) and in memory. */
static inline void cstate_get(const struct scen *sc, uint64_t a, unsigned nlines,
			      struct cstate *out)
{
	uint32_t L = sc->p.line;

	assert_true(nlines <= PL_LINES && sc->p.ncpus <= PL_CPUS);
	memset(out, 0, sizeof(*out));
	for (unsigned cpu = 0; cpu < sc->p.ncpus; cpu++) {
		for (unsigned i = 0; i < nlines; i++) {
			struct coh_line_view lv;

			out->cached[cpu][i] = (uint8_t)sc_line(sc, cpu, a + i * L, &lv,
							       out->vers[cpu][i]);
			out->state[cpu][i] = out->cached[cpu][i] ? lv.state : COH_LINE_INVALID;
		}
	}
	assert_int_equal(coh_sim_mem_read(sc->s, a, (size_t)nlines * L, NULL, out->mem), 0);
}

/* Assert that nothing in the snapshot changed. */
#define cstate_same(sc, a, nlines, before)                                      \
	do {                                                                    \
		struct cstate *after_ = malloc(sizeof(*after_));                \
		assert_non_null(after_);                                        \
		cstate_get(sc, a, nlines, after_);                              \
		assert_memory_equal(after_->cached, (before)->cached,           \
				    sizeof(after_->cached));                    \
		assert_memory_equal(after_->state, (before)->state,             \
				    sizeof(after_->state));                     \
		assert_memory_equal(after_->vers, (before)->vers,               \
				    sizeof(after_->vers));                      \
		assert_memory_equal(after_->mem, (before)->mem,                 \
				    sizeof(after_->mem));                       \
		free(after_);                                                   \
	} while (0)

/* The state of the line holding @a in @cpu (COH_LINE_INVALID when absent). */
static inline unsigned pl_state(const struct scen *sc, unsigned cpu, uint64_t a)
{
	struct coh_line_view lv;

	return sc_line(sc, cpu, a, &lv, NULL) ? lv.state : COH_LINE_INVALID;
}

/* Owner of the whole i-th live mapping. */
static inline unsigned pl_owner(const struct scen *sc, size_t i)
{
	struct coh_map_view mv;

	assert_int_equal(coh_sim_mapping(sc->s, i, &mv, NULL, 0), 0);
	return mv.owner;
}

#endif
