/* SPDX-License-Identifier: MIT */
/*
 * test_report_maps.c - the window index of map and end calls
 * (report_maps.c) gives what reading the events back from each finding
 * gives: the newest covering map call in the window and the newest covering
 * end call after it, on random calls (single ranges, scatter lists, ranges
 * wider than a bucket, unknown addresses) over a small address space, so
 * that they overlap, with the window sliding forwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"

#define NEV    6000
#define WINDOW 700

static struct coh_event evs[NEV];
static int role[NEV];               /* -1 neither, 0 map, 1 end */
static struct coh_seg segs[NEV][3];
static uint64_t rng = 12345;

static uint64_t rnd(uint64_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (rng >> 33) % n;
}

static uint64_t addr(void)
{
	return rnd(10) == 0 ? COH_ADDR_NONE : 0x100000 + rnd(1 << 22);
}

static uint64_t len(void)
{
	return rnd(20) == 0 ? 0 : rnd(20) == 0 ? 0x200000 + rnd(1 << 22) : 1 + rnd(9000);
}

static void build(void)
{
	for (unsigned i = 0; i < NEV; i++) {
		struct coh_event *ev = &evs[i];

		coh_event_init(ev, COH_EV_MARK);
		ev->dev = (uint16_t)rnd(3);
		role[i] = (int)rnd(3) - 1;
		if (role[i] < 0)
			continue;
		ev->kind = role[i] ? (rnd(2) ? COH_EV_DMA_UNMAP : COH_EV_DMA_UNMAP_SG) :
			   (uint16_t)(rnd(3) == 0 ? COH_EV_DMA_MAP_SG : rnd(2) ? COH_EV_DMA_MAP :
			   COH_EV_MAP_TRANSFER);
		ev->addr = addr();
		ev->bus = addr();
		ev->len = len();
		if (ev->kind == COH_EV_DMA_MAP_SG || ev->kind == COH_EV_DMA_UNMAP_SG ||
		    ev->kind == COH_EV_MAP_TRANSFER) {
			ev->nsegs = 1 + (uint32_t)rnd(3);
			ev->segs = segs[i];
			for (unsigned k = 0; k < ev->nsegs; k++)
				segs[i][k] = (struct coh_seg){ addr(), addr(), len() };
		}
	}
}

static int in(uint64_t a, uint64_t base, uint64_t n)
{
	return a != COH_ADDR_NONE && base != COH_ADDR_NONE && a >= base && a - base < n;
}

/* The ranges a call covers, as reading the trace back sees them. */
static int covers(const struct coh_event *ev, uint64_t pa, uint64_t ba)
{
	if (ev->nsegs && ev->segs) {
		for (uint32_t i = 0; i < ev->nsegs; i++)
			if (in(pa, ev->segs[i].addr, ev->segs[i].len) ||
			    in(ba, ev->segs[i].bus, ev->segs[i].len))
				return 1;
		if (ev->kind != COH_EV_MAP_TRANSFER)
			return 0;
	}
	return in(pa, ev->addr, ev->len) || in(ba, ev->bus, ev->len);
}

/* Read back from @hi - 1 to @lo: the newest map, the newest end before reaching it. */
static void scan(int32_t dev, uint64_t pa, uint64_t ba, uint64_t lo, uint64_t hi,
		 uint64_t *map, uint64_t *end)
{
	*map = *end = COH_SEQ_NONE;
	for (uint64_t s = hi; s-- > lo;) {
		if (role[s] < 0 || (dev >= 0 && evs[s].dev != (uint16_t)dev) ||
		    !covers(&evs[s], pa, ba))
			continue;
		if (!role[s]) {
			*map = s;
			return;
		}
		if (*end == COH_SEQ_NONE)
			*end = s;
	}
}

/* A point inside some earlier call's range, or anywhere. */
static uint64_t probe(uint64_t hi, int bus)
{
	const struct coh_event *ev = &evs[rnd(hi)];
	uint64_t base = bus ? ev->bus : ev->addr;

	if (rnd(4) == 0 || base == COH_ADDR_NONE || !ev->len)
		return addr();
	return base + rnd(ev->len);
}

static void same_as_scan(void **state)
{
	struct report_maps *m = report_maps_new();
	uint64_t next = 0, found = 0;

	(void)state;
	build();
	assert_non_null(m);
	for (uint64_t hi = 50; hi < NEV; hi += 1 + rnd(7)) {
		uint64_t lo = hi > WINDOW ? hi - WINDOW : 0, m1, e1, m2, e2;
		uint64_t pa = probe(hi, 0), ba = rnd(3) ? probe(hi, 1) : COH_ADDR_NONE;
		int32_t dev = rnd(4) == 0 ? -1 : (int32_t)rnd(3);

		for (; next < hi; next++)
			if (role[next] >= 0)
				assert_int_equal(report_maps_add(m, next, &evs[next], role[next]), 0);
		report_maps_forget(m, lo);
		report_maps_find(m, dev, pa, ba, lo, hi, &m1, &e1);
		scan(dev, pa, ba, lo, hi, &m2, &e2);
		assert_int_equal(m1, m2);
		assert_int_equal(e1, e2);
		found += m1 != COH_SEQ_NONE;
	}
	assert_true(found > 100);   /* the probes did hit calls */
	report_maps_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
