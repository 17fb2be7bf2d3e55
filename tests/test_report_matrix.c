/* SPDX-License-Identifier: MIT */
/*
 * test_report_matrix.c - merging the findings of several presets
 * (report_matrix.c) on hand-built findings: a root found on two presets is
 * one finding with both; a consequence stays under its root and keeps its
 * own presets; the same consequence under different roots stays two; a
 * root of one preset only keeps that one; order is by event; and the text
 * of a merged finding comes from its first preset's platform.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coh_finding.h"
#include "report.h"

static struct coh_finding mk(unsigned id, uint64_t seq, int64_t parent, uint64_t addr)
{
	struct coh_finding f;

	memset(&f, 0, sizeof(f));
	f.id = (uint16_t)id;
	f.seq = seq;
	f.src = seq;
	f.parent = parent;
	f.dev = 0;
	f.cpu = -1;
	f.addr = addr;
	f.len = 64;
	return f;
}

/* Index of the merged finding with id @id at event @seq under root @parent. */
static long find(const struct report_merged *m, unsigned id, uint64_t seq, long parent)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->f[i].id == id && m->f[i].seq == seq && m->f[i].parent == parent)
			return (long)i;
	return -1;
}

static void merge_two(void **state)
{
	/* preset 0 (coherent): the DC006 at 10 alone, a leak at 40 */
	struct coh_finding a[] = { mk(COH_DC006, 10, -1, 0x1000), mk(COH_DC012, 40, -1, 0x3000) };
	/* preset 1 (noncoherent): the DC006 at 10 with its stale read, a DC007 at 20
	 * with a DC001 at 30 */
	struct coh_finding b[] = { mk(COH_DC006, 10, -1, 0x1000), mk(COH_DC001, 10, 0, 0x1000),
				   mk(COH_DC007, 20, -1, 0x2000), mk(COH_DC001, 30, 2, 0x2000) };
	/* preset 2: the stale read at 30 under a different root (DC007 at 25) */
	struct coh_finding c[] = { mk(COH_DC007, 25, -1, 0x2040), mk(COH_DC001, 30, 0, 0x2000) };
	const struct coh_finding *pa[2] = { &a[0], &a[1] }, *pb[4] = { &b[0], &b[1], &b[2], &b[3] };
	const struct coh_finding *pc[2] = { &c[0], &c[1] };
	const struct coh_finding *const *per[3] = { pa, pb, pc };
	size_t nper[3] = { 2, 4, 2 };
	struct report_merged m;
	long r6, r7a, r7b, leak;

	(void)state;
	assert_int_equal(report_matrix_merge(per, nper, 3, &m), 0);
	assert_int_equal(m.n, 7);     /* 4 roots, 3 consequences */
	r6 = find(&m, COH_DC006, 10, -1);
	r7a = find(&m, COH_DC007, 20, -1);
	r7b = find(&m, COH_DC007, 25, -1);
	leak = find(&m, COH_DC012, 40, -1);
	assert_true(r6 >= 0 && r7a >= 0 && r7b >= 0 && leak >= 0);
	assert_int_equal(m.mask[r6], 3);
	assert_int_equal(m.first[r6], 0);
	assert_int_equal(m.mask[leak], 1);
	assert_int_equal(m.mask[r7a], 2);
	assert_int_equal(m.mask[r7b], 4);
	/* the stale read under the DC006 only on preset 1; the one at 30 twice */
	assert_int_equal(m.mask[find(&m, COH_DC001, 10, r6)], 2);
	assert_int_equal(m.mask[find(&m, COH_DC001, 30, r7a)], 2);
	assert_int_equal(m.mask[find(&m, COH_DC001, 30, r7b)], 4);
	assert_int_equal(m.first[find(&m, COH_DC001, 30, r7b)], 2);
	/* roots by event, each followed by its consequences */
	assert_true(r6 < r7a && r7a < r7b && r7b < leak);
	for (size_t i = 0; i < m.n; i++) {
		assert_ptr_equal(m.ptr[i], &m.f[i]);
		if (m.f[i].parent >= 0)
			assert_true(m.f[i].parent < (int64_t)i);
	}
	report_matrix_free(&m);
}

static void plat_of_finding(void **state)
{
	struct coh_finding a[] = { mk(COH_DC006, 10, -1, 0x1000) };
	struct coh_finding b[] = { mk(COH_DC007, 20, -1, 0x2000) };
	const struct coh_finding *pa[1] = { &a[0] }, *pb[1] = { &b[0] };
	const struct coh_finding *const *per[2] = { pa, pb };
	size_t nper[2] = { 1, 1 };
	struct coh_platform p0, p1;
	struct report_preset pre[2];
	struct report_merged m;
	struct report_platforms ps;
	struct report_file rf;

	(void)state;
	assert_int_equal(coh_platform_preset("x86", &p0), 0);
	assert_int_equal(coh_platform_preset("arm-noncoherent", &p1), 0);
	memset(pre, 0, sizeof(pre));
	pre[0].plat = &p0;
	pre[1].plat = &p1;
	assert_int_equal(report_matrix_merge(per, nper, 2, &m), 0);
	ps = (struct report_platforms){ 2, pre, m.mask, m.first, m.f };
	memset(&rf, 0, sizeof(rf));
	rf.plat = &p0;
	rf.nfindings = m.n;
	rf.findings = m.ptr;
	rf.platforms = &ps;
	assert_ptr_equal(report_finding_plat(&rf, rf.findings[0]), &p0);
	assert_ptr_equal(report_finding_plat(&rf, rf.findings[1]), &p1);
	assert_int_equal(report_finding_mask(&rf, 1), 2);
	assert_int_equal(report_status(&rf), 1);
	pre[1].error = "event 3: bad";
	assert_int_equal(report_status(&rf), 2);
	rf.platforms = NULL;
	assert_ptr_equal(report_finding_plat(&rf, rf.findings[1]), &p0);
	assert_int_equal(report_finding_mask(&rf, 1), 1);
	report_matrix_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_two),
		cmocka_unit_test(plat_of_finding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
