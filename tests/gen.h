/* SPDX-License-Identifier: MIT */
/*
 * gen.h - a seeded generator of long, valid, mixed event streams for the
 * timeline tests: CPU accesses (two CPUs), Linux map/sync/unmap cycles on a
 * set of buffer slots, device accesses to live mappings, Windows transfers
 * through a slave-DMA controller and a posted-write bus master, evictions,
 * speculative fills and scope markers.  Every event it makes is valid (the
 * engine accepts it); many are bugs, so findings accumulate.
 */
#ifndef GEN_H
#define GEN_H

#include <stdint.h>
#include <string.h>

#include "coh_log.h"
#include "coh_sim.h"

#define GEN_SLOTS   16
#define GEN_BASE    0x200000ull           /* Linux buffers, 512 bytes apart */
#define GEN_BUS     0x90000000ull
#define GEN_WBASE   0x300000ull           /* Windows buffers */
#define GEN_REGION  0x3000ull             /* CPU accesses: the slots and beyond */

enum { GEN_LIN0, GEN_LIN1, GEN_WSLAVE, GEN_WBUS, GEN_NDEVS };

struct gen_slot {
	uint64_t phys, bus, len;
	uint8_t dev, dir, live;
};

struct gen_xfer {
	int phase;                   /* 0 idle, 1 mapped, 2 flushed, 3 completed */
	int wtd;
	uint64_t irp;
	struct coh_seg mdl;
};

struct gen {
	uint64_t rng;
	struct coh_log *log;
	struct gen_slot slot[GEN_SLOTS];
	struct gen_xfer xfer[2];
	uint64_t next_irp;
	int seq_open;
	uint8_t data[256];
};

static inline uint64_t gen_rand(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dull;
}

static inline uint64_t gen_below(struct gen *g, uint64_t n)
{
	return gen_rand(g) % n;
}

/* The platform: arm64 rules, speculative, two CPUs, four devices. */
static inline void gen_platform(struct coh_platform *p)
{
	coh_platform_preset("arm-speculative", p);
	p->ncpus = 2;
	coh_platform_add_dev(p, "lin0");
	coh_platform_add_dev(p, "lin1");
	coh_platform_add_dev(p, "wslave");
	coh_platform_add_dev(p, "wbus");
	p->devs[GEN_LIN1].coherent = 1;
	p->devs[GEN_LIN1].bounce = 1;
	p->devs[GEN_WSLAVE].ctrl_size = 16;
	p->devs[GEN_WSLAVE].ctrl_chunk = 8;
	p->devs[GEN_WBUS].posted = 32;
}

static inline int gen_put(struct gen *g, struct coh_event *ev)
{
	ev->ts = (coh_log_count(g->log) + 1) * 10;
	ev->src = coh_log_count(g->log);
	return coh_log_append(g->log, ev);
}

static inline int gen_cpu(struct gen *g)
{
	struct coh_event ev;
	uint64_t r = gen_below(g, 100);
	unsigned kind = r < 45 ? COH_EV_CPU_READ : r < 90 ? COH_EV_CPU_WRITE :
			r < 97 ? COH_EV_EVICT : COH_EV_SPEC_FILL;

	coh_event_init(&ev, (enum coh_kind)kind);
	ev.cpu = (uint16_t)gen_below(g, 2);
	ev.addr = GEN_BASE + gen_below(g, GEN_REGION);
	ev.len = 1 + gen_below(g, gen_below(g, 8) ? 16 : 256);
	if (kind == COH_EV_CPU_WRITE && !gen_below(g, 4))
		ev.data = g->data;
	return gen_put(g, &ev);
}

static inline int gen_linux_call(struct gen *g, unsigned kind, struct gen_slot *s,
				 uint64_t off, uint64_t len, unsigned dir, unsigned flags)
{
	struct coh_event ev;

	coh_event_init(&ev, (enum coh_kind)kind);
	ev.dev = s->dev;
	ev.addr = kind == COH_EV_DMA_MAP ? s->phys : COH_ADDR_NONE;
	ev.bus = s->bus + off;
	ev.len = len;
	ev.dir = (uint8_t)dir;
	ev.flags = flags;
	return gen_put(g, &ev);
}

static inline int gen_dev_access(struct gen *g, unsigned dev, uint64_t bus, uint64_t len,
				 int write)
{
	struct coh_event ev;

	coh_event_init(&ev, write ? COH_EV_DEV_WRITE : COH_EV_DEV_READ);
	ev.dev = (uint16_t)dev;
	ev.addr = bus;
	ev.len = len;
	if (write && !gen_below(g, 4))
		ev.data = g->data;
	return gen_put(g, &ev);
}

/* One step of the map / access / sync / unmap life of a random slot. */
static inline int gen_linux(struct gen *g)
{
	struct gen_slot *s = &g->slot[gen_below(g, GEN_SLOTS)];
	unsigned i = (unsigned)(s - g->slot), r = (unsigned)gen_below(g, 100);
	uint64_t off, len;

	if (!s->live) {
		s->dev = (uint8_t)gen_below(g, 2);
		s->dir = (uint8_t)gen_below(g, 3);
		s->len = 64 * (1 + gen_below(g, 4));
		s->phys = GEN_BASE + i * 0x200 + (gen_below(g, 4) ? 0 : 16);
		s->bus = GEN_BUS + (s->phys - GEN_BASE);
		s->live = 1;
		return gen_linux_call(g, COH_EV_DMA_MAP, s, 0, s->len, s->dir,
				      gen_below(g, 10) ? 0 : COH_F_SKIP_CPU_SYNC);
	}
	off = gen_below(g, s->len);
	len = 1 + gen_below(g, s->len - off);
	if (r < 40)
		return gen_dev_access(g, s->dev, s->bus + off, len, s->dir != COH_DIR_TO_DEVICE);
	if (r < 60)
		return gen_linux_call(g, COH_EV_DMA_SYNC_CPU, s, off, len, s->dir, 0);
	if (r < 80)
		return gen_linux_call(g, COH_EV_DMA_SYNC_DEV, s, off, len, s->dir, 0);
	s->live = 0;
	return gen_linux_call(g, COH_EV_DMA_UNMAP, s, 0, s->len, s->dir,
			      gen_below(g, 8) ? 0 : COH_F_SKIP_CPU_SYNC);
}

static inline int gen_win_call(struct gen *g, unsigned kind, unsigned dev, struct gen_xfer *x)
{
	struct coh_event ev;

	coh_event_init(&ev, (enum coh_kind)kind);
	ev.dev = (uint16_t)dev;
	ev.segs = &x->mdl;
	ev.nsegs = 1;
	ev.len = x->mdl.len;
	ev.handle = 0x1000 * (dev + 1);
	ev.irp = x->irp;
	ev.flags = x->wtd ? COH_F_WRITE_TO_DEVICE : 0;
	if (kind == COH_EV_KE_FLUSH)
		ev.flags = COH_F_DMA_OP | (x->wtd ? 0 : COH_F_READ_OP);
	if (kind == COH_EV_IRP_COMPLETE)
		ev.status = COH_STATUS_SUCCESS;
	return gen_put(g, &ev);
}

/* One step of a Windows transfer on the slave-DMA or the bus-master device. */
static inline int gen_windows(struct gen *g)
{
	unsigned w = (unsigned)gen_below(g, 2), dev = GEN_WSLAVE + w;
	struct gen_xfer *x = &g->xfer[w];
	int err;

	switch (x->phase) {
	case 0:
		x->wtd = (int)gen_below(g, 2);
		x->irp = ++g->next_irp;
		x->mdl = (struct coh_seg){ GEN_WBASE + w * 0x1000, COH_ADDR_NONE,
					   32 * (1 + gen_below(g, 6)) };
		if (!gen_below(g, 4) && (err = gen_win_call(g, COH_EV_KE_FLUSH, dev, x)) < 0)
			return err;
		x->phase = 1;
		return gen_win_call(g, COH_EV_MAP_TRANSFER, dev, x);
	case 1:
		if (gen_below(g, 4)) {
			uint64_t off = gen_below(g, x->mdl.len);

			return gen_dev_access(g, dev, x->mdl.addr + off,
					      1 + gen_below(g, x->mdl.len - off), !x->wtd);
		}
		x->phase = 2;
		return gen_win_call(g, COH_EV_FLUSH_ADAPTER, dev, x);
	case 2:
		x->phase = 3;
		return gen_win_call(g, COH_EV_IRP_COMPLETE, dev, x);
	default:
		x->phase = 0;
		return gen_win_call(g, COH_EV_FREE_MAP_REGS, dev, x);
	}
}

static inline int gen_marker(struct gen *g)
{
	struct coh_event ev;

	coh_event_init(&ev, g->seq_open ? COH_EV_SCOPE_END : COH_EV_SCOPE_BEGIN);
	ev.scope = COH_SCOPE_SEQ;
	ev.text = "gen";
	g->seq_open = !g->seq_open;
	return gen_put(g, &ev);
}

/* A log of @n valid events from @seed (the caller frees it). */
static inline struct coh_log *gen_log(uint64_t seed, uint64_t n)
{
	struct gen g;

	memset(&g, 0, sizeof(g));
	g.rng = seed * 0x9e3779b97f4a7c15ull + 1;
	g.log = coh_log_new();
	for (unsigned i = 0; i < sizeof(g.data); i++)
		g.data[i] = (uint8_t)(i * 7 + 3);
	while (g.log && coh_log_count(g.log) < n) {
		uint64_t r = gen_below(&g, 100);
		int err = r < 50 ? gen_cpu(&g) : r < 80 ? gen_linux(&g) :
			  r < 98 ? gen_windows(&g) : gen_marker(&g);

		if (err < 0) {
			coh_log_free(g.log);
			return NULL;
		}
	}
	if (g.log)
		coh_log_truncate(g.log, n);
	return g.log;
}

#endif
