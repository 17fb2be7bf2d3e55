/* SPDX-License-Identifier: MIT */
/*
 * test_views_dma.c - the views of coh_sim_dma.h on the samples that
 * exercise them: swiotlb bounce slots (swiotlb-rx-nosync), Windows map
 * buffers (doublebuffer-noflush), pending device writes (linux-rx-nosync),
 * and what each view refuses.
 */
#include "coh_sim_dma.h"
#include "replay-test.h"

/* A device write to a bounced receive buffer lands in the slot, not memory. */
static void swiotlb_slot(void **state)
{
	struct trace *t = rt_open_sample("swiotlb-rx-nosync.bug.dmt");
	struct coh_sim *s = rt_sim(t, NULL, 0);
	struct coh_buf_run r[4];
	struct coh_map_view mv;
	uint32_t mem;

	(void)state;
	rt_replay(t, s, 3);                  /* cpu_write, dma_map, dev_write 64 bytes */
	assert_int_equal(coh_sim_nmappings(s), 1);
	assert_int_equal(coh_sim_mapping(s, 0, &mv, NULL, 0), 0);
	assert_int_equal(mv.bounced, 1);
	assert_int_equal(coh_sim_bounce_slots(s, 0, r, 4), 2);
	assert_int_equal(r[0].off, 0);
	assert_int_equal(r[0].len, 64);
	assert_int_equal(r[0].addr, 0x80000);
	assert_int_equal(r[0].bus, 0x7ff00000);
	assert_int_equal(r[0].ver, 3);               /* the dev_write, event 2 */
	assert_int_equal(r[1].off, 64);
	assert_int_equal(r[1].len, 2048 - 64);
	assert_int_equal(r[1].addr, 0x80000 + 64);
	assert_int_equal(r[1].ver, 1);               /* copied at the map: the cpu_write */
	assert_int_equal(coh_sim_cpu_view(s, 0, 0x80000, 1, NULL, &mem), 0);
	assert_int_equal(mem, 1);                    /* the CPU does not see it */
	assert_int_equal(coh_sim_bounce_slots(s, 0, r, 1), 2);   /* count beyond max */
	assert_int_equal(coh_sim_pending_writes(s, 0, r, 4), 1);
	assert_int_equal(r[0].len, 64);
	assert_int_equal(r[0].ver, 3);
	assert_int_equal(coh_sim_map_buffers(s, 0, r, 4), -COH_E_INVAL);
	assert_int_equal(coh_sim_bounce_slots(s, 1, r, 4), -COH_E_INVAL);
	rt_replay(t, s, trace_count(t));
	assert_int_equal(coh_sim_nmappings(s), 0);
	coh_sim_free(s);
	trace_close(t);
}

/* The device writes the map buffer; nothing flushes it into the buffer. */
static void doublebuffer_map_buffer(void **state)
{
	struct trace *t = rt_open_sample("doublebuffer-noflush.bug.dmt");
	struct coh_sim *s = rt_sim(t, NULL, 0);
	struct coh_buf_run r[4];
	struct coh_map_view mv;

	(void)state;
	rt_replay(t, s, 3);                  /* cpu_write, MapTransfer, dev_write */
	assert_int_equal(coh_sim_mapping(s, 0, &mv, NULL, 0), 0);
	assert_int_equal(mv.kind, COH_MAP_TRANSFER);
	assert_int_equal(mv.handle, 0x60);
	assert_int_equal(coh_sim_map_buffers(s, 0, r, 4), 1);
	assert_int_equal(r[0].off, 0);
	assert_int_equal(r[0].len, 2048);
	assert_int_equal(r[0].addr, 0xa00000);
	assert_int_equal(r[0].bus, 0xd0000000);
	assert_int_equal(r[0].ver, 3);
	assert_int_equal(coh_sim_pending_writes(s, 0, r, 4), 1);
	assert_int_equal(r[0].ver, 3);
	assert_int_equal(coh_sim_bounce_slots(s, 0, r, 4), -COH_E_INVAL);
	coh_sim_free(s);
	trace_close(t);
}

/* Without bounce buffers: a pending write, gone after the unmap hands it over. */
static void pending_until_unmap(void **state)
{
	struct trace *t = rt_open_sample("linux-rx-nosync.bug.dmt");
	struct coh_sim *s = rt_sim(t, NULL, 0);
	struct coh_buf_run r[4];

	(void)state;
	rt_replay(t, s, 2);                  /* cpu_write, dma_map */
	assert_int_equal(coh_sim_pending_writes(s, 0, r, 4), 0);
	rt_replay(t, s, 3);                  /* dev_write 64 bytes */
	assert_int_equal(coh_sim_pending_writes(s, 0, r, 4), 1);
	assert_int_equal(r[0].off, 0);
	assert_int_equal(r[0].len, 64);
	assert_int_equal(r[0].addr, 0x80000);
	assert_int_equal(r[0].bus, 0x80000);
	assert_int_equal(r[0].ver, 3);
	assert_int_equal(coh_sim_bounce_slots(s, 0, r, 4), -COH_E_INVAL);
	assert_int_equal(coh_sim_map_buffers(s, 0, r, 4), -COH_E_INVAL);
	assert_int_equal(coh_sim_pending_writes(s, 1, r, 4), -COH_E_INVAL);
	rt_replay(t, s, 4);                  /* cpu_read: still pending */
	assert_int_equal(coh_sim_pending_writes(s, 0, NULL, 0), 1);
	coh_sim_free(s);
	trace_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(swiotlb_slot),
		cmocka_unit_test(doublebuffer_map_buffer),
		cmocka_unit_test(pending_until_unmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
