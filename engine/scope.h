/* SPDX-License-Identifier: MIT */
/*
 * scope.h - sequence scopes and leaks (scope.c).
 * Internal to the engine.
 */
#ifndef COH_SCOPE_H
#define COH_SCOPE_H

#include "util.h"

#define MAX_SCOPES   16
#define SCOPE_NAME   48

struct scope {
	uint32_t id;                 /* unique, > 0 */
	char name[SCOPE_NAME];
	uint64_t devs[(COH_MAX_DEVS + 63) / 64];  /* devices its dev_* markers named */
};

/* scope.c */
void coh_scope_note_device(struct coh_sim *s, unsigned dev);
int coh_scope_apply(struct coh_sim *s, const struct coh_event *ev);
int coh_leak_check(struct coh_sim *s, uint32_t scope_id, const uint64_t *devs);

#endif
