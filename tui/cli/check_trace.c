/* SPDX-License-Identifier: MIT */
/*
 * check_trace.c - what `dmascope check` hands a report from a loaded trace,
 * whichever platforms it was replayed on: its format, warnings, and the
 * callbacks that let the report name events and print their lines.
 */
#include <stdlib.h>

#include "check.h"

static int trace_event_of(void *ctx, uint64_t seq, struct coh_event *ev)
{
	return trace_get(ctx, seq, ev) < 0 ? -1 : 0;
}

static int trace_line_of(void *ctx, uint64_t src, char *buf, size_t n)
{
	return trace_line(ctx, src, buf, n);
}

static uint64_t trace_lineno_of(void *ctx, uint64_t src)
{
	return trace_lineno(ctx, src);
}

static uint64_t trace_src_of(void *ctx, uint64_t seq)
{
	struct coh_event ev;

	if (trace_get(ctx, seq, &ev) < 0)
		return COH_SRC_NONE;
	return ev.src;
}

/* The callbacks through which the report reads @t back. */
static void set_callbacks(struct report_file *rf, struct trace *t)
{
	rf->src_of = trace_src_of;
	rf->src_ctx = t;
	rf->event = trace_event_of;
	rf->line = trace_line_of;
	rf->lineno = trace_lineno_of;
}

int check_trace_info(struct report_file *rf, struct trace *t)
{
	size_t nw = trace_nwarnings(t);
	const char **w = malloc((nw ? nw : 1) * sizeof(*w));

	if (!w)
		return -1;
	for (size_t i = 0; i < nw; i++)
		w[i] = trace_warning(t, i);
	rf->format = trace_format_name(trace_format(t));
	rf->nwarnings = nw;
	rf->warnings = w;
	rf->file_events = trace_stats(t)->events;
	set_callbacks(rf, t);
	return 0;
}
