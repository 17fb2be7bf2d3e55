/* SPDX-License-Identifier: MIT */
/*
 * test_timeline_search.c - coh_timeline_search_back() and _fwd() find the
 * event a brute-force replay from 0 finds, for predicates on the state ("a
 * finding was raised", "who last wrote this byte") and on the event (a
 * breakpoint on a kind), on every sample and on the nic capture; and a
 * backward search near the end does not replay from 0.
 */
#include "coh_timeline.h"
#include "replay-test.h"
#include "ftrace-test.h"

enum pred_kind { P_FINDING, P_WROTE, P_UNMAP, NPRED };

struct pctx {
	enum pred_kind kind;
	uint64_t addr;               /* P_WROTE: the byte */
};

static int pred(void *ctx, const struct coh_sim *s, const struct coh_event *ev, uint64_t i)
{
	const struct pctx *p = ctx;
	size_t nf = coh_sim_nfindings(s);
	uint32_t mem, cpu;

	assert_int_equal(coh_sim_pos(s), i + 1);
	switch (p->kind) {
	case P_FINDING:
		return nf && coh_sim_finding(s, nf - 1)->seq == i;
	case P_WROTE:
		assert_int_equal(coh_sim_mem_read(s, p->addr, 1, NULL, &mem), 0);
		assert_int_equal(coh_sim_expected(s, p->addr, 1, &cpu, NULL), 0);
		return mem == i + 1 || cpu == i + 1;
	default:
		return ev->kind == COH_EV_DMA_UNMAP;
	}
}

/* The source of a trace, counting how many events were fetched. */
struct counted {
	struct coh_source inner;
	uint64_t gets;
};

static uint64_t c_count(void *ctx)
{
	struct counted *c = ctx;

	return c->inner.count(c->inner.ctx);
}

static int c_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	struct counted *c = ctx;

	c->gets++;
	return c->inner.get(c->inner.ctx, i, ev);
}

struct brute {
	struct pctx *p;
	uint8_t *hit;                /* per event: the predicate holds */
};

static int record(void *ctx, struct coh_sim *s, const struct coh_event *ev, uint64_t i)
{
	struct brute *b = ctx;

	b->hit[i] = (uint8_t)(pred(b->p, s, ev, i) != 0);
	return 0;
}

static uint8_t *brute_force(struct trace *t, struct pctx *p)
{
	struct coh_sim *s = rt_sim(t, NULL, 0);
	struct coh_source src = trace_source(t);
	struct brute b = { p, calloc(trace_count(t) + 1, 1) };
	struct coh_run_opts o = { .ctx = &b, .event = record };

	assert_non_null(b.hit);
	assert_int_equal(coh_run(s, &src, 0, UINT64_MAX, &o, NULL), COH_RUN_DONE);
	coh_sim_free(s);
	return b.hit;
}

static void check_back(const struct coh_timeline *tl, const uint8_t *hit, uint64_t n,
		       struct pctx *p)
{
	uint64_t want = UINT64_MAX, got = UINT64_MAX;
	int r;

	for (uint64_t i = n; i-- > 0;)
		if (hit[i]) {
			want = i;
			break;
		}
	r = coh_timeline_search_back(tl, n, pred, p, &got);
	assert_int_equal(r, want != UINT64_MAX);
	if (r)
		assert_int_equal(got, want);
}

static void check_fwd(const struct coh_timeline *tl, const uint8_t *hit, uint64_t from,
		      uint64_t to, struct pctx *p)
{
	uint64_t want = UINT64_MAX, got = UINT64_MAX;
	int r;

	for (uint64_t i = from; i < to; i++)
		if (hit[i]) {
			want = i;
			break;
		}
	r = coh_timeline_search_fwd(tl, from, to, pred, p, &got);
	assert_int_equal(r, want != UINT64_MAX);
	if (r)
		assert_int_equal(got, want);
}

/* The address of the last CPU access of @t, else of its first mapping. */
static uint64_t some_byte(struct trace *t)
{
	uint64_t map = 0x80000;
	struct coh_event ev;

	for (uint64_t i = trace_count(t); i-- > 0;) {
		if (trace_get(t, i, &ev) < 0)
			continue;
		if (ev.kind == COH_EV_CPU_WRITE || ev.kind == COH_EV_CPU_READ)
			return ev.addr;
		if (ev.kind == COH_EV_DMA_MAP && ev.addr != COH_ADDR_NONE)
			map = ev.addr;
	}
	return map;
}

/* Every predicate, at @nn positions spread over @t, with snapshots every
 * @interval; @nhits[k] receives how many events match predicate k. */
static void compare(struct trace *t, uint64_t interval, uint64_t nn, uint64_t *nhits)
{
	struct coh_source src = trace_source(t);
	struct coh_timeline_opts o = { .interval = interval, .snapshot_budget = SIZE_MAX };
	struct coh_platform plat;
	struct coh_timeline *tl;
	uint64_t count = trace_count(t);

	rt_platform(t, NULL, &plat);
	tl = coh_timeline_new(&plat, &src, &o, NULL);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, count), 0);
	for (int k = 0; k < NPRED; k++) {
		struct pctx p = { (enum pred_kind)k, some_byte(t) };
		uint8_t *hit = brute_force(t, &p);

		for (uint64_t i = 0; i < count; i++)
			nhits[k] += hit[i];

		for (uint64_t j = 0; j <= nn; j++) {
			uint64_t n = count * j / nn;

			check_back(tl, hit, n, &p);
			check_fwd(tl, hit, n, count, &p);
			check_fwd(tl, hit, n / 2, n, &p);
		}
		free(hit);
	}
	coh_timeline_free(tl);
}

static void every_sample(void **state)
{
	char **names = rt_sample_names();
	uint64_t nhits[NPRED] = { 0 };

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		struct trace *t = rt_open_sample(names[i]);

		compare(t, 2, trace_count(t), nhits);
		trace_close(t);
	}
	rt_free_names(names);
	for (int k = 0; k < NPRED; k++)
		assert_true(nhits[k] > 10);
}

static struct trace *open_nic(void)
{
	char path[1024];
	const char *d = getenv("CAPTURES");

	snprintf(path, sizeof(path), "%s/nic/trace.dat", d && *d ? d : "tests/data/captures");
	return rt_open(path);
}

static void nic_capture(void **state)
{
	struct trace *t = open_nic();
	uint64_t nhits[NPRED] = { 0 };

	(void)state;
	compare(t, 512, sanitized() ? 10 : 40, nhits);     /* fewer positions under ASan */
	for (int k = 0; k < NPRED; k++)
		if (!nhits[k])
			fail_msg("predicate %d never holds on nic", k);
	trace_close(t);
}

/* A match near the end is found without replaying the whole trace. */
static void no_replay_from_zero(void **state)
{
	struct trace *t = open_nic();
	struct counted c = { .inner = trace_source(t) };
	struct coh_source src = { .ctx = &c, .count = c_count, .get = c_get };
	struct coh_timeline_opts o = { .interval = 512, .snapshot_budget = SIZE_MAX };
	struct coh_platform plat;
	struct coh_timeline *tl;
	struct pctx p = { P_UNMAP, 0 };
	uint64_t count = trace_count(t), got;

	(void)state;
	rt_platform(t, NULL, &plat);
	tl = coh_timeline_new(&plat, &src, &o, NULL);
	assert_non_null(tl);
	assert_int_equal(coh_timeline_seek(tl, count), 0);
	c.gets = 0;
	assert_int_equal(coh_timeline_search_back(tl, count, pred, &p, &got), 1);
	assert_true(got > count / 2);
	assert_true(c.gets < count / 4);
	assert_int_equal(coh_timeline_pos(tl), count);     /* the current state stays */
	assert_int_equal(coh_timeline_search_back(tl, count + 1, pred, &p, &got),
			 -COH_E_SEEK);
	coh_timeline_free(tl);
	trace_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_sample),
		cmocka_unit_test(nic_capture),
		cmocka_unit_test(no_replay_from_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
