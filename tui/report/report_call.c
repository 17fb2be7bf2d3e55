/* SPDX-License-Identifier: MIT */
/*
 * report_call.c - the real API function a finding's omitted call stands
 * for, as the mapping was made (dma_sync_sg_for_cpu for a scatter list,
 * FlushAdapterBuffersEx after MapTransferEx, ...).  The lowest report file:
 * it knows event kinds and nothing of reports.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "coh_event.h"
#include "report.h"

static bool sg_map(unsigned map_kind)
{
	return map_kind == COH_EV_DMA_MAP_SG;
}

static const char *unmap_for(unsigned map_kind)
{
	switch (map_kind) {
	case COH_EV_DMA_MAP_SG: return "dma_unmap_sg";
	case COH_EV_DMA_MAP_RES: return "dma_unmap_resource";
	case COH_EV_DMA_ALLOC: return "dma_free_coherent";
	case COH_EV_DMA_ALLOC_PAGES: return "dma_free_pages";
	default: return "dma_unmap_page";
	}
}

/* A Linux or Windows kind as the function a driver calls. */
static const char *real_name(unsigned kind, unsigned map_kind)
{
	switch (kind) {
	case COH_EV_DMA_SYNC_CPU:
	case COH_EV_DMA_SYNC_SG_CPU:
		return sg_map(map_kind) || (map_kind == COH_EV_NONE && kind != COH_EV_DMA_SYNC_CPU) ?
		       "dma_sync_sg_for_cpu" : "dma_sync_single_for_cpu";
	case COH_EV_DMA_SYNC_DEV:
	case COH_EV_DMA_SYNC_SG_DEV:
		return sg_map(map_kind) || (map_kind == COH_EV_NONE && kind != COH_EV_DMA_SYNC_DEV) ?
		       "dma_sync_sg_for_device" : "dma_sync_single_for_device";
	case COH_EV_DMA_UNMAP:
	case COH_EV_DMA_UNMAP_SG:
	case COH_EV_DMA_UNMAP_RES:
		return unmap_for(map_kind != COH_EV_NONE ? map_kind :
				 kind == COH_EV_DMA_UNMAP_SG ? COH_EV_DMA_MAP_SG :
				 kind == COH_EV_DMA_UNMAP_RES ? COH_EV_DMA_MAP_RES : COH_EV_DMA_MAP);
	case COH_EV_DMA_MAP: return "dma_map_page";
	case COH_EV_FLUSH_ADAPTER:
	case COH_EV_FLUSH_ADAPTER_EX:
		return kind == COH_EV_FLUSH_ADAPTER_EX || map_kind == COH_EV_MAP_TRANSFER_EX ?
		       "FlushAdapterBuffersEx" : "FlushAdapterBuffers";
	}
	if (coh_kind_group(kind) == COH_GROUP_LINUX || coh_kind_group(kind) == COH_GROUP_WINDOWS)
		return coh_kind_name(kind);  /* the engine's name is the real one */
	return NULL;
}

void report_call_rename(char *line, size_t n, unsigned kind, const char *api)
{
	const char *name = coh_kind_name(kind);
	size_t k = strlen(name);
	char *at = strstr(line, name), rest[512];

	if (!api || !strcmp(api, name) || !at || (at > line && at[-1] != ' ') ||
	    (at[k] && at[k] != ' '))
		return;
	snprintf(rest, sizeof(rest), "%s", at + k);
	snprintf(at, n - (size_t)(at - line), "%s%s", api, rest);
}

const char *report_call_name(unsigned omitted, unsigned map_kind, unsigned at_kind)
{
	const char *name;

	if (omitted == COH_EV_NONE)
		return NULL;
	name = real_name(omitted, map_kind);
	if (name)
		return name;
	/* a device signal: the call at the event came before the device was done */
	name = at_kind != COH_EV_NONE ? real_name(at_kind, map_kind) : NULL;
	if (name)
		return name;
	return coh_kind_group(map_kind) == COH_GROUP_LINUX ? "dma_sync_single_for_cpu" :
	       "FlushAdapterBuffers";
}
