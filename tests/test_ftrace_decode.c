/* SPDX-License-Identifier: MIT */
/*
 * test_ftrace_decode.c - the trace.dat decoder on formats no capture has:
 * event formats given inline (the `format:` text of tracefs, parsed by
 * libtraceevent's tep_parse_format) and records built byte by byte.
 * Covers 6.18's dma_map_phys/dma_unmap_phys (and DMA_ATTR_MMIO), a
 * dma_alloc without "dir", truncated scatter lists, dma_alloc_sgt, failed
 * calls, missing fields and records that lie about their sizes; then the
 * marker grammar and the packed segment lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ftrace/ftrace-local.h"

#define COMMON \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

/* 6.18: dma_map_phys / dma_unmap_phys replace dma_map_page / dma_unmap_page */
static const char fmt_map_phys[] =
	"name: dma_map_phys\nID: 400\nformat:\n" COMMON
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 phys_addr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 dma_addr;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t size;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:enum dma_data_direction dir;\toffset:40;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:48;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s dir=%d\", __get_str(device), REC->dir\n";

static const char fmt_unmap_phys[] =
	"name: dma_unmap_phys\nID: 401\nformat:\n" COMMON
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 addr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t size;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:enum dma_data_direction dir;\toffset:32;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:40;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s\", __get_str(device)\n";

/* an older dma_alloc: no "dir" */
static const char fmt_alloc_nodir[] =
	"name: dma_alloc\nID: 402\nformat:\n" COMMON
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:void * virt_addr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 dma_addr;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t size;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:gfp_t flags;\toffset:40;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:48;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s\", __get_str(device)\n";

static const char fmt_map_sg[] =
	"name: dma_map_sg\nID: 403\nformat:\n" COMMON
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:int full_nents;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:int full_ents;\toffset:16;\tsize:4;\tsigned:1;\n"
	"\tfield:bool truncated;\toffset:20;\tsize:1;\tsigned:0;\n"
	"\tfield:__data_loc u64[] phys_addrs;\toffset:24;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc u64[] dma_addrs;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc unsigned int[] lengths;\toffset:32;\tsize:4;\tsigned:0;\n"
	"\tfield:enum dma_data_direction dir;\toffset:36;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:40;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s\", __get_str(device)\n";

static const char fmt_alloc_sgt[] =
	"name: dma_alloc_sgt\nID: 404\nformat:\n" COMMON
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc u64[] phys_addrs;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 dma_addr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t size;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:enum dma_data_direction dir;\toffset:32;\tsize:4;\tsigned:0;\n"
	"\tfield:gfp_t flags;\toffset:36;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:40;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s\", __get_str(device)\n";

static const char fmt_map_sg_err[] =
	"name: dma_map_sg_err\nID: 405\nformat:\n" COMMON
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc u64[] phys_addrs;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:int err;\toffset:16;\tsize:4;\tsigned:1;\n"
	"\tfield:enum dma_data_direction dir;\toffset:20;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:24;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s\", __get_str(device)\n";

static const char fmt_print[] =
	"name: print\nID: 5\nformat:\n" COMMON
	"\tfield:unsigned long ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:char buf[];\toffset:16;\tsize:0;\tsigned:0;\n\n"
	"print fmt: \"%ps: %s\", (void *)REC->ip, REC->buf\n";

/* trace_printk() and trace_puts() from a driver */
static const char fmt_bprint[] =
	"name: bprint\nID: 6\nformat:\n" COMMON
	"\tfield:unsigned long ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * fmt;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 buf[];\toffset:24;\tsize:0;\tsigned:0;\n\n"
	"print fmt: \"%ps: %s\", (void *)REC->ip, REC->fmt\n";

static const char fmt_bputs[] =
	"name: bputs\nID: 14\nformat:\n" COMMON
	"\tfield:unsigned long ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * str;\toffset:16;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%ps: %s\", (void *)REC->ip, REC->str\n";

/* a dma_map_page that lost its dma_addr */
static const char fmt_map_broken[] =
	"name: dma_map_page\nID: 406\nformat:\n" COMMON
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 phys_addr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t size;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:enum dma_data_direction dir;\toffset:40;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"%s\", __get_str(device)\n";

/* ---- building a tep and records ------------------------------------------------------- */

static struct tep_handle *make_tep(const char *const *fmts, const char *const *systems, int n)
{
	struct tep_handle *tep = tep_alloc();

	assert_non_null(tep);
	tep_set_long_size(tep, 8);
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
	for (int i = 0; i < n; i++) {
		struct tep_event *ev;

		assert_int_equal(tep_parse_format(tep, &ev, fmts[i], strlen(fmts[i]), systems[i]), 0);
	}
	return tep;
}

static struct tep_handle *tep_all(void)
{
	static const char *const f[] = { fmt_map_phys, fmt_unmap_phys, fmt_alloc_nodir, fmt_map_sg,
					 fmt_alloc_sgt, fmt_map_sg_err, fmt_print };
	static const char *const s[] = { "dma", "dma", "dma", "dma", "dma", "dma", "ftrace" };

	return make_tep(f, s, 7);
}

/* A record under construction (little-endian, like the formats above). */
struct rec {
	unsigned char b[1024];
	uint32_t n;                  /* bytes used: fixed part, then dynamic data */
};

static void put(struct rec *r, uint32_t off, uint64_t v, int size)
{
	for (int i = 0; i < size; i++)
		r->b[off + (uint32_t)i] = (unsigned char)(v >> (8 * i));
}

/* A __data_loc field at @off pointing at @len bytes appended to the record. */
static void put_dyn(struct rec *r, uint32_t off, const void *data, uint32_t len)
{
	memcpy(r->b + r->n, data, len);
	put(r, off, (uint64_t)len << 16 | r->n, 4);
	r->n += len;
}

static void start(struct rec *r, uint16_t id, uint32_t fixed, const char *dev)
{
	memset(r, 0, sizeof(*r));
	r->n = fixed;
	put(r, 0, id, 2);
	if (dev)
		put_dyn(r, 8, dev, (uint32_t)strlen(dev) + 1);
}

static void decode(struct tep_handle *tep, const struct rec *r, struct fx_event *fe)
{
	struct fx_decoder d;
	char err[256];

	assert_int_equal(fx_decoder_init(&d, tep, err, sizeof(err)), 0);
	fx_decode(&d, r->b, r->n, fe);
	if (fe->cls == FXC_EVENT && fe->ev.nsegs) {
		static struct coh_seg keep[64];   /* segs borrow the decoder */

		assert_true(fe->ev.nsegs <= 64);
		memcpy(keep, fe->ev.segs, fe->ev.nsegs * sizeof(keep[0]));
		fe->ev.segs = keep;
	}
	if (fe->cls == FXC_PRINT) {
		static char text[512];            /* so may the text */

		assert_true(fe->textlen < sizeof(text));
		memcpy(text, fe->text, fe->textlen);
		fe->text = text;
	}
	fx_decoder_free(&d);
}

/* ---- calls ---------------------------------------------------------------------------- */

static void map_phys_618(void **state)
{
	struct tep_handle *tep = tep_all();
	struct fx_event fe;
	struct rec r;

	(void)state;
	start(&r, 400, 56, "0000:01:00.0");
	put(&r, 16, 0x12345000, 8);
	put(&r, 24, 0xfee00000, 8);
	put(&r, 32, 4096, 8);
	put(&r, 40, COH_DIR_FROM_DEVICE, 4);
	put(&r, 48, FX_ATTR_SKIP_CPU_SYNC, 8);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_EVENT);
	assert_int_equal(fe.ev.kind, COH_EV_DMA_MAP);
	assert_int_equal(fe.ev.addr, 0x12345000);
	assert_int_equal(fe.ev.bus, 0xfee00000);
	assert_int_equal(fe.ev.len, 4096);
	assert_int_equal(fe.ev.dir, COH_DIR_FROM_DEVICE);
	assert_int_equal(fe.ev.flags, COH_F_SKIP_CPU_SYNC);
	assert_int_equal(fe.devlen, 12);
	assert_memory_equal(fe.dev, "0000:01:00.0", 12);
	/* later kernels trace dma_map_resource as dma_map_phys with DMA_ATTR_MMIO */
	put(&r, 48, FX_ATTR_MMIO, 8);
	decode(tep, &r, &fe);
	assert_int_equal(fe.ev.kind, COH_EV_DMA_MAP_RES);
	assert_int_equal(fe.ev.flags, 0);
	tep_free(tep);
}

static void unmap_phys_618(void **state)
{
	struct tep_handle *tep = tep_all();
	struct fx_event fe;
	struct rec r;

	(void)state;
	start(&r, 401, 48, "dev");
	put(&r, 16, 0xfee00000, 8);
	put(&r, 24, 512, 8);
	put(&r, 32, COH_DIR_TO_DEVICE, 4);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_EVENT);
	assert_int_equal(fe.ev.kind, COH_EV_DMA_UNMAP);
	assert_int_equal(fe.ev.bus, 0xfee00000);
	assert_int_equal(fe.ev.len, 512);
	assert_int_equal(fe.ev.dir, COH_DIR_TO_DEVICE);
	tep_free(tep);
}

static void alloc_without_dir(void **state)
{
	struct tep_handle *tep = tep_all();
	struct fx_event fe;
	struct rec r;

	(void)state;
	start(&r, 402, 56, "dev");
	put(&r, 16, 0xffff888001000000ull, 8);
	put(&r, 24, 0x1000000, 8);
	put(&r, 32, 8192, 8);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_EVENT);
	assert_int_equal(fe.ev.kind, COH_EV_DMA_ALLOC);
	assert_int_equal(fe.ev.dir, COH_DIR_BIDIRECTIONAL);
	assert_int_equal(fe.ev.bus, 0x1000000);
	assert_int_equal(fe.ev.addr, 0x1000000);   /* no phys traced: dma_addr stands in */
	assert_int_equal(fe.ev.len, 8192);
	/* an allocation that returned NULL allocates nothing */
	put(&r, 16, 0, 8);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_ERR);
	tep_free(tep);
}

static void map_sg_truncated(void **state)
{
	struct tep_handle *tep = tep_all();
	uint64_t phys[3] = { 0x1000, 0x5000, 0x9000 }, dma[3] = { 0xa000, 0xb000, 0xc000 };
	uint32_t len[3] = { 4096, 4096, 100 };
	struct fx_event fe;
	struct rec r;

	(void)state;
	start(&r, 403, 48, "ahci");
	put(&r, 12, 200, 4);
	put(&r, 16, 200, 4);
	put(&r, 20, 1, 1);
	put_dyn(&r, 24, phys, sizeof(phys));
	put_dyn(&r, 28, dma, sizeof(dma));
	put_dyn(&r, 32, len, sizeof(len));
	put(&r, 36, COH_DIR_TO_DEVICE, 4);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_EVENT);
	assert_int_equal(fe.ev.kind, COH_EV_DMA_MAP_SG);
	assert_int_equal(fe.ev.nsegs, 3);
	assert_int_equal(fe.ev.nents, 200);
	assert_int_equal(fe.ev.flags, COH_F_TRUNCATED);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(fe.ev.segs[i].addr, phys[i]);
		assert_int_equal(fe.ev.segs[i].bus, dma[i]);
		assert_int_equal(fe.ev.segs[i].len, len[i]);
	}
	tep_free(tep);
}

static void alloc_sgt_segments(void **state)
{
	struct tep_handle *tep = tep_all();
	uint64_t phys[2] = { 0x40000, 0x80000 };
	struct fx_event fe;
	struct rec r;

	(void)state;
	start(&r, 404, 48, "uvc");
	put_dyn(&r, 12, phys, sizeof(phys));
	put(&r, 16, 0xd0000000, 8);
	put(&r, 24, 8192, 8);
	put(&r, 32, COH_DIR_FROM_DEVICE, 4);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_EVENT);
	assert_int_equal(fe.ev.kind, COH_EV_DMA_ALLOC_PAGES);
	assert_int_equal(fe.ev.nsegs, 2);
	assert_int_equal(fe.ev.segs[0].addr, 0x40000);
	assert_int_equal(fe.ev.segs[0].bus, 0xd0000000);
	assert_int_equal(fe.ev.segs[1].addr, 0x80000);
	assert_int_equal(fe.ev.segs[1].bus, 0xd0001000);
	assert_int_equal(fe.ev.segs[0].len + fe.ev.segs[1].len, 8192);
	tep_free(tep);
}

/* Markers from a driver: the text comes from the file's printk formats. */
static void driver_markers(void **state)
{
	static const char *const f[] = { fmt_bprint, fmt_bputs };
	static const char *const sy[] = { "ftrace", "ftrace" };
	struct tep_handle *tep = make_tep(f, sy, 2);
	struct fx_marker m;
	struct fx_event fe;
	struct rec r;

	(void)state;
	tep_register_print_string(tep, "\"cpu_read addr=0x%x len=%d\\n\"", 0xffffffffc0001000ull);
	tep_register_print_string(tep, "\"seq begin id=S99\\n\"", 0xffffffffc0002000ull);
	start(&r, 6, 32, NULL);
	put(&r, 16, 0xffffffffc0001000ull, 8);
	put(&r, 24, 0x1000, 4);
	put(&r, 28, 64, 4);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_PRINT);
	fx_marker_parse(fe.text, fe.textlen, &m);
	if (m.kind != COH_EV_CPU_READ)
		fail_msg("text '%.*s'", (int)fe.textlen, fe.text);
	assert_int_equal(m.addr, 0x1000);
	assert_int_equal(m.len, 64);
	start(&r, 14, 24, NULL);
	put(&r, 16, 0xffffffffc0002000ull, 8);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_PRINT);
	fx_marker_parse(fe.text, fe.textlen, &m);
	assert_int_equal(m.kind, COH_EV_SCOPE_BEGIN);
	assert_memory_equal(m.text, "S99", 3);
	tep_free(tep);
}

static void failed_and_print(void **state)
{
	struct tep_handle *tep = tep_all();
	const char line[] = "cpu_write addr=0x10 len=4\n";
	struct fx_event fe;
	struct rec r;

	(void)state;
	start(&r, 405, 32, "nvme");
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_ERR);
	start(&r, 5, 16, NULL);
	memcpy(r.b + 16, line, sizeof(line));
	r.n = 16 + sizeof(line);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_PRINT);
	assert_int_equal(fe.textlen, strlen(line));
	assert_memory_equal(fe.text, line, fe.textlen);
	tep_free(tep);
}

/* Records that lie: arrays and strings outside the record, a bad direction, no length. */
static void lying_records(void **state)
{
	struct tep_handle *tep = tep_all();
	struct fx_event fe;
	struct rec r;

	(void)state;
	start(&r, 403, 48, "x");
	put(&r, 24, 0xffff0010, 4);          /* 65535 bytes at offset 16 */
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_BAD);
	start(&r, 400, 56, "x");
	put(&r, 8, 0x00400100, 4);           /* device: 64 bytes at offset 256 */
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_BAD);
	start(&r, 400, 56, "x");
	put(&r, 32, 64, 8);
	put(&r, 40, 7, 4);                   /* no such direction */
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_BAD);
	assert_non_null(strstr(fe.why, "direction"));
	put(&r, 40, COH_DIR_NONE, 4);        /* DMA_NONE is no mapping */
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_BAD);
	put(&r, 40, COH_DIR_TO_DEVICE, 4);
	put(&r, 32, 0, 8);                   /* a mapping of no bytes */
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_BAD);
	r.n = 20;                            /* shorter than its format */
	put(&r, 8, 0, 4);
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_BAD);
	start(&r, 999, 16, NULL);            /* an id the file has no format for */
	decode(tep, &r, &fe);
	assert_int_equal(fe.cls, FXC_UNKNOWN);
	decode(tep, &(struct rec){ .n = 1 }, &fe);
	assert_int_equal(fe.cls, FXC_UNKNOWN);
	tep_free(tep);
}

static void missing_field(void **state)
{
	static const char *const f[] = { fmt_map_broken };
	static const char *const s[] = { "dma" };
	struct tep_handle *tep = make_tep(f, s, 1);
	struct fx_decoder d;
	char err[256];

	(void)state;
	assert_int_equal(fx_decoder_init(&d, tep, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "dma_map_page"));
	assert_non_null(strstr(err, "dma_addr"));
	fx_decoder_free(&d);
	tep_free(tep);
}

/* ---- markers ---------------------------------------------------------------------------- */

static void marker(const char *s, struct fx_marker *m)
{
	fx_marker_parse(s, strlen(s), m);
}

static void marker_grammar(void **state)
{
	struct fx_marker m;

	(void)state;
	marker("cpu_write addr=0x2cf0800 len=1500\n", &m);
	assert_int_equal(m.kind, COH_EV_CPU_WRITE);
	assert_int_equal(m.addr, 0x2cf0800);
	assert_int_equal(m.len, 1500);
	assert_false(m.malformed);
	marker("cpu_read addr=0x10 len=64", &m);
	assert_int_equal(m.kind, COH_EV_CPU_READ);
	marker("dev_write dev=0000:00:02.0 addr=0x3a700800 len=1536", &m);
	assert_int_equal(m.kind, COH_EV_DEV_WRITE);
	assert_int_equal(m.devlen, 12);
	assert_memory_equal(m.dev, "0000:00:02.0", 12);
	assert_int_equal(m.addr, 0x3a700800);
	marker("dev_read len=8 addr=0x1000 dev=nic", &m);   /* fields in any order */
	assert_int_equal(m.kind, COH_EV_DEV_READ);
	assert_int_equal(m.len, 8);
	marker("seq begin id=S01", &m);
	assert_int_equal(m.kind, COH_EV_SCOPE_BEGIN);
	assert_int_equal(m.scope, COH_SCOPE_SEQ);
	assert_int_equal(m.textlen, 3);
	assert_memory_equal(m.text, "S01", 3);
	marker("phase end name=tcp-rx-e1000\n", &m);
	assert_int_equal(m.kind, COH_EV_SCOPE_END);
	assert_int_equal(m.scope, COH_SCOPE_PHASE);
	marker("run begin round=3", &m);
	assert_int_equal(m.scope, COH_SCOPE_RUN);
	assert_memory_equal(m.text, "3", 1);
	marker("dev_done dev=dmabug handle=0x3a700000", &m);
	assert_int_equal(m.kind, COH_EV_DEV_DONE);
	assert_int_equal(m.addr, 0x3a700000);
	marker("dev_done dev=dmabug", &m);
	assert_int_equal(m.kind, COH_EV_DEV_DONE);
	assert_int_equal(m.addr, COH_ADDR_NONE);
	marker("hello world\n", &m);
	assert_int_equal(m.kind, COH_EV_MARK);
	assert_false(m.malformed);
	assert_int_equal(m.textlen, 11);
	marker("seq begin id=S01\nseq end id=S01\n", &m);
	assert_int_equal(m.kind, COH_EV_SCOPE_BEGIN);
	assert_true(m.multiline);
}

static void marker_malformed(void **state)
{
	static const char *const bad[] = {
		"cpu_write addr=0xZZ len=4", "cpu_write addr=0x10", "cpu_read len=4",
		"cpu_read addr=0x10 len=0", "cpu_read addr=0xffffffffffffffff len=2",
		"cpu_read addr=0x10 len=99999999999999999999", "dev_write addr=0x10 len=4",
		"seq begin", "seq middle id=S01", "run begin round=x", "phase begin name=",
		"dev_done handle=0x1", "dev_done dev=x handle=zz", "cpu_write addr=-1 len=4",
	};
	struct fx_marker m;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		marker(bad[i], &m);
		if (m.kind != COH_EV_MARK || !m.malformed || !m.why[0])
			fail_msg("'%s' was not taken as malformed", bad[i]);
		assert_int_equal(m.textlen, strlen(bad[i]));
	}
}

/* ---- packed segments ---------------------------------------------------------------------- */

static void segs_round_trip(void **state)
{
	struct coh_seg in[100], out[100];
	uint8_t buf[4000];
	uint64_t x = 99;

	(void)state;
	for (int k = 0; k < 40; k++) {
		uint32_t n = 1 + (uint32_t)(k * 7 % 100);
		size_t len;

		for (uint32_t i = 0; i < n; i++) {
			x = x * 6364136223846793005ull + 1;
			in[i].addr = k % 5 == 1 ? COH_ADDR_NONE : (k % 7 == 2 ? x : x >> (k % 50));
			in[i].bus = k % 5 == 2 ? COH_ADDR_NONE : (i % 9 == 3 ? UINT64_MAX - i : x >> 20);
			in[i].len = k % 5 == 3 ? 0 : (x >> 40);
		}
		len = fx_scatter_pack(buf, in, n);
		assert_true(len <= fx_scatter_max(n));
		assert_int_equal(fx_scatter_len(buf, n), len);
		fx_scatter_unpack(buf, out, n);
		assert_memory_equal(in, out, n * sizeof(in[0]));
		assert_int_equal(fx_scatter_first_addr(buf), in[0].addr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_phys_618),
		cmocka_unit_test(unmap_phys_618),
		cmocka_unit_test(alloc_without_dir),
		cmocka_unit_test(map_sg_truncated),
		cmocka_unit_test(alloc_sgt_segments),
		cmocka_unit_test(failed_and_print),
		cmocka_unit_test(driver_markers),
		cmocka_unit_test(lying_records),
		cmocka_unit_test(missing_field),
		cmocka_unit_test(marker_grammar),
		cmocka_unit_test(marker_malformed),
		cmocka_unit_test(segs_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
