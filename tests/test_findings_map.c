/* SPDX-License-Identifier: MIT */
/*
 * test_findings_map.c - findings about the use of mappings: DC011 (bad
 * mapping use, every clause), DC012 (leaks and their scopes) and DC013
 * (redundant maintenance, information only), each where it fires and in the
 * corrected scenario.
 */
#include "scen.h"


#define BUF   0x100000ull
#define BUS   0x80000000ull
#define DEV   0

static const uint8_t dev_data[256] = { [0 ... 255] = 0x55 };

static const struct coh_seg sg2[2] = {
	{ BUF, BUS, 64 }, { BUF + 0x1000, BUS + 0x1000, 64 },
};
static const struct coh_seg sg2_phys[2] = {     /* as dma_unmap_sg names them */
	{ BUF, COH_ADDR_NONE, 64 }, { BUF + 0x1000, COH_ADDR_NONE, 64 },
};

#define sc_free_coherent(sc, bus, len) \
	sc_linux(sc, COH_EV_DMA_FREE, DEV, COH_ADDR_NONE, bus, len, COH_DIR_BIDIRECTIONAL, 0)

/* ---- DC011 bad-mapping-use ----------------------------------------------- */

static void dc011_unmap_size(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, u;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	u = sc_unmap(&sc, DEV, BUS, 64, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC011, 0);
	sc_check(f, COH_DC011, COH_R_UNMAP_SIZE, u, DEV, BUF, 128);
	assert_int_equal(f->bus, BUS);
	assert_int_equal(f->other_seq, mp);
	assert_int_equal(coh_sim_nmappings(sc.s), 0);       /* the mapping still ends */
	sc_fini(&sc);
}

static void dc011_sync_range(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, s;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	s = sc_sync_cpu(&sc, DEV, BUS + 64, 128, COH_DIR_FROM_DEVICE);   /* runs 64 past it */
	assert_int_equal(sc_count(&sc, COH_DC011, 0), 1);
	f = sc_find(&sc, COH_DC011, 0);
	assert_int_equal(f->rule, COH_R_SYNC_RANGE);
	assert_int_equal(f->seq, s);
	assert_int_equal(f->dev, DEV);
	assert_int_equal(f->bus, BUS + 64);
	assert_int_equal(f->len, 128);
	assert_int_equal(f->other_seq, mp);
	/* the physical start of the synced range, as its bus start says */
	assert_int_equal(f->addr, BUF + 64);
	sc_fini(&sc);

	/* the same range inside the mapping: a legal partial sync */
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 192, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 192, dev_data);
	sc_sync_cpu(&sc, DEV, BUS + 64, 128, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF + 64, 128);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

static void dc011_sg_nents(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, u;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	mp = sc_sg(&sc, COH_EV_DMA_MAP_SG, DEV, sg2, 2, 2, COH_DIR_TO_DEVICE, 0);
	u = sc_sg(&sc, COH_EV_DMA_UNMAP_SG, DEV, sg2_phys, 1, 1, COH_DIR_TO_DEVICE, 0);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC011, 0);
	sc_check(f, COH_DC011, COH_R_SG_NENTS, u, DEV, BUF, 128);
	assert_int_equal(f->other_seq, mp);
	sc_fini(&sc);

	sc_init(&sc, "arm-noncoherent", 1);
	sc_sg(&sc, COH_EV_DMA_MAP_SG, DEV, sg2, 2, 2, COH_DIR_TO_DEVICE, 0);
	sc_dev_read(&sc, DEV, BUS + 0x1000, 64);
	sc_sg(&sc, COH_EV_DMA_UNMAP_SG, DEV, sg2_phys, 2, 2, COH_DIR_TO_DEVICE, 0);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(coh_sim_nmappings(sc.s), 0);
	sc_fini(&sc);
}

static void dc011_coherent_sync(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t al, s, u;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	al = sc_alloc_coherent(&sc, DEV, BUF, 4096);
	s = sc_sync_cpu(&sc, DEV, BUF, 64, COH_DIR_BIDIRECTIONAL);
	u = sc_unmap(&sc, DEV, BUF, 4096, COH_DIR_BIDIRECTIONAL);
	assert_int_equal(sc_errors(&sc), 2);
	f = sc_find(&sc, COH_DC011, 0);
	sc_check(f, COH_DC011, COH_R_COHERENT_SYNC, s, DEV, BUF, 4096);
	assert_int_equal(f->other_seq, al);
	f = sc_find(&sc, COH_DC011, 1);
	sc_check(f, COH_DC011, COH_R_COHERENT_SYNC, u, DEV, BUF, 4096);
	assert_int_equal(coh_sim_nmappings(sc.s), 1);       /* still allocated */
	sc_fini(&sc);

	sc_init(&sc, "arm-noncoherent", 1);
	sc_alloc_coherent(&sc, DEV, BUF, 4096);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_cpu_read(&sc, 0, BUF, 64);
	sc_free_coherent(&sc, BUF, 4096);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(coh_sim_nmappings(sc.s), 0);
	sc_fini(&sc);
}

static void dc011_double_unmap(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t u2;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	u2 = sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC011, 0);
	assert_int_equal(f->rule, COH_R_DOUBLE_UNMAP);
	assert_int_equal(f->seq, u2);
	assert_int_equal(f->dev, DEV);
	assert_int_equal(f->bus, BUS);
	assert_int_equal(f->len, 128);
	/* so is a sync after the unmap */
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_count(&sc, COH_DC011, 0), 2);
	sc_fini(&sc);
}

static void dc011_free_size(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t al, fr;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	al = sc_alloc_coherent(&sc, DEV, BUF, 4096);
	fr = sc_free_coherent(&sc, BUF, 2048);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC011, 0);
	sc_check(f, COH_DC011, COH_R_FREE_SIZE, fr, DEV, BUF, 4096);
	assert_int_equal(f->other_seq, al);
	assert_int_equal(coh_sim_nmappings(sc.s), 0);
	sc_fini(&sc);
}

/* dma-debug's overlap check: only when neither mapping is TO_DEVICE (a
 * TO_DEVICE mapping over a FROM_DEVICE one is legal: test_rules_linux.c). */
static void dc011_overlap(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t m1, m2;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	m1 = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	m2 = sc_map(&sc, DEV, BUF + 64, BUS + 0x1000, 128, COH_DIR_BIDIRECTIONAL);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC011, 0);
	sc_check(f, COH_DC011, COH_R_OVERLAP, m2, DEV, BUF + 64, 64);
	assert_int_equal(f->bus, BUS + 0x1000);
	assert_int_equal(f->other_seq, m1);
	sc_fini(&sc);

	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	sc_map(&sc, DEV, BUF + 64, BUS + 0x1000, 128, COH_DIR_TO_DEVICE);
	sc_dev_read(&sc, DEV, BUS, 128);
	sc_dev_read(&sc, DEV, BUS + 0x1000, 128);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_TO_DEVICE);
	sc_unmap(&sc, DEV, BUS + 0x1000, 128, COH_DIR_TO_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

static void dc011_flush_ex_range(void **state)
{
	static const struct coh_seg chain[2] = {
		{ BUF, COH_ADDR_NONE, 32 }, { BUF + 0x1000, COH_ADDR_NONE, 32 },
	};
	struct scen sc;
	const struct coh_finding *f;
	uint64_t fl;

	(void)state;
	sc_init(&sc, "nt-v3", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, chain, 2, 0, 64, 0x5000, 5, 0);
	sc_dev_write(&sc, DEV, BUF, 32, dev_data);
	sc_dev_write(&sc, DEV, BUF + 0x1000, 32, dev_data);
	fl = sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, chain, 2, 48, 32, 0x5000, 0, 0);
	assert_int_equal(coh_sim_last_result(sc.s), COH_STATUS_INVALID_PARAMETER);
	assert_int_equal(sc_count(&sc, COH_DC011, 0), 1);
	f = sc_find(&sc, COH_DC011, 0);
	assert_int_equal(f->rule, COH_R_EX_RANGE);
	assert_int_equal(f->seq, fl);
	assert_int_equal(f->dev, DEV);
	sc_fini(&sc);

	sc_init(&sc, "nt-v3", 1);
	sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, chain, 2, 0, 64, 0x5000, 5, 0);
	sc_dev_write(&sc, DEV, BUF, 32, dev_data);
	sc_dev_write(&sc, DEV, BUF + 0x1000, 32, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, chain, 2, 0, 64, 0x5000, 0, 0);
	assert_int_equal(coh_sim_last_result(sc.s), COH_STATUS_SUCCESS);
	sc_irp_complete(&sc, 5, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x5000);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* Checked per byte: only the part of the access outside the mapping. */
static void dc011_dev_unmapped(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t d, d2;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 64, COH_DIR_FROM_DEVICE);
	d = sc_dev_write(&sc, DEV, BUS + 32, 64, dev_data);
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC011, 0);
	assert_int_equal(f->rule, COH_R_DEV_UNMAPPED);
	assert_int_equal(f->seq, d);
	assert_int_equal(f->dev, DEV);
	assert_int_equal(f->bus, BUS + 64);
	assert_int_equal(f->len, 32);
	assert_int_equal(sc_mem_ver(&sc, BUF + 32), d + 1);  /* the inside part landed */
	/* after the unmap, the whole access is outside */
	sc_unmap(&sc, DEV, BUS, 64, COH_DIR_FROM_DEVICE);
	d2 = sc_dev_read(&sc, DEV, BUS, 16);
	f = sc_find(&sc, COH_DC011, 1);
	assert_int_equal(f->rule, COH_R_DEV_UNMAPPED);
	assert_int_equal(f->seq, d2);
	assert_int_equal(f->bus, BUS);
	assert_int_equal(f->len, 16);
	sc_fini(&sc);
}

/* An unmap or sync of an address never seen: the mapping was made before the
 * trace began, information, not DC011. */
static void dc011_pre_trace(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t u;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	u = sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_sync_cpu(&sc, DEV, BUS + 0x2000, 64, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_count(&sc, COH_PRETRACE, 0), 2);
	f = sc_find(&sc, COH_PRETRACE, 0);
	assert_int_equal(f->rule, COH_R_PRETRACE);
	assert_int_equal(f->seq, u);
	assert_int_equal(f->bus, BUS);
	assert_true(f->flags & COH_FF_INFO);
	assert_false(coh_fid_is_error(f->id));
	sc_fini(&sc);
}

/* ---- DC012 leaked-mapping ------------------------------------------------- */

static void dc012_seq_scope(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, end;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_begin(&sc, COH_SCOPE_SEQ, "s1");
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);          /* names the device */
	end = sc_end(&sc, COH_SCOPE_SEQ, "s1");
	assert_int_equal(sc_errors(&sc), 1);
	f = sc_find(&sc, COH_DC012, 0);
	sc_check(f, COH_DC012, COH_R_LEAK, mp, DEV, BUF, 128);   /* at the map call */
	assert_int_equal(f->bus, BUS);
	assert_int_equal(f->omitted, COH_EV_DMA_UNMAP);
	assert_int_equal(f->other_seq, end);
	/* reported once: the trace's end does not repeat it */
	sc_trace_end(&sc);
	assert_int_equal(sc_count(&sc, COH_DC012, 0), 1);
	sc_fini(&sc);

	sc_init(&sc, "arm-noncoherent", 1);
	sc_begin(&sc, COH_SCOPE_SEQ, "s1");
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_end(&sc, COH_SCOPE_SEQ, "s1");
	sc_trace_end(&sc);
	assert_int_equal(sc_errors(&sc), 0);
	sc_fini(&sc);
}

/* A sequence leaks only what it made, for devices its own markers named. */
static void dc012_seq_scope_limits(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 2);
	sc_map(&sc, 0, BUF, BUS, 64, COH_DIR_FROM_DEVICE);          /* made before it */
	sc_begin(&sc, COH_SCOPE_SEQ, "s1");
	sc_map(&sc, 1, BUF + 0x1000, BUS + 0x1000, 64, COH_DIR_FROM_DEVICE);   /* dev1 unnamed */
	sc_dev_write(&sc, 0, BUS, 64, dev_data);
	sc_end(&sc, COH_SCOPE_SEQ, "s1");
	assert_int_equal(sc_count(&sc, COH_DC012, 0), 0);
	sc_fini(&sc);
}

static void dc012_trace_end(void **state)
{
	static const struct coh_seg mdl = { BUF + 0x2000, COH_ADDR_NONE, 64 };
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, mt, te;

	(void)state;
	sc_init(&sc, "nt-v3", 1);
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_TO_DEVICE);
	mt = sc_win(&sc, COH_EV_MAP_TRANSFER_EX, DEV, &mdl, 1, 0, 64, 0x6000, 8, 0);
	sc_dev_write(&sc, DEV, BUF + 0x2000, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, DEV, &mdl, 1, 0, 64, 0x6000, 0, 0);
	sc_irp_complete(&sc, 8, COH_STATUS_SUCCESS);          /* registers never freed */
	te = sc_trace_end(&sc);
	assert_int_equal(sc_errors(&sc), 2);
	f = sc_find(&sc, COH_DC012, 0);
	sc_check(f, COH_DC012, COH_R_LEAK, mp, DEV, BUF, 128);
	assert_int_equal(f->omitted, COH_EV_DMA_UNMAP);
	assert_int_equal(f->other_seq, te);
	f = sc_find(&sc, COH_DC012, 1);
	sc_check(f, COH_DC012, COH_R_LEAK, mt, DEV, BUF + 0x2000, 64);
	assert_int_equal(f->omitted, COH_EV_FREE_MAP_REGS);
	sc_fini(&sc);
}

/* Coherent and page allocations never leak; phases are no scope; a capture
 * that simply ends leaks nothing. */
static void dc012_never_leaks(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_alloc_coherent(&sc, DEV, BUF, 4096);
	sc_linux(&sc, COH_EV_DMA_ALLOC_PAGES, DEV, BUF + 0x1000, BUS + 0x1000, 4096,
		 COH_DIR_BIDIRECTIONAL, 0);
	sc_trace_end(&sc);
	assert_int_equal(coh_sim_nfindings(sc.s), 0);
	sc_fini(&sc);

	sc_init(&sc, "arm-noncoherent", 1);
	sc_begin(&sc, COH_SCOPE_PHASE, "rx");
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_end(&sc, COH_SCOPE_PHASE, "rx");
	assert_int_equal(coh_sim_nfindings(sc.s), 0);
	assert_int_equal(coh_sim_nmappings(sc.s), 1);
	sc_fini(&sc);
}

/* ---- DC013 redundant-maintenance (information) ----------------------------- */

static void dc013_coherent(void **state)
{
	struct scen sc;
	const struct coh_finding *f;
	uint64_t mp, s;

	(void)state;
	sc_init(&sc, "x86", 1);
	mp = sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	s = sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_unmap(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(coh_sim_nfindings(sc.s), 1);       /* never at map or unmap */
	f = sc_find(&sc, COH_DC013, 0);
	sc_check(f, COH_DC013, COH_R_REDUNDANT_COHERENT, s, DEV, BUF, 128);
	assert_true(f->flags & COH_FF_INFO);
	assert_int_equal(f->other_seq, mp);
	assert_false(coh_fid_is_error(COH_DC013));
	sc_fini(&sc);
}

static void dc013_repeat(void **state)
{
	struct scen sc;
	uint64_t s2;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	s2 = sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	assert_int_equal(sc_errors(&sc), 0);
	assert_int_equal(sc_count(&sc, COH_DC013, 0), 1);
	sc_check(sc_find(&sc, COH_DC013, 0), COH_DC013, COH_R_REDUNDANT_REPEAT, s2, DEV, BUF, 128);
	sc_fini(&sc);

	/* an access in between makes the second sync needed */
	sc_init(&sc, "arm-noncoherent", 1);
	sc_map(&sc, DEV, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_cpu_read(&sc, 0, BUF, 128);
	sc_sync_dev(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_dev_write(&sc, DEV, BUS, 128, dev_data);
	sc_sync_cpu(&sc, DEV, BUS, 128, COH_DIR_FROM_DEVICE);
	assert_int_equal(coh_sim_nfindings(sc.s), 0);
	sc_fini(&sc);
}

static void dc013_ke_flush(void **state)
{
	struct scen sc;
	uint64_t k;

	(void)state;
	/* a v3 adapter needs no KeFlushIoBuffers before MapTransferEx, which
	 * does that maintenance: DC013 at the transfer, naming the flush ... */
	for (int ex = 0; ex < 2; ex++) {
		static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
		const struct coh_finding *f;
		uint64_t mt;

		sc_init(&sc, "nt-v3", 1);
		k = sc_ke_flush(&sc, DEV, BUF, 64, 1);
		assert_int_equal(coh_sim_nfindings(sc.s), 0);  /* not yet: which transfer? */
		mt = sc_win(&sc, ex ? COH_EV_MAP_TRANSFER_EX : COH_EV_MAP_TRANSFER, DEV, &mdl, 1,
			    0, 64, 0x1000, 7, 0);
		if (ex) {
			f = sc_find(&sc, COH_DC013, 0);
			sc_check(f, COH_DC013, COH_R_REDUNDANT_V3, mt, DEV, BUF, 64);
			assert_int_equal(f->other_seq, k);
		} else {
			/* ... but before MapTransfer (a version 2 call) it is owed */
			assert_int_equal(coh_sim_nfindings(sc.s), 0);
		}
		assert_int_equal(sc_errors(&sc), 0);
		sc_fini(&sc);
	}

	/* uncached memory (a common buffer with CacheEnabled=FALSE) */
	sc_init(&sc, "nt-busmaster", 1);
	sc_common(&sc, DEV, BUF, 4096, 0);
	k = sc_ke_flush(&sc, DEV, BUF, 64, 1);
	sc_check(sc_find(&sc, COH_DC013, 0), COH_DC013, COH_R_REDUNDANT_UNCACHED, k, DEV, BUF, 64);
	sc_fini(&sc);

	/* repeated with no access in between; needed once an access came */
	sc_init(&sc, "nt-busmaster", 1);
	sc_ke_flush(&sc, DEV, BUF, 64, 1);
	k = sc_ke_flush(&sc, DEV, BUF, 64, 1);
	sc_cpu_read(&sc, 0, BUF, 64);
	sc_ke_flush(&sc, DEV, BUF, 64, 1);
	assert_int_equal(sc_count(&sc, COH_DC013, 0), 1);
	sc_check(sc_find(&sc, COH_DC013, 0), COH_DC013, COH_R_REDUNDANT_REPEAT, k, DEV, BUF, 64);
	sc_fini(&sc);

	/* the one that is owed: a cached common buffer on a noncoherent v2 device */
	sc_init(&sc, "nt-busmaster", 1);
	sc_common(&sc, DEV, BUF, 4096, 1);
	sc_ke_flush(&sc, DEV, BUF, 64, 1);
	assert_int_equal(coh_sim_nfindings(sc.s), 0);
	sc_fini(&sc);
}

/* Map, unmap, FlushAdapterBuffers and PutScatterGatherList are never DC013,
 * even on a coherent platform. */
static void dc013_never_on_transfer_calls(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	static const struct coh_seg sgl = { BUF + 0x1000, BUS + 0x1000, 64 };
	struct scen sc;

	(void)state;
	sc_init(&sc, "x86", 1);
	sc_map(&sc, DEV, BUF + 0x2000, BUS + 0x2000, 64, COH_DIR_TO_DEVICE);
	sc_unmap(&sc, DEV, BUS + 0x2000, 64, COH_DIR_TO_DEVICE);
	sc_win(&sc, COH_EV_MAP_TRANSFER, DEV, &mdl, 1, 0, 64, 0x7000, 1, 0);
	sc_dev_write(&sc, DEV, BUF, 64, dev_data);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, DEV, &mdl, 1, 0, 64, 0x7000, 0, 0);
	sc_irp_complete(&sc, 1, COH_STATUS_SUCCESS);
	sc_free_map_regs(&sc, DEV, 0x7000);
	sc_win(&sc, COH_EV_GET_SG, DEV, &sgl, 1, 0, 64, 0x8000, 2, 0);
	sc_dev_write(&sc, DEV, BUS + 0x1000, 64, dev_data);
	sc_simple(&sc, COH_EV_PUT_SG, DEV, 0x8000, 0, 0);
	sc_irp_complete(&sc, 2, COH_STATUS_SUCCESS);
	assert_int_equal(coh_sim_nfindings(sc.s), 0);
	sc_fini(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dc011_unmap_size),
		cmocka_unit_test(dc011_sync_range),
		cmocka_unit_test(dc011_sg_nents),
		cmocka_unit_test(dc011_coherent_sync),
		cmocka_unit_test(dc011_double_unmap),
		cmocka_unit_test(dc011_free_size),
		cmocka_unit_test(dc011_overlap),
		cmocka_unit_test(dc011_flush_ex_range),
		cmocka_unit_test(dc011_dev_unmapped),
		cmocka_unit_test(dc011_pre_trace),
		cmocka_unit_test(dc012_seq_scope),
		cmocka_unit_test(dc012_seq_scope_limits),
		cmocka_unit_test(dc012_trace_end),
		cmocka_unit_test(dc012_never_leaks),
		cmocka_unit_test(dc013_coherent),
		cmocka_unit_test(dc013_repeat),
		cmocka_unit_test(dc013_ke_flush),
		cmocka_unit_test(dc013_never_on_transfer_calls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
