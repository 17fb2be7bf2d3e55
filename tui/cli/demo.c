/* SPDX-License-Identifier: MIT */
/*
 * demo.c - short built-in scenarios, each once wrong and once right:
 * a Linux receive buffer read before dma_sync_single_for_cpu on a
 * noncoherent arm64, and a Windows CacheEnabled common buffer that the
 * device writes without KeFlushIoBuffers on a noncoherent bus master.
 */
#include "demo.h"

#define RX_PHYS 0x10000ull           /* the receive buffer, physical */
#define RX_BUS  0x80000000ull        /* its DMA address */
#define RX_LEN  256
#define CB_ADDR 0x20000ull           /* the common buffer (logical = physical) */
#define CB_LEN  128

#define CPU_W(a, n)  { .kind = COH_EV_CPU_WRITE, .addr = (a), .len = (n) }
#define CPU_R(a, n)  { .kind = COH_EV_CPU_READ, .addr = (a), .len = (n) }
#define DEV_W(b, n)  { .kind = COH_EV_DEV_WRITE, .addr = (b), .len = (n) }
#define EVICT(a, n)  { .kind = COH_EV_EVICT, .addr = (a), .len = (n) }
#define LX(k, d)     .kind = COH_EV_##k, .bus = RX_BUS, .len = RX_LEN, .dir = COH_DIR_##d
#define THE_END      { .kind = COH_EV_TRACE_END, .dir = COH_DIR_NONE }

static const struct coh_event rx_bug[] = {
	CPU_W(RX_PHYS, RX_LEN),                                  /* the driver clears it */
	{ LX(DMA_MAP, FROM_DEVICE), .addr = RX_PHYS },            /* dma_map_single */
	DEV_W(RX_BUS, RX_LEN),                                   /* a frame arrives */
	CPU_R(RX_PHYS, 64),                                      /* read too early */
	{ LX(DMA_UNMAP, FROM_DEVICE) },
	THE_END,
};

static const struct coh_event rx_fixed[] = {
	CPU_W(RX_PHYS, RX_LEN),
	{ LX(DMA_MAP, FROM_DEVICE), .addr = RX_PHYS },
	DEV_W(RX_BUS, RX_LEN),
	{ LX(DMA_SYNC_CPU, FROM_DEVICE) },                       /* dma_sync_single_for_cpu */
	CPU_R(RX_PHYS, 64),
	{ LX(DMA_UNMAP, FROM_DEVICE) },
	THE_END,
};

static const struct coh_seg cb_mdl[] = { { .addr = CB_ADDR, .bus = CB_ADDR, .len = CB_LEN } };

#define ALLOC_CB { .kind = COH_EV_ALLOC_COMMON, .addr = CB_ADDR, .bus = CB_ADDR, \
		   .len = CB_LEN, .flags = COH_F_CACHE_ENABLED, .dir = COH_DIR_NONE }
#define FREE_CB  { .kind = COH_EV_FREE_COMMON, .addr = CB_ADDR, .bus = CB_ADDR, \
		   .len = CB_LEN, .dir = COH_DIR_NONE }
#define KE_FLUSH { .kind = COH_EV_KE_FLUSH, .segs = cb_mdl, .nsegs = 1, \
		   .flags = COH_F_READ_OP | COH_F_DMA_OP, .dir = COH_DIR_NONE }

static const struct coh_event cb_bug[] = {
	ALLOC_CB,
	CPU_W(CB_ADDR, CB_LEN),                                  /* fill in, lines dirty */
	DEV_W(CB_ADDR, 64),                                      /* the device writes */
	EVICT(CB_ADDR, CB_LEN),                                  /* unrelated traffic */
	CPU_R(CB_ADDR, 64),
	FREE_CB,
	THE_END,
};

static const struct coh_event cb_fixed[] = {
	ALLOC_CB,
	CPU_W(CB_ADDR, CB_LEN),
	KE_FLUSH,                                                /* ReadOperation=TRUE */
	DEV_W(CB_ADDR, 64),
	EVICT(CB_ADDR, CB_LEN),
	CPU_R(CB_ADDR, 64),
	FREE_CB,
	THE_END,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct demo_scenario scenarios[] = {
	{ "Linux: receive buffer read before dma_sync_single_for_cpu",
	  "The device writes a frame into a FROM_DEVICE streaming buffer and the CPU reads it "
	  "while the device still owns it: on a noncoherent arm64 the CPU's cache still holds "
	  "the bytes the driver wrote before dma_map_single.",
	  "arm-noncoherent", "eth0", rx_bug, N(rx_bug) },
	{ "Linux: the same, with dma_sync_single_for_cpu first",
	  "dma_sync_single_for_cpu invalidates the lines and hands the buffer back to the CPU, "
	  "so the read sees the frame.",
	  "arm-noncoherent", "eth0", rx_fixed, N(rx_fixed) },
	{ "Windows: CacheEnabled common buffer written by the device, no KeFlushIoBuffers",
	  "The CPU leaves dirty lines over a cached common buffer; the device writes under "
	  "them, and when the lines are evicted their write-back puts the old bytes over the "
	  "device's data.",
	  "nt-busmaster", "nic0", cb_bug, N(cb_bug) },
	{ "Windows: the same, with KeFlushIoBuffers(ReadOperation=TRUE) before the transfer",
	  "KeFlushIoBuffers cleans and invalidates the buffer's lines before the device "
	  "writes, so nothing is left to write back over its data.",
	  "nt-busmaster", "nic0", cb_fixed, N(cb_fixed) },
};

const struct demo_scenario *demo_scenario_at(size_t i)
{
	return i < N(scenarios) ? &scenarios[i] : NULL;
}
