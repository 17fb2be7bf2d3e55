/* SPDX-License-Identifier: MIT */
/*
 * view_buf.c - which bytes the caches and memory panes show: the buffer the
 * screen selected (a live mapping or an address range), or by default the
 * mapping the current event touches (else the bytes of its CPU access, the
 * newest mapping, its finding's bytes, the CPU access just before),
 * resolved at the session's position.
 */
#include <stdio.h>
#include <string.h>

#include "coh_event.h"
#include "coh_sim.h"
#include "session.h"
#include "view_util.h"

#define VIEW_BACK 64     /* events looked back for a CPU access to show */

static bool in(uint64_t a, uint64_t base, uint64_t len)
{
	return a != COH_ADDR_NONE && base != COH_ADDR_NONE && a >= base && a - base < len;
}

/* Whether live mapping @i holds @ev's address, physical or bus. */
static bool holds(const struct coh_sim *sim, size_t i, const struct coh_event *ev)
{
	struct coh_map_view mv;
	struct coh_seg seg[VIEW_SEGS];
	uint64_t pa = ev->addr, ba = ev->bus;

	if (coh_sim_mapping(sim, i, &mv, seg, VIEW_SEGS) < 0)
		return false;
	if (ev->kind == COH_EV_DEV_WRITE || ev->kind == COH_EV_DEV_READ)
		ba = ev->addr;
	if (ev->nsegs && ev->segs) {
		pa = ev->segs[0].addr;
		ba = ev->segs[0].bus;
	}
	for (uint32_t k = 0; k < mv.nsegs && k < VIEW_SEGS; k++)
		if (in(pa, seg[k].addr, seg[k].len) || in(ba, seg[k].bus, seg[k].len))
			return true;
	return in(pa, mv.addr, mv.len) || in(ba, mv.bus, mv.len);
}

static void add_seg(struct view_range *r, uint64_t addr, uint64_t len)
{
	if (r->nseg >= VIEW_SEGS || addr == COH_ADDR_NONE || !len)
		return;
	r->addr[r->nseg] = addr;
	r->len[r->nseg++] = len;
	r->total += len;
}

static void from_mapping(const struct coh_sim *sim, size_t i, struct view_range *r)
{
	struct coh_map_view mv;
	struct coh_seg seg[VIEW_SEGS];

	if (coh_sim_mapping(sim, i, &mv, seg, VIEW_SEGS) < 0)
		return;
	r->mapping = (long)i;
	r->bounced = mv.bounced;
	if (mv.nsegs <= 1)
		add_seg(r, mv.addr, mv.len);
	for (uint32_t k = 0; mv.nsegs > 1 && k < mv.nsegs && k < VIEW_SEGS; k++)
		add_seg(r, seg[k].addr, seg[k].len);
	snprintf(r->label, sizeof(r->label), "map #%zu %s 0x%llx+%llu", i,
		 view_map_kind(mv.kind), (unsigned long long)mv.addr, (unsigned long long)mv.len);
}

static void from_range(struct view_range *r, uint64_t addr, uint64_t len)
{
	if (addr == COH_ADDR_NONE || !len)  /* nothing to show: no label either */
		return;
	add_seg(r, addr, len);
	snprintf(r->label, sizeof(r->label), "0x%llx+%llu", (unsigned long long)addr,
		 (unsigned long long)len);
}

static bool cpu_access(const struct coh_event *ev)
{
	return ev->kind == COH_EV_CPU_READ || ev->kind == COH_EV_CPU_WRITE;
}

/* What to show when no live mapping is the event's: the bytes of a finding
 * raised at @pos (not under a veil: that would point at the answer), else
 * of the nearest CPU access before it. */
static void fallback(struct session *s, uint64_t pos, bool veiled, uint64_t *addr,
		     uint64_t *len)
{
	size_t idx;
	struct coh_event ev;

	*addr = COH_ADDR_NONE;
	*len = 0;
	if (!veiled && session_findings_at(s, pos, &idx, 1)) {
		*addr = session_finding(s, idx)->addr;
		*len = session_finding(s, idx)->len;
		return;
	}
	for (uint64_t k = 0; k < VIEW_BACK && pos > 0; k++)
		if (session_event(s, --pos, &ev) == 0 && cpu_access(&ev)) {
			*addr = ev.addr;
			*len = ev.len;
			return;
		}
}

static void automatic(const struct coh_sim *sim, const struct coh_event *ev,
		      const uint64_t fb[2], struct view_range *r)
{
	size_t n = coh_sim_nmappings(sim);

	for (size_t i = 0; i < n; i++)
		if (holds(sim, i, ev)) {
			from_mapping(sim, i, r);
			return;
		}
	if (cpu_access(ev))
		from_range(r, ev->addr, ev->len);
	else if (n)
		from_mapping(sim, n - 1, r);
	else
		from_range(r, fb[0], fb[1]);
}

void view_range_get(struct session *s, const struct view_state *vs, struct view_range *out)
{
	struct coh_event ev;
	uint64_t pos = session_pos(s), fb[2];
	bool have = session_event(s, pos, &ev) == 0;

	fallback(s, pos, vs->veil, &fb[0], &fb[1]);
	memset(out, 0, sizeof(*out));
	out->mapping = -1;
	out->cpu = have ? ev.cpu : 0;
	session_lock(s);
	if (vs->buf.kind == VIEW_BUF_RANGE && vs->buf.hi > vs->buf.lo) {
		add_seg(out, vs->buf.lo, vs->buf.hi - vs->buf.lo);
		snprintf(out->label, sizeof(out->label), "0x%llx-0x%llx",
			 (unsigned long long)vs->buf.lo, (unsigned long long)vs->buf.hi);
	} else if (vs->buf.kind == VIEW_BUF_MAPPING) {
		from_mapping(session_sim(s), vs->buf.mapping, out);
	} else if (have) {
		automatic(session_sim(s), &ev, fb, out);
	}
	session_unlock(s);
}
