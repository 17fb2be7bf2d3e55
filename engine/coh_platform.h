/* SPDX-License-Identifier: MIT */
/*
 * coh_platform.h - the machine being simulated (docs/model.md section 1).
 *
 * A platform is a plain value: CPU caches, speculation, the DMA granule, and
 * a table of devices (each coherent or not, with or without bounce buffers,
 * its Windows DMA interface version, its system DMA controller and its
 * posted-write buffer).  Events name devices by index into that table.
 * Presets fill one in; callers may then edit any field and must pass the
 * result through coh_platform_check() (coh_sim_new() does so too).
 */
#ifndef COH_PLATFORM_H
#define COH_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#define COH_MAX_CPUS      8
#define COH_MAX_DEVS      128
#define COH_NAME_MAX      48     /* device and platform names, with the NUL */
#define COH_LINE_MIN      16
#define COH_LINE_MAX      256
#define COH_CACHE_MAX     (4u << 20)  /* bytes of data cache per CPU */
#define COH_CTRL_MAX      65536  /* largest controller buffer B */
#define COH_POSTED_MAX    65536  /* largest posted-write buffer P */

struct coh_dev_cfg {
	char name[COH_NAME_MAX];  /* as traces name it ("0000:00:02.0", "dmabug") */
	uint8_t coherent;         /* 1: device accesses snoop the CPU caches */
	uint8_t bounce;           /* 1: bounce buffers (swiotlb, double-buffered map registers) */
	uint8_t dma_version;      /* Windows DMA interface of its adapter: 2 (v1/v2) or 3 */
	uint8_t signals_done;     /* 1: its transfers end with dev_done events (enables DC005) */
	uint32_t ctrl_size;       /* B: system DMA controller buffer in bytes, 0 = none */
	uint32_t ctrl_chunk;      /* C: controller moves C bytes at a time (C >= 8) */
	uint32_t posted;          /* P: bus-master posted-write buffer in bytes, 0 = none */
};

struct coh_platform {
	char name[COH_NAME_MAX];  /* preset name, or a label of the caller's */
	uint32_t line;            /* L: cache line size, a power of two in 16..256 */
	uint32_t sets;            /* sets per CPU cache, a power of two */
	uint32_t ways;            /* ways per set, 1..32 */
	uint32_t ncpus;           /* 1..COH_MAX_CPUS */
	uint8_t speculative;      /* 1: CPUs fill lines on their own (section 1) */
	uint32_t dma_align;       /* platform DMA alignment (128 on arm64), 0 = L */
	struct coh_dev_cfg dev_default;   /* used for devices added later */
	uint32_t ndevs;           /* devices in devs[] */
	struct coh_dev_cfg devs[COH_MAX_DEVS];
};

/**
 * coh_platform_preset - fill @out with a named preset
 * @name: "x86", "x86-swiotlb", "arm-noncoherent", "arm-speculative",
 *        "nt-slave-dma", "nt-busmaster", "nt-doublebuffer", "nt-v3", ...
 * @out:  filled in, with no devices (ndevs = 0)
 *
 * Return: 0, or -COH_E_INVAL for an unknown name.
 */
int coh_platform_preset(const char *name, struct coh_platform *out);

/**
 * coh_platform_preset_at - the presets in order, for listings
 * @i:    0, 1, 2, ...
 * @help: if not NULL, set to a one-line description
 *
 * Return: the i-th preset's name (static), or NULL past the last one.
 */
const char *coh_platform_preset_at(unsigned i, const char **help);

/**
 * coh_platform_check - validate every field
 * @p:   the platform
 * @msg: if not NULL, receives a message naming the bad field
 * @n:   size of @msg
 *
 * Return: 0, or -COH_E_PLATFORM.
 */
int coh_platform_check(const struct coh_platform *p, char *msg, size_t n);

/**
 * coh_platform_add_dev - find or add a device by name
 * @p:    the platform; a new device copies p->dev_default
 * @name: device name (truncated to COH_NAME_MAX - 1)
 *
 * Return: the device's index, or -COH_E_TOOBIG when the table is full,
 * -COH_E_INVAL for an empty name.
 */
int coh_platform_add_dev(struct coh_platform *p, const char *name);

/**
 * coh_platform_find_dev - index of a device by name
 *
 * Return: the index, or -1.
 */
int coh_platform_find_dev(const struct coh_platform *p, const char *name);

/**
 * coh_platform_granule - the DMA granule, max(L, dma_align)
 */
uint32_t coh_platform_granule(const struct coh_platform *p);

#endif
