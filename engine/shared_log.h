/* SPDX-License-Identifier: MIT */
/*
 * shared_log.h - an append-only array shared between clones of a simulation
 * (shared_log.c).
 * Internal to the engine.
 */
#ifndef COH_SHARED_LOG_H
#define COH_SHARED_LOG_H

#include "varr.h"

/* an append-only array (shared_log.c) */
struct shared_log {
	refcount refs;               /* sharers */
	uint32_t size;               /* bytes per entry */
	size_t n, cap;               /* entries appended, room for */
	void *v;                     /* cap entries */
};

void coh_shared_log_put(struct coh_heap *h, struct shared_log *l);
struct shared_log *coh_shared_log_share(struct shared_log *l);
int coh_shared_log_room(struct coh_heap *h, struct shared_log **lp, size_t have, uint32_t size);
int coh_shared_log_unshare(struct coh_heap *h, struct shared_log **lp, size_t have,
			   uint32_t size);
size_t coh_shared_log_bytes(const struct shared_log *l);

#endif
