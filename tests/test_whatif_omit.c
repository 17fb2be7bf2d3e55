/* SPDX-License-Identifier: MIT */
/*
 * test_whatif_omit.c - the omission matrix (coh_whatif_omit_each()).
 *
 * On every sample scenario pair (traces/samples/NAME.ok.dmt and .bug.dmt,
 * each on the platform it names): the matrix of the .ok file lists exactly
 * the calls the table below says its run needs, with the findings the
 * rules of docs/model.md give; the call the .bug file leaves out (or
 * misplaces) breaks the .ok run with at least the findings `check` reports
 * on the .bug file, and the .bug file's own matrix lists fewer calls of
 * that kind (a .bug file may also drop the frames around it).  Every row equals a full replay without that call; one and
 * two workers give the same rows; needed_on agrees with the matrix run on
 * each other preset; a row whose state rejoins the recorded run early gives
 * the findings of a full re-run.
 */
#include "dmt-test.h"

#include "coh_run.h"
#include "coh_timeline.h"
#include "coh_whatif.h"
#include "whatif_omit.h"

/* ---- expectations -------------------------------------------------------- */

#define R_MAP   "without the map call the device's accesses and the unmap or flush " \
		"use an address no live mapping covers: DC011 (model.md section 3)"
#define R_LEAK  "the mapping is still live when the trace ends: DC012"
#define R_UNMAP_READ "the unmap hands the FROM_DEVICE buffer back and invalidates: " \
		"the CPU reads device-owned (DC006) stale (DC001) bytes, and the " \
		"mapping leaks (DC012)"
#define R_SYNC_CPU "sync_for_cpu hands the received bytes to the CPU and invalidates " \
		"its stale lines: without it the read is of device-owned (DC006), " \
		"stale (DC001) bytes"
#define R_SYNC_DEV "sync_for_device cleans the CPU's new data to memory and hands it " \
		"to the device: without it the device reads stale memory (DC002) the " \
		"CPU wrote while the device owned it (DC006)"
#define R_FLUSH_RES "FlushAdapterBuffers drains the adapter (controller, posted " \
		"writes, map buffer) to memory: without it bytes stay there (DC004) " \
		"and the CPU reads stale memory (DC001)"
#define R_FLUSH_EX "FlushAdapterBuffersEx of a v3 adapter ends the transfer and " \
		"invalidates: without it the transfer completes unflushed (DC008) " \
		"and the CPU reads stale lines (DC001)"

struct expect_row {
	uint64_t src;                /* the call's event in the .ok file */
	const char *ids;             /* the error ids that appear, comma-separated */
	const char *why;
};

struct pair {
	const char *name;
	uint64_t bug_call;           /* the call the .bug file leaves out or misplaces */
	int omitted;                 /* 1: the .bug file simply lacks it */
	struct expect_row rows[6];   /* every call whose removal breaks the .ok run */
};

static const struct pair pairs[] = {
	{ "common-buffer-clobber", 2, 1, {
	  { 2, "DC001,DC003", "KeFlushIoBuffers(ReadOperation) cleans and invalidates the "
	    "cached common buffer: without it the device writes under dirty lines (DC003) "
	    "and the CPU reads the old ones (DC001)" } } },
	{ "complete-before-flush", 4, 0, {
	  { 1, "DC002", "KeFlushIoBuffers(write) cleans the CPU's data before the device "
	    "reads it: without it the device read is stale (DC002)" },
	  { 2, "DC011", R_MAP },
	  { 4, "DC008", "the transfer is completed with no adapter flush (DC008)" } } },
	{ "doublebuffer-noflush", 3, 1, {
	  { 1, "DC011", R_MAP }, { 3, "DC001,DC004", R_FLUSH_RES } } },
	{ "flush-ex-chain", COH_SRC_NONE, 0, {
	  { 0, "DC011", R_MAP }, { 4, "DC001,DC008", R_FLUSH_EX } } },
	{ "flush-status", COH_SRC_NONE, 0, {
	  { 1, "DC011", R_MAP },
	  { 4, "DC009", "the only flush left failed and the IRP completes with success "
	    "(DC009)" } } },
	{ "linux-dir-mismatch", COH_SRC_NONE, 0, {
	  { 1, "DC011", R_MAP }, { 3, "DC001,DC006,DC012", R_UNMAP_READ } } },
	{ "linux-leak", 8, 1, {
	  { 1, "DC011", R_MAP }, { 3, "DC012", R_LEAK },
	  { 5, "DC011", R_MAP }, { 8, "DC012", R_LEAK } } },
	{ "linux-rx-nosync", 3, 1, {
	  { 1, "DC011", R_MAP }, { 3, "DC001,DC006", R_SYNC_CPU },
	  { 7, "DC001,DC006", R_SYNC_CPU }, { 9, "DC012", R_LEAK } } },
	{ "linux-sg-rx", 5, 1, {
	  { 2, "DC011", R_MAP }, { 5, "DC001,DC006", R_SYNC_CPU }, { 8, "DC012", R_LEAK } } },
	{ "linux-shared-line", COH_SRC_NONE, 0, {
	  { 1, "DC011", R_MAP }, { 4, "DC001,DC006,DC012", R_UNMAP_READ } } },
	{ "linux-tx-nosync", 5, 1, {
	  { 1, "DC011", R_MAP }, { 5, "DC002,DC006", R_SYNC_DEV }, { 7, "DC012", R_LEAK } } },
	{ "partial-sg-unmap", COH_SRC_NONE, 0, {
	  { 0, "DC011", R_MAP },
	  { 4, "DC006,DC012", "without the unmap the CPU reads bytes the device still owns "
	    "(DC006; no line was cached, so nothing reads stale) and the mapping leaks "
	    "(DC012)" } } },
	{ "posted-late-flush", 3, 0, {
	  { 1, "DC011", R_MAP }, { 3, "DC001,DC004", R_FLUSH_RES } } },
	{ "premature-flush", COH_SRC_NONE, 0, {
	  { 0, "DC011", R_MAP }, { 4, "DC001,DC008", R_FLUSH_EX } } },
	{ "skip-unmap-nosync", 3, 1, {
	  { 0, "DC011", R_MAP }, { 3, "DC001,DC006", R_SYNC_CPU }, { 5, "DC012", R_LEAK } } },
	{ "slave-dma-tail", 4, 1, {
	  { 1, "DC011", R_MAP }, { 4, "DC001,DC004", R_FLUSH_RES } } },
	{ "swiotlb-rx-nosync", 3, 1, {
	  { 1, "DC011", R_MAP },
	  { 3, "DC001,DC006", "with bounce buffers sync_for_cpu copies the slot back: "
	    "without it the CPU reads the old buffer (DC001) the device owns (DC006)" },
	  { 5, "DC012", R_LEAK } } },
	{ "v2-recipe", COH_SRC_NONE, 0, {
	  { 1, "DC001", "KeFlushIoBuffers(ReadOperation) invalidates the lines the CPU "
	    "cached before the transfer: without it the CPU reads them (DC001)" },
	  { 2, "DC011", R_MAP }, { 4, "DC001,DC004", R_FLUSH_RES } } },
	{ "v3-adapter", COH_SRC_NONE, 0, {
	  { 1, "DC011", R_MAP }, { 3, "DC001,DC008", R_FLUSH_EX } } },
	{ "v3-late-flush", 3, 0, {
	  { 1, "DC011", R_MAP },
	  { 3, "DC001", "only FlushAdapterBuffersEx invalidates what the speculating CPU "
	    "filled during the transfer: without it the read is stale (DC001)" } } },
	{ "v3-noflush", 3, 1, {
	  { 1, "DC011", R_MAP }, { 3, "DC001,DC008", R_FLUSH_EX } } },
};

#define NPAIRS (sizeof(pairs) / sizeof(pairs[0]))

/* ---- loading and running ------------------------------------------------- */

struct loaded {
	struct trace *t[2];          /* one per worker */
	struct coh_source src[2];
	struct coh_platform plat;
	struct coh_timeline *tl;
};

static void load(struct loaded *l, const char *path, const char *preset)
{
	char err[512];
	int e = 0;

	for (int i = 0; i < 2; i++) {
		l->t[i] = dt_open(path, NULL);
		l->src[i] = trace_source(l->t[i]);
	}
	if (trace_platform(l->t[0], preset, &l->plat, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	l->tl = coh_timeline_new(&l->plat, &l->src[0], NULL, &e);
	assert_non_null(l->tl);
}

static void unload(struct loaded *l)
{
	coh_timeline_free(l->tl);
	trace_close(l->t[0]);
	trace_close(l->t[1]);
}

static char *sample(const char *name, const char *which)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/traces/samples/%s.%s.dmt", dt_srcdir(), name, which);
	return path;
}

static struct coh_omit_row *matrix(struct loaded *l, unsigned nsrcs, int presets, size_t *n)
{
	struct coh_omit_opts o = { l->src, nsrcs, presets, NULL, NULL };
	struct coh_omit_row *rows = NULL;

	assert_int_equal(coh_whatif_omit_each(l->tl, &o, &rows, n), 0);
	return rows;
}

/* The error ids of @v's counts as a bit set. */
static uint64_t error_ids(const uint32_t *v)
{
	uint64_t bits = 0;

	for (unsigned id = 1; id < COH_FID_COUNT; id++)
		if (v[id] && coh_fid_is_error(id))
			bits |= 1ull << id;
	return bits;
}

static uint64_t parse_ids(const char *s)
{
	char buf[128], *save = NULL;
	uint64_t bits = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (char *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		int fid = coh_fid_lookup(id);

		assert_true(fid > 0);
		bits |= 1ull << fid;
	}
	return bits;
}

static const struct expect_row *expected(const struct pair *p, uint64_t src)
{
	for (size_t i = 0; i < 6 && p->rows[i].ids; i++)
		if (p->rows[i].src == src)
			return &p->rows[i];
	return NULL;
}

static const struct coh_omit_row *row_at(const struct coh_omit_row *rows, size_t n, uint64_t src)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].src == src)
			return &rows[i];
	return NULL;
}

/* ---- a full replay without one event ------------------------------------- */

struct without {
	const struct coh_source *in;
	uint64_t at;
};

static uint64_t without_count(void *ctx)
{
	const struct without *w = ctx;

	return w->in->count(w->in->ctx);
}

static int without_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	const struct without *w = ctx;
	int e = w->in->get(w->in->ctx, i, ev);
	uint64_t ts = ev->ts, src = ev->src;

	if (!e && i == w->at) {
		coh_event_init(ev, COH_EV_MARK);
		ev->ts = ts;
		ev->src = src;
		ev->text = "left out";
	}
	return e;
}

static struct coh_sim *replay_all(const struct coh_platform *p, const struct coh_source *src)
{
	int e = 0;
	struct coh_sim *s = coh_sim_new(p, 0, &e);

	assert_non_null(s);
	coh_run(s, src, 0, UINT64_MAX, NULL, NULL);
	return s;
}

static int same_key(const struct coh_finding *x, const struct coh_finding *y)
{
	return x->id == y->id && x->rule == y->rule && x->src == y->src && x->addr == y->addr &&
	       x->len == y->len && x->dev == y->dev;
}

/* Findings of @a no finding of @b matches (each matches once), per id. */
static void unmatched(const struct coh_sim *a, const struct coh_sim *b, uint32_t *out)
{
	size_t na = coh_sim_nfindings(a), nb = coh_sim_nfindings(b);
	char *used = calloc(nb + 1, 1);

	assert_non_null(used);
	memset(out, 0, COH_FID_COUNT * sizeof(*out));
	for (size_t i = 0; i < na; i++) {
		const struct coh_finding *f = coh_sim_finding(a, i);
		size_t j = 0;

		while (j < nb && (used[j] || !same_key(f, coh_sim_finding(b, j))))
			j++;
		if (j < nb)
			used[j] = 1;
		else
			out[f->id]++;
	}
	free(used);
}

/* Each row against a full replay of the whole file without its call. */
static void rows_match_full_runs(struct loaded *l, const struct coh_omit_row *rows, size_t n)
{
	struct coh_sim *rec = replay_all(&l->plat, &l->src[0]);

	for (size_t i = 0; i < n; i++) {
		struct without w = { &l->src[0], rows[i].at };
		struct coh_source src = { .ctx = &w, .count = without_count, .get = without_get };
		struct coh_sim *s = replay_all(&l->plat, &src);
		uint32_t added[COH_FID_COUNT], removed[COH_FID_COUNT];

		unmatched(s, rec, added);
		unmatched(rec, s, removed);
		assert_memory_equal(added, rows[i].added, sizeof(added));
		assert_memory_equal(removed, rows[i].removed, sizeof(removed));
		coh_sim_free(s);
	}
	coh_sim_free(rec);
}

/* ---- the tests ----------------------------------------------------------- */

/* The .ok file's matrix breaks on exactly the table's calls, with its ids. */
static void check_table(const struct pair *p, const struct coh_omit_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct expect_row *e = expected(p, rows[i].src);

		if (!e) {
			if (rows[i].broke)
				fail_msg("%s: event %llu breaks the run, the table says not", p->name,
					 (unsigned long long)rows[i].src);
			continue;
		}
		if (!rows[i].broke || error_ids(rows[i].added) != parse_ids(e->ids))
			fail_msg("%s: event %llu: expected %s (%s)", p->name,
				 (unsigned long long)e->src, e->ids, e->why);
	}
	for (size_t k = 0; k < 6 && p->rows[k].ids; k++)
		if (!row_at(rows, n, p->rows[k].src))
			fail_msg("%s: no maintenance call at event %llu", p->name,
				 (unsigned long long)p->rows[k].src);
}

static void samples_break_as_the_table_says(void **state)
{
	(void)state;
	for (size_t i = 0; i < NPAIRS; i++) {
		struct loaded l;
		struct coh_omit_row *rows;
		size_t n;

		load(&l, sample(pairs[i].name, "ok"), NULL);
		rows = matrix(&l, 1, 0, &n);
		check_table(&pairs[i], rows, n);
		free(rows);
		unload(&l);
	}
}

static size_t rows_of_kind(const struct coh_omit_row *rows, size_t n, unsigned kind)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += rows[i].kind == kind;
	return k;
}

/* What `check` finds in the .bug file appears when the .ok file loses the
 * call the .bug file lacks; the .bug file has fewer such calls. */
static void bug_files_lack_the_call(void **state)
{
	(void)state;
	for (size_t i = 0; i < NPAIRS; i++) {
		const struct pair *p = &pairs[i];
		struct loaded ok, bug;
		struct coh_omit_row *rok, *rbug;
		const struct coh_omit_row *r;
		struct coh_sim *s;
		uint32_t counts[COH_FID_COUNT] = { 0 };
		size_t nok, nbug;

		if (p->bug_call == COH_SRC_NONE)
			continue;
		load(&ok, sample(p->name, "ok"), NULL);
		load(&bug, sample(p->name, "bug"), NULL);
		rok = matrix(&ok, 1, 0, &nok);
		rbug = matrix(&bug, 1, 0, &nbug);
		s = replay_all(&bug.plat, &bug.src[0]);
		for (size_t k = 0; k < coh_sim_nfindings(s); k++)
			counts[coh_sim_finding(s, k)->id]++;
		assert_non_null(r = row_at(rok, nok, p->bug_call));
		assert_true(error_ids(counts) != 0);
		if ((error_ids(counts) & ~error_ids(r->added)) != 0)
			fail_msg("%s: the .bug file's findings do not appear without event %llu",
				 p->name, (unsigned long long)p->bug_call);
		if (p->omitted)
			assert_true(rows_of_kind(rbug, nbug, r->kind) < rows_of_kind(rok, nok, r->kind));
		coh_sim_free(s);
		free(rok);
		free(rbug);
		unload(&ok);
		unload(&bug);
	}
}

/* Every row of every sample equals a full replay without its call. */
static void rows_equal_full_reruns(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2 * NPAIRS; i++) {
		struct loaded l;
		struct coh_omit_row *rows;
		size_t n;

		load(&l, sample(pairs[i / 2].name, i % 2 ? "bug" : "ok"), NULL);
		rows = matrix(&l, 1, 0, &n);
		rows_match_full_runs(&l, rows, n);
		free(rows);
		unload(&l);
	}
}

/* One worker or two: the same rows, byte for byte. */
static void workers_give_the_same_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < NPAIRS; i++) {
		struct loaded l;
		struct coh_omit_row *a, *b;
		size_t na, nb;

		load(&l, sample(pairs[i].name, "ok"), NULL);
		a = matrix(&l, 1, 1, &na);
		b = matrix(&l, 2, 1, &nb);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na * sizeof(*a));
		free(a);
		free(b);
		unload(&l);
	}
}

static int same_api(const char *a, const char *b)
{
	return strcmp(coh_finding_preset_api(a), coh_finding_preset_api(b)) == 0;
}

/* needed_on bit i is set exactly when the matrix run on preset i breaks. */
static void check_needed_on(const char *path, const struct coh_omit_row *rows, size_t n,
			    const char *rec_preset)
{
	const char *name;

	for (unsigned i = 0; (name = coh_platform_preset_at(i, NULL)); i++) {
		struct loaded l;
		struct coh_omit_row *other;
		size_t m;

		if (!same_api(name, rec_preset) || strcmp(name, rec_preset) == 0) {
			for (size_t k = 0; k < n; k++)
				assert_false(rows[k].needed_on >> i & 1);
			continue;
		}
		load(&l, path, name);
		other = matrix(&l, 1, 0, &m);
		assert_int_equal(m, n);
		for (size_t k = 0; k < n; k++)
			if (!rows[k].broke)
				assert_int_equal(rows[k].needed_on >> i & 1, other[k].broke);
		free(other);
		unload(&l);
	}
}

static void needed_on_agrees_with_each_preset(void **state)
{
	(void)state;
	for (size_t i = 0; i < NPAIRS; i++) {
		struct loaded l;
		struct coh_omit_row *rows;
		size_t n;

		load(&l, sample(pairs[i].name, "ok"), NULL);
		rows = matrix(&l, 2, 1, &n);
		check_needed_on(sample(pairs[i].name, "ok"), rows, n, l.plat.name);
		free(rows);
		unload(&l);
	}
}

/* A receive ring of one buffer reused @k times, each frame synced for the
 * CPU before it is read and given back to the device after. */
static char *rx_loop(unsigned k)
{
	size_t cap = 256 + (size_t)k * 256, len = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len,
		"dmascope-trace 1\nplatform arm-noncoherent\ndevice eth0\n"
		"cpu_write addr=0x80000 len=256\n"
		"dma_map dev=eth0 addr=0x80000 bus=0x80000 len=256 dir=FROM_DEVICE\n");
	for (unsigned i = 0; i < k; i++)
		len += (size_t)snprintf(text + len, cap - len,
			"dev_write dev=eth0 addr=0x80000 len=256\n"
			"dma_sync_for_cpu dev=eth0 bus=0x80000 len=256 dir=FROM_DEVICE\n"
			"cpu_read addr=0x80000 len=256\n"
			"dma_sync_for_device dev=eth0 bus=0x80000 len=256 dir=FROM_DEVICE\n");
	snprintf(text + len, cap - len, "dma_unmap dev=eth0 bus=0x80000 len=256 dir=FROM_DEVICE\n");
	return text;
}

/* A sync left out breaks one frame; the next syncs put the machine back as
 * recorded, so the row stops at a checkpoint, with the findings of a full
 * re-run without that call. */
static void early_rejoin_matches_full_rerun(void **state)
{
	char *text = rx_loop(100), *path = dt_tmptext(text);
	struct loaded l;
	struct coh_omit_opts o = { NULL, 0, 0, NULL, NULL };
	struct coh_omit_row *rows;
	const struct coh_omit_row *r;
	size_t n, rejoined = 0;

	(void)state;
	load(&l, path, NULL);
	o.srcs = l.src;
	o.nsrcs = 2;
	assert_int_equal(coh_omit_each_counted(l.tl, &o, &rows, &n, &rejoined), 0);
	assert_int_equal(n, 2 + 2 * 100);
	r = row_at(rows, n, 2 + 4 * 10 + 1);        /* frame 10's sync_for_cpu */
	assert_non_null(r);
	assert_int_equal(r->kind, COH_EV_DMA_SYNC_CPU);
	assert_true(r->broke && r->added[COH_DC001] == 1 && r->has_first_wrong);
	assert_int_equal(r->first_wrong.src, 2 + 4 * 10 + 2);   /* its read */
	assert_int_equal(r->wrong_bytes, 256);
	assert_true(rejoined > 0);
	rows_match_full_runs(&l, rows, n);
	free(rows);
	unload(&l);
	dt_rmtmp(path);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(samples_break_as_the_table_says),
		cmocka_unit_test(bug_files_lack_the_call),
		cmocka_unit_test(rows_equal_full_reruns),
		cmocka_unit_test(workers_give_the_same_rows),
		cmocka_unit_test(needed_on_agrees_with_each_preset),
		cmocka_unit_test(early_rejoin_matches_full_rerun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
