/* SPDX-License-Identifier: MIT */
/*
 * xfer_cause.c - what a finding on a Windows transfer's bytes points to.
 *
 * Windows transfers are judged by call order, not ownership: a missing or
 * late FlushAdapterBuffers(Ex) / PutScatterGatherList is one finding (DC004,
 * DC008, or on a transfer whose flush is the invalidate a stale read naming
 * it), and the stale reads it causes hang under it naming the call really
 * omitted.  A stale read from a line the CPU filled speculatively after
 * KeFlushIoBuffers, on a v1/v2 transfer, names no call: no v1/v2 sequence
 * prevents it (docs/engine.md, "Windows transfers: call order, not
 * ownership").
 */
#include "finding-local.h"
#include "map.h"
#include "mem.h"
#include "sim-local.h"
#include "xfer.h"

#define MAX_OVL 64

bool coh_xfer_kind(unsigned kind)
{
	return kind == COH_MAP_TRANSFER || kind == COH_MAP_WIN_SG;
}

uint16_t coh_xfer_flush_call(const struct mapping *m)
{
	if (m->kind == COH_MAP_WIN_SG)
		return COH_EV_PUT_SG;
	return (m->flags & MF_EX) ? COH_EV_FLUSH_ADAPTER_EX : COH_EV_FLUSH_ADAPTER;
}

/* The newest live mapping with a byte at @a: of device @dev (-1: any), and
 * with @xfer_only a Windows transfer; or NULL. */
static struct mapping *newest_at(const struct coh_sim *s, uint64_t a, int dev, bool xfer_only)
{
	struct map_entry ov[MAX_OVL];
	struct mapping *best = NULL;
	size_t k;

	if (a == COH_ADDR_NONE || !s->maps.nphys)
		return NULL;
	k = coh_map_overlaps(s, a, a + 1, ov, MAX_OVL);
	for (size_t i = 0; i < k; i++) {
		struct mapping *m = ov[i].m;

		if ((dev < 0 || (int)m->dev == dev) && (!xfer_only || coh_xfer_kind(m->kind)) &&
		    (!best || m->id > best->id))
			best = m;
	}
	return best;
}

/* The newest live Windows transfer with a byte at @a. */
static struct mapping *live_at(const struct coh_sim *s, uint64_t a)
{
	return newest_at(s, a, -1, true);
}

/* Does any live mapping have a byte at @a? */
static bool live_at_any(const struct coh_sim *s, uint64_t a)
{
	struct map_entry ov[1];

	return s->maps.nphys && coh_map_overlaps(s, a, a + 1, ov, 1) > 0;
}

/* The newest ended transfer segment holding @a, or NULL. */
static struct xfer_ended *ended_at(struct coh_sim *s, uint64_t a)
{
	for (unsigned j = 1; j <= XFER_ENDED_RING; j++) {
		struct xfer_ended *e = &s->xfer_ended[(s->xfer_ended_next + XFER_ENDED_RING - j) % XFER_ENDED_RING];

		if (e->len && a >= e->phys && a - e->phys < e->len)
			return e;
	}
	return NULL;
}

static uint16_t xe_flags(const struct mapping *m)
{
	return (uint16_t)(((m->flags & MF_EX) ? XE_EX : 0) |
			  ((m->flags & MF_KFLUSHED) ? XE_KFLUSHED : 0) |
			  ((m->flags & MF_FLUSHED) ? XE_FLUSHED : 0) |
			  ((m->flags & MF_NOFLUSH_REPORTED) ? XE_ROOT : 0) |
			  ((m->flags & MF_BOUNCED) ? XE_BOUNCED : 0));
}

void coh_xfer_note_ended(struct coh_sim *s, const struct mapping *m)
{
	for (uint32_t i = 0; i < m->nsegs; i++) {
		if (m->segs[i].phys == COH_ADDR_NONE)
			continue;
		s->xfer_ended[s->xfer_ended_next] = (struct xfer_ended){
			.phys = m->segs[i].phys, .len = m->segs[i].len, .root = m->noflush_root,
			.made_seq = m->made_seq, .dev = m->dev, .flush = coh_xfer_flush_call(m), .flags = xe_flags(m),
		};
		s->xfer_ended_next = (s->xfer_ended_next + 1) % XFER_ENDED_RING;
	}
}

/* What is known of the transfer at @a, live or ended lately. */
struct xinfo {
	struct mapping *m;           /* live, or NULL */
	struct xfer_ended *e;        /* ended, or NULL */
	uint16_t flags;              /* XE_* */
	uint16_t flush;              /* its flush call */
	int64_t root;                /* with XE_ROOT */
	uint64_t made_seq;           /* the call that started it */
};

static bool info_at(struct coh_sim *s, uint64_t a, struct xinfo *x)
{
	*x = (struct xinfo){ .m = live_at(s, a) };
	if (x->m) {
		x->flags = xe_flags(x->m);
		x->flush = coh_xfer_flush_call(x->m);
		x->root = x->m->noflush_root;
		x->made_seq = x->m->made_seq;
		return true;
	}
	if (live_at_any(s, a) || !(x->e = ended_at(s, a)))
		return false;
	x->flags = x->e->flags;
	x->flush = x->e->flush;
	x->root = x->e->root;
	x->made_seq = x->e->made_seq;
	return true;
}

bool coh_xfer_stale_cause(struct coh_sim *s, uint64_t a, uint32_t seen, bool spec,
		      struct xfer_cause *c)
{
	struct xinfo x;
	int64_t clobber;
	bool stranded;

	if (!info_at(s, a, &x))
		return false;
	*c = (struct xfer_cause){ .omitted = COH_EV_NONE, .rule = COH_R_STALE_CPU };
	/* memory holds nothing newer: the data never left the adapter or map buffer */
	stranded = coh_mem_get(s, F_MEM, a) <= seen;
	clobber = coh_finding_root_at(s, COH_DC003, a, x.made_seq);
	if (clobber >= 0) {
		/* an older dirty line lay under the device's write in this transfer:
		 * the stale read is that write-back's doing */
		c->omitted = finding_at(s, (size_t)clobber)->omitted;
		c->set_parent = true;
		c->parent = clobber;
	} else if (stranded || (x.flags & XE_EX)) {
		c->omitted = x.flush;
		c->set_parent = x.flags & XE_ROOT;
		c->parent = x.root;
		c->may_root = !(x.flags & XE_ROOT);
	} else if (!(x.flags & XE_KFLUSHED)) {
		c->omitted = COH_EV_KE_FLUSH;       /* a line cached before the transfer */
	} else if (spec) {
		c->rule = COH_R_STALE_SPECULATIVE;
		c->set_parent = true;
		c->parent = -1;
	} else if (x.flags & XE_ROOT) {
		/* cached by a read before the late flush, which did no invalidate */
		c->omitted = x.flush;
		c->set_parent = true;
		c->parent = x.root;
	} else if (!(x.flags & XE_FLUSHED)) {
		c->omitted = x.flush;               /* read before the flush */
		c->may_root = true;
	}
	return true;
}

int coh_xfer_note_root(struct coh_sim *s, uint64_t a, int64_t idx)
{
	struct xinfo x;

	if (idx < 0 || !info_at(s, a, &x))
		return 0;
	if (x.e) {
		x.e->flags |= XE_ROOT;
		x.e->root = idx;
		return 0;
	}
	if (!(x.m = coh_map_rw(s, x.m)))
		return -COH_E_NOMEM;
	coh_xfer_set_root(x.m, idx);
	return 0;
}

void coh_xfer_set_root(struct mapping *m, int64_t idx)
{
	if (idx < 0 || (m->flags & MF_NOFLUSH_REPORTED))
		return;
	m->flags |= MF_NOFLUSH_REPORTED;
	m->noflush_root = idx;
}

bool coh_xfer_ownership_strict(const struct coh_sim *s, int dev, uint64_t a)
{
	const struct mapping *m = newest_at(s, a, dev, false);

	return m && coh_xfer_kind(m->kind);
}

bool coh_xfer_finding_windows(struct coh_sim *s, const struct new_finding *f)
{
	const struct mapping *m;

	switch (f->id) {
	case COH_DC004:
	case COH_DC005:
	case COH_DC008:
	case COH_DC009:
		return true;
	default:
		break;
	}
	if (f->rule == COH_R_STALE_SPECULATIVE ||
	    (f->omitted != COH_EV_NONE && coh_kind_group(f->omitted) == COH_GROUP_WINDOWS))
		return true;
	if (f->omitted != COH_EV_NONE && coh_kind_group(f->omitted) == COH_GROUP_LINUX)
		return false;
	if ((m = newest_at(s, f->addr, f->dev, false)))
		return coh_xfer_kind(m->kind) || m->kind == COH_MAP_COMMON;
	return f->addr != COH_ADDR_NONE && !live_at_any(s, f->addr) && ended_at(s, f->addr);
}
