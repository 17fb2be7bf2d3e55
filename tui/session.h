/* SPDX-License-Identifier: MIT */
/*
 * session.h - one replay session: a trace replayed on a platform, a
 * position in it, and every way to move through it.  No curses: the screen
 * (screen.c, view_*.c) and tests drive it through this header.
 *
 * Threads: the trace is read and replayed by a background thread that owns
 * the engine; the engine stays single-threaded and deterministic because
 * every engine call (the background replay's, and the foreground's seeks
 * and views) happens under the session's lock.  The background thread
 * replays in short slices (a few ms) and takes the timeline's snapshots as
 * it goes, so seeking into what it has replayed is fast; the foreground
 * takes the lock to move or to draw.  With SESSION_SYNC everything happens
 * in the caller's thread (tests, --script).
 *
 * Positions: pos is an engine index; the state shown at pos is after
 * events [0, pos] have been applied (pos = the "current event", 0..N-1).
 * Event i's index in the file is ev.src.
 */
#ifndef SESSION_H
#define SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coh_event.h"
#include "coh_finding.h"
#include "coh_platform.h"
#include "coh_sim.h"

struct session;

#define SESSION_SYNC  (1u << 0)      /* read and replay in the caller's thread */

struct session_opts {
	const char *path;            /* the trace file ("-" for standard input) */
	const char *platform;        /* a preset, or NULL: the file's own / its API's default */
	const char *device;          /* only this device's events, or NULL */
	int infer;                   /* TRACE_INFER_* of trace.h */
	unsigned flags;              /* SESSION_* */
	unsigned sim_flags;          /* COH_SIM_* */
	/* Called, or NULL, each time the reading's fraction moves, in the
	 * reading thread, without the lock (session_progress() may be called) */
	void (*on_read)(struct session *s, void *ctx);
	void *on_read_ctx;
};

/* Open @o->path; on failure *err says why (the reader's message) and
 * nothing is started.  Return: 0, or -1. */
int session_open(const struct session_opts *o, struct session **out, char *err, size_t n);
void session_close(struct session *s);          /* stops the thread; NULL is fine */

enum session_phase { SESSION_READING, SESSION_REPLAYING, SESSION_DONE, SESSION_FAILED };

struct session_progress {
	enum session_phase phase;
	double fraction;             /* of the current phase, 0..1 */
	uint64_t events;             /* events known (0 while reading) */
	uint64_t replayed;           /* events the background replay has applied */
	char error[256];             /* SESSION_FAILED: why */
};
void session_progress(struct session *s, struct session_progress *p);

/* Every call below takes the lock itself, except the views: a pane that
 * reads the engine state calls session_lock(), session_sim(), the coh_sim_*
 * views, then session_unlock(). */
void session_lock(struct session *s);
void session_unlock(struct session *s);
const struct coh_sim *session_sim(struct session *s);   /* state at pos (lock held) */

uint64_t session_count(struct session *s);      /* events known */
uint64_t session_pos(struct session *s);
const struct coh_platform *session_platform(struct session *s);
const char *session_path(struct session *s);

/* Event @i (a copy whose pointers stay valid until the next call), and its
 * line as the trace's own tool prints it (trace-cmd report for a trace.dat,
 * the .dmt line, the ETW row), and its timestamp as trace-cmd prints it. */
int session_event(struct session *s, uint64_t i, struct coh_event *ev);
/* Event @i's number as the timeline shows it: its index in the file (what
 * trace-cmd report lists), else @i itself (an event the file did not have,
 * or not known yet). */
uint64_t session_index(struct session *s, uint64_t i);
const char *session_line(struct session *s, uint64_t i, char *buf, size_t n);
const char *session_ts(struct session *s, uint64_t i, char *buf, size_t n);

/* Findings of the replay so far (the background replay's), in order; the
 * finding's event is f->seq.  session_finding_text: message and
 * explanation as the text report words them. */
size_t session_nfindings(struct session *s);
const struct coh_finding *session_finding(struct session *s, size_t i);
char *session_finding_text(struct session *s, size_t i);   /* malloc'd */
/* Findings raised at event @i: their indices into the list (up to @max). */
size_t session_findings_at(struct session *s, uint64_t i, size_t *idx, size_t max);

/* Group rf->findings (report.h) as `dmascope check`'s text report does,
 * with the trace's events around them; fills in rf's trace parts. */
struct report_file;
struct report_ctx;
int session_report_ctx(struct session *s, struct report_file *rf, struct report_ctx *c);

/* ---- moving: each returns 0 (moved), 1 (nothing there: pos unchanged),
 * or -1 (error: session_error()).  @dir is +1 forward, -1 backward. ---- */
int session_seek(struct session *s, uint64_t pos);
int session_step(struct session *s, int dir);
int session_step_call(struct session *s, int dir);       /* next/prev API call */
int session_step_finding(struct session *s, int dir);    /* next/prev event with a finding */
int session_seek_ts(struct session *s, const char *ts);  /* "1234.567890" as printed */
const char *session_error(struct session *s);

/* Search: a POSIX extended regex over session_line() of each event. */
int session_search_set(struct session *s, const char *regex, char *err, size_t n);
int session_search(struct session *s, int dir);          /* n / N */

/* Filters: events that do not match are hidden from the timeline and
 * skipped by step (they are still replayed).  Each field: -1 / 0 = any. */
struct session_filter {
	int dev;                     /* device index, -1 any */
	int cpu;                     /* -1 any */
	int kind;                    /* COH_EV_*, -1 any */
	uint64_t lo, hi;             /* address range [lo, hi), hi = 0 any */
	int seq;                     /* marker sequence id, -1 any */
};
void session_filter_set(struct session *s, const struct session_filter *f);
void session_filter_get(struct session *s, struct session_filter *f);
bool session_visible(struct session *s, uint64_t i);
/* The filter's number (.seq) of the first marker sequence named @name, or
 * -1 when no sequence of the events known has that name. */
int session_seq_named(struct session *s, const char *name);

/* Bookmarks: named positions. */
int session_mark_set(struct session *s, char name, uint64_t pos);
int session_mark_get(struct session *s, char name, uint64_t *pos);   /* 0, or 1 unset */
size_t session_marks(struct session *s, char *names, uint64_t *pos, size_t max);

/* Breakpoints, honoured by continue in both directions. */
enum session_break_kind { BREAK_RANGE, BREAK_CALL, BREAK_FINDING };
struct session_break {
	enum session_break_kind kind;
	uint64_t lo, hi;             /* BREAK_RANGE: an event touching [lo, hi) */
	char call[48];               /* BREAK_CALL: kind name or API name */
	unsigned fid;                /* BREAK_FINDING: a finding id raised */
};
int session_break_add(struct session *s, const struct session_break *b);
void session_break_del(struct session *s, size_t i);
size_t session_nbreaks(struct session *s);
const struct session_break *session_break_at(struct session *s, size_t i);
int session_continue(struct session *s, int dir);   /* to the next/prev hit */

/* Watch: the history of one byte or a range (where each byte lived, with
 * which value and version, at each event that changed it), and who last
 * wrote it.  A range watches its first SESSION_WATCH_BYTES bytes. */
#define SESSION_WATCH_BYTES 64
struct session_watch_row {
	uint64_t event;              /* engine index where it changed */
	uint64_t addr;               /* the byte */
	char where[32];              /* "memory", "cpu0 cache", "bounce", "controller" */
	uint8_t value;
	uint32_t version;            /* engine index + 1 of the write, 0 never */
};
size_t session_watch(struct session *s, uint64_t addr, struct session_watch_row *rows,
		     size_t max);
int session_last_writer(struct session *s, uint64_t addr, uint64_t *event);   /* 0, 1 none */
size_t session_watch_range(struct session *s, uint64_t lo, uint64_t hi,
			   struct session_watch_row *rows, size_t max);
/* Of [lo, hi), the byte written last and that event: 0, or 1 none. */
int session_last_writer_range(struct session *s, uint64_t lo, uint64_t hi, uint64_t *event,
			      uint64_t *addr);

/* Replay on another preset, keeping the position. */
int session_set_platform(struct session *s, const char *preset, char *err, size_t n);

/* ---- what-if (session_whatif.c, session_omit.c): edits of the recorded
 * run, shown beside it.  Positions stay recorded ones: in the edited view
 * the state panes show the edited run after the event (or the mark left
 * for it) that pos matches (coh_whatif_to_edited()).  Edits need the
 * replay done; each returns 0 (done), 1 (nothing to do: session_error()
 * says why) or -1 (error: session_error()). ---- */
enum session_run {
	SESSION_RUN_RECORDED,        /* the recorded run (the default) */
	SESSION_RUN_EDITED,          /* the edited run */
	SESSION_RUN_DIFF             /* the edited run and its diff */
};
void session_run_set(struct session *s, enum session_run r);
enum session_run session_run(struct session *s);
int session_whatif_delete(struct session *s);          /* leave out the current event */
int session_whatif_insert(struct session *s);          /* the call needed here, before it */
int session_whatif_move(struct session *s, int dir);   /* the current event one earlier/later */
int session_whatif_undo(struct session *s);
int session_whatif_redo(struct session *s);
int session_whatif_omit(struct session *s, uint64_t at);   /* the edits: only "delete @at" */
size_t session_whatif_nedits(struct session *s);
/* The what-if (NULL before the first edit) and the diff of the two runs
 * (NULL on error: session_error()); lock held, borrowed until the next edit. */
struct coh_whatif;
struct coh_run_diff;
struct coh_whatif *session_whatif(struct session *s);
const struct coh_run_diff *session_whatif_diff(struct session *s);
/* While the diff is being made (by the background thread, a slice at a
 * time: session_whatif_diff() is NULL meanwhile): true, with the edited
 * events done and in all (lock held). */
bool session_whatif_diffing(struct session *s, uint64_t *done, uint64_t *total);
/* Changes whenever the diff being made moves on or ends (takes the lock). */
uint64_t session_whatif_diff_tick(struct session *s);
/* The bytes that differ after the current event (coh_whatif_bytes(), kept
 * until pos or the edits change; lock held).  Return: runs (*@d: the first
 * of up to 64), or -1 (session_error()). */
struct coh_byte_diff;
long session_whatif_bytes(struct session *s, const struct coh_byte_diff **d);
/* The edit file (traces/whatif_file.h, docs/whatif.md).  load: read
 * @path (NULL: FILE.whatif) once the replay has ended, at the next
 * session_whatif_poll() (and from then on save there).  save: write the
 * edits to that file, or to FILE.whatif.  Return: 0, or -1 with @err set. */
void session_whatif_load(struct session *s, const char *path);
int session_whatif_save(struct session *s, char *err, size_t n);
/* A load waiting for the replay: done now when it can be.  Return: 1
 * loaded (@msg says how many edits), -1 failed (@msg: "FILE:LINE: why";
 * the recorded run stays), 0 nothing to do (yet). */
int session_whatif_poll(struct session *s, char *msg, size_t n);

/* ---- the omission matrix (session_omit.c): the run again with each
 * maintenance call left out in turn (coh_whatif_omit_each()), on the
 * session's platform, in a thread of its own that never holds the
 * session's lock (with SESSION_SYNC at once). ---- */
struct coh_omit_row;
struct session_omit_view {
	bool started, finished;
	size_t done, total;          /* rows made of all (total 0: replaying first) */
	int percent;                 /* of that replay */
	uint64_t tick;               /* changes whenever the rest does */
	const struct coh_omit_row *rows;   /* when finished: borrowed until a
					    * platform switch or session_close() */
	size_t nrows;
	char error[256];             /* finished without rows: why */
};
int session_omit_start(struct session *s, char *err, size_t n);
void session_omit_get(struct session *s, struct session_omit_view *v);

#endif
