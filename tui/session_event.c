/* SPDX-License-Identifier: MIT */
/*
 * session_event.c - questions about one event of a session that need no
 * engine: does it touch an address range, is it an API call, does it pass
 * the filter, which findings fired at it.  Callers hold the session's lock.
 */
#include <stdlib.h>

#include "session-local.h"

/**
 * session_get - event @i of the trace (pointers borrowed until the next
 * trace call)
 *
 * Return: 0, or -1 while reading or when @i is out of range.
 */
int session_get(struct session *s, uint64_t i, struct coh_event *ev)
{
	if (!s->t || i >= s->count)
		return -1;
	return trace_get(s->t, i, ev) < 0 ? -1 : 0;
}

static bool overlaps(uint64_t a, uint64_t len, uint64_t lo, uint64_t hi)
{
	if (a == COH_ADDR_NONE || len == 0)
		return false;
	return a < hi && (a + len > lo || a + len < a);
}

/**
 * session_touches - whether @ev names an address (physical or bus, its own
 * or one of its segments') in [@lo, @hi)
 */
bool session_touches(const struct coh_event *ev, uint64_t lo, uint64_t hi)
{
	uint64_t len = ev->len ? ev->len : 1;

	if (overlaps(ev->addr, len, lo, hi) || overlaps(ev->bus, len, lo, hi))
		return true;
	for (uint32_t k = 0; ev->segs && k < ev->nsegs; k++)
		if (overlaps(ev->segs[k].addr, ev->segs[k].len, lo, hi) ||
		    overlaps(ev->segs[k].bus, ev->segs[k].len, lo, hi))
			return true;
	return false;
}

/**
 * session_is_call - whether @ev is a DMA API or Windows call (not an access
 * or a marker)
 */
bool session_is_call(const struct coh_event *ev)
{
	int g = coh_kind_group(ev->kind);

	return g == COH_GROUP_LINUX || g == COH_GROUP_WINDOWS;
}

/* Whether the kind names a device (CPU accesses and markers do not). */
static bool has_device(const struct coh_event *ev)
{
	switch (ev->kind) {
	case COH_EV_DEV_READ: case COH_EV_DEV_WRITE: case COH_EV_DEV_DONE:
		return true;
	default:
		return session_is_call(ev);
	}
}

/* Per event, 1 + the ordinal of the innermost marker sequence open at it
 * (begin and end included), 0 outside any: one pass, the first time a
 * filter asks. */
static int build_seqid(struct session *s)
{
	uint32_t stack[64], depth = 0, next = 0;
	struct coh_event ev;

	s->seqid = calloc(s->count ? s->count : 1, sizeof(*s->seqid));
	if (!s->seqid)
		return -1;
	for (uint64_t i = 0; i < s->count && session_get(s, i, &ev) == 0; i++) {
		bool seq = ev.scope == COH_SCOPE_SEQ;

		if (ev.kind == COH_EV_SCOPE_BEGIN && seq && depth < 64)
			stack[depth++] = ++next;
		s->seqid[i] = depth ? stack[depth - 1] : 0;
		if (ev.kind == COH_EV_SCOPE_END && seq && depth)
			depth--;
	}
	return 0;
}

/**
 * session_match_filter - whether event @i (@ev) passes the session's filter
 */
bool session_match_filter(struct session *s, uint64_t i, const struct coh_event *ev)
{
	const struct session_filter *f = &s->filter;

	if (f->dev >= 0 && (!has_device(ev) || ev->dev != f->dev))
		return false;
	if (f->cpu >= 0 && ev->cpu != f->cpu)
		return false;
	if (f->kind >= 0 && ev->kind != f->kind)
		return false;
	if (f->hi && !session_touches(ev, f->lo, f->hi))
		return false;
	if (f->seq < 0)
		return true;
	if (!s->seqid && build_seqid(s) < 0)
		return true;
	return i < s->count && s->seqid[i] == (uint32_t)f->seq + 1;
}

/**
 * session_finding_first - the first finding (of those known, in the order
 * of their events) raised at event @i or later
 *
 * Return: its rank in that order (session_by_seq()), or s->nf when there
 * is none.
 */
size_t session_finding_first(struct session *s, uint64_t i)
{
	size_t lo = 0, hi = s->nf;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (session_f(s, s->byseq[mid])->seq < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * session_by_seq - the finding of rank @k in the order of their events
 * (findings are raised in event order, except a few that name an earlier
 * event)
 *
 * Return: borrowed; NULL out of range.
 */
const struct coh_finding *session_by_seq(struct session *s, size_t k)
{
	return k < s->nf ? session_f(s, s->byseq[k]) : NULL;
}
