/* SPDX-License-Identifier: MIT */
/*
 * report_maps.c - the map and unmap calls of a sliding window of events,
 * found by address.  report_note.c reads the events once, forwards, adds
 * each map or end call here and asks, per finding, for the last call whose
 * ranges hold the finding's bytes: a hash look-up instead of reading every
 * event back from each finding.
 *
 * Each range a call covers is kept once per 4 KiB page it touches (a range
 * of more than MAPS_WIDE pages goes on one list of wide ranges instead),
 * in a ring of entries, oldest first.  A bucket is a chain through the ring,
 * newest first, so a look-up stops at the first entry older than its window
 * and the ring forgets entries no window reaches any more.
 */
#include <stdlib.h>

#include "report.h"

#define MAPS_PAGE_SHIFT 16
#define MAPS_WIDE       16         /* blocks a range may span in the buckets */
#define MAPS_BITS       16         /* log2 of the buckets */
#define MAPS_NONE       UINT64_MAX /* no entry */

struct maps_entry {
	uint64_t seq;                /* engine index of the call */
	uint64_t base, len;          /* one range it covers */
	uint32_t back;               /* the next older entry of the chain is this many
				      * entries back (0: none; it fits, the ring is smaller) */
	uint16_t dev;                /* ev.dev of the call */
	uint8_t end;                 /* 1: an unmap or free, 0: a map or alloc */
};

struct report_maps {
	struct maps_entry *ring;     /* entry number n is ring[n & (cap - 1)] */
	uint64_t cap;                /* a power of two */
	uint64_t tail, head;         /* the live entries are [tail, head) */
	uint64_t bucket[2][1u << MAPS_BITS];  /* [bus?][hash]: newest entry, MAPS_NONE */
	uint64_t wide[2];            /* [bus?]: newest wide entry, MAPS_NONE */
};

struct report_maps *report_maps_new(void)
{
	struct report_maps *m = malloc(sizeof(*m));

	if (!m)
		return NULL;
	m->cap = 1024;
	m->ring = malloc(m->cap * sizeof(*m->ring));
	if (!m->ring) {
		free(m);
		return NULL;
	}
	m->tail = m->head = 0;
	for (size_t i = 0; i < (1u << MAPS_BITS); i++)
		m->bucket[0][i] = m->bucket[1][i] = MAPS_NONE;
	m->wide[0] = m->wide[1] = MAPS_NONE;
	return m;
}

void report_maps_free(struct report_maps *m)
{
	if (!m)
		return;
	free(m->ring);
	free(m);
}

static size_t hash(uint64_t page)
{
	return (size_t)((page * 0x9e3779b97f4a7c15ull) >> (64 - MAPS_BITS));
}

void report_maps_forget(struct report_maps *m, uint64_t lo)
{
	while (m->tail < m->head && m->ring[m->tail & (m->cap - 1)].seq < lo)
		m->tail++;
}

/* Room for one more entry: the ring doubles, entry numbers stay. */
static int room(struct report_maps *m)
{
	struct maps_entry *r;

	if (m->head - m->tail < m->cap)
		return 0;
	r = malloc(2 * m->cap * sizeof(*r));
	if (!r)
		return -1;
	for (uint64_t n = m->tail; n < m->head; n++)
		r[n & (2 * m->cap - 1)] = m->ring[n & (m->cap - 1)];
	free(m->ring);
	m->ring = r;
	m->cap *= 2;
	return 0;
}

static int push(struct report_maps *m, uint64_t *chain, const struct maps_entry *e)
{
	struct maps_entry *slot;
	uint64_t back = *chain != MAPS_NONE ? m->head - *chain : 0;

	if (room(m) < 0)
		return -1;
	slot = &m->ring[m->head & (m->cap - 1)];
	*slot = *e;
	slot->back = back <= m->cap && back <= UINT32_MAX ? (uint32_t)back : 0;
	*chain = m->head++;
	return 0;
}

/* Range [base, base + len) of the address space @bus (0 physical, 1 bus). */
static int add_range(struct report_maps *m, const struct maps_entry *e, int bus)
{
	uint64_t first = e->base >> MAPS_PAGE_SHIFT, last;

	if (e->base == COH_ADDR_NONE || !e->len)
		return 0;
	last = (e->len - 1 > UINT64_MAX - e->base ? UINT64_MAX : e->base + (e->len - 1)) >>
	       MAPS_PAGE_SHIFT;
	if (last - first >= MAPS_WIDE)
		return push(m, &m->wide[bus], e);
	for (uint64_t p = first; p <= last; p++)
		if (push(m, &m->bucket[bus][hash(p)], e) < 0)
			return -1;
	return 0;
}

static int add_pair(struct report_maps *m, struct maps_entry *e, uint64_t addr, uint64_t bus,
		    uint64_t len)
{
	e->len = len;
	e->base = addr;
	if (add_range(m, e, 0) < 0)
		return -1;
	e->base = bus;
	return add_range(m, e, 1);
}

int report_maps_add(struct report_maps *m, uint64_t seq, const struct coh_event *ev, int end)
{
	struct maps_entry e = { .seq = seq, .dev = ev->dev, .end = (uint8_t)(end != 0) };

	/* the ranges report_note.c's covers() looks at, no more */
	if (ev->nsegs && ev->segs) {
		for (uint32_t i = 0; i < ev->nsegs; i++)
			if (add_pair(m, &e, ev->segs[i].addr, ev->segs[i].bus, ev->segs[i].len) < 0)
				return -1;
		if (ev->kind != COH_EV_MAP_TRANSFER && ev->kind != COH_EV_MAP_TRANSFER_EX)
			return 0;
	}
	return add_pair(m, &e, ev->addr, ev->bus, ev->len);
}

struct maps_query {
	int32_t dev;                 /* the device, or < 0 for any */
	uint64_t lo, hi;             /* the window: calls at [lo, hi) */
	uint64_t map, end;           /* the newest map and end calls met, MAPS_NONE */
};

static void walk(const struct report_maps *m, uint64_t n, uint64_t a, struct maps_query *q)
{
	for (; n != MAPS_NONE && n >= m->tail; n = m->ring[n & (m->cap - 1)].back ?
	     n - m->ring[n & (m->cap - 1)].back : MAPS_NONE) {
		const struct maps_entry *e = &m->ring[n & (m->cap - 1)];
		uint64_t *best = e->end ? &q->end : &q->map;

		if (e->seq < q->lo)
			return;
		if (e->seq >= q->hi || (q->dev >= 0 && e->dev != (uint16_t)q->dev) ||
		    a < e->base || a - e->base >= e->len)
			continue;
		if (*best == MAPS_NONE || e->seq > *best)
			*best = e->seq;
	}
}

void report_maps_find(const struct report_maps *m, int32_t dev, uint64_t pa, uint64_t ba,
		      uint64_t lo, uint64_t hi, uint64_t *map, uint64_t *end)
{
	struct maps_query q = { .dev = dev, .lo = lo, .hi = hi, .map = MAPS_NONE,
				.end = MAPS_NONE };

	if (pa != COH_ADDR_NONE) {
		walk(m, m->bucket[0][hash(pa >> MAPS_PAGE_SHIFT)], pa, &q);
		walk(m, m->wide[0], pa, &q);
	}
	if (ba != COH_ADDR_NONE) {
		walk(m, m->bucket[1][hash(ba >> MAPS_PAGE_SHIFT)], ba, &q);
		walk(m, m->wide[1], ba, &q);
	}
	*map = q.map == MAPS_NONE ? COH_SEQ_NONE : q.map;
	*end = q.end != MAPS_NONE && (q.map == MAPS_NONE || q.end > q.map) ? q.end : COH_SEQ_NONE;
}
