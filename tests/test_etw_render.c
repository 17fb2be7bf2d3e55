/* SPDX-License-Identifier: MIT */
/*
 * test_etw_render.c - what tracerpt would export for a scripted driver
 * session logged through traces/etw/provider/dmascope_etw.h, rendered from
 * the header's own event layout (dmascope_etw_layout.h) as docs/etw.md and
 * issue 12 describe real exports: the CSV header line, the payload as
 * unnamed columns in layout order, padded, PID/TID in hex, Clock-Time a
 * FILETIME; the XML with <System>, <EventData><Data Name=...> and
 * TimeCreated in a local time with an odd offset (+07:59).  Both are read
 * back by the readers and must give the engine events of the hand-written
 * tests/data/etw-provider-session.dmt.  tests/t_etw_provider.sh runs
 * `test_etw_render --render DIR` and compares the findings of
 * `dmascope check` on the three files.
 *
 * Also the readers' handling of what real exports hold: UTF-16 CSV,
 * <BinaryEventData>, CpuWrite/DeviceWrite without Data (version 1).
 */
#include "etw-test.h"
#include "etw-layout.h"

#define SESSION_DMT "tests/data/etw-provider-session.dmt"
#define FT0 133594614000000000ull   /* 2024-05-06T09:30:00Z as a FILETIME */
#define FT_STEP 100u                /* 10 us between events */
#define TZ_MIN (7 * 60 + 59)        /* the XML's local offset, +07:59 */

/* One field's value: a number, a string (STR; BIN as hex, NULL = left out)
 * or an array (A_*: as many as the UInt32 before it says). */
struct val {
	uint64_t u;
	const char *s;
	const uint64_t *a;
};

#define U(x) { (uint64_t)(x), NULL, NULL }
#define S(x) { 0, x, NULL }
#define A(...) { 0, NULL, (const uint64_t[]){ __VA_ARGS__ } }

/* One logged call: event name, CPU, then its fields in layout order. */
struct call {
	const char *name;
	unsigned cpu;
	struct val v[ETW_MAX_FIELDS];
};

#define IRP1 0xFFFFA50F10001000ull
#define MDL1 0xFFFFA50F20001000ull
#define MRB1 0xFFFFA50F30000040ull
#define IRP2 0xFFFFA50F10002000ull
#define MDL2 0xFFFFA50F20002000ull
#define MRB2 0xFFFFA50F30000080ull
#define IRP3 0xFFFFA50F10003000ull
#define MDL3 0xFFFFA50F20003000ull
#define SGL3 0xFFFFA50F50000000ull
#define VA1  0xFFFFA50F60000000ull
#define INVALID_PARAMETER 0xC000000Du
#define FOREIGN NULL                /* another provider's event */

/* The session: every event kind, MDL chains of two runs, a failed flush
 * (DC009 when the IRP still succeeds), a v3 flush at a bad offset. */
static const struct call session[] = {
	{ "Mark", 0, { S("provider session, 3 sequences") } },
	{ "SequenceBegin", 0, { S("rx, flush fails") } },
	{ "KeFlushIoBuffers", 0, { S("nic0"), U(IRP1), U(MDL1), U(0x10000000), U(512), U(1),
				   U(1) } },
	{ "MapTransfer", 0, { S("nic0"), U(IRP1), U(MDL1), U(MRB1), U(0), U(1024), U(0), U(2),
			      A(0x10000000, 0x10003000), A(512, 512), U(0x10000000) } },
	{ "DeviceWrite", 0, { S("nic0"), U(0x10000000), U(1024), S(NULL) } },
	{ "DeviceDone", 0, { S("nic0"), U(MRB1) } },
	{ "FlushAdapterBuffers", 1, { S("nic0"), U(IRP1), U(MDL1), U(MRB1), U(0), U(1024), U(0),
				      U(2), A(0x10000000, 0x10003000), A(512, 512), U(0) } },
	{ "FreeMapRegisters", 1, { S("nic0"), U(IRP1), U(MRB1), U(2) } },
	{ "FreeAdapterChannel", 1, { S("nic0"), U(IRP1) } },
	{ "IoCompleteRequest", 1, { S("nic0"), U(IRP1), U(0), U(1024) } },
	{ "CpuRead", 1, { U(0x10000000), U(64) } },
	{ "SequenceEnd", 1, { S("rx, flush fails") } },
	{ FOREIGN, 1, { U(0) } },
	{ "SequenceBegin", 0, { S("common \"buffer\"") } },
	{ "AllocateCommonBuffer", 0, { S("snd0"), U(4096), U(1), U(0x20000000), U(0x20000000),
				       U(VA1) } },
	{ "CpuWrite", 0, { U(0x20000000), U(8), S("0102030405060708") } },
	{ "DeviceRead", 0, { S("snd0"), U(0x20000000), U(8) } },
	{ "FreeCommonBuffer", 0, { S("snd0"), U(4096), U(0x20000000), U(0x20000000), U(VA1),
				   U(1) } },
	{ "SequenceEnd", 0, { S("common \"buffer\"") } },
	{ "SequenceBegin", 0, { S("v3 and scatter-gather") } },
	{ "MapTransferEx", 0, { S("disk0"), U(IRP2), U(MDL2), U(MRB2), U(0), U(1024), U(0), U(2),
				A(0x30000000, 0x30002000), A(512, 512), U(0x80000000), U(0) } },
	{ "DeviceWrite", 0, { S("disk0"), U(0x80000000), U(1024), S(NULL) } },
	{ "DeviceDone", 0, { S("disk0"), U(MRB2) } },
	{ "FlushAdapterBuffersEx", 1, { S("disk0"), U(IRP2), U(MDL2), U(MRB2), U(2048), U(1024),
					U(0), U(2), A(0x30000000, 0x30002000), A(512, 512),
					U(INVALID_PARAMETER) } },
	{ "FreeMapRegisters", 1, { S("disk0"), U(IRP2), U(MRB2), U(2) } },
	{ "IoCompleteRequest", 1, { S("disk0"), U(IRP2), U(INVALID_PARAMETER), U(0) } },
	{ "GetScatterGatherList", 0, { S("disk0"), U(IRP3), U(MDL3), U(SGL3), U(0), U(8192), U(0),
				       U(2), A(0x40000000, 0x40002000), A(0x90000000, 0x90001000),
				       A(4096, 4096), U(0) } },
	{ "DeviceWrite", 0, { S("disk0"), U(0x90000000), U(4), S("deadbeef") } },
	{ "DeviceDone", 0, { S("disk0"), U(SGL3) } },
	{ "PutScatterGatherList", 1, { S("disk0"), U(IRP3), U(SGL3), U(0) } },
	{ "IoCompleteRequest", 1, { S("disk0"), U(IRP3), U(0), U(8192) } },
	{ "CpuRead", 1, { U(0x40000000), U(4) } },
	{ "SequenceEnd", 1, { S("v3 and scatter-gather") } },
};
#define NSESSION (sizeof(session) / sizeof(session[0]))

/* ---- values as tracerpt writes them ------------------------------------------- */

/* Element @k of field @f of @c, as text (arrays: k-th element). */
static void value_text(const struct lay_field *f, const struct val *v, size_t k, char *buf,
		       size_t n)
{
	const char *t = f->type;

	if (strcmp(t, "STR") == 0)
		snprintf(buf, n, "%s", v->s);
	else if (strcmp(t, "BIN") == 0)
		snprintf(buf, n, "0x%s", v->s);
	else if (strcmp(t, "HEX64") == 0 || strcmp(t, "A_HEX64") == 0)
		snprintf(buf, n, "0x%llX", (unsigned long long)(v->a ? v->a[k] : v->u));
	else if (strcmp(t, "PTR") == 0)
		snprintf(buf, n, "0x%016llX", (unsigned long long)v->u);
	else if (strcmp(t, "BOOL") == 0)
		snprintf(buf, n, "%s", v->u ? "true" : "false");
	else if (strcmp(t, "NTSTATUS") == 0)
		snprintf(buf, n, "0x%08llX", (unsigned long long)v->u);
	else
		snprintf(buf, n, "%llu", (unsigned long long)(v->a ? v->a[k] : v->u));
}

/* How many values field @i stands for (array elements), 0 when left out. */
static size_t value_count(const struct lay_event *le, const struct call *c, size_t i)
{
	if (strcmp(le->f[i].type, "BIN") == 0 && !c->v[i].s)
		return 0;
	if (strncmp(le->f[i].type, "A_", 2) == 0) {
		for (size_t j = i; j-- > 0;)
			if (strcmp(le->f[j].type, "U32") == 0)
				return (size_t)c->v[j].u;
	}
	return 1;
}

static int left_out(const struct lay_event *le, const struct call *c)
{
	return strcmp(le->f[le->nf - 1].type, "BIN") == 0 && !c->v[le->nf - 1].s;
}

static void csv_cell(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fprintf(f, ", %s", s);
		return;
	}
	fputs(", \"", f);
	for (; *s; s++)
		fputs(*s == '"' ? "\"\"" : (char[]){ *s, 0 }, f);
	fputc('"', f);
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputs(*s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '"' ? "&quot;" :
		      (char[]){ *s, 0 }, f);
}

/* ---- the two exports ----------------------------------------------------------- */

/* 1: the CSV's Task column shows the task's number, not its name, and the
 * XML has no RenderingInfo (only System/Task's number): an export whose
 * task names were not resolved */
static int task_numbers;

static void csv_row(FILE *f, const struct call *c, uint64_t ft)
{
	const struct lay_event *le = lay_event(c->name);
	char buf[256], task[32];

	assert_non_null(le);
	snprintf(task, sizeof(task), "%u", le->id);
	fprintf(f, "Dmascope.Dma, %-12s, %5u, %7d, %7u, %5u, %6u, %-22s, 0x%016x, 0x%08X, 0x%08X, "
		"%16u, , , {00000000-0000-0000-0000-000000000000}, , %llu, %9u, %8u", "Info",
		le->id, left_out(le, c), 0, 4, 0, task_numbers ? task : le->name, 0, 4,
		0x78 + c->cpu, c->cpu, (unsigned long long)ft, 0, 0);
	for (size_t i = 0; i < le->nf; i++)
		for (size_t k = 0; k < value_count(le, c, i); k++) {
			value_text(&le->f[i], &c->v[i], k, buf, sizeof(buf));
			csv_cell(f, buf);
		}
	fputc('\n', f);
}

/* Each event of the session, ours or the other provider's, at its FILETIME. */
static void session_each(FILE *f, void (*ours)(FILE *, const struct call *, uint64_t),
			 void (*foreign)(FILE *, uint64_t))
{
	for (size_t i = 0; i < NSESSION; i++) {
		uint64_t ft = FT0 + (uint64_t)i * FT_STEP;

		if (session[i].name == FOREIGN)
			foreign(f, ft);
		else
			ours(f, &session[i], ft);
	}
}

static void csv_foreign(FILE *f, uint64_t ft)
{
	fprintf(f, "Microsoft-Windows-Kernel-Power, Info, 95, 0, 0, 4, 0, 0, 0x0000000000000000, "
		"0x00000004, 0x00000058, 1, , , {00000000-0000-0000-0000-000000000000}, , %llu, 0, "
		"0, 0x0, 2\n", (unsigned long long)ft);
}

static void render_csv(FILE *f)
{
	fputs(CSV_HEAD, f);
	fputs("EventTrace, Header, 0, 2, 0, 0, 0, 0, 0x0000000000000000, 0x00000000, 0x00000000, 0"
	      ", , , {00000000-0000-0000-0000-000000000000}, , 133594613999999999, 0, 0, 65536, "
	      "83951626, 22631, 2, 133594614000100000, 156250, 0, 0x00000001, 2, 1, 8, 0, 2496, "
	      "provider, C:\\traces\\provider.etl, 133594578000000000, 10000000, "
	      "133594614000000000, 1, 0\n", f);
	session_each(f, csv_row, csv_foreign);
}

/* FILETIME @ft as the recording machine's local time, at +07:59. */
static void xml_time(FILE *f, uint64_t ft)
{
	uint64_t t = ft - FT0, secs = t / 10000000u;
	/* FT0 is 09:30:00Z, 17:29:00 at +07:59; the session lasts under a second */
	uint64_t total = (9 * 60 + 30 + TZ_MIN) * 60 + secs;

	fprintf(f, "<TimeCreated SystemTime=\"2024-05-06T%02u:%02u:%02u.%07llu+07:59\"/>",
		(unsigned)(total / 3600), (unsigned)(total / 60 % 60), (unsigned)(total % 60),
		(unsigned long long)(t % 10000000u));
}

static void xml_event(FILE *f, const struct call *c, uint64_t ft)
{
	const struct lay_event *le = lay_event(c->name);
	char buf[256];

	assert_non_null(le);
	fprintf(f, "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
		"\t<System>\n\t\t<Provider Name=\"Dmascope.Dma\" Guid=\"{%s}\" />\n"
		"\t\t<EventID>%u</EventID>\n\t\t<Version>%d</Version>\n\t\t<Level>4</Level>\n"
		"\t\t<Task>%u</Task>\n\t\t<Opcode>0</Opcode>\n\t\t<Keywords>0x0</Keywords>\n\t\t",
		ETW_PROVIDER_GUID, le->id, left_out(le, c), le->id);
	xml_time(f, ft);
	fprintf(f, "\n\t\t<Execution ProcessID=\"4\" ThreadID=\"%u\" ProcessorID=\"%u\" "
		"KernelTime=\"0\" UserTime=\"0\"/>\n\t</System>\n\t<EventData>\n",
		0x78 + c->cpu, c->cpu);
	for (size_t i = 0; i < le->nf; i++)
		for (size_t k = 0; k < value_count(le, c, i); k++) {
			value_text(&le->f[i], &c->v[i], k, buf, sizeof(buf));
			fprintf(f, "\t\t<Data Name=\"%s\">", le->f[i].name);
			xml_text(f, buf);
			fputs("</Data>\n", f);
		}
	if (task_numbers) {       /* no RenderingInfo: only System/Task's number */
		fputs("\t</EventData>\n</Event>\n", f);
		return;
	}
	fprintf(f, "\t</EventData>\n\t<RenderingInfo Culture=\"en-US\">\n\t\t<Level>Information"
		"</Level>\n\t\t<Opcode>Info</Opcode>\n\t\t<Task>%s</Task>\n\t\t<Provider>"
		"Dmascope.Dma</Provider>\n\t</RenderingInfo>\n</Event>\n", le->name);
}

static void xml_foreign(FILE *f, uint64_t ft)
{
	fputs("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"
	      "<System><Provider Name=\"Microsoft-Windows-Kernel-Power\"/>", f);
	xml_time(f, ft);
	fputs("</System><EventData><Data Name=\"Reason\">2</Data></EventData></Event>\n", f);
}

static void render_xml(FILE *f)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>\n", f);
	fputs("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
	      "\t<System>\n\t\t<Provider Guid=\"{" ETW_EVENTTRACE_GUID "}\" />\n"
	      "\t\t<EventID>0</EventID>\n\t\t<TimeCreated SystemTime=\"2024-05-06T09:29:59.9999999Z\"/>\n"
	      "\t\t<Execution ProcessID=\"0\" ThreadID=\"0\" ProcessorID=\"0\"/>\n\t</System>\n"
	      "\t<EventData>\n\t\t<Data Name=\"BufferSize\">65536</Data>\n"
	      "\t\t<Data Name=\"EventsLost\">0</Data>\n\t</EventData>\n</Event>\n", f);
	session_each(f, xml_event, xml_foreign);
	fputs("</Events>\n", f);
}

static void render_to(const char *dir, const char *name, void (*render)(FILE *))
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	render(f);
	if (fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

/* ---- tests ------------------------------------------------------------------------- */

static void same_trace(const char *path, struct trace *want)
{
	struct trace *t = open_ok(path, NULL);
	struct coh_event a, b;

	assert_int_equal(trace_count(t), trace_count(want));
	for (uint64_t i = 0; i < trace_count(t); i++) {
		assert_int_equal(trace_get(t, i, &a), 0);
		assert_int_equal(trace_get(want, i, &b), 0);
		same_event(&a, &b);
	}
	assert_int_equal(stat_kind(t, "Microsoft-Windows-Kernel-Power"), 1);
	trace_close(t);
}

/* The rendered CSV and XML give the .dmt's engine events, field by field. */
static void exports_match_dmt(void **state)
{
	struct trace *dmt = open_ok(SESSION_DMT, NULL);
	char path[300];

	(void)state;
	render_to(tmpdir, "session.csv", render_csv);
	render_to(tmpdir, "session.xml", render_xml);
	assert_int_equal(trace_count(dmt), NSESSION - 1);
	snprintf(path, sizeof(path), "%s/session.csv", tmpdir);
	same_trace(path, dmt);
	snprintf(path, sizeof(path), "%s/session.xml", tmpdir);
	same_trace(path, dmt);
	trace_close(dmt);
}

/* Task numbers, no task names: the events are found by their manifest id. */
static void task_numbers_match_dmt(void **state)
{
	struct trace *dmt = open_ok(SESSION_DMT, NULL);
	char path[300];

	(void)state;
	task_numbers = 1;
	render_to(tmpdir, "session-n.csv", render_csv);
	render_to(tmpdir, "session-n.xml", render_xml);
	task_numbers = 0;
	snprintf(path, sizeof(path), "%s/session-n.csv", tmpdir);
	same_trace(path, dmt);
	snprintf(path, sizeof(path), "%s/session-n.xml", tmpdir);
	same_trace(path, dmt);
	trace_close(dmt);
}

/* ---- what real exports hold ----------------------------------------------------------- */

/* Exported without the manifest: no fields, only the payload's bytes. */
static void binary_event_data_names_the_manifest(void **state)
{
	const char *m = open_bad("b.xml", XML_HEAD
		"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
		"<Provider Guid=\"{" ETW_PROVIDER_GUID "}\"/><EventID>13</EventID>"
		"<TimeCreated SystemTime=\"2024-05-06T17:29:00.0000233+07:59\"/></System>"
		"<BinaryEventData>00100000000000004000000000000000</BinaryEventData></Event>\n"
		XML_TAIL);

	(void)state;
	assert_non_null(strstr(m, "b.xml:3:1: "));
	assert_non_null(strstr(m, "<BinaryEventData>"));
	assert_non_null(strstr(m, "wevtutil im Dmascope.Dma.man"));
	assert_non_null(strstr(m, "tracerpt -import Dmascope.Dma.man"));
}

/* tracerpt -en Unicode: refused with the conversion to run. */
static void utf16_csv_is_refused_clearly(void **state)
{
	static const char head[] = CSV_HEAD;
	char buf[2 * sizeof(head) + 2] = { (char)0xFF, (char)0xFE };
	const char *m;

	(void)state;
	for (size_t i = 0; i + 1 < sizeof(head); i++)
		buf[2 + 2 * i] = head[i];
	m = open_bad_n("u.csv", buf, 2 + 2 * (sizeof(head) - 1));
	assert_non_null(strstr(m, "UTF-16"));
	assert_non_null(strstr(m, "iconv -f UTF-16 -t UTF-8"));
}

#define EV_OPEN "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"

/* A local time with an odd offset is the same instant as its UTC form. */
static void odd_offsets_are_honoured(void **state)
{
	const char *path = tmp_write("t.xml", XML_HEAD
		EV_OPEN "<System><Provider Name=\"Dmascope.Dma\"/><TimeCreated SystemTime=\""
		"2024-05-06T17:29:00.0000100+07:59\"/></System><EventData>"
		D("Text", "a") "</EventData><RenderingInfo><Task>Mark</Task></RenderingInfo></Event>\n"
		EV_OPEN "<System><Provider Name=\"Dmascope.Dma\"/><TimeCreated SystemTime=\""
		"2024-05-06T01:31:00.0000350-07:59\"/></System><EventData>"
		D("Text", "b") "</EventData><RenderingInfo><Task>Mark</Task></RenderingInfo></Event>\n"
		XML_TAIL);
	struct trace *t = open_ok(path, NULL);
	struct coh_event ev;

	(void)state;
	assert_int_equal(trace_get(t, 1, &ev), 0);
	assert_int_equal(ev.ts, 25000);   /* 09:30:00.0000100Z to 09:30:00.0000350Z */
	assert_false(has_warning(t, "backwards"));
	trace_close(t);
}

/* Version 1 of CpuWrite/DeviceWrite has no Data: the bytes are made up;
 * any other missing field is still an error. */
static void data_may_be_left_out(void **state)
{
	struct trace *t = open_ok(tmp_write("d.csv", CSV_HEAD ROW("DeviceWrite", "nic0, 0x1000, 64")
					    ROW("CpuWrite", "0x1000, 2, 0x0102")), NULL);
	struct coh_event ev;

	(void)state;
	assert_int_equal(trace_get(t, 0, &ev), 0);
	assert_int_equal(ev.kind, COH_EV_DEV_WRITE);
	assert_int_equal(ev.len, 64);
	assert_null(ev.data);
	assert_int_equal(trace_get(t, 1, &ev), 0);
	assert_non_null(ev.data);
	trace_close(t);
	t = open_ok(tmp_write("d.xml", XML_HEAD XML_EVENT("CpuWrite", D("PhysicalAddress", "0x1000")
						  D("Length", "8")) XML_TAIL), NULL);
	assert_int_equal(trace_get(t, 0, &ev), 0);
	assert_int_equal(ev.kind, COH_EV_CPU_WRITE);
	assert_null(ev.data);
	trace_close(t);
	assert_string_equal(open_bad("r.csv", CSV_HEAD ROW("DeviceRead", "nic0, 0x1000")),
			    "r.csv:2: event DeviceRead has 2 fields, expected 3");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exports_match_dmt),
		cmocka_unit_test(task_numbers_match_dmt),
		cmocka_unit_test(binary_event_data_names_the_manifest),
		cmocka_unit_test(utf16_csv_is_refused_clearly),
		cmocka_unit_test(odd_offsets_are_honoured),
		cmocka_unit_test(data_may_be_left_out),
	};

	if (argc == 3 && strcmp(argv[1], "--render") == 0) {
		render_to(argv[2], "session.csv", render_csv);
		render_to(argv[2], "session.xml", render_xml);
		return 0;
	}
	return cmocka_run_group_tests(tests, etw_setup, etw_teardown);
}
