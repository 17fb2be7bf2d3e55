/* SPDX-License-Identifier: MIT */
/*
 * coh_whatif.h - what-if runs: "what if this flush were not there, or were
 * there, or this ran on another machine?"
 *
 * An edit list over a recorded run (a timeline, coh_timeline.h): delete an
 * event, insert one before another, move one, replace one (a re-sized
 * call), run on another platform.  The edited run is a new event source
 * derived from the recorded one, never a change to it, and a timeline of
 * its own that starts from the recorded run's last snapshot before the
 * first edit, so an edit near the end of a long run costs little.
 *
 * Positions are engine indices of the recorded run (the recorded source's
 * event numbers, 0..N-1) unless a name says "edited".  A deleted event
 * stays in the edited run as a mark ("what-if: left out ..."), so the two
 * runs keep the same positions up to the first insertion and their states
 * can be compared event by event.  Findings of two runs are matched by the
 * file's event index (ev.src), so edits do not shift them.
 *
 * Also here: the diff of two runs, the omission matrix (each maintenance
 * call removed in turn), the call a finding lacks ("insert the right call
 * here") and the minimal fix.  No I/O, no UI: the screen, the command line
 * and the lessons all use this header.
 *
 * Implemented in whatif.c and whatif_plan.c (the edit list, the edited
 * source and timeline), whatif_run.c and whatif_bytes.c (the diff),
 * run_platforms.c (the platform matrix's replays), whatif_omit.c and
 * whatif_omit_rec.c (the omission matrix), whatif_propose.c with the
 * propose_*.c files, and whatif_fix.c (the proposals, the minimal fix).
 */
#ifndef COH_WHATIF_H
#define COH_WHATIF_H

#include <stddef.h>
#include <stdint.h>

#include "coh_event.h"
#include "coh_finding.h"
#include "coh_log.h"
#include "coh_platform.h"
#include "coh_sim.h"
#include "coh_timeline.h"

/* ---- the edit list ------------------------------------------------------- */

enum coh_edit_op {
	COH_EDIT_NONE = 0,
	COH_EDIT_DELETE,             /* recorded event @at is left out */
	COH_EDIT_INSERT,             /* @ev is applied just before recorded event @at
				      * (@at = the recorded count: at the end) */
	COH_EDIT_MOVE,               /* recorded event @at is applied just before
				      * recorded event @to instead (@to = count: at the end) */
	COH_EDIT_REPLACE,            /* recorded event @at is replaced by @ev (a re-sized
				      * or re-directed call) */
	COH_EDIT_PLATFORM            /* the whole run on @plat */
};

struct coh_edit {
	uint16_t op;                 /* enum coh_edit_op */
	uint64_t at;                 /* recorded engine index */
	uint64_t to;                 /* COH_EDIT_MOVE */
	struct coh_event ev;         /* INSERT, REPLACE: its segs/data/text are copied
				      * by coh_whatif_add(); ev.src is set to
				      * COH_SRC_NONE for an insert, kept for a replace */
	const struct coh_platform *plat;  /* PLATFORM: copied by coh_whatif_add() */
};

struct coh_whatif;

/**
 * coh_whatif_new - an empty edit list over a recorded run
 * @rec: the recorded run; borrowed, must outlive the what-if, and is never
 *       changed (its snapshots are shared, not moved; its current position
 *       is not touched)
 * @err: if not NULL, receives 0 or -COH_E_*
 *
 * Return: caller frees with coh_whatif_free(), or NULL on error.
 */
struct coh_whatif *coh_whatif_new(const struct coh_timeline *rec, int *err);

/**
 * coh_whatif_free - free a what-if and its edited timeline (NULL is fine)
 */
void coh_whatif_free(struct coh_whatif *w);

/**
 * coh_whatif_add - append an edit (undoing is coh_whatif_undo())
 *
 * Edits apply in the order added; several inserts before one event keep that
 * order.  A later PLATFORM edit replaces an earlier one.  Drops the redo list.
 *
 * Return: 0; -COH_E_INVAL for an index past the end, an event already
 * deleted or moved, a MOVE onto itself, or an event coh_event_check()
 * rejects on the run's platform (the message: coh_whatif_errmsg());
 * -COH_E_NOMEM.
 */
int coh_whatif_add(struct coh_whatif *w, const struct coh_edit *e);

/**
 * coh_whatif_undo - take back the last edit; coh_whatif_redo() puts it back
 *
 * Return: 1 done, 0 nothing to undo / redo.
 */
int coh_whatif_undo(struct coh_whatif *w);
int coh_whatif_redo(struct coh_whatif *w);

/**
 * coh_whatif_clear - drop every edit (and the redo list)
 */
void coh_whatif_clear(struct coh_whatif *w);

/**
 * coh_whatif_nedits - edits in force; coh_whatif_edit() the i-th, in order
 * (its pointers are borrowed until the list changes)
 *
 * Return (coh_whatif_edit): 0, or -COH_E_INVAL when @i is out of range.
 */
size_t coh_whatif_nedits(const struct coh_whatif *w);
int coh_whatif_edit(const struct coh_whatif *w, size_t i, struct coh_edit *out);

/**
 * coh_whatif_errmsg - why the last call failed ("" when it did not)
 */
const char *coh_whatif_errmsg(const struct coh_whatif *w);

/* ---- the edited run ------------------------------------------------------ */

/**
 * coh_whatif_platform - the platform of the edited run (the recorded one's
 * unless a PLATFORM edit is in force); borrowed until the list changes
 */
const struct coh_platform *coh_whatif_platform(const struct coh_whatif *w);

/**
 * coh_whatif_source - the edited run's events, as a source
 *
 * Recorded events keep their ts and src; a deleted event is a mark whose
 * text says what was left out (same ts and src); inserted events have
 * src = COH_SRC_NONE and the ts of the event they precede.  The source
 * reads the recorded one lazily and is valid until the list changes or
 * the what-if is freed; like the recorded source it is not for several
 * threads at once.
 */
struct coh_source coh_whatif_source(struct coh_whatif *w);

/**
 * coh_whatif_same_until - how many leading events the edited run shares
 * with the recorded one (the first edit's position; 0 with a PLATFORM
 * edit; the recorded count with no edit)
 */
uint64_t coh_whatif_same_until(const struct coh_whatif *w);

/**
 * coh_whatif_to_edited - the edited position of recorded event @rec (where
 * it, or the mark standing for it, now is)
 */
uint64_t coh_whatif_to_edited(const struct coh_whatif *w, uint64_t rec);

/**
 * coh_whatif_to_recorded - the recorded position of edited event @ed
 * @inserted: if not NULL, set to 1 when @ed was inserted (the return is then
 *            the recorded event it precedes), else 0
 */
uint64_t coh_whatif_to_recorded(const struct coh_whatif *w, uint64_t ed, int *inserted);

/**
 * coh_whatif_timeline - the edited run as a timeline (created, or rebuilt
 * after the list changed, on first use)
 *
 * Its first coh_whatif_same_until() events are the recorded run's, and it
 * starts from clones of the recorded timeline's snapshots up to there, so
 * nothing before the first edit is re-executed.  It is positioned at the
 * last shared snapshot when made.
 *
 * Return: borrowed until the list changes or the what-if is freed; NULL on
 * error (*err: -COH_E_*; coh_whatif_errmsg() says why).
 */
struct coh_timeline *coh_whatif_timeline(struct coh_whatif *w, int *err);

/* ---- the diff of two runs ------------------------------------------------ */

enum coh_diff_where {
	COH_DIFF_MEM,                /* memory */
	COH_DIFF_CACHE,              /* a CPU's cache (@unit: the CPU) */
	COH_DIFF_BOUNCE,             /* a bounce slot / map buffer (@unit: the device) */
	COH_DIFF_CTRL,               /* a system DMA controller's buffer (@unit: device) */
	COH_DIFF_POSTED              /* a posted-write buffer (@unit: device) */
};

/*
 * A run of bytes that differ between two states.  A byte is the same in
 * both when it was written by the same recorded event (versions are
 * translated through the edit list, so an insert shifting positions does
 * not make every later byte differ); a byte present in one state only
 * (a line cached in one run, not the other) differs too.
 */
struct coh_byte_diff {
	uint8_t where;               /* enum coh_diff_where */
	uint16_t unit;               /* CPU or device index, 0 for memory */
	uint8_t in_a, in_b;          /* 1: the bytes exist there (cached, held) */
	uint64_t addr;               /* physical address of the first byte */
	uint64_t len;                /* consecutive differing bytes */
	uint8_t a[COH_EVIDENCE], b[COH_EVIDENCE];          /* the first bytes */
	uint32_t a_ver[COH_EVIDENCE], b_ver[COH_EVIDENCE];  /* their versions */
};

struct coh_run_diff {
	uint64_t diverge;            /* first edited position after which the states
				      * differ (coh_sim_state_hash() at matching
				      * positions); COH_SEQ_NONE: never */
	uint64_t rejoin;             /* first edited position after @diverge where they
				      * are equal again; COH_SEQ_NONE: never */
	size_t nadded, nremoved;
	struct coh_finding *added;   /* in the edited run only, in order (its seq is
				      * an edited position) */
	struct coh_finding *removed; /* in the recorded run only (recorded positions) */
};

/**
 * coh_whatif_diff - replay the edited run to the end and compare it with
 * the recorded one (replayed to the end too: coh_timeline_state_at())
 * @out: filled in; free with coh_run_diff_free()
 *
 * Return: 0 or -COH_E_* (an event of either run failed: coh_whatif_errmsg()).
 */
int coh_whatif_diff(struct coh_whatif *w, struct coh_run_diff *out);
void coh_run_diff_free(struct coh_run_diff *d);

/**
 * coh_whatif_diff_start - coh_whatif_diff() a part at a time, for a front
 * end that keeps its keys working meanwhile: coh_whatif_diff_step() goes on,
 * coh_whatif_diff_end() frees the job (done or not).  @w must not be edited
 * while the job lives.
 *
 * Return: the job, or NULL with *err (-COH_E_*: coh_whatif_errmsg()).
 */
struct coh_diff_job *coh_whatif_diff_start(struct coh_whatif *w, int *err);

/**
 * coh_whatif_diff_step - go on for about @events edited events more
 * @out: filled in when the diff is done (free with coh_run_diff_free())
 *
 * Return: 1 done, 0 not yet, or -COH_E_* (coh_whatif_errmsg()).
 */
int coh_whatif_diff_step(struct coh_diff_job *j, uint64_t events, struct coh_run_diff *out);

/* How far: edited events done, and in all. */
void coh_whatif_diff_progress(const struct coh_diff_job *j, uint64_t *done, uint64_t *total);
void coh_whatif_diff_end(struct coh_diff_job *j);

/**
 * coh_whatif_bytes - the bytes that differ between the recorded run after
 * recorded position @rec_pos and the edited run after coh_whatif_to_edited()
 * of it, in memory, caches, bounce slots, controllers and posted buffers
 * @out: room for @max runs
 *
 * Return: runs found (may exceed @max; only @max are written), or -COH_E_*.
 */
long coh_whatif_bytes(struct coh_whatif *w, uint64_t rec_pos, struct coh_byte_diff *out,
		      size_t max);

/* ---- the platform matrix ------------------------------------------------- */

struct coh_plat_run {
	const struct coh_platform *plat;  /* in: the platform */
	struct coh_sim *sim;         /* out: the state at the end, or NULL when the run
				      * failed; runs that replay alike share one (free
				      * them with coh_plat_runs_free()) */
	unsigned same_as;            /* out: the run replayed for this one (its own
				      * index when it was replayed itself) */
	int wider;                   /* out: -1, or the run whose replay at a wider
				      * DMA granule this one's results were derived
				      * from (its own simulation, not shared) */
	int err;                     /* out: 0 or the -COH_E_* of the failure */
	char errmsg[256];            /* out: why it failed, naming the event */
};

/**
 * coh_run_platforms - replay the same events on several platforms at once,
 * one worker thread per source
 * @srcs:  one source per worker, all giving the same events (the caller
 *         opens the trace once per worker); coh_source_groups() of the
 *         first says which event groups they hold
 * @runs:  one per platform; each is replayed by one worker on a fresh
 *         simulation made with @sim_flags and @limits (NULL: defaults)
 *
 * Platforms that would replay these events alike are replayed once: two
 * runs share a replay when their platforms are equal but for the fields no
 * event of the source can consult (the name always; the Windows transfer
 * fields when the source holds no Windows call: run_platforms.c says why
 * each cannot be read).  On a source with no Windows call, a platform
 * whose DMA granule is its cache line and that equals another but for a
 * wider granule gets a simulation derived from that one's replay (its
 * dma-alignment information findings dropped: granule.c says why nothing
 * else differs), or is replayed itself when that replay failed.  Every run
 * gets its simulation, error and message (errmsg names the run's own
 * platform), exactly as if it had been replayed alone.
 *
 * Return: 0 when every run was attempted (see each run's err), or -COH_E_*.
 */
int coh_run_platforms(const struct coh_source *srcs, unsigned nsrcs,
		      struct coh_plat_run *runs, unsigned nruns, unsigned sim_flags,
		      const struct coh_sim_limits *limits);

/**
 * coh_plat_same - whether platforms @a and @b replay a source that holds
 * the event groups @groups (coh_source_groups()) alike: equal in every
 * field such a replay can read
 *
 * Return: 1 or 0 (0 too when either fails coh_platform_check()).
 */
int coh_plat_same(const struct coh_platform *a, const struct coh_platform *b,
		  uint32_t groups);

/**
 * coh_plat_runs_free - free the simulations of @runs after
 * coh_run_platforms(), each shared one once, and set every run's sim to NULL
 */
void coh_plat_runs_free(struct coh_plat_run *runs, unsigned nruns);

/* ---- the omission matrix ------------------------------------------------- */

/**
 * coh_kind_is_maintenance - the calls the omission matrix removes one at a
 * time: KeFlushIoBuffers, FlushAdapterBuffers(Ex), MapTransfer(Ex),
 * dma_map/unmap(_sg), dma_sync_*
 */
int coh_kind_is_maintenance(unsigned kind);

struct coh_omit_row {
	uint64_t at;                 /* recorded engine index of the call */
	uint64_t src;                /* its index in the file */
	uint16_t kind;               /* enum coh_kind */
	uint8_t broke;               /* 1: a DC001-DC012 finding appears without it */
	uint8_t changed;             /* 1: the state or the findings differ at all */
	uint32_t added[COH_FID_COUNT];    /* findings that appear, per id */
	uint32_t removed[COH_FID_COUNT];  /* findings that go away, per id */
	uint64_t wrong_bytes;        /* bytes read wrong (added DC001/DC002, summed) */
	uint8_t has_first_wrong;     /* 1: first_wrong holds the first added stale read */
	struct coh_finding first_wrong;   /* with its evidence; seq is an edited position */
	uint64_t needed_on;          /* bit i: on coh_platform_preset_at(i) its removal
				      * breaks the run (coh_omit_opts.other_presets) */
};

struct coh_omit_opts {
	/* One source per worker thread, all giving the same events as @rec's
	 * (the caller opens the trace once per worker); NULL: one worker on
	 * @rec's own source */
	const struct coh_source *srcs;
	unsigned nsrcs;
	/* also replay the rows that change nothing on @rec's platform on the
	 * other presets of the trace's API, filling needed_on */
	int other_presets;
	/* after each row, from any worker thread (serialized) */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *ctx;
};

/**
 * coh_whatif_omit_each - the omission matrix: replay @rec once per
 * maintenance call with that call removed, each run starting from the
 * recorded snapshot before the call and stopping as soon as its state
 * rejoins the recorded run's (the rest of the run is then the recorded one)
 * @rows: receives the rows, in event order (caller frees with free())
 *
 * Return: 0 or -COH_E_*.
 */
int coh_whatif_omit_each(const struct coh_timeline *rec, const struct coh_omit_opts *o,
			 struct coh_omit_row **rows, size_t *nrows);

/* ---- "insert the right call here" and the minimal fix --------------------- */

#define COH_PROPOSAL_SEGS 16

struct coh_proposal {
	struct coh_edit edit;        /* COH_EDIT_INSERT, MOVE or REPLACE; COH_EDIT_NONE
				      * when no call cures it (then @why says what the
				      * driver must change) */
	struct coh_seg segs[COH_PROPOSAL_SEGS];   /* edit.ev.segs points here */
	uint64_t finding_seq;        /* the finding it answers (recorded position) */
	char why[256];               /* one sentence: what it cures, or why none can */
};

/**
 * coh_whatif_propose - the call the platform's rules require so that
 * finding @f of @rec's run does not happen: the right kind, range and
 * direction, in the API of the trace (Linux or Windows), placed at the
 * latest point where it still helps
 *
 * Return: 0 (see out->edit.op), or -COH_E_*.
 */
int coh_whatif_propose(const struct coh_timeline *rec, const struct coh_finding *f,
		       struct coh_proposal *out);

/**
 * coh_whatif_propose_at - a proposal for recorded position @pos: the call
 * the first curable finding at or after @pos needs, when it may be placed
 * at @pos (before the event at @pos)
 *
 * Return: 1 with *out filled, 0 when nothing at @pos needs a call, or -COH_E_*.
 */
int coh_whatif_propose_at(const struct coh_timeline *rec, uint64_t pos,
			  struct coh_proposal *out);

struct coh_fix_opts {
	const struct coh_platform *plats;   /* the platforms the fix must hold on;
					     * NULL: @rec's own */
	unsigned nplats;
	unsigned max_edits;          /* give up beyond this many edits (0: 64) */
	unsigned max_runs;           /* give up beyond this many replays (0: 1000) */
};

struct coh_fix {
	int complete;                /* 1: no curable DC001-DC012 left on any platform;
				      * 0: the search hit its limits (nothing guessed) */
	size_t nedits;
	struct coh_proposal *edits;  /* the patch, in event order */
	size_t nuncured;
	struct coh_proposal *uncured;   /* findings no call cures: edit.op NONE, why */
	unsigned runs;               /* replays it took */
};

/**
 * coh_whatif_fix - the smallest set of inserted, moved or re-sized
 * maintenance calls that leaves no curable DC001-DC012 finding
 * @out: free with coh_fix_free()
 *
 * Return: 0 (see out->complete) or -COH_E_*.
 */
int coh_whatif_fix(const struct coh_timeline *rec, const struct coh_fix_opts *o,
		   struct coh_fix *out);
void coh_fix_free(struct coh_fix *f);

#endif
