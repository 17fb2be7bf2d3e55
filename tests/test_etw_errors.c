/* SPDX-License-Identifier: MIT */
/*
 * test_etw_errors.c - what the ETW export readers refuse, and the exact
 * message: the file and line (CSV) or line:column (XML), and what is wrong.
 * Also the value parsers' edges (numbers, booleans, NTSTATUS, ISO 8601).
 */
#include "etw-test.h"

static void csv_column_counts(void **state)
{
	(void)state;
	assert_string_equal(open_bad("c.csv", CSV_HEAD ROW("Mark", "ok")
				     ROW("FlushAdapterBuffers", "nic0, 0x10, 0x20, 0x30, 0, 64, false, 1, 0x1000")),
			    "c.csv:3: event FlushAdapterBuffers has 9 fields, expected 11");
	assert_string_equal(open_bad("c.csv", CSV_HEAD ROW("FlushAdapterBuffers", FLUSH_OK ", 7")),
			    "c.csv:2: event FlushAdapterBuffers has 12 fields, expected 11");
	/* three MDLs one cell each: 9 + 3 * 2 = 15 fields */
	assert_string_equal(open_bad("c.csv", CSV_HEAD ROW("FlushAdapterBuffers",
				     "nic0, 0x10, 0x20, 0x30, 0, 64, false, 3, 1, 2, 3, 4, 5, true")),
			    "c.csv:2: event FlushAdapterBuffers has 14 fields, expected 15");
	assert_string_equal(open_bad("c.csv", CSV_HEAD "Dmascope.Dma, Info, 0\n"),
			    "c.csv:2: row has 3 columns, the header 20");
}

static void csv_bad_values(void **state)
{
	(void)state;
	assert_string_equal(open_bad("v.csv", CSV_HEAD ROW("FlushAdapterBuffers",
				     "nic0, 0x10, 0x20, 0x30, zero, 64, false, 1, 0x1000, 64, true")),
			    "v.csv:2: FlushAdapterBuffers: field Offset: 'zero' is not a 64-bit "
			    "unsigned number");
	assert_string_equal(open_bad("v.csv", CSV_HEAD ROW("FlushAdapterBuffers",
				     "nic0, 0x10, 0x20, 0x30, 0, 64, maybe, 1, 0x1000, 64, true")),
			    "v.csv:2: FlushAdapterBuffers: field WriteToDevice: 'maybe' is not a "
			    "boolean (true/false)");
	assert_string_equal(open_bad("v.csv", CSV_HEAD ROW("CpuRead", "0x1000, 4294967296")),
			    "v.csv:2: CpuRead: field Length: '4294967296' is not a 32-bit unsigned "
			    "number");
	assert_string_equal(open_bad("v.csv", CSV_HEAD ROW("FlushAdapterBuffers",
				     "nic0, 0x10, 0x20, 0x30, 0, 64, false, 1, 0x1000, 0, true")),
			    "v.csv:2: FlushAdapterBuffers segment 0 has length 0");
	assert_string_equal(open_bad("v.csv", CSV_HEAD ROW("CpuWrite", "0x1000, 4, 0x0102")),
			    "v.csv:2: CpuWrite: field Data: 2 bytes, but Length is 4");
	assert_string_equal(open_bad("v.csv", CSV_HEAD ROW("DeviceDone", ", 0x30")),
			    "v.csv:2: DeviceDone: field Device: empty device name");
	assert_string_equal(open_bad("v.csv", CSV_HEAD
				     "Dmascope.Dma, Info, 0, 0, 0, 5, 0, Mark, 0x0, 0x4, 0x10, 0, , , "
				     "{0}, , soon, 0, 0, x\n"),
			    "v.csv:2: Clock-Time 'soon' is not a FILETIME (100 ns units)");
}

static void csv_bad_files(void **state)
{
	(void)state;
	assert_string_equal(open_bad("f.csv", CSV_HEAD ROW("Mark", "a\"b")),
			    "f.csv:2: malformed CSV (RFC 4180 quoting): error parsing data while "
			    "strict checking enabled");
	/* truncated inside a quoted field */
	assert_string_equal(open_bad("f.csv", CSV_HEAD ROW("Mark", "ok") "Dmascope.Dma, Info, "
				     "0, 0, 0, 5, 0, Mark, 0x0, 0x4, 0x10, 0, , , {0}, , 1, 0, 0, \"cut"),
			    "f.csv:3: malformed CSV at end of file (unterminated quoted field)");
	assert_string_equal(open_bad("f.csv", "Event Name, Type, Task, User Data\n"),
			    "f.csv:1: the header row has no 'Clock-Time' column");
	assert_string_equal(open_bad("f.csv", "Event Name, Type, Task, Clock-Time, User Data, X\n"),
			    "f.csv:1: 'User Data' is not the last column of the header row");
	assert_string_equal(open_bad_n("f.csv", CSV_HEAD "x\0y\n", sizeof(CSV_HEAD) + 3),
			    "f.csv:2: NUL byte: not a text file (a UTF-16 export must be converted "
			    "to UTF-8 first)");
}

static void csv_utf16(void **state)
{
	static const char doc[] = "\xff\xfe" "E\0v\0e\0n\0t\0 \0N\0a\0m\0e\0,\0";

	(void)state;
	assert_string_equal(open_bad_n("u.csv", doc, sizeof(doc) - 1),
			    "u.csv:1: UTF-16 text: convert it to UTF-8 first (iconv -f UTF-16 -t "
			    "UTF-8)");
}

/* Element counts are bounded: a count or a packed list over 4096 is refused. */
static void array_limits(void **state)
{
	size_t cap = 9 * 4097 + 512;
	char *doc = malloc(cap), *p;

	(void)state;
	assert_string_equal(open_bad("l.csv", CSV_HEAD ROW("MapTransfer",
				     "d, 1, 2, 3, 0, 8, false, 4097, 1, 8, 0x9000")),
			    "l.csv:2: MapTransfer: field MdlCount: 4097 elements (at most 4096)");
	p = doc + snprintf(doc, cap, "%s", CSV_HEAD "Dmascope.Dma, Info, 0, 0, 0, 5, 0, MapTransfer, "
			   "0x0, 0x4, 0x10, 0, , , {0}, , 1, 0, 0, d, 1, 2, 3, 0, 8, false, 4096, \"");
	for (int i = 0; i < 4097; i++)
		p += sprintf(p, "%s0x%x", i ? ";" : "", 0x1000 * (i + 1));
	sprintf(p, "\", 8, 0x9000\n");
	assert_string_equal(open_bad("l.csv", doc),
			    "l.csv:2: MapTransfer: field MdlPhysicalAddress: more than 4096 elements");
	free(doc);
}

static void xml_not_well_formed(void **state)
{
	(void)state;
	assert_string_equal(open_bad("w.xml", XML_HEAD XML_EVENT("Mark", D("Text", "x"))
				     "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/"
				     "events/event\"><System></Event>\n" XML_TAIL),
			    "w.xml:6:80: not well-formed XML: mismatched tag");
	/* truncated */
	assert_string_equal(open_bad("w.xml", XML_HEAD XML_EVENT("Mark", D("Text", "x"))),
			    "w.xml:6:1: the file ends early at line 6, inside the export (no "
			    "element found): a truncated file?");
	assert_string_equal(open_bad("w.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE Events [<!ENTITY a "
				     "\"b\">]>\n<Events xmlns=\"http://schemas.microsoft.com/win/2004/"
				     "08/events/event\"/>"),
			    "w.xml:2:18: DOCTYPE declarations are not allowed in an event export");
	assert_string_equal(open_bad("w.xml", "<?xml version=\"1.0\"?>\n<Stuff><Event xmlns=\"http://"
				     "schemas.microsoft.com/win/2004/08/events/event\"/></Stuff>"),
			    "w.xml:2:1: root element <Stuff> is not <Events> or <Event>");
}

static void xml_bad_events(void **state)
{
	(void)state;
	assert_string_equal(open_bad("e.xml", XML_HEAD XML_EVENT("CpuRead", D("PhysicalAddress", "0x10"))
				     XML_TAIL),
			    "e.xml:3:1: event CpuRead lacks field Length");
	assert_string_equal(open_bad("e.xml", XML_HEAD XML_EVENT("CpuRead", D("PhysicalAddress", "0x10")
				     D("Length", "four")) XML_TAIL),
			    "e.xml:4:52: CpuRead: field Length: 'four' is not a 32-bit unsigned "
			    "number");
	assert_string_equal(open_bad("e.xml", XML_HEAD XML_EVENT("CpuRead", D("PhysicalAddress", "0x10")
				     D("Length", "4") D("Colour", "red")) XML_TAIL),
			    "e.xml:4:80: event CpuRead has no field 'Colour'");
	assert_string_equal(open_bad("e.xml", XML_HEAD XML_EVENT("CpuRead", D("PhysicalAddress", "1")
				     D("PhysicalAddress", "2") D("Length", "4")) XML_TAIL),
			    "e.xml:4:12: CpuRead: field PhysicalAddress: 2 values, expected one");
	assert_string_equal(open_bad("e.xml", XML_HEAD XML_EVENT("Warp", D("Text", "x")) XML_TAIL),
			    "e.xml:3:1: unknown event 'Warp' of provider Dmascope.Dma");
	assert_string_equal(open_bad("e.xml", XML_HEAD XML_EVENT("", D("Text", "x")) XML_TAIL),
			    "e.xml:3:1: event of provider Dmascope.Dma has no name "
			    "(RenderingInfo/Task)");
	assert_string_equal(open_bad("e.xml", XML_HEAD "<Event xmlns=\"http://schemas.microsoft.com/"
				     "win/2004/08/events/event\"><System><Provider Name=\"Dmascope.Dma\""
				     "/></System><EventData Name=\"Mark\">" D("Text", "x")
				     "</EventData></Event>" XML_TAIL),
			    "e.xml:3:1: event has no System/TimeCreated SystemTime");
}

static void values(void **state)
{
	uint64_t u, a, b;
	int32_t st;
	int v;

	(void)state;
	assert_int_equal(etw_parse_u64(" 0xFFFFFFFFFFFFFFFF ", &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(etw_parse_u64("18446744073709551616", &u), -1);
	assert_int_equal(etw_parse_u64("0x", &u), -1);
	assert_int_equal(etw_parse_u64("12a", &u), -1);
	assert_int_equal(etw_parse_bool("TRUE", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(etw_parse_bool("tru", &v), -1);
	assert_int_equal(etw_parse_status("STATUS_INVALID_PARAMETER", &st), 0);
	assert_int_equal(st, COH_STATUS_INVALID_PARAMETER);
	assert_int_equal(etw_parse_status("-1073741811", &st), 0);
	assert_int_equal(st, COH_STATUS_INVALID_PARAMETER);
	assert_int_equal(etw_parse_status("0x1C000000D", &st), -1);
	/* 1601-01-01 is FILETIME 0; 2000-03-01 after a 400-year leap day */
	assert_int_equal(etw_iso8601_ns("1601-01-01T00:00:00Z", &u), 0);
	assert_int_equal(u, 0);
	assert_int_equal(etw_iso8601_ns("2000-02-29T23:00:00-01:00", &a), 0);
	assert_int_equal(etw_iso8601_ns("2000-03-01T00:00:00.000000001", &b), 0);
	assert_int_equal(b - a, 1);
	assert_int_equal(etw_iso8601_ns("2022-06-13T10:00:00Z", &u), 0);
	assert_true(u == 132995880000000000ull * 100);
	assert_int_equal(etw_iso8601_ns("2023-02-29T00:00:00Z", &u), -1);
	assert_int_equal(etw_iso8601_ns("2022-06-13T10:00:00+25:00", &u), -1);
	assert_true(etw_guid_eq(" {5D575051-8be8-565a-febc-6f88289697b8} ", ETW_PROVIDER_GUID));
	assert_false(etw_guid_eq("5d575051-8be8-565a-febc-6f88289697b", ETW_PROVIDER_GUID));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_column_counts),
		cmocka_unit_test(csv_bad_values),
		cmocka_unit_test(csv_bad_files),
		cmocka_unit_test(csv_utf16),
		cmocka_unit_test(array_limits),
		cmocka_unit_test(xml_not_well_formed),
		cmocka_unit_test(xml_bad_events),
		cmocka_unit_test(values),
	};

	return cmocka_run_group_tests(tests, etw_setup, etw_teardown);
}
