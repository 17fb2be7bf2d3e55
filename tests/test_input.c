/* SPDX-License-Identifier: MIT */
/*
 * test_input.c - what trace_open() reads besides plain files, and how it
 * refuses: standard input ("-") in every format, .xz/.zst/.gz copies (made
 * with the xz, zstd and gzip commands) giving the very events of the plain
 * file, damaged compressed streams, damaged trace.dat magic, an ETW XML
 * export cut short, --device naming no device; no temporary file is left,
 * and random damage to compressed input is refused with a message naming
 * the file and an offset, never a crash.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "dmt-test.h"
#include "ftrace-test.h"

#define DMT_SAMPLE "traces/samples/linux-leak.bug.dmt"
#define XML_SAMPLE "traces/samples/etw-busmaster.xml"
#define CSV_SAMPLE "traces/samples/etw-busmaster.csv"

static const char *const packers[] = { "xz", "zstd", "gzip" };
static const char *const kinds[] = { ".xz", ".zst", ".gz" };

static char tmpdir[300];         /* TMPDIR for dmascope's temporary files */
static char work[256];           /* the tests' own files */

static int setup(void **state)
{
	char bug[4096];

	(void)state;
	capture_path(bug, sizeof(bug), "buggy", "trace.dat");
	if (need_file(bug) < 0)
		return -1;
	snprintf(work, sizeof(work), "/tmp/test_input-XXXXXX");
	if (!mkdtemp(work))
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", work);
	if (mkdir(tmpdir, 0700) < 0)
		return -1;
	return setenv("TMPDIR", tmpdir, 1);
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", work);
	return system(cmd) == 0 ? 0 : -1;
}

/* dmascope's temporary directory is empty */
static int tmpdir_empty(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n == 0;
}

/* @src through a shell command ("xz -c"), into work/@name; the new path */
static char *packed(const char *cmd, const char *src, const char *name)
{
	char *out = malloc(512), sh[2048];

	assert_non_null(out);
	snprintf(out, 512, "%s/%s", work, name);
	snprintf(sh, sizeof(sh), "%s < '%s' > '%s'", cmd, src, out);
	assert_int_equal(system(sh), 0);
	return out;
}

/* Open "-" with @path on standard input. */
static int open_stdin(const char *path, const struct trace_opts *o, struct trace **t,
		      char *err, size_t n)
{
	int saved = dup(0), fd = open(path, O_RDONLY);
	int rc;

	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, 0), 0);
	close(fd);
	rc = trace_open("-", o, t, err, n);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	return rc;
}

/* Both traces hold the same events, devices and warnings. */
static void same_trace(struct trace *a, struct trace *b)
{
	size_t la, lb;
	char *ta = dt_write(a, &la), *tb = dt_write(b, &lb);

	assert_int_equal(trace_count(a), trace_count(b));
	assert_int_equal(trace_format(a), trace_format(b));
	assert_int_equal(trace_ndevs(a), trace_ndevs(b));
	assert_int_equal(trace_nwarnings(a), trace_nwarnings(b));
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	free(ta);
	free(tb);
}

static void buggy_path(char *buf, size_t n)
{
	capture_path(buf, n, "buggy", "trace.dat");
}

/* ---- standard input ----------------------------------------------------------------- */

static void stdin_every_format(void **state)
{
	char bug[4096];
	const char *files[] = { DMT_SAMPLE, XML_SAMPLE, CSV_SAMPLE, bug };

	(void)state;
	buggy_path(bug, sizeof(bug));
	for (size_t i = 0; i < 4; i++) {
		struct trace *plain = dt_open(files[i], NULL), *in = NULL;
		char err[512];

		if (open_stdin(files[i], NULL, &in, err, sizeof(err)) < 0)
			fail_msg("%s: %s", files[i], err);
		assert_string_equal(trace_path(in), "<stdin>");
		assert_true(tmpdir_empty());         /* read through /proc, already unlinked */
		same_trace(plain, in);
		trace_close(in);
		trace_close(plain);
		assert_true(tmpdir_empty());
	}
}

static void stdin_errors_name_stdin(void **state)
{
	struct trace *t = NULL;
	char *junk = dt_tmptext("hello, world\n"), err[512];

	(void)state;
	assert_int_equal(open_stdin("/dev/null", NULL, &t, err, sizeof(err)), -1);
	assert_string_equal(err, "<stdin>: offset 0: empty file");
	assert_int_equal(open_stdin(junk, NULL, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "<stdin>: offset 0: not a trace dmascope reads"));
	assert_null(t);
	dt_rmtmp(junk);
	assert_true(tmpdir_empty());
	assert_string_equal(trace_input_name("-"), "<stdin>");
	assert_string_equal(trace_input_name("a.dat"), "a.dat");
}

/* ---- compressed copies ----------------------------------------------------------------- */

static void compressed_same_events(void **state)
{
	char bug[4096], cmd[32], name[32];
	const char *files[] = { bug, DMT_SAMPLE };

	(void)state;
	buggy_path(bug, sizeof(bug));
	for (size_t f = 0; f < 2; f++) {
		struct trace *plain = dt_open(files[f], NULL);

		for (size_t z = 0; z < 3; z++) {
			char *c, err[512];
			struct trace *t = NULL;

			snprintf(cmd, sizeof(cmd), "%s -c", packers[z]);
			snprintf(name, sizeof(name), "copy%zu", z);   /* no telling suffix */
			c = packed(cmd, files[f], name);
			t = dt_open(c, NULL);
			assert_string_equal(trace_path(t), c);
			same_trace(plain, t);
			trace_close(t);
			assert_int_equal(open_stdin(c, NULL, &t, err, sizeof(err)), 0);
			same_trace(plain, t);
			trace_close(t);
			assert_true(tmpdir_empty());
			unlink(c);
			free(c);
		}
		trace_close(plain);
	}
}

/* A refusal of @path naming it, an offset and "damaged KIND file". */
static void refused_damaged(const char *path, const char *kind, int on_stdin)
{
	char err[512], want[600];
	struct trace *t = NULL;
	int rc = on_stdin ? open_stdin(path, NULL, &t, err, sizeof(err)) :
			    trace_open(path, NULL, &t, err, sizeof(err));

	assert_int_equal(rc, -1);
	assert_null(t);
	snprintf(want, sizeof(want), "%s: offset ", on_stdin ? "<stdin>" : path);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("'%s' does not start with '%s'", err, want);
	snprintf(want, sizeof(want), ": damaged %s file: ", kind);
	if (!strstr(err, want))
		fail_msg("'%s' not in '%s'", want, err);
	assert_true(tmpdir_empty());
}

static void compressed_damaged(void **state)
{
	char bug[4096], cmd[64];

	(void)state;
	buggy_path(bug, sizeof(bug));
	for (size_t z = 0; z < 3; z++) {
		char *full, *cut, *bad;
		struct stat sb;

		snprintf(cmd, sizeof(cmd), "%s -c", packers[z]);
		full = packed(cmd, bug, "full");
		assert_int_equal(stat(full, &sb), 0);
		snprintf(cmd, sizeof(cmd), "head -c %lld", (long long)sb.st_size / 2);
		cut = packed(cmd, full, "cut");
		refused_damaged(cut, kinds[z], 0);
		refused_damaged(cut, kinds[z], 1);
		snprintf(cmd, sizeof(cmd), "tr 'a-f' 'A-F'");      /* bytes changed all over */
		bad = packed(cmd, full, "bad");
		refused_damaged(bad, kinds[z], 0);
		unlink(full);
		unlink(cut);
		unlink(bad);
		free(full);
		free(cut);
		free(bad);
	}
}

/* Random bytes overwritten in compressed .dmt copies: loaded, or refused
 * naming the file and an offset or a line; never a crash. */
static void compressed_random_damage(void **state)
{
	(void)state;
	srand(7);
	for (size_t z = 0; z < 3; z++) {
		char cmd[32], *c, *text, err[512];
		size_t n;
		FILE *f;

		snprintf(cmd, sizeof(cmd), "%s -c", packers[z]);
		c = packed(cmd, DMT_SAMPLE, "r");
		f = fopen(c, "rb");
		assert_non_null(f);
		text = malloc(65536);
		n = fread(text, 1, 65536, f);
		fclose(f);
		for (int round = 0; round < 200; round++) {
			char *d = malloc(n);
			char *p;
			struct trace *t = NULL;

			memcpy(d, text, n);
			for (int k = 0; k < 1 + round % 4; k++)
				d[(size_t)rand() % n] = (char)rand();
			p = dt_tmpfile(d, n);
			if (trace_open(p, NULL, &t, err, sizeof(err)) == 0) {
				trace_close(t);
			} else {
				assert_int_equal(strncmp(err, p, strlen(p)), 0);
				assert_true(strstr(err, ": offset ") || strchr(err + strlen(p) + 1, ':'));
			}
			dt_rmtmp(p);
			free(d);
		}
		assert_true(tmpdir_empty());
		free(text);
		unlink(c);
		free(c);
	}
}

/* ---- damaged trace.dat magic, an unrelated file ---------------------------------------- */

static void damaged_magic(void **state)
{
	static const struct { size_t off; const char *bytes; const char *want; } cases[] = {
		{ 5, "X", "offset 5: damaged trace.dat: the magic bytes read \\x17\\x08\\x44trXcing" },
		{ 0, "\x17\x08\x45", "offset 2: damaged trace.dat" },
		{ 3, "TRAC", "offset 3: damaged trace.dat" },
		/* magic gone, the version field after it intact */
		{ 0, "\0\0\0\0\0\0\0\0\0\0", "offset 0: damaged trace.dat" },
	};
	char bug[4096], err[512];
	struct stat sb;

	(void)state;
	buggy_path(bug, sizeof(bug));
	assert_int_equal(stat(bug, &sb), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *c = packed("cat", bug, "dmg.dat");
		int fd = open(c, O_WRONLY);
		size_t len = cases[i].bytes[0] ? strlen(cases[i].bytes) : 10;
		struct trace *t = NULL;

		assert_int_equal(pwrite(fd, cases[i].bytes, len, (off_t)cases[i].off), (ssize_t)len);
		close(fd);
		assert_int_equal(trace_open(c, NULL, &t, err, sizeof(err)), -1);
		assert_int_equal(strncmp(err, c, strlen(c)), 0);
		if (!strstr(err, cases[i].want))
			fail_msg("'%s' not in '%s'", cases[i].want, err);
		unlink(c);
		free(c);
	}
}

static void unrelated_is_not_damaged(void **state)
{
	static const char *const texts[] = {
		"just some text\n", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
		"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *p = dt_tmpfile(texts[i], strlen(texts[i]) + 1);
		struct trace *t = NULL;

		assert_int_equal(trace_open(p, NULL, &t, err, sizeof(err)), -1);
		assert_non_null(strstr(err, ": offset 0: not a trace dmascope reads"));
		dt_rmtmp(p);
	}
}

/* ---- an ETW XML export cut short ------------------------------------------------------- */

static void xml_cut_names_line(void **state)
{
	static const long cuts[] = { 3000, 20000, 40001 };
	char err[512], want[600], cmd[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		char *c;
		struct trace *t = NULL;
		unsigned lines = 1;
		FILE *f;
		int ch;

		snprintf(cmd, sizeof(cmd), "head -c %ld", cuts[i]);
		c = packed(cmd, XML_SAMPLE, "cut.xml");
		f = fopen(c, "rb");
		while ((ch = fgetc(f)) != EOF)
			lines += ch == '\n';
		fclose(f);
		assert_int_equal(trace_open(c, NULL, &t, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s:%u:", c, lines);
		assert_int_equal(strncmp(err, want, strlen(want)), 0);
		snprintf(want, sizeof(want), "the file ends early at line %u", lines);
		if (!strstr(err, want))
			fail_msg("'%s' not in '%s'", want, err);
		unlink(c);
		free(c);
	}
}

/* ---- --device ------------------------------------------------------------------------- */

static void unknown_device_lists_devices(void **state)
{
	struct trace_opts o = { .device = "eth9" };
	struct trace *t = NULL;
	char err[512], want[600];

	(void)state;
	assert_int_equal(trace_open(XML_SAMPLE, &o, &t, err, sizeof(err)), -1);
	assert_null(t);
	snprintf(want, sizeof(want), "%s: no device 'eth9' in this trace (its devices: ",
		 XML_SAMPLE);
	assert_int_equal(strncmp(err, want, strlen(want)), 0);
	assert_non_null(strstr(err, "nic0"));
	assert_int_equal(err[strlen(err) - 1], ')');
	/* a trace without devices says so */
	t = NULL;
	{
		char *p = dt_tmptext("dmascope-trace 1\nmark\n");

		assert_int_equal(trace_open(p, &o, &t, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "no device 'eth9' in this trace (it has no devices)"));
		dt_rmtmp(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stdin_every_format),
		cmocka_unit_test(stdin_errors_name_stdin),
		cmocka_unit_test(compressed_same_events),
		cmocka_unit_test(compressed_damaged),
		cmocka_unit_test(compressed_random_damage),
		cmocka_unit_test(damaged_magic),
		cmocka_unit_test(unrelated_is_not_damaged),
		cmocka_unit_test(xml_cut_names_line),
		cmocka_unit_test(unknown_device_lists_devices),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
