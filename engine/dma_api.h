/* SPDX-License-Identifier: MIT */
/*
 * dma_api.h - the DMA API layers: the Linux calls (linux.c) and the Windows
 * calls (windows.c).
 * Internal to the engine.
 */
#ifndef COH_DMA_API_H
#define COH_DMA_API_H

#include "util.h"

int coh_windows_dev_done(struct coh_sim *s, const struct coh_event *ev);
int coh_linux_apply(struct coh_sim *s, const struct coh_event *ev);
int coh_windows_apply(struct coh_sim *s, const struct coh_event *ev);

#endif
