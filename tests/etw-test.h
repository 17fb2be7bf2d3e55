/* SPDX-License-Identifier: MIT */
/*
 * etw-test.h - what the ETW reader tests (test_etw.c, test_etw_errors.c)
 * share: a scratch directory, files written into it and opened, and small
 * CSV and XML documents built from macros.  Included by one .c each.
 */
#ifndef ETW_TEST_H
#define ETW_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "coh_err.h"
#include "etw/etw-local.h"
#include "trace.h"

#define NA COH_ADDR_NONE
/* each test uses some of these helpers */
#define UNUSED __attribute__((unused))

static char tmpdir[] = "/tmp/test_etw.XXXXXX";   /* made by etw_setup() */
static char err[512];

/* ---- helpers ---------------------------------------------------------------- */

static UNUSED const char *tmp_write_n(const char *name, const char *data, size_t n)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
	return path;
}

static UNUSED const char *tmp_write(const char *name, const char *text)
{
	return tmp_write_n(name, text, strlen(text));
}

static UNUSED struct trace *open_ok(const char *path, const struct trace_opts *o)
{
	struct trace *t = NULL;

	err[0] = 0;
	if (trace_open(path, o, &t, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return t;
}

/* Open bytes that must be rejected; return the message without the directory. */
static UNUSED const char *open_bad_n(const char *name, const char *data, size_t n)
{
	const char *path = tmp_write_n(name, data, n);
	struct trace *t = NULL;

	assert_int_equal(trace_open(path, NULL, &t, err, sizeof(err)), -1);
	assert_null(t);
	assert_int_equal(strncmp(err, tmpdir, strlen(tmpdir)), 0);
	return err + strlen(tmpdir) + 1;
}

static UNUSED const char *open_bad(const char *name, const char *text)
{
	return open_bad_n(name, text, strlen(text));
}

static UNUSED int has_warning(const struct trace *t, const char *needle)
{
	for (size_t i = 0; i < trace_nwarnings(t); i++)
		if (strstr(trace_warning(t, i), needle))
			return 1;
	return 0;
}

static UNUSED uint64_t stat_kind(const struct trace *t, const char *name)
{
	const struct trace_stats *s = trace_stats(t);

	for (size_t i = 0; i < s->nkinds; i++)
		if (strcmp(s->kinds[i].name, name) == 0)
			return s->kinds[i].n;
	return 0;
}

/* ---- CSV text builders ------------------------------------------------------ */

#define CSV_HEAD "Event Name, Type, Event ID, Version, Channel, Level, Opcode, Task, Keyword, " \
	"PID, TID, Processor Number, Instance ID, Parent Instance ID, Activity ID, "          \
	"Related Activity ID, Clock-Time, Kernel(ms), User(ms), User Data\n"

/* A Dmascope.Dma row: task, then the fields after User Data. */
#define ROW(task, fields) "Dmascope.Dma, Info, 0, 0, 0, 5, 0, " task ", 0x0, 0x4, 0x10, 0, , , " \
	"{00000000-0000-0000-0000-000000000000}, , 133000000000000000, 0, 0, " fields "\n"
#define FOREIGN_ROW "EventTrace, Header, 0, 2, 0, 0, 0, 0, 0x0, 0x0, 0x0, 0, , , {0}, , " \
	"132999999999999999, 0, 0, 65536, 1, 2, 4, 0, 156250, 0, 0x1, 3, 1, 8, 5, 2496\n"

#define FLUSH_OK "nic0, 0x10, 0x20, 0x30, 0, 64, false, 1, 0x1000, 64, true"

/* ---- XML text builders ------------------------------------------------------ */

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>\n"
#define XML_EVENT(task, data) "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">" \
	"<System><Provider Name=\"Dmascope.Dma\"/><TimeCreated SystemTime=\"2022-06-13T10:00:00Z\"/>" \
	"<Execution ProcessorID=\"0\"/></System>\n<EventData>" data "</EventData>\n"               \
	"<RenderingInfo Culture=\"en-US\"><Task>" task "</Task></RenderingInfo></Event>\n"
#define D(name, val) "<Data Name=\"" name "\">" val "</Data>"
#define XML_TAIL "</Events>\n"

/* ---- comparing engine events ---------------------------------------------------- */

static UNUSED void same_event(const struct coh_event *a, const struct coh_event *b)
{
	assert_int_equal(a->ts, b->ts);
	assert_int_equal(a->src, b->src);
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->bus, b->bus);
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->off, b->off);
	assert_int_equal(a->handle, b->handle);
	assert_int_equal(a->irp, b->irp);
	assert_int_equal(a->nsegs, b->nsegs);
	assert_int_equal(a->nents, b->nents);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->dev, b->dev);
	assert_int_equal(a->dir, b->dir);
	assert_int_equal(a->scope, b->scope);
	assert_int_equal(!a->segs, !b->segs);
	if (a->nsegs)
		assert_memory_equal(a->segs, b->segs, a->nsegs * sizeof(*a->segs));
	assert_int_equal(!a->data, !b->data);
	if (a->data)
		assert_memory_equal(a->data, b->data, a->len);
	assert_int_equal(!a->text, !b->text);
	if (a->text)
		assert_string_equal(a->text, b->text);
}

static UNUSED int etw_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static UNUSED int etw_teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
