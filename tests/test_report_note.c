/* SPDX-License-Identifier: MIT */
/*
 * test_report_note.c - what reports look up around a finding (report_note.c)
 * on hand-built events: the API function named as the mapping was made, the
 * map and unmap calls, the facts, the open seq and phase, and the grouping
 * of identical findings; then the text view options on those findings, and
 * that the engine's explanations give Linux advice for Linux findings and
 * Windows advice for Windows ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coh_finding.h"
#include "coh_platform.h"
#include "report.h"

#define NEV 10

static struct coh_event evs[NEV];
static struct coh_seg sg[2] = { { 0x600000, 0x600000, 4096 }, { 0x603000, 0x603000, 4096 } };

static int event_of(void *ctx, uint64_t seq, struct coh_event *ev)
{
	(void)ctx;
	if (seq >= NEV)
		return -1;
	*ev = evs[seq];
	return 0;
}

/* A phase, a seq, an sg map, a read, a single map and unmap, a device read after it. */
static void build_events(void)
{
	for (unsigned i = 0; i < NEV; i++) {
		coh_event_init(&evs[i], COH_EV_MARK);
		evs[i].src = i;
	}
	evs[0].kind = COH_EV_SCOPE_BEGIN;
	evs[0].scope = COH_SCOPE_PHASE;
	evs[0].text = "rx";
	evs[1].kind = COH_EV_SCOPE_BEGIN;
	evs[1].scope = COH_SCOPE_SEQ;
	evs[1].text = "S01";
	evs[2].kind = COH_EV_DMA_MAP_SG;
	evs[2].segs = sg;
	evs[2].nsegs = evs[2].nents = 2;
	evs[2].dir = COH_DIR_FROM_DEVICE;
	evs[3].kind = COH_EV_CPU_READ;
	evs[3].addr = 0x603010;
	evs[3].len = 16;
	evs[4].kind = COH_EV_SCOPE_END;
	evs[4].scope = COH_SCOPE_SEQ;
	evs[4].text = "S01";
	evs[5].kind = COH_EV_DMA_MAP;
	evs[5].addr = 0x800000;
	evs[5].bus = 0x3a000000;
	evs[5].len = 512;
	evs[5].dir = COH_DIR_TO_DEVICE;
	evs[6].kind = COH_EV_DMA_UNMAP;
	evs[6].bus = 0x3a000000;
	evs[6].len = 256;
	evs[6].dir = COH_DIR_TO_DEVICE;
	evs[7].kind = COH_EV_DEV_READ;
	evs[7].bus = 0x3a000000;
	evs[7].len = 64;
}

static struct coh_finding finding(unsigned id, unsigned rule, uint64_t seq)
{
	struct coh_finding f = {
		.id = (uint16_t)id, .rule = (uint16_t)rule, .parent = -1, .seq = seq, .src = seq,
		.dev = 0, .cpu = -1, .addr = COH_ADDR_NONE, .bus = COH_ADDR_NONE,
		.other_seq = COH_SEQ_NONE, .omitted = COH_EV_NONE,
	};

	return f;
}

static struct coh_platform plat;
static struct coh_finding f[4];
static const struct coh_finding *fp[4];

static struct report_file file(void)
{
	struct report_file rf = {
		.path = "t.dat", .format = "ftrace", .plat = &plat, .events = NEV,
		.nfindings = 4, .findings = fp, .event = event_of,
	};

	return rf;
}

static int setup(void **state)
{
	(void)state;
	build_events();
	assert_int_equal(coh_platform_preset("arm-noncoherent", &plat), 0);
	assert_int_equal(coh_platform_add_dev(&plat, "nvme0"), 0);
	f[0] = finding(COH_DC006, COH_R_CPU_READ_DEV_OWNED, 3);
	f[0].addr = 0x603010;
	f[0].len = 16;
	f[0].omitted = COH_EV_DMA_SYNC_CPU;
	f[1] = finding(COH_DC011, COH_R_UNMAP_SIZE, 6);
	f[1].addr = 0x800000;
	f[1].bus = 0x3a000000;
	f[1].len = 512;
	f[2] = finding(COH_DC011, COH_R_DEV_UNMAPPED, 7);
	f[2].bus = 0x3a000000;
	f[2].len = 64;
	f[3] = f[0];             /* the same bug again */
	for (int i = 0; i < 4; i++)
		fp[i] = &f[i];
	return 0;
}

static void call_names(void **state)
{
	(void)state;
	assert_string_equal(report_call_name(COH_EV_DMA_SYNC_CPU, COH_EV_DMA_MAP, COH_EV_NONE),
			    "dma_sync_single_for_cpu");
	assert_string_equal(report_call_name(COH_EV_DMA_SYNC_CPU, COH_EV_DMA_MAP_SG, COH_EV_NONE),
			    "dma_sync_sg_for_cpu");
	assert_string_equal(report_call_name(COH_EV_DMA_SYNC_DEV, COH_EV_NONE, COH_EV_NONE),
			    "dma_sync_single_for_device");
	assert_string_equal(report_call_name(COH_EV_DMA_UNMAP, COH_EV_DMA_MAP_SG, COH_EV_NONE),
			    "dma_unmap_sg");
	assert_string_equal(report_call_name(COH_EV_DMA_UNMAP, COH_EV_DMA_MAP, COH_EV_NONE),
			    "dma_unmap_page");
	assert_string_equal(report_call_name(COH_EV_DMA_UNMAP, COH_EV_DMA_MAP_RES, COH_EV_NONE),
			    "dma_unmap_resource");
	assert_string_equal(report_call_name(COH_EV_DMA_UNMAP, COH_EV_DMA_ALLOC, COH_EV_NONE),
			    "dma_free_coherent");
	assert_string_equal(report_call_name(COH_EV_FLUSH_ADAPTER, COH_EV_MAP_TRANSFER_EX,
					     COH_EV_NONE), "FlushAdapterBuffersEx");
	assert_string_equal(report_call_name(COH_EV_KE_FLUSH, COH_EV_MAP_TRANSFER, COH_EV_NONE),
			    "KeFlushIoBuffers");
	/* a device signal is no call: the call made before it is named */
	assert_string_equal(report_call_name(COH_EV_DEV_DONE, COH_EV_MAP_TRANSFER_EX,
					     COH_EV_FLUSH_ADAPTER_EX), "FlushAdapterBuffersEx");
	assert_null(report_call_name(COH_EV_NONE, COH_EV_DMA_MAP, COH_EV_NONE));
}

static void notes(void **state)
{
	struct report_file rf = file();
	struct report_note *n = report_notes(&rf);

	(void)state;
	assert_non_null(n);
	assert_string_equal(n[0].call, "dma_sync_sg_for_cpu");  /* the mapping is a scatter list */
	assert_int_equal(n[0].map.seq, 2);
	assert_int_equal(n[0].map.len, 8192);
	assert_string_equal(n[0].seq, "seq begin id=S01");
	assert_string_equal(n[0].phase, "phase begin name=rx");
	assert_string_equal(n[0].facts, "mapped 8192 bytes FROM_DEVICE at event 2");
	assert_int_equal(n[0].windows, 0);
	assert_string_equal(n[1].facts, "mapped 512 bytes at event 5, unmapped 256");
	assert_string_equal(n[1].seq, "");                     /* S01 ended at event 4 */
	assert_string_equal(n[1].phase, "phase begin name=rx");
	assert_int_equal(n[2].map.seq, 5);
	assert_int_equal(n[2].end.seq, 6);
	assert_string_equal(n[2].facts, "mapped 512 bytes TO_DEVICE at event 5, unmapped at event 6");
	free(n);
}

static void groups(void **state)
{
	struct report_file rf = file();
	struct report_ctx c;

	(void)state;
	assert_int_equal(report_ctx_build(&rf, &c), 0);
	assert_int_equal(c.group[0], 0);
	assert_int_equal(c.group[3], 0);       /* identical to the first */
	assert_int_equal(c.group[1], 1);
	assert_int_equal(c.group[2], 2);       /* same id, another rule */
	assert_int_equal(c.members[0], 2);
	assert_int_equal(c.members[1], 1);
	report_ctx_free(&c);
}

/* The text report of the file with @v, in a malloc'd string. */
static char *text(const struct report_view *v)
{
	struct report_file rf = file();
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	void *st;

	assert_non_null(out);
	rf.view = v;
	st = report_text_ops.open(out);
	assert_int_equal(report_text_ops.add(st, &rf), 0);
	assert_int_equal(report_text_ops.close(st), 0);
	fclose(out);
	return buf;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void view(void **state)
{
	struct report_view v = { 0 };
	char *all, *out;

	(void)state;
	all = text(&v);
	assert_int_equal(count(all, " DC006 ownership-violation\n"), 1);
	assert_non_null(strstr(all, "repeated: 2 times in all, at events 3, 3\n"));
	assert_int_equal(count(all, " DC011 bad-mapping-use\n"), 2);
	assert_non_null(strstr(all, "      in: seq begin id=S01, phase begin name=rx\n"));
	assert_non_null(strstr(all, "misplaced: dma_sync_sg_for_cpu"));
	v.max_per_id = 1;
	out = text(&v);
	assert_int_equal(count(out, " DC011 bad-mapping-use\n"), 1);
	assert_non_null(strstr(out, "not listed: 1 finding past --max-per-id"));
	free(out);
	v.max_per_id = 0;
	v.hide[COH_DC006] = 1;
	out = text(&v);
	assert_int_equal(count(out, " DC006 ownership-violation\n"), 0);
	assert_non_null(strstr(out, "not listed: 2 findings of the ids --hide names"));
	free(out);
	v.hide[COH_DC006] = 0;
	v.quiet = 1;
	out = text(&v);
	assert_null(strstr(out, "  event "));
	assert_non_null(strstr(out, "summary: 4 findings (4 root causes, 0 entries listed)"));
	free(out);
	free(all);
}

/* The explanation of @f on preset @preset, in a static buffer. */
static const char *explained(struct coh_finding g, const char *preset)
{
	static char buf[2048];
	struct coh_platform p;

	assert_int_equal(coh_platform_preset(preset, &p), 0);
	assert_true(coh_finding_explain(&g, &p, buf, sizeof(buf)) > 0);
	return buf;
}

static void advice_per_api(void **state)
{
	struct coh_finding g = finding(COH_DC001, COH_R_STALE_CPU, 3);
	const char *t;

	(void)state;
	g.omitted = COH_EV_DMA_SYNC_CPU;
	t = explained(g, "arm-noncoherent");
	assert_non_null(strstr(t, "dma_sync_*_for_cpu"));
	assert_null(strstr(t, "KeFlushIoBuffers"));
	assert_null(strstr(t, "FlushAdapterBuffers"));
	g.omitted = COH_EV_KE_FLUSH;
	t = explained(g, "nt-busmaster");
	assert_non_null(strstr(t, "FlushAdapterBuffers"));
	assert_null(strstr(t, "dma_"));
	g = finding(COH_DC002, COH_R_STALE_DEV, 3);
	assert_null(strstr(explained(g, "nt-busmaster"), "dma_"));
	assert_null(strstr(explained(g, "x86"), "KeFlushIoBuffers"));
	g = finding(COH_DC003, COH_R_CLOBBER, 3);
	assert_null(strstr(explained(g, "nt-slave-dma"), "dma_"));
	assert_null(strstr(explained(g, "arm-noncoherent"), "KeFlushIoBuffers"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(call_names),
		cmocka_unit_test(notes),
		cmocka_unit_test(groups),
		cmocka_unit_test(view),
		cmocka_unit_test(advice_per_api),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
