/* SPDX-License-Identifier: MIT */
/*
 * test_src_log.c - a finding names the events behind it by their index in
 * the file (src, other_src, seen_src, exp_src) whatever those indexes are:
 * each event's own engine index (a whole file), none (events a program
 * made), arbitrary numbers, a run that starts one way and goes on another
 * (the engine keeps no log while the indexes follow a pattern, and writes it
 * out at the first event that breaks it), and a clone that goes its own way
 * after the point it was taken.
 */
#include "scen.h"

#define BUF 0x100000ull
#define BUS 0x80000000ull

static const uint8_t cpu_data[128] = { [0 ... 127] = 0xaa };
static const uint8_t dev_data[128] = { [0 ... 127] = 0x55 };

enum mode { SELF, NONE, ARBITRARY, SELF_THEN, NONE_THEN, NMODES };

static enum mode mode;
static uint64_t brk;                    /* SELF_THEN, NONE_THEN: the first event off */

static uint64_t pick(uint64_t at)
{
	switch (mode) {
	case SELF:
		return at;
	case NONE:
		return COH_SRC_NONE;
	case ARBITRARY:
		return 7 + 3 * at;
	case SELF_THEN:
		return at < brk ? at : 1000 + 2 * at;
	default:
		return at < brk ? COH_SRC_NONE : 500 + at;
	}
}

static uint64_t src_at(uint64_t at)
{
	return at == COH_SEQ_NONE ? COH_SRC_NONE : pick(at);
}

static uint64_t src_of_ver(uint32_t ver)
{
	return ver ? pick(ver - 1u) : COH_SRC_NONE;
}

/* Every finding's event indexes are the ones its events were given; returns
 * how many findings name an earlier write (so the check is not empty). */
static size_t check_srcs(const struct coh_sim *s)
{
	size_t named = 0;

	for (size_t i = 0; i < coh_sim_nfindings(s); i++) {
		const struct coh_finding *f = coh_sim_finding(s, i);

		assert_int_equal(f->src, pick(f->seq));
		assert_int_equal(f->other_src, src_at(f->other_seq));
		if (f->nbytes) {
			assert_int_equal(f->seen_src, src_of_ver(f->seen_ver[0]));
			assert_int_equal(f->exp_src, src_of_ver(f->exp_ver[0]));
			named += f->exp_ver[0] != 0;
		}
	}
	return named;
}

/* A CPU write, a map, the device's write, a read too early on a speculating
 * CPU: DC006 with a DC001 under it, both naming the device's write. */
static void scenario(struct scen *sc, unsigned from, unsigned to)
{
	for (unsigned k = from; k < to; k++) {
		switch (k) {
		case 0:
			sc_cpu_write(sc, 0, BUF, 128, cpu_data);
			break;
		case 1:
			sc_map(sc, 0, BUF, BUS, 128, COH_DIR_FROM_DEVICE);
			break;
		case 2:
			sc_dev_write(sc, 0, BUS, 128, dev_data);
			break;
		default:
			sc_cpu_read(sc, 0, BUF, 128);
			break;
		}
	}
}

static void every_pattern(void **state)
{
	(void)state;
	for (mode = SELF; mode < NMODES; mode++) {
		for (brk = 0; brk <= 4; brk++) {
			struct scen sc;

			sc_init(&sc, "arm-speculative", 1);
			sc.src_of = pick;
			scenario(&sc, 0, 4);
			assert_true(coh_sim_nfindings(sc.s) >= 2);
			assert_true(check_srcs(sc.s) >= 1);
			sc_fini(&sc);
			if (mode < SELF_THEN)
				break;
		}
	}
}

/* A clone taken while the indexes follow their pattern goes on with others;
 * the original keeps its own. */
static void clone_diverges(void **state)
{
	struct scen a, b;

	(void)state;
	mode = SELF;
	sc_init(&a, "arm-speculative", 1);
	a.src_of = pick;
	scenario(&a, 0, 2);
	b = a;
	b.s = coh_sim_clone(a.s);
	assert_non_null(b.s);
	mode = SELF_THEN;
	brk = 2;
	scenario(&b, 2, 4);
	assert_true(check_srcs(b.s) >= 1);
	mode = SELF;
	scenario(&a, 2, 4);
	assert_true(check_srcs(a.s) >= 1);
	/* and the other way round: the original breaks, a later clone of the
	 * prefix follows the pattern again */
	sc_fini(&b);
	sc_fini(&a);
	mode = NONE_THEN;
	brk = 1;
	sc_init(&a, "arm-speculative", 1);
	a.src_of = pick;
	scenario(&a, 0, 4);
	assert_true(check_srcs(a.s) >= 1);
	sc_fini(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pattern),
		cmocka_unit_test(clone_diverges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
