/* SPDX-License-Identifier: MIT */
/*
 * test_findings_api.c - the ownership and API-use findings: DC006 in each of
 * its variants (with and without --strict), DC010, DC011, DC012 and DC013,
 * each where it fires and in the corrected scenario.  The data findings are
 * in test_findings.c.
 */
#include "scen.h"


#define BUF   0x100000ull           /* physical, granule-aligned */
#define BUS   0x80000000ull         /* its device-side address */
#define DEV   0

static const uint8_t cpu_data[256] = { [0 ... 255] = 0xaa };
static const uint8_t dev_data[256] = { [0 ... 255] = 0x55 };

#define sc_map_f(sc, phys, bus, len, dir, fl) \
	sc_linux(sc, COH_EV_DMA_MAP, DEV, phys, bus, len, dir, fl)

static void sc_start_strict(struct scen *sc, const char *preset, int strict)
{
	sc_setup(sc, preset, 1);
	sc_start(sc, strict ? COH_SIM_STRICT : 0);
}

/* ---- DC006: CPU read of device-owned bytes ------------------------------- */

static void dc006_read_dev_owned(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, d, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	r = sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC006, 0);
	sc_check(f, COH_DC006, COH_R_CPU_READ_DEV_OWNED, r, DEV, BUF, 64);
	assert_int_equal(f->cpu, 0);
	assert_int_equal(f->bus, BUS);
	assert_int_equal(f->omitted, COH_EV_DMA_SYNC_CPU);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->flags & COH_FF_STRICT, 0);
	/* nothing was cached: the read happened to see the device's bytes */
	sc_check_ev(f, 16, BUF, d + 1, 0x55, d + 1, 0x55);
	assert_int_equal(coh_sim_stale_reads(sc.s), 0);
	(void)mp;
	sc_fini(&sc);
}

/* On a speculating CPU the line is filled before the device's write, so the
 * early read is also stale: DC001 hangs under the DC006. */
static void dc006_read_with_stale(void **state)
{
	struct scen sc;
	const struct coh_finding *f, *st;
	uint64_t d, r;

	(void)state;
	sc_init(&sc, "arm-speculative", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	r = sc_cpu_read(&sc, 0, BUF, 128);
	assert_int_equal(sc_errors(&sc), 2);
	f = sc_find(&sc, COH_DC006, 0);
	sc_check(f, COH_DC006, COH_R_CPU_READ_DEV_OWNED, r, DEV, BUF, 128);
	assert_int_equal(f->parent, -1);
	sc_check_ev(f, 16, BUF, 0, 0, d + 1, 0x55);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 128);
	assert_int_equal(st->parent, sc_index(&sc, f));
	sc_check_ev(st, 16, BUF, 0, 0, d + 1, 0x55);
	assert_int_equal(coh_sim_stale_reads(sc.s), 1);
	sc_fini(&sc);
}

static void dc006_read_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	sc_init(&sc, "arm-speculative", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);
	sc_fini(&sc);
}

/* Reading a TO_DEVICE buffer the device owns is legal. */
static void dc006_read_to_device_legal(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_write(&sc, 0, BUF, 128, cpu_data);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_dev_read(&sc, DEV, BUS, 128);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* ---- DC006: CPU write while device-owned, never synced for the device ----- */

static void dc006_write_no_sync(void **state)
{
	struct scen sc;
	const struct coh_finding *f, *st;
	uint64_t w, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	w = sc_cpu_write(&sc, 0, BUF, 16, cpu_data);
	assert_int_equal(coh_sim_nfindings(sc.s), 0);       /* not yet */
	r = sc_dev_read(&sc, DEV, BUS, 128);
	f = sc_find(&sc, COH_DC006, 0);
	sc_check(f, COH_DC006, COH_R_CPU_WRITE_NO_SYNC, r, DEV, BUF, 16);
	assert_int_equal(f->other_seq, w);                  /* names the write */
	assert_int_equal(f->bus, BUS);
	assert_int_equal(f->omitted, COH_EV_DMA_SYNC_DEV);
	assert_int_equal(f->parent, -1);
	sc_check_ev(f, 16, BUF, 0, 0, w + 1, 0xaa);
	st = sc_find(&sc, COH_DC002, 0);
	sc_check(st, COH_DC002, COH_R_STALE_DEV, r, DEV, BUF, 16);
	assert_int_equal(st->parent, sc_index(&sc, f));
	sc_check_ev(st, 16, BUF, 0, 0, w + 1, 0xaa);
	assert_int_equal(sc_errors(&sc), 2);
	/* reported once: the next access adds no DC006 */
	sc_dev_read(&sc, DEV, BUS, 128);
	assert_int_equal(sc_count(&sc, COH_DC006, 0), 1);
	sc_fini(&sc);
}

static void dc006_write_no_sync_at_unmap(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t w, u;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	w = sc_cpu_write(&sc, 0, BUF + 64, 8, cpu_data);
	u = sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC006, 0);
	sc_check(f, COH_DC006, COH_R_CPU_WRITE_NO_SYNC, u, DEV, BUF + 64, 8);
	assert_int_equal(f->other_seq, w);
	assert_int_equal(f->bus, BUS + 64);
	sc_fini(&sc);
}

static void dc006_write_corrected(void **state)
{
	struct scen sc;
	uint64_t w;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	w = sc_cpu_write(&sc, 0, BUF, 16, cpu_data);
	sc_sync_dev(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUS, 128);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_mem_ver(&sc, BUF), w + 1);
	sc_fini(&sc);
}

/* The same mistake on a Windows transfer: the CPU writes the buffer after
 * MapTransfer.  The call to name is the Windows one, not a Linux sync. */
static void dc006_windows_write_after_map(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mt, w, r;

	(void)state;
	/* Windows transfers are judged by call order: DC006 only with --strict
	 * (without it the write is DC002, tests/test_rules_windows.c) */
	sc_setup(&sc, "nt-busmaster", 1);
	sc_start(&sc, COH_SIM_STRICT);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 3,
		    COH_F_WRITE_TO_DEVICE);
	w = sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
	r = sc_dev_read(&sc, DEV, BUF, 64);
	sc_check(sc_find(&sc, COH_DC006, 0), COH_DC006, COH_R_CPU_WRITE_DEV_OWNED, w, DEV, BUF,
		 8);
	f = sc_find(&sc, COH_DC006, 1);
	sc_check(f, COH_DC006, COH_R_CPU_WRITE_NO_SYNC, r, DEV, BUF, 8);
	assert_int_equal(f->other_seq, w);
	(void)mt;
	assert_int_equal(f->omitted, COH_EV_KE_FLUSH);
	assert_true(f->flags & COH_FF_STRICT);
	sc_fini(&sc);
}

/* ---- DC006: device access to bytes the CPU wrote after regaining them ----- */

static void dc006_dev_cpu_written(void **state)
{
	struct scen sc;
	const struct coh_finding *f, *st;
	uint64_t d, w, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_BIDIRECTIONAL);
	d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_BIDIRECTIONAL);
	sc_cpu_read(&sc, 0, BUF, 128);
	w = sc_cpu_write(&sc, 0, BUF + 32, 8, cpu_data);
	r = sc_dev_read(&sc, DEV, BUS, 128);
	f = sc_find(&sc, COH_DC006, 0);
	sc_check(f, COH_DC006, COH_R_DEV_CPU_WRITTEN, r, DEV, BUF + 32, 8);
	assert_int_equal(f->bus, BUS + 32);
	assert_int_equal(f->omitted, COH_EV_DMA_SYNC_DEV);
	sc_check_ev(f, 8, BUF + 32, d + 1, 0x55, w + 1, 0xaa);
	st = sc_find(&sc, COH_DC002, 0);
	sc_check(st, COH_DC002, COH_R_STALE_DEV, r, DEV, BUF + 32, 8);
	assert_int_equal(st->parent, sc_index(&sc, f));
	assert_int_equal(sc_errors(&sc), 2);
	sc_fini(&sc);
}

static void dc006_dev_cpu_written_corrected(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_BIDIRECTIONAL);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_BIDIRECTIONAL);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_cpu_write(&sc, 0, BUF + 32, 8, cpu_data);
	sc_sync_dev(&sc, DEV, BUS, 128, COH_DIR_BIDIRECTIONAL);
	sc_dev_read(&sc, DEV, BUS, 128);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_BIDIRECTIONAL);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* ---- DC006 --strict ------------------------------------------------------- */

/* Any CPU write to device-owned bytes, even one synced afterwards. */
static void dc006_strict_cpu_write(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t w;

	(void)state;
	for (int strict = 0; strict < 2; strict++) {
		sc_start_strict(&sc, "arm-noncoherent", strict);
		sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
		w = sc_cpu_write(&sc, 0, BUF, 16, cpu_data);
		sc_sync_dev(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
		sc_dev_read(&sc, DEV, BUS, 128);
		sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
		assert_int_equal(sc_errors(&sc), (size_t)strict);
		if (strict) {
			f = sc_find(&sc, COH_DC006, 0);
			sc_check(f, COH_DC006, COH_R_CPU_WRITE_DEV_OWNED, w, DEV, BUF, 16);
			assert_int_equal(f->cpu, 0);
			assert_true(f->flags & COH_FF_STRICT);
		}
		sc_fini(&sc);
	}
}

/* Any device access to CPU-owned streaming bytes (e1000 re-arming a receive
 * buffer without sync_for_device). */
static void dc006_strict_dev_cpu_owned(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t d;

	(void)state;
	for (int strict = 0; strict < 2; strict++) {
		sc_start_strict(&sc, "arm-noncoherent", strict);
		sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
		sc_dev_write(&sc, DEV, BUS, 128, dev_data);
		sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
		sc_cpu_read(&sc, 0, BUF, 128);
		d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
		assert_int_equal(sc_errors(&sc), (size_t)strict);
		if (strict) {
			f = sc_find(&sc, COH_DC006, 0);
			sc_check(f, COH_DC006, COH_R_DEV_CPU_OWNED, d, DEV, BUF, 128);
			assert_true(f->flags & COH_FF_STRICT);
			assert_int_equal(f->omitted, COH_EV_DMA_SYNC_DEV);
		}
		sc_fini(&sc);
	}
}

/* sync_for_cpu of bytes the CPU already owns. */
static void dc006_strict_sync_cpu_owned(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t s2;

	(void)state;
	for (int strict = 0; strict < 2; strict++) {
		sc_start_strict(&sc, "arm-noncoherent", strict);
		sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
		sc_dev_write(&sc, DEV, BUS, 128, dev_data);
		sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
		s2 = sc_sync_cpu(&sc, DEV, BUS + 64, 64, COH_DIR_FROM_DEVICE);
		assert_int_equal(sc_errors(&sc), (size_t)strict);
		if (strict) {
			f = sc_find(&sc, COH_DC006, 0);
			sc_check(f, COH_DC006, COH_R_SYNC_CPU_OWNED, s2, DEV, BUF + 64, 64);
			assert_true(f->flags & COH_FF_STRICT);
		}
		sc_fini(&sc);
	}
}

/* Partial syncs move only their range. */
static void dc006_partial_sync(void **state)
{
	struct scen sc;
	uint64_t r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 256, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 256, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 128);
	assert_int_equal(sc_errors(&sc), 0);
	r = sc_cpu_read(&sc, 0, BUF + 64, 128);
	assert_int_equal(sc_errors(&sc), 1);
	sc_check(sc_find(&sc, COH_DC006, 0), COH_DC006, COH_R_CPU_READ_DEV_OWNED, r, DEV,
		 BUF + 128, 64);
	sc_fini(&sc);
}

/* ---- DC010 direction-mismatch --------------------------------------------- */

/* unmap(TO_DEVICE) of a FROM_DEVICE mapping skips the invalidate the data
 * needed: the stale line read afterwards hangs under the DC010. */
static void dc010_unmap_dir(void **state)
{
	struct scen sc;
	const struct coh_finding *f, *st;
	uint64_t mp, d, u, r;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_read(&sc, 0, BUF, 128);
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	u = sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	f = sc_find(&sc, COH_DC010, 0);
	sc_check(f, COH_DC010, COH_R_DIR_UNMAP, u, DEV, BUF, 128);
	assert_int_equal(f->bus, BUS);
	assert_int_equal(f->other_seq, mp);
	assert_int_equal(coh_sim_nmappings(sc.s), 0);           /* it still ends */
	r = sc_cpu_read(&sc, 0, BUF, 128);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 128);
	assert_int_equal(st->parent, sc_index(&sc, f));
	sc_check_ev(st, 16, BUF, 0, 0, d + 1, 0x55);
	assert_int_equal(sc_errors(&sc), 2);
	sc_fini(&sc);
}

static void dc010_unmap_corrected(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 128);
	/* a BIDIRECTIONAL mapping may be synced and unmapped in any direction */
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_BIDIRECTIONAL);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_sync_dev(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

static void dc010_sync_dir(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, s;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	s = sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	f = sc_find(&sc, COH_DC010, 0);
	sc_check(f, COH_DC010, COH_R_DIR_SYNC, s, DEV, BUF, 128);
	assert_int_equal(f->other_seq, mp);
	sc_fini(&sc);

	/* the right direction; sync_for_cpu(TO_DEVICE) of a TO_DEVICE mapping */
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUS, 128);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

static void dc010_dev_write_to_device(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, d;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS + 64, 32, dev_data);
	f = sc_find(&sc, COH_DC010, 0);
	sc_check(f, COH_DC010, COH_R_DIR_DEV_WRITE, d, DEV, BUF + 64, 32);
	assert_int_equal(f->other_seq, mp);
	sc_fini(&sc);

	/* during a WriteToDevice=TRUE transfer */
	sc_init(&sc, "nt-busmaster", 1);
	mp = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 3,
		    COH_F_WRITE_TO_DEVICE);
	d = sc_dev_write(&sc, DEV, BUF, 16, dev_data);
	f = sc_find(&sc, COH_DC010, 0);
	sc_check(f, COH_DC010, COH_R_DIR_DEV_WRITE, d, DEV, BUF, 16);
	assert_int_equal(f->other_seq, mp);
	sc_fini(&sc);
}

static void dc010_flush_dir(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mt, fl;

	(void)state;
	/* FlushAdapterBuffers(WriteToDevice=TRUE) of a device->memory transfer */
	sc_init(&sc, "nt-busmaster", 1);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 3, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	fl = sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x1000,
		      COH_F_WRITE_TO_DEVICE, 0);
	f = sc_find(&sc, COH_DC010, 0);
	sc_check(f, COH_DC010, COH_R_DIR_FLUSH, fl, DEV, BUF, 64);
	assert_int_equal(f->other_seq, mt);
	sc_fini(&sc);

	/* KeFlushIoBuffers(ReadOperation=TRUE) before a memory->device transfer */
	sc_init(&sc, "nt-busmaster", 1);
	sc_ke_flush(&sc, DEV, BUF, 64, 1);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 3,
		    COH_F_WRITE_TO_DEVICE);
	f = sc_find(&sc, COH_DC010, 0);
	sc_check(f, COH_DC010, COH_R_DIR_FLUSH, mt, DEV, BUF, 64);
	assert_int_equal(f->omitted, COH_EV_KE_FLUSH);
	sc_fini(&sc);

	/* both directions right */
	sc_init(&sc, "nt-busmaster", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_ke_flush(&sc, DEV, BUF, 64, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 3,
		    COH_F_WRITE_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUF, 64);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x1000, COH_F_WRITE_TO_DEVICE, 0);
	sc_irp_complete(&sc, 3, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x1000);
	sc_ke_flush(&sc, DEV, BUF, 64, 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x1000, 4, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x1000, 0, 0);
	sc_irp_complete(&sc, 4, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x1000);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}


/* ---- inferred accesses ------------------------------------------------------ */

/* A capture without access markers: the engine infers the device's write
 * before the unmap and the CPU's read after it; the stale read that rests on
 * them says so.  (An unmap naming TO_DEVICE skips the invalidate.) */
static void inferred_stale_read(void **state)
{
	struct scen sc;
	const struct coh_finding *f, *dir;
	uint64_t u;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_map_f(&sc, BUF, BUS, 128, COH_DIR_FROM_DEVICE, COH_F_INFER);
	u = sc_linux(&sc, COH_EV_DMA_UNMAP, DEV, COH_ADDR_NONE, BUS, 128, COH_DIR_TO_DEVICE,
		     COH_F_INFER);
	assert_int_equal(sc_mem_ver(&sc, BUF), u + 1);           /* the inferred write */
	assert_int_equal(sc_errors(&sc), 2);
	dir = sc_find(&sc, COH_DC010, 0);
	assert_int_equal(dir->rule, COH_R_DIR_UNMAP);
	f = sc_find(&sc, COH_DC001, 0);
	sc_check(f, COH_DC001, COH_R_STALE_CPU, u, DEV, BUF, 128);
	assert_true(f->flags & COH_FF_INFERRED);
	assert_int_equal(f->parent, sc_index(&sc, dir));
	sc_check_ev(f, 16, BUF, 0, 0, u + 1, coh_synth_byte((uint32_t)u + 1));
	sc_fini(&sc);

	/* around a SKIP_CPU_SYNC unmap nothing is inferred: a driver that synced
	 * what the device wrote (page_pool) would otherwise look wrong */
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_map_f(&sc, BUF, BUS, 128, COH_DIR_FROM_DEVICE, COH_F_INFER);
	sc_linux(&sc, COH_EV_DMA_UNMAP, DEV, COH_ADDR_NONE, BUS, 128, COH_DIR_FROM_DEVICE,
		 COH_F_INFER | COH_F_SKIP_CPU_SYNC);
	assert_int_equal(sc_mem_ver(&sc, BUF), 0);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);

	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_map_f(&sc, BUF, BUS, 128, COH_DIR_FROM_DEVICE, COH_F_INFER);
	sc_linux(&sc, COH_EV_DMA_UNMAP, DEV, COH_ADDR_NONE, BUS, 128, COH_DIR_FROM_DEVICE,
		 COH_F_INFER);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dc006_read_dev_owned),
		cmocka_unit_test(dc006_read_with_stale),
		cmocka_unit_test(dc006_read_corrected),
		cmocka_unit_test(dc006_read_to_device_legal),
		cmocka_unit_test(dc006_write_no_sync),
		cmocka_unit_test(dc006_write_no_sync_at_unmap),
		cmocka_unit_test(dc006_write_corrected),
		cmocka_unit_test(dc006_windows_write_after_map),
		cmocka_unit_test(dc006_dev_cpu_written),
		cmocka_unit_test(dc006_dev_cpu_written_corrected),
		cmocka_unit_test(dc006_strict_cpu_write),
		cmocka_unit_test(dc006_strict_dev_cpu_owned),
		cmocka_unit_test(dc006_strict_sync_cpu_owned),
		cmocka_unit_test(dc006_partial_sync),
		cmocka_unit_test(dc010_unmap_dir),
		cmocka_unit_test(dc010_unmap_corrected),
		cmocka_unit_test(dc010_sync_dir),
		cmocka_unit_test(dc010_dev_write_to_device),
		cmocka_unit_test(dc010_flush_dir),
		cmocka_unit_test(inferred_stale_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
