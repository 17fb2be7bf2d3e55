/* SPDX-License-Identifier: MIT */
/*
 * coh_sim.h - one simulation: caches, memory, mappings, controllers, findings.
 *
 * Deterministic: the state after n events is a pure function of the
 * platform, the flags and those n events (no clock, no randomness, no I/O).
 * coh_sim_clone() is cheap (memory pages are shared copy-on-write), so
 * callers snapshot and run what-ifs on clones.  Views are read-only.
 *
 * Implemented in sim.c (create, clone, apply, hash), sim_views.c (the views)
 * and sim_fast.c (the short path of small CPU accesses); engine/README.md
 * maps the files below them.
 */
#ifndef COH_SIM_H
#define COH_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "coh_err.h"
#include "coh_event.h"
#include "coh_finding.h"
#include "coh_platform.h"

struct coh_sim;

#define COH_SIM_STRICT   (1u << 0)   /* add the --strict findings */
#define COH_SIM_NO_FAST  (1u << 1)   /* never take the fast path for small CPU
				      * accesses (fast.c): same results, slower;
				      * tests compare the two */

/**
 * coh_sim_new - a simulation of a platform, at event 0
 * @p:     the platform (copied; validated with coh_platform_check())
 * @flags: COH_SIM_*
 * @err:   if not NULL, receives 0 or -COH_E_* (PLATFORM, NOMEM, INVAL)
 *
 * Return: caller frees with coh_sim_free(), or NULL on error.
 */
struct coh_sim *coh_sim_new(const struct coh_platform *p, unsigned flags, int *err);

/**
 * coh_sim_free - free a simulation (NULL is fine)
 */
void coh_sim_free(struct coh_sim *s);

/**
 * coh_sim_clone - an independent copy sharing unchanged pages
 *
 * Return: caller frees with coh_sim_free(), or NULL when out of memory.
 */
struct coh_sim *coh_sim_clone(const struct coh_sim *s);

/**
 * coh_sim_apply - apply the next event
 * @s:  the simulation
 * @ev: the event (copied; its borrowed pointers are not kept)
 *
 * An invalid event (see coh_event_check()) changes nothing and returns an
 * error; coh_sim_errmsg() then says why.  API misuse is not an error: it is
 * a finding.  A hostile trace may also hit the simulation's bounds (by
 * default 16 GiB of memory touched, 1 GiB covered by live mappings; see
 * coh_sim_set_limits()): -COH_E_TOOBIG, after which the simulation should
 * be discarded, as after -COH_E_NOMEM.
 *
 * Return: 0 or a negative COH_E_* code.
 */
int coh_sim_apply(struct coh_sim *s, const struct coh_event *ev);

/**
 * coh_sim_errmsg - the message of the last failed call on @s
 *
 * Return: borrowed until the next call on @s; "" when none.
 */
const char *coh_sim_errmsg(const struct coh_sim *s);

/**
 * coh_sim_pos - number of events applied so far
 */
uint64_t coh_sim_pos(const struct coh_sim *s);

/**
 * coh_sim_hash - a 64-bit digest of the whole state (caches, memory with
 * versions, mappings, controllers, findings); equal states hash equal.
 */
uint64_t coh_sim_hash(const struct coh_sim *s);

/**
 * coh_sim_state_hash - a 64-bit digest of the machine alone: caches, memory
 * with versions, mappings, controllers, scopes and notes, but neither the
 * findings nor the event and access counters.  Two runs of the same events
 * whose states hash equal at the same position go on identically (the
 * what-if runs, coh_whatif.h, use it to see where an edited run diverges
 * from the recorded one and where it joins it again).
 */
uint64_t coh_sim_state_hash(const struct coh_sim *s);

/**
 * coh_sim_state_equal - 1 when coh_sim_state_hash() of @a and @b would be
 * equal, decided without hashing the memory the two share (a clone and
 * what it was cloned from share every page neither wrote since): its cost
 * is that of what differs, not of the whole state
 */
int coh_sim_state_equal(const struct coh_sim *a, const struct coh_sim *b);

/**
 * coh_sim_platform - the platform it simulates
 *
 * Return: borrowed until coh_sim_free().
 */
const struct coh_platform *coh_sim_platform(const struct coh_sim *s);

/**
 * coh_sim_flags - the COH_SIM_* flags it was created with
 */
unsigned coh_sim_flags(const struct coh_sim *s);

/**
 * coh_sim_last_result - what the last Windows call returned: 1/0 for a
 * BOOLEAN, an NTSTATUS for FlushAdapterBuffersEx, 0 otherwise.
 */
int64_t coh_sim_last_result(const struct coh_sim *s);

/**
 * coh_sim_mem_bytes - bytes the state takes, counting pages it shares
 * with clones in full
 */
size_t coh_sim_mem_bytes(const struct coh_sim *s);

/* ---- findings ------------------------------------------------------------ */

/**
 * coh_sim_nfindings - findings so far, roots and consequences together
 */
size_t coh_sim_nfindings(const struct coh_sim *s);

/**
 * coh_sim_finding - the i-th finding, in the order they fired
 *
 * Return: borrowed until the next coh_sim_apply() or coh_sim_free() on @s;
 * NULL when i is out of range.
 */
const struct coh_finding *coh_sim_finding(const struct coh_sim *s, size_t i);

/**
 * coh_sim_stale_reads - how many read events so far returned stale bytes
 * (DC001 or DC002, as roots or as consequences)
 */
uint64_t coh_sim_stale_reads(const struct coh_sim *s);

/**
 * struct coh_hooks - called from inside coh_sim_apply()
 * @ctx:     passed to both
 * @finding: a finding was added at index @idx (roots and consequences),
 *           while its event is being applied
 * @event:   an event was applied without error: @ev is the caller's event
 *           (ev->src is the file's event index), coh_sim_pos(@s) - 1 its
 *           engine index; fired after the event's findings
 * @flags:   COH_HOOKS_*
 *
 * Hooks must not call back into the simulation that calls them (reading
 * it through the const pointer they get is fine).
 */
struct coh_hooks {
	void *ctx;
	void (*finding)(void *ctx, const struct coh_sim *s, size_t idx);
	void (*event)(void *ctx, const struct coh_sim *s, const struct coh_event *ev);
	unsigned flags;
};

#define COH_HOOKS_INHERIT (1u << 0)  /* clones of the simulation keep these hooks */

/**
 * coh_sim_set_hooks - install hooks (copied); NULL removes them.  Clones
 * keep them only with COH_HOOKS_INHERIT (a what-if run usually wants them,
 * a snapshot does not); see coh_timeline_set_hooks() for timelines.
 */
void coh_sim_set_hooks(struct coh_sim *s, const struct coh_hooks *h);

/**
 * coh_sim_get_hooks - the hooks installed (all zero when none)
 */
void coh_sim_get_hooks(const struct coh_sim *s, struct coh_hooks *out);

/* ---- limits -------------------------------------------------------------- */

/**
 * struct coh_sim_limits - the bounds of one simulation
 * @mem_bytes:    simulated memory it may touch, counted in 4 KiB pages
 *                (default and maximum 16 GiB)
 * @mapped_bytes: bytes live mappings may cover at once (default and
 *                maximum 1 GiB)
 * @event_bytes:  bytes one event may cover (its len plus its segments);
 *                0, the default, leaves only coh_event_check()'s bounds
 *
 * An event that would cross a bound fails with -COH_E_TOOBIG and a message
 * naming the bound (coh_sim_errmsg()); the simulation should then be
 * discarded.  Clones, timeline snapshots and forks keep the bounds.
 */
struct coh_sim_limits {
	uint64_t mem_bytes;
	uint64_t mapped_bytes;
	uint64_t event_bytes;
};

/**
 * coh_sim_default_limits - the bounds a new simulation has
 */
void coh_sim_default_limits(struct coh_sim_limits *out);

/**
 * coh_sim_set_limits - set the bounds of @s (normally right after
 * coh_sim_new()); a field of 0 means its default
 *
 * Bounds below what @s already uses take effect at the next allocation.
 *
 * Return: 0, or -COH_E_INVAL when a bound exceeds its maximum.
 */
int coh_sim_set_limits(struct coh_sim *s, const struct coh_sim_limits *l);

/**
 * coh_sim_get_limits - the bounds of @s
 */
void coh_sim_get_limits(const struct coh_sim *s, struct coh_sim_limits *out);

/* ---- views for the UI ---------------------------------------------------- */

enum coh_line_state { COH_LINE_INVALID = 0, COH_LINE_CLEAN = 1, COH_LINE_DIRTY = 2 };

struct coh_line_view {
	uint32_t set;                /* set index */
	uint32_t way;                /* way index */
	uint8_t state;               /* enum coh_line_state */
	uint8_t speculative;         /* 1: filled by speculation, not yet touched */
	uint32_t age;                /* LRU rank in its set, 0 = most recent */
	uint64_t addr;               /* physical address of byte 0 */
};

/**
 * coh_sim_cache_line - one line of a CPU's cache
 * @s, @cpu, @set, @way: which line
 * @out:   its description
 * @bytes: if not NULL, receives L bytes
 * @vers:  if not NULL, receives L versions
 * @diff:  if not NULL, receives L flags: 1 where the byte differs (by
 *         version) from memory
 *
 * Return: 0, or -COH_E_CPU / -COH_E_INVAL for a bad index.
 */
int coh_sim_cache_line(const struct coh_sim *s, unsigned cpu, unsigned set, unsigned way,
		       struct coh_line_view *out, uint8_t *bytes, uint32_t *vers, uint8_t *diff);

/**
 * coh_sim_cache_lookup - where a CPU caches the line holding @addr
 *
 * Return: 1 with *set and *way filled in when cached, 0 when not, or a
 * negative COH_E_*.
 */
int coh_sim_cache_lookup(const struct coh_sim *s, unsigned cpu, uint64_t addr,
			 unsigned *set, unsigned *way);

/**
 * coh_sim_mem_read - bytes and versions in memory (not what a CPU sees)
 * @bytes, @vers: each may be NULL; otherwise room for @n entries
 *
 * Return: 0 or -COH_E_RANGE.
 */
int coh_sim_mem_read(const struct coh_sim *s, uint64_t addr, size_t n,
		     uint8_t *bytes, uint32_t *vers);

/**
 * coh_sim_cpu_view - what a read by @cpu would return now, without side
 * effects (from its cache, another CPU's dirty line, or memory)
 *
 * Return: 0 or -COH_E_RANGE / -COH_E_CPU.
 */
int coh_sim_cpu_view(const struct coh_sim *s, unsigned cpu, uint64_t addr, size_t n,
		     uint8_t *bytes, uint32_t *vers);

/**
 * coh_sim_expected - per byte, the version a CPU read should return
 * (@cpu_ver) and the newest CPU write (@coh_cpu_write); either may be NULL
 *
 * Return: 0 or -COH_E_RANGE.
 */
int coh_sim_expected(const struct coh_sim *s, uint64_t addr, size_t n,
		     uint32_t *cpu_ver, uint32_t *coh_cpu_write);

/**
 * coh_sim_byte_value - the value version @ver left at physical @addr
 * (explicit data of the write, or coh_synth_byte())
 */
uint8_t coh_sim_byte_value(const struct coh_sim *s, uint32_t ver, uint64_t addr);

/* A byte held outside memory: in a controller, posted-write buffer or slot. */
struct coh_held_byte {
	uint64_t addr;               /* physical address it is destined for / mirrors */
	uint32_t ver;                /* its version */
	uint8_t value;               /* its value */
};

/**
 * coh_sim_ctrl_view - the system DMA controller buffer of a device
 * @out: room for @max bytes, oldest first
 * @dir: if not NULL, receives COH_DIR_FROM_DEVICE (buffered writes) or
 *       COH_DIR_TO_DEVICE (prefetched reads) or COH_DIR_NONE (empty)
 *
 * Return: bytes held (may exceed @max), or -COH_E_DEV.
 */
long coh_sim_ctrl_view(const struct coh_sim *s, unsigned dev, struct coh_held_byte *out,
		       size_t max, int *dir);

/**
 * coh_sim_posted_view - a device's posted writes not yet in memory, oldest first
 *
 * Return: bytes pending (may exceed @max), or -COH_E_DEV.
 */
long coh_sim_posted_view(const struct coh_sim *s, unsigned dev, struct coh_held_byte *out,
			 size_t max);

enum coh_map_kind {
	COH_MAP_STREAM,              /* dma_map_single/page/phys */
	COH_MAP_SG,                  /* dma_map_sg */
	COH_MAP_COHERENT,            /* dma_alloc_coherent */
	COH_MAP_PAGES,               /* dma_alloc_pages / _noncoherent */
	COH_MAP_RESOURCE,            /* dma_map_resource */
	COH_MAP_COMMON,              /* AllocateCommonBuffer */
	COH_MAP_TRANSFER,            /* MapTransfer(Ex) */
	COH_MAP_WIN_SG               /* GetScatterGatherList */
};

enum coh_owner { COH_OWNER_CPU = 0, COH_OWNER_DEVICE = 1, COH_OWNER_MIXED = 2 };

struct coh_map_view {
	uint32_t kind;               /* enum coh_map_kind */
	uint32_t dev;                /* device index */
	uint8_t dir;                 /* enum coh_dir */
	uint8_t owner;               /* enum coh_owner over all its bytes */
	uint8_t bounced;             /* 1: has bounce slots */
	uint8_t cached;              /* 1: the CPU reaches it through its cache */
	uint32_t nsegs;              /* segments (1 unless sg or an MDL chain) */
	uint64_t addr;               /* physical address of segment 0 */
	uint64_t bus;                /* device-side address of segment 0 */
	uint64_t len;                /* total bytes */
	uint64_t handle;             /* Windows map-register base / list, else COH_ADDR_NONE */
	uint64_t irp;                /* Windows IRP, else 0 */
	uint64_t made_seq;           /* engine index of the call that made it */
};

/**
 * coh_sim_nmappings - live mappings, allocations and transfers
 */
size_t coh_sim_nmappings(const struct coh_sim *s);

/**
 * coh_sim_mapping - the i-th live mapping (ordered by creation)
 * @segs: if not NULL, receives up to @maxsegs segments
 *
 * Return: 0, or -COH_E_INVAL when i is out of range.
 */
int coh_sim_mapping(const struct coh_sim *s, size_t i, struct coh_map_view *out,
		    struct coh_seg *segs, size_t maxsegs);

/**
 * coh_sim_mapping_owner - per byte owner (enum coh_owner, CPU or DEVICE) of
 * bytes [off, off + n) of the i-th live mapping, counted across its segments
 *
 * Return: 0, or -COH_E_INVAL / -COH_E_RANGE.
 */
int coh_sim_mapping_owner(const struct coh_sim *s, size_t i, uint64_t off, size_t n,
			  uint8_t *owner);

#endif
