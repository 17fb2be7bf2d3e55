/* SPDX-License-Identifier: MIT */
/*
 * ftrace_reader.c - Linux ftrace trace.dat files (trace-cmd record), read
 * with libtracecmd + libtraceevent.
 *
 * load() checks the file's layout (ftrace_check.c), reads its CPUs in
 * parallel (ftrace_threads.c), puts their events in `trace-cmd report`
 * order (ftrace_merge.c), then adds statistics and warnings.  The loaded
 * trace is 36-byte records per CPU plus arenas; get() finds event i
 * (ftrace_order.c) and builds a struct coh_event from it on demand.  See
 * docs/capturing.md for what a capture needs and how markers and inference
 * work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "coh_err.h"
#include "ftrace-local.h"

static const unsigned char magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

static int probe(const unsigned char *head, size_t n)
{
	return n >= sizeof(magic) && memcmp(head, magic, sizeof(magic)) == 0 ? 100 : 0;
}

/* The magic as text: its 3 binary bytes and unprintable ones as \xNN. */
static void show_bytes(const unsigned char *b, size_t len, char *out, size_t cap)
{
	size_t k = 0;

	out[0] = 0;
	for (size_t i = 0; i < len && k + 5 < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, i >= 3 && b[i] > 0x20 && b[i] < 0x7f ?
				      "%c" : "\\x%02x", b[i]);
}

/* After the magic: a version string ("6"/"7" and a NUL), the endianness
 * (0 or 1) and the size of a long (4 or 8), as trace-cmd writes them. */
static int version_field_ok(const unsigned char *h, size_t n)
{
	return n >= 14 && h[10] >= '0' && h[10] <= '9' && h[11] == 0 && h[12] <= 1 &&
	       (h[13] == 4 || h[13] == 8);
}

/* A trace.dat whose magic bytes are damaged: most of them right, or the
 * fields that follow them right. */
static long damaged(const unsigned char *head, size_t n, char *why, size_t wn)
{
	size_t same = 0, first_bad = sizeof(magic), len = n < sizeof(magic) ? n : sizeof(magic);
	char found[64], want[64];

	for (size_t i = 0; i < len; i++) {
		if (head[i] == magic[i])
			same++;
		else if (first_bad == sizeof(magic))
			first_bad = i;
	}
	if (len < sizeof(magic) ? same < 3 || same < len : same < 6 && !version_field_ok(head, n))
		return -1;
	show_bytes(head, len, found, sizeof(found));
	show_bytes(magic, sizeof(magic), want, sizeof(want));
	if (len < sizeof(magic))
		snprintf(why, wn, "damaged trace.dat: the file ends within the magic bytes "
			 "(%zu of %zu)", len, sizeof(magic));
	else
		snprintf(why, wn, "damaged trace.dat: the magic bytes read %s, not %s", found,
			 want);
	return (long)(len < sizeof(magic) ? len : first_bad);
}

/* ---- statistics ---------------------------------------------------------------------- */

/* A name and a count, for sorting. */
struct named {
	const char *name;
	const char *sub;
	uint64_t n;
};

static int by_count(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	c = strcmp(x->name, y->name);
	if (c || !x->sub)
		return c;
	return strcmp(x->sub, y->sub);
}

static int stats_kinds(struct trace *t, const struct fx_load *ld)
{
	struct named *k = calloc(ld->nslots + 1, sizeof(*k));
	size_t nk = 0;
	int ret = 0;

	if (!k)
		return -1;
	for (unsigned s = 0; s < ld->nslots; s++) {
		uint64_t sum = 0;

		for (int c = 0; c < ld->ncpus; c++)
			sum += ld->streams[c].counts ? ld->streams[c].counts[s] : 0;
		if (sum)
			k[nk++] = (struct named){ .name = ld->slot_names[s], .n = sum };
	}
	qsort(k, nk, sizeof(*k), by_count);
	for (size_t i = 0; i < nk && ret == 0; i++)
		ret = trace_stats_kind(t, k[i].name, k[i].n);
	free(k);
	return ret;
}

/* Add (name, sub, n) to @rows, merging equal keys. */
static int add_row(struct named **rows, size_t *nr, size_t *cap, const char *name,
		   const char *sub, uint64_t n)
{
	for (size_t i = 0; i < *nr; i++)
		if (strcmp((*rows)[i].name, name) == 0 &&
		    (sub == (*rows)[i].sub || (sub && (*rows)[i].sub &&
					       strcmp(sub, (*rows)[i].sub) == 0))) {
			(*rows)[i].n += n;
			return 0;
		}
	if (*nr == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct named *r = realloc(*rows, nc * sizeof(*r));

		if (!r)
			return -1;
		*rows = r;
		*cap = nc;
	}
	(*rows)[(*nr)++] = (struct named){ .name = name, .sub = sub, .n = n };
	return 0;
}

static int stats_devs(struct trace *t, const struct fx_load *ld)
{
	struct named *dev = NULL, *dk = NULL;
	size_t nd = 0, cd = 0, ndk = 0, cdk = 0;
	int ret = 0;

	for (int c = 0; c < ld->ncpus && ret == 0; c++) {
		const struct fx_stream *st = &ld->streams[c];

		for (unsigned d = 0; d < st->devs.n && d < st->capdevcounts && ret == 0; d++)
			for (unsigned s = 0; s < ld->nslots && ret == 0; s++) {
				uint64_t n = st->devcounts[(size_t)d * ld->nslots + s];

				if (!n)
					continue;
				ret = add_row(&dev, &nd, &cd, st->devs.names[d], NULL, n);
				if (ret == 0)
					ret = add_row(&dk, &ndk, &cdk, st->devs.names[d],
						      ld->slot_names[s], n);
			}
	}
	if (nd)
		qsort(dev, nd, sizeof(*dev), by_count);
	if (ndk)
		qsort(dk, ndk, sizeof(*dk), by_count);
	for (size_t i = 0; i < nd && ret == 0; i++)
		ret = trace_stats_dev(t, dev[i].name, dev[i].n);
	for (size_t i = 0; i < ndk && ret == 0; i++)
		ret = trace_stats_devkind(t, dk[i].name, dk[i].sub, dk[i].n);
	free(dev);
	free(dk);
	return ret;
}

static int stats_cpus(struct trace *t, const struct fx_load *ld)
{
	struct trace_stats *s = &t->stats;
	int any = 0;

	for (int c = 0; c < ld->ncpus; c++) {
		const struct fx_stream *st = &ld->streams[c];
		const struct fev *e = st->ev.p;

		if (!st->ev.n)
			continue;
		if (trace_stats_cpu(t, st->cpu, st->ev.n) < 0)
			return -1;
		for (uint64_t i = 0; i < st->ev.n; i++) {
			if (!any || e[i].ts < s->first_ts)
				s->first_ts = e[i].ts;
			if (!any || e[i].ts > s->last_ts)
				s->last_ts = e[i].ts;
			any = 1;
		}
		s->lost += st->lost;
	}
	if (ld->lay.stat_lost > s->lost)
		s->lost = ld->lay.stat_lost;
	return 0;
}

static int make_stats(struct trace *t, const struct ftrace *f, const struct fx_load *ld)
{
	t->stats.events = f->nevents;
	if (stats_kinds(t, ld) < 0 || stats_devs(t, ld) < 0 || stats_cpus(t, ld) < 0)
		return -1;
	return 0;
}

/* ---- warnings ------------------------------------------------------------------------ */

/* The sum of one uint64_t counter of struct fx_stream over the streams. */
static uint64_t sum_of(const struct fx_load *ld, size_t field)
{
	uint64_t s = 0;

	for (int c = 0; c < ld->ncpus; c++) {
		uint64_t v;

		memcpy(&v, (const char *)&ld->streams[c] + field, sizeof(v));
		s += v;
	}
	return s;
}

#define SUM(ld, field) sum_of(ld, offsetof(struct fx_stream, field))

static void warn_lost(struct trace *t, const struct fx_load *ld)
{
	for (int c = 0; c < ld->ncpus;) {
		uint64_t lost = 0, unknown = 0;
		unsigned cpu = ld->streams[c].cpu;
		int idx = ld->streams[c].cpu_index;

		for (; c < ld->ncpus && ld->streams[c].cpu_index == idx; c++) {
			lost += ld->streams[c].lost;
			unknown += ld->streams[c].lost_unknown;
		}
		if (lost)
			trace_warn(t, "CPU %u: %llu events lost (the ring buffer overflowed): the "
				   "trace has gaps there", cpu, (unsigned long long)lost);
		if (unknown)
			trace_warn(t, "CPU %u: events lost at %llu places (count unknown): the trace "
				   "has gaps there", cpu, (unsigned long long)unknown);
	}
	if (ld->lay.stat_lost)
		trace_warn(t, "the kernel's buffer statistics count %llu lost events (overrun, "
			   "commit overrun, dropped)", (unsigned long long)ld->lay.stat_lost);
}

static void warn_failed(struct trace *t, const struct fx_load *ld)
{
	uint64_t failed = SUM(ld, failed), unknown = SUM(ld, unknown);

	for (unsigned s = 0; s < ld->nslots; s++) {
		uint64_t sum = 0;
		size_t len = strlen(ld->slot_names[s]);

		if (len <= 4 || strcmp(ld->slot_names[s] + len - 4, "_err") != 0)
			continue;
		for (int c = 0; c < ld->ncpus; c++)
			sum += ld->streams[c].counts[s];
		if (sum && strncmp(ld->slot_names[s], "dma_", 4) == 0)
			trace_warn(t, "%llu %s events: those %s failed", (unsigned long long)sum,
				   ld->slot_names[s], strstr(ld->slot_names[s], "alloc") ?
				   "allocations" : "mappings");
	}
	if (failed)
		trace_warn(t, "%llu DMA allocations returned NULL: nothing was allocated there",
			   (unsigned long long)failed);
	if (unknown)
		trace_warn(t, "%llu records have an event id the file has no format for: only "
			   "counted", (unsigned long long)unknown);
}

static void warn_calls(struct trace *t, const struct fx_load *ld)
{
	uint64_t n;

	if ((n = SUM(ld, truncated)))
		trace_warn(t, "%llu dma_map_sg events have truncated scatter lists (the kernel "
			   "traces at most 128 entries): their missing entries are unknown",
			   (unsigned long long)n);
	if ((n = SUM(ld, bad)))
		trace_warn(t, "%llu DMA API events could not be used and were skipped",
			   (unsigned long long)n);
	if ((n = SUM(ld, malformed)))
		trace_warn(t, "%llu marker lines start with a known keyword but have bad fields: "
			   "read as marks", (unsigned long long)n);
	if ((n = SUM(ld, toomany)))
		trace_warn(t, "%llu events of devices beyond the first %d were skipped",
			   (unsigned long long)n, COH_MAX_DEVS);
	if ((n = SUM(ld, multiline)))
		trace_warn(t, "%llu print events hold several lines: only the first was read",
			   (unsigned long long)n);
	if ((n = SUM(ld, clipped)))
		trace_warn(t, "%llu records run past the end of their ring-buffer page (a damaged "
			   "file?): read up to the page end", (unsigned long long)n);
}

/* Events of slots whose name starts with @prefix: of device @dev (a name),
 * or of all devices when @dev is NULL. */
static uint64_t count_prefix(const struct fx_load *ld, const char *dev, const char *prefix)
{
	size_t plen = strlen(prefix);
	uint64_t sum = 0;

	for (int c = 0; c < ld->ncpus; c++) {
		const struct fx_stream *st = &ld->streams[c];

		for (unsigned s = 0; s < ld->nslots; s++) {
			if (strncmp(ld->slot_names[s], prefix, plen) != 0)
				continue;
			if (!dev && st->counts)
				sum += st->counts[s];
			for (unsigned d = 0; dev && d < st->devs.n && d < st->capdevcounts; d++)
				if (strncmp(st->devs.names[d], dev, COH_NAME_MAX - 1) == 0)
					sum += st->devcounts[(size_t)d * ld->nslots + s];
		}
	}
	return sum;
}

/*
 * Syncs the kernel did not trace: on a coherent machine that bounces
 * nothing, dma_sync_* returns before its tracepoint.  A device that maps
 * streaming buffers but was never seen syncing, in a capture with no
 * swiotlb bounce at all, may have synced unseen.  Where swiotlb bounced
 * (swiotlb=force), syncs are traced: a device without them there never
 * syncs by design (AHCI, e1000e: they unmap every buffer).
 */
static void warn_invisible_syncs(struct trace *t, const struct fx_load *ld)
{
	if (count_prefix(ld, NULL, "swiotlb_"))
		return;
	for (unsigned d = 0; d < t->ndevs; d++)
		if (count_prefix(ld, t->devs[d], "dma_map_") >
		    count_prefix(ld, t->devs[d], "dma_map_resource") &&
		    !count_prefix(ld, t->devs[d], "dma_sync_"))
			trace_warn_dev(t, d, "device %s: streaming mappings but no dma_sync_* "
				       "events, and no swiotlb bounces: on a coherent machine "
				       "without swiotlb=force or dma-debug the kernel does not "
				       "trace syncs, so they may be invisible here (not missing)",
				       t->devs[d]);
}

/* Which devices' calls get COH_F_INFER, with a warning for each. */
static void set_infer(struct trace *t, struct ftrace *f)
{
	for (unsigned d = 0; d < t->ndevs && d < COH_MAX_DEVS; d++) {
		if (t->opts.infer == TRACE_INFER_ALWAYS)
			f->infer[d] = 1;
		else if (t->opts.infer == TRACE_INFER_AUTO)
			f->infer[d] = f->calls[d] && !f->access[d];
		if (f->infer[d] && f->calls[d])
			trace_warn_dev(t, d, "device %s: no access markers; CPU and device accesses are "
				   "inferred", t->devs[d]);
	}
}

/* ---- ops -------------------------------------------------------------------------- */

static int check_layout(struct trace *t, struct fx_load *ld, char *err, size_t n)
{
	char msg[256];
	struct stat sb;
	int fd = open(t->file, O_RDONLY);
	int ret;

	if (fd < 0 || fstat(fd, &sb) < 0) {
		trace_errf(err, n, t, "cannot open: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ret = fx_check_file(fd, (uint64_t)sb.st_size, &ld->lay, msg, sizeof(msg));
	close(fd);
	if (ret < 0)
		trace_errf(err, n, t, "%s", msg);
	return ret;
}

/* read_all() once the layout is known, from ld->path. */
static int read_copy(struct trace *t, struct ftrace *f, struct fx_load *ld, char *err, size_t n)
{
	if (ld->lay.version >= 7 && fx_guard_open(ld->path, ld->lay.meta_off, ld->err, sizeof(ld->err)) < 0) {
		trace_errf(err, n, t, "%s", ld->err);
		return -1;
	}
	f->version = ld->lay.version;
	if (ld->lay.instances)
		trace_warn(t, "%d buffer instances (trace-cmd record -B) are not read: only the "
			   "top-level buffer is", ld->lay.instances);
	if (fx_read_file(ld) < 0 || fx_merge(t, f, ld, ld->err, sizeof(ld->err)) < 0) {
		trace_errf(err, n, t, "%s", ld->err);
		return -1;
	}
	if (make_stats(t, f, ld) < 0) {
		trace_errf(err, n, t, "out of memory");
		return -1;
	}
	return 0;
}

/* Read, merge, count: 0, or -1 with @err set. */
static int read_all(struct trace *t, struct ftrace *f, struct fx_load *ld, char *err, size_t n)
{
	char copy[64];
	int mem, ret;

	if (check_layout(t, ld, err, n) < 0)
		return -1;
	if ((mem = fx_copy_without_kallsyms(t->file, &ld->lay, copy, sizeof(copy))) >= 0)
		ld->path = copy;             /* libtracecmd reads the copy */
	ret = read_copy(t, f, ld, err, n);
	ld->path = t->file;
	if (mem >= 0)
		close(mem);
	return ret;
}

static int load(struct trace *t, char *err, size_t n)
{
	struct fx_load ld = { .t = t, .path = t->file };
	struct ftrace *f = calloc(1, sizeof(*f));
	int ret;

	t->priv = f;
	if (!f) {
		trace_errf(err, n, t, "out of memory");
		return -1;
	}
	/* our own messages say what is wrong; the libraries' would only add noise */
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	ret = read_all(t, f, &ld, err, n);
	if (ret == 0) {
		warn_lost(t, &ld);
		warn_failed(t, &ld);
		warn_calls(t, &ld);
		warn_invisible_syncs(t, &ld);
		set_infer(t, f);
	}
	fx_load_free(&ld);
	return ret;
}

static uint64_t count(struct trace *t)
{
	const struct ftrace *f = t->priv;

	return f ? f->nrecs : 0;
}

/* The segments of @r, unpacked into the scratch list (valid until the next get()). */
static const struct coh_seg *unpack(struct ftrace *f, const struct fx_part *pt,
				    const struct frec *r)
{
	if (r->len > f->capscratch) {
		struct coh_seg *s = realloc(f->scratch, r->len * sizeof(*s));

		if (!s)
			return NULL;
		f->scratch = s;
		f->capscratch = r->len;
	}
	fx_scatter_unpack(pt->segs + fr_u64(r->addr), f->scratch, r->len);
	return f->scratch;
}

static int get_linux(struct ftrace *f, const struct fx_part *pt, const struct frec *r,
		     struct coh_event *ev)
{
	ev->dir = (uint8_t)((r->meta >> FR_DIR_SHIFT) & 3);
	if (r->meta & FR_SKIP)
		ev->flags |= COH_F_SKIP_CPU_SYNC;
	if (r->meta & FR_TRUNC)
		ev->flags |= COH_F_TRUNCATED;
	if (f->infer[ev->dev])
		ev->flags |= COH_F_INFER;
	if (r->meta & FR_SEGS) {
		ev->segs = unpack(f, pt, r);
		ev->nsegs = r->len;
		ev->nents = (uint32_t)fr_u64(r->bus);
		return ev->segs ? 0 : -COH_E_NOMEM;
	}
	ev->addr = fr_u64(r->addr);
	ev->bus = fr_u64(r->bus);
	ev->len = (r->meta & FR_LEN4G) ? 1ull << 32 : r->len;
	return 0;
}

static int get(struct trace *t, uint64_t i, struct coh_event *ev)
{
	struct ftrace *f = t->priv;
	const struct fx_part *pt;
	const struct frec *r;
	unsigned kind;

	if (!f || !(r = fx_locate(f, i, &pt)))
		return -COH_E_SEEK;
	kind = fr_kind(r);
	coh_event_init(ev, kind);
	ev->ts = fr_u64(r->ts);
	ev->src = r->src;
	ev->cpu = (uint16_t)(r->meta >> FR_CPU_SHIFT);
	ev->dev = (uint16_t)fr_dev(r);
	if (kind == COH_EV_MARK || kind == COH_EV_SCOPE_BEGIN || kind == COH_EV_SCOPE_END) {
		ev->text = pt->text + fr_u64(r->addr);
		ev->scope = (uint8_t)((r->meta >> FR_SCOPE_SHIFT) & 3);
	} else if (kind == COH_EV_DEV_DONE) {
		ev->handle = fr_u64(r->addr);
	} else if (coh_kind_group(kind) == COH_GROUP_ACCESS) {
		ev->addr = fr_u64(r->addr);
		ev->len = (r->meta & FR_LEN4G) ? 1ull << 32 : r->len;
	} else {
		return get_linux(f, pt, r, ev);
	}
	return 0;
}

static int detail(struct trace *t, uint64_t src, char *buf, size_t n)
{
	return t->priv ? fx_detail(t, t->priv, src, buf, n) : -1;
}

static void close_(struct trace *t)
{
	struct ftrace *f = t->priv;

	if (!f)
		return;
	fx_detail_close(f);
	fx_parts_free(f);
	free(f->off_lo);
	free(f->off_hi);
	free(f->scratch);
	free(f);
	t->priv = NULL;
}

uint64_t ftrace_bytes(const struct trace *t)
{
	const struct ftrace *f = t->priv;
	uint64_t b;

	if (!f || t->ops != &trace_ftrace_ops)
		return 0;
	b = sizeof(*f) + f->nevents * sizeof(*f->off_lo) + (f->off_hi ? f->nevents : 0) +
	    f->capscratch * sizeof(*f->scratch) + f->ncp * f->nparts * sizeof(*f->cp) +
	    f->nparts * (sizeof(*f->parts) + sizeof(*f->pos));
	for (unsigned p = 0; p < f->nparts; p++)
		b += f->parts[p].n * sizeof(struct frec) + f->parts[p].nsegbytes + f->parts[p].ntext;
	for (unsigned i = 0; i < t->ndevs; i++)
		b += sizeof(*t->devs) + strlen(t->devs[i]) + 1;
	for (size_t i = 0; i < t->nwarnings; i++)
		b += sizeof(*t->warnings) + strlen(t->warnings[i]) + 1;
	return b;
}

static size_t bytes(struct trace *t)
{
	return (size_t)ftrace_bytes(t);
}

const struct trace_reader_ops trace_ftrace_ops = {
	.name = "ftrace", .format = TRACE_FMT_FTRACE, .probe = probe, .damaged = damaged,
	.load = load,
	.count = count, .get = get, .detail = detail, .bytes = bytes, .close = close_,
};

/*
 * libtracecmd 3.1.6 loses the trace clock's name when a version-6 file
 * gives it twice (tracecmd_parse_trace_clock() overwrites the handle's
 * sscanf("%ms") copy): a few bytes per open that are not ours to free.
 * LeakSanitizer, when it runs, asks this hook for suppressions; the
 * allocation's stack is cut at libc's sscanf by the fast unwinder, hence
 * the second pattern (nothing of dmascope's uses sscanf's %m).
 */
const char *__lsan_default_suppressions(void);

__attribute__((weak)) const char *__lsan_default_suppressions(void)
{
	return "leak:tracecmd_parse_trace_clock\nleak:__vfscanf_internal\n";
}
