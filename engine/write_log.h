/* SPDX-License-Identifier: MIT */
/*
 * write_log.h - the log of explicit write data (write_log.c).
 * Internal to the engine.
 */
#ifndef COH_WRITE_LOG_H
#define COH_WRITE_LOG_H

#include "util.h"

struct write_record {
	uint32_t ver;                /* the write */
	uint32_t len;                /* bytes */
	uint64_t phys;               /* where data[0] went */
	uint64_t off;                /* into bytes[] */
};

struct write_log {
	refcount refs;
	size_t n, cap;               /* records */
	struct write_record *v;
	size_t nbytes, capbytes;
	uint8_t *bytes;
	uint32_t *hash;              /* open addressing: record index + 1 */
	size_t hcap;
};

int coh_write_log_clone(struct coh_sim *dst, const struct coh_sim *src);
void coh_write_log_release(struct coh_sim *s);
int coh_write_log_unshare(struct coh_sim *s);
int coh_write_log_add(struct coh_sim *s, uint32_t ver, uint64_t phys, const uint8_t *data, uint64_t n);
int coh_write_log_find(const struct coh_sim *s, uint32_t ver, uint64_t phys, uint8_t *out);
int coh_record_data(struct coh_sim *s, uint64_t phys, uint64_t n, const uint8_t *data);
uint8_t coh_value_of(const struct coh_sim *s, uint32_t ver, uint64_t phys);

#endif
