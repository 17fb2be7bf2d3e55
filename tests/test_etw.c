/* SPDX-License-Identifier: MIT */
/*
 * test_etw.c - the ETW export readers (tracerpt CSV and XML of the
 * Dmascope.Dma provider): every event of the schema from both formats,
 * quoting, array layouts, foreign events, inference, stats, details, and the
 * samples of traces/samples/ giving identical engine events.  What the
 * readers refuse is in test_etw_errors.c.
 */
#include "etw-test.h"

/* ---- the small fixture, event by event ----------------------------------------- */

struct want {
	uint16_t kind;
	uint64_t src;
	uint16_t cpu, dev;
	uint64_t addr, bus, len, off, handle, irp;
	uint32_t flags;
	int32_t status;
	uint32_t nsegs;
	const struct coh_seg *segs;
	const char *text;
	const char *data;            /* hex, NULL for none */
};

#define IRP1 0xFFFF900000000010ull
#define MRB1 0xFFFF900000000030ull
#define IRP2 0xFFFF900000000040ull
#define MRB2 0xFFFF900000000060ull
#define IRP3 0xFFFF900000000070ull
#define SGL3 0xFFFF9000000000A0ull
#define WTD COH_F_WRITE_TO_DEVICE
#define ST COH_F_STATUS

static const struct coh_seg s_ke[] = { { 0x2000000, NA, 256 } };
static const struct coh_seg s_map[] = { { 0x2000000, NA, 256 }, { 0x3000000, NA, 512 } };
static const struct coh_seg s_v3[] = { { 0x4000000, NA, 64 } };
static const struct coh_seg s_sg[] = { { 0x5000000, 0xA0000000, 4096 },
				       { 0x5001000, 0xA0001000, 4096 } };

/* tests/data/etw-small.{csv,xml}: src 0 is an EventTrace header, 12 another provider */
static const struct want small[] = {
	{ COH_EV_SCOPE_BEGIN, 1, 0, 0, NA, NA, 0, 0, NA, 0, 0, 0, 0, NULL, "t1", NULL },
	{ COH_EV_ALLOC_COMMON, 2, 0, 0, 0x1000000, 0x80000000, 4096, 0, NA, 0,
	  COH_F_CACHE_ENABLED | COH_F_INFER, 0, 0, NULL, NULL, NULL },
	{ COH_EV_CPU_WRITE, 3, 1, 0, 0x1000000, NA, 8, 0, NA, 0, 0, 0, 0, NULL, NULL,
	  "0102030405060708" },
	{ COH_EV_KE_FLUSH, 4, 0, 1, NA, NA, 0, 0, NA, 0, COH_F_DMA_OP, 0, 1, s_ke, NULL, NULL },
	{ COH_EV_MAP_TRANSFER, 5, 0, 1, NA, 0x90000000, 128, 16, MRB1, IRP1, WTD, 0, 2, s_map,
	  NULL, NULL },
	{ COH_EV_DEV_READ, 6, 0, 1, 0x90000000, NA, 128, 0, NA, 0, 0, 0, 0, NULL, NULL, NULL },
	{ COH_EV_DEV_DONE, 7, 0, 1, NA, NA, 0, 0, MRB1, 0, 0, 0, 0, NULL, NULL, NULL },
	{ COH_EV_FLUSH_ADAPTER, 8, 0, 1, NA, NA, 128, 16, MRB1, IRP1, WTD | ST, 0, 2, s_map, NULL,
	  NULL },
	{ COH_EV_FREE_MAP_REGS, 9, 0, 1, NA, NA, 0, 0, MRB1, 0, 0, 0, 0, NULL, NULL, NULL },
	{ COH_EV_FREE_ADAPTER, 10, 0, 1, NA, NA, 0, 0, NA, 0, 0, 0, 0, NULL, NULL, NULL },
	{ COH_EV_IRP_COMPLETE, 11, 3, 0, NA, NA, 0, 0, NA, IRP1, 0, 0, 0, NULL, NULL, NULL },
	{ COH_EV_MAP_TRANSFER_EX, 13, 0, 2, NA, 0x4000000, 64, 0, MRB2, IRP2, 0, 0, 1, s_v3,
	  NULL, NULL },
	{ COH_EV_DEV_WRITE, 14, 0, 2, 0x4000000, NA, 4, 0, NA, 0, 0, 0, 0, NULL, NULL,
	  "deadbeef" },
	{ COH_EV_FLUSH_ADAPTER_EX, 15, 0, 2, NA, NA, 64, 100, MRB2, IRP2, ST,
	  COH_STATUS_INVALID_PARAMETER, 1, s_v3, NULL, NULL },
	{ COH_EV_GET_SG, 16, 0, 2, NA, NA, 8192, 0, SGL3, IRP3, 0, 0, 2, s_sg, NULL, NULL },
	{ COH_EV_PUT_SG, 17, 0, 2, NA, NA, 0, 0, SGL3, 0, 0, 0, 0, NULL, NULL, NULL },
	{ COH_EV_CPU_READ, 18, 0, 0, 0x5000000, NA, 8192, 0, NA, 0, 0, 0, 0, NULL, NULL, NULL },
	{ COH_EV_FREE_COMMON, 19, 0, 0, 0x1000000, 0x80000000, 4096, 0, NA, 0, COH_F_INFER, 0, 0,
	  NULL, NULL, NULL },
	{ COH_EV_MARK, 20, 0, 0, NA, NA, 0, 0, NA, 0, 0, 0, 0, NULL,
	  "a, \"quoted\" text\nsecond line", NULL },
	{ COH_EV_SCOPE_END, 21, 0, 0, NA, NA, 0, 0, NA, 0, 0, 0, 0, NULL, "t1", NULL },
};

#define NSMALL (sizeof(small) / sizeof(small[0]))

static void check_data(const struct coh_event *ev, const char *hex)
{
	if (!hex) {
		assert_null(ev->data);
		return;
	}
	assert_non_null(ev->data);
	assert_int_equal(ev->len * 2, strlen(hex));
	for (size_t i = 0; i < ev->len; i++) {
		unsigned b;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		assert_int_equal(ev->data[i], b);
	}
}

static void check_want(const struct coh_event *ev, const struct want *w)
{
	assert_string_equal(coh_kind_name(ev->kind), coh_kind_name(w->kind));
	assert_int_equal(ev->src, w->src);
	assert_int_equal(ev->ts, (w->src - 1) * 100000);   /* 100 us apart, from src 1 */
	assert_int_equal(ev->cpu, w->cpu);
	assert_int_equal(ev->dev, w->dev);
	assert_int_equal(ev->addr, w->addr);
	assert_int_equal(ev->bus, w->bus);
	assert_int_equal(ev->len, w->len);
	assert_int_equal(ev->off, w->off);
	assert_int_equal(ev->handle, w->handle);
	assert_int_equal(ev->irp, w->irp);
	assert_int_equal(ev->flags, w->flags);
	assert_int_equal(ev->status, w->status);
	assert_int_equal(ev->nsegs, w->nsegs);
	assert_int_equal(ev->dir, COH_DIR_NONE);
	for (uint32_t i = 0; i < w->nsegs; i++) {
		assert_int_equal(ev->segs[i].addr, w->segs[i].addr);
		assert_int_equal(ev->segs[i].bus, w->segs[i].bus);
		assert_int_equal(ev->segs[i].len, w->segs[i].len);
	}
	assert_int_equal(ev->nents, 0);         /* Linux's sg nents, not a Windows field */
	if (w->text)
		assert_string_equal(ev->text, w->text);
	else
		assert_null(ev->text);
	check_data(ev, w->data);
	assert_int_equal(coh_event_check(ev, NULL, NULL, 0), 0);
}

static void small_fixture(const char *path, enum trace_format fmt)
{
	struct trace *t = open_ok(path, NULL);
	struct coh_event ev;

	assert_int_equal(trace_format(t), fmt);
	assert_int_equal(trace_count(t), NSMALL);
	assert_int_equal(trace_ndevs(t), 3);
	assert_string_equal(trace_dev_name(t, 0), "cb0");
	assert_string_equal(trace_dev_name(t, 1), "bm0");
	assert_string_equal(trace_dev_name(t, 2), "v3dev");
	for (uint64_t i = 0; i < NSMALL; i++) {
		assert_int_equal(trace_get(t, i, &ev), 0);
		check_want(&ev, &small[i]);
	}
	assert_int_equal(trace_get(t, NSMALL, &ev), -COH_E_SEEK);
	trace_close(t);
}

static void small_csv(void **state)
{
	(void)state;
	small_fixture("tests/data/etw-small.csv", TRACE_FMT_ETW_CSV);
}

static void small_xml(void **state)
{
	(void)state;
	small_fixture("tests/data/etw-small.xml", TRACE_FMT_ETW_XML);
}

/* Every event the schema defines appears in the fixture, so each is read from both. */
static void fixture_covers_schema(void **state)
{
	const struct etw_evdef *d;

	(void)state;
	for (unsigned i = 0; (d = etw_evdef_at(i)); i++) {
		int found = 0;

		for (size_t k = 0; k < NSMALL; k++)
			found |= small[k].kind == d->kind;
		if (!found)
			fail_msg("event %s is not in tests/data/etw-small.*", d->name);
	}
}

/* ---- the samples: CSV and XML give the same engine events ---------------------- */

static void samples_identical(void **state)
{
	struct trace *c = open_ok("traces/samples/etw-busmaster.csv", NULL);
	struct trace *x = open_ok("traces/samples/etw-busmaster.xml", NULL);
	struct coh_event a, b;
	unsigned kinds[COH_EV_COUNT] = { 0 };

	(void)state;
	assert_int_equal(trace_format(c), TRACE_FMT_ETW_CSV);
	assert_int_equal(trace_format(x), TRACE_FMT_ETW_XML);
	assert_true(trace_count(c) > 50);
	assert_int_equal(trace_count(c), trace_count(x));
	assert_int_equal(trace_ndevs(c), trace_ndevs(x));
	for (unsigned i = 0; i < trace_ndevs(c); i++)
		assert_string_equal(trace_dev_name(c, i), trace_dev_name(x, i));
	for (uint64_t i = 0; i < trace_count(c); i++) {
		assert_int_equal(trace_get(c, i, &a), 0);
		assert_int_equal(trace_get(x, i, &b), 0);
		same_event(&a, &b);
		kinds[a.kind]++;
	}
	/* the samples exercise every event of the schema */
	for (unsigned i = 0; etw_evdef_at(i); i++)
		if (!kinds[etw_evdef_at(i)->kind])
			fail_msg("the samples have no %s event", etw_evdef_at(i)->name);
	assert_int_equal(trace_stats(c)->events, trace_stats(x)->events);
	/* other providers' events are counted under the same names too */
	assert_int_equal(trace_stats(c)->nkinds, trace_stats(x)->nkinds);
	for (size_t i = 0; i < trace_stats(c)->nkinds; i++)
		assert_int_equal(stat_kind(x, trace_stats(c)->kinds[i].name),
				 trace_stats(c)->kinds[i].n);
	assert_int_equal(stat_kind(x, "Microsoft-Windows-Kernel-Power"), 1);
	assert_int_equal(trace_nwarnings(c), trace_nwarnings(x));
	trace_close(c);
	trace_close(x);
}

/* The .dmt twin gives the same events too (skipped until the .dmt reader is merged). */
static void samples_dmt_twin(void **state)
{
	struct trace *c = open_ok("traces/samples/etw-busmaster.csv", NULL);
	struct trace *d = NULL;
	struct coh_event a, b;

	(void)state;
	if (trace_open("traces/samples/etw-busmaster.dmt", NULL, &d, err, sizeof(err)) < 0) {
		trace_close(c);
		if (strstr(err, "not a trace dmascope reads"))
			skip();
		fail_msg("%s", err);
	}
	assert_int_equal(trace_format(d), TRACE_FMT_DMT);
	assert_int_equal(trace_count(d), trace_count(c));
	for (unsigned i = 0; i < trace_ndevs(c); i++)
		assert_string_equal(trace_dev_name(c, i), trace_dev_name(d, i));
	for (uint64_t i = 0; i < trace_count(c); i++) {
		assert_int_equal(trace_get(c, i, &a), 0);
		assert_int_equal(trace_get(d, i, &b), 0);
		same_event(&a, &b);
	}
	trace_close(c);
	trace_close(d);
}

/* ---- CSV specifics ------------------------------------------------------------------- */

static void csv_quoting(void **state)
{
	char doc[] = CSV_HEAD
		ROW("Mark", "\"one, \"\"two\"\",\nthree\"")
		ROW("Mark", "\"\"")
		ROW("Mark", "  padded  ")
		ROW("Bogus", "x");
	struct coh_event ev;
	struct trace *t;

	(void)state;
	/* the unknown event is on line 6: the quoted newline counts */
	assert_string_equal(open_bad("q.csv", doc),
			    "q.csv:6: unknown event 'Bogus' of provider Dmascope.Dma (column Task)");
	*strstr(doc, "Dmascope.Dma, Info, 0, 0, 0, 5, 0, Bogus") = 0;
	t = open_ok(tmp_write("q.csv", doc), NULL);
	assert_int_equal(trace_count(t), 3);
	trace_get(t, 0, &ev);
	assert_string_equal(ev.text, "one, \"two\",\nthree");
	trace_get(t, 1, &ev);
	assert_string_equal(ev.text, "");
	trace_get(t, 2, &ev);
	assert_string_equal(ev.text, "padded");
	trace_close(t);
}

/* Arrays one cell each, or packed in one cell: the same event. */
static void csv_packed_arrays(void **state)
{
	struct trace *t = open_ok(tmp_write("p.csv", CSV_HEAD
		ROW("MapTransfer", "d, 0x1, 0x2, 0x3, 0, 96, false, 2, 0x1000, 0x2000, 64, 32, 0x9000")
		ROW("MapTransfer", "d, 0x1, 0x2, 0x3, 0, 96, false, 2, \"[0x1000, 0x2000]\", 64;32, 0x9000")
		ROW("MapTransfer", "d, 0x1, 0x2, 0x3, 0, 96, false, 2, \"{4096 8192}\", \"64,32\", 0x9000")),
		NULL);
	struct coh_event a, b;

	(void)state;
	assert_int_equal(trace_count(t), 3);
	trace_get(t, 0, &a);
	assert_int_equal(a.nsegs, 2);
	assert_int_equal(a.segs[1].addr, 0x2000);
	assert_int_equal(a.segs[1].len, 32);
	for (uint64_t i = 1; i < 3; i++) {
		trace_get(t, 0, &a);
		trace_get(t, i, &b);
		b.src = a.src;
		same_event(&a, &b);
	}
	trace_close(t);
}

/* ---- XML specifics ------------------------------------------------------------------- */

/* The GUID alone names the provider; EventData's Name names the event. */
static void xml_guid_and_eventdata_name(void **state)
{
	struct trace *t = open_ok(tmp_write("g.xml", XML_HEAD "<Event xmlns=\"http://schemas."
		"microsoft.com/win/2004/08/events/event\"><System><Provider Guid=\"{5D575051-8BE8-565A-"
		"FEBC-6F88289697B8}\"/><TimeCreated SystemTime=\"2022-06-13T12:00:00.5+02:00\"/>"
		"</System><EventData Name=\"CpuRead\">" D("PhysicalAddress", "4096") D("Length", "8")
		"</EventData></Event>" XML_TAIL), NULL);
	struct coh_event ev;

	(void)state;
	assert_int_equal(trace_count(t), 1);
	trace_get(t, 0, &ev);
	assert_int_equal(ev.kind, COH_EV_CPU_READ);
	assert_int_equal(ev.addr, 4096);
	assert_int_equal(ev.ts, 0);
	trace_close(t);
}

/* A lone <Event> as root, in UTF-16 with a byte-order mark. */
static void xml_utf16_single_event(void **state)
{
	static const char doc[] = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/"
		"event\"><System><Provider Name=\"Dmascope.Dma\"/><TimeCreated SystemTime=\""
		"2022-06-13T10:00:00Z\"/></System><EventData>" D("Text", "h\xc3\xa9") "</EventData>"
		"<RenderingInfo><Task>Mark</Task></RenderingInfo></Event>";
	char u16[2 * sizeof(doc) + 2];
	char buf[1024];
	struct coh_event ev;
	struct trace *t;

	(void)state;
	u16[0] = (char)0xff;
	u16[1] = (char)0xfe;
	for (size_t i = 0; i < sizeof(doc) - 1; i++) {   /* ASCII but for the e-acute */
		u16[2 + 2 * i] = doc[i];
		u16[3 + 2 * i] = 0;
	}
	/* U+00E9 is one UTF-16 unit: replace its two UTF-8 bytes */
	for (size_t i = 2; i < 2 * sizeof(doc); i += 2)
		if ((unsigned char)u16[i] == 0xc3) {
			u16[i] = (char)0xe9;
			memmove(u16 + i + 2, u16 + i + 4, 2 * sizeof(doc) - i - 4);
			break;
		}
	t = open_ok(tmp_write_n("u16.xml", u16, 2 * sizeof(doc) - 2), NULL);
	assert_int_equal(trace_format(t), TRACE_FMT_ETW_XML);
	assert_int_equal(trace_count(t), 1);
	trace_get(t, 0, &ev);
	assert_string_equal(ev.text, "h\xc3\xa9");
	assert_true(trace_detail(t, 0, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "Text: h\xc3\xa9\n"));
	trace_close(t);
}

/* ---- shared behaviour ------------------------------------------------------------- */

static void foreign_skipped(void **state)
{
	struct trace *t = open_ok(tmp_write("s.csv", CSV_HEAD FOREIGN_ROW
		"Microsoft-Windows-Foo, Info, 7, 0, 0, 4, 0, 0, 0x0, 0x4, 0x8, 9, , , {0}, , 5, 0, 0\n"
		ROW("Mark", "m")), NULL);
	const struct trace_stats *s = trace_stats(t);
	struct coh_event ev;

	(void)state;
	assert_int_equal(trace_count(t), 1);
	trace_get(t, 0, &ev);
	assert_int_equal(ev.src, 2);
	assert_int_equal(s->events, 3);
	assert_int_equal(s->lost, 5);
	assert_int_equal(stat_kind(t, "EventTrace"), 1);
	assert_int_equal(stat_kind(t, "Microsoft-Windows-Foo"), 1);
	assert_int_equal(stat_kind(t, "Mark"), 1);
	/* the other provider's CPU 9 does not count: only ours give the platform CPUs */
	assert_int_equal(s->ncpus, 1);
	assert_true(has_warning(t, "2 events of other providers skipped"));
	assert_true(has_warning(t, "lost 5 events"));
	trace_close(t);
}

static void inference(void **state)
{
	struct trace_opts o = { 0 };
	struct coh_event ev;
	struct trace *t;
	const char *path = "tests/data/etw-small.csv";

	(void)state;
	t = open_ok(path, &o);          /* auto: cb0 has no accesses, bm0 and v3dev have */
	assert_true(has_warning(t, "device cb0 has no DeviceRead/DeviceWrite events"));
	assert_false(has_warning(t, "device bm0"));
	trace_close(t);
	o.infer = TRACE_INFER_NEVER;
	t = open_ok(path, &o);
	for (uint64_t i = 0; i < trace_count(t); i++) {
		trace_get(t, i, &ev);
		assert_false(ev.flags & COH_F_INFER);
	}
	trace_close(t);
	o.infer = TRACE_INFER_ALWAYS;
	t = open_ok(path, &o);
	for (uint64_t i = 0; i < trace_count(t); i++) {
		trace_get(t, i, &ev);
		assert_int_equal(!!(ev.flags & COH_F_INFER),
				 coh_kind_group(ev.kind) == COH_GROUP_WINDOWS &&
				 ev.kind != COH_EV_IRP_COMPLETE);
	}
	trace_close(t);
}

static uint64_t devkind(const struct trace *t, const char *dev, const char *kind)
{
	const struct trace_stats *s = trace_stats(t);

	for (size_t i = 0; i < s->ndevkinds; i++)
		if (strcmp(s->devkinds[i].name, dev) == 0 && strcmp(s->devkinds[i].sub, kind) == 0)
			return s->devkinds[i].n;
	return 0;
}

static void stats(void **state)
{
	struct trace *t = open_ok("tests/data/etw-small.xml", NULL);
	const struct trace_stats *s = trace_stats(t);
	struct coh_platform p;

	(void)state;
	assert_int_equal(s->events, 22);
	assert_int_equal(s->first_ts, 0);
	assert_int_equal(s->last_ts, 2000000);
	assert_int_equal(s->lost, 3);
	assert_int_equal(s->ncpus, 4);
	assert_int_equal(s->cpus[0], 18);
	assert_int_equal(s->cpus[1], 1);
	assert_int_equal(s->cpus[2], 0);
	assert_int_equal(s->cpus[3], 1);
	assert_int_equal(stat_kind(t, "FlushAdapterBuffers"), 1);
	assert_int_equal(stat_kind(t, "EventTrace"), 1);
	assert_int_equal(stat_kind(t, "Microsoft-Windows-Foo"), 1);
	assert_int_equal(s->ndevs, 3);
	assert_int_equal(devkind(t, "bm0", "MapTransfer"), 1);
	assert_int_equal(devkind(t, "v3dev", "DeviceWrite"), 1);
	assert_int_equal(devkind(t, "cb0", "CpuWrite"), 0);
	assert_int_equal(trace_platform(t, "nt-busmaster", &p, err, sizeof(err)), 0);
	assert_int_equal(p.ncpus, 4);
	assert_int_equal(p.ndevs, 3);
	trace_close(t);
}

static void detail(void **state)
{
	char buf[4096];
	struct trace *c = open_ok("tests/data/etw-small.csv", NULL);
	struct trace *x = open_ok("tests/data/etw-small.xml", NULL);

	(void)state;
	assert_true(trace_detail(c, 5, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "etw-small.csv:7: event 5\n"));
	assert_non_null(strstr(buf, "\nTask: MapTransfer\n"));
	assert_non_null(strstr(buf, "\nMdlPhysicalAddress: 0x2000000, 0x3000000\n"));
	assert_true(trace_detail(c, 20, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "etw-small.csv:22: event 20\n"));
	assert_non_null(strstr(buf, "Text: a, \"quoted\" text\nsecond line\n"));
	assert_true(trace_detail(c, 12, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "User Data[1]: y, z\n"));
	assert_true(trace_detail(x, 5, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "etw-small.xml:13:1: event 5\n"));
	assert_non_null(strstr(buf, "MdlByteCount: 512\n"));
	assert_non_null(strstr(buf, "RenderingInfo/Task: MapTransfer\n"));
	assert_int_equal(trace_detail(c, 22, buf, sizeof(buf)), -1);
	assert_int_equal(trace_detail(x, 22, buf, sizeof(buf)), -1);
	trace_close(c);
	trace_close(x);
}

/* The timeline's line: the task and the event's own fields, the same from
 * both exports (arrays as a,b; a multi-line text as it is), no header. */
static void brief(void **state)
{
	char bc[4096], bx[4096];
	struct trace *c = open_ok("tests/data/etw-small.csv", NULL);
	struct trace *x = open_ok("tests/data/etw-small.xml", NULL);
	int same = 0;

	(void)state;
	assert_true(trace_line_brief(c, 5, bc, sizeof(bc)) > 0);
	assert_non_null(strstr(bc, "MapTransfer Device=bm0 "));
	assert_non_null(strstr(bc, " MdlPhysicalAddress=0x2000000,0x3000000 "));
	assert_null(strstr(bc, "Clock-Time"));
	assert_null(strstr(bc, "\n"));
	for (uint64_t i = 0; i < trace_count(c); i++) {       /* the events replayed */
		struct coh_event ev;

		assert_int_equal(trace_get(c, i, &ev), 0);
		assert_true(trace_line_brief(c, ev.src, bc, sizeof(bc)) >= 0);
		assert_true(trace_line_brief(x, ev.src, bx, sizeof(bx)) >= 0);
		for (char *p = bc; (p = strchr(p, '\n')); )    /* XML gives a newline as a space */
			*p = ' ';
		assert_string_equal(bc, bx);
		same++;
	}
	assert_true(same >= 20);
	assert_int_equal(trace_line_brief(c, 22, bc, sizeof(bc)), -1);
	trace_close(c);
	trace_close(x);
}

static void progress(void *ctx, uint64_t done, uint64_t total)
{
	uint64_t *last = ctx;

	assert_true(done >= *last);
	assert_true(done <= total);
	*last = done;
}

static void reports_progress(void **state)
{
	uint64_t last = 0;
	struct trace_opts o = { .progress = progress, .progress_ctx = &last };
	struct trace *t;

	(void)state;
	t = open_ok("traces/samples/etw-busmaster.xml", &o);
	assert_true(last > 60000);   /* the whole file, 64 KiB at a time */
	trace_close(t);
	last = 0;
	t = open_ok("tests/data/etw-small.csv", &o);
	assert_true(last > 5000);
	trace_close(t);
}

/* Without a Processor Number column every event is on CPU 0. */
static void csv_minimal_columns(void **state)
{
	struct trace *t = open_ok(tmp_write("m.csv", "Event Name, Task, Clock-Time, User Data\n"
		"Dmascope.Dma, CpuRead, 1000, 0x40, 8\n"
		"Dmascope.Dma, CpuRead, 1001, 0x48, 8\n"), NULL);
	struct coh_event ev;

	(void)state;
	assert_int_equal(trace_count(t), 2);
	trace_get(t, 1, &ev);
	assert_int_equal(ev.cpu, 0);
	assert_int_equal(ev.ts, 100);
	assert_int_equal(ev.addr, 0x48);
	assert_int_equal(trace_stats(t)->ncpus, 1);
	trace_close(t);
}

static void time_and_drops(void **state)
{
	struct trace *t = open_ok(tmp_write("d.csv", CSV_HEAD
		ROW("AllocateCommonBuffer", "d0, 64, false, 0x1000, 0x1000, 0x0")
		ROW("GetScatterGatherList", "d0, 1, 2, 3, 0, 8, true, 1, 0x40, 0x40, 8, 0xC000009A")
		"Dmascope.Dma, Info, 0, 0, 0, 5, 0, Mark, 0x0, 0x4, 0x10, 0, , , {0}, , "
		"133000000000000050, 0, 0, later\n"
		"Dmascope.Dma, Info, 0, 0, 0, 5, 0, Mark, 0x0, 0x4, 0x10, 0, , , {0}, , "
		"133000000000000010, 0, 0, earlier\n"), NULL);
	struct coh_event ev;

	(void)state;
	/* the failed allocation replays nothing; the failed mapping replays as logged */
	assert_int_equal(trace_count(t), 3);
	assert_true(has_warning(t, "line 2: AllocateCommonBuffer returned NULL"));
	assert_true(has_warning(t, "line 3: GetScatterGatherList returned 0xC000009A: replayed "
				"as if it had succeeded"));
	assert_true(has_warning(t, "line 5: time goes backwards"));
	trace_get(t, 0, &ev);
	assert_int_equal(ev.kind, COH_EV_GET_SG);
	assert_int_equal(ev.src, 1);
	assert_int_equal(ev.flags, COH_F_WRITE_TO_DEVICE | COH_F_INFER);
	assert_int_equal(ev.ts, 0);
	trace_get(t, 1, &ev);
	assert_int_equal(ev.src, 2);
	assert_int_equal(ev.ts, 5000);
	trace_get(t, 2, &ev);
	assert_int_equal(ev.src, 3);
	assert_int_equal(ev.ts, 5000);          /* 4 us earlier in the file: kept in order */
	trace_close(t);
}

static void device_filter(void **state)
{
	struct trace_opts o = { .device = "v3dev" };
	struct trace *t = open_ok("tests/data/etw-small.xml", &o);
	struct coh_event ev;

	(void)state;
	/* v3dev's 5 calls and accesses; 2 CPU accesses, 3 markers, bm0's IoCompleteRequest */
	assert_int_equal(trace_count(t), 11);
	for (uint64_t i = 0; i < trace_count(t); i++) {
		trace_get(t, i, &ev);
		if (coh_kind_group(ev.kind) == COH_GROUP_WINDOWS && ev.kind != COH_EV_IRP_COMPLETE)
			assert_int_equal(ev.dev, 2);
	}
	trace_close(t);
}

/* Content decides, not the extension. */
static void probe_by_content(void **state)
{
	struct trace *t;

	(void)state;
	t = open_ok(tmp_write("looks.xml", CSV_HEAD ROW("Mark", "m")), NULL);
	assert_int_equal(trace_format(t), TRACE_FMT_ETW_CSV);
	trace_close(t);
	t = open_ok(tmp_write("looks.csv", XML_HEAD XML_EVENT("Mark", D("Text", "m")) XML_TAIL), NULL);
	assert_int_equal(trace_format(t), TRACE_FMT_ETW_XML);
	trace_close(t);
	t = open_ok(tmp_write("bom.csv", "\xef\xbb\xbf\r\n" CSV_HEAD ROW("Mark", "m")), NULL);
	assert_int_equal(trace_count(t), 1);
	trace_close(t);
	assert_non_null(strstr(open_bad("plain.xml", "<?xml version=\"1.0\"?><Events/>"),
			       "not a trace dmascope reads"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_csv),
		cmocka_unit_test(small_xml),
		cmocka_unit_test(fixture_covers_schema),
		cmocka_unit_test(samples_identical),
		cmocka_unit_test(samples_dmt_twin),
		cmocka_unit_test(csv_quoting),
		cmocka_unit_test(csv_packed_arrays),
		cmocka_unit_test(csv_minimal_columns),
		cmocka_unit_test(xml_guid_and_eventdata_name),
		cmocka_unit_test(xml_utf16_single_event),
		cmocka_unit_test(reports_progress),
		cmocka_unit_test(brief),
		cmocka_unit_test(foreign_skipped),
		cmocka_unit_test(inference),
		cmocka_unit_test(stats),
		cmocka_unit_test(detail),
		cmocka_unit_test(time_and_drops),
		cmocka_unit_test(device_filter),
		cmocka_unit_test(probe_by_content),
	};

	return cmocka_run_group_tests(tests, etw_setup, etw_teardown);
}
