/* SPDX-License-Identifier: MIT */
/*
 * test_platforms.c - what each call does to caches, memory, bounce slots and
 * ownership on `x86` (every cache operation a no-op), `arm-noncoherent`
 * (clean and invalidate as docs/model.md section 2 says) and `x86-swiotlb`
 * (bounce copies).  The NT presets, several CPUs, line sizes and addresses
 * near 2^64 are in test_platforms_nt.c.
 */
#include "plat.h"

#define BUF   0x100000ull
#define BUS   0x80000000ull
#define DEV   0

static const uint8_t cpu_data[256] = { [0 ... 255] = 0xaa };
static const uint8_t dev_data[256] = { [0 ... 255] = 0x55 };

static const unsigned dirs[3] = {
	COH_DIR_TO_DEVICE, COH_DIR_FROM_DEVICE, COH_DIR_BIDIRECTIONAL,
};

static int from_dev(unsigned dir)
{
	return dir == COH_DIR_FROM_DEVICE || dir == COH_DIR_BIDIRECTIONAL;
}

static int to_dev(unsigned dir)
{
	return dir == COH_DIR_TO_DEVICE || dir == COH_DIR_BIDIRECTIONAL;
}

#define sc_map_f(sc, phys, bus, len, dir, fl) \
	sc_linux(sc, COH_EV_DMA_MAP, DEV, phys, bus, len, dir, fl)
#define sc_unmap_f(sc, bus, len, dir, fl) \
	sc_linux(sc, COH_EV_DMA_UNMAP, DEV, COH_ADDR_NONE, bus, len, dir, fl)

/* ---- x86: no cache operation does anything -------------------------------- */

static void x86_linux_noop(struct scen *sc, const struct cstate *before)
{
	for (unsigned k = 0; k < 3; k++) {
		unsigned dir = dirs[k];

		sc_map(sc, DEV, BUF, BUS, 128, dir);
		cstate_same(sc, BUF, 2, before);
		assert_int_equal(pl_owner(sc, 0), COH_OWNER_DEVICE);
		sc_sync_cpu(sc, DEV, BUS, 128, dir);
		cstate_same(sc, BUF, 2, before);
		assert_int_equal(pl_owner(sc, 0), COH_OWNER_CPU);
		sc_sync_dev(sc, DEV, BUS, 128, dir);
		cstate_same(sc, BUF, 2, before);
		assert_int_equal(pl_owner(sc, 0), COH_OWNER_DEVICE);
		sc_unmap(sc, DEV, BUS, 128, dir);
		cstate_same(sc, BUF, 2, before);
		assert_int_equal(coh_sim_nmappings(sc->s), 0);
	}
}

static void x86_windows_noop(struct scen *sc, const struct cstate *before)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 128 };

	for (unsigned wtd = 0; wtd <= COH_F_WRITE_TO_DEVICE; wtd += COH_F_WRITE_TO_DEVICE) {
		sc_ke_flush(sc, DEV, BUF, 128, !wtd);
		cstate_same(sc, BUF, 2, before);
		sc_win(sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl, 1, 0, 128, 0x1000, 1, wtd);
		cstate_same(sc, BUF, 2, before);
		assert_int_equal(pl_owner(sc, 0), COH_OWNER_DEVICE);
		sc_flush(sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl, 1, 0, 128, 0x1000, wtd, 0);
		cstate_same(sc, BUF, 2, before);
		assert_int_equal(pl_owner(sc, 0), COH_OWNER_CPU);
		sc_irp_complete(sc, 1, COH_STATUS_SUCCESS);
		sc_free_map_regs(sc, DEV, 0x1000);
		sc_win(sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 128, 0x1000, 2, wtd);
		sc_flush(sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 128, 0x1000, wtd, 0);
		sc_irp_complete(sc, 2, COH_STATUS_SUCCESS);
		sc_free_map_regs(sc, DEV, 0x1000);
		cstate_same(sc, BUF, 2, before);
	}
}

/* A dirty line in CPU 0 and a clean one in CPU 1 stay exactly as they are
 * through every Linux and Windows call; ownership still moves. */
static void x86_cache_ops_noop(void **state)
{
	struct cstate *before = malloc(sizeof(*before));
	struct scen sc;
	uint64_t w;

	(void)state;
	assert_non_null(before);
	sc_setup(&sc, "x86", 1);
	sc.p.ncpus = 2;
	sc_start(&sc, 0);
	w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_cpu_read(&sc, 1, BUF + 64, 64);
	cstate_get(&sc, BUF, 2, before);
	assert_int_equal(before->state[0][0], COH_LINE_DIRTY);
	assert_int_equal(before->vers[0][0][0], w + 1);
	assert_int_equal(before->state[1][1], COH_LINE_CLEAN);
	assert_int_equal(before->mem[0], 0);
	x86_linux_noop(&sc, before);
	x86_windows_noop(&sc, before);
	assert_int_equal(sc_errors(&sc), 0);
	free(before);
	sc_fini(&sc);
}

/* The system DMA controller still buffers and drains on x86, and discards
 * its prefetch at the flush. */
static void x86_controller_drains(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 40 };
	struct scen sc;
	int dir;
	uint64_t d;

	(void)state;
	sc_setup(&sc, "x86", 1);
	sc.p.devs[DEV].ctrl_size = 16;
	sc.p.devs[DEV].ctrl_chunk = 8;
	sc_start(&sc, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 40, 0x1000, 1, 0);
	d = sc_dev_write(&sc, DEV, BUF, 40, dev_data);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 8);
	assert_int_equal(dir, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_mem_ver(&sc, BUF + 31), d + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), 0);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 40, 0x1000, 0, 0);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 0);
	assert_int_equal(dir, COH_DIR_NONE);
	assert_int_equal(sc_mem_ver(&sc, BUF + 39), d + 1);
	sc_irp_complete(&sc, 1, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x1000);

	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 40, 0x2000, 2, COH_F_WRITE_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUF, 4);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 12);
	assert_int_equal(dir, COH_DIR_TO_DEVICE);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 40, 0x2000, COH_F_WRITE_TO_DEVICE, 0);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 0);
	sc_fini(&sc);
}

/* Posted writes and bounce copies still happen on x86. */
static void x86_posted_and_bounce(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	uint64_t d;

	(void)state;
	sc_setup(&sc, "x86", 1);
	sc.p.devs[DEV].posted = 32;
	sc_start(&sc, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 1, 0);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 32);
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), 0);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x1000, 0, 0);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 63), d + 1);
	sc_fini(&sc);

	sc_setup(&sc, "x86", 1);
	sc.p.devs[DEV].bounce = 1;
	sc_start(&sc, 0);
	sc_map(&sc, DEV, BUF, BUS, 64, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS, 64, dev_data);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), 0);         /* in the slot */
	sc_unmap(&sc, DEV, BUS, 64, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);     /* copied back */
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* ---- arm-noncoherent ------------------------------------------------------- */

/* dma_map cleans in every direction (memory gets the dirty line's versions,
 * the line stays valid); SKIP_CPU_SYNC skips it. */
static void arm_map_cleans(void **state)
{
	struct scen sc;
	uint64_t w;

	(void)state;
	for (unsigned k = 0; k < 3; k++) {
		for (unsigned skip = 0; skip < 2; skip++) {
			sc_init(&sc, "arm-noncoherent", 1);
			w = sc_cpu_write(&sc, 0, BUF, 128, cpu_data);
			assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_DIRTY);
			sc_map_f(&sc, BUF, BUS, 128, dirs[k], skip ? COH_F_SKIP_CPU_SYNC : 0);
			assert_int_equal(sc_mem_ver(&sc, BUF), skip ? 0 : w + 1);
			assert_int_equal(sc_mem_ver(&sc, BUF + 127), skip ? 0 : w + 1);
			assert_int_equal(pl_state(&sc, 0, BUF + 64),
					 skip ? COH_LINE_DIRTY : COH_LINE_CLEAN);
			assert_int_equal(sc_cpu_ver(&sc, 0, BUF), w + 1);
			sc_fini(&sc);
		}
	}
}

/* dma_unmap invalidates for FROM_DEVICE/BIDIRECTIONAL only, unless
 * SKIP_CPU_SYNC. */
static void arm_unmap_invalidates(void **state)
{
	struct scen sc;

	(void)state;
	for (unsigned k = 0; k < 3; k++) {
		for (unsigned skip = 0; skip < 2; skip++) {
			int gone = from_dev(dirs[k]) && !skip;

			sc_init(&sc, "arm-noncoherent", 1);
			sc_cpu_read(&sc, 0, BUF, 128);
			sc_map(&sc, DEV, BUF, BUS, 128, dirs[k]);
			assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_CLEAN);
			sc_unmap_f(&sc, BUS, 128, dirs[k], skip ? COH_F_SKIP_CPU_SYNC : 0);
			assert_int_equal(pl_state(&sc, 0, BUF), gone ? COH_LINE_INVALID
								     : COH_LINE_CLEAN);
			assert_int_equal(pl_state(&sc, 0, BUF + 64), gone ? COH_LINE_INVALID
									  : COH_LINE_CLEAN);
			sc_fini(&sc);
		}
	}
}

/* A line only partly inside the invalidated range is cleaned first; a dirty
 * line wholly inside is dropped, its bytes lost. */
static void arm_invalidate_partial(void **state)
{
	struct scen sc;
	uint64_t w1, w2;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	w1 = sc_cpu_write(&sc, 0, BUF, 8, cpu_data);             /* line BUF */
	w2 = sc_cpu_write(&sc, 0, BUF + 128, 64, cpu_data);      /* line BUF+128 */
	sc_map_f(&sc, BUF + 32, BUS, 64, COH_DIR_FROM_DEVICE, COH_F_SKIP_CPU_SYNC);
	sc_map_f(&sc, BUF + 128, BUS + 0x1000, 64, COH_DIR_FROM_DEVICE, COH_F_SKIP_CPU_SYNC);
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);
	sc_unmap(&sc, DEV, BUS, 64, COH_DIR_FROM_DEVICE);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
	assert_int_equal(sc_mem_ver(&sc, BUF), w1 + 1);           /* cleaned first */
	sc_unmap(&sc, DEV, BUS + 0x1000, 64, COH_DIR_FROM_DEVICE);
	assert_int_equal(pl_state(&sc, 0, BUF + 128), COH_LINE_INVALID);
	assert_int_equal(sc_mem_ver(&sc, BUF + 128), 0);           /* dropped */
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 128), 0);
	(void)w2;
	sc_fini(&sc);
}

/* sync_for_device cleans; sync_for_cpu invalidates for FROM/BIDIR only. */
static void arm_syncs(void **state)
{
	struct scen sc;
	uint64_t w;

	(void)state;
	for (unsigned k = 0; k < 3; k++) {
		sc_init(&sc, "arm-noncoherent", 1);
		sc_map(&sc, DEV, BUF, BUS, 128, dirs[k]);
		sc_sync_cpu(&sc, DEV, BUS, 128, dirs[k]);
		w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
		sc_sync_dev(&sc, DEV, BUS, 128, dirs[k]);
		assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
		assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_CLEAN);
		sc_sync_cpu(&sc, DEV, BUS, 128, dirs[k]);
		assert_int_equal(pl_state(&sc, 0, BUF),
				 from_dev(dirs[k]) ? COH_LINE_INVALID : COH_LINE_CLEAN);
		sc_fini(&sc);
	}
}

/* Maintenance acts on every CPU's cache. */
static void arm_all_cpus(void **state)
{
	struct scen sc;
	uint64_t w;

	(void)state;
	sc_setup(&sc, "arm-noncoherent", 1);
	sc.p.ncpus = 2;
	sc_start(&sc, 0);
	w = sc_cpu_write(&sc, 1, BUF, 64, cpu_data);
	sc_cpu_read(&sc, 0, BUF + 64, 64);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	assert_int_equal(pl_state(&sc, 1, BUF), COH_LINE_CLEAN);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	assert_int_equal(pl_state(&sc, 1, BUF), COH_LINE_INVALID);
	assert_int_equal(pl_state(&sc, 0, BUF + 64), COH_LINE_INVALID);
	sc_fini(&sc);
}

/* KeFlushIoBuffers on a noncoherent device: ReadOperation cleans and
 * invalidates, otherwise it cleans; DmaOperation=FALSE does nothing. */
static void arm_ke_flush(void **state)
{
	struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct coh_event ev;
	struct scen sc;
	uint64_t w;

	(void)state;
	for (int read_op = 0; read_op < 2; read_op++) {
		sc_init(&sc, "arm-noncoherent", 1);
		w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
		sc_ke_flush(&sc, DEV, BUF, 64, read_op);
		assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
		assert_int_equal(pl_state(&sc, 0, BUF),
				 read_op ? COH_LINE_INVALID : COH_LINE_CLEAN);
		sc_fini(&sc);
	}
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	ev = sc_ev(COH_EV_KE_FLUSH);
	ev.dev = DEV;
	ev.segs = &mdl;
	ev.nsegs = 1;
	ev.flags = COH_F_READ_OP;                       /* PIO */
	sc_apply(&sc, &ev);
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_DIRTY);
	sc_fini(&sc);
}

/* dma_alloc_coherent memory is uncached on a noncoherent device;
 * dma_alloc_pages memory is cached and CPU-owned at first. */
static void arm_allocations(void **state)
{
	struct scen sc;
	uint64_t w;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_alloc_coherent(&sc, DEV, BUF, 4096);
	w = sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	sc_linux(&sc, COH_EV_DMA_ALLOC_PAGES, DEV, BUF + 0x2000, BUS, 4096,
		 COH_DIR_BIDIRECTIONAL, 0);
	assert_int_equal(pl_owner(&sc, 1), COH_OWNER_CPU);
	w = sc_cpu_write(&sc, 0, BUF + 0x2000, 8, cpu_data);
	assert_int_equal(pl_state(&sc, 0, BUF + 0x2000), COH_LINE_DIRTY);
	assert_int_equal(sc_mem_ver(&sc, BUF + 0x2000), 0);
	sc_sync_dev(&sc, DEV, BUS, 4096, COH_DIR_BIDIRECTIONAL);
	assert_int_equal(sc_mem_ver(&sc, BUF + 0x2000), w + 1);
	assert_int_equal(pl_owner(&sc, 1), COH_OWNER_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* Scatter lists: every segment gets the work; dma_map_resource (MMIO) none. */
static void arm_sg_and_resource(void **state)
{
	static const struct coh_seg sg[2] = {
		{ BUF, BUS, 64 }, { BUF + 0x1000, BUS + 0x1000, 128 },
	};
	static const struct coh_seg sg_phys[2] = {
		{ BUF, COH_ADDR_NONE, 64 }, { BUF + 0x1000, COH_ADDR_NONE, 128 },
	};
	struct scen sc;
	uint64_t w1, w2, w3;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	w1 = sc_cpu_write(&sc, 0, BUF, 64, NULL);
	w2 = sc_cpu_write(&sc, 0, BUF + 0x1000 + 64, 64, NULL);
	sc_sg(&sc, COH_EV_DMA_MAP_SG, DEV, sg, 2, 2, COH_DIR_FROM_DEVICE, 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), w1 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 0x1000 + 127), w2 + 1);
	assert_int_equal(pl_state(&sc, 0, BUF + 0x1000 + 64), COH_LINE_CLEAN);
	sc_sg(&sc, COH_EV_DMA_SYNC_SG_CPU, DEV, sg, 2, 2, COH_DIR_FROM_DEVICE, 0);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
	assert_int_equal(pl_state(&sc, 0, BUF + 0x1000 + 64), COH_LINE_INVALID);
	sc_cpu_read(&sc, 0, BUF + 0x1000, 128);
	sc_sg(&sc, COH_EV_DMA_SYNC_SG_DEV, DEV, sg, 2, 2, COH_DIR_FROM_DEVICE, 0);
	sc_sg(&sc, COH_EV_DMA_UNMAP_SG, DEV, sg_phys, 2, 2, COH_DIR_FROM_DEVICE, 0);
	assert_int_equal(pl_state(&sc, 0, BUF + 0x1000), COH_LINE_INVALID);
	assert_int_equal(coh_sim_nmappings(sc.s), 0);
	assert_int_equal(sc_errors(&sc), 0);

	w3 = sc_cpu_write(&sc, 0, BUF + 0x4000, 64, NULL);
	sc_linux(&sc, COH_EV_DMA_MAP_RES, DEV, BUF + 0x4000, BUS + 0x4000, 64,
		 COH_DIR_BIDIRECTIONAL, 0);
	assert_int_equal(pl_state(&sc, 0, BUF + 0x4000), COH_LINE_DIRTY);
	assert_int_equal(sc_mem_ver(&sc, BUF + 0x4000), 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 0x4000), w3 + 1);
	sc_fini(&sc);
}

/* ---- x86-swiotlb ----------------------------------------------------------- */

/* The map copies buffer -> slot in every direction, even with SKIP_CPU_SYNC:
 * the device reads what the CPU wrote before the map, not after it. */
static void swiotlb_map_copies(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t w1, w2;

	(void)state;
	for (unsigned k = 0; k < 3; k++) {
		for (unsigned skip = 0; skip < 2; skip++) {
			sc_init(&sc, "x86-swiotlb", 1);
			w1 = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
			sc_map_f(&sc, BUF, BUS, 64, dirs[k], skip ? COH_F_SKIP_CPU_SYNC : 0);
			sc_dev_read(&sc, DEV, BUS, 64);
			assert_int_equal(sc_count(&sc, COH_DC002, 0), 0);
			w2 = sc_cpu_write(&sc, 0, BUF, 64, NULL);
			sc_dev_read(&sc, DEV, BUS, 64);
			f = sc_find(&sc, COH_DC002, 0);
			assert_int_equal(f->seen_ver[0], w1 + 1);      /* the slot's copy */
			assert_int_equal(f->exp_ver[0], w2 + 1);
			assert_int_equal(f->seen[0], 0xaa);
			sc_fini(&sc);
		}
	}
}

/* unmap copies slot -> buffer for FROM/BIDIR unless SKIP_CPU_SYNC, through
 * the CPU's view: a cached line takes the bytes and turns dirty. */
static void swiotlb_unmap_copies(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	for (unsigned k = 0; k < 3; k++) {
		for (unsigned skip = 0; skip < 2; skip++) {
			int copied = from_dev(dirs[k]) && !skip;

			sc_init(&sc, "x86-swiotlb", 1);
			sc_cpu_read(&sc, 0, BUF, 64);
			sc_map(&sc, DEV, BUF, BUS, 64, dirs[k]);
			d = sc_dev_write(&sc, DEV, BUS, 64, dev_data);
			assert_int_equal(sc_cpu_ver(&sc, 0, BUF), 0);
			sc_unmap_f(&sc, BUS, 64, dirs[k], skip ? COH_F_SKIP_CPU_SYNC : 0);
			assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 63), copied ? d + 1 : 0);
			assert_int_equal(pl_state(&sc, 0, BUF),
					 copied ? COH_LINE_DIRTY : COH_LINE_CLEAN);
			assert_int_equal(sc_mem_ver(&sc, BUF), 0);
			sc_fini(&sc);
		}
	}
}

/* sync_for_cpu copies slot -> buffer for FROM/BIDIR; sync_for_device copies
 * buffer -> slot for TO/BIDIR (the direction passed decides). */
static void swiotlb_sync_copies(void **state)
{
	struct scen sc;
	uint64_t w1, w2, d;

	(void)state;
	for (unsigned k = 0; k < 3; k++) {
		sc_init(&sc, "x86-swiotlb", 1);
		sc_map(&sc, DEV, BUF, BUS, 64, COH_DIR_BIDIRECTIONAL);
		d = sc_dev_write(&sc, DEV, BUS, 64, dev_data);
		sc_sync_cpu(&sc, DEV, BUS, 64, dirs[k]);
		assert_int_equal(sc_cpu_ver(&sc, 0, BUF), from_dev(dirs[k]) ? d + 1 : 0);
		sc_fini(&sc);

		sc_init(&sc, "x86-swiotlb", 1);
		w1 = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
		sc_map(&sc, DEV, BUF, BUS, 64, COH_DIR_BIDIRECTIONAL);
		sc_sync_cpu(&sc, DEV, BUS, 64, COH_DIR_BIDIRECTIONAL);
		w2 = sc_cpu_write(&sc, 0, BUF, 64, NULL);
		sc_sync_dev(&sc, DEV, BUS, 64, dirs[k]);
		sc_dev_read(&sc, DEV, BUS, 64);
		if (to_dev(dirs[k])) {
			assert_int_equal(sc_count(&sc, COH_DC002, 0), 0);
		} else {
			const struct coh_finding *f = sc_find(&sc, COH_DC002, 0);

			assert_int_equal(f->seen_ver[0], w1 + 1);
			assert_int_equal(f->exp_ver[0], w2 + 1);
		}
		sc_fini(&sc);
	}
}

/* The correct cycle (map, device read and write, sync_for_cpu, unmap) is
 * clean on every preset, and the CPU ends up with the device's bytes. */
static void correct_cycle_every_preset(void **state)
{
	const char *name;
	struct scen sc;
	uint64_t d;

	(void)state;
	for (unsigned i = 0; (name = coh_platform_preset_at(i, NULL)) != NULL; i++) {
		sc_init(&sc, name, 1);
		sc_cpu_read(&sc, 0, BUF, 128);
		sc_cpu_write(&sc, 0, BUF, 128, cpu_data);
		sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_BIDIRECTIONAL);
		sc_dev_read(&sc, DEV, BUS, 128);
		d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
		sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_BIDIRECTIONAL);
		sc_cpu_read(&sc, 0, BUF, 128);
		sc_unmap(&sc, DEV, BUS, 128, COH_DIR_BIDIRECTIONAL);
		sc_cpu_read(&sc, 0, BUF, 128);
		assert_int_equal(sc_errors(&sc), 0);
		assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);
		assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 127), d + 1);
		sc_fini(&sc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(x86_cache_ops_noop),
		cmocka_unit_test(x86_controller_drains),
		cmocka_unit_test(x86_posted_and_bounce),
		cmocka_unit_test(arm_map_cleans),
		cmocka_unit_test(arm_unmap_invalidates),
		cmocka_unit_test(arm_invalidate_partial),
		cmocka_unit_test(arm_syncs),
		cmocka_unit_test(arm_all_cpus),
		cmocka_unit_test(arm_ke_flush),
		cmocka_unit_test(arm_allocations),
		cmocka_unit_test(arm_sg_and_resource),
		cmocka_unit_test(swiotlb_map_copies),
		cmocka_unit_test(swiotlb_unmap_copies),
		cmocka_unit_test(swiotlb_sync_copies),
		cmocka_unit_test(correct_cycle_every_preset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
