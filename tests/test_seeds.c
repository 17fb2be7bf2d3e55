/* SPDX-License-Identifier: MIT */
/*
 * test_seeds.c - the cases of the Windows documentation ("Flushing Cached Data during
 * DMA Operations" and the FlushAdapterBuffersEx reference), each
 * in its buggy and its correct form.
 */
#include "scen.h"

#define BUF   0x10000ull
#define DEV   0

static const uint8_t cpu_data[64] = { [0 ... 63] = 0xaa };
static const uint8_t dev_data[64] = { [0 ... 63] = 0x55 };

/* (1) A CacheEnabled common buffer read by DMA without KeFlushIoBuffers: a
 * later write-back overwrites the device's data. */
static void common_buffer_clobber(void **state)
{
	struct scen sc;
	const struct coh_finding *clob, *st;
	uint64_t w, d;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_common(&sc, DEV, BUF, 256, 1);
	w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);      /* a dirty line */
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);    /* lands under it */
	sc_evict(&sc, 0, BUF, 64);                        /* write-back */
	sc_cpu_read(&sc, 0, BUF, 64);

	assert_int_equal(sc_count(&sc, COH_DC003, 1), 1);
	clob = sc_find(&sc, COH_DC003, 0);
	assert_int_equal(clob->seq, d);
	assert_int_equal(clob->seen_ver[0], w + 1);
	assert_int_equal(clob->exp_ver[0], d + 1);
	assert_int_equal(clob->seen[0], 0xaa);
	assert_int_equal(clob->expected[0], 0x55);
	assert_int_equal(clob->omitted, COH_EV_KE_FLUSH);
	/* memory now holds the CPU's stale bytes again */
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	/* the stale read is a consequence of the clobber, not a root */
	assert_int_equal(sc_count(&sc, COH_DC001, 0), 1);
	assert_int_equal(sc_count(&sc, COH_DC001, 1), 0);
	st = sc_find(&sc, COH_DC001, 0);
	assert_int_equal(st->parent, sc_index(&sc, clob));
	assert_int_equal(st->seen[0], 0xaa);
	assert_int_equal(st->expected[0], 0x55);
	assert_int_equal(coh_sim_stale_reads(sc.s), 1);
	sc_fini(&sc);
}

static void common_buffer_flushed(void **state)
{
	struct scen sc;
	uint8_t got[64];
	uint32_t ver[64];
	uint64_t d;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_common(&sc, DEV, BUF, 256, 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_ke_flush(&sc, DEV, BUF, 256, 1);               /* ReadOperation=TRUE */
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_evict(&sc, 0, BUF, 64);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(coh_sim_cpu_view(sc.s, 0, BUF, 64, got, ver), 0);
	assert_int_equal(got[0], 0x55);
	assert_int_equal(ver[63], d + 1);
	sc_fini(&sc);
}

/* (2) Slave DMA reading a length that is not a multiple of the controller's
 * buffer: the tail stays inside until FlushAdapterBuffers; a multiple leaves
 * nothing behind. */
static uint64_t slave_read(struct scen *sc, uint64_t len, int flush)
{
	struct coh_seg mdl = { BUF, COH_ADDR_NONE, len };

	sc_win(sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, len, 0x1000, 7, 0);
	sc_dev_write(sc, DEV, BUF, len, NULL);
	if (flush)
		sc_flush(sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, len, 0x1000, 0, 0);
	return sc_irp_complete(sc, 7, COH_STATUS_SUCCESS);
}

static void slave_dma_tail(void **state)
{
	struct scen sc;
	struct coh_held_byte held[32];
	const struct coh_finding *f;
	int dir;

	(void)state;
	sc_init(&sc, "nt-slave-dma", 1);               /* B = 16, C = 8 */
	{
		struct coh_seg mdl = { BUF, COH_ADDR_NONE, 40 };

		sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 40, 0x1000, 7, 0);
		sc_dev_write(&sc, DEV, BUF, 40, NULL);
	}
	/* 32 bytes reached memory, the last 8 wait in the controller */
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, held, 32, &dir), 8);
	assert_int_equal(dir, COH_DIR_FROM_DEVICE);
	assert_int_equal(held[0].addr, BUF + 32);
	assert_int_not_equal(sc_mem_ver(&sc, BUF + 31), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), 0);
	sc_irp_complete(&sc, 7, COH_STATUS_SUCCESS);
	/* DC004 for the 8 stranded bytes: the one finding of the missing flush */
	assert_int_equal(sc_count(&sc, COH_DC004, 1), 1);
	f = sc_find(&sc, COH_DC004, 0);
	assert_int_equal(f->rule, COH_R_RESIDUAL_CTRL);
	assert_int_equal(f->addr, BUF + 32);
	assert_int_equal(f->len, 8);
	assert_int_equal(f->nbytes, 8);
	assert_int_equal(f->seen_ver[0], 0);
	assert_int_equal(f->exp_ver[0], held[0].ver);
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);
	assert_int_equal(sc_errors(&sc), 1);
	sc_fini(&sc);
}

static void slave_dma_flushed(void **state)
{
	struct scen sc;
	int dir;

	(void)state;
	sc_init(&sc, "nt-slave-dma", 1);
	slave_read(&sc, 40, 1);
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 0);
	assert_int_not_equal(sc_mem_ver(&sc, BUF + 39), 0);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);

	/* a multiple of B leaves nothing behind even without the flush's drain */
	sc_init(&sc, "nt-slave-dma", 1);
	{
		struct coh_seg mdl = { BUF, COH_ADDR_NONE, 48 };

		sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 48, 0x1000, 7, 0);
		sc_dev_write(&sc, DEV, BUF, 48, NULL);
	}
	assert_int_equal(coh_sim_ctrl_view(sc.s, DEV, NULL, 0, &dir), 0);
	assert_int_not_equal(sc_mem_ver(&sc, BUF + 47), 0);
	sc_fini(&sc);
}

/* (3) FlushAdapterBuffersEx over a 3-MDL chain does what three
 * FlushAdapterBuffers calls do, and honours its Offset. */
static const struct coh_seg chain3[3] = {
	{ 0x30000, COH_ADDR_NONE, 20 }, { 0x31000, COH_ADDR_NONE, 20 },
	{ 0x32000, COH_ADDR_NONE, 20 },
};

static void chain_transfer(struct scen *sc)
{
	sc_init(sc, "nt-doublebuffer", 1);             /* map buffers: bounce */
	sc_win(sc, COH_EV_MAP_TRANSFER_EX, DEV, chain3, 3, 0, 60, 0x2000, 9, 0);
	for (unsigned i = 0; i < 3; i++)
		sc_dev_write(sc, DEV, chain3[i].addr, 20, NULL);
}

static void flush_ex_chain(void **state)
{
	struct scen ex, three;

	(void)state;
	chain_transfer(&ex);
	chain_transfer(&three);
	/* nothing reached the buffers yet: it is in the map buffers */
	assert_int_equal(sc_mem_ver(&ex, chain3[1].addr), 0);
	sc_flush(&ex, COH_EV_FLUSH_ADAPTER_EX, DEV, chain3, 3, 0, 60, 0x2000, 0, 0);
	assert_int_equal(coh_sim_last_result(ex.s), COH_STATUS_SUCCESS);
	for (unsigned i = 0; i < 3; i++)
		sc_flush(&three, COH_EV_FLUSH_ADAPTER, DEV, &chain3[i], 1, 0, 20, 0x2000, 0, 0);
	for (unsigned i = 0; i < 3; i++) {
		for (unsigned k = 0; k < 20; k++) {
			uint32_t v = sc_mem_ver(&ex, chain3[i].addr + k);

			assert_int_not_equal(v, 0);
			assert_int_equal(v, sc_mem_ver(&three, chain3[i].addr + k));
		}
	}
	assert_int_equal(sc_errors(&ex), 0);
	assert_int_equal(sc_errors(&three), 0);
	sc_fini(&ex);
	sc_fini(&three);
}

static void flush_ex_offset(void **state)
{
	struct scen sc;

	(void)state;
	chain_transfer(&sc);
	/* Offset 20, Length 20: the second MDL only */
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, chain3, 3, 20, 20, 0x2000, 0, 0);
	assert_int_equal(sc_mem_ver(&sc, chain3[0].addr), 0);
	assert_int_not_equal(sc_mem_ver(&sc, chain3[1].addr + 19), 0);
	assert_int_equal(sc_mem_ver(&sc, chain3[2].addr), 0);
	/* outside the chain: STATUS_INVALID_PARAMETER, DC011, nothing flushed */
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, chain3, 3, 50, 20, 0x2000, 0, 0);
	assert_int_equal(coh_sim_last_result(sc.s), COH_STATUS_INVALID_PARAMETER);
	assert_int_equal(sc_find(&sc, COH_DC011, 0)->rule, COH_R_EX_RANGE);
	assert_int_equal(sc_mem_ver(&sc, chain3[2].addr + 19), 0);
	sc_fini(&sc);
}

/* (4) FlushAdapterBuffersEx before the transfer finished: DC005, the flush
 * succeeds and the device's later writes are lost. */
static void premature_flush(void **state)
{
	struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	uint64_t fl;

	(void)state;
	sc_setup(&sc, "nt-v3", 1);
	sc.p.devs[DEV].signals_done = 1;
	sc_start(&sc, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl, 1, 0, 64, 0x3000, 11, 0);
	sc_dev_write(&sc, DEV, BUF, 32, NULL);
	fl = sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl, 1, 0, 64, 0x3000, 0, 0);
	assert_int_equal(coh_sim_last_result(sc.s), COH_STATUS_SUCCESS);
	sc_dev_write(&sc, DEV, BUF + 32, 32, NULL);       /* lost */
	sc_dev_done(&sc, DEV, 0x3000);
	assert_int_equal(sc_count(&sc, COH_DC005, 1), 1);
	assert_int_equal(sc_find(&sc, COH_DC005, 0)->seq, fl);
	assert_int_not_equal(sc_mem_ver(&sc, BUF + 31), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), 0);
	sc_fini(&sc);

	/* the correct order: done, then flush */
	sc_setup(&sc, "nt-v3", 1);
	sc.p.devs[DEV].signals_done = 1;
	sc_start(&sc, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl, 1, 0, 64, 0x3000, 11, 0);
	sc_dev_write(&sc, DEV, BUF, 64, NULL);
	sc_dev_done(&sc, DEV, 0x3000);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl, 1, 0, 64, 0x3000, 0, 0);
	sc_irp_complete(&sc, 11, COH_STATUS_SUCCESS);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* (5) FlushAdapterBuffers returns FALSE and the IRP completes with success. */
static void flush_status_ignored(void **state)
{
	struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	uint64_t done;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x4000, 13, 0);
	sc_dev_write(&sc, DEV, BUF, 64, NULL);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x4000, COH_F_STATUS, 0);
	assert_int_equal(coh_sim_last_result(sc.s), 0);
	done = sc_irp_complete(&sc, 13, COH_STATUS_SUCCESS);
	assert_int_equal(sc_count(&sc, COH_DC009, 1), 1);
	assert_int_equal(sc_find(&sc, COH_DC009, 0)->seq, done);
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);   /* a failed flush still counts */
	assert_int_equal(sc_errors(&sc), 1);
	sc_fini(&sc);

	/* status passed on: no finding; a retried flush that succeeds: none either */
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x4000, 13, 0);
	sc_dev_write(&sc, DEV, BUF, 64, NULL);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x4000, COH_F_STATUS, 0);
	sc_irp_complete(&sc, 13, COH_STATUS_UNSUCCESSFUL);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x4000, 14, 0);
	sc_dev_write(&sc, DEV, BUF, 64, NULL);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x4000, COH_F_STATUS, 0);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x4000, COH_F_STATUS, 1);
	sc_irp_complete(&sc, 14, COH_STATUS_SUCCESS);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* (6) KeFlushIoBuffers on a coherent platform changes nothing. */
static void ke_flush_coherent(void **state)
{
	struct scen sc;
	struct coh_line_view before, after;
	uint32_t vb[64], va[64];
	unsigned set, way;

	(void)state;
	sc_init(&sc, "x86", 1);
	sc_common(&sc, DEV, BUF, 256, 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	assert_int_equal(coh_sim_cache_lookup(sc.s, 0, BUF, &set, &way), 1);
	coh_sim_cache_line(sc.s, 0, set, way, &before, NULL, vb, NULL);
	sc_ke_flush(&sc, DEV, BUF, 256, 1);
	assert_int_equal(coh_sim_cache_lookup(sc.s, 0, BUF, &set, &way), 1);
	coh_sim_cache_line(sc.s, 0, set, way, &after, NULL, va, NULL);
	assert_int_equal(after.state, COH_LINE_DIRTY);
	assert_int_equal(before.state, after.state);
	assert_memory_equal(vb, va, sizeof(vb));
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);         /* nothing written back */
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_find(&sc, COH_DC013, 0)->rule, COH_R_REDUNDANT_COHERENT);
	sc_fini(&sc);
}

/* (7) The v2 recipe (KeFlushIoBuffers before, FlushAdapterBuffers after). */
static void v2_recipe(struct scen *sc, const char *preset, int speculative)
{
	struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };

	sc_setup(sc, preset, 1);
	sc->p.speculative = (uint8_t)speculative;
	sc_start(sc, 0);
	sc_ke_flush(sc, DEV, BUF, 64, 1);
	sc_win(sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x5000, 17, 0);
	sc_dev_write(sc, DEV, BUF, 64, dev_data);
	sc_flush(sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x5000, 0, 0);
	sc_irp_complete(sc, 17, COH_STATUS_SUCCESS);
	sc_free_map_regs(sc, DEV, 0x5000);
	sc_cpu_read(sc, 0, BUF, 64);
}

static void v2_recipe_speculation(void **state)
{
	struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	const struct coh_finding *f;

	(void)state;
	v2_recipe(&sc, "nt-busmaster", 0);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);

	v2_recipe(&sc, "nt-busmaster", 1);
	assert_int_equal(sc_count(&sc, COH_DC001, 1), 1);
	f = sc_find(&sc, COH_DC001, 0);
	assert_int_equal(f->seen_ver[0], 0);               /* the speculated old line */
	assert_int_equal(f->expected[0], 0x55);
	sc_fini(&sc);

	/* a v3 adapter needs no KeFlushIoBuffers on nt-v3 */
	sc_init(&sc, "nt-v3", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl, 1, 0, 64, 0x5000, 17, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl, 1, 0, 64, 0x5000, 0, 0);
	sc_irp_complete(&sc, 17, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x5000);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(common_buffer_clobber),
		cmocka_unit_test(common_buffer_flushed),
		cmocka_unit_test(slave_dma_tail),
		cmocka_unit_test(slave_dma_flushed),
		cmocka_unit_test(flush_ex_chain),
		cmocka_unit_test(flush_ex_offset),
		cmocka_unit_test(premature_flush),
		cmocka_unit_test(flush_status_ignored),
		cmocka_unit_test(ke_flush_coherent),
		cmocka_unit_test(v2_recipe_speculation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
