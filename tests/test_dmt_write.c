/* SPDX-License-Identifier: MIT */
/*
 * test_dmt_write.c - trace_write_dmt(): the canonical form, and
 * write -> read -> write byte identity on every fixture, every sample and
 * random event sequences covering every kind, field and flag.
 */
#include <glob.h>

#include "dmt-test.h"

/* ---- comparing ------------------------------------------------------------------ */

static void ev_equal(const struct coh_event *a, const struct coh_event *b, uint64_t i)
{
	char da[256], db[256];

	coh_event_describe(a, NULL, da, sizeof(da));
	coh_event_describe(b, NULL, db, sizeof(db));
	if (a->ts != b->ts || a->src != b->src || a->kind != b->kind || a->cpu != b->cpu ||
	    a->dev != b->dev || a->addr != b->addr || a->bus != b->bus || a->len != b->len ||
	    a->off != b->off || a->handle != b->handle || a->irp != b->irp || a->dir != b->dir ||
	    a->scope != b->scope || a->flags != b->flags || a->status != b->status ||
	    a->nsegs != b->nsegs || a->nents != b->nents)
		fail_msg("event %llu differs:\n  %s (flags %#x src %llu ts %llu)\n  %s (flags %#x "
			 "src %llu ts %llu)", (unsigned long long)i, da, a->flags,
			 (unsigned long long)a->src, (unsigned long long)a->ts, db, b->flags,
			 (unsigned long long)b->src, (unsigned long long)b->ts);
	for (uint32_t k = 0; k < a->nsegs; k++) {
		assert_int_equal(a->segs[k].addr, b->segs[k].addr);
		assert_int_equal(a->segs[k].bus, b->segs[k].bus);
		assert_int_equal(a->segs[k].len, b->segs[k].len);
	}
	assert_int_equal(!a->data, !b->data);
	if (a->data)
		assert_memory_equal(a->data, b->data, a->len);
	assert_int_equal(!a->text, !b->text);
	if (a->text)
		assert_string_equal(a->text, b->text);
}

/* Load .dmt text; the events must be those of @src. */
static struct trace *read_back(const char *text, size_t len, const struct coh_source *src,
			       char **path)
{
	struct trace *t;

	*path = dt_tmpfile(text, len);
	t = dt_open(*path, NULL);
	assert_int_equal(trace_count(t), src->count(src->ctx));
	for (uint64_t i = 0; i < trace_count(t); i++) {
		struct coh_event a, b = dt_get(t, i);

		assert_int_equal(src->get(src->ctx, i, &a), 0);
		ev_equal(&a, &b, i);
	}
	return t;
}

/*
 * Write the source, read it back (same events), write that (on the platform
 * trace_platform() gives it), read and write again: the last two writes are
 * the same bytes.  With @same_platform, @p is what trace_platform() gives
 * (it came from it), so the first write must already be those bytes.
 */
static void round_trip(const struct coh_platform *p, const struct coh_source *src,
		       int same_platform)
{
	char err[512], *one = NULL, *two, *three, *path1, *path2;
	size_t n1 = 0, n2 = 0, n3 = 0;
	FILE *f = open_memstream(&one, &n1);
	struct trace *t1, *t2;

	assert_non_null(f);
	if (trace_write_dmt(f, p, src, err, sizeof(err)) < 0)
		fail_msg("trace_write_dmt: %s", err);
	fclose(f);
	t1 = read_back(one, n1, src, &path1);
	two = dt_write(t1, &n2);
	t2 = read_back(two, n2, src, &path2);
	three = dt_write(t2, &n3);
	if (n2 != n3 || memcmp(two, three, n2) != 0)
		fail_msg("write -> read -> write differs:\n%s\n----\n%s", two, three);
	if (same_platform && (n1 != n2 || memcmp(one, two, n1) != 0))
		fail_msg("second write differs from the first:\n%s\n----\n%s", one, two);
	trace_close(t1);
	trace_close(t2);
	dt_rmtmp(path1);
	dt_rmtmp(path2);
	free(one);
	free(two);
	free(three);
}

/* A file: read, write, read, write; both writes the same, both reads the same. */
static void file_round_trip(const char *path)
{
	struct trace *t = dt_open(path, NULL);
	struct coh_platform p;
	struct coh_source src = trace_source(t);
	char err[256];

	assert_int_equal(trace_platform(t, trace_names_platform(t) ? NULL : "x86", &p, err,
					sizeof(err)), 0);
	round_trip(&p, &src, 1);
	trace_close(t);
}

static void test_files(void **state)
{
	const char *dirs[] = { "tests/data", "traces/samples" };
	char pat[512];
	size_t total = 0;

	(void)state;
	for (int d = 0; d < 2; d++) {
		glob_t g;

		snprintf(pat, sizeof(pat), "%s/%s/*.dmt", dt_srcdir(), dirs[d]);
		if (glob(pat, 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++)
			file_round_trip(g.gl_pathv[i]);
		total += g.gl_pathc;
		globfree(&g);
	}
	assert_true(total >= 5);
}

/* ---- random sequences ------------------------------------------------------------ */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return rnd(r) % n;
}

/* Storage one generated event points into. */
struct gen {
	struct coh_seg segs[5];
	uint8_t data[48];
	char text[40];
};

static uint64_t gaddr(struct rng *r)
{
	switch (below(r, 4)) {
	case 0:
		return below(r, 1u << 20);
	case 1:
		return UINT64_MAX - (1u << 16) - below(r, 1u << 12);   /* near the top */
	default:
		return rnd(r) >> 8;
	}
}

static uint64_t maybe_none(struct rng *r)
{
	return below(r, 3) ? gaddr(r) : COH_ADDR_NONE;
}

static uint64_t small_or_none(struct rng *r)
{
	return below(r, 3) ? rnd(r) >> 4 : COH_ADDR_NONE;
}

static void gen_text(struct rng *r, struct gen *g, struct coh_event *ev)
{
	static const char special[] = "\"\\#= \t\n\r\x01\x7f\xc3\xa9x";
	size_t n = below(r, sizeof(g->text) - 1);

	if (!below(r, 4))
		return;                         /* no text at all */
	for (size_t i = 0; i < n; i++)
		g->text[i] = below(r, 2) ? (char)(1 + below(r, 255)) :
			     special[below(r, sizeof(special) - 1)];
	g->text[n] = 0;
	ev->text = g->text;
}

static void gen_segs(struct rng *r, struct gen *g, struct coh_event *ev, int phys, int bus)
{
	ev->nsegs = (uint32_t)(1 + below(r, 5));
	for (uint32_t i = 0; i < ev->nsegs; i++) {
		g->segs[i].len = 1 + below(r, 8192);
		g->segs[i].addr = phys ? below(r, 1ull << 40) : small_or_none(r);
		g->segs[i].bus = bus ? below(r, 1ull << 40) : small_or_none(r);
	}
	ev->segs = g->segs;
}

static void gen_access(struct rng *r, struct gen *g, struct coh_event *ev)
{
	ev->len = 1 + below(r, sizeof(g->data));
	ev->addr = gaddr(r);
	if (ev->addr + ev->len < ev->addr)
		ev->addr -= ev->len;
	if ((ev->kind == COH_EV_CPU_WRITE || ev->kind == COH_EV_DEV_WRITE) && below(r, 2)) {
		for (uint64_t i = 0; i < ev->len; i++)
			g->data[i] = (uint8_t)rnd(r);
		ev->data = g->data;
	}
}

static int sg_kind(unsigned k)
{
	return k == COH_EV_DMA_MAP_SG || k == COH_EV_DMA_UNMAP_SG || k == COH_EV_DMA_SYNC_SG_CPU ||
	       k == COH_EV_DMA_SYNC_SG_DEV || k == COH_EV_DMA_ALLOC_PAGES ||
	       k == COH_EV_DMA_FREE_PAGES;
}

static void gen_linux(struct rng *r, struct gen *g, struct coh_event *ev)
{
	unsigned k = ev->kind;
	int use_segs = k == COH_EV_DMA_MAP_SG || k == COH_EV_DMA_UNMAP_SG ||
		       k == COH_EV_DMA_SYNC_SG_CPU || k == COH_EV_DMA_SYNC_SG_DEV ||
		       ((k == COH_EV_DMA_ALLOC_PAGES || k == COH_EV_DMA_FREE_PAGES) && below(r, 2));

	ev->dir = (uint8_t)below(r, 3);
	ev->flags |= (below(r, 2) ? COH_F_SKIP_CPU_SYNC : 0) | (below(r, 2) ? COH_F_INFER : 0);
	if (use_segs) {
		gen_segs(r, g, ev, k == COH_EV_DMA_MAP_SG || k == COH_EV_DMA_UNMAP_SG ||
			 k == COH_EV_DMA_ALLOC_PAGES, k != COH_EV_DMA_UNMAP_SG);
		ev->nents = ev->nsegs + (uint32_t)below(r, 3);
	} else {
		ev->len = below(r, 1u << 16) + (k == COH_EV_DMA_UNMAP ? 0 : 1);
		ev->bus = below(r, 1ull << 48);
		if (k != COH_EV_DMA_UNMAP && k != COH_EV_DMA_SYNC_CPU && k != COH_EV_DMA_SYNC_DEV)
			ev->addr = k == COH_EV_DMA_MAP ? below(r, 1ull << 48) : small_or_none(r);
	}
	if (sg_kind(k) && below(r, 2))
		ev->flags |= COH_F_TRUNCATED;
}

static void gen_transfer(struct rng *r, struct gen *g, struct coh_event *ev)
{
	unsigned k = ev->kind;

	gen_segs(r, g, ev, 1, k == COH_EV_GET_SG);
	ev->off = below(r, 3) ? 0 : below(r, 4096);
	ev->len = below(r, 1u << 16);
	ev->handle = maybe_none(r);
	ev->irp = below(r, 3) ? below(r, 100) : rnd(r);
	if (k == COH_EV_MAP_TRANSFER || k == COH_EV_MAP_TRANSFER_EX)
		ev->bus = below(r, 2) ? COH_ADDR_NONE : below(r, 1ull << 40);
	if (below(r, 2))
		ev->flags |= COH_F_WRITE_TO_DEVICE;
	if ((k == COH_EV_FLUSH_ADAPTER || k == COH_EV_FLUSH_ADAPTER_EX) && below(r, 2)) {
		ev->flags |= COH_F_STATUS;
		ev->status = below(r, 2) ? (int32_t)below(r, 2) : (int32_t)rnd(r);
	}
}

static void gen_windows(struct rng *r, struct gen *g, struct coh_event *ev)
{
	ev->flags |= below(r, 2) ? COH_F_INFER : 0;
	switch (ev->kind) {
	case COH_EV_ALLOC_COMMON:
	case COH_EV_FREE_COMMON:
		ev->len = 1 + below(r, 1u << 16);
		ev->addr = below(r, 1ull << 40);
		ev->bus = small_or_none(r);
		if (ev->kind == COH_EV_FREE_COMMON && below(r, 2) && ev->bus != COH_ADDR_NONE)
			ev->addr = COH_ADDR_NONE;
		ev->flags |= ev->kind == COH_EV_ALLOC_COMMON && below(r, 2) ?
			     COH_F_CACHE_ENABLED : 0;
		return;
	case COH_EV_KE_FLUSH:
		gen_segs(r, g, ev, 1, 0);
		ev->flags |= (below(r, 2) ? COH_F_READ_OP : 0) | (below(r, 2) ? COH_F_DMA_OP : 0);
		return;
	case COH_EV_PUT_SG:
		ev->flags |= below(r, 2) ? COH_F_WRITE_TO_DEVICE : 0;
		/* fall through */
	case COH_EV_FREE_MAP_REGS:
		ev->handle = maybe_none(r);
		return;
	case COH_EV_FREE_ADAPTER:
		return;
	case COH_EV_IRP_COMPLETE:
		ev->irp = rnd(r);
		ev->status = below(r, 2) ? COH_STATUS_INVALID_PARAMETER : (int32_t)rnd(r);
		return;
	}
	gen_transfer(r, g, ev);
}

static void gen_event(struct rng *r, struct gen *g, struct coh_event *ev, unsigned kind,
		      unsigned ndevs)
{
	int grp = coh_kind_group(kind);

	coh_event_init(ev, (enum coh_kind)kind);
	ev->cpu = (uint16_t)below(r, 4);
	if (grp == COH_GROUP_LINUX || grp == COH_GROUP_WINDOWS || kind == COH_EV_DEV_READ ||
	    kind == COH_EV_DEV_WRITE || kind == COH_EV_DEV_DONE)
		ev->dev = kind == COH_EV_IRP_COMPLETE ? 0 : (uint16_t)below(r, ndevs);
	if (grp == COH_GROUP_LINUX)
		gen_linux(r, g, ev);
	else if (grp == COH_GROUP_WINDOWS)
		gen_windows(r, g, ev);
	else if (kind == COH_EV_MARK || kind == COH_EV_SCOPE_BEGIN || kind == COH_EV_SCOPE_END)
		gen_text(r, g, ev);
	else if (kind == COH_EV_DEV_DONE)
		ev->handle = maybe_none(r);
	else if (kind != COH_EV_TRACE_END)
		gen_access(r, g, ev);
	if (kind == COH_EV_SCOPE_BEGIN || kind == COH_EV_SCOPE_END)
		ev->scope = (uint8_t)below(r, 3);
}

static void gen_platform(struct rng *r, struct coh_platform *p)
{
	static const char *const names[] = { "eth0", "usb disk", "0000:00:02.0", "we\"ird\\nä" };
	const char *preset = coh_platform_preset_at((unsigned)below(r, 8), NULL);

	assert_int_equal(coh_platform_preset(preset, p), 0);
	p->ncpus = 4;
	if (below(r, 3) == 0)
		snprintf(p->name, sizeof(p->name), "my board");
	if (below(r, 2))
		p->dev_default.posted = 16;
	for (int i = 0; i < 4; i++)
		assert_true(coh_platform_add_dev(p, names[i]) == i);
	p->devs[1].coherent = !p->devs[1].coherent;
	p->devs[2].ctrl_size = 32;
	p->devs[2].ctrl_chunk = 8;
	p->devs[3].signals_done = 1;
}

static void gen_sequence(struct rng *r, struct coh_log *log, int every_kind, unsigned n)
{
	uint64_t ts = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned kind = every_kind ? i % COH_EV_COUNT : (unsigned)below(r, COH_EV_COUNT);
		struct coh_event ev;
		struct gen g;

		gen_event(r, &g, &ev, kind, 4);
		switch (below(r, 8)) {
		case 0:
			ts += below(r, 2000000000u);
			break;
		case 1:
			ts -= ts ? below(r, ts) : 0;    /* backwards */
			break;
		default:
			ts = i ? ts + 1 : 0;            /* the reader's default */
		}
		ev.ts = ts;
		ev.src = below(r, 10) < 8 ? i : below(r, 5) ? rnd(r) >> 1 : COH_SRC_NONE;
		if (i + 1 == n && kind == COH_EV_TRACE_END && below(r, 2))
			ev.src = COH_SRC_NONE;          /* as the reader appends it */
		assert_int_equal(coh_event_check(&ev, NULL, NULL, 0), 0);
		assert_int_equal(coh_log_append(log, &ev), 0);
	}
}

static void test_random_sequences(void **state)
{
	struct rng r = { 0x9e3779b97f4a7c15ull };

	(void)state;
	for (int round = 0; round < 60; round++) {
		struct coh_log *log = coh_log_new();
		struct coh_source src = coh_log_source(log);
		struct coh_platform p;

		assert_non_null(log);
		gen_platform(&r, &p);
		gen_sequence(&r, log, round < 2, round < 2 ? 3 * COH_EV_COUNT :
			     (unsigned)below(&r, 150));
		round_trip(&p, &src, 0);
		coh_log_free(log);
	}
}

/* ---- the canonical form ----------------------------------------------------------- */

static void test_canonical_text(void **state)
{
	static const char want[] =
		"dmascope-trace 1\n"
		"platform nt-slave-dma cpus=2\n"
		"device floppy signals_done=1\n"
		"device \"tape #2\" B=32\n"
		"MapTransfer dev=floppy seg=0x1000,-,100 len=100 handle=0x10 irp=0x1 "
		"WriteToDevice=FALSE\n"
		"1.000000000 dev_write cpu=1 dev=floppy addr=0x1000 len=2 data=abcd\n"
		"mark text=\"tab\\there\"\n"
		"IoCompleteRequest irp=0x1 status=STATUS_SUCCESS src=7\n";
	struct coh_seg seg = { 0x1000, COH_ADDR_NONE, 100 };
	struct coh_log *log = coh_log_new();
	struct coh_source src = coh_log_source(log);
	struct coh_platform p;
	struct coh_event ev;
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	coh_platform_preset("nt-slave-dma", &p);
	p.ncpus = 2;
	coh_platform_add_dev(&p, "floppy");
	coh_platform_add_dev(&p, "tape #2");
	p.devs[0].signals_done = 1;
	p.devs[1].ctrl_size = 32;
	coh_event_init(&ev, COH_EV_MAP_TRANSFER);
	ev.segs = &seg;
	ev.nsegs = 1;
	ev.len = 100;
	ev.handle = 0x10;
	ev.irp = 1;
	ev.src = 0;
	coh_log_append(log, &ev);
	coh_event_init(&ev, COH_EV_DEV_WRITE);
	ev.ts = 1000000000;
	ev.cpu = 1;
	ev.addr = 0x1000;
	ev.len = 2;
	ev.data = (const uint8_t *)"\xab\xcd";
	ev.src = 1;
	coh_log_append(log, &ev);
	coh_event_init(&ev, COH_EV_MARK);
	ev.ts = 1000000001;
	ev.text = "tab\there";
	ev.src = 2;
	coh_log_append(log, &ev);
	coh_event_init(&ev, COH_EV_IRP_COMPLETE);
	ev.ts = 1000000002;
	ev.irp = 1;
	ev.src = 7;
	coh_log_append(log, &ev);
	coh_event_init(&ev, COH_EV_TRACE_END);
	ev.ts = 1000000003;
	coh_log_append(log, &ev);           /* what the reader would add: left out */
	assert_int_equal(trace_write_dmt(f, &p, &src, err, sizeof(err)), 0);
	fclose(f);
	assert_string_equal(text, want);
	free(text);
	coh_log_free(log);
}

static void test_ends_open_written(void **state)
{
	struct coh_log *log = coh_log_new();
	struct coh_source src = coh_log_source(log);
	struct coh_platform p;
	struct coh_event ev;
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	coh_platform_preset("x86", &p);
	coh_event_init(&ev, COH_EV_MARK);
	ev.src = 0;
	coh_log_append(log, &ev);
	assert_int_equal(trace_write_dmt(f, &p, &src, err, sizeof(err)), 0);
	fclose(f);
	assert_string_equal(text, "dmascope-trace 1\nplatform x86\nends open\nmark\n");
	free(text);
	round_trip(&p, &src, 1);
	coh_log_truncate(log, 0);
	round_trip(&p, &src, 1);            /* no events at all */
	coh_log_free(log);
}

/* ---- errors ------------------------------------------------------------------------ */

static void expect_write_error(const struct coh_platform *p, const struct coh_event *ev,
			       const char *what)
{
	struct coh_log *log = coh_log_new();
	struct coh_source src = coh_log_source(log);
	char err[256] = "";
	FILE *f = fopen("/dev/null", "w");

	coh_log_append(log, ev);
	assert_int_equal(trace_write_dmt(f, p, &src, err, sizeof(err)), -1);
	if (!strstr(err, what))
		fail_msg("wanted '%s' in '%s'", what, err);
	fclose(f);
	coh_log_free(log);
}

static void test_write_errors(void **state)
{
	struct coh_platform p;
	struct coh_event ev;

	(void)state;
	coh_platform_preset("x86", &p);
	coh_event_init(&ev, COH_EV_DEV_DONE);
	ev.dev = 0;
	expect_write_error(&p, &ev, "event 0 (dev_done): ");    /* no such device */
	coh_event_init(&ev, COH_EV_CPU_READ);
	ev.addr = 1;
	expect_write_error(&p, &ev, "cpu_read of length 0");
	ev.len = 1;
	ev.cpu = 1;
	expect_write_error(&p, &ev, "CPU 1 of 1");
	coh_platform_add_dev(&p, "d");
	coh_event_init(&ev, COH_EV_DMA_MAP);
	ev.bus = 0x1000;
	ev.len = 16;
	ev.dir = COH_DIR_BIDIRECTIONAL;
	expect_write_error(&p, &ev, "dma_map needs a physical address");
	ev.addr = 0x1000;
	ev.dev = 1;
	expect_write_error(&p, &ev, "device 1 of 1");
	p.line = 3;
	expect_write_error(&p, &ev, "platform: line size 3");
}

/* A write whose data would make a line longer than the reader takes. */
static void test_write_line_too_long(void **state)
{
	size_t n = (4u << 20) + 1;
	uint8_t *data = calloc(1, n);
	struct coh_platform p;
	struct coh_event ev;

	(void)state;
	assert_non_null(data);
	coh_platform_preset("x86", &p);
	coh_event_init(&ev, COH_EV_CPU_WRITE);
	ev.addr = 0x1000;
	ev.len = n;
	ev.data = data;
	expect_write_error(&p, &ev, "a .dmt line has at most 8388608");
	free(data);
}

static void test_write_to_full_disk(void **state)
{
	struct coh_log *log = coh_log_new();
	struct coh_source src = coh_log_source(log);
	struct coh_platform p;
	struct coh_event ev;
	char err[256] = "";
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	coh_platform_preset("x86", &p);
	coh_event_init(&ev, COH_EV_MARK);
	for (int i = 0; i < 10000; i++)
		coh_log_append(log, &ev);
	assert_int_equal(trace_write_dmt(f, &p, &src, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "write error"));
	fclose(f);
	coh_log_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_text),
		cmocka_unit_test(test_ends_open_written),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_random_sequences),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_write_line_too_long),
		cmocka_unit_test(test_write_to_full_disk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
