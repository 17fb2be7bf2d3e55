/* SPDX-License-Identifier: MIT */
/*
 * test_ftrace.c - the trace.dat reader against the real captures in
 * tests/data/captures: counts, order and field values checked against what
 * trace-cmd itself reports, the ground truth of buggy/, version 6 and 7
 * copies giving identical events, the device filter, warnings, inference
 * and re-reading records.  Decoding inline formats, markers and damaged
 * files are tested in test_ftrace_decode.c and test_ftrace_damage.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "coh_err.h"
#include "ftrace-test.h"
#include "trace.h"

static const char *const caps[] = { "buggy", "nic", "disk", "nic-coherent" };
#define NCAPS (sizeof(caps) / sizeof(caps[0]))

/* What every test reads: each capture loaded, its report, a version-6 copy. */
struct fixture {
	char tmp[64];
	struct trace *t[NCAPS];      /* version 7, as recorded */
	struct report rep[NCAPS];
	char v6[NCAPS][4200];
};

static struct trace *open_ok(const char *path, const struct trace_opts *o)
{
	struct trace *t = NULL;
	char err[512];

	if (trace_open(path, o, &t, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return t;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char path[4096], err[512];

	*state = fx;
	if (!fx || tmpdir_make(fx->tmp, sizeof(fx->tmp)) < 0)
		return -1;
	for (size_t i = 0; i < NCAPS; i++) {
		capture_path(path, sizeof(path), caps[i], "trace.dat");
		if (need_file(path) < 0)
			return -1;
		if (trace_open(path, NULL, &fx->t[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		if (report_load(caps[i], fx->tmp, &fx->rep[i]) < 0)
			return -1;
		capture_path(path, sizeof(path), caps[i], "trace-v6.dat.xz");
		snprintf(fx->v6[i], sizeof(fx->v6[i]), "%s/%s-v6.dat", fx->tmp, caps[i]);
		if (need_file(path) < 0 || unxz(path, fx->v6[i]) < 0)
			return -1;
	}
	return 0;
}

/* Also after a failed set-up: whatever it got to is released. */
static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (!fx)
		return 0;
	for (size_t i = 0; i < NCAPS; i++) {
		trace_close(fx->t[i]);
		report_free(&fx->rep[i]);
	}
	if (fx->tmp[0])
		tmpdir_remove(fx->tmp);
	free(fx);
	return 0;
}

static size_t cap_index(const char *name)
{
	for (size_t i = 0; i < NCAPS; i++)
		if (strcmp(caps[i], name) == 0)
			return i;
	return NCAPS;
}

/* ---- counts ------------------------------------------------------------------------- */

static uint64_t stat_kind(const struct trace_stats *s, const char *name)
{
	for (size_t i = 0; i < s->nkinds; i++)
		if (strcmp(s->kinds[i].name, name) == 0)
			return s->kinds[i].n;
	return 0;
}

static uint64_t stat_devkind(const struct trace_stats *s, const char *dev, const char *kind)
{
	for (size_t i = 0; i < s->ndevkinds; i++)
		if (strcmp(s->devkinds[i].name, dev) == 0 && strcmp(s->devkinds[i].sub, kind) == 0)
			return s->devkinds[i].n;
	return 0;
}

/* Every line of event-counts.txt against trace_stats(). */
static void check_counts(const struct trace *t, const char *cap)
{
	const struct trace_stats *s = trace_stats(t);
	char path[4096], *text, *save = NULL, *line;
	int per_dev = 0, rows = 0;
	uint64_t sum = 0;

	capture_path(path, sizeof(path), cap, "event-counts.txt");
	text = slurp(path, NULL);
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char a[128], b[128];
		unsigned long long n;

		if (sscanf(line, "# events: %llu", &n) == 1)
			assert_int_equal(s->events, n);
		if (strncmp(line, "# dma events per device", 23) == 0)
			per_dev = 1;
		if (line[0] == '#')
			continue;
		if (!per_dev && sscanf(line, "%127s %llu", a, &n) == 2) {
			assert_int_equal(stat_kind(s, a), n);
			sum += n;
			rows++;
		} else if (per_dev && sscanf(line, "%127s %127s %llu", a, b, &n) == 3) {
			assert_int_equal(stat_devkind(s, a, b), n);
		}
	}
	assert_true(rows > 0);
	assert_int_equal((size_t)rows, s->nkinds);
	assert_int_equal(sum, s->events);
	free(text);
}

/* Progress reports: how many, and never past the total. */
struct progress {
	unsigned calls;
	int over;
};

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;

	p->calls++;
	p->over |= done > total;
}

static void counts_match_event_counts(void **state)
{
	struct fixture *fx = *state;
	struct progress pr = { 0 };
	struct trace_opts o = { .progress = on_progress, .progress_ctx = &pr };
	char path[4096];

	for (size_t i = 0; i < NCAPS; i++)
		check_counts(fx->t[i], caps[i]);
	capture_path(path, sizeof(path), "big", "trace.dat");
	if (!sanitized()) {
		assert_int_equal(need_file(path), 0);
		struct trace *t = open_ok(path, &o);

		check_counts(t, "big");
		assert_int_equal(trace_count(t), 2295527);
		assert_true(pr.calls > 0);
		assert_false(pr.over);
		trace_close(t);
	}
}

/* Nanoseconds as trace-cmd prints them: microseconds, rounded. */
static uint64_t usecs(uint64_t ns)
{
	return (ns + 500) / 1000;
}

/* Events per CPU and the time span, against the report. */
static void cpu_counts_and_span(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < NCAPS; i++) {
		const struct trace_stats *s = trace_stats(fx->t[i]);
		const struct report *rep = &fx->rep[i];
		uint64_t per[8] = { 0 };

		for (size_t k = 0; k < rep->n; k++)
			if (rep->lines[k].cpu >= 0 && rep->lines[k].cpu < 8)
				per[rep->lines[k].cpu]++;
		assert_int_equal(rep->n, s->events);
		assert_true(s->ncpus <= 8);
		for (size_t c = 0; c < s->ncpus; c++)
			assert_int_equal(s->cpus[c], per[c]);
		assert_int_equal(usecs(s->first_ts), rep->lines[0].us);
		assert_int_equal(usecs(s->last_ts), rep->lines[rep->n - 1].us);
		assert_int_equal(s->lost, 0);
	}
}

/* ---- order and values --------------------------------------------------------------- */

/* The file event names an engine event of @kind may come from. */
static int kind_from(unsigned kind, const char *name)
{
	static const struct {
		unsigned kind;
		const char *names;
	} map[] = {
		{ COH_EV_DMA_MAP, "|dma_map_page|dma_map_phys|" },
		{ COH_EV_DMA_UNMAP, "|dma_unmap_page|dma_unmap_phys|" },
		{ COH_EV_DMA_MAP_RES, "|dma_map_resource|dma_map_phys|" },
		{ COH_EV_DMA_UNMAP_RES, "|dma_unmap_resource|dma_unmap_phys|" },
		{ COH_EV_DMA_ALLOC, "|dma_alloc|" },
		{ COH_EV_DMA_FREE, "|dma_free|" },
		{ COH_EV_DMA_ALLOC_PAGES, "|dma_alloc_pages|dma_alloc_sgt|" },
		{ COH_EV_DMA_FREE_PAGES, "|dma_free_pages|dma_free_sgt|" },
		{ COH_EV_DMA_MAP_SG, "|dma_map_sg|" },
		{ COH_EV_DMA_UNMAP_SG, "|dma_unmap_sg|" },
		{ COH_EV_DMA_SYNC_CPU, "|dma_sync_single_for_cpu|" },
		{ COH_EV_DMA_SYNC_DEV, "|dma_sync_single_for_device|" },
		{ COH_EV_DMA_SYNC_SG_CPU, "|dma_sync_sg_for_cpu|" },
		{ COH_EV_DMA_SYNC_SG_DEV, "|dma_sync_sg_for_device|" },
	};
	char key[80];

	if (coh_kind_group(kind) != COH_GROUP_LINUX)
		return strcmp(name, "print") == 0;
	snprintf(key, sizeof(key), "|%s|", name);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].kind == kind)
			return strstr(map[i].names, key) != NULL;
	return 0;
}

static int relevant_name(const char *name)
{
	return strcmp(name, "print") == 0 ||
	       (strncmp(name, "dma_", 4) == 0 && !strstr(name, "_err"));
}

/* Every engine event sits at its src in the report, with that name, time and CPU. */
static void order_matches_report(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < NCAPS; i++) {
		struct trace *t = fx->t[i];
		const struct report *rep = &fx->rep[i];
		uint64_t relevant = 0, prev = 0;
		struct coh_event ev;

		for (size_t k = 0; k < rep->n; k++)
			relevant += relevant_name(rep->lines[k].name);
		assert_int_equal(trace_count(t), relevant);
		for (uint64_t e = 0; e < trace_count(t); e++) {
			const struct rline *l;

			assert_int_equal(trace_get(t, e, &ev), 0);
			assert_true(ev.src < rep->n);
			assert_true(e == 0 || ev.src > prev);
			prev = ev.src;
			l = &rep->lines[ev.src];
			if (!kind_from(ev.kind, l->name))
				fail_msg("%s: event %llu (%s) is a %s in the report", caps[i],
					 (unsigned long long)ev.src, coh_kind_name(ev.kind), l->name);
			assert_int_equal(usecs(ev.ts), l->us);
			assert_int_equal(ev.cpu, l->cpu);
		}
	}
}

/* A hex number after "key=" in a report body (0x prefix optional). */
static uint64_t body_hex(const char *body, const char *key)
{
	const char *p = body_key(body, key);

	assert_non_null(p);
	return strtoull(p, NULL, 16);
}

static uint64_t body_dec(const char *body, const char *key)
{
	const char *p = body_key(body, key);

	assert_non_null(p);
	return strtoull(p, NULL, 10);
}

static int body_dir(const char *body)
{
	const char *p = body_key(body, "dir");

	assert_non_null(p);
	if (*p >= '0' && *p <= '3')
		return *p - '0';
	return coh_dir_lookup(strncmp(p, "BIDIRECTIONAL", 13) == 0 ? "BIDIRECTIONAL" :
			      strncmp(p, "TO_DEVICE", 9) == 0 ? "TO_DEVICE" :
			      strncmp(p, "FROM_DEVICE", 11) == 0 ? "FROM_DEVICE" : "NONE");
}

/* The scatter-gather fields trace-cmd dumps raw ([FAILED TO PARSE]) against ours. */
static void check_sg(const struct coh_event *ev, const char *body)
{
	uint64_t a[256], b[256], c[256];
	size_t na, nb, nc;

	assert_int_equal(ev->dir, body_dir(body));
	switch (ev->kind) {
	case COH_EV_DMA_MAP_SG:
		na = body_array(body, "phys_addrs", 8, a, 256);
		nb = body_array(body, "dma_addrs", 8, b, 256);
		nc = body_array(body, "lengths", 4, c, 256);
		assert_int_equal(ev->nsegs, na);
		assert_int_equal(nb, na);
		assert_int_equal(nc, na);
		assert_int_equal(ev->nents, body_dec(body, "full_nents"));
		for (size_t k = 0; k < na; k++) {
			assert_int_equal(ev->segs[k].addr, a[k]);
			assert_int_equal(ev->segs[k].bus, b[k]);
			assert_int_equal(ev->segs[k].len, c[k]);
		}
		break;
	case COH_EV_DMA_UNMAP_SG:
		na = body_array(body, "addrs", 8, a, 256);
		assert_int_equal(ev->nsegs, na);
		for (size_t k = 0; k < na; k++) {
			assert_int_equal(ev->segs[k].addr, a[k]);
			assert_int_equal(ev->segs[k].bus, COH_ADDR_NONE);
		}
		break;
	default:
		nb = body_array(body, "dma_addrs", 8, b, 256);
		nc = body_array(body, "lengths", 4, c, 256);
		assert_int_equal(ev->nsegs, nb);
		for (size_t k = 0; k < nb; k++) {
			assert_int_equal(ev->segs[k].bus, b[k]);
			assert_int_equal(ev->segs[k].len, c[k]);
		}
	}
}

/* The other calls, from their printed form ("dev dir=X dma_addr=.. size=.."). */
static void check_call(const struct coh_event *ev, const char *body)
{
	assert_int_equal(ev->dir, body_dir(body));
	assert_int_equal(ev->len, body_dec(body, "size"));
	assert_int_equal(ev->bus, body_hex(body, "dma_addr"));
	if (ev->kind == COH_EV_DMA_MAP)
		assert_int_equal(ev->addr, body_hex(body, "phys_addr"));
	if (ev->kind == COH_EV_DMA_ALLOC)   /* no phys traced: the DMA address stands in */
		assert_int_equal(ev->addr, ev->bus);
}

/* Printed calls start with the device; raw ([FAILED TO PARSE]) ones have device=. */
static void check_device(const char *dev, const char *body)
{
	const char *p = strncmp(body, "[FAILED", 7) == 0 ? body_key(body, "device") : body;
	size_t n = strlen(dev);

	assert_non_null(p);
	assert_memory_equal(p, dev, n);
	assert_int_equal(p[n], ' ');
}

static void calls_decode_like_report(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < NCAPS; i++) {
		struct coh_event ev;
		uint64_t sg = 0;

		for (uint64_t e = 0; e < trace_count(fx->t[i]); e++) {
			const char *body;

			assert_int_equal(trace_get(fx->t[i], e, &ev), 0);
			if (coh_kind_group(ev.kind) != COH_GROUP_LINUX)
				continue;
			body = fx->rep[i].lines[ev.src].body;
			check_device(trace_dev_name(fx->t[i], ev.dev), body);
			if (ev.nsegs) {
				sg++;
				check_sg(&ev, body);
			} else {
				check_call(&ev, body);
			}
		}
		if (strcmp(caps[i], "buggy") == 0)
			assert_int_equal(sg, 8);   /* 3 map_sg, 3 unmap_sg, 2 sync_sg */
	}
}

/* Markers: the report prints "<ip symbol>: <text>" for each print event. */
static void check_marker(const struct trace *t, const struct coh_event *ev, const char *body)
{
	const char *text = strstr(body, ": ");
	char want[256];
	unsigned long long addr, len;
	char dev[64], word[16];

	assert_non_null(text);
	text += 2;
	if (sscanf(text, "cpu_write addr=%llx len=%llu", &addr, &len) == 2 ||
	    sscanf(text, "cpu_read addr=%llx len=%llu", &addr, &len) == 2) {
		assert_int_equal(ev->kind, text[4] == 'w' ? COH_EV_CPU_WRITE : COH_EV_CPU_READ);
		assert_int_equal(ev->addr, addr);
		assert_int_equal(ev->len, len);
	} else if (sscanf(text, "dev_%15s dev=%63s addr=%llx len=%llu", word, dev, &addr,
			  &len) == 4) {
		assert_int_equal(ev->kind, word[0] == 'w' ? COH_EV_DEV_WRITE : COH_EV_DEV_READ);
		assert_string_equal(trace_dev_name(t, ev->dev), dev);
		assert_int_equal(ev->addr, addr);
		assert_int_equal(ev->len, len);
	} else if (sscanf(text, "seq %15s id=%255s", word, want) == 2 ||
		   sscanf(text, "phase %15s name=%255s", word, want) == 2 ||
		   sscanf(text, "run %15s round=%255s", word, want) == 2) {
		assert_int_equal(ev->kind, word[0] == 'b' ? COH_EV_SCOPE_BEGIN : COH_EV_SCOPE_END);
		assert_string_equal(ev->text, want);
		assert_int_equal(ev->scope, text[0] == 's' ? COH_SCOPE_SEQ :
				 text[0] == 'p' ? COH_SCOPE_PHASE : COH_SCOPE_RUN);
	} else {
		assert_int_equal(ev->kind, COH_EV_MARK);
		assert_string_equal(ev->text, text);
	}
}

static void markers_decode_like_report(void **state)
{
	struct fixture *fx = *state;
	uint64_t seen = 0;

	for (size_t i = 0; i < NCAPS; i++) {
		struct coh_event ev;

		for (uint64_t e = 0; e < trace_count(fx->t[i]); e++) {
			assert_int_equal(trace_get(fx->t[i], e, &ev), 0);
			if (coh_kind_group(ev.kind) == COH_GROUP_LINUX)
				continue;
			check_marker(fx->t[i], &ev, fx->rep[i].lines[ev.src].body);
			seen++;
		}
	}
	assert_int_equal(seen, 162 + 20 + 32 + 20);
}

/* ---- buggy/: the ground truth ------------------------------------------------------- */

/* The engine event with this src, or -1. */
static int64_t by_src(struct trace *t, uint64_t src, struct coh_event *ev)
{
	uint64_t i = trace_find_src(t, src);

	if (i >= trace_count(t) || trace_get(t, i, ev) < 0 || ev->src != src)
		return -1;
	return (int64_t)i;
}

static unsigned anchor_kind(const char *anchor)
{
	static const struct {
		const char *name;
		unsigned kind;
	} k[] = {
		{ "cpu_read", COH_EV_CPU_READ }, { "cpu_write", COH_EV_CPU_WRITE },
		{ "dev_read", COH_EV_DEV_READ }, { "dev_write", COH_EV_DEV_WRITE },
		{ "dma_map_page", COH_EV_DMA_MAP }, { "dma_unmap_page", COH_EV_DMA_UNMAP },
		{ "dma_sync_single_for_cpu", COH_EV_DMA_SYNC_CPU },
		{ "dma_sync_single_for_device", COH_EV_DMA_SYNC_DEV },
	};

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (strncmp(anchor, k[i].name, strlen(k[i].name)) == 0 &&
		    anchor[strlen(k[i].name)] == '#')
			return k[i].kind;
	return COH_EV_NONE;
}

static void check_anchors(struct trace *t, char *anchors, char *indexes)
{
	char *s1 = NULL, *s2 = NULL;
	char *a = strtok_r(anchors, ",", &s1), *x = strtok_r(indexes, ",", &s2);
	struct coh_event ev;

	for (; a && x; a = strtok_r(NULL, ",", &s1), x = strtok_r(NULL, ",", &s2)) {
		assert_true(by_src(t, strtoull(x, NULL, 10), &ev) >= 0);
		assert_int_equal(ev.kind, anchor_kind(a));
	}
}

static void buggy_ground_truth(void **state)
{
	struct fixture *fx = *state;
	struct trace *t = fx->t[cap_index("buggy")];
	char path[4096], *text, *save = NULL, *line;
	int seqs = 0;

	capture_path(path, sizeof(path), "buggy", "expected.tsv");
	text = slurp(path, NULL);
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[16], anchors[256], idx[256];
		unsigned long long first, last;
		struct coh_event ev;

		if (sscanf(line, "%*d %15s %*s %*s %*s %llu %llu %255s %255s", id, &first, &last,
			   anchors, idx) != 5)
			continue;
		assert_true(by_src(t, first, &ev) >= 0);
		assert_int_equal(ev.kind, COH_EV_SCOPE_BEGIN);
		assert_int_equal(ev.scope, COH_SCOPE_SEQ);
		assert_string_equal(ev.text, id);
		assert_true(by_src(t, last, &ev) >= 0);
		assert_int_equal(ev.kind, COH_EV_SCOPE_END);
		assert_string_equal(ev.text, id);
		if (strcmp(anchors, "-") != 0)
			check_anchors(t, anchors, idx);
		seqs++;
	}
	assert_int_equal(seqs, 24);
	free(text);
}

/* S12's scatter list, value by value (report.txt, line of event 121). */
static void buggy_s12_scatter_list(void **state)
{
	struct fixture *fx = *state;
	struct trace *t = fx->t[cap_index("buggy")];
	static const struct coh_seg want[] = {
		{ 0x2cf0800, 0x3a705000, 512 }, { 0x2cf3800, 0x3a705800, 1024 },
		{ 0x2cf7000, 0x3a706000, 256 },
	};
	struct coh_event ev;

	assert_true(by_src(t, 121, &ev) >= 0);
	assert_int_equal(ev.kind, COH_EV_DMA_MAP_SG);
	assert_int_equal(ev.dir, COH_DIR_FROM_DEVICE);
	assert_int_equal(ev.nsegs, 3);
	assert_int_equal(ev.nents, 3);
	assert_int_equal(ev.flags & COH_F_TRUNCATED, 0);
	assert_string_equal(trace_dev_name(t, ev.dev), "dmabug");
	for (int k = 0; k < 3; k++) {
		assert_int_equal(ev.segs[k].addr, want[k].addr);
		assert_int_equal(ev.segs[k].bus, want[k].bus);
		assert_int_equal(ev.segs[k].len, want[k].len);
	}
}

/* ---- version 6 and 7 ------------------------------------------------------------------- */

static void same_event(struct trace *a, struct trace *b, uint64_t i)
{
	struct coh_event x, y;

	assert_int_equal(trace_get(a, i, &x), 0);
	assert_int_equal(trace_get(b, i, &y), 0);
	assert_int_equal(x.ts, y.ts);
	assert_int_equal(x.src, y.src);
	assert_int_equal(x.kind, y.kind);
	assert_int_equal(x.cpu, y.cpu);
	assert_int_equal(x.dev, y.dev);
	assert_int_equal(x.addr, y.addr);
	assert_int_equal(x.bus, y.bus);
	assert_int_equal(x.len, y.len);
	assert_int_equal(x.handle, y.handle);
	assert_int_equal(x.dir, y.dir);
	assert_int_equal(x.flags, y.flags);
	assert_int_equal(x.scope, y.scope);
	assert_int_equal(x.nsegs, y.nsegs);
	assert_int_equal(x.nents, y.nents);
	if (x.text || y.text)
		assert_string_equal(x.text, y.text);
	for (uint32_t k = 0; k < x.nsegs; k++)
		assert_memory_equal(&x.segs[k], &y.segs[k], sizeof(x.segs[k]));
}

static void v6_equals_v7(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < NCAPS; i++) {
		struct trace *a = fx->t[i], *b = open_ok(fx->v6[i], NULL);
		const struct trace_stats *sa = trace_stats(a), *sb = trace_stats(b);

		assert_int_equal(trace_count(a), trace_count(b));
		assert_int_equal(sa->events, sb->events);
		assert_int_equal(sa->first_ts, sb->first_ts);
		assert_int_equal(sa->last_ts, sb->last_ts);
		assert_int_equal(sa->ncpus, sb->ncpus);
		for (size_t c = 0; c < sa->ncpus; c++)
			assert_int_equal(sa->cpus[c], sb->cpus[c]);
		assert_int_equal(sa->ndevkinds, sb->ndevkinds);
		assert_int_equal(sa->nkinds, sb->nkinds);
		for (size_t k = 0; k < sa->nkinds; k++)
			assert_int_equal(sa->kinds[k].n, stat_kind(sb, sa->kinds[k].name));
		assert_int_equal(trace_ndevs(a), trace_ndevs(b));
		for (unsigned d = 0; d < trace_ndevs(a); d++)
			assert_string_equal(trace_dev_name(a, d), trace_dev_name(b, d));
		for (uint64_t e = 0; e < trace_count(a); e++)
			same_event(a, b, e);
		assert_int_equal(trace_nwarnings(a), trace_nwarnings(b));
		trace_close(b);
	}
}

/* ---- filter, warnings, inference --------------------------------------------------------- */

static int has_warning(const struct trace *t, const char *part)
{
	for (size_t i = 0; i < trace_nwarnings(t); i++)
		if (strstr(trace_warning(t, i), part))
			return 1;
	return 0;
}

static void device_filter(void **state)
{
	struct fixture *fx = *state;
	struct trace_opts o = { .device = "0000:00:03.0" };
	const struct trace_stats *s = trace_stats(fx->t[cap_index("nic")]);
	char path[4096], err[512];
	struct trace *t;
	struct coh_event ev;
	uint64_t calls = 0, want = 0, marks = 0;

	capture_path(path, sizeof(path), "nic", "trace.dat");
	t = open_ok(path, &o);
	for (size_t k = 0; k < s->ndevkinds; k++)
		if (strcmp(s->devkinds[k].name, o.device) == 0)
			want += s->devkinds[k].n;
	for (uint64_t e = 0; e < trace_count(t); e++) {
		assert_int_equal(trace_get(t, e, &ev), 0);
		if (coh_kind_group(ev.kind) == COH_GROUP_LINUX) {
			assert_string_equal(trace_dev_name(t, ev.dev), o.device);
			calls++;
		} else {
			marks++;
		}
	}
	assert_int_equal(calls, want);
	assert_int_equal(marks, stat_kind(s, "print"));
	/* only this device's warnings */
	assert_true(has_warning(t, "device 0000:00:03.0: no access markers"));
	assert_false(has_warning(t, "0000:00:02.0"));
	trace_close(t);
	o.device = "no-such-device";
	t = (struct trace *)1;
	assert_int_equal(trace_open(path, &o, &t, err, sizeof(err)), -1);
	assert_null(t);
	assert_non_null(strstr(err, "/nic/trace.dat: no device 'no-such-device' in this trace "
			       "(its devices: 0000:00:02.0, 0000:00:03.0)"));
}

static void sync_warning(void **state)
{
	struct fixture *fx = *state;
	const char *w = "no dma_sync_* events, and no swiotlb bounces: on a coherent machine";

	/* no bounce buffer anywhere: both NICs' syncs may have gone untraced */
	assert_true(has_warning(fx->t[cap_index("nic-coherent")], "device 0000:00:02.0: "
				"streaming mappings but no dma_sync_* events"));
	assert_true(has_warning(fx->t[cap_index("nic-coherent")], "device 0000:00:03.0: "
				"streaming mappings but no dma_sync_* events"));
	/* swiotlb=force: e1000e and AHCI never sync by design, e1000 and dmabug do */
	assert_false(has_warning(fx->t[cap_index("nic")], w));
	assert_false(has_warning(fx->t[cap_index("disk")], w));
	assert_false(has_warning(fx->t[cap_index("buggy")], w));
}

static uint64_t count_flag(struct trace *t, uint32_t flag, uint64_t *calls)
{
	struct coh_event ev;
	uint64_t n = 0;

	*calls = 0;
	for (uint64_t e = 0; e < trace_count(t); e++) {
		assert_int_equal(trace_get(t, e, &ev), 0);
		if (coh_kind_group(ev.kind) == COH_GROUP_LINUX)
			(*calls)++;
		n += !!(ev.flags & flag);
	}
	return n;
}

static void inference(void **state)
{
	struct fixture *fx = *state;
	struct trace_opts never = { .infer = TRACE_INFER_NEVER };
	struct trace_opts always = { .infer = TRACE_INFER_ALWAYS };
	char path[4096];
	uint64_t calls, n;
	struct trace *t;

	/* nic has no access markers: every call of both devices is inferred */
	n = count_flag(fx->t[cap_index("nic")], COH_F_INFER, &calls);
	assert_int_equal(n, calls);
	assert_true(calls > 0);
	assert_true(has_warning(fx->t[cap_index("nic")], "device 0000:00:02.0: no access "
				"markers; CPU and device accesses are inferred"));
	/* dmabug's accesses are all marked: nothing is */
	assert_int_equal(count_flag(fx->t[cap_index("buggy")], COH_F_INFER, &calls), 0);
	assert_false(has_warning(fx->t[cap_index("buggy")], "inferred"));
	capture_path(path, sizeof(path), "nic", "trace.dat");
	t = open_ok(path, &never);
	assert_int_equal(count_flag(t, COH_F_INFER, &calls), 0);
	trace_close(t);
	capture_path(path, sizeof(path), "buggy", "trace.dat");
	t = open_ok(path, &always);
	n = count_flag(t, COH_F_INFER, &calls);
	assert_int_equal(n, calls);
	assert_true(calls > 0);
	trace_close(t);
}

/* ---- access ----------------------------------------------------------------------------- */

/* Events fetched in a scrambled order equal the same events fetched in order. */
static void random_access(void **state)
{
	struct fixture *fx = *state;
	struct trace *t = fx->t[cap_index("disk")];
	uint64_t n = trace_count(t), x = 12345;
	struct coh_event *seq = calloc(n, sizeof(*seq)), ev;

	assert_non_null(seq);
	for (uint64_t e = 0; e < n; e++) {
		assert_int_equal(trace_get(t, e, &seq[e]), 0);
		seq[e].segs = NULL;   /* borrowed until the next get */
		seq[e].text = NULL;
	}
	for (int k = 0; k < 5000; k++) {
		uint64_t e;

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		e = (x >> 33) % n;
		assert_int_equal(trace_get(t, e, &ev), 0);
		assert_int_equal(ev.src, seq[e].src);
		assert_int_equal(ev.ts, seq[e].ts);
		assert_int_equal(ev.kind, seq[e].kind);
		assert_int_equal(ev.bus, seq[e].bus);
		assert_int_equal(trace_find_src(t, ev.src), e);
	}
	assert_int_equal(trace_get(t, n, &ev), -COH_E_SEEK);
	free(seq);
}

static void detail_rereads(void **state)
{
	struct fixture *fx = *state;
	struct trace *v6 = open_ok(fx->v6[cap_index("buggy")], NULL);
	struct trace *both[2] = { fx->t[cap_index("buggy")], v6 };
	char buf[4096];

	for (int k = 0; k < 2; k++) {
		struct trace *t = both[k];
		int len = trace_detail(t, 121, buf, sizeof(buf));

		assert_true(len > 0 && (size_t)len < sizeof(buf));
		assert_non_null(strstr(buf, "dma_map_sg"));
		assert_non_null(strstr(buf, "phys_addrs=[0x2cf0800, 0x2cf3800, 0x2cf7000]"));
		assert_non_null(strstr(buf, "lengths=[512, 1024, 256]"));
		assert_non_null(strstr(buf, "10.908929"));
		assert_true(trace_detail(t, 2, buf, sizeof(buf)) > 0);
		assert_non_null(strstr(buf, "seq begin id=S01"));
		/* not an engine event: an swiotlb_bounced record */
		assert_true(trace_detail(t, 4, buf, sizeof(buf)) > 0);
		assert_non_null(strstr(buf, "swiotlb_bounced"));
		/* snprintf-like: the full length even when cut */
		assert_int_equal(trace_detail(t, 121, buf, 8), len);
		assert_int_equal(strlen(buf), 7);
		assert_int_equal(trace_detail(t, 258, buf, sizeof(buf)), -1);
	}
	trace_close(v6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_match_event_counts),
		cmocka_unit_test(cpu_counts_and_span),
		cmocka_unit_test(order_matches_report),
		cmocka_unit_test(calls_decode_like_report),
		cmocka_unit_test(markers_decode_like_report),
		cmocka_unit_test(buggy_ground_truth),
		cmocka_unit_test(buggy_s12_scatter_list),
		cmocka_unit_test(v6_equals_v7),
		cmocka_unit_test(device_filter),
		cmocka_unit_test(sync_warning),
		cmocka_unit_test(inference),
		cmocka_unit_test(random_access),
		cmocka_unit_test(detail_rereads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
