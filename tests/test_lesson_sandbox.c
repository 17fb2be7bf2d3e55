/* SPDX-License-Identifier: MIT */
/*
 * test_lesson_sandbox.c - the lesson sandbox and the binding's safety: what a
 * lesson may not reach (io, os, require, binary chunks), the caps that stop
 * an endless loop and a memory bomb with a clear message (and leave the
 * state usable), errors that name the file and line, and engine objects used
 * after their simulation was closed raising a Lua error instead of crashing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lesson.h"

static struct lesson_env *env(void)
{
	struct lesson_limits lim = { 8u << 20, 5000000 };
	struct lesson_env *e = lesson_env_new(&lim, NULL);

	assert_non_null(e);
	return e;
}

/* run @chunk, which must fail with a message containing @want */
static void fails_with(struct lesson_env *e, const char *chunk, const char *want)
{
	char err[1024] = "";

	assert_int_equal(lesson_env_run(e, chunk, "=t", err, sizeof(err)), -1);
	if (!strstr(err, want))
		fail_msg("'%s' failed with '%s', expected '%s'", chunk, err, want);
}

static void runs(struct lesson_env *e, const char *chunk)
{
	char err[1024] = "";

	if (lesson_env_run(e, chunk, "=t", err, sizeof(err)) != 0)
		fail_msg("'%s' failed: %s", chunk, err);
}

static void test_no_escape(void **state)
{
	struct lesson_env *e = env();

	(void)state;
	fails_with(e, "io.open('/etc/passwd')", "global 'io'");
	fails_with(e, "os.execute('true')", "global 'os'");
	fails_with(e, "require('io')", "global 'require'");
	fails_with(e, "dofile('/etc/passwd')", "global 'dofile'");
	fails_with(e, "loadfile('/etc/passwd')", "global 'loadfile'");
	fails_with(e, "debug.getinfo(1)", "global 'debug'");
	fails_with(e, "package.loadlib('x', 'y')", "global 'package'");
	/* a binary chunk: the signature Lua writes first, refused before parsing */
	runs(e, "local f, msg = load('\\27Lua\\84\\0') assert(not f and msg:find('binary'))");
	fails_with(e, "load('return 1', 'x', 'b')", "only text chunks");
	runs(e, "assert(load('return 1 + 1')() == 2)");   /* text chunks still load */
	runs(e, "assert(string.dump == nil)");
	lesson_env_free(e);
}

static void test_caps(void **state)
{
	struct lesson_env *e = env();

	(void)state;
	fails_with(e, "local i = 0\nwhile true do i = i + 1 end", "t:2: instruction limit exceeded");
	runs(e, "assert(1 + 1 == 2)");                    /* the state is usable again */
	fails_with(e, "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 4096) .. i end",
		   "memory limit exceeded");
	runs(e, "local t = {} for i = 1, 1000 do t[i] = i end");
	lesson_env_free(e);
}

static void test_errors_name_line(void **state)
{
	char path[] = "/tmp/dmascope-lesson-XXXXXX.lua", err[1024] = "";
	int fd = mkstemps(path, 4);
	struct lesson_env *e = env();
	struct lesson_info li;

	(void)state;
	assert_true(fd >= 0);
	assert_true(write(fd, "return {\n  id = 'x',\n  steps = {{ narrate = 'a' }\n}\n", 52) == 52);
	close(fd);
	assert_int_equal(lesson_load(e, path, &li, err, sizeof(err)), -1);
	lesson_info_free(&li);
	if (!strstr(err, ".lua:5:") || !strstr(err, "expected"))
		fail_msg("a syntax error gave '%s'", err);
	unlink(path);
	/* a run-time error inside the binding points at the lesson's line */
	fails_with(e, "local s = dma.sim('x86')\n\ns:cpu_read{addr = 0x1000}", "t:3:");
	fails_with(e, "local s = dma.sim('x86')\ns:cpu_read{addr = 0x1000}", "cpu_read needs len=");
	lesson_env_free(e);
}

static void test_stale_objects(void **state)
{
	struct lesson_env *e = env();

	(void)state;
	runs(e, "p = dma.platform('arm-noncoherent') p:device('eth0')\n"
		"s = dma.sim(p)\n"
		"s:cpu_write{addr = 0x80000, len = 64}\n"
		"s:dma_map{dev = 'eth0', addr = 0x80000, bus = 0x80000, len = 64, dir = 'FROM_DEVICE'}\n"
		"s:dev_write{dev = 'eth0', addr = 0x80000, len = 64}\n"
		"s:cpu_read{addr = 0x80000, len = 4}\n"
		"f = s:findings()[1] assert(f.error and f.event == 4, tostring(f))\n"
		"w = s:whatif()\n"
		"s:close()");
	fails_with(e, "return f.id", "finding used after its simulation was closed");
	fails_with(e, "return f:explain()", "closed");
	fails_with(e, "s:cpu_read{addr = 0x80000, len = 4}", "simulation used after it was closed");
	fails_with(e, "return s:cpu_byte(0x80000)", "closed");
	/* the what-if copied the record: it outlives the simulation, until closed */
	runs(e, "w:omit(2) d = w:diff() g = d.added[1] assert(g and g.error) w:close()");
	fails_with(e, "w:omit(1)", "what-if used after its what-if was closed");
	fails_with(e, "return g.id", "finding used after its what-if was closed");
	runs(e, "collectgarbage() collectgarbage()");
	lesson_env_free(e);
}

static void test_progress(void **state)
{
	char dir[] = "/tmp/dmascope-progress-XXXXXX", path[256], warn[512], err[512];
	struct lesson_progress p;
	struct lesson_progress_row *r;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/progress", dir);
	assert_int_equal(lesson_progress_load(path, &p, warn, sizeof(warn)), 0);
	assert_int_equal(p.n, 0);                       /* missing: empty, no warning */
	assert_string_equal(warn, "");
	r = lesson_progress_row(&p, "kef-read", 1);
	r->done = 1;
	r->answered = 3;
	r->first_try = 2;
	lesson_progress_row(&p, "dma-cache", 1)->answered = 1;
	assert_int_equal(lesson_progress_save(path, &p, err, sizeof(err)), 0);
	lesson_progress_free(&p);
	/* corrupt a line in the middle: that line is skipped, the rest kept */
	f = fopen(path, "a");
	assert_non_null(f);
	fputs("lesson broken done=zzz\n\x01\x02garbage\nlesson late done=1 answered=1 first_try=1\n", f);
	fclose(f);
	assert_int_equal(lesson_progress_load(path, &p, warn, sizeof(warn)), 0);
	assert_non_null(strstr(warn, "2 lines could not be read"));
	assert_int_equal(p.n, 3);
	r = lesson_progress_row(&p, "kef-read", 0);
	assert_non_null(r);
	assert_int_equal(r->done, 1);
	assert_int_equal(r->first_try, 2);
	assert_non_null(lesson_progress_row(&p, "late", 0));
	/* an atomic write leaves no temporary file behind, and replaces the old */
	assert_int_equal(lesson_progress_save(path, &p, err, sizeof(err)), 0);
	snprintf(err, sizeof(err), "%s.tmp.%ld", path, (long)getpid());
	assert_int_not_equal(access(err, F_OK), 0);
	lesson_progress_free(&p);
	assert_int_equal(lesson_progress_load(path, &p, warn, sizeof(warn)), 0);
	assert_string_equal(warn, "");
	assert_int_equal(p.n, 3);
	lesson_progress_free(&p);
	/* a save that cannot write keeps the old file whole */
	snprintf(err, sizeof(err), "chmod 500 %s/sub", dir);
	if (geteuid() != 0 && system(err) == 0) {
		assert_int_equal(lesson_progress_save(path, &p, warn, sizeof(warn)), -1);
		assert_int_equal(lesson_progress_load(path, &p, warn, sizeof(warn)), 0);
		assert_int_equal(p.n, 3);
		lesson_progress_free(&p);
	}
	snprintf(err, sizeof(err), "chmod -R 700 %s && rm -rf %s", dir, dir);
	assert_int_equal(system(err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_escape),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_errors_name_line),
		cmocka_unit_test(test_stale_objects),
		cmocka_unit_test(test_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
