/* SPDX-License-Identifier: MIT */
/*
 * test_dmt.c - reading .dmt files: every kind and field, the header, the
 * implicit trace_end, src numbering, timestamps, details, statistics, and
 * the exact line:column of errors (docs/trace-format.md).
 */
#include <glob.h>

#include "dmt-test.h"

static struct trace *open_fixture(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/data/%s", dt_srcdir(), name);
	return dt_open(path, NULL);
}

static void seg_is(const struct coh_event *ev, uint32_t i, uint64_t addr, uint64_t bus,
		   uint64_t len)
{
	assert_true(i < ev->nsegs);
	assert_int_equal(ev->segs[i].addr, addr);
	assert_int_equal(ev->segs[i].bus, bus);
	assert_int_equal(ev->segs[i].len, len);
}

static unsigned dev_index(struct trace *t, const char *name)
{
	for (unsigned i = 0; i < trace_ndevs(t); i++)
		if (strcmp(trace_dev_name(t, i), name) == 0)
			return i;
	fail_msg("no device %s", name);
	return 0;
}

/* ---- every kind and field --------------------------------------------------- */

static void test_access_and_markers(void **state)
{
	struct trace *t = open_fixture("every-kind.dmt");
	struct coh_event ev;

	(void)state;
	ev = dt_get(t, 0);
	assert_int_equal(ev.kind, COH_EV_CPU_WRITE);
	assert_int_equal(ev.ts, 1000);
	assert_int_equal(ev.cpu, 1);
	assert_int_equal(ev.addr, 0x1000);
	assert_int_equal(ev.len, 4);
	assert_memory_equal(ev.data, "\xde\xad\xbe\xef", 4);
	assert_int_equal(ev.src, 0);
	ev = dt_get(t, 1);
	assert_int_equal(ev.addr, 4096);
	assert_null(ev.data);
	assert_int_equal(ev.ts, 1001);          /* previous + 1 ns */
	assert_int_equal(ev.cpu, 0);
	ev = dt_get(t, 4);
	assert_int_equal(ev.kind, COH_EV_DEV_WRITE);
	assert_int_equal(ev.len, 2);            /* from data= */
	assert_int_equal(ev.dev, dev_index(t, "eth0"));
	ev = dt_get(t, 5);
	assert_int_equal(ev.kind, COH_EV_DEV_DONE);
	assert_int_equal(ev.handle, 0x77);
	assert_int_equal(ev.dev, dev_index(t, "slave"));
	assert_int_equal(dt_get(t, 6).handle, COH_ADDR_NONE);
	assert_int_equal(dt_get(t, 7).kind, COH_EV_EVICT);
	assert_int_equal(dt_get(t, 8).kind, COH_EV_SPEC_FILL);
	assert_string_equal(dt_get(t, 9).text, "a \"quoted\" mark\twith\\escapes\x7f");
	assert_string_equal(dt_get(t, 10).text, "bare-word");
	assert_null(dt_get(t, 11).text);
	ev = dt_get(t, 12);
	assert_int_equal(ev.kind, COH_EV_SCOPE_BEGIN);
	assert_int_equal(ev.scope, COH_SCOPE_SEQ);
	assert_string_equal(ev.text, "S01");
	ev = dt_get(t, 13);
	assert_int_equal(ev.kind, COH_EV_SCOPE_END);
	assert_int_equal(ev.scope, COH_SCOPE_PHASE);
	trace_close(t);
}

static void test_linux_calls(void **state)
{
	struct trace *t = open_fixture("every-kind.dmt");
	struct coh_event ev;

	(void)state;
	ev = dt_get(t, 14);
	assert_int_equal(ev.kind, COH_EV_DMA_ALLOC);
	assert_int_equal(ev.dir, COH_DIR_BIDIRECTIONAL);   /* the default for coherent allocs */
	assert_int_equal(ev.bus, 0x3000);
	assert_int_equal(dt_get(t, 15).dir, COH_DIR_TO_DEVICE);
	assert_int_equal(dt_get(t, 16).dir, COH_DIR_FROM_DEVICE);   /* DMA_ prefix */
	ev = dt_get(t, 17);
	assert_int_equal(ev.kind, COH_EV_DMA_ALLOC_PAGES);
	assert_int_equal(ev.nsegs, 2);
	assert_int_equal(ev.nents, 3);
	seg_is(&ev, 1, 0x7000, 0xb000, 4096);
	assert_int_equal(ev.flags, COH_F_TRUNCATED);
	assert_int_equal(dt_get(t, 19).dir, COH_DIR_BIDIRECTIONAL);  /* dir=0 */
	ev = dt_get(t, 20);
	assert_int_equal(ev.kind, COH_EV_DMA_MAP);
	assert_int_equal(ev.flags, COH_F_SKIP_CPU_SYNC);
	assert_int_equal(ev.addr, 0x1000);
	assert_int_equal(ev.bus, 0x81000);
	assert_int_equal(ev.len, 2048);
	assert_int_equal(dt_get(t, 21).flags, COH_F_INFER);    /* SKIP_CPU_SYNC=FALSE */
	ev = dt_get(t, 22);
	assert_int_equal(ev.kind, COH_EV_DMA_MAP_SG);
	assert_int_equal(ev.nents, 2);          /* defaults to the segments given */
	assert_int_equal(ev.dev, dev_index(t, "usb disk"));
	ev = dt_get(t, 23);
	seg_is(&ev, 0, 0x10000, COH_ADDR_NONE, 0);
	ev = dt_get(t, 26);
	assert_int_equal(ev.kind, COH_EV_DMA_SYNC_SG_CPU);
	seg_is(&ev, 0, COH_ADDR_NONE, 0x90000, 512);
	ev = dt_get(t, 27);
	assert_int_equal(ev.nents, 4);
	assert_int_equal(ev.flags, COH_F_TRUNCATED);
	assert_int_equal(dt_get(t, 28).kind, COH_EV_DMA_MAP_RES);
	assert_int_equal(dt_get(t, 29).kind, COH_EV_DMA_UNMAP_RES);
	trace_close(t);
}

static void test_windows_calls(void **state)
{
	struct trace *t = open_fixture("every-kind.dmt");
	struct coh_event ev;

	(void)state;
	ev = dt_get(t, 30);
	assert_int_equal(ev.kind, COH_EV_ALLOC_COMMON);
	assert_int_equal(ev.flags, COH_F_CACHE_ENABLED);
	assert_int_equal(ev.bus, 0xc0040000);
	assert_int_equal(dt_get(t, 31).kind, COH_EV_FREE_COMMON);
	ev = dt_get(t, 32);
	assert_int_equal(ev.flags, COH_F_READ_OP | COH_F_DMA_OP);
	seg_is(&ev, 0, 0x40000, COH_ADDR_NONE, 4096);
	ev = dt_get(t, 33);
	assert_int_equal(ev.kind, COH_EV_MAP_TRANSFER);
	assert_int_equal(ev.flags, 0);
	assert_int_equal(ev.handle, 1);
	assert_int_equal(ev.irp, 7);
	assert_int_equal(ev.bus, COH_ADDR_NONE);
	ev = dt_get(t, 34);
	assert_int_equal(ev.kind, COH_EV_MAP_TRANSFER_EX);
	assert_int_equal(ev.off, 10);
	assert_int_equal(ev.len, 290);
	assert_int_equal(ev.bus, 0x123000);
	assert_int_equal(ev.nsegs, 2);
	assert_int_equal(ev.flags, COH_F_WRITE_TO_DEVICE | COH_F_INFER);
	ev = dt_get(t, 35);
	assert_int_equal(ev.flags, COH_F_STATUS);
	assert_int_equal(ev.status, 0);
	assert_int_equal(dt_get(t, 36).flags, 0);  /* no status=: the engine decides */
	ev = dt_get(t, 37);
	assert_int_equal(ev.status, COH_STATUS_INVALID_PARAMETER);
	assert_int_equal(ev.flags, COH_F_STATUS | COH_F_WRITE_TO_DEVICE);
	assert_int_equal(dt_get(t, 38).kind, COH_EV_GET_SG);
	assert_int_equal(dt_get(t, 39).flags, COH_F_WRITE_TO_DEVICE);   /* bare flag */
	assert_int_equal(dt_get(t, 40).kind, COH_EV_FREE_MAP_REGS);
	assert_int_equal(dt_get(t, 41).kind, COH_EV_FREE_ADAPTER);
	ev = dt_get(t, 42);
	assert_int_equal(ev.status, (int32_t)0xC0000185u);
	assert_int_equal(ev.flags, 0);
	assert_int_equal(dt_get(t, 43).status, COH_STATUS_SUCCESS);
	ev = dt_get(t, 44);
	assert_int_equal(ev.kind, COH_EV_TRACE_END);
	assert_int_equal(ev.ts, 2500000000ull);
	assert_int_equal(trace_count(t), 45);      /* it ends with trace_end: none added */
	trace_close(t);
}

static void test_status_values(void **state)
{
	struct trace *t = dt_open_text("dmascope-trace 1\n"
				       "IoCompleteRequest irp=1 status=-1073741811\n"
				       "IoCompleteRequest irp=1 status=-2147483648\n"
				       "IoCompleteRequest irp=1 status=4294967295\n"
				       "IoCompleteRequest irp=1 status=0xc0000120\n"
				       "IoCompleteRequest irp=1 status=STATUS_INVALID_PARAMETERS\n"
				       "IoCompleteRequest irp=1 status=TRUE\n");

	(void)state;
	assert_int_equal(dt_get(t, 0).status, COH_STATUS_INVALID_PARAMETER);
	assert_int_equal(dt_get(t, 1).status, INT32_MIN);
	assert_int_equal(dt_get(t, 2).status, -1);
	assert_int_equal(dt_get(t, 3).status, (int32_t)0xC0000120u);
	assert_int_equal(dt_get(t, 4).status, COH_STATUS_INVALID_PARAMETER);  /* the seed's typo */
	assert_int_equal(dt_get(t, 5).status, 1);
	trace_close(t);
}

static void test_every_kind_present(void **state)
{
	struct trace *t = open_fixture("every-kind.dmt");
	int seen[COH_EV_COUNT] = { 0 };

	(void)state;
	for (uint64_t i = 0; i < trace_count(t); i++)
		seen[dt_get(t, i).kind] = 1;
	for (int k = 0; k < COH_EV_COUNT; k++)
		if (!seen[k])
			fail_msg("every-kind.dmt lacks %s", coh_kind_name((unsigned)k));
	trace_close(t);
}

/* ---- header ------------------------------------------------------------------ */

static void test_presets(void **state)
{
	const char *name;
	char text[256];

	(void)state;
	for (unsigned i = 0; (name = coh_platform_preset_at(i, NULL)) != NULL; i++) {
		struct coh_platform want, got;
		struct trace *t;
		char err[256];

		snprintf(text, sizeof(text), "dmascope-trace 1\nplatform %s\n", name);
		t = dt_open_text(text);
		assert_true(trace_names_platform(t));
		assert_int_equal(trace_platform(t, NULL, &got, err, sizeof(err)), 0);
		assert_int_equal(coh_platform_preset(name, &want), 0);
		assert_memory_equal(&want, &got, sizeof(want));
		trace_close(t);
	}
}

static void test_preset_overrides(void **state)
{
	struct trace *t = dt_open_text("dmascope-trace 1\nplatform nt-slave-dma line=128 "
				       "sets=32 ways=2 cpus=4 speculative=1 dma_align=512 "
				       "B=64 C=16 P=8 coherent=1 bounce=1 dma=3 signals_done=1\n"
				       "dev_done dev=floppy\n");
	struct coh_platform p;
	char err[256];

	(void)state;
	assert_int_equal(trace_platform(t, NULL, &p, err, sizeof(err)), 0);
	assert_string_equal(p.name, "nt-slave-dma");
	assert_int_equal(p.line, 128);
	assert_int_equal(p.sets, 32);
	assert_int_equal(p.ways, 2);
	assert_int_equal(p.ncpus, 4);
	assert_int_equal(p.speculative, 1);
	assert_int_equal(p.dma_align, 512);
	assert_int_equal(p.ndevs, 1);
	assert_string_equal(p.devs[0].name, "floppy");
	assert_int_equal(p.devs[0].ctrl_size, 64);   /* the platform's default device */
	assert_int_equal(p.devs[0].ctrl_chunk, 16);
	assert_int_equal(p.devs[0].posted, 8);
	assert_int_equal(p.devs[0].coherent, 1);
	assert_int_equal(p.devs[0].bounce, 1);
	assert_int_equal(p.devs[0].dma_version, 3);
	assert_int_equal(p.devs[0].signals_done, 1);
	trace_close(t);
}

static void test_custom_platform_and_devices(void **state)
{
	struct trace *t = open_fixture("header-custom.dmt");
	struct coh_platform p;
	char err[256];

	(void)state;
	assert_int_equal(trace_platform(t, NULL, &p, err, sizeof(err)), 0);
	assert_string_equal(p.name, "lab board");
	assert_int_equal(p.line, 32);
	assert_int_equal(p.sets, 128);
	assert_int_equal(p.ncpus, 3);
	assert_int_equal(p.dev_default.dma_version, 3);
	assert_int_equal(p.ndevs, 3);
	assert_string_equal(p.devs[0].name, "dma0");
	assert_int_equal(p.devs[0].ctrl_size, 32);
	assert_int_equal(p.devs[0].ctrl_chunk, 16);
	assert_int_equal(p.devs[0].posted, 64);      /* from the platform line */
	assert_string_equal(p.devs[1].name, "nic");
	assert_int_equal(p.devs[1].coherent, 1);
	assert_int_equal(p.devs[1].dma_version, 2);
	assert_int_equal(p.devs[1].posted, 0);
	assert_string_equal(p.devs[2].name, "late");
	assert_int_equal(p.devs[2].dma_version, 3);  /* first seen in an event */
	assert_int_equal(p.devs[2].posted, 64);
	assert_int_equal(trace_ndevs(t), 3);
	assert_int_equal(dt_get(t, 1).dev, 2);
	trace_close(t);
}

static void test_no_platform(void **state)
{
	struct trace *t = open_fixture("no-platform.dmt");
	struct coh_platform p;
	char err[256];

	(void)state;
	assert_false(trace_names_platform(t));
	assert_int_equal(trace_platform(t, "nt-busmaster", &p, err, sizeof(err)), 0);
	assert_string_equal(p.name, "nt-busmaster");
	assert_int_equal(p.ndevs, 2);
	assert_string_equal(p.devs[0].name, "a");     /* device lines fix the order */
	assert_string_equal(p.devs[1].name, "b");
	assert_int_equal(dt_get(t, 1).dev, 1);
	assert_int_equal(dt_get(t, 2).dev, 0);
	trace_close(t);
}

static void test_devices_strict(void **state)
{
	struct trace *t = dt_open_text("dmascope-trace 1\ndevices strict\ndevice a\n"
				       "dev_done dev=a\n");

	(void)state;
	assert_int_equal(trace_count(t), 2);
	trace_close(t);
}

/* ---- the end, src, timestamps ------------------------------------------------- */

static void test_implicit_end(void **state)
{
	struct trace *t = dt_open_text("dmascope-trace 1\ncpu_read addr=1 len=1\n"
				       "7.000000005 cpu_read addr=1 len=1\n");
	struct coh_event ev;

	(void)state;
	assert_int_equal(trace_count(t), 3);
	ev = dt_get(t, 2);
	assert_int_equal(ev.kind, COH_EV_TRACE_END);
	assert_int_equal(ev.src, COH_SRC_NONE);     /* not in the file */
	assert_int_equal(ev.ts, 7000000006ull);
	assert_int_equal(trace_stats(t)->events, 2);
	trace_close(t);

	t = dt_open_text("dmascope-trace 1\n# nothing but a header\n");
	assert_int_equal(trace_count(t), 1);
	assert_int_equal(dt_get(t, 0).kind, COH_EV_TRACE_END);
	assert_int_equal(dt_get(t, 0).ts, 0);
	trace_close(t);
}

static void test_ends_open(void **state)
{
	struct trace *t = open_fixture("ends-open.dmt");

	(void)state;
	assert_int_equal(trace_count(t), 1);
	assert_int_equal(dt_get(t, 0).kind, COH_EV_DMA_MAP);
	trace_close(t);
	t = dt_open_text("dmascope-trace 1\nends open\n");
	assert_int_equal(trace_count(t), 0);
	trace_close(t);
	t = dt_open_text("dmascope-trace 1\nends closed\nmark\n");
	assert_int_equal(trace_count(t), 2);
	trace_close(t);
}

static void test_src(void **state)
{
	struct trace *t = open_fixture("src-explicit.dmt");
	char line[256];

	(void)state;
	assert_int_equal(trace_count(t), 4);
	assert_int_equal(dt_get(t, 0).src, 3);
	assert_int_equal(dt_get(t, 3).src, 12);
	assert_int_equal(trace_find_src(t, 8), 2);
	assert_int_equal(trace_find_src(t, 9), 3);
	assert_true(trace_detail(t, 7, line, sizeof(line)) > 0);
	assert_non_null(strstr(line, "dma_map cpu=1"));
	assert_int_equal(trace_detail(t, 4, line, sizeof(line)), -1);
	trace_close(t);

	t = dt_open_text("dmascope-trace 1\nmark src=none\nmark src=1\nmark src=0\nmark\n");
	assert_int_equal(dt_get(t, 0).src, COH_SRC_NONE);
	assert_int_equal(dt_get(t, 1).src, 1);
	assert_int_equal(dt_get(t, 2).src, 0);
	assert_int_equal(dt_get(t, 3).src, 3);
	assert_true(trace_detail(t, 0, line, sizeof(line)) > 0);
	assert_string_equal(line, "mark src=0");
	trace_close(t);
}

static void test_timestamps(void **state)
{
	struct trace *t = dt_open_text("dmascope-trace 1\nmark\nmark\n3 mark\nmark\n"
				       "0.5 mark\n18446744073.709551615 mark\nmark\n");

	(void)state;
	assert_int_equal(dt_get(t, 0).ts, 0);
	assert_int_equal(dt_get(t, 1).ts, 1);
	assert_int_equal(dt_get(t, 2).ts, 3000000000ull);
	assert_int_equal(dt_get(t, 3).ts, 3000000001ull);
	assert_int_equal(dt_get(t, 4).ts, 500000000ull);   /* backwards: kept, warned */
	assert_int_equal(dt_get(t, 5).ts, UINT64_MAX);
	assert_int_equal(dt_get(t, 6).ts, UINT64_MAX);     /* saturates */
	assert_int_equal(trace_nwarnings(t), 1);
	assert_non_null(strstr(trace_warning(t, 0), ":6: timestamp earlier than the previous "
			       "event's (lines doing so: 1)"));
	assert_int_equal(trace_stats(t)->first_ts, 0);
	assert_int_equal(trace_stats(t)->last_ts, UINT64_MAX);
	trace_close(t);
}

/* ---- details, statistics, options --------------------------------------------- */

static void test_detail(void **state)
{
	struct trace *t = dt_open_text("dmascope-trace 1\r\n# comment\r\n\r\n"
				       "cpu_read addr=1 len=1   # the stale read\r\n"
				       "mark text=\"x\"\n");
	char line[64], small[8];

	(void)state;
	assert_int_equal(trace_detail(t, 0, line, sizeof(line)), 40);
	assert_string_equal(line, "cpu_read addr=1 len=1   # the stale read");
	assert_int_equal(trace_detail(t, 1, line, sizeof(line)), 13);
	assert_string_equal(line, "mark text=\"x\"");
	assert_int_equal(trace_detail(t, 0, small, sizeof(small)), 40);
	assert_string_equal(small, "cpu_rea");
	assert_int_equal(trace_detail(t, 2, line, sizeof(line)), -1);
	assert_int_equal(trace_detail(t, COH_SRC_NONE, line, sizeof(line)), -1);
	trace_close(t);
}

static uint64_t count_of(const struct trace_count *c, size_t n, const char *name,
			 const char *sub)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0 && (!sub || strcmp(c[i].sub, sub) == 0))
			return c[i].n;
	return 0;
}

static void test_stats(void **state)
{
	struct trace *t = open_fixture("every-kind.dmt");
	const struct trace_stats *st = trace_stats(t);

	(void)state;
	assert_int_equal(st->events, 45);
	assert_int_equal(st->nkinds, COH_EV_COUNT);
	assert_int_equal(count_of(st->kinds, st->nkinds, "cpu_write", NULL), 2);
	assert_int_equal(count_of(st->kinds, st->nkinds, "IoCompleteRequest", NULL), 2);
	assert_int_equal(count_of(st->devs, st->ndevs, "slave", NULL), 12);
	assert_int_equal(count_of(st->devkinds, st->ndevkinds, "slave", "FlushAdapterBuffers"), 2);
	assert_int_equal(count_of(st->devkinds, st->ndevkinds, "eth0", "dma_map"), 1);
	assert_int_equal(st->ncpus, 2);
	assert_int_equal(st->cpus[1], 2);
	assert_int_equal(st->cpus[0], 43);
	assert_int_equal(st->first_ts, 1000);
	assert_int_equal(st->last_ts, 2500000000ull);
	trace_close(t);
}

static void test_infer_option(void **state)
{
	const char *text = "dmascope-trace 1\n"
			   "dma_map dev=d addr=1 bus=1 len=1 dir=TO_DEVICE\n"
			   "dma_unmap dev=d bus=1 len=1 dir=TO_DEVICE infer\n"
			   "cpu_read addr=1 len=1\n";
	char *path = dt_tmptext(text);
	struct trace_opts o = { .infer = TRACE_INFER_ALWAYS };
	struct trace *t = dt_open(path, &o);

	(void)state;
	assert_int_equal(dt_get(t, 0).flags, COH_F_INFER);
	assert_int_equal(dt_get(t, 2).flags, 0);        /* only calls */
	trace_close(t);
	o.infer = TRACE_INFER_NEVER;
	t = dt_open(path, &o);
	assert_int_equal(dt_get(t, 1).flags, 0);
	trace_close(t);
	t = dt_open(path, NULL);
	assert_int_equal(dt_get(t, 0).flags, 0);
	assert_int_equal(dt_get(t, 1).flags, COH_F_INFER);
	trace_close(t);
	dt_rmtmp(path);
}

static void test_device_filter(void **state)
{
	char *path = dt_tmptext("dmascope-trace 1\ndev_done dev=a\ndev_done dev=b\nmark\n"
				"dev_done dev=a\n");
	struct trace_opts o = { .device = "a" };
	struct trace *t = dt_open(path, &o);

	(void)state;
	assert_int_equal(trace_count(t), 4);       /* 2 of a, the mark, the trace_end */
	assert_int_equal(dt_get(t, 1).kind, COH_EV_MARK);
	assert_int_equal(dt_get(t, 2).src, 3);
	trace_close(t);
	dt_rmtmp(path);
}

struct progress {
	uint64_t calls, done, total;
};

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *pr = ctx;

	assert_true(done <= total);
	assert_true(done >= pr->done);
	pr->calls++;
	pr->done = done;
	pr->total = total;
}

static void test_progress(void **state)
{
	size_t n = 200000, k = 0;
	char *text = malloc(n * 6 + 32);
	struct progress pr = { 0 };
	struct trace_opts o = { .progress = on_progress, .progress_ctx = &pr };
	struct trace *t;
	char *path;

	(void)state;
	assert_non_null(text);
	k += (size_t)sprintf(text, "dmascope-trace 1\n");
	for (size_t i = 0; i < n; i++)
		k += (size_t)sprintf(text + k, "mark\n");
	path = dt_tmpfile(text, k);
	t = dt_open(path, &o);
	assert_true(pr.calls >= 3);               /* now and then, and at the end */
	assert_int_equal(pr.total, k);
	assert_int_equal(pr.done, k);
	assert_int_equal(trace_count(t), n + 1);
	trace_close(t);
	dt_rmtmp(path);
	free(text);
}

static void test_leading_comments_and_bom(void **state)
{
	struct trace *t = dt_open_text("\xef\xbb\xbf# a student's notes\n\n   \t\n"
				       "dmascope-trace 1   # version\nmark\n");

	(void)state;
	assert_int_equal(trace_format(t), TRACE_FMT_DMT);
	assert_int_equal(trace_count(t), 2);
	trace_close(t);
}

/* Every scenario sample (<scenario>.ok.dmt, <scenario>.bug.dmt) loads, names
 * its platform, says what dmascope check reports, and each bug has its fix.
 * Other samples (the .dmt twins of the ETW exports) must load. */
static void check_scenario(const char *p, struct trace *t)
{
	size_t n = strlen(p), got;
	char head[2048], twin[600];
	FILE *f = fopen(p, "r");

	assert_non_null(f);
	got = fread(head, 1, sizeof(head) - 1, f);
	head[got] = 0;
	fclose(f);
	if (!strstr(head, "dmascope check") && !strstr(head, "Expected from"))
		fail_msg("%s does not say what dmascope check reports", p);
	if (!trace_names_platform(t))
		fail_msg("%s names no platform", p);
	if (strcmp(p + n - 8, ".bug.dmt") == 0) {
		snprintf(twin, sizeof(twin), "%.*s.ok.dmt", (int)(n - 8), p);
		if (access(twin, R_OK) != 0)
			fail_msg("%s has no fixed twin %s", p, twin);
	}
}

static int is_scenario(const char *p)
{
	size_t n = strlen(p);

	return (n > 8 && strcmp(p + n - 8, ".bug.dmt") == 0) ||
	       (n > 7 && strcmp(p + n - 7, ".ok.dmt") == 0);
}

static void test_samples(void **state)
{
	size_t scenarios = 0;
	char pat[512];
	glob_t g;

	(void)state;
	snprintf(pat, sizeof(pat), "%s/traces/samples/*.dmt", dt_srcdir());
	assert_int_equal(glob(pat, 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct trace *t = dt_open(g.gl_pathv[i], NULL);

		if (is_scenario(g.gl_pathv[i])) {
			check_scenario(g.gl_pathv[i], t);
			scenarios++;
		}
		trace_close(t);
	}
	assert_true(scenarios >= 20);
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access_and_markers),
		cmocka_unit_test(test_linux_calls),
		cmocka_unit_test(test_windows_calls),
		cmocka_unit_test(test_status_values),
		cmocka_unit_test(test_every_kind_present),
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_preset_overrides),
		cmocka_unit_test(test_custom_platform_and_devices),
		cmocka_unit_test(test_no_platform),
		cmocka_unit_test(test_devices_strict),
		cmocka_unit_test(test_implicit_end),
		cmocka_unit_test(test_ends_open),
		cmocka_unit_test(test_src),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_detail),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_infer_option),
		cmocka_unit_test(test_device_filter),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_leading_comments_and_bom),
		cmocka_unit_test(test_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
