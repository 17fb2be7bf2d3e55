/* SPDX-License-Identifier: MIT */
/*
 * src_log.h - the file's index of every event applied (src_log.c).
 * Internal to the engine.
 */
#ifndef COH_SRC_LOG_H
#define COH_SRC_LOG_H

#include "util.h"

int coh_src_note(struct coh_sim *s, uint64_t src);
uint64_t coh_src_of(const struct coh_sim *s, uint64_t seq);
uint64_t coh_src_of_ver(const struct coh_sim *s, uint32_t ver);
void coh_src_clone(struct coh_sim *dst, const struct coh_sim *src);
void coh_src_release(struct coh_sim *s);

#endif
