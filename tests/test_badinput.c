/* SPDX-License-Identifier: MIT */
/*
 * test_badinput.c - every engine entry point given bad input returns an
 * error code with a message and changes nothing; API misuse inside a trace
 * is a finding, not an error.  Random events are in test_badinput_fuzz.c.
 */
#include <limits.h>

#include "coh_timeline.h"
#include "scen.h"



#define BUF   0x100000ull
#define BUS   0x80000000ull
#define TOPB  0xffffffffffffff00ull

static const uint8_t bytes[4096];

/* ---- platforms ------------------------------------------------------------ */

typedef void (*plat_edit)(struct coh_platform *p);

static void p_line48(struct coh_platform *p) { p->line = 48; }
static void p_line8(struct coh_platform *p) { p->line = 8; }
static void p_line512(struct coh_platform *p) { p->line = 512; }
static void p_ways0(struct coh_platform *p) { p->ways = 0; }
static void p_ways33(struct coh_platform *p) { p->ways = 33; }
static void p_sets3(struct coh_platform *p) { p->sets = 3; }
static void p_sets0(struct coh_platform *p) { p->sets = 0; }
static void p_too_big(struct coh_platform *p) { p->sets = 4096; p->ways = 32; p->line = 256; }
static void p_cpus0(struct coh_platform *p) { p->ncpus = 0; }
static void p_cpus9(struct coh_platform *p) { p->ncpus = 9; }
static void p_spec2(struct coh_platform *p) { p->speculative = 2; }
static void p_align(struct coh_platform *p) { p->dma_align = 100; }
static void p_dup(struct coh_platform *p) { memcpy(p->devs[1].name, "a", 2); }
static void p_noname(struct coh_platform *p) { p->devs[1].name[0] = 0; }
static void p_chunk12(struct coh_platform *p) { p->devs[0].ctrl_chunk = 12; }
static void p_chunk4(struct coh_platform *p) { p->devs[0].ctrl_chunk = 4; }
static void p_ctrl_huge(struct coh_platform *p) { p->devs[0].ctrl_size = 1u << 20; }
static void p_posted_huge(struct coh_platform *p) { p->devs[1].posted = 1u << 20; }
static void p_ver0(struct coh_platform *p) { p->devs[0].dma_version = 0; }
static void p_ver4(struct coh_platform *p) { p->devs[1].dma_version = 4; }
static void p_coh2(struct coh_platform *p) { p->devs[0].coherent = 2; }
static void p_default_bad(struct coh_platform *p) { p->dev_default.dma_version = 9; }
static void p_ndevs(struct coh_platform *p) { p->ndevs = COH_MAX_DEVS + 1; }

static void bad_platforms(void **state)
{
	static const plat_edit edits[] = {
		p_line48, p_line8, p_line512, p_ways0, p_ways33, p_sets3, p_sets0, p_too_big,
		p_cpus0, p_cpus9, p_spec2, p_align, p_dup, p_noname, p_chunk12, p_chunk4,
		p_ctrl_huge, p_posted_huge, p_ver0, p_ver4, p_coh2, p_default_bad, p_ndevs,
	};
	struct coh_platform p, good;
	char msg[160];

	(void)state;
	assert_int_equal(coh_platform_preset("nt-slave-dma", &good), 0);
	assert_int_equal(coh_platform_add_dev(&good, "a"), 0);
	assert_int_equal(coh_platform_add_dev(&good, "b"), 1);
	assert_int_equal(coh_platform_check(&good, msg, sizeof(msg)), 0);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		int err = 0;

		p = good;
		edits[i](&p);
		msg[0] = 0;
		assert_int_equal(coh_platform_check(&p, msg, sizeof(msg)), -COH_E_PLATFORM);
		assert_true(strlen(msg) > 0);
		assert_null(coh_sim_new(&p, 0, &err));
		assert_int_equal(err, -COH_E_PLATFORM);
		assert_null(coh_sim_new(&p, 0, NULL));           /* no err pointer: fine */
	}
	assert_int_equal(coh_platform_check(NULL, msg, sizeof(msg)), -COH_E_PLATFORM);
	assert_int_equal(coh_platform_check(&p, NULL, 0), -COH_E_PLATFORM);
}

static void bad_presets_and_devices(void **state)
{
	struct coh_platform p;
	const char *name;
	char dev[16];
	int err;

	(void)state;
	assert_int_equal(coh_platform_preset("no-such-preset", &p), -COH_E_INVAL);
	assert_int_equal(coh_platform_preset(NULL, &p), -COH_E_INVAL);
	assert_null(coh_platform_preset_at(1000, NULL));
	for (unsigned i = 0; (name = coh_platform_preset_at(i, NULL)) != NULL; i++) {
		assert_int_equal(coh_platform_preset(name, &p), 0);
		assert_int_equal(coh_platform_check(&p, NULL, 0), 0);
	}
	assert_int_equal(coh_platform_add_dev(&p, ""), -COH_E_INVAL);
	assert_int_equal(coh_platform_add_dev(&p, NULL), -COH_E_INVAL);
	for (unsigned i = 0; i < COH_MAX_DEVS; i++) {
		snprintf(dev, sizeof(dev), "d%u", i);
		assert_int_equal(coh_platform_add_dev(&p, dev), (int)i);
	}
	assert_int_equal(coh_platform_add_dev(&p, "one-more"), -COH_E_TOOBIG);
	assert_int_equal(coh_platform_add_dev(&p, "d7"), 7);     /* found, not added */
	assert_int_equal(p.ndevs, COH_MAX_DEVS);
	assert_int_equal(coh_platform_check(&p, NULL, 0), 0);
	/* bad simulation flags */
	err = 0;
	assert_null(coh_sim_new(&p, 1u << 5, &err));
	assert_int_equal(err, -COH_E_INVAL);
	err = 0;
	assert_null(coh_sim_new(NULL, 0, &err));
	assert_int_equal(err, -COH_E_PLATFORM);
}

/* ---- events ---------------------------------------------------------------- */

/* A simulation with something in it: mappings, a transfer, dirty lines,
 * findings.  Two CPUs and two devices. */
static void busy(struct scen *sc)
{
	static const struct coh_seg mdl = { BUF + 0x1000, COH_ADDR_NONE, 64 };

	sc_setup(sc, "nt-busmaster", 2);
	sc->p.ncpus = 2;
	sc_start(sc, 0);
	sc_cpu_write(sc, 0, BUF, 64, NULL);
	sc_map(sc, 0, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
	sc_cpu_read(sc, 1, BUF, 16);                       /* DC006 */
	sc_win(sc, COH_EV_MAP_TRANSFER, 1, &mdl, 1, 0, 64, 0x1000, 1, 0);
	sc_dev_write(sc, 1, BUF + 0x1000, 40, NULL);
	assert_true(coh_sim_nfindings(sc->s) > 0);
}

struct bad {
	const char *what;
	int err;                     /* -COH_E_* expected */
	struct coh_event ev;
};

static struct coh_event ev_of(unsigned kind, uint64_t addr, uint64_t len)
{
	struct coh_event ev = sc_ev(kind);

	ev.addr = addr;
	ev.len = len;
	ev.bus = addr;
	ev.dir = COH_DIR_TO_DEVICE;
	return ev;
}

static const struct coh_seg seg_ok = { BUF, BUS, 64 };
static const struct coh_seg seg_zero = { BUF, BUS, 0 };
static const struct coh_seg seg_over = { 0xfffffffffffffff0ull, BUS, 64 };
static const struct coh_seg seg_nophys = { COH_ADDR_NONE, BUS, 64 };

/* Field editors, so each bad event reads as one line. */
static struct coh_event w_cpu(struct coh_event ev, unsigned v) { ev.cpu = (uint16_t)v; return ev; }
static struct coh_event w_dev(struct coh_event ev, unsigned v) { ev.dev = (uint16_t)v; return ev; }
static struct coh_event w_flags(struct coh_event ev, uint32_t v) { ev.flags = v; return ev; }
static struct coh_event w_dir(struct coh_event ev, unsigned v) { ev.dir = (uint8_t)v; return ev; }
static struct coh_event w_addr(struct coh_event ev, uint64_t v) { ev.addr = v; return ev; }
static struct coh_event w_bus(struct coh_event ev, uint64_t v) { ev.bus = v; return ev; }
static struct coh_event w_off(struct coh_event ev, uint64_t v) { ev.off = v; return ev; }
static struct coh_event w_scope(struct coh_event ev, unsigned v)
{
	ev.scope = (uint8_t)v;
	return ev;
}
static struct coh_event w_data(struct coh_event ev) { ev.data = bytes; return ev; }

static struct coh_event w_segs(struct coh_event ev, const struct coh_seg *segs, uint32_t n)
{
	ev.segs = segs;
	ev.nsegs = n;
	return ev;
}

static size_t bad_events(struct bad *b)
{
	const uint64_t big = (256ull << 20) + 1;            /* over the size limit */
	size_t n = 0;

#define BAD(w, e, expr) do { b[n].what = (w); b[n].err = (e); b[n].ev = (expr); n++; } while (0)
	BAD("cpu_read of length 0", -COH_E_RANGE, ev_of(COH_EV_CPU_READ, BUF, 0));
	BAD("cpu_write of length 0", -COH_E_RANGE, ev_of(COH_EV_CPU_WRITE, BUF, 0));
	BAD("dev_write of length 0", -COH_E_RANGE, ev_of(COH_EV_DEV_WRITE, BUS, 0));
	BAD("evict of length 0", -COH_E_RANGE, ev_of(COH_EV_EVICT, BUF, 0));
	BAD("cpu_read past 2^64", -COH_E_RANGE, ev_of(COH_EV_CPU_READ, TOPB, 0x101));
	BAD("cpu_write past 2^64", -COH_E_RANGE, ev_of(COH_EV_CPU_WRITE, TOPB + 0xf8, 9));
	BAD("dev_read past 2^64", -COH_E_RANGE, ev_of(COH_EV_DEV_READ, TOPB, 0x200));
	BAD("spec_fill past 2^64", -COH_E_RANGE, ev_of(COH_EV_SPEC_FILL, TOPB, UINT64_MAX));
	BAD("cpu_write over 256 MiB", -COH_E_TOOBIG, ev_of(COH_EV_CPU_WRITE, 0, big));
	BAD("dma_map past 2^64", -COH_E_RANGE, ev_of(COH_EV_DMA_MAP, TOPB, 0x101));
	BAD("dma_map of length 0", -COH_E_RANGE, ev_of(COH_EV_DMA_MAP, BUF, 0));
	BAD("AllocateCommonBuffer of length 0", -COH_E_RANGE, ev_of(COH_EV_ALLOC_COMMON, BUF, 0));
	BAD("unknown kind", -COH_E_KIND, ev_of(COH_EV_COUNT, BUF, 8));
	BAD("unknown kind 0x7fff", -COH_E_KIND, ev_of(0x7fff, BUF, 8));
	BAD("kind NONE", -COH_E_KIND, ev_of(COH_EV_NONE, BUF, 8));
	BAD("CPU 2 of 2", -COH_E_CPU, w_cpu(ev_of(COH_EV_CPU_READ, BUF, 4), 2));
	BAD("CPU 65535 writes", -COH_E_CPU, w_cpu(ev_of(COH_EV_CPU_WRITE, BUF, 4), 65535));
	BAD("device 2 of 2 reads", -COH_E_DEV, w_dev(ev_of(COH_EV_DEV_READ, BUS, 4), 2));
	BAD("device 9 maps", -COH_E_DEV, w_dev(ev_of(COH_EV_DMA_MAP, BUF, 64), 9));
	BAD("device 300 flushes", -COH_E_DEV,
	    w_dev(w_segs(ev_of(COH_EV_KE_FLUSH, BUF, 64), &seg_ok, 1), 300));
	BAD("unknown flag on a read", -COH_E_INVAL,
	    w_flags(ev_of(COH_EV_CPU_READ, BUF, 4), 1u << 8));
	BAD("unknown flags on a map", -COH_E_INVAL,
	    w_flags(ev_of(COH_EV_DMA_MAP, BUF, 64), 0xffffffffu));
	BAD("direction NONE", -COH_E_INVAL, w_dir(ev_of(COH_EV_DMA_MAP, BUF, 64), COH_DIR_NONE));
	BAD("direction 200", -COH_E_INVAL, w_dir(ev_of(COH_EV_DMA_UNMAP, BUF, 64), 200));
	BAD("map with no physical address", -COH_E_INVAL,
	    w_addr(ev_of(COH_EV_DMA_MAP, BUF, 64), COH_ADDR_NONE));
	BAD("map with no DMA address", -COH_E_RANGE,
	    w_bus(ev_of(COH_EV_DMA_MAP, BUF, 64), COH_ADDR_NONE));
	BAD("map_sg with no segments", -COH_E_INVAL,
	    w_segs(ev_of(COH_EV_DMA_MAP_SG, 0, 0), &seg_ok, 0));
	BAD("map_sg with NULL segments", -COH_E_INVAL,
	    w_segs(ev_of(COH_EV_DMA_MAP_SG, 0, 0), NULL, 3));
	BAD("map_sg segment of length 0", -COH_E_RANGE,
	    w_segs(ev_of(COH_EV_DMA_MAP_SG, 0, 0), &seg_zero, 1));
	BAD("map_sg segment past 2^64", -COH_E_RANGE,
	    w_segs(ev_of(COH_EV_DMA_MAP_SG, 0, 0), &seg_over, 1));
	BAD("unmap_sg with NULL segments", -COH_E_INVAL,
	    w_segs(ev_of(COH_EV_DMA_UNMAP_SG, 0, 0), NULL, 1));
	BAD("sync_sg with no segments", -COH_E_INVAL,
	    w_segs(ev_of(COH_EV_DMA_SYNC_SG_CPU, 0, 0), &seg_ok, 0));
	BAD("KeFlushIoBuffers with no MDL", -COH_E_INVAL,
	    w_flags(ev_of(COH_EV_KE_FLUSH, 0, 0), COH_F_DMA_OP));
	BAD("MapTransfer with no MDL", -COH_E_INVAL, ev_of(COH_EV_MAP_TRANSFER, 0, 64));
	BAD("GetScatterGatherList MDL without address", -COH_E_INVAL,
	    w_segs(ev_of(COH_EV_GET_SG, 0, 64), &seg_nophys, 1));
	BAD("FlushAdapterBuffers offset over 2^32", -COH_E_RANGE,
	    w_off(w_segs(ev_of(COH_EV_FLUSH_ADAPTER, 0, 64), &seg_ok, 1), 1ull << 40));
	BAD("FreeCommonBuffer with no address", -COH_E_INVAL,
	    w_bus(ev_of(COH_EV_FREE_COMMON, COH_ADDR_NONE, 64), COH_ADDR_NONE));
	BAD("scope 7", -COH_E_INVAL, w_scope(ev_of(COH_EV_SCOPE_BEGIN, 0, 0), 7));
	BAD("data of over 2^32 bytes", -COH_E_TOOBIG,
	    w_data(ev_of(COH_EV_CPU_WRITE, 0, big + 7)));
#undef BAD
	return n;
}

/* Each bad event: its error, a message, nothing changed; then the simulation
 * still works. */
static void bad_events_change_nothing(void **state)
{
	struct bad b[64];
	size_t n = bad_events(b);
	struct scen sc;

	(void)state;
	busy(&sc);
	for (size_t i = 0; i < n; i++) {
		uint64_t h = coh_sim_hash(sc.s), pos = coh_sim_pos(sc.s);
		size_t nf = coh_sim_nfindings(sc.s);
		int err = sc_try(&sc, &b[i].ev);

		if (err != b[i].err)
			fail_msg("%s: got %d, expected %d", b[i].what, err, b[i].err);
		assert_true(strlen(coh_sim_errmsg(sc.s)) > 0);
		assert_true(strlen(coh_strerror(err)) > 0);
		assert_int_equal(coh_sim_pos(sc.s), pos);
		assert_int_equal(coh_sim_hash(sc.s), h);
		assert_int_equal(coh_sim_nfindings(sc.s), nf);
		/* the same check without a simulation */
		assert_int_equal(coh_event_check(&b[i].ev, &sc.p, NULL, 0), b[i].err);
	}
	assert_int_equal(coh_sim_apply(sc.s, NULL), -COH_E_INVAL);
	assert_true(strlen(coh_sim_errmsg(sc.s)) > 0);
	/* still alive: a good event applies and clears the message */
	sc_unmap(&sc, 0, BUS, 128, COH_DIR_FROM_DEVICE);
	assert_string_equal(coh_sim_errmsg(sc.s), "");
	sc_fini(&sc);
}

/* Without data, a long access costs nothing special: it is fine. */
static void long_accesses_without_data(void **state)
{
	struct scen sc;
	uint64_t w;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	w = sc_cpu_write(&sc, 0, BUF, 1u << 20, NULL);
	assert_int_equal(sc_cpu_ver(&sc, 0, BUF + (1u << 20) - 1), w + 1);
	sc_map(&sc, 0, BUF, BUS, 1u << 16, COH_DIR_BIDIRECTIONAL);
	sc_dev_write(&sc, 0, BUS, 1u << 16, NULL);
	sc_dev_read(&sc, 0, BUS + (1u << 24), 256ull << 20);    /* outside: DC011 */
	assert_int_equal(sc_find(&sc, COH_DC011, 0)->len, 256ull << 20);
	sc_unmap(&sc, 0, BUS, 1u << 16, COH_DIR_BIDIRECTIONAL);
	sc_fini(&sc);
}

/* The last byte of the address space is an address like any other: a
 * one-byte access there is treated the same whatever path it takes. */
static void last_byte_consistent(void **state)
{
	struct coh_event ev = ev_of(COH_EV_CPU_READ, UINT64_MAX, 1);
	int r1, r2;
	struct scen one, two;

	(void)state;
	sc_init(&one, "x86", 0);
	sc_setup(&two, "x86", 0);
	two.p.ncpus = 2;
	sc_start(&two, 0);
	r1 = sc_try(&one, &ev);
	r2 = sc_try(&two, &ev);
	assert_int_equal(r1, r2);
	assert_int_equal(r1, 0);
	sc_fini(&one);
	sc_fini(&two);
}

/* dma_alloc_coherent, dma_free_coherent, dma_map_resource and
 * dma_unmap_resource name no segments, yet the engine reads ev->segs when
 * nsegs is set, without validating them: NULL segs crash it.  Either ignoring
 * them or rejecting the event is fine. */
static void segs_on_kinds_without_segs(void **state)
{
	static const unsigned kinds[] = {
		COH_EV_DMA_ALLOC, COH_EV_DMA_FREE, COH_EV_DMA_MAP_RES, COH_EV_DMA_UNMAP_RES,
	};
	struct scen sc;

	(void)state;
	busy(&sc);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct coh_event ev = ev_of(kinds[i], BUF + 0x4000, 64);
		uint64_t pos = coh_sim_pos(sc.s), h = coh_sim_hash(sc.s);
		int err;

		ev.dev = 0;
		ev.dir = COH_DIR_BIDIRECTIONAL;
		ev.nsegs = 2;                                /* and segs NULL */
		err = sc_try(&sc, &ev);
		assert_true(err == 0 || err == -COH_E_INVAL);
		if (err) {
			assert_true(strlen(coh_sim_errmsg(sc.s)) > 0);
			assert_int_equal(coh_sim_pos(sc.s), pos);
			assert_int_equal(coh_sim_hash(sc.s), h);
		}
	}
	sc_fini(&sc);
}

/* An inferred sync_for_device of a mapping whose ownership is not tracked
 * (dma_map_resource, a common buffer) reads its missing ownership array. */
static void inferred_sync_untracked(void **state)
{
	struct scen sc;

	(void)state;
	sc_init(&sc, "arm-noncoherent", 1);
	sc_linux(&sc, COH_EV_DMA_MAP_RES, 0, BUF, BUS, 4096, COH_DIR_BIDIRECTIONAL, 0);
	sc_linux(&sc, COH_EV_DMA_SYNC_DEV, 0, COH_ADDR_NONE, BUS, 64, COH_DIR_TO_DEVICE,
		 COH_F_INFER);
	sc_common(&sc, 0, BUF + 0x10000, 4096, 1);
	sc_linux(&sc, COH_EV_DMA_SYNC_DEV, 0, COH_ADDR_NONE, BUF + 0x10000, 64,
		 COH_DIR_TO_DEVICE, COH_F_INFER);
	assert_int_equal(coh_sim_pos(sc.s), 4);
	sc_fini(&sc);
}

/* ---- views ---------------------------------------------------------------- */

static void bad_views(void **state)
{
	struct coh_line_view lv;
	struct coh_map_view mv;
	struct coh_held_byte hb[4];
	uint8_t own[8], b[8];
	uint32_t v[8];
	unsigned set, way;
	struct scen sc;
	uint64_t h;
	int dir;

	(void)state;
	busy(&sc);
	h = coh_sim_hash(sc.s);
	assert_int_equal(coh_sim_cache_line(sc.s, 2, 0, 0, &lv, NULL, NULL, NULL), -COH_E_CPU);
	assert_int_equal(coh_sim_cache_line(sc.s, 999, 0, 0, &lv, NULL, NULL, NULL), -COH_E_CPU);
	assert_int_equal(coh_sim_cache_line(sc.s, 0, sc.p.sets, 0, &lv, NULL, NULL, NULL),
			 -COH_E_INVAL);
	assert_int_equal(coh_sim_cache_line(sc.s, 0, 0, sc.p.ways, &lv, NULL, NULL, NULL),
			 -COH_E_INVAL);
	assert_int_equal(coh_sim_cache_line(sc.s, 0, UINT_MAX, UINT_MAX, &lv, NULL, NULL, NULL),
			 -COH_E_INVAL);
	assert_int_equal(coh_sim_cache_lookup(sc.s, 2, BUF, &set, &way), -COH_E_CPU);
	assert_int_equal(coh_sim_mem_read(sc.s, TOPB, 0x101, b, v), -COH_E_RANGE);
	assert_int_equal(coh_sim_mem_read(sc.s, UINT64_MAX, 2, NULL, NULL), -COH_E_RANGE);
	assert_int_equal(coh_sim_mem_read(sc.s, UINT64_MAX, 1, b, v), 0);
	assert_int_equal(coh_sim_mem_read(sc.s, BUF, 0, NULL, NULL), 0);
	assert_int_equal(coh_sim_cpu_view(sc.s, 2, BUF, 8, b, v), -COH_E_CPU);
	assert_int_equal(coh_sim_cpu_view(sc.s, 0, TOPB, 0x101, b, v), -COH_E_RANGE);
	assert_int_equal(coh_sim_expected(sc.s, TOPB, 0x101, v, v), -COH_E_RANGE);
	assert_int_equal(coh_sim_ctrl_view(sc.s, 2, hb, 4, &dir), -COH_E_DEV);
	assert_int_equal(coh_sim_ctrl_view(sc.s, UINT_MAX, NULL, 0, NULL), -COH_E_DEV);
	assert_int_equal(coh_sim_posted_view(sc.s, 2, hb, 4), -COH_E_DEV);
	assert_int_equal(coh_sim_posted_view(sc.s, 1, hb, 4), 32);   /* more than max: count */
	assert_int_equal(coh_sim_mapping(sc.s, coh_sim_nmappings(sc.s), &mv, NULL, 0),
			 -COH_E_INVAL);
	assert_int_equal(coh_sim_mapping(sc.s, SIZE_MAX, &mv, NULL, 0), -COH_E_INVAL);
	assert_int_equal(coh_sim_mapping_owner(sc.s, 99, 0, 1, own), -COH_E_INVAL);
	assert_int_equal(coh_sim_mapping_owner(sc.s, 0, 125, 8, own), -COH_E_RANGE);
	assert_int_equal(coh_sim_mapping_owner(sc.s, 0, UINT64_MAX, 2, own), -COH_E_RANGE);
	assert_int_equal(coh_sim_mapping_owner(sc.s, 0, 120, 8, own), 0);
	assert_null(coh_sim_finding(sc.s, coh_sim_nfindings(sc.s)));
	assert_null(coh_sim_finding(sc.s, SIZE_MAX));
	assert_int_equal(coh_sim_hash(sc.s), h);               /* views change nothing */
	sc_fini(&sc);
}

/* Names and descriptions of anything out of range are placeholders. */
static void bad_names(void **state)
{
	static const int codes[] = { 0, 1, -1, COH_E_COUNT, -COH_E_COUNT, 999, -999, INT_MAX,
				     INT_MIN + 1,
				     INT_MIN,     /* -INT_MIN overflows: negative index */
				     };
	struct coh_event ev = ev_of(0x7fff, 0, 0);
	struct coh_finding f;
	char buf[8];

	(void)state;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		assert_non_null(coh_strerror(codes[i]));
		assert_true(strlen(coh_strerror(codes[i])) > 0);
	}
	assert_string_equal(coh_kind_name(9999), "?");
	assert_int_equal(coh_kind_group(9999), -1);
	assert_int_equal(coh_kind_lookup(NULL), -1);
	assert_int_equal(coh_kind_lookup("dma_mapx"), -1);
	assert_string_equal(coh_dir_name(9), "?");
	assert_int_equal(coh_dir_lookup(NULL), -1);
	assert_int_equal(coh_dir_lookup("SIDEWAYS"), -1);
	assert_string_equal(coh_scope_name(9), "?");
	assert_string_equal(coh_fid_code(999), "?");
	assert_string_equal(coh_fid_name(0), "?");
	assert_int_equal(coh_fid_lookup(NULL), COH_FID_NONE);
	assert_int_equal(coh_fid_lookup("DC099"), COH_FID_NONE);
	assert_false(coh_fid_is_error(999));
	assert_string_equal(coh_rule_text(999), "?");
	assert_true(coh_event_describe(NULL, NULL, buf, sizeof(buf)) > 0);
	assert_true(coh_event_describe(&ev, NULL, buf, sizeof(buf)) > 0);
	assert_true(strlen(buf) < sizeof(buf));
	ev = ev_of(COH_EV_MAP_TRANSFER, BUF, 64);
	ev.nsegs = 3;                                        /* and no segs */
	assert_true(coh_event_describe(&ev, NULL, NULL, 0) > 0);
	memset(&f, 0, sizeof(f));
	f.id = 999;
	f.rule = 999;
	f.dev = 77;
	f.nbytes = 999;
	assert_true(coh_finding_explain(&f, NULL, buf, sizeof(buf)) > 0);
	assert_true(coh_finding_explain(&f, NULL, NULL, 0) > 0);
}

/* ---- timelines ------------------------------------------------------------- */

static uint64_t count_fn(void *ctx)
{
	return *(uint64_t *)ctx;
}

static int failing_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	(void)ctx;
	if (i >= 5)
		return -COH_E_NOMEM;
	*ev = ev_of(COH_EV_CPU_READ, BUF + i * 8, 8);
	return 0;
}

static void bad_timelines(void **state)
{
	struct coh_platform p;
	struct coh_log *log = coh_log_new();
	struct coh_source src = coh_log_source(log), broken = { 0 };
	struct coh_timeline_opts o = { .sim_flags = 1u << 7 };
	struct coh_timeline *tl;
	struct coh_event ev;
	uint64_t ten = 10, h;
	int err;

	(void)state;
	coh_platform_preset("x86", &p);
	for (unsigned i = 0; i < 20; i++) {
		ev = ev_of(COH_EV_CPU_WRITE, BUF + i, 1);
		if (i == 12)
			ev.len = 0;                          /* the bad one */
		assert_int_equal(coh_log_append(log, &ev), 0);
	}
	ev = ev_of(0x7fff, 0, 0);
	assert_int_equal(coh_log_append(log, &ev), -COH_E_INVAL);
	assert_int_equal(coh_log_get(log, 20, &ev), -COH_E_SEEK);
	assert_int_equal(coh_log_get(log, UINT64_MAX, &ev), -COH_E_SEEK);

	err = 0;
	assert_null(coh_timeline_new(&p, NULL, NULL, &err));
	assert_int_equal(err, -COH_E_INVAL);
	err = 0;
	assert_null(coh_timeline_new(&p, &broken, NULL, &err));
	assert_int_equal(err, -COH_E_INVAL);
	p.line = 48;
	err = 0;
	assert_null(coh_timeline_new(&p, &src, NULL, &err));
	assert_int_equal(err, -COH_E_PLATFORM);
	p.line = 64;
	err = 0;
	assert_null(coh_timeline_new(&p, &src, &o, &err));
	assert_int_equal(err, -COH_E_INVAL);

	tl = coh_timeline_new(&p, &src, NULL, &err);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, 5), 0);
	h = coh_sim_hash(coh_timeline_sim(tl));
	assert_int_equal(coh_timeline_seek(tl, 21), -COH_E_SEEK);
	assert_true(strlen(coh_timeline_errmsg(tl)) > 0);
	assert_int_equal(coh_timeline_pos(tl), 5);
	assert_int_equal(coh_sim_hash(coh_timeline_sim(tl)), h);
	assert_int_equal(coh_timeline_seek(tl, UINT64_MAX), -COH_E_SEEK);
	/* the bad event stops the replay before it, with its message */
	assert_int_equal(coh_timeline_seek(tl, 20), -COH_E_RANGE);
	assert_int_equal(coh_timeline_pos(tl), 12);
	assert_true(strlen(coh_timeline_errmsg(tl)) > 0);
	assert_int_equal(coh_timeline_seek(tl, 3), 0);
	assert_string_equal(coh_timeline_errmsg(tl), "");
	assert_int_equal(coh_timeline_seek(tl, 12), 0);
	coh_timeline_free(tl);

	/* a source that fails */
	broken = (struct coh_source){ .ctx = &ten, .count = count_fn, .get = failing_get };
	tl = coh_timeline_new(&p, &broken, NULL, &err);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, 10), -COH_E_SOURCE);
	assert_int_equal(coh_timeline_pos(tl), 5);
	assert_true(strlen(coh_timeline_errmsg(tl)) > 0);
	coh_timeline_free(tl);
	coh_timeline_free(NULL);
	coh_sim_free(NULL);
	coh_log_free(log);
}

/* ---- misuse is a finding ---------------------------------------------------- */

static void misuse_is_a_finding(void **state)
{
	static const struct coh_seg mdl = { BUF, COH_ADDR_NONE, 64 };
	static const struct coh_seg sg = { BUF, COH_ADDR_NONE, 64 };
	struct scen sc;
	struct coh_event ev;

	(void)state;
	sc_init(&sc, "nt-v3", 1);
	sc_unmap(&sc, 0, BUS, 64, COH_DIR_TO_DEVICE);               /* never mapped */
	sc_sync_cpu(&sc, 0, BUS, 64, COH_DIR_TO_DEVICE);
	sc_sg(&sc, COH_EV_DMA_UNMAP_SG, 0, &sg, 1, 1, COH_DIR_TO_DEVICE, 0);
	sc_linux(&sc, COH_EV_DMA_FREE, 0, COH_ADDR_NONE, BUS, 64, COH_DIR_BIDIRECTIONAL, 0);
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER, 0, &mdl, 1, 0, 64, 0x1000, 0, 0);   /* no transfer */
	sc_flush(&sc, COH_EV_FLUSH_ADAPTER_EX, 0, &mdl, 1, 32, 64, 0x1000, 0, 0);
	sc_simple(&sc, COH_EV_PUT_SG, 0, 0x2000, 0, 0);
	sc_free_map_regs(&sc, 0, 0x3000);
	sc_simple(&sc, COH_EV_FREE_ADAPTER, 0, COH_ADDR_NONE, 0, 0);
	sc_irp_complete(&sc, 42, COH_STATUS_SUCCESS);
	sc_dev_done(&sc, 0, 0x4000);
	sc_end(&sc, COH_SCOPE_SEQ, "never begun");
	sc_dev_write(&sc, 0, BUS, 64, NULL);                        /* nothing mapped */
	ev = sc_ev(COH_EV_FREE_COMMON);
	ev.dev = 0;
	ev.addr = BUF;
	ev.len = 64;
	sc_apply(&sc, &ev);
	sc_trace_end(&sc);
	assert_int_equal(coh_sim_pos(sc.s), 15);
	assert_true(coh_sim_nfindings(sc.s) >= 3);
	assert_int_equal(sc_count(&sc, COH_PRETRACE, 0) >= 3, 1);
	assert_int_equal(sc_find(&sc, COH_DC011, 0)->rule, COH_R_EX_RANGE);
	sc_fini(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_platforms),
		cmocka_unit_test(bad_presets_and_devices),
		cmocka_unit_test(bad_events_change_nothing),
		cmocka_unit_test(long_accesses_without_data),
		cmocka_unit_test(last_byte_consistent),
		cmocka_unit_test(segs_on_kinds_without_segs),
		cmocka_unit_test(inferred_sync_untracked),
		cmocka_unit_test(bad_views),
		cmocka_unit_test(bad_names),
		cmocka_unit_test(bad_timelines),
		cmocka_unit_test(misuse_is_a_finding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
