/* SPDX-License-Identifier: MIT */
/*
 * test_lesson_binding.c - the engine as a lesson sees it (lessons/lua_*.c):
 * every sample of traces/samples loads with dma.load() and gives the
 * findings a direct replay gives; its record, re-applied line by line,
 * gives them again; event tables become the .dmt lines they spell; the
 * views agree with the rules of docs/model.md (a CPU write sits dirty in
 * the cache, memory keeps the old byte); a what-if that inserts the
 * missing flush removes the finding, one that moves the run to a coherent
 * platform too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "coh_run.h"
#include "lesson.h"
#include "trace.h"

static struct lesson_env *env(void)
{
	struct lesson_env *e = lesson_env_new(NULL, ".");

	assert_non_null(e);
	return e;
}

static void runs(struct lesson_env *e, const char *chunk)
{
	char err[1024] = "";

	if (lesson_env_run(e, chunk, "=t", err, sizeof(err)) != 0)
		fail_msg("'%s' failed: %s", chunk, err);
}

static void fails_with(struct lesson_env *e, const char *chunk, const char *want)
{
	char err[1024] = "";

	if (lesson_env_run(e, chunk, "=t", err, sizeof(err)) != -1)
		fail_msg("'%s' did not fail", chunk);
	if (!strstr(err, want))
		fail_msg("'%s' failed with '%s', expected '%s'", chunk, err, want);
}

/* the distinct error ids a direct replay of @path gives, "DC001,DC003" */
static void direct_ids(const char *path, char *out, size_t n)
{
	struct trace *t;
	struct coh_platform p;
	struct coh_source src;
	struct coh_sim *s;
	char err[512];
	int seen[COH_FID_COUNT] = { 0 };
	size_t len = 0;

	assert_int_equal(trace_open(path, NULL, &t, err, sizeof(err)), 0);
	assert_int_equal(trace_platform(t, NULL, &p, err, sizeof(err)), 0);
	s = coh_sim_new(&p, 0, NULL);
	assert_non_null(s);
	src = trace_source(t);
	assert_true(coh_run(s, &src, 0, UINT64_MAX, NULL, NULL) >= 0);
	for (size_t i = 0; i < coh_sim_nfindings(s); i++)
		seen[coh_sim_finding(s, i)->id] = coh_fid_is_error(coh_sim_finding(s, i)->id);
	out[0] = 0;
	for (unsigned id = 1; id < COH_FID_COUNT; id++)
		if (seen[id])
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "",
						coh_fid_code(id));
	coh_sim_free(s);
	trace_close(t);
}

static void test_samples(void **state)
{
	DIR *d = opendir("traces/samples");
	struct dirent *de;
	struct lesson_env *e = env();
	char path[512], ids[256], chunk[2048];
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".dmt"))
			continue;
		snprintf(path, sizeof(path), "traces/samples/%s", de->d_name);
		direct_ids(path, ids, sizeof(ids));
		snprintf(chunk, sizeof(chunk),
			 "local a = dma.load('%s')\n"
			 "assert(table.concat(a:errors(), ',') == '%s', table.concat(a:errors(), ','))\n"
			 "local b = dma.sim(a:platform())\n"
			 "for _, line in ipairs(a:events()) do b:apply(line) end\n"
			 "assert(b:count() == a:count())\n"
			 "assert(table.concat(b:errors(), ',') == '%s', 'lines: ' .. "
			 "table.concat(b:errors(), ','))\n"
			 "a:close() b:close()", path, ids, ids);
		runs(e, chunk);
		n += strstr(de->d_name, ".bug.") && ids[0];
	}
	closedir(d);
	assert_true(n >= 20);        /* every .bug sample has its finding */
	lesson_env_free(e);
}

static void test_event_tables(void **state)
{
	struct lesson_env *e = env();

	(void)state;
	runs(e, "p = dma.platform('nt-busmaster') p:device('nic') s = dma.sim(p)\n"
		"assert(s:MapTransfer{dev = 'nic', seg = {{0x1000, false, 64}, {0x3000, '-', 64}},\n"
		"  len = 128, handle = 0x10, irp = 7, WriteToDevice = false} == 1)\n"
		"assert(s:event(1) == 'MapTransfer dev=nic seg=0x1000,-,64 seg=0x3000,-,64 len=128 "
		"handle=0x10 irp=0x7 WriteToDevice=FALSE', s:event(1))\n"
		"s:cpu_write{addr = 0x1000, data = {1, 2, 0xff}}\n"
		"assert(s:event(2) == 'cpu_write addr=0x1000 len=3 data=0102ff', s:event(2))\n"
		"s:mark{text = 'a \"quoted\" note'}\n"
		"assert(s:event(3) == 'mark text=\"a \\\\\"quoted\\\\\" note\"', s:event(3))\n"
		"s:apply{'FlushAdapterBuffers', dev = 'nic', seg = {0x1000, false, 64}, len = 64,\n"
		"  handle = 0x10, irp = 7, WriteToDevice = false, status = false}\n"
		"assert(s:last_result() == 0)\n"
		"s:apply('IoCompleteRequest irp=7 status=STATUS_SUCCESS')\n"
		"assert(s:count() == 5)\n"
		"local ids = table.concat(s:errors(), ',') assert(ids:find('DC009'), ids)");
	fails_with(e, "s:cpu_read{addr = 0.5, len = 1}", "addr=0.5");
	fails_with(e, "s:cpu_read{addr = 0x1000, len = 1, irp = 3}", "cpu_read takes no irp=");
	fails_with(e, "s:dma_mapp{}", "Sim has no method 'dma_mapp'");
	fails_with(e, "s:MapTransfer{dev = 'nic', seg = {{1, 2}}, len = 1, WriteToDevice = true}",
		   "seg= takes {PHYS, BUS, LEN}");
	fails_with(e, "s:cpu_write{addr = 0x1000, data = {256}}", "not a byte");
	fails_with(e, "s:dev_write{dev = 'eth9', addr = 0, len = 4}", "eth9");
	fails_with(e, "dma.platform('x87')", "unknown platform preset 'x87'");
	fails_with(e, "dma.platform{base = 'x86', lines = 32}", "no platform setting 'lines'");
	lesson_env_free(e);
}

static void test_views(void **state)
{
	struct lesson_env *e = env();

	(void)state;
	/* docs/model.md section 1: a CPU write of a noncoherent platform stays in
	 * a dirty line; memory keeps the old byte until the line is written back */
	runs(e, "p = dma.platform{base = 'arm-noncoherent', name = 'mine', line = 32}\n"
		"assert(p.line == 32 and p.name == 'mine' and p.coherent == 0)\n"
		"p:device('eth0', {coherent = 1}) assert(p:settings('eth0').coherent == 1)\n"
		"s = dma.sim(p)\n"
		"assert(s:line(0x2000) == nil)\n"
		"s:cpu_write{addr = 0x2000, len = 4, data = 'a1a2a3a4'}\n"
		"assert(s:line(0x2000).state == 'dirty' and s:line(0x2000).addr == 0x2000)\n"
		"assert(s:cpu_byte(0x2001) == 0xa2 and s:mem_byte(0x2001) == 0)\n"
		"local b = s:cpu_bytes(0x2000, 4) assert(#b == 4 and b[4] == 0xa4)\n"
		"s:evict{addr = 0x2000, len = 4}\n"
		"assert(s:line(0x2000) == nil and s:mem_byte(0x2003) == 0xa4)\n"
		"assert(#s:mappings() == 0)");
	/* a slave-DMA controller of B=16 holds the tail that is not a multiple of 16 */
	runs(e, "p = dma.platform('nt-slave-dma') p:device('floppy')\n"
		"s = dma.sim(p)\n"
		"s:MapTransfer{dev = 'floppy', seg = {0x3000, false, 100}, len = 100, handle = 1,\n"
		"  irp = 1, WriteToDevice = false}\n"
		"assert(#s:mappings() == 1 and s:mappings()[1].kind == 'transfer')\n"
		"s:dev_write{dev = 'floppy', addr = 0x3000, len = 100}\n"
		"local c = s:ctrl('floppy') assert(c.dir == 'FROM_DEVICE' and #c.bytes == 100 % 16,\n"
		"  #c.bytes)");
	lesson_env_free(e);
}

static void test_findings_and_whatif(void **state)
{
	struct lesson_env *e = env();

	(void)state;
	runs(e, "p = dma.platform('nt-busmaster') p:device('nic', {P = 0})\n"
		"s = dma.sim(p)\n"
		"s:AllocateCommonBuffer{dev = 'nic', addr = 0x200000, bus = 0xc0200000, len = 4096,\n"
		"  CacheEnabled = true}\n"
		"s:cpu_write{addr = 0x200000, len = 64, data = string.rep('11', 64)}\n"
		"s:dev_read{dev = 'nic', addr = 0xc0200000, len = 64}\n"
		"local f = s:findings()[1]\n"
		"assert(f.id == 'DC002' and f.event == 3 and f.root and f.dev == 'nic', tostring(f))\n"
		"assert(f.seen[1] == s:mem_byte(0x200000) and f.expected[1] == 0x11)\n"
		"assert(f.omitted == 'KeFlushIoBuffers', f.omitted)\n"
		"assert(f:explain():find('KeFlushIoBuffers'))\n"
		/* the omission rows: no maintenance call, no row */
		"assert(#s:omissions() == 0)\n"
		/* insert the flush the finding names: the finding goes */
		"local w = s:whatif()\n"
		"w:insert(3, {'KeFlushIoBuffers', dev = 'nic', seg = {0x200000, false, 64},\n"
		"  ReadOperation = false, DmaOperation = true})\n"
		"local d = w:diff()\n"
		"assert(#d.added == 0 and d.removed_ids[1] == 'DC002', #d.added)\n"
		"assert(w:undo() and #w:diff().removed == 0)\n"
		/* a coherent device snoops the cache: nothing to find */
		"local q = p:copy() q.coherent = 1\n"
		"local x86 = dma.platform('nt-doublebuffer') x86:device('nic')\n"
		"w:platform(x86)\n"
		"assert(w:diff().removed_ids[1] == 'DC002')\n"
		"assert(#s:on('nt-doublebuffer'):errors() == 0)\n"
		"local b = s:breaks_on{'nt-busmaster', 'nt-doublebuffer'}\n"
		"assert(#b == 1 and b[1] == 'nt-busmaster')\n"
		/* asked for one finding: where it fires, whatever else does */
		"b = s:breaks_on({'nt-busmaster', 'nt-doublebuffer'}, 'DC002')\n"
		"assert(#b == 1 and b[1] == 'nt-busmaster')\n"
		"assert(#s:breaks_on({'nt-busmaster'}, 'DC001') == 0)\n"
		"assert(not pcall(s.breaks_on, s, nil, 'DC999'))");
	lesson_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_event_tables),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_findings_and_whatif),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
