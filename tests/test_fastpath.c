/* SPDX-License-Identifier: MIT */
/*
 * test_fastpath.c - the fast path for small CPU accesses (fast.c) gives
 * what the full path gives: every sample and the nic, disk and buggy
 * captures, on every preset, replayed with and without COH_SIM_NO_FAST,
 * have the same findings (id, rule, event, bytes), the same outcome and
 * the same coh_sim_hash() at the end and at three positions along the way.
 * Under the sanitizers the two large captures are skipped.
 */
#include "replay-test.h"
#include "ftrace-test.h"

#define NMARKS 4

struct outcome {
	int err;                     /* coh_run()'s return */
	uint64_t next;               /* where it stopped */
	char errmsg[256];
	uint64_t hash[NMARKS];       /* at count * (k + 1) / NMARKS events */
	uint64_t mark[NMARKS];
	struct coh_sim *sim;         /* the end state */
};

struct marks {
	struct outcome *o;
	uint64_t count;
};

static int at_mark(void *ctx, struct coh_sim *s, const struct coh_event *ev, uint64_t i)
{
	struct marks *m = ctx;

	(void)ev;
	for (int k = 0; k < NMARKS; k++)
		if (i + 1 == m->count * (uint64_t)(k + 1) / NMARKS) {
			m->o->mark[k] = i + 1;
			m->o->hash[k] = coh_sim_hash(s);
		}
	return 0;
}

/* Replay all of @t on @plat with @flags. */
static void replay_all(struct trace *t, const struct coh_platform *plat, unsigned flags,
		       struct outcome *o)
{
	struct coh_source src = trace_source(t);
	struct marks m = { o, trace_count(t) };
	struct coh_run_opts ro = { .ctx = &m, .event = at_mark };
	struct coh_run_result r;

	memset(o, 0, sizeof(*o));
	o->sim = coh_sim_new(plat, flags, NULL);
	assert_non_null(o->sim);
	o->err = coh_run(o->sim, &src, 0, UINT64_MAX, &ro, &r);
	o->next = r.next;
	memcpy(o->errmsg, r.errmsg, sizeof(o->errmsg));
}

static void same_finding(const struct coh_finding *a, const struct coh_finding *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->rule, b->rule);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->parent, b->parent);
}

/* @t on @preset, fast path on and off: 1 when it ran to the end. */
static int compare(struct trace *t, const char *preset)
{
	struct coh_platform plat;
	struct outcome fast, slow;
	char err[512];
	int ended;

	if (trace_platform(t, preset ? preset : trace_names_platform(t) ? NULL : "x86", &plat, err, sizeof(err)) < 0)
		return 0;                    /* too many devices for the preset */
	replay_all(t, &plat, 0, &fast);
	replay_all(t, &plat, COH_SIM_NO_FAST, &slow);
	assert_int_equal(fast.err, slow.err);
	assert_int_equal(fast.next, slow.next);
	assert_string_equal(fast.errmsg, slow.errmsg);
	assert_memory_equal(fast.mark, slow.mark, sizeof(fast.mark));
	assert_memory_equal(fast.hash, slow.hash, sizeof(fast.hash));
	assert_int_equal(coh_sim_hash(fast.sim), coh_sim_hash(slow.sim));
	assert_int_equal(coh_sim_nfindings(fast.sim), coh_sim_nfindings(slow.sim));
	for (size_t i = 0; i < coh_sim_nfindings(fast.sim); i++)
		same_finding(coh_sim_finding(fast.sim, i), coh_sim_finding(slow.sim, i));
	assert_int_equal(coh_sim_stale_reads(fast.sim), coh_sim_stale_reads(slow.sim));
	ended = fast.err == COH_RUN_DONE;
	coh_sim_free(fast.sim);
	coh_sim_free(slow.sim);
	return ended;
}

/* @t on every preset; Return: how many ran to the end. */
static int every_preset(struct trace *t)
{
	const char *name, *help;
	int n = 0;

	for (unsigned i = 0; (name = coh_platform_preset_at(i, &help)); i++)
		n += compare(t, name);
	return n;
}

static void samples(void **state)
{
	char **names = rt_sample_names();
	int ended = 0;

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		struct trace *t = rt_open_sample(names[i]);

		ended += every_preset(t);
		trace_close(t);
	}
	rt_free_names(names);
	assert_true(ended > 100);
}

static void capture(const char *name, int big)
{
	char path[1024];
	struct trace *t;

	if (big && sanitized())
		skip();
	capture_path(path, sizeof(path), name, "trace.dat");
	t = rt_open(path);
	assert_true(every_preset(t) >= 4);
	trace_close(t);
}

static void capture_buggy(void **state)
{
	(void)state;
	capture("buggy", 0);
}

static void capture_nic(void **state)
{
	(void)state;
	capture("nic", 1);
}

static void capture_disk(void **state)
{
	(void)state;
	capture("disk", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(samples),
		cmocka_unit_test(capture_buggy),
		cmocka_unit_test(capture_nic),
		cmocka_unit_test(capture_disk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
