/* SPDX-License-Identifier: MIT */
/*
 * test_dmt_errors.c - malformed .dmt files are rejected with the exact
 * file:line:column of the fault and what was expected there.
 */
#include "dmt-test.h"

#define H "dmascope-trace 1\n"

struct bad {
	const char *text;            /* the whole file */
	const char *where;           /* "LINE:COL" */
	const char *what;            /* part of the message */
};

static const struct bad bads[] = {
	/* magic line */
	{ "dmascope-trace 2\n", "1:16", "unsupported .dmt version 2" },
	{ "dmascope-trace\n", "1:15", "expected the format version (1)" },
	{ "dmascope-trace one\n", "1:16", "expected the format version (1)" },
	{ "dmascope-trace 1 extra\n", "1:18", "unexpected text after the format version" },
	/* keywords, keys, values */
	{ H "foo bar=1\n", "2:1", "unknown event 'foo'" },
	{ H "cpu_read addr=1 len=1 foo=2\n", "2:23", "cpu_read takes no foo=" },
	{ H "cpu_read addr=1 len=1 irp=2\n", "2:23", "cpu_read takes no irp=" },
	{ H "cpu_read addr=1 len=1 bogus\n", "2:23", "unexpected 'bogus'" },
	{ H "dma_map dev=d addr=1 bus=2 len=3 dir=TO_DEVICE WriteToDevice\n", "2:48",
	  "dma_map takes no WriteToDevice" },
	{ H "cpu_read addr=1 addr=2 len=1\n", "2:17", "addr is given twice" },
	{ H "cpu_read addr=1\n", "2:16", "cpu_read needs len=" },
	{ H "FlushAdapterBuffersEx dev=d seg=1,-,1 len=1\n", "2:44",
	  "FlushAdapterBuffersEx needs WriteToDevice=TRUE or =FALSE" },
	{ H "begin text=x\n", "2:13", "begin needs scope=" },
	{ H "cpu_write addr=1\n", "2:17", "cpu_write needs len= (or data=)" },
	{ H "cpu_read addr=1 len\n", "2:20", "expected '=' and a value after len" },
	{ H "cpu_read addr= len=1\n", "2:15", "expected a value after addr=" },
	{ H "cpu_read addr=1 len=1 =5\n", "2:23", "expected a key before '='" },
	{ H "cpu_read addr=1 len=1 \"quoted\"\n", "2:23", "unexpected quoted string" },
	/* numbers and addresses */
	{ H "cpu_read addr=zz len=4\n", "2:15",
	  "expected an address (0x-hexadecimal or decimal) after addr=" },
	{ H "cpu_read addr=0x10 len=99999999999999999999\n", "2:24",
	  "the number after len= does not fit in 64 bits" },
	{ H "cpu_read addr=0x10000000000000000 len=1\n", "2:15", "does not fit in 64 bits" },
	{ H "cpu_read addr=0xfffffffffffffff0 len=32\n", "2:34",
	  "addr=0xfffffffffffffff0 + len=32 runs past the end of the 64-bit address space" },
	{ H "dma_map dev=d addr=1 bus=0xffffffffffffff00 len=4096 dir=TO_DEVICE\n", "2:45",
	  "bus=0xffffffffffffff00 + len=4096 runs past" },
	{ H "cpu_read addr=0xffffffffffffffff len=1\n", "2:15", "is reserved" },
	{ H "cpu_read addr=1 len=0\n", "2:1", "cpu_read of length 0" },
	{ H "cpu_read addr=1 len=1 cpu=x\n", "2:27", "expected a CPU number after cpu=" },
	{ H "cpu_read addr=1 len=1 cpu=8\n", "2:27", "cpu=8 is out of range" },
	{ H "platform x86 cpus=2\ncpu_read addr=1 len=1 cpu=2\n", "3:27",
	  "out of range (the platform line says 2 CPUs" },
	{ H "dma_map_sg dev=d seg=1,2,3 nents=4294967296 dir=TO_DEVICE\n", "2:34",
	  "does not fit in 32 bits" },
	{ H "mark src=x\n", "2:10", "expected an event number or none after src=" },
	/* segments, data, text, enumerations */
	{ H "KeFlushIoBuffers dev=d seg=0x1000 ReadOperation=TRUE DmaOperation=TRUE\n",
	  "2:28", "expected seg=PHYS,BUS,LEN" },
	{ H "KeFlushIoBuffers dev=d seg=1,-,2,3 ReadOperation=TRUE DmaOperation=TRUE\n",
	  "2:32", "expected seg=PHYS,BUS,LEN" },
	{ H "dma_map_sg dev=d seg=1,x,2 dir=TO_DEVICE\n", "2:24", "expected an address" },
	{ H "dma_map_sg dev=d seg=1,2,z dir=TO_DEVICE\n", "2:26", "expected a length" },
	{ H "cpu_write addr=1 len=3 data=0102\n", "2:18", "len=3 but data= holds 2 bytes" },
	{ H "cpu_write addr=1 data=01x2\n", "2:25", "expected hexadecimal digits" },
	{ H "cpu_write addr=1 data=abc\n", "2:25", "expected an even number of hexadecimal" },
	{ H "mark text=\"abc\n", "2:11", "unterminated quoted string" },
	{ H "mark text=\"a\\qb\"\n", "2:13", "unknown escape" },
	{ H "mark text=\"a\\x0\"\n", "2:13", "expected two hexadecimal digits after \\x" },
	{ H "mark text=\"a\\x00b\"\n", "2:13", "cannot hold a NUL byte" },
	{ H "mark text=\"a\"b\n", "2:14", "expected a space after the closing '\"'" },
	{ H "mark te\"xt\n", "2:8", "unexpected '\"' inside a word" },
	{ H "mark \x01\n", "2:6", "control character 0x01" },
	{ H "dma_unmap dev=d bus=1 len=1 dir=UP\n", "2:33", "expected a direction" },
	{ H "begin scope=sometimes\n", "2:13", "expected seq, phase or run after scope=" },
	{ H "dma_map dev=d addr=1 bus=2 len=3 dir=TO_DEVICE SKIP_CPU_SYNC=maybe\n", "2:62",
	  "expected TRUE or FALSE after SKIP_CPU_SYNC=" },
	{ H "IoCompleteRequest irp=1 status=STATUS_NOPE\n", "2:32", "expected a status" },
	{ H "IoCompleteRequest irp=1 status=0x100000000\n", "2:32", "expected a status" },
	{ H "dev_done dev=\"\"\n", "2:14", "expected a device name" },
	/* timestamps */
	{ H "1.2.3 mark\n", "2:1", "expected a timestamp" },
	{ H "1.0000000001 mark\n", "2:1", "at most 9 decimals" },
	{ H "18446744074 mark\n", "2:1", "timestamp too large" },
	{ H "5\n", "2:2", "expected an event name after the timestamp" },
	/* header */
	{ H "mark\nplatform x86\n", "3:1", "'platform' is a header line" },
	{ H "mark\ndevice a\n", "3:1", "'device' is a header line" },
	{ H "platform x87\n", "2:10", "unknown platform 'x87'" },
	{ H "platform\n", "2:9", "expected a platform name" },
	{ H "platform \"\"\n", "2:10", "expected a name" },
	{ H "platform mine base=x87\n", "2:20", "unknown preset 'x87' after base=" },
	{ H "platform x86 line=48\n", "2:1", "line size 48" },
	{ H "platform x86 line=64 line=32\n", "2:22", "line= is given twice" },
	{ H "platform x86 flavour=1\n", "2:14", "unknown platform setting flavour=" },
	{ H "platform x86 speculative=2\n", "2:26", "speculative=2 is out of range (0..1)" },
	{ H "platform x86 cpus=9\n", "2:19", "cpus=9 is out of range (1..8)" },
	{ H "platform x86 line\n", "2:14", "expected key=value" },
	{ H "platform x86\nplatform x86\n", "3:1", "a second platform line" },
	{ H "device a\nplatform x86\n", "3:1", "must come before the device lines" },
	{ H "platform x86\ndevice a B=12 C=8\n", "3:1", "controller chunk 8" },
	{ H "platform x86\ndevice a color=red\n", "3:10", "unknown device setting color=" },
	{ H "device a coherent=1\n", "2:10", "device settings need a platform line above" },
	{ H "device a\ndevice a\n", "3:8", "device 'a' is declared twice" },
	{ H "device aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "2:8",
	  "name of 48 bytes (at most 47)" },
	{ H "devices strict\ndevice a\ndev_done dev=b\n", "4:14",
	  "device 'b' is not declared by a device line" },
	{ H "ends sideways\n", "2:6", "expected 'open' or 'closed' after 'ends'" },
	{ H "ends open now\n", "2:11", "unexpected text after 'ends open'" },
	{ H "ends open\nends open\n", "3:1", "a second 'ends' line" },
	{ H "devices\n", "2:8", "expected 'strict' or 'open' after 'devices'" },
};

/* 0 when @text is rejected at @where with a message holding @what */
static int check_bad(const char *text, size_t len, const char *where, const char *what)
{
	char *path = dt_tmpfile(text, len);
	struct trace *t = (struct trace *)&t;
	char err[2048], want[600];
	int bad = 0;

	if (trace_open(path, NULL, &t, err, sizeof(err)) == 0) {
		print_error("accepted: %s\n", text);
		trace_close(t);
		bad = 1;
	} else {
		snprintf(want, sizeof(want), "%s:%s: ", path, where);
		assert_null(t);
		if (strncmp(err, want, strlen(want)) != 0 || !strstr(err, what)) {
			print_error("for %.200s\nwanted %s...%s\ngot    %.300s\n", text, want,
				    what, err);
			bad = 1;
		}
	}
	dt_rmtmp(path);
	return bad;
}

static void expect_bad(const char *text, size_t len, const char *where, const char *what)
{
	assert_int_equal(check_bad(text, len, where, what), 0);
}

static void test_bad_lines(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
		failed += check_bad(bads[i].text, strlen(bads[i].text), bads[i].where,
				    bads[i].what);
	assert_int_equal(failed, 0);
}

static void test_nul_byte(void **state)
{
	static const char text[] = H "mark te\0xt\n";

	(void)state;
	expect_bad(text, sizeof(text) - 1, "2:8", "NUL byte");
}

static void test_long_line(void **state)
{
	size_t n = 8u << 20, h = strlen(H "mark text=");
	char *text = malloc(h + n + 2);

	(void)state;
	assert_non_null(text);
	memcpy(text, H "mark text=", h);
	memset(text + h, 'a', n);
	text[h + n] = '\n';
	expect_bad(text, h + n + 1, "2:8388609", "line longer than 8388608 bytes");
	expect_bad(text, h + n, "2:8388609", "line longer than");   /* and without the newline */
	free(text);
}

static void test_too_many_devices(void **state)
{
	char *text = malloc(20 * 200);
	size_t k = 0;

	(void)state;
	assert_non_null(text);
	k += (size_t)sprintf(text, H);
	for (int i = 0; i <= COH_MAX_DEVS; i++)
		k += (size_t)sprintf(text + k, "dev_done dev=d%d\n", i);
	expect_bad(text, k, "130:14", "more than 128 devices");
	free(text);
}

static void test_too_many_segments(void **state)
{
	size_t k = 0, cap = 70000 * 12 + 200;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	k += (size_t)sprintf(text, H "dma_map_sg dev=d dir=TO_DEVICE");
	for (int i = 0; i <= 65536; i++)
		k += (size_t)sprintf(text + k, " seg=1,2,3");
	text[k++] = '\n';
	/* the 65537th seg= starts after "dma_map_sg dev=d dir=TO_DEVICE" and 65536 x 10 bytes */
	expect_bad(text, k, "2:655392", "more than 65536 seg= entries");
	free(text);
}

static void test_too_many_settings(void **state)
{
	char text[512];
	size_t k = (size_t)sprintf(text, H "platform x86");

	(void)state;
	for (int i = 0; i < 32; i++)
		k += (size_t)sprintf(text + k, " k%02d=1", i);
	text[k++] = '\n';
	/* "platform x86" is 12 bytes; each " kNN=1" 6: the 32nd starts at 12 + 31 * 6 + 2 */
	expect_bad(text, k, "2:200", "too many settings on one line");
}

static void test_not_a_dmt(void **state)
{
	char *path = dt_tmptext("platform x86\n");
	struct trace *t;
	char err[512];

	(void)state;
	assert_int_equal(trace_open(path, NULL, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a trace dmascope reads"));
	dt_rmtmp(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_too_many_devices),
		cmocka_unit_test(test_too_many_segments),
		cmocka_unit_test(test_too_many_settings),
		cmocka_unit_test(test_not_a_dmt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
