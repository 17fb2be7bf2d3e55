/* SPDX-License-Identifier: MIT */
/*
 * src_log.h - the file's index of every event applied (src_log.c).
 * Internal to the engine.
 */
#ifndef COH_SRC_LOG_H
#define COH_SRC_LOG_H

#include "sim-local.h"

/* struct coh_sim.src_flat: while src_log is NULL, what its entries are */
enum { SRC_FLAT_UNSET, SRC_FLAT_SELF, SRC_FLAT_NONE, SRC_FLAT_NO };

int coh_src_note_log(struct coh_sim *s, uint64_t src);

/* Does @src as entry @seq keep a log that is flat (src_flat SELF or NONE)? */
static inline bool coh_src_flat_keeps(const struct coh_sim *s, uint64_t seq, uint64_t src)
{
	return (s->src_flat == SRC_FLAT_SELF && src == seq) ||
	       (s->src_flat == SRC_FLAT_NONE && src == COH_SRC_NONE);
}

/* Note the file's index @src of the event @s is about to apply (engine index
 * s->pos): the common case, a flat log that stays flat, is inline. */
static inline int coh_src_note(struct coh_sim *s, uint64_t src)
{
	if (!s->src_log && s->pos && s->pos == s->nsrc && coh_src_flat_keeps(s, s->pos, src)) {
		s->nsrc++;
		return 0;
	}
	return coh_src_note_log(s, src);
}
uint64_t coh_src_of(const struct coh_sim *s, uint64_t seq);
uint64_t coh_src_of_ver(const struct coh_sim *s, uint32_t ver);
void coh_src_clone(struct coh_sim *dst, const struct coh_sim *src);
void coh_src_release(struct coh_sim *s);

#endif
