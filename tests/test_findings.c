/* SPDX-License-Identifier: MIT */
/*
 * test_findings.c - the data findings (DC001-DC005, DC007-DC009), each in a
 * scenario where it fires and in the corrected scenario where it does not.
 * Ownership and API-use findings (DC006, DC010-DC013) are in
 * test_findings_api.c.
 *
 * Every expected value follows from docs/model.md sections 1-3 and
 * docs/engine.md: a byte's version is the engine index of the event that
 * wrote it plus one, and its value is that write's data.
 */
#include "scen.h"


#define MIN_U64(a, b) ((a) < (b) ? (a) : (b))
#define MAX_U64(a, b) ((a) > (b) ? (a) : (b))

#define BUF   0x100000ull           /* physical, aligned to the 128-byte granule */
#define BUS   0x80000000ull         /* device-side address of BUF */
#define DEV   0

static const uint8_t cpu_data[256] = { [0 ... 255] = 0xaa };
static const uint8_t dev_data[256] = { [0 ... 255] = 0x55 };

#define sc_map_f(sc, phys, bus, len, dir, fl) \
	sc_linux(sc, COH_EV_DMA_MAP, DEV, phys, bus, len, dir, fl)
#define sc_unmap_f(sc, bus, len, dir, fl) \
	sc_linux(sc, COH_EV_DMA_UNMAP, DEV, COH_ADDR_NONE, bus, len, dir, fl)

/* ---- DC001 stale-cpu-read ------------------------------------------------ */

/* The CPU holds the buffer's lines from before the transfer, and the driver
 * unmaps with DMA_ATTR_SKIP_CPU_SYNC without a sync_for_cpu: the hand-over
 * happens, the invalidate does not, the read returns the old lines. */
static void dc001_skip_cpu_sync(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t d, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_read(&sc, 0, BUF, 128);                    /* lines cached, version 0 */
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_unmap_f(&sc, BUS, 128, COH_DIR_FROM_DEVICE, COH_F_SKIP_CPU_SYNC);
	r = sc_cpu_read(&sc, 0, BUF, 128);

	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC001, 0);
	sc_check(f, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 128);    /* the unmapped buffer's device */
	assert_int_equal(f->cpu, 0);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->flags & COH_FF_INFO, 0);
	sc_check_ev(f, 16, BUF, 0, 0, d + 1, 0x55);
	assert_int_equal(coh_sim_stale_reads(sc.s), 1);
	/* the call that would have prevented it */
	assert_int_equal(f->omitted, COH_EV_DMA_SYNC_CPU);
	/* memory has the device's bytes: only the cache is stale */
	assert_int_equal(sc_mem_ver(&sc, BUF + 127), d + 1);
	sc_fini(&sc);
}

static void dc001_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_unmap_f(&sc, BUS, 128, COH_DIR_FROM_DEVICE, COH_F_SKIP_CPU_SYNC);
	sc_cpu_read(&sc, 0, BUF, 128);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(coh_sim_stale_reads(sc.s), 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);
	sc_fini(&sc);
}

/* ---- DC002 stale-device-read --------------------------------------------- */

/* Written by the CPU, mapped with SKIP_CPU_SYNC and never synced: the dirty
 * lines never reach memory, the device reads the old bytes. */
static void dc002_skip_cpu_sync(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t w, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	w = sc_cpu_write(&sc, 0, BUF, 128, cpu_data);
	sc_map_f(&sc, BUF, BUS, 128, COH_DIR_TO_DEVICE, COH_F_SKIP_CPU_SYNC);
	r = sc_dev_read(&sc, DEV, BUS, 128);

	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC002, 0);
	sc_check(f, COH_DC002, COH_R_STALE_DEV, r, DEV, BUF, 128);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->omitted, COH_EV_DMA_SYNC_DEV);
	sc_check_ev(f, 16, BUF, 0, 0, w + 1, 0xaa);
	assert_int_equal(coh_sim_stale_reads(sc.s), 1);
	sc_fini(&sc);
}

static void dc002_corrected(void **state)
{
	struct scen sc;
	uint64_t w;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	w = sc_cpu_write(&sc, 0, BUF, 128, cpu_data);
	sc_map_f(&sc, BUF, BUS, 128, COH_DIR_TO_DEVICE, COH_F_SKIP_CPU_SYNC);
	sc_sync_dev(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUS, 128);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	sc_fini(&sc);
}

/* ---- DC003 writeback-clobber --------------------------------------------- */

/* A dirty line over a FROM_DEVICE buffer mapped without the clean: the
 * device's write lands under it, the eviction writes the CPU's old bytes back
 * over it, and the read after the unmap returns them (a consequence). */
static void dc003_dirty_line(void **state)
{
	struct scen sc;
	const struct coh_finding *clob, *st;
	uint64_t w, d, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_map_f(&sc, BUF, BUS, 64, COH_DIR_FROM_DEVICE, COH_F_SKIP_CPU_SYNC);
	d = sc_dev_write(&sc, DEV, BUS, 64, dev_data);

	assert_int_equal(sc_errors(&sc), 1);
	clob = sc_find(&sc, COH_DC003, 0);
	sc_check(clob, COH_DC003, COH_R_CLOBBER, d, DEV, BUF, 64);
	assert_int_equal(clob->cpu, 0);
	assert_int_equal(clob->parent, -1);
	assert_int_equal(clob->omitted, COH_EV_DMA_SYNC_DEV);
	sc_check_ev(clob, 16, BUF, w + 1, 0xaa, d + 1, 0x55);
	assert_int_equal(sc_mem_ver(&sc, BUF), d + 1);     /* for now */

	sc_evict(&sc, 0, BUF, 64);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);     /* clobbered */
	sc_unmap(&sc, DEV, BUS, 64, COH_DIR_FROM_DEVICE);
	r = sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_count(&sc, COH_DC001, 0), 1);
	assert_int_equal(sc_count(&sc, COH_DC001, 1), 0);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 64);
	assert_int_equal(st->parent, sc_index(&sc, clob));
	sc_check_ev(st, 16, BUF, w + 1, 0xaa, d + 1, 0x55);
	sc_fini(&sc);
}

static void dc003_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_map(&sc, DEV, BUF, BUS, 64, COH_DIR_FROM_DEVICE);       /* cleans */
	d = sc_dev_write(&sc, DEV, BUS, 64, dev_data);
	sc_evict(&sc, 0, BUF, 64);
	sc_unmap(&sc, DEV, BUS, 64, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), d + 1);
	sc_fini(&sc);
}

/* Two dirty lines under one device write: the clobber covers both. */
static void dc003_two_lines(void **state)
{
	struct scen sc;
	uint64_t lo = UINT64_MAX, hi = 0;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_write(&sc, 0, BUF, 128, cpu_data);
	sc_map_f(&sc, BUF, BUS, 128, COH_DIR_FROM_DEVICE, COH_F_SKIP_CPU_SYNC);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	assert_true(sc_count(&sc, COH_DC003, 1) >= 1);
	for (size_t k = 0; k < sc_count(&sc, COH_DC003, 1); k++) {
		const struct coh_finding *f = sc_find(&sc, COH_DC003, k);

		lo = MIN_U64(lo, f->addr);
		hi = MAX_U64(hi, f->addr + f->len);
	}
	assert_int_equal(lo, BUF);
	assert_int_equal(hi, BUF + 128);
	sc_fini(&sc);
}

/* ---- DC004 residual-in-adapter ------------------------------------------- */

static const struct coh_seg mdl64 = { BUF, COH_ADDR_NONE, 64 };

/* A bus master's posted writes (P = 32): 64 bytes written, the oldest 32
 * reach memory, the last 32 wait; the IRP completes without the flush. */
static void dc004_posted(void **state)
{
	struct scen sc;
	struct coh_held_byte held[64];
	const struct coh_finding *f, *g;
	uint64_t mt, d, done, r;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x1000, 7, 0);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, held, 64), 32);
	assert_int_equal(held[0].addr, BUF + 32);
	assert_int_equal(held[0].ver, d + 1);
	assert_int_equal(held[0].value, 0x55);
	assert_int_equal(sc_mem_ver(&sc, BUF + 31), d + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), 0);
	done = sc_irp_complete(&sc, 7, COH_STATUS_SUCCESS);

	/* the missing flush is one finding: DC004, no DC008 beside or inside it */
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC004, 0);
	sc_check(f, COH_DC004, COH_R_RESIDUAL_POSTED, done, DEV, BUF + 32, 32);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER);
	assert_int_equal(f->other_seq, mt);
	sc_check_ev(f, 16, BUF + 32, 0, 0, d + 1, 0x55);
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);
	/* the read after it returns the stranded bytes: a stale read inside it */
	r = sc_cpu_read(&sc, 0, BUF, 64);
	g = sc_find(&sc, COH_DC001, 0);
	sc_check(g, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF + 32, 32);
	assert_int_equal(g->parent, sc_index(&sc, f));
	assert_int_equal(g->omitted, COH_EV_FLUSH_ADAPTER);
	sc_check_ev(g, 16, BUF + 32, 0, 0, d + 1, 0x55);
	sc_fini(&sc);
}

static void dc004_posted_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x1000, 7, 0);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl64, 1, 0, 64, 0x1000, 0, 0);
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 0);
	sc_irp_complete(&sc, 7, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x1000);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 63), d + 1);
	sc_fini(&sc);
}

/* The buffer read while posted writes are stranded: DC004 at the read, the
 * stale bytes as its consequence.  The completion with no flush is the same
 * missing flush: no second finding (no DC008). */
static void dc004_at_read(void **state)
{
	struct scen sc;
	const struct coh_finding *f, *st;
	uint64_t d, r;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x1000, 7, 0);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	r = sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_count(&sc, COH_DC004, 0), 1);
	f = sc_find(&sc, COH_DC004, 0);
	sc_check(f, COH_DC004, COH_R_RESIDUAL_POSTED, r, DEV, BUF + 32, 32);
	assert_int_equal(f->parent, -1);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF + 32, 32); /* the transfer's device */
	assert_int_equal(st->parent, sc_index(&sc, f));
	sc_check_ev(st, 16, BUF + 32, 0, 0, d + 1, 0x55);

	sc_irp_complete(&sc, 7, COH_STATUS_SUCCESS);
	assert_int_equal(sc_count(&sc, COH_DC004, 0), 1);   /* one per stranded range */
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);
	assert_int_equal(sc_errors(&sc), 2);                /* DC004 and its DC001 */
	sc_fini(&sc);
}

/* Double-buffered map registers: the device's bytes wait in the map buffer
 * until the flush copies them; freeing the registers first strands them. */
static void dc004_bounce(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mt, d, fr;

	(void)state;
	sc_init(&sc, "nt-doublebuffer", 1);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x2000, 9, 0);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), 0);
	fr = sc_free_map_regs(&sc, DEV, 0x2000);

	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC004, 0);
	sc_check(f, COH_DC004, COH_R_RESIDUAL_BOUNCE, fr, DEV, BUF, 64);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER);
	assert_int_equal(f->other_seq, mt);
	sc_check_ev(f, 16, BUF, 0, 0, d + 1, 0x55);
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);
	assert_int_equal(coh_sim_nmappings(sc.s), 0);
	sc_fini(&sc);
}

static void dc004_bounce_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	sc_init(&sc, "nt-doublebuffer", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x2000, 9, 0);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl64, 1, 0, 64, 0x2000, 0, 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 63), d + 1);
	sc_free_map_regs(&sc, DEV, 0x2000);
	sc_irp_complete(&sc, 9, COH_STATUS_SUCCESS);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* ---- DC005 premature-adapter-flush --------------------------------------- */

static void dc005_setup(struct scen *sc)
{
	sc_setup(sc, "nt-v3", 1);
	sc->p.devs[DEV].signals_done = 1;
	sc_start(sc, 0);
}

static void dc005_premature(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mt, d, fl;

	(void)state;
	dc005_setup(&sc);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl64, 1, 0, 64, 0x3000, 11, 0);
	d = sc_dev_write(&sc, DEV, BUF, 32, dev_data);
	fl = sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl64, 1, 0, 64, 0x3000, 0, 0);
	assert_int_equal(coh_sim_last_result(sc.s), COH_STATUS_SUCCESS);
	sc_dev_write(&sc, DEV, BUF + 32, 32, dev_data);    /* cut short: lost */
	sc_dev_done(&sc, DEV, 0x3000);
	sc_irp_complete(&sc, 11, COH_STATUS_SUCCESS);

	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC005, 0);
	sc_check(f, COH_DC005, COH_R_PREMATURE_FLUSH, fl, DEV, BUF, 64);
	assert_int_equal(f->omitted, COH_EV_DEV_DONE);
	assert_int_equal(f->other_seq, mt);
	assert_int_equal(sc_mem_ver(&sc, BUF + 31), d + 1);
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), 0);
	sc_fini(&sc);
}

static void dc005_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	dc005_setup(&sc);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl64, 1, 0, 64, 0x3000, 11, 0);
	sc_dev_write(&sc, DEV, BUF, 32, dev_data);
	d = sc_dev_write(&sc, DEV, BUF + 32, 32, dev_data);
	sc_dev_done(&sc, DEV, 0x3000);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl64, 1, 0, 64, 0x3000, 0, 0);
	sc_irp_complete(&sc, 11, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x3000);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF + 63), d + 1);
	sc_fini(&sc);
}

/* Without dev_done events from the device, a flush is never premature. */
static void dc005_no_done_events(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "nt-v3", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl64, 1, 0, 64, 0x3000, 11, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl64, 1, 0, 64, 0x3000, 0, 0);
	sc_irp_complete(&sc, 11, COH_STATUS_SUCCESS);
	assert_int_equal(sc_count(&sc, COH_DC005, 0), 0);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* ---- DC007 shared-cache-line --------------------------------------------- */

/* A FROM_DEVICE buffer at BUF+32..BUF+95 shares the line at BUF with data the
 * CPU writes while the device owns the buffer.  The dirty line lands under the
 * device's write (DC003) and the unmap's clean-then-invalidate of that partial
 * line writes it back over the device's bytes (DC001): both hang under DC007. */
static void dc007_shared_line(void **state)
{
	struct scen sc;
	const struct coh_finding *sh, *clob, *st;
	uint64_t mp, w, d, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	mp = sc_map(&sc, DEV, BUF + 32, BUS, 64, COH_DIR_FROM_DEVICE);
	w = sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
	sh = sc_find(&sc, COH_DC007, 0);
	sc_check(sh, COH_DC007, COH_R_SHARED_LINE, w, DEV, BUF, 64);
	assert_int_equal(sh->cpu, 0);
	assert_int_equal(sh->other_seq, mp);
	assert_int_equal(sh->parent, -1);

	d = sc_dev_write(&sc, DEV, BUS, 64, dev_data);
	clob = sc_find(&sc, COH_DC003, 0);
	sc_check(clob, COH_DC003, COH_R_CLOBBER, d, DEV, BUF + 32, 32);
	assert_int_equal(clob->parent, sc_index(&sc, sh));
	/* the dirty line's bytes over the buffer are the old ones (version 0) */
	sc_check_ev(clob, 16, BUF + 32, 0, 0, d + 1, 0x55);

	sc_unmap(&sc, DEV, BUS, 64, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);          /* cleaned first */
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), 0);         /* clobbered */
	assert_int_equal(sc_mem_ver(&sc, BUF + 64), d + 1);
	r = sc_cpu_read(&sc, 0, BUF + 32, 64);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF + 32, 32);
	assert_int_equal(st->parent, sc_index(&sc, sh));
	sc_check_ev(st, 16, BUF + 32, 0, 0, d + 1, 0x55);
	assert_int_equal(sc_count(&sc, COH_DC007, 0), 1);
	assert_int_equal(sc_errors(&sc), 3);
	sc_fini(&sc);
}

static void dc007_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF + 128, BUS, 128, COH_DIR_FROM_DEVICE);   /* its own granule */
	sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
	sc_cpu_write(&sc, 0, BUF + 256, 8, cpu_data);
	d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF + 128, 128);
	assert_int_equal(coh_sim_nfindings(sc.s), 0);            /* not even info */
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 128), d + 1);
	sc_fini(&sc);
}

/* Sharing only the 128-byte arm64 DMA granule, not a cache line: information. */
static void dc007_granule_only(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t w;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF + 64, BUS, 64, COH_DIR_FROM_DEVICE);
	w = sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
	sc_dev_write(&sc, DEV, BUS, 64, dev_data);
	sc_unmap(&sc, DEV, BUS, 64, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF + 64, 64);
	assert_int_equal(sc_errors(&sc), 0);
	f = sc_find(&sc, COH_ALIGN, 0);
	sc_check(f, COH_ALIGN, COH_R_ALIGN, w, DEV, BUF, 128);
	assert_true(f->flags & COH_FF_INFO);
	sc_fini(&sc);
}

/* With bounce buffers (or snooping) the shared line corrupts nothing. */
static void dc007_not_with_bounce(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "x86-swiotlb", 1);
	sc_map(&sc, DEV, BUF + 32, BUS, 64, COH_DIR_FROM_DEVICE);
	sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
	sc_dev_write(&sc, DEV, BUS, 64, dev_data);
	sc_unmap(&sc, DEV, BUS, 64, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 96);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* ---- DC008 complete-before-flush ----------------------------------------- */

/* A memory->device transfer (nothing buffered) completed without a flush;
 * the flush that comes later does not undo it, and it is reported once. */
static void dc008_no_flush(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mt, done;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_ke_flush(&sc, DEV, BUF, 64, 0);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x4000, 21,
		    COH_F_WRITE_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUF, 64);
	done = sc_irp_complete(&sc, 21, COH_STATUS_SUCCESS);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl64, 1, 0, 64, 0x4000,
		 COH_F_WRITE_TO_DEVICE, 0);
	sc_free_map_regs(&sc, DEV, 0x4000);

	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC008, 0);
	sc_check(f, COH_DC008, COH_R_COMPLETE_NO_FLUSH, done, DEV, BUF, 64);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER);
	assert_int_equal(f->other_seq, mt);
	sc_fini(&sc);
}

/* FreeMapRegisters first is just as early. */
static void dc008_free_first(void **state)
{
	struct scen sc;
	uint64_t fr;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_ke_flush(&sc, DEV, BUF, 64, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x4000, 21, COH_F_WRITE_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUF, 64);
	fr = sc_free_map_regs(&sc, DEV, 0x4000);
	sc_irp_complete(&sc, 21, COH_STATUS_SUCCESS);
	assert_int_equal(sc_errors(&sc), 1);
	sc_check(sc_find(&sc, COH_DC008, 0), COH_DC008, COH_R_COMPLETE_NO_FLUSH, fr, DEV, BUF, 64);
	sc_fini(&sc);
}

static void dc008_corrected(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_ke_flush(&sc, DEV, BUF, 64, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x4000, 21, COH_F_WRITE_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUF, 64);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl64, 1, 0, 64, 0x4000,
		 COH_F_WRITE_TO_DEVICE, 0);
	sc_free_map_regs(&sc, DEV, 0x4000);
	sc_irp_complete(&sc, 21, COH_STATUS_SUCCESS);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* FreeAdapterChannel ends every transfer of the device: DC004 for the
 * stranded posted writes, the one finding of the missing flush. */
static void dc008_free_adapter(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t fa;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x4000, 21, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	fa = sc_simple(&sc, COH_EV_FREE_ADAPTER, DEV, COH_ADDR_NONE, 0, 0);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC004, 0);
	sc_check(f, COH_DC004, COH_R_RESIDUAL_POSTED, fa, DEV, BUF + 32, 32);
	assert_int_equal(f->parent, -1);
	assert_int_equal(coh_sim_nmappings(sc.s), 0);
	sc_fini(&sc);
}

/* An IRP completed with an error claims no data: no DC004, but the missing
 * flush is still DC008. */
static void dc008_failed_irp(void **state)
{
	struct scen sc;
	uint64_t done;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x4000, 21, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	done = sc_irp_complete(&sc, 21, COH_STATUS_UNSUCCESSFUL);
	assert_int_equal(sc_errors(&sc), 1);
	assert_int_equal(sc_count(&sc, COH_DC004, 0), 0);
	sc_check(sc_find(&sc, COH_DC008, 0), COH_DC008, COH_R_COMPLETE_NO_FLUSH, done, DEV, BUF,
		 64);
	sc_fini(&sc);
}

/* ---- DC009 flush-status-ignored ------------------------------------------- */

static void dc009_status_ignored(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mt, done;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x4000, 13, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl64, 1, 0, 64, 0x4000, COH_F_STATUS, 0);
	assert_int_equal(coh_sim_last_result(sc.s), 0);
	/* a failed flush moves nothing */
	assert_int_equal(coh_sim_posted_view(sc.s, DEV, NULL, 0), 32);
	done = sc_irp_complete(&sc, 13, COH_STATUS_SUCCESS);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC009, 0);
	sc_check(f, COH_DC009, COH_R_STATUS_IGNORED, done, DEV, BUF, 64);
	assert_int_equal(f->other_seq, mt);
	assert_int_equal(f->parent, -1);
	sc_fini(&sc);
}

static void dc009_corrected(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, 0x4000, 13, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl64, 1, 0, 64, 0x4000, COH_F_STATUS, 0);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl64, 1, 0, 64, 0x4000, COH_F_STATUS, 1);
	assert_int_equal(coh_sim_last_result(sc.s), 1);
	sc_irp_complete(&sc, 13, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x4000);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* An NTSTATUS failure of FlushAdapterBuffersEx counts the same. */
static void dc009_ex_status(void **state)
{
	struct scen sc;
	uint64_t done;

	(void)state;
	sc_init(&sc, "nt-v3", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl64, 1, 0, 64, 0x4000, 13, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl64, 1, 0, 64, 0x4000, COH_F_STATUS,
		 COH_STATUS_UNSUCCESSFUL);
	assert_int_equal(coh_sim_last_result(sc.s), COH_STATUS_UNSUCCESSFUL);
	done = sc_irp_complete(&sc, 13, COH_STATUS_SUCCESS);
	assert_int_equal(sc_count(&sc, COH_DC009, 0), 1);
	assert_int_equal(sc_find(&sc, COH_DC009, 0)->seq, done);
	sc_fini(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dc001_skip_cpu_sync),
		cmocka_unit_test(dc001_corrected),
		cmocka_unit_test(dc002_skip_cpu_sync),
		cmocka_unit_test(dc002_corrected),
		cmocka_unit_test(dc003_dirty_line),
		cmocka_unit_test(dc003_corrected),
		cmocka_unit_test(dc003_two_lines),
		cmocka_unit_test(dc004_posted),
		cmocka_unit_test(dc004_posted_corrected),
		cmocka_unit_test(dc004_at_read),
		cmocka_unit_test(dc004_bounce),
		cmocka_unit_test(dc004_bounce_corrected),
		cmocka_unit_test(dc005_premature),
		cmocka_unit_test(dc005_corrected),
		cmocka_unit_test(dc005_no_done_events),
		cmocka_unit_test(dc007_shared_line),
		cmocka_unit_test(dc007_corrected),
		cmocka_unit_test(dc007_granule_only),
		cmocka_unit_test(dc007_not_with_bounce),
		cmocka_unit_test(dc008_no_flush),
		cmocka_unit_test(dc008_free_first),
		cmocka_unit_test(dc008_corrected),
		cmocka_unit_test(dc008_free_adapter),
		cmocka_unit_test(dc008_failed_irp),
		cmocka_unit_test(dc009_status_ignored),
		cmocka_unit_test(dc009_corrected),
		cmocka_unit_test(dc009_ex_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
