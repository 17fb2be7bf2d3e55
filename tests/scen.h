/* SPDX-License-Identifier: MIT */
/*
 * scen.h - building engine scenarios in tests, one call per event.
 *
 * struct scen holds a platform with devices "dev0".."devN-1" and a
 * simulation; each sc_* call appends one event (failing the test when the
 * engine rejects it) and returns its engine index.  Queries count findings.
 */
#ifndef SCEN_H
#define SCEN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "coh_sim.h"

struct scen {
	struct coh_platform p;
	struct coh_sim *s;
	uint64_t ts;
	uint64_t (*src_of)(uint64_t at); /* the file index of event @at; NULL: at */
};

static inline void sc_setup(struct scen *sc, const char *preset, unsigned ndevs)
{
	char name[16];

	memset(sc, 0, sizeof(*sc));
	assert_int_equal(coh_platform_preset(preset, &sc->p), 0);
	for (unsigned i = 0; i < ndevs; i++) {
		snprintf(name, sizeof(name), "dev%u", i);
		assert_int_equal(coh_platform_add_dev(&sc->p, name), (int)i);
	}
}

/* Create the simulation (after editing sc->p if needed). */
static inline void sc_start(struct scen *sc, unsigned flags)
{
	int err = 0;

	sc->s = coh_sim_new(&sc->p, flags, &err);
	assert_non_null(sc->s);
	assert_int_equal(err, 0);
}

static inline void sc_init(struct scen *sc, const char *preset, unsigned ndevs)
{
	sc_setup(sc, preset, ndevs);
	sc_start(sc, 0);
}

static inline void sc_fini(struct scen *sc)
{
	coh_sim_free(sc->s);
	sc->s = NULL;
}

static inline uint64_t sc_apply(struct scen *sc, struct coh_event *ev)
{
	uint64_t at = coh_sim_pos(sc->s);
	int err;

	ev->ts = sc->ts = (at + 1) * 1000;   /* sc_ts(at) */
	ev->src = sc->src_of ? sc->src_of(at) : at;
	err = coh_sim_apply(sc->s, ev);
	if (err)
		fail_msg("event %llu (%s): %s", (unsigned long long)at, coh_kind_name(ev->kind),
			 coh_sim_errmsg(sc->s));
	return at;
}

/* The timestamp sc_apply() gives the event at engine index @at. */
static inline uint64_t sc_ts(uint64_t at)
{
	return (at + 1) * 1000;
}

/* Apply an event the engine may reject: its error code (0 when applied). */
static inline int sc_try(struct scen *sc, struct coh_event *ev)
{
	uint64_t at = coh_sim_pos(sc->s);

	ev->ts = sc_ts(at);
	ev->src = at;
	return coh_sim_apply(sc->s, ev);
}

static inline struct coh_event sc_ev(unsigned kind)
{
	struct coh_event ev;

	coh_event_init(&ev, (enum coh_kind)kind);
	return ev;
}

static inline uint64_t sc_access(struct scen *sc, unsigned kind, unsigned who, uint64_t addr,
				 uint64_t len, const void *data)
{
	struct coh_event ev = sc_ev(kind);

	if (kind == COH_EV_DEV_READ || kind == COH_EV_DEV_WRITE)
		ev.dev = (uint16_t)who;
	else
		ev.cpu = (uint16_t)who;
	ev.addr = addr;
	ev.len = len;
	ev.data = data;
	return sc_apply(sc, &ev);
}

#define sc_cpu_read(sc, cpu, a, n)         sc_access(sc, COH_EV_CPU_READ, cpu, a, n, NULL)
#define sc_cpu_write(sc, cpu, a, n, d)     sc_access(sc, COH_EV_CPU_WRITE, cpu, a, n, d)
#define sc_dev_read(sc, dev, a, n)         sc_access(sc, COH_EV_DEV_READ, dev, a, n, NULL)
#define sc_dev_write(sc, dev, a, n, d)     sc_access(sc, COH_EV_DEV_WRITE, dev, a, n, d)
#define sc_evict(sc, cpu, a, n)            sc_access(sc, COH_EV_EVICT, cpu, a, n, NULL)

/* Linux: map, unmap, sync (single); flags COH_F_* */
static inline uint64_t sc_linux(struct scen *sc, unsigned kind, unsigned dev, uint64_t phys,
				uint64_t bus, uint64_t len, unsigned dir, unsigned flags)
{
	struct coh_event ev = sc_ev(kind);

	ev.dev = (uint16_t)dev;
	ev.addr = phys;
	ev.bus = bus;
	ev.len = len;
	ev.dir = (uint8_t)dir;
	ev.flags = flags;
	return sc_apply(sc, &ev);
}

#define sc_map(sc, dev, phys, bus, len, dir) \
	sc_linux(sc, COH_EV_DMA_MAP, dev, phys, bus, len, dir, 0)
#define sc_unmap(sc, dev, bus, len, dir) \
	sc_linux(sc, COH_EV_DMA_UNMAP, dev, COH_ADDR_NONE, bus, len, dir, 0)
#define sc_sync_cpu(sc, dev, bus, len, dir) \
	sc_linux(sc, COH_EV_DMA_SYNC_CPU, dev, COH_ADDR_NONE, bus, len, dir, 0)
#define sc_sync_dev(sc, dev, bus, len, dir) \
	sc_linux(sc, COH_EV_DMA_SYNC_DEV, dev, COH_ADDR_NONE, bus, len, dir, 0)
#define sc_alloc_coherent(sc, dev, phys, len) \
	sc_linux(sc, COH_EV_DMA_ALLOC, dev, phys, phys, len, COH_DIR_BIDIRECTIONAL, 0)

/* Windows: a transfer-style call over an MDL chain; @status is the recorded
 * return value when @flags has COH_F_STATUS. */
static inline uint64_t sc_xfer(struct scen *sc, unsigned kind, unsigned dev,
			       const struct coh_seg *chain, unsigned nchain, uint64_t off,
			       uint64_t len, uint64_t handle, uint64_t irp, unsigned flags,
			       int32_t status)
{
	struct coh_event ev = sc_ev(kind);

	ev.dev = (uint16_t)dev;
	ev.segs = chain;
	ev.nsegs = nchain;
	ev.off = off;
	ev.len = len;
	ev.handle = handle;
	ev.irp = irp;
	ev.flags = flags;
	ev.status = status;
	return sc_apply(sc, &ev);
}

#define sc_win(sc, kind, dev, chain, n, off, len, handle, irp, flags) \
	sc_xfer(sc, kind, dev, chain, n, off, len, handle, irp, flags, 0)
#define sc_flush(sc, kind, dev, chain, n, off, len, handle, flags, status) \
	sc_xfer(sc, kind, dev, chain, n, off, len, handle, 0, flags, status)

static inline uint64_t sc_simple(struct scen *sc, unsigned kind, unsigned dev, uint64_t handle,
				 uint64_t irp, int32_t status)
{
	struct coh_event ev = sc_ev(kind);

	ev.dev = (uint16_t)dev;
	ev.handle = handle;
	ev.irp = irp;
	ev.status = status;
	return sc_apply(sc, &ev);
}

#define sc_irp_complete(sc, irp, status) sc_simple(sc, COH_EV_IRP_COMPLETE, 0, COH_ADDR_NONE, irp, status)
#define sc_free_map_regs(sc, dev, h)     sc_simple(sc, COH_EV_FREE_MAP_REGS, dev, h, 0, 0)
#define sc_dev_done(sc, dev, h)          sc_simple(sc, COH_EV_DEV_DONE, dev, h, 0, 0)

static inline uint64_t sc_common(struct scen *sc, unsigned dev, uint64_t phys, uint64_t len,
				 int cache_enabled)
{
	struct coh_event ev = sc_ev(COH_EV_ALLOC_COMMON);

	ev.dev = (uint16_t)dev;
	ev.addr = phys;
	ev.bus = phys;
	ev.len = len;
	ev.flags = cache_enabled ? COH_F_CACHE_ENABLED : 0;
	return sc_apply(sc, &ev);
}

static inline uint64_t sc_ke_flush(struct scen *sc, unsigned dev, uint64_t phys, uint64_t len,
				   int read_op)
{
	struct coh_seg mdl = { phys, COH_ADDR_NONE, len };
	struct coh_event ev = sc_ev(COH_EV_KE_FLUSH);

	ev.dev = (uint16_t)dev;
	ev.segs = &mdl;
	ev.nsegs = 1;
	ev.flags = COH_F_DMA_OP | (read_op ? COH_F_READ_OP : 0);
	return sc_apply(sc, &ev);
}

/* Linux scatter-gather calls: map_sg/unmap_sg/sync_sg_* over @segs. */
static inline uint64_t sc_sg(struct scen *sc, unsigned kind, unsigned dev,
			     const struct coh_seg *segs, unsigned nsegs, unsigned nents,
			     unsigned dir, unsigned flags)
{
	struct coh_event ev = sc_ev(kind);

	ev.dev = (uint16_t)dev;
	ev.segs = segs;
	ev.nsegs = nsegs;
	ev.nents = nents;
	ev.dir = (uint8_t)dir;
	ev.flags = flags;
	return sc_apply(sc, &ev);
}

/* A scope marker (COH_EV_SCOPE_BEGIN/END) of @scope named @name. */
static inline uint64_t sc_scope(struct scen *sc, unsigned kind, unsigned scope, const char *name)
{
	struct coh_event ev = sc_ev(kind);

	ev.scope = (uint8_t)scope;
	ev.text = name;
	return sc_apply(sc, &ev);
}

#define sc_begin(sc, scope, name)  sc_scope(sc, COH_EV_SCOPE_BEGIN, scope, name)
#define sc_end(sc, scope, name)    sc_scope(sc, COH_EV_SCOPE_END, scope, name)
#define sc_trace_end(sc)           sc_scope(sc, COH_EV_TRACE_END, 0, NULL)

/* ---- queries ---------------------------------------------------------------- */

/* Version a read by @cpu of byte @a would return now. */
static inline uint32_t sc_cpu_ver(const struct scen *sc, unsigned cpu, uint64_t a)
{
	uint32_t v;

	assert_int_equal(coh_sim_cpu_view(sc->s, cpu, a, 1, NULL, &v), 0);
	return v;
}

/* Is the line holding @a in @cpu's cache?  @out/@vers (may be NULL) get it. */
static inline int sc_line(const struct scen *sc, unsigned cpu, uint64_t a,
			  struct coh_line_view *out, uint32_t *vers)
{
	struct coh_line_view lv;
	unsigned set, way;
	int r = coh_sim_cache_lookup(sc->s, cpu, a, &set, &way);

	assert_true(r == 0 || r == 1);
	if (r == 1)
		assert_int_equal(coh_sim_cache_line(sc->s, cpu, set, way, out ? out : &lv, NULL,
						    vers, NULL), 0);
	return r;
}

/* A finding's identity: id, rule, event (seq, src, ts), device, range. */
#define sc_check(f, id_, rule_, seq_, dev_, addr_, len_)                        \
	do {                                                                    \
		const struct coh_finding *f_ = (f);                             \
		assert_int_equal(f_->id, (id_));                                \
		assert_int_equal(f_->rule, (rule_));                            \
		assert_int_equal(f_->seq, (seq_));                              \
		assert_int_equal(f_->src, (seq_));                              \
		assert_int_equal(f_->ts, sc_ts(seq_));                          \
		assert_int_equal(f_->dev, (int32_t)(dev_));                     \
		assert_int_equal(f_->addr, (addr_));                            \
		assert_int_equal(f_->len, (len_));                              \
	} while (0)

/* Uniform evidence: @n bytes from @a, each seen at version @sv with value
 * @sb where version @xv with value @xb was expected. */
#define sc_check_ev(f, n, a, sv, sb, xv, xb)                                    \
	do {                                                                    \
		const struct coh_finding *f_ = (f);                             \
		assert_int_equal(f_->nbytes, (n));                              \
		assert_int_equal(f_->ev_addr, (a));                             \
		for (unsigned i_ = 0; i_ < f_->nbytes; i_++) {                  \
			assert_int_equal(f_->seen_ver[i_], (sv));               \
			assert_int_equal(f_->exp_ver[i_], (xv));                \
			assert_int_equal(f_->seen[i_], (sb));                   \
			assert_int_equal(f_->expected[i_], (xb));               \
		}                                                               \
	} while (0)


/* Findings with @id (roots and consequences); @roots: roots only. */
static inline size_t sc_count(const struct scen *sc, unsigned id, int roots)
{
	size_t n = 0;

	for (size_t i = 0; i < coh_sim_nfindings(sc->s); i++) {
		const struct coh_finding *f = coh_sim_finding(sc->s, i);

		if (f->id == id && (!roots || f->parent < 0))
			n++;
	}
	return n;
}

/* Number of findings DC001-DC012 (errors). */
static inline size_t sc_errors(const struct scen *sc)
{
	size_t n = 0;

	for (size_t i = 0; i < coh_sim_nfindings(sc->s); i++)
		n += coh_fid_is_error(coh_sim_finding(sc->s, i)->id) ? 1 : 0;
	return n;
}

/* The k-th finding with @id, or fail. */
static inline const struct coh_finding *sc_find(const struct scen *sc, unsigned id, size_t k)
{
	for (size_t i = 0; i < coh_sim_nfindings(sc->s); i++) {
		const struct coh_finding *f = coh_sim_finding(sc->s, i);

		if (f->id == id && !k--)
			return f;
	}
	fail_msg("no finding %s", coh_fid_code(id));
	return NULL;
}

/* Index of a finding pointer, for parent checks. */
static inline int64_t sc_index(const struct scen *sc, const struct coh_finding *f)
{
	return (int64_t)(f - coh_sim_finding(sc->s, 0));
}

/* Version of memory byte @a. */
static inline uint32_t sc_mem_ver(const struct scen *sc, uint64_t a)
{
	uint32_t v;

	assert_int_equal(coh_sim_mem_read(sc->s, a, 1, NULL, &v), 0);
	return v;
}

/* Print the findings (for a failing test's log). */
static inline void sc_dump(const struct scen *sc)
{
	char buf[1024];

	for (size_t i = 0; i < coh_sim_nfindings(sc->s); i++) {
		const struct coh_finding *f = coh_sim_finding(sc->s, i);

		coh_finding_explain(f, &sc->p, buf, sizeof(buf));
		print_message("  [%zu] %s parent=%lld seq=%llu: %s\n", i, coh_fid_code(f->id),
			      (long long)f->parent, (unsigned long long)f->seq, buf);
	}
}

#endif
