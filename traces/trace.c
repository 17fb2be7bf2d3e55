/* SPDX-License-Identifier: MIT */
/*
 * trace.c - the dispatch: format detection, the reader's load(), the device
 * filter on top of its events, and the platform a trace is replayed on.
 * What the readers call back while loading is in trace_build.c, below
 * everything.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "trace-local.h"

static const struct trace_reader_ops *const backends[] = {
	&trace_dmt_ops,
	&trace_ftrace_ops,
	&trace_etw_csv_ops,
	&trace_etw_xml_ops,
};

#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))
#define PROBE_BYTES 4096

const char *trace_format_name(enum trace_format f)
{
	static const char *const names[TRACE_FMT_COUNT] = {
		[TRACE_FMT_DMT] = "dmt",
		[TRACE_FMT_FTRACE] = "ftrace",
		[TRACE_FMT_ETW_CSV] = "etw-csv",
		[TRACE_FMT_ETW_XML] = "etw-xml",
	};
	return (unsigned)f < TRACE_FMT_COUNT ? names[f] : "?";
}

/* The first bytes of @in's file, into @head: how many, or -1 with @err set. */
static long read_head(const struct trace_input *in, unsigned char *head, size_t cap,
		      char *err, size_t n)
{
	FILE *f = fopen(in->file, "rb");
	size_t got;

	if (!f) {
		snprintf(err, n, "%s: %s", in->name, strerror(errno));
		return -1;
	}
	got = fread(head, 1, cap, f);
	if (ferror(f)) {
		snprintf(err, n, "%s: offset 0: read error: %s", in->name, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	if (got == 0) {
		snprintf(err, n, "%s: offset 0: empty file", in->name);
		return -1;
	}
	return (long)got;
}

/* No backend claims the bytes: a damaged file of some format, or none. */
static void probe_fail(const struct trace_input *in, const unsigned char *head, size_t got,
		       char *err, size_t n)
{
	char why[256];

	for (size_t i = 0; i < NBACKENDS; i++) {
		long off = backends[i]->damaged ? backends[i]->damaged(head, got, why,
								      sizeof(why)) : -1;

		if (off >= 0) {
			snprintf(err, n, "%s: offset %ld: %s", in->name, off, why);
			return;
		}
	}
	snprintf(err, n, "%s: offset 0: not a trace dmascope reads (expected a .dmt "
		 "text trace, a trace-cmd trace.dat, or a tracerpt CSV/XML export)", in->name);
}

/* Pick the backend most sure the first bytes are its own. */
static const struct trace_reader_ops *probe_file(const struct trace_input *in, char *err,
						 size_t n)
{
	unsigned char head[PROBE_BYTES];
	const struct trace_reader_ops *best = NULL;
	int best_score = 0;
	long got = read_head(in, head, sizeof(head), err, n);

	if (got < 0)
		return NULL;
	for (size_t i = 0; i < NBACKENDS; i++) {
		int score = backends[i]->probe(head, (size_t)got);

		if (score > best_score) {
			best_score = score;
			best = backends[i];
		}
	}
	if (!best)
		probe_fail(in, head, (size_t)got, err, n);
	return best;
}

/* The device the options name (opts.device) is not in the trace: say which ones are. */
static void no_such_device(const struct trace *t, char *err, size_t n)
{
	size_t k;

	trace_errf(err, n, t, "no device '%s' in this trace (%s", t->opts.device,
		   t->ndevs ? "its devices: " : "it has no devices");
	for (unsigned i = 0; i < t->ndevs; i++) {
		k = strlen(err);
		if (k + 1 < n)
			snprintf(err + k, n - k, "%s%s", i ? ", " : "", t->devs[i]);
	}
	k = strlen(err);
	if (k + 1 < n)
		snprintf(err + k, n - k, ")");
}

/* Opened for one device, warnings about other devices are not the caller's concern. */
static void drop_other_warnings(struct trace *t, int want)
{
	size_t k = 0;

	for (size_t i = 0; i < t->nwarnings; i++) {
		if (t->warndev[i] >= 0 && t->warndev[i] != want) {
			free(t->warnings[i]);
			continue;
		}
		t->warnings[k] = t->warnings[i];
		t->warndev[k++] = t->warndev[i];
	}
	t->nwarnings = k;
}

/* Build the device filter: engine indices whose device is kept. */
static int build_filter(struct trace *t, char *err, size_t n)
{
	int want = -1;
	uint64_t count = t->ops->count(t);
	struct coh_event ev;

	for (unsigned i = 0; i < t->ndevs; i++)
		if (strcmp(t->devs[i], t->opts.device) == 0)
			want = (int)i;
	if (want < 0) {
		no_such_device(t, err, n);
		return -1;
	}
	drop_other_warnings(t, want);
	if (count > UINT32_MAX) {
		trace_errf(err, n, t, "too many events to filter by device");
		return -1;
	}
	t->keep = malloc((count ? count : 1) * sizeof(*t->keep));
	if (!t->keep) {
		trace_errf(err, n, t, "out of memory");
		return -1;
	}
	for (uint64_t i = 0; i < count; i++) {
		int g;

		if (t->ops->get(t, i, &ev) < 0)
			continue;
		g = coh_kind_group(ev.kind);
		if ((g == COH_GROUP_LINUX || g == COH_GROUP_WINDOWS ||
		     ev.kind == COH_EV_DEV_READ || ev.kind == COH_EV_DEV_WRITE ||
		     ev.kind == COH_EV_DEV_DONE) &&
		    ev.kind != COH_EV_IRP_COMPLETE &&
		    (int)ev.dev != want)
			continue;
		t->keep[t->nkeep++] = (uint32_t)i;
	}
	return 0;
}

/* The engine simulates up to COH_MAX_CPUS CPUs: a trace that used CPUs
 * numbered higher has them renumbered in order, and folded when there are
 * more of them than that. */
static int map_cpus(struct trace *t)
{
	const struct trace_stats *st = &t->stats;
	unsigned used = 0;

	t->nsimcpus = st->ncpus ? (unsigned)st->ncpus : 1;
	if (st->ncpus <= COH_MAX_CPUS)
		return 0;
	t->cpumap = calloc(st->ncpus, 1);
	if (!t->cpumap)
		return -1;
	t->ncpumap = (unsigned)st->ncpus;
	for (size_t c = 0; c < st->ncpus; c++)
		if (st->cpus[c])
			t->cpumap[c] = (uint8_t)(used++ % COH_MAX_CPUS);
	t->nsimcpus = used < COH_MAX_CPUS ? (used ? used : 1) : COH_MAX_CPUS;
	if (used > COH_MAX_CPUS)
		trace_warn(t, "events on %u CPUs: dmascope simulates %d, so CPUs share caches "
			   "(CPU numbers folded in order, modulo %d)", used, COH_MAX_CPUS,
			   COH_MAX_CPUS);
	else
		trace_warn(t, "CPUs renumbered 0..%u in order (the file numbers them up to %zu)",
			   used - 1, st->ncpus - 1);
	return 0;
}

int trace_open(const char *path, const struct trace_opts *opts, struct trace **out,
	       char *err, size_t n)
{
	const struct trace_reader_ops *ops;
	struct trace_input in;
	struct trace *t;

	*out = NULL;
	if (trace_input_open(path, &in, err, n) < 0)
		return -1;
	ops = probe_file(&in, err, n);
	t = ops ? calloc(1, sizeof(*t)) : NULL;
	if (!t) {
		if (ops)
			snprintf(err, n, "%s: out of memory", in.name);
		trace_input_close(&in);
		return -1;
	}
	t->in = in;
	t->path = in.name;
	t->file = in.file;
	t->ops = ops;
	if (opts)
		t->opts = *opts;
	t->opts.device = NULL;
	if (opts && opts->device && !(t->opts.device = strdup(opts->device)))
		goto fail_nomem;
	if (ops->load(t, err, n) < 0)
		goto fail;
	if (t->opts.device && build_filter(t, err, n) < 0)
		goto fail;
	if (map_cpus(t) < 0)
		goto fail_nomem;
	*out = t;
	return 0;
fail_nomem:
	snprintf(err, n, "%s: out of memory", t->path);
fail:
	trace_close(t);
	return -1;
}

void trace_close(struct trace *t)
{
	if (!t)
		return;
	if (t->ops && t->ops->close)
		t->ops->close(t);
	trace_build_free(t);
	free(t->keep);
	free(t->cpumap);
	free((char *)t->opts.device);
	trace_input_close(&t->in);
	free(t);
}

enum trace_format trace_format(const struct trace *t)
{
	return t->ops->format;
}

const char *trace_path(const struct trace *t)
{
	return t->path;
}

uint64_t trace_count(const struct trace *t)
{
	return t->opts.device ? t->nkeep : t->ops->count((struct trace *)t);
}

int trace_get(struct trace *t, uint64_t i, struct coh_event *ev)
{
	int err;

	if (i >= trace_count(t))
		return -COH_E_SEEK;
	err = t->ops->get(t, t->opts.device ? t->keep[i] : i, ev);
	if (!err && t->cpumap && ev->cpu < t->ncpumap)
		ev->cpu = t->cpumap[ev->cpu];
	return err;
}

static uint64_t source_count(void *ctx)
{
	return trace_count(ctx);
}

static int source_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	return trace_get(ctx, i, ev);
}

static size_t source_bytes(void *ctx)
{
	struct trace *t = ctx;

	return t->ops->bytes(t);
}

void trace_scan(struct trace *t)
{
	uint64_t n = trace_count(t);
	struct coh_event ev;

	if (t->scanned)
		return;
	t->groups = 0;
	memset(t->done, 0, sizeof(t->done));
	for (uint64_t i = 0; i < n; i++) {
		int ok = trace_get(t, i, &ev) == 0;

		t->groups |= coh_source_group_bit(ok ? &ev : NULL);
		if (ok && ev.kind == COH_EV_DEV_DONE && ev.dev < COH_MAX_DEVS)
			t->done[ev.dev] = 1;
	}
	t->scanned = 1;
}

static uint32_t source_groups(void *ctx)
{
	struct trace *t = ctx;

	trace_scan(t);
	return t->groups;
}

struct coh_source trace_source(struct trace *t)
{
	struct coh_source s = { .ctx = t, .count = source_count, .get = source_get,
				.bytes = t->ops->bytes ? source_bytes : NULL,
				.groups = source_groups };
	return s;
}

size_t trace_nwarnings(const struct trace *t)
{
	return t->nwarnings;
}

const char *trace_warning(const struct trace *t, size_t i)
{
	return i < t->nwarnings ? t->warnings[i] : NULL;
}

const struct trace_stats *trace_stats(const struct trace *t)
{
	return &t->stats;
}

int trace_detail(struct trace *t, uint64_t src, char *buf, size_t n)
{
	if (!t->ops->detail)
		return -1;
	return t->ops->detail(t, src, buf, n);
}

uint64_t trace_find_src(struct trace *t, uint64_t src)
{
	uint64_t lo = 0, hi = trace_count(t);
	struct coh_event ev;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (trace_get(t, mid, &ev) < 0)
			return trace_count(t);
		if (ev.src == COH_SRC_NONE || ev.src >= src)
			hi = mid;              /* none: a reader's own, appended at the end */
		else
			lo = mid + 1;
	}
	return lo;
}
