/* SPDX-License-Identifier: MIT */
/*
 * cache.h - the CPUs' caches (cache.c): lines, their versions, maintenance.
 * Internal to the engine.
 */
#ifndef COH_CACHE_H
#define COH_CACHE_H

#include "varr.h"

/* ---- caches -------------------------------------------------------------- */

struct cache_line {
	uint64_t tag;                /* address of byte 0 */
	uint64_t lru;                /* clock at last use; 0 when invalid */
	uint32_t uver;               /* every byte's version when uniform */
	uint8_t state;               /* enum coh_line_state */
	uint8_t uniform;             /* 1: vers[] not in use */
	uint8_t spec;                /* filled speculatively, untouched since */
};

/* Lines are counted by the stretch of OCC_LINES lines they fall in, hashed
 * into OCC_SLOTS counters, so a look-up or a maintenance walk over a stretch
 * no line of which is cached costs one counter, not a scan of its sets. */
#define OCC_SHIFT 4                  /* OCC_LINES = 16 lines a counter covers */
#define OCC_SLOTS 4096

struct cache {
	struct cache_line *lines;    /* sets * ways */
	uint32_t *vers;              /* sets * ways * L */
	uint32_t *occ;               /* OCC_SLOTS: valid lines per hashed stretch,
				      * then OCC_SLOTS: dirty lines per hashed
				      * stretch (a clean walks only those) */
	uint64_t clock;              /* LRU clock */
};

/* The way of the set at @l (@ways ways) that holds @line, or NULL.  Every
 * preset has 8 ways: that count, known here, makes it one pass of
 * conditional moves (which way holds a line is data: a loop that stops at
 * it mispredicts its exit); an invalid way's tag matches no line. */
static inline __attribute__((always_inline)) struct cache_line *
coh_set_find(struct cache_line *l, uint32_t ways, uint64_t line)
{
	if (ways == 8) {
		unsigned hit = 8;

#pragma GCC unroll 8
		for (unsigned w = 0; w < 8; w++)
			hit = l[w].tag == line ? w : hit;
		return hit < 8 ? l + hit : NULL;
	}
	for (uint32_t w = 0; w < ways; w++, l++)
		if (l->tag == line)
			return l;
	return NULL;
}

/* cache.c */
int coh_cache_init(struct coh_sim *s, unsigned cpu);
int coh_cache_copy(struct coh_sim *dst, const struct coh_sim *src, unsigned cpu);
void coh_cache_fini(struct coh_sim *s, unsigned cpu);
struct cache_line *coh_cache_find(const struct coh_sim *s, unsigned cpu, uint64_t line);
uint32_t coh_line_get(const struct coh_sim *s, unsigned cpu, const struct cache_line *l, uint32_t off);
uint32_t coh_line_run(const struct coh_sim *s, unsigned cpu, const struct cache_line *l, uint32_t off,
		  uint32_t max, uint32_t *len);
void coh_line_set(struct coh_sim *s, unsigned cpu, struct cache_line *l, uint32_t off, uint32_t n,
	      uint32_t v);
void coh_line_dirty(struct coh_sim *s, unsigned cpu, struct cache_line *l);
void coh_cache_count(struct coh_sim *s, unsigned cpu);
int coh_cache_fill(struct coh_sim *s, unsigned cpu, uint64_t line, bool spec, struct cache_line **out);
struct cache_line *coh_cache_lookup(const struct coh_sim *s, unsigned cpu, uint64_t line,
				    struct cache_line **victim);
struct cache_line *coh_cache_victim(const struct coh_sim *s, unsigned cpu, uint64_t line);
bool coh_cache_cold(const struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
int coh_cache_fill_at(struct coh_sim *s, unsigned cpu, uint64_t line, bool spec,
		      struct cache_line *victim, bool blank);
int coh_cache_fill_cold(struct coh_sim *s, unsigned cpu, uint64_t line, uint64_t n, bool write,
			uint32_t v);
int coh_cache_writeback(struct coh_sim *s, unsigned cpu, struct cache_line *l);
int coh_cache_drop(struct coh_sim *s, unsigned cpu, struct cache_line *l, bool writeback);
int coh_cache_clean_range(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_cache_inval_range(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_cache_snoop_range(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_cache_spec_range(struct coh_sim *s, uint64_t addr, uint64_t n);
int coh_cache_evict_range(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
int coh_cache_spec_fill(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n);
bool coh_cache_any_dirty(const struct coh_sim *s, uint64_t addr, uint64_t n, uint64_t *first,
		     unsigned *cpu);
uint32_t coh_view_run(const struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t max,
		  uint64_t *len);
int coh_kernel_write(struct coh_sim *s, unsigned cpu, uint64_t addr, uint64_t n,
		 const struct varr *src, uint64_t srcoff);
uint64_t coh_cache_hash(const struct coh_sim *s, uint64_t h);
size_t coh_cache_bytes(const struct coh_sim *s);

#endif
