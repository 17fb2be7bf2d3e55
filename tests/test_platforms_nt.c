/* SPDX-License-Identifier: MIT */
/*
 * test_platforms_nt.c - the NT presets (system DMA controller, posted
 * writes, double-buffered map registers, v3 adapters), several CPUs,
 * speculative fills, line sizes 16 and 256, and addresses near 2^64.
 */
#include "plat.h"


#define BUF   0x100000ull
#define BUS   0x80000000ull
#define DEV   0
#define TOP   0xffffffffffffff00ull  /* the last 256 bytes of the address space */

static const uint8_t cpu_data[256] = { [0 ... 255] = 0xaa };
static const uint8_t dev_data[256] = { [0 ... 255] = 0x55 };

/* ---- nt-slave-dma: the system DMA controller (B = 16, C = 8) --------------- */

/* Device->memory: nothing reaches memory until B bytes are buffered; a tail
 * waits for the flush. */
static void slave_dma_buffering(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 48 };
	struct coh_held_byte held[16];
	struct scen sc;
	int dir;
	uint64_t d1, d2, d3;

	(void)state;
	sc_init(&sc, "nt-slave-dma", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 48, 0x1000, 1, 0);
	d1 = sc_dev_write(&sc, DEV, BUF, 15, dev_data);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, held, 16, &dir), 15);
	assert_int_equal(dir, COH_DIR_FROM_DEVICE);
	assert_int_equal(held[0].addr, BUF);
	assert_int_equal(held[0].ver, d1 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);
	d2 = sc_dev_write(&sc, DEV, BUF + 15, 1, dev_data);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), d1 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 15), d2 + 1);
	d3 = sc_dev_write(&sc, DEV, BUF + 16, 20, dev_data);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, held, 16, &dir), 4);
	assert_int_equal(held[0].addr, BUF + 32);
	assert_int_equal(held[3].addr, BUF + 35);
	assert_int_equal(sc_mem_ver(&sc, BUF + 31), d3 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), 0);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 48, 0x1000, 0, 0);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 35), d3 + 1);
	sc_fini(&sc);
}

/* Memory->device: the controller reads B bytes ahead whenever the device
 * needs a byte it does not hold, and the flush discards the surplus.  What it
 * prefetched is what the device gets, even if the CPU changed memory since. */
static void slave_dma_prefetch(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 40 };
	struct coh_held_byte held[16];
	const struct coh_finding *f;
	struct scen sc;
	int dir;
	uint64_t w, w2, r;

	(void)state;
	sc_init(&sc, "nt-slave-dma", 1);
	w = sc_cpu_write(&sc, 0, BUF, 40, cpu_data);
	sc_ke_flush(&sc, DEV, BUF, 40, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 40, 0x2000, 2, COH_F_WRITE_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUF, 4);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, held, 16, &dir), 12);
	assert_int_equal(dir, COH_DIR_TO_DEVICE);
	assert_int_equal(held[0].addr, BUF + 4);
	assert_int_equal(held[0].ver, w + 1);
	assert_int_equal(held[11].addr, BUF + 15);
	assert_int_equal(sc_errors(&sc), 0);

	w2 = sc_cpu_write(&sc, 0, BUF + 8, 4, NULL);
	sc_ke_flush(&sc, DEV, BUF, 40, 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 8), w2 + 1);
	r = sc_dev_read(&sc, DEV, BUF + 4, 12);
	f = sc_find(&sc, COH_DC002, 0);
	assert_int_equal(f->seq, r);
	assert_int_equal(f->addr, BUF + 8);
	assert_int_equal(f->len, 4);
	assert_int_equal(f->seen_ver[0], w + 1);          /* the prefetched copy */
	assert_int_equal(f->exp_ver[0], w2 + 1);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 0);
	sc_dev_read(&sc, DEV, BUF + 16, 4);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 12);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 40, 0x2000, COH_F_WRITE_TO_DEVICE, 0);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 20), w + 1);  /* memory untouched */
	sc_fini(&sc);
}

/* ---- nt-busmaster: posted writes (P = 32) ---------------------------------- */

/* More than P pending: the oldest bytes (in write order, not address order)
 * drain until P remain; the flush completes the rest. */
static void busmaster_posted(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct coh_held_byte held[64];
	struct scen sc;
	uint64_t d1, d2;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 1, 0);
	d1 = sc_dev_write(&sc, DEV, BUF + 40, 24, dev_data);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 24);
	assert_int_equal(sc_mem_ver(&sc, BUF + 40), 0);
	d2 = sc_dev_write(&sc, DEV, BUF, 16, dev_data);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, held, 64), 32);
	assert_int_equal(held[0].addr, BUF + 48);
	assert_int_equal(held[0].ver, d1 + 1);
	assert_int_equal(held[16].addr, BUF);
	assert_int_equal(held[16].ver, d2 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 40), d1 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 47), d1 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 48), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x1000, 0, 0);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 63), d1 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 15), d2 + 1);
	sc_fini(&sc);
}

/* A flush over part of the MDL drains only that part. */
static void busmaster_partial_flush(void **state)
{
	static const struct coh_seg chain[2] = {
		{ BUF, COH_ADDR_NONE, 16 }, { BUF + 0x1000, COH_ADDR_NONE, 16 },
	};
	struct scen sc;
	uint64_t d1, d2;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, chain, 2, 0, 32, 0x1000, 1, 0);
	d1 = sc_dev_write(&sc, DEV, BUF, 16, dev_data);
	d2 = sc_dev_write(&sc, DEV, BUF + 0x1000, 16, dev_data);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 32);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &chain[1], 1, 0, 16, 0x1000, 0, 0);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 16);
	assert_int_equal(sc_mem_ver(&sc, BUF + 0x1000), d2 + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &chain[0], 1, 0, 16, 0x1000, 0, 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), d1 + 1);
	sc_fini(&sc);
}

/* ---- nt-doublebuffer: map buffers ------------------------------------------- */

/* MapTransfer(WriteToDevice) copies buffer -> map buffer: the device reads
 * the bytes as they were at MapTransfer; a device->memory transfer copies
 * nothing in, and its flush copies the map buffer back. */
static void doublebuffer_map_buffers(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	const struct coh_finding *f;
	struct scen sc;
	uint64_t w1, w2, d;

	(void)state;
	sc_init(&sc, "nt-doublebuffer", 1);
	w1 = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 1, COH_F_WRITE_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUF, 64);
	assert_int_equal(sc_count(&sc, COH_DC002, 0), 0);
	w2 = sc_cpu_write(&sc, 0, BUF, 64, NULL);
	sc_dev_read(&sc, DEV, BUF, 64);
	f = sc_find(&sc, COH_DC002, 0);
	assert_int_equal(f->seen_ver[0], w1 + 1);
	assert_int_equal(f->exp_ver[0], w2 + 1);
	sc_fini(&sc);

	sc_init(&sc, "nt-doublebuffer", 1);
	w1 = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 1, 0);
	sc_dev_read(&sc, DEV, BUF, 64);
	f = sc_find(&sc, COH_DC002, 0);
	assert_int_equal(f->seen_ver[0], 0);            /* the map buffer was never filled */
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), w1 + 1);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x1000, 0, 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 63), d + 1);
	sc_fini(&sc);
}

/* ---- nt-v3: MapTransferEx / FlushAdapterBuffersEx maintenance, speculation -- */

static void v3_map_transfer_ex(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	uint64_t w;

	(void)state;
	/* memory->device: clean */
	sc_init(&sc, "nt-v3", 1);
	w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl, 1, 0, 64, 0x1000, 1, COH_F_WRITE_TO_DEVICE);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_CLEAN);
	sc_fini(&sc);

	/* device->memory: clean + invalidate */
	sc_init(&sc, "nt-v3", 1);
	w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl, 1, 0, 64, 0x1000, 1, 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
	sc_fini(&sc);

	/* the MapTransfer of a v2 adapter does neither */
	sc_init(&sc, "nt-v3", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 1, 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_DIRTY);
	sc_fini(&sc);
}

/* The speculating CPU fills the line before the device writes; the Ex flush
 * invalidates it, FlushAdapterBuffers does not. */
static void v3_flush_ex_invalidates(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct coh_line_view lv;
	uint32_t vers[64];
	struct scen sc;
	uint64_t w, d;

	(void)state;
	for (int ex = 0; ex < 2; ex++) {
		sc_init(&sc, "nt-v3", 1);
		w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
		sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl, 1, 0, 64, 0x1000, 1, 0);
		d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
		assert_int_equal(sc_line(&sc, 0, BUF, &lv, vers), 1);
		assert_int_equal(lv.state, COH_LINE_CLEAN);
		assert_int_equal(lv.speculative, 1);
		assert_int_equal(vers[0], w + 1);                /* filled before the write */
		assert_int_equal(sc_mem_ver(&sc, BUF), d + 1);
		sc_flush(&sc, ex ? COH_EV_FLUSH_ADAPTER_EX : COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1,
			 0, 64, 0x1000, 0, 0);
		assert_int_equal(pl_state(&sc, 0, BUF), ex ? COH_LINE_INVALID : COH_LINE_CLEAN);
		sc_irp_complete(&sc, 1, COH_STATUS_SUCCESS);
		sc_free_map_regs(&sc, DEV, 0x1000);
		sc_cpu_read(&sc, 0, BUF, 64);
		assert_int_equal(sc_count(&sc, COH_DC001, 0), ex ? 0 : 1);
		assert_int_equal(sc_cpu_ver(&sc, 0, BUF), ex ? d + 1 : w + 1);
		sc_fini(&sc);
	}
}

/* ---- scatter-gather lists, common buffers ------------------------------------- */

/* PutScatterGatherList flushes like FlushAdapterBuffers (posted writes, map
 * buffers) and, on a v3 adapter, invalidates; then the list is gone. */
static void put_sg_flushes(void **state)
{
	static const struct coh_seg sgl = { BUF, BUS, 64 };
	static const char *const presets[] = { "nt-busmaster", "nt-doublebuffer", "nt-v3" };
	struct scen sc;
	uint64_t d;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		sc_init(&sc, presets[i], 1);
		if (i)          /* nt-busmaster would owe a KeFlushIoBuffers for it */
			sc_cpu_read(&sc, 0, BUF, 64);
		sc_win(&sc, COH_EV_GET_SG, DEV, &sgl, 1, 0, 64, 0x5000, 5, 0);
		d = sc_dev_write(&sc, DEV, BUS, 64, dev_data);
		if (i == 0)
			assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 32);
		if (i < 2)
			assert_int_not_equal(sc_cpu_ver(&sc, 0, BUF + 63), d + 1);
		sc_simple(&sc, COH_EV_PUT_SG, DEV, 0x5000, 0, 0);
		assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 0);
		assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);
		assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 63), d + 1);
		assert_int_equal(coh_sim_nmappings(sc.s), 0);
		if (i == 2)
			assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
		sc_irp_complete(&sc, 5, COH_STATUS_SUCCESS);
		sc_cpu_read(&sc, 0, BUF, 64);
		assert_int_equal(sc_errors(&sc), 0);
		sc_fini(&sc);
	}
}

/* AllocateCommonBuffer(CacheEnabled=FALSE): the CPU bypasses its cache;
 * TRUE: cached.  Device writes to a common buffer are visible at once. */
static void common_buffer_caching(void **state)
{
	struct scen sc;
	uint64_t w, d;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_common(&sc, DEV, BUF, 4096, 0);
	sc_common(&sc, DEV, BUF + 0x2000, 4096, 1);
	w = sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	w = sc_cpu_write(&sc, 0, BUF + 0x2000, 8, cpu_data);
	assert_int_equal(pl_state(&sc, 0, BUF + 0x2000), COH_LINE_DIRTY);
	assert_int_equal(sc_mem_ver(&sc, BUF + 0x2000), 0);
	d = sc_dev_write(&sc, DEV, BUF + 64, 64, dev_data);
	sc_cpu_read(&sc, 0, BUF + 64, 64);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 64), d + 1);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* ---- several CPUs ------------------------------------------------------------- */

/* A write on CPU 1 invalidates CPU 0's copy; a read on CPU 0 makes CPU 1
 * write its dirty copy back first; dirty data moves between CPUs. */
static void multi_cpu_coherence(void **state)
{
	struct scen sc;
	uint64_t w1, w2, w3;

	(void)state;
	sc_setup(&sc, "arm-noncoherent", 0);
	sc.p.ncpus = 2;
	sc_start(&sc, 0);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_CLEAN);
	w1 = sc_cpu_write(&sc, 1, BUF + 4, 4, NULL);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
	assert_int_equal(pl_state(&sc, 1, BUF), COH_LINE_DIRTY);
	assert_int_equal(sc_mem_ver(&sc, BUF + 4), 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 4), w1 + 1);  /* the view sees it */
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_mem_ver(&sc, BUF + 4), w1 + 1);     /* written back first */
	assert_int_equal(pl_state(&sc, 1, BUF), COH_LINE_CLEAN);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_CLEAN);

	w2 = sc_cpu_write(&sc, 0, BUF, 4, NULL);
	assert_int_equal(pl_state(&sc, 1, BUF), COH_LINE_INVALID);
	w3 = sc_cpu_write(&sc, 1, BUF + 8, 4, NULL);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
	assert_int_equal(sc_mem_ver(&sc, BUF), w2 + 1);
	assert_int_equal(sc_cpu_ver(&sc, 1, BUF), w2 + 1);
	assert_int_equal(sc_cpu_ver(&sc, 1, BUF + 4), w1 + 1);
	assert_int_equal(sc_cpu_ver(&sc, 1, BUF + 8), w3 + 1);
	sc_cpu_read(&sc, 0, BUF, 64);
	sc_cpu_read(&sc, 1, BUF, 64);
	assert_int_equal(coh_sim_stale_reads(sc.s), 0);
	assert_int_equal(coh_sim_nfindings(sc.s), 0);
	sc_fini(&sc);
}

/* Speculative fills go to the CPU that last touched the line, else CPU 0,
 * and only for lines no cache holds. */
static void speculative_fill_target(void **state)
{
	struct coh_line_view lv;
	struct scen sc;

	(void)state;
	sc_setup(&sc, "arm-speculative", 1);
	sc.p.ncpus = 2;
	sc_start(&sc, 0);
	sc_cpu_read(&sc, 1, BUF, 8);                        /* CPU 1 touched line 0 */
	sc_evict(&sc, 1, BUF, 64);                          /* ...and dropped it */
	sc_cpu_read(&sc, 0, BUF + 128, 8);                  /* line 2 stays in CPU 0 */
	sc_map(&sc, DEV, BUF, BUS, 192, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 192, dev_data);
	assert_int_equal(sc_line(&sc, 1, BUF, &lv, NULL), 1);
	assert_int_equal(lv.speculative, 1);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_INVALID);
	assert_int_equal(sc_line(&sc, 0, BUF + 64, &lv, NULL), 1);     /* untouched: CPU 0 */
	assert_int_equal(lv.speculative, 1);
	assert_int_equal(pl_state(&sc, 1, BUF + 64), COH_LINE_INVALID);
	assert_int_equal(sc_line(&sc, 0, BUF + 128, &lv, NULL), 1);    /* held: left alone */
	assert_int_equal(lv.speculative, 0);
	assert_int_equal(pl_state(&sc, 1, BUF + 128), COH_LINE_INVALID);
	sc_unmap(&sc, DEV, BUS, 192, COH_DIR_FROM_DEVICE);              /* removes them */
	assert_int_equal(pl_state(&sc, 1, BUF), COH_LINE_INVALID);
	assert_int_equal(pl_state(&sc, 0, BUF + 64), COH_LINE_INVALID);
	sc_fini(&sc);
}

/* ---- line sizes ---------------------------------------------------------------- */

static void line_size_16(void **state)
{
	struct coh_line_view lv;
	struct scen sc;
	uint64_t w0, w1;

	(void)state;
	sc_setup(&sc, "arm-noncoherent", 1);
	sc.p.line = 16;
	sc_start(&sc, 0);
	w0 = sc_cpu_write(&sc, 0, BUF, 1, NULL);
	w1 = sc_cpu_write(&sc, 0, BUF + 20, 1, NULL);
	assert_int_equal(sc_line(&sc, 0, BUF + 31, &lv, NULL), 1);
	assert_int_equal(lv.addr, BUF + 16);
	assert_int_equal(pl_state(&sc, 0, BUF + 32), COH_LINE_INVALID);
	sc_map(&sc, DEV, BUF + 16, BUS, 16, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_mem_ver(&sc, BUF + 20), w1 + 1);           /* cleaned */
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_DIRTY);       /* outside */
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);
	/* the line at BUF shares the 128-byte granule, not a line: information */
	sc_cpu_write(&sc, 0, BUF + 8, 1, NULL);
	assert_int_equal(sc_count(&sc, COH_DC007, 0), 0);
	assert_int_equal(sc_count(&sc, COH_ALIGN, 0), 1);
	sc_unmap(&sc, DEV, BUS, 16, COH_DIR_FROM_DEVICE);
	assert_int_equal(pl_state(&sc, 0, BUF + 16), COH_LINE_INVALID);
	assert_int_equal(pl_state(&sc, 0, BUF), COH_LINE_DIRTY);
	(void)w0;
	sc_fini(&sc);
}

static void line_size_256(void **state)
{
	struct coh_line_view lv;
	const struct coh_finding *f;
	struct scen sc;
	uint64_t w, w2;

	(void)state;
	sc_setup(&sc, "arm-noncoherent", 1);
	sc.p.line = 256;
	sc_start(&sc, 0);
	w = sc_cpu_write(&sc, 0, BUF, 1, NULL);
	assert_int_equal(sc_line(&sc, 0, BUF + 255, &lv, NULL), 1);
	assert_int_equal(lv.addr, BUF);
	/* the map cleans the whole line that meets its range */
	sc_map(&sc, DEV, BUF + 128, BUS, 64, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	/* and a write 128 bytes away shares that line: DC007 over the 256 bytes */
	w2 = sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
	f = sc_find(&sc, COH_DC007, 0);
	sc_check(f, COH_DC007, COH_R_SHARED_LINE, w2, DEV, BUF, 256);
	sc_fini(&sc);
}

/* ---- addresses near 2^64 -------------------------------------------------------- */

/* A CPU write of the last bytes, with data or not, short or a whole line,
 * reaches the cache and, evicted, memory. */
static void top_cpu_access(void **state)
{
	static const uint64_t at[3] = {
		0xfffffffffffffff8ull, 0xfffffffffffffff8ull, 0xffffffffffffffc0ull,
	};
	static const uint64_t len[3] = { 8, 8, 64 };
	uint8_t b;
	uint32_t v;
	struct scen sc;
	uint64_t w;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		sc_init(&sc, "arm-noncoherent", 1);
		w = sc_cpu_write(&sc, 0, at[i], len[i], i == 1 ? cpu_data : NULL);
		assert_int_equal(coh_sim_cpu_view(sc.s, 0, 0xffffffffffffffffull, 1, &b, &v), 0);
		assert_int_equal(v, w + 1);
		assert_int_equal(pl_state(&sc, 0, 0xffffffffffffffffull), COH_LINE_DIRTY);
		sc_evict(&sc, 0, at[i], len[i]);
		assert_int_equal(coh_sim_mem_read(sc.s, 0xffffffffffffffffull, 1, &b, &v), 0);
		assert_int_equal(v, w + 1);
		assert_int_equal(b, i == 1 ? 0xaa : coh_synth_byte((uint32_t)w + 1));
		sc_fini(&sc);
	}
}

/* A mapping ending at 0xffffffffffffffff: map, device write, partial sync,
 * unmap and the CPU's reads all work. */
static void top_mapping(void **state)
{
	static const char *const presets[] = {
		"arm-noncoherent", "x86-swiotlb", "arm-speculative",
	};
	uint8_t b;
	uint32_t v;
	struct scen sc;
	uint64_t d;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		sc_init(&sc, presets[i], 1);
		sc_cpu_read(&sc, 0, TOP, 256);
		sc_map(&sc, DEV, TOP, TOP, 256, COH_DIR_FROM_DEVICE);
		d = sc_dev_write(&sc, DEV, TOP, 256, dev_data);
		sc_sync_cpu(&sc, DEV, TOP + 128, 128, COH_DIR_FROM_DEVICE);
		sc_cpu_read(&sc, 0, TOP + 128, 128);
		sc_unmap(&sc, DEV, TOP, 256, COH_DIR_FROM_DEVICE);
		sc_cpu_read(&sc, 0, TOP, 256);
		assert_int_equal(sc_errors(&sc), 0);
		assert_int_equal(coh_sim_cpu_view(sc.s, 0, 0xffffffffffffffffull, 1, &b, &v), 0);
		assert_int_equal(v, d + 1);
		assert_int_equal(b, 0x55);
		assert_int_equal(coh_sim_nmappings(sc.s), 0);
		sc_fini(&sc);
	}
}

/* The stale read of a line at the top is seen like any other. */
static void top_stale_read(void **state)
{
	struct scen sc;
	uint64_t d, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_read(&sc, 0, TOP, 256);
	sc_map(&sc, DEV, TOP, TOP, 256, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, TOP, 256, dev_data);
	sc_linux(&sc, COH_EV_DMA_UNMAP, DEV, COH_ADDR_NONE, TOP, 256, COH_DIR_FROM_DEVICE,
		 COH_F_SKIP_CPU_SYNC);
	r = sc_cpu_read(&sc, 0, TOP + 192, 64);
	assert_int_equal(sc_count(&sc, COH_DC001, 0), 1);
	sc_check(sc_find(&sc, COH_DC001, 0), COH_DC001, COH_R_STALE_CPU, r, DEV, TOP + 192, 64);
	assert_int_equal(sc_find(&sc, COH_DC001, 0)->exp_ver[0], d + 1);
	sc_fini(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slave_dma_buffering),
		cmocka_unit_test(slave_dma_prefetch),
		cmocka_unit_test(busmaster_posted),
		cmocka_unit_test(busmaster_partial_flush),
		cmocka_unit_test(doublebuffer_map_buffers),
		cmocka_unit_test(v3_map_transfer_ex),
		cmocka_unit_test(v3_flush_ex_invalidates),
		cmocka_unit_test(put_sg_flushes),
		cmocka_unit_test(common_buffer_caching),
		cmocka_unit_test(multi_cpu_coherence),
		cmocka_unit_test(speculative_fill_target),
		cmocka_unit_test(line_size_16),
		cmocka_unit_test(line_size_256),
		cmocka_unit_test(top_cpu_access),
		cmocka_unit_test(top_mapping),
		cmocka_unit_test(top_stale_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
