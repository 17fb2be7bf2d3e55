/* SPDX-License-Identifier: MIT */
/*
 * test_rules_windows.c - Windows transfers are judged by call order, not
 * ownership (docs/engine.md, "Windows transfers: call order, not
 * ownership"): a missing or late flush is one finding (DC004 with bytes
 * stranded, else DC008, or a stale read naming FlushAdapterBuffersEx on a v3
 * transfer), its stale reads hang inside it naming the call really omitted,
 * a premature flush is DC005, a speculative fill after KeFlushIoBuffers on a
 * v1/v2 adapter names no call, and CPU writes during a transfer stay
 * DC002/DC003.  Each rule has its corrected scenario, which reports nothing.
 */
#include "plat.h"

#define BUF   0x100000ull
#define DEV   0
#define MR    0x1000ull              /* map-register base */
#define IRP   7

static const uint8_t cpu_data[256] = { [0 ... 255] = 0xaa };
static const uint8_t dev_data[256] = { [0 ... 255] = 0x55 };
static const struct coh_seg mdl40 = { BUF, COH_ADDR_NONE, 40 };
static const struct coh_seg mdl64 = { BUF, COH_ADDR_NONE, 64 };

/* A device->memory transfer of @mdl by MapTransfer(Ex) @kind. */
static uint64_t start_rx(struct scen *sc, unsigned kind, const struct coh_seg *mdl)
{
	return sc_win(sc, kind, DEV, mdl, 1, 0, mdl->len, MR, IRP, 0);
}

static uint64_t flush_rx(struct scen *sc, unsigned kind, const struct coh_seg *mdl)
{
	return sc_flush(sc, kind, DEV, mdl, 1, 0, mdl->len, MR, 0, 0);
}

/* Every finding's text speaks of Windows calls only, and it is marked so. */
static void windows_text_only(const struct scen *sc)
{
	char buf[2048];

	for (size_t i = 0; i < coh_sim_nfindings(sc->s); i++) {
		const struct coh_finding *f = coh_sim_finding(sc->s, i);

		coh_finding_explain(f, &sc->p, buf, sizeof(buf));
		assert_true(f->flags & COH_FF_WINDOWS);
		if (strstr(buf, "dma_"))
			fail_msg("finding %zu speaks of Linux calls: %s", i, buf);
	}
}

/* ---- the controller buffer (nt-slave-dma, B = 16) ------------------------------ */

/* nt-slave-dma with a device that signals the end of its transfers */
static void slave_init(struct scen *sc)
{
	sc_setup(sc, "nt-slave-dma", 1);
	sc->p.devs[DEV].signals_done = 1;
	sc_start(sc, 0);
}

/* 40 bytes: 32 reach memory, 8 wait in the controller.  The IRP completes
 * with no flush: DC004 (not DC008 beside or inside it); the read of the
 * stranded bytes hangs inside it, naming FlushAdapterBuffers. */
static void ctrl_missing_flush(void **state)
{
	const struct coh_finding *f, *st;
	struct scen sc;
	uint64_t mt, d, done, r;

	(void)state;
	slave_init(&sc);
	sc_ke_flush(&sc, DEV, BUF, 40, 1);
	mt = start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl40);
	d = sc_dev_write(&sc, DEV, BUF, 40, dev_data);
	sc_dev_done(&sc, DEV, MR);
	done = sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	r = sc_cpu_read(&sc, 0, BUF, 40);

	assert_int_equal(sc_errors(&sc), 2);
	f = sc_find(&sc, COH_DC004, 0);
	sc_check(f, COH_DC004, COH_R_RESIDUAL_CTRL, done, DEV, BUF + 32, 8);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER);
	assert_int_equal(f->other_seq, mt);
	sc_check_ev(f, 8, BUF + 32, 0, 0, d + 1, 0x55);
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF + 32, 8);
	assert_int_equal(st->parent, sc_index(&sc, f));
	assert_int_equal(st->omitted, COH_EV_FLUSH_ADAPTER);
	sc_check_ev(st, 8, BUF + 32, 0, 0, d + 1, 0x55);
	windows_text_only(&sc);
	sc_fini(&sc);
}

/* The flush late: the driver reads before it.  DC004 at the read, the stale
 * bytes inside it; the flush, the completion and the free add no finding.
 * The early read cached the stale bytes and FlushAdapterBuffers does no
 * cache maintenance, so the read after the flush is stale too: inside the
 * same DC004. */
static void ctrl_late_flush(void **state)
{
	const struct coh_finding *f, *st;
	struct scen sc;
	uint64_t r, r2, d;

	(void)state;
	slave_init(&sc);
	sc_ke_flush(&sc, DEV, BUF, 40, 1);
	start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl40);
	d = sc_dev_write(&sc, DEV, BUF, 40, dev_data);
	sc_dev_done(&sc, DEV, MR);
	r = sc_cpu_read(&sc, 0, BUF, 40);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER, &mdl40);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, MR);
	r2 = sc_cpu_read(&sc, 0, BUF, 40);

	assert_int_equal(sc_errors(&sc), 3);
	f = sc_find(&sc, COH_DC004, 0);
	sc_check(f, COH_DC004, COH_R_RESIDUAL_CTRL, r, DEV, BUF + 32, 8);
	assert_int_equal(f->parent, -1);
	for (size_t k = 0; k < 2; k++) {
		st = sc_find(&sc, COH_DC001, k);
		sc_check(st, COH_DC001, COH_R_STALE_CPU, k ? r2 : r, DEV, BUF + 32, 8);
		assert_int_equal(st->parent, sc_index(&sc, f));
		assert_int_equal(st->omitted, COH_EV_FLUSH_ADAPTER);
		sc_check_ev(st, 8, BUF + 32, 0, 0, d + 1, 0x55);
	}
	assert_int_equal(sc_count(&sc, COH_DC006, 0), 0);
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);
	windows_text_only(&sc);
	sc_fini(&sc);
}

static void ctrl_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	slave_init(&sc);
	sc_ke_flush(&sc, DEV, BUF, 40, 1);
	start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl40);
	d = sc_dev_write(&sc, DEV, BUF, 40, dev_data);
	sc_dev_done(&sc, DEV, MR);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER, &mdl40);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, MR);
	sc_cpu_read(&sc, 0, BUF, 40);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 39), d + 1);
	sc_fini(&sc);
}

/* No KeFlushIoBuffers: the dirty lines under the controller's drains are
 * one DC003 (not one per B bytes), and the read after the transfer hangs
 * under it naming KeFlushIoBuffers, not under the transfer's flush. */
static void ctrl_missing_ke_flush(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 256 };
	const struct coh_finding *f, *st;
	struct scen sc;
	uint64_t w, d, r;

	(void)state;
	for (int fixed = 0; fixed < 2; fixed++) {
		slave_init(&sc);
		w = sc_cpu_write(&sc, 0, BUF, 256, cpu_data);
		if (fixed)
			sc_ke_flush(&sc, DEV, BUF, 256, 1);
		start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl);
		d = sc_dev_write(&sc, DEV, BUF, 256, dev_data);
		sc_dev_done(&sc, DEV, MR);
		flush_rx(&sc, COH_EV_FLUSH_ADAPTER, &mdl);
		sc_free_map_regs(&sc, DEV, MR);
		sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
		sc_evict(&sc, 0, BUF, 256);
		r = sc_cpu_read(&sc, 0, BUF, 256);
		assert_int_equal(sc_errors(&sc), fixed ? 0 : 2);
		if (fixed) {
			sc_fini(&sc);
			continue;
		}
		f = sc_find(&sc, COH_DC003, 0);
		sc_check(f, COH_DC003, COH_R_CLOBBER, d, DEV, BUF, 256);
		assert_int_equal(f->parent, -1);
		assert_int_equal(f->omitted, COH_EV_KE_FLUSH);
		sc_check_ev(f, 16, BUF, w + 1, 0xaa, d + 1, 0x55);
		st = sc_find(&sc, COH_DC001, 0);
		sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 256);
		assert_int_equal(st->parent, sc_index(&sc, f));
		assert_int_equal(st->omitted, COH_EV_KE_FLUSH);
		windows_text_only(&sc);
		sc_fini(&sc);
	}
}

/* ---- posted writes (nt-busmaster, P = 32) -------------------------------------- */

/* The IRP completed before the flush: DC004 for the 32 posted bytes at the
 * completion; the late flush still drains them, so the read is fresh. */
static void posted_late_flush(void **state)
{
	const struct coh_finding *f;
	struct scen sc;
	uint64_t mt, d, done;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_ke_flush(&sc, DEV, BUF, 64, 1);
	mt = start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl64);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	done = sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER, &mdl64);
	sc_free_map_regs(&sc, DEV, MR);
	sc_cpu_read(&sc, 0, BUF, 64);

	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC004, 0);
	sc_check(f, COH_DC004, COH_R_RESIDUAL_POSTED, done, DEV, BUF + 32, 32);
	assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER);
	assert_int_equal(f->other_seq, mt);
	sc_check_ev(f, 16, BUF + 32, 0, 0, d + 1, 0x55);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + 63), d + 1);
	windows_text_only(&sc);
	sc_fini(&sc);
}

/* No byte stranded (P = 0): the missing flush is DC008, alone. */
static void order_only_dc008(void **state)
{
	const struct coh_finding *f;
	struct scen sc;
	uint64_t mt, done;

	(void)state;
	sc_setup(&sc, "nt-busmaster", 1);
	sc.p.devs[DEV].posted = 0;
	sc_start(&sc, 0);
	sc_ke_flush(&sc, DEV, BUF, 64, 1);
	mt = start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl64);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	done = sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, MR);
	sc_cpu_read(&sc, 0, BUF, 64);

	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC008, 0);
	sc_check(f, COH_DC008, COH_R_COMPLETE_NO_FLUSH, done, DEV, BUF, 64);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER);
	assert_int_equal(f->other_seq, mt);
	windows_text_only(&sc);
	sc_fini(&sc);
}

/* Two transfers of one IRP on the same map registers, the driver flushes
 * only the second: the first still owes its FlushAdapterBuffers (DC008 at
 * the completion, naming the first MapTransfer); flushing both, nothing. */
static void flush_covers_its_transfer_only(void **state)
{
	static const struct coh_seg mdl128 = { BUF, COH_ADDR_NONE, 128 };
	const struct coh_finding *f;
	struct scen sc;
	uint64_t first, done;

	(void)state;
	for (int both = 0; both < 2; both++) {
		sc_setup(&sc, "nt-busmaster", 1);
		sc.p.devs[DEV].posted = 0;
		sc_start(&sc, 0);
		sc_ke_flush(&sc, DEV, BUF, 128, 1);
		first = sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl128, 1, 0, 64, MR, IRP, 0);
		sc_dev_write(&sc, DEV, BUF, 64, dev_data);
		sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl128, 1, 64, 64, MR, IRP, 0);
		sc_dev_write(&sc, DEV, BUF + 64, 64, dev_data);
		if (both)
			sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl128, 1, 0, 64, MR, 0, 0);
		sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl128, 1, 64, 64, MR, 0, 0);
		sc_free_map_regs(&sc, DEV, MR);
		done = sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
		sc_cpu_read(&sc, 0, BUF, 128);
		if (both) {
			assert_int_equal(sc_errors(&sc), 0);
		} else {
			f = sc_find(&sc, COH_DC008, 0);
			assert_non_null(f);
			assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER);
			assert_int_equal(f->other_seq, first);
			(void)done;
		}
		sc_fini(&sc);
	}
}

/* A scatter-gather list released after its IRP: DC008 naming
 * PutScatterGatherList; released before, nothing. */
static void sg_put_late(void **state)
{
	struct scen sc;
	uint64_t done;

	(void)state;
	for (int late = 0; late < 2; late++) {
		sc_setup(&sc, "nt-busmaster", 1);
		sc.p.devs[DEV].posted = 0;
		sc_start(&sc, 0);
		sc_ke_flush(&sc, DEV, BUF, 64, 1);
		sc_win(&sc, COH_EV_GET_SG, DEV, &mdl64, 1, 0, 0, MR, IRP, 0);
		sc_dev_write(&sc, DEV, BUF, 64, dev_data);
		if (!late)
			sc_simple(&sc, COH_EV_PUT_SG, DEV, MR, 0, 0);
		done = sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
		if (late)
			sc_simple(&sc, COH_EV_PUT_SG, DEV, MR, 0, 0);
		sc_cpu_read(&sc, 0, BUF, 64);
		assert_int_equal(sc_errors(&sc), (size_t)late);
		if (late) {
			const struct coh_finding *f = sc_find(&sc, COH_DC008, 0);

			sc_check(f, COH_DC008, COH_R_COMPLETE_NO_FLUSH, done, DEV, BUF, 64);
			assert_int_equal(f->omitted, COH_EV_PUT_SG);
			windows_text_only(&sc);
		}
		sc_fini(&sc);
	}
}

/* ---- map buffers (nt-doublebuffer) ----------------------------------------------- */

/* The registers freed with no flush: the device's bytes stay in the map
 * buffer (DC004); the read returns the buffer's old contents, inside it. */
static void bounce_missing_flush(void **state)
{
	const struct coh_finding *f, *st;
	struct scen sc;
	uint64_t w, d, fr, r;

	(void)state;
	sc_init(&sc, "nt-doublebuffer", 1);
	w = sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl64);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	fr = sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	r = sc_cpu_read(&sc, 0, BUF, 64);

	assert_int_equal(sc_errors(&sc), 2);
	f = sc_find(&sc, COH_DC004, 0);
	sc_check(f, COH_DC004, COH_R_RESIDUAL_BOUNCE, fr, DEV, BUF, 64);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 64);
	assert_int_equal(st->parent, sc_index(&sc, f));
	assert_int_equal(st->omitted, COH_EV_FLUSH_ADAPTER);
	sc_check_ev(st, 16, BUF, w + 1, 0xaa, d + 1, 0x55);
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);
	windows_text_only(&sc);
	sc_fini(&sc);
}

static void bounce_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	sc_init(&sc, "nt-doublebuffer", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl64);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER, &mdl64);
	sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);
	sc_fini(&sc);
}

/* ---- v3 adapters (nt-v3: speculative, the flush is the invalidate) -------------- */

/* The CPU looked at the buffer before; MapTransferEx cleans and invalidates,
 * the device's write refills the line speculatively with the old bytes. */
static uint64_t v3_rx(struct scen *sc, uint64_t *d)
{
	sc_init(sc, "nt-v3", 1);
	sc_cpu_read(sc, 0, BUF, 64);
	start_rx(sc, COH_EV_MAP_TRANSFER_EX, &mdl64);
	*d = sc_dev_write(sc, DEV, BUF, 64, dev_data);
	return *d;
}

/* Registers freed with no FlushAdapterBuffersEx: DC008 naming it, and the
 * read of the speculated line inside it, naming it too. */
static void v3_missing_flush(void **state)
{
	const struct coh_finding *f, *st;
	struct scen sc;
	uint64_t d, fr, r;

	(void)state;
	v3_rx(&sc, &d);
	fr = sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	r = sc_cpu_read(&sc, 0, BUF, 64);

	assert_int_equal(sc_errors(&sc), 2);
	f = sc_find(&sc, COH_DC008, 0);
	sc_check(f, COH_DC008, COH_R_COMPLETE_NO_FLUSH, fr, DEV, BUF, 64);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->omitted, COH_EV_FLUSH_ADAPTER_EX);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 64);
	assert_int_equal(st->parent, sc_index(&sc, f));
	assert_int_equal(st->omitted, COH_EV_FLUSH_ADAPTER_EX);
	sc_check_ev(st, 16, BUF, 0, 0, d + 1, 0x55);
	windows_text_only(&sc);
	sc_fini(&sc);
}

/* The read before FlushAdapterBuffersEx: that stale read is the one finding
 * (DC001 naming FlushAdapterBuffersEx, no DC006); the late flush makes the
 * next read fresh, and the end adds nothing. */
static void v3_late_flush(void **state)
{
	const struct coh_finding *st;
	struct scen sc;
	uint64_t d, r;

	(void)state;
	v3_rx(&sc, &d);
	r = sc_cpu_read(&sc, 0, BUF, 64);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER_EX, &mdl64);
	sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	sc_cpu_read(&sc, 0, BUF, 64);

	assert_int_equal(sc_errors(&sc), 1);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 64);
	assert_int_equal(st->parent, -1);
	assert_int_equal(st->omitted, COH_EV_FLUSH_ADAPTER_EX);
	sc_check_ev(st, 16, BUF, 0, 0, d + 1, 0x55);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);
	windows_text_only(&sc);
	sc_fini(&sc);
}

/* Read early and never flushed: the early stale read is the root; the end
 * raises no DC008 and the later stale read hangs under the first. */
static void v3_early_read_no_flush(void **state)
{
	const struct coh_finding *root, *st;
	struct scen sc;
	uint64_t d, r1, r2;

	(void)state;
	v3_rx(&sc, &d);
	r1 = sc_cpu_read(&sc, 0, BUF, 64);
	sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	r2 = sc_cpu_read(&sc, 0, BUF, 64);

	assert_int_equal(sc_errors(&sc), 2);
	assert_int_equal(sc_count(&sc, COH_DC008, 0), 0);
	root = sc_find(&sc, COH_DC001, 0);
	sc_check(root, COH_DC001, COH_R_STALE_CPU, r1, DEV, BUF, 64);
	assert_int_equal(root->parent, -1);
	st = sc_find(&sc, COH_DC001, 1);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r2, DEV, BUF, 64);
	assert_int_equal(st->parent, sc_index(&sc, root));
	assert_int_equal(st->omitted, COH_EV_FLUSH_ADAPTER_EX);
	sc_fini(&sc);
}

static void v3_corrected(void **state)
{
	struct scen sc;
	uint64_t d;

	(void)state;
	v3_rx(&sc, &d);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER_EX, &mdl64);
	sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF), d + 1);
	sc_fini(&sc);
}

/* ---- DC005: flushed before dev_done --------------------------------------------- */

static void premature_flush(void **state)
{
	struct scen sc;
	uint64_t fl;

	(void)state;
	for (int early = 0; early < 2; early++) {
		sc_setup(&sc, "nt-v3", 1);
		sc.p.devs[DEV].signals_done = 1;
		sc_start(&sc, 0);
		start_rx(&sc, COH_EV_MAP_TRANSFER_EX, &mdl64);
		sc_dev_write(&sc, DEV, BUF, 32, dev_data);
		fl = early ? flush_rx(&sc, COH_EV_FLUSH_ADAPTER_EX, &mdl64) : 0;
		sc_dev_write(&sc, DEV, BUF + 32, 32, dev_data);
		sc_dev_done(&sc, DEV, MR);
		if (!early)
			fl = flush_rx(&sc, COH_EV_FLUSH_ADAPTER_EX, &mdl64);
		sc_free_map_regs(&sc, DEV, MR);
		sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
		sc_cpu_read(&sc, 0, BUF, 64);
		assert_int_equal(sc_errors(&sc), (size_t)early);
		if (early) {
			sc_check(sc_find(&sc, COH_DC005, 0), COH_DC005, COH_R_PREMATURE_FLUSH, fl,
				 DEV, BUF, 64);
			windows_text_only(&sc);
		}
		sc_fini(&sc);
	}
}

/* ---- speculation on a v1/v2 adapter: no call to name, advise v3 ------------------ */

/* The v2 recipe, complete, on a speculating CPU: the stale read names no
 * omitted call (KeFlushIoBuffers was called) and advises the v3 interface. */
static void v2_speculative_advice(void **state)
{
	char buf[2048];
	const struct coh_finding *st;
	struct scen sc;
	uint64_t d, r;

	(void)state;
	sc_setup(&sc, "nt-busmaster", 1);
	sc.p.speculative = 1;
	sc_start(&sc, 0);
	sc_cpu_read(&sc, 0, BUF, 64);
	sc_ke_flush(&sc, DEV, BUF, 64, 1);
	start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl64);
	d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER, &mdl64);
	sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	r = sc_cpu_read(&sc, 0, BUF, 64);

	assert_int_equal(sc_errors(&sc), 1);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_SPECULATIVE, r, DEV, BUF, 64);
	assert_int_equal(st->parent, -1);
	assert_int_equal(st->omitted, COH_EV_NONE);
	sc_check_ev(st, 16, BUF, 0, 0, d + 1, 0x55);
	coh_finding_explain(st, &sc.p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "MapTransferEx"));
	assert_non_null(strstr(buf, "FlushAdapterBuffersEx"));
	assert_null(strstr(buf, "missing or misplaced"));
	windows_text_only(&sc);
	sc_fini(&sc);
}

/* Corrected: the same platform with a v3 adapter and its calls. */
static void v2_speculative_corrected(void **state)
{
	struct scen sc;

	(void)state;
	sc_setup(&sc, "nt-busmaster", 1);
	sc.p.speculative = 1;
	sc.p.devs[DEV].dma_version = 3;
	sc_start(&sc, 0);
	sc_cpu_read(&sc, 0, BUF, 64);
	start_rx(&sc, COH_EV_MAP_TRANSFER_EX, &mdl64);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER_EX, &mdl64);
	sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* Without KeFlushIoBuffers the old line was there before the transfer: the
 * stale read names KeFlushIoBuffers, not the advice. */
static void v2_missing_ke_flush(void **state)
{
	const struct coh_finding *st;
	struct scen sc;
	uint64_t r;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_cpu_read(&sc, 0, BUF, 64);
	start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl64);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	flush_rx(&sc, COH_EV_FLUSH_ADAPTER, &mdl64);
	sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	r = sc_cpu_read(&sc, 0, BUF, 64);
	assert_int_equal(sc_errors(&sc), 1);
	st = sc_find(&sc, COH_DC001, 0);
	sc_check(st, COH_DC001, COH_R_STALE_CPU, r, DEV, BUF, 64);
	assert_int_equal(st->omitted, COH_EV_KE_FLUSH);
	windows_text_only(&sc);
	sc_fini(&sc);
}

/* ---- CPU writes during a transfer stay DC002/DC003 -------------------------------- */

/* memory->device: a write after KeFlushIoBuffers and MapTransfer is not
 * cleaned, the device reads the older bytes: DC002 (no DC006 without
 * --strict). */
static void cpu_write_during_tx(void **state)
{
	const struct coh_finding *f;
	struct scen sc;
	uint64_t w1, w2, r;

	(void)state;
	for (int strict = 0; strict < 2; strict++) {
		sc_setup(&sc, "nt-busmaster", 1);
		sc_start(&sc, strict ? COH_SIM_STRICT : 0);
		w1 = sc_cpu_write(&sc, 0, BUF, 64, NULL);
		sc_ke_flush(&sc, DEV, BUF, 64, 0);
		sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, MR, IRP,
		       COH_F_WRITE_TO_DEVICE);
		w2 = sc_cpu_write(&sc, 0, BUF, 8, cpu_data);
		r = sc_dev_read(&sc, DEV, BUF, 64);
		f = sc_find(&sc, COH_DC002, 0);
		sc_check(f, COH_DC002, COH_R_STALE_DEV, r, DEV, BUF, 8);
		assert_int_equal(f->omitted, COH_EV_KE_FLUSH);
		/* 8 stale bytes, then the fresh ones next to them */
		assert_int_equal(f->nbytes, 16);
		assert_int_equal(f->seen_ver[0], w1 + 1);
		assert_int_equal(f->exp_ver[0], w2 + 1);
		assert_int_equal(f->expected[7], 0xaa);
		assert_int_equal(f->seen[7], coh_synth_byte((uint32_t)w1 + 1));
		assert_int_equal(f->exp_ver[8], w1 + 1);
		assert_int_equal(sc_count(&sc, COH_DC006, 0), strict ? 2 : 0);
		if (!strict) {
			assert_int_equal(f->parent, -1);
			assert_int_equal(sc_errors(&sc), 1);
			windows_text_only(&sc);
		}
		sc_fini(&sc);
	}
}

/* device->memory: a dirty line written during the transfer lies under the
 * device's write: DC003, naming KeFlushIoBuffers (v2) or MapTransferEx (v3). */
static void cpu_write_during_rx(void **state)
{
	static const char *const presets[2] = { "nt-busmaster", "nt-v3" };
	const struct coh_finding *f;
	struct scen sc;
	uint64_t d;

	(void)state;
	for (int v3 = 0; v3 < 2; v3++) {
		sc_init(&sc, presets[v3], 1);
		if (!v3)
			sc_ke_flush(&sc, DEV, BUF, 64, 1);
		start_rx(&sc, v3 ? COH_EV_MAP_TRANSFER_EX : COH_EV_MAP_TRANSFER, &mdl64);
		sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
		d = sc_dev_write(&sc, DEV, BUF, 64, dev_data);
		(void)d;
		f = sc_find(&sc, COH_DC003, 0);
		assert_int_equal(f->parent, -1);
		assert_int_equal(f->omitted, v3 ? COH_EV_MAP_TRANSFER_EX : COH_EV_KE_FLUSH);
		assert_int_equal(sc_count(&sc, COH_DC006, 0), 0);
		windows_text_only(&sc);
		sc_fini(&sc);
	}
}

static void cpu_write_corrected(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "nt-busmaster", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_ke_flush(&sc, DEV, BUF, 64, 0);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl64, 1, 0, 64, MR, IRP, COH_F_WRITE_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUF, 64);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl64, 1, 0, 64, MR, COH_F_WRITE_TO_DEVICE, 0);
	sc_free_map_regs(&sc, DEV, MR);
	sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* Map registers never freed: DC012, in Windows words; freed, nothing. */
static void leak_windows_text(void **state)
{
	struct scen sc;

	(void)state;
	for (int freed = 0; freed < 2; freed++) {
		sc_init(&sc, "nt-busmaster", 1);
		sc_ke_flush(&sc, DEV, BUF, 64, 1);
		start_rx(&sc, COH_EV_MAP_TRANSFER, &mdl64);
		sc_dev_write(&sc, DEV, BUF, 64, dev_data);
		flush_rx(&sc, COH_EV_FLUSH_ADAPTER, &mdl64);
		if (freed)
			sc_free_map_regs(&sc, DEV, MR);
		sc_irp_complete(&sc, IRP, COH_STATUS_SUCCESS);
		sc_trace_end(&sc);
		assert_int_equal(sc_errors(&sc), (size_t)!freed);
		if (!freed) {
			assert_int_equal(sc_find(&sc, COH_DC012, 0)->omitted, COH_EV_FREE_MAP_REGS);
			windows_text_only(&sc);
		}
		sc_fini(&sc);
	}
}

/* A Linux finding is not marked Windows and keeps its Linux text. */
static void linux_text_unchanged(void **state)
{
	char buf[2048];
	struct scen sc;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_cpu_write(&sc, 0, BUF, 64, cpu_data);
	sc_map(&sc, DEV, BUF, BUF, 64, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 64);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_cpu_read(&sc, 0, BUF, 64);
	for (size_t i = 0; i < coh_sim_nfindings(sc.s); i++) {
		const struct coh_finding *f = coh_sim_finding(sc.s, i);

		assert_false(f->flags & COH_FF_WINDOWS);
		coh_finding_explain(f, &sc.p, buf, sizeof(buf));
		assert_non_null(strstr(buf, "dma_"));
	}
	assert_true(sc_count(&sc, COH_DC006, 0) >= 1);
	sc_fini(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ctrl_missing_flush),
		cmocka_unit_test(ctrl_late_flush),
		cmocka_unit_test(ctrl_corrected),
		cmocka_unit_test(ctrl_missing_ke_flush),
		cmocka_unit_test(posted_late_flush),
		cmocka_unit_test(order_only_dc008),
		cmocka_unit_test(flush_covers_its_transfer_only),
		cmocka_unit_test(sg_put_late),
		cmocka_unit_test(bounce_missing_flush),
		cmocka_unit_test(bounce_corrected),
		cmocka_unit_test(v3_missing_flush),
		cmocka_unit_test(v3_late_flush),
		cmocka_unit_test(v3_early_read_no_flush),
		cmocka_unit_test(v3_corrected),
		cmocka_unit_test(premature_flush),
		cmocka_unit_test(v2_speculative_advice),
		cmocka_unit_test(v2_speculative_corrected),
		cmocka_unit_test(v2_missing_ke_flush),
		cmocka_unit_test(cpu_write_during_tx),
		cmocka_unit_test(cpu_write_during_rx),
		cmocka_unit_test(cpu_write_corrected),
		cmocka_unit_test(leak_windows_text),
		cmocka_unit_test(linux_text_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
