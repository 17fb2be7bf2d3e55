/* SPDX-License-Identifier: MIT */
/* trace_ftrace.c - placeholder until this reader lands: recognises nothing. */
#include "trace-local.h"

static int probe(const unsigned char *head, size_t n)
{
	(void)head;
	(void)n;
	return 0;
}

static int load(struct trace *t, char *err, size_t n)
{
	trace_errf(err, n, t, "reader not built");
	return -1;
}

static uint64_t count(struct trace *t)
{
	(void)t;
	return 0;
}

static int get(struct trace *t, uint64_t i, struct coh_event *ev)
{
	(void)t;
	(void)i;
	(void)ev;
	return -1;
}

static void close_(struct trace *t)
{
	(void)t;
}

const struct trace_reader_ops trace_ftrace_ops = {
	.name = "ftrace", .format = TRACE_FMT_FTRACE, .probe = probe, .load = load,
	.count = count, .get = get, .close = close_,
};
