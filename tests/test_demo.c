/* SPDX-License-Identifier: MIT */
/*
 * test_demo.c - the scenarios `dmascope run` plays: every event is valid on
 * its platform, each wrong version raises an error finding and each right
 * version none (the demo pairs them: wrong, then right).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "coh_sim.h"
#include "demo.h"
#include "report.h"

static void platform_of(const struct demo_scenario *sc, struct coh_platform *p)
{
	*p = sc->plat;
	assert_int_equal(p->ndevs, 1);
}

static void test_events_valid(void **state)
{
	const struct demo_scenario *sc;
	struct coh_platform p;
	struct coh_event ev;
	char msg[256];

	(void)state;
	for (size_t i = 0; (sc = demo_scenario_at(i)); i++) {
		platform_of(sc, &p);
		assert_true(coh_log_count(sc->events) > 0);
		for (size_t k = 0; k < coh_log_count(sc->events); k++) {
			assert_int_equal(coh_log_get(sc->events, k, &ev), 0);
			msg[0] = 0;
			if (coh_event_check(&ev, &p, msg, sizeof(msg)) < 0)
				fail_msg("scenario %zu event %zu: %s", i, k, msg);
		}
	}
	assert_non_null(demo_scenario_at(0));
}

/* errors among the findings after playing @sc */
static size_t play_errors(const struct demo_scenario *sc)
{
	struct coh_platform p;
	struct coh_sim *sim;
	size_t errors = 0;
	int e = 0;

	platform_of(sc, &p);
	sim = coh_sim_new(&p, 0, &e);
	assert_non_null(sim);
	for (size_t k = 0; k < coh_log_count(sc->events); k++) {
		struct coh_event ev;

		assert_int_equal(coh_log_get(sc->events, k, &ev), 0);
		ev.ts = (k + 1) * 1000;
		ev.src = k;
		assert_int_equal(coh_sim_apply(sim, &ev), 0);
	}
	for (size_t i = 0; i < coh_sim_nfindings(sim); i++)
		errors += report_counts(coh_sim_finding(sim, i));
	coh_sim_free(sim);
	return errors;
}

static void test_wrong_then_right(void **state)
{
	const struct demo_scenario *sc;
	size_t i;

	(void)state;
	for (i = 0; (sc = demo_scenario_at(i)); i++) {
		size_t errors = play_errors(sc);

		if (i % 2 == 0 && errors == 0)
			fail_msg("scenario %zu (%s) shows no error finding", i, sc->title);
		if (i % 2 == 1 && errors != 0)
			fail_msg("scenario %zu (%s) has %zu error findings", i, sc->title, errors);
	}
	assert_true(i >= 4 && i % 2 == 0);
}

/* every embedded sample is a scenario, read through the .dmt reader
 * (which ends each with the trace_end it appends) */
static void test_from_files(void **state)
{
	const struct demo_scenario *sc;
	size_t nfiles = 0, i;

	(void)state;
	while (demo_files[nfiles].name)
		nfiles++;
	for (i = 0; (sc = demo_scenario_at(i)); i++) {
		uint64_t n = coh_log_count(sc->events);
		struct coh_event last, before;

		assert_true(n > 1);
		assert_int_equal(coh_log_get(sc->events, n - 1, &last), 0);
		assert_int_equal(coh_log_get(sc->events, n - 2, &before), 0);
		assert_int_equal(last.kind, COH_EV_TRACE_END);
		assert_int_equal(before.src, n - 2);
	}
	assert_int_equal(i, nfiles);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_files),
		cmocka_unit_test(test_events_valid),
		cmocka_unit_test(test_wrong_then_right),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
