/* SPDX-License-Identifier: MIT */
/*
 * coh_sim_dma.h - read-only views of the DMA side of a simulation, for the
 * replay screen's panes: bounce slots (swiotlb), Windows map buffers, and
 * device writes not yet handed over to the CPU.
 *
 * Each view describes the i-th live mapping (the index of coh_sim_mapping())
 * as runs: consecutive bytes of one segment with one version.  Like the
 * other views in coh_sim.h they fill plain structs and change nothing.
 */
#ifndef COH_SIM_DMA_H
#define COH_SIM_DMA_H

#include <stddef.h>
#include <stdint.h>

#include "coh_sim.h"

/* Bytes [off, off + len) of a mapping that share one version. */
struct coh_buf_run {
	uint64_t off;                /* offset in the mapping (across its segments) */
	uint64_t len;                /* bytes */
	uint64_t addr;               /* physical address of the driver's bytes, or
				      * COH_ADDR_NONE when unknown */
	uint64_t bus;                /* device-side address: the slot or map buffer
				      * when bounced, else where the device writes */
	uint32_t ver;                /* the version held there (0: none) */
};

/**
 * coh_sim_bounce_slots - what the bounce slots of a Linux mapping hold
 * @s:   the simulation
 * @i:   the live mapping (see coh_sim_mapping())
 * @out: room for @max runs covering the whole mapping, in offset order;
 *       ver is the version in the slot (a device write not yet copied back
 *       shows as a newer version than memory holds at addr)
 *
 * Return: runs (may exceed @max), or -COH_E_INVAL when @i is out of range,
 * the mapping has no bounce slots, or it is a Windows one (see
 * coh_sim_map_buffers()).
 */
long coh_sim_bounce_slots(const struct coh_sim *s, size_t i, struct coh_buf_run *out,
			  size_t max);

/**
 * coh_sim_map_buffers - what the map buffers of a Windows transfer hold
 * (double-buffered map registers: the HAL's copy the device reads and
 * writes at the logical address MapTransfer returned; the transfer's
 * map-register base is coh_map_view.handle)
 * @out: room for @max runs covering the whole transfer, in offset order
 *
 * Return: runs (may exceed @max), or -COH_E_INVAL when @i is out of range
 * or not a transfer (MapTransfer, GetScatterGatherList) with map buffers.
 */
long coh_sim_map_buffers(const struct coh_sim *s, size_t i, struct coh_buf_run *out,
			 size_t max);

/**
 * coh_sim_pending_writes - device writes to the i-th live mapping not yet
 * handed over to the CPU (no sync, unmap or flush since), with their
 * versions; bytes with none are left out
 * @out: room for @max runs, in offset order
 *
 * Return: runs (may exceed @max; 0 when nothing is pending), or
 * -COH_E_INVAL when @i is out of range.
 */
long coh_sim_pending_writes(const struct coh_sim *s, size_t i, struct coh_buf_run *out,
			    size_t max);

#endif
