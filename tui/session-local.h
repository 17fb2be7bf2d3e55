/* SPDX-License-Identifier: MIT */
/*
 * session-local.h - what the session_*.c files share: the session itself.
 *
 * Locking: mu (recursive) guards every field below it and every engine and
 * trace call; the background thread (session_load.c) owns the timeline's
 * current state, the frontier of the replay; the foreground's state at pos
 * is a separate simulation, @view, built from the timeline's snapshots.
 */
#ifndef SESSION_LOCAL_H
#define SESSION_LOCAL_H

#include <pthread.h>
#include <regex.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "coh_err.h"
#include "coh_timeline.h"
#include "coh_whatif.h"
#include "session.h"
#include "trace.h"

#define SESSION_MAX_BREAKS 32
#define SESSION_NCK        16        /* checkpoints kept behind pos */
#define SESSION_NLINES     4096      /* lines session_line() remembers */
#define SESSION_CK_STEP    128       /* events between two of them */
#define SESSION_CK_SPAN    (SESSION_CK_STEP * SESSION_NCK)

/* A state kept to step backward from without a snapshot's interval. */
struct session_ck {
	uint64_t pos;                /* events applied */
	struct coh_sim *sim;
};

struct session {
	pthread_mutex_t mu;
	pthread_cond_t cv;           /* broadcast when the phase or replay advances */
	pthread_t thread;
	bool thread_on;
	bool differ;                 /* @thread makes diffs (the replay is done) */
	atomic_bool stop;            /* asks the background thread to end */
	atomic_int waiting;          /* foreground threads waiting for the lock */

	struct session_opts o;       /* strings below are our copies */
	char *path, *platform, *device;

	struct trace *t;             /* NULL while reading */
	struct coh_platform plat;
	struct coh_source src;
	struct coh_timeline *tl;     /* its current state: the replay's frontier */
	uint64_t count;              /* events known (0 while reading) */
	enum session_phase phase;
	double fraction;             /* of the reading phase */
	uint64_t replayed;
	char failed[256];

	struct coh_finding **fchunk; /* findings of the replay, in firing order, in
				      * chunks that never move (the screen keeps
				      * pointers while the list grows) */
	size_t *byseq;               /* their indices by event (then firing order) */
	size_t nf, capf;

	struct coh_sim *view;        /* the state at pos (after event pos) */
	struct session_ck ck[SESSION_NCK];    /* behind the last jump, by position */
	size_t nck;
	struct session_ck tail[SESSION_NCK];  /* the frontier's over the last events */
	size_t ntail;
	uint64_t pos;
	char err[256];               /* session_error() */

	struct coh_event ev;         /* session_event()'s copy and its buffers */
	struct coh_seg *segs;
	size_t capsegs;
	uint8_t *data;
	size_t capdata;
	char *text;
	size_t captext;

	struct session_filter filter;
	uint32_t *seqid;             /* per event: 1 + ordinal of its sequence, 0 none */

	bool have_re;
	regex_t re;
	unsigned gen;                /* bumped when the pattern, filter or breaks change */
	struct {                     /* where a scan that ran out of time stopped */
		bool on;
		uint64_t pos, next;
		int dir;
		unsigned gen;
		const void *pred;
	} resume;

	struct {                     /* session_line()'s recent lines, by index */
		uint64_t i;
		char *text;
	} lines[SESSION_NLINES];

	bool mark_set[256];
	uint64_t marks[256];
	struct session_break br[SESSION_MAX_BREAKS];
	size_t nbr;

	enum session_run run;        /* which run the state panes show */
	struct session_whatif *wi;   /* session_whatif.c's, NULL before an edit */
	struct session_omit *om;     /* session_omit.c's, NULL before it is asked for */
	char *whatif_path;           /* the edit file, NULL: FILE.whatif */
	bool whatif_pending;         /* it is to be loaded once the replay ends */
};

#define SESSION_FCHUNK 1024         /* findings per chunk */

/* Finding @i of the replay (i < s->nf). */
static inline struct coh_finding *session_f(const struct session *s, size_t i)
{
	return &s->fchunk[i / SESSION_FCHUNK][i % SESSION_FCHUNK];
}

/* session_ck.c */
void session_ck_keep(struct session_ck *ck, size_t *n, const struct coh_sim *sim, uint64_t at);
const struct session_ck *session_ck_nearer(const struct session_ck *ck, size_t n, uint64_t want,
					   const struct session_ck *best);
void session_ck_free(struct session_ck *ck, size_t *n);

/* session_replay.c (lock held) */
void session_fail(struct session *s, const char *msg);
int session_advance(struct session *s, uint64_t to);
void session_states_free(struct session *s);
void session_tail_free(struct session *s);
void session_findings_free(struct session *s);
int session_replay_setup(struct session *s, const char *preset, char *err, size_t n);

/* session_view.c (lock held) */
int session_view_at(struct session *s, uint64_t pos);

/* session_load.c */
int session_load_start(struct session *s, char *err, size_t n);
void session_load_stop(struct session *s);

/* session_move.c (lock held) */
typedef bool (*event_pred)(struct session *s, uint64_t i, const struct coh_event *ev,
			   void *ctx);
int session_scan(struct session *s, uint64_t from, int dir, event_pred pred, void *ctx,
		 uint64_t *found);
int session_go(struct session *s, uint64_t pos);

/* session_whatif_run.c (lock held): the what-if a session holds */
#define SESSION_WHATIF_BYTES 64     /* differing runs of bytes kept */
struct session_whatif {
	struct coh_whatif *w;
	struct coh_sim *view;        /* the edited state shown, NULL: to build */
	struct session_ck ck[SESSION_NCK];   /* behind it, by position */
	size_t nck;
	bool diffed;                 /* @diff is the current list's */
	struct coh_run_diff diff;
	struct coh_diff_job *job;    /* the diff the background thread makes */
	uint64_t job_done, job_total;   /* how far it is */
	uint64_t job_tick;           /* bumped as it moves and when it ends */
	char diff_error[256];        /* it failed: why (until the edits change) */
	bool have_bytes;             /* @bytes are those after @bytes_pos events */
	uint64_t bytes_pos;
	long nbytes;
	struct coh_byte_diff bytes[SESSION_WHATIF_BYTES];
};
const struct coh_sim *session_whatif_sim(struct session *s);
void session_whatif_free(struct session *s);
int session_whatif_ready(struct session *s);
void session_whatif_changed(struct session *s);
int session_whatif_refused(struct session *s, int e);
void *session_differ(void *arg);

/* The background thread's slices (session_load.c, session_whatif_run.c) */
#define SESSION_SLICE_NS 3000000ull  /* a slice of replay or diff: about 3 ms */
#define SESSION_YIELD_NS 4000000ull  /* at most this long to a waiting screen */

static inline uint64_t session_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Before a slice: a screen waiting for the lock goes first, a while. */
static inline void session_yield(struct session *s)
{
	uint64_t t0 = session_now_ns();

	while (atomic_load(&s->waiting) > 0 && !atomic_load(&s->stop) &&
	       session_now_ns() - t0 < SESSION_YIELD_NS)
		sched_yield();
}

/* The events of the next slice, after one of @len that took @dt ns. */
static inline void session_slice_len(uint64_t *len, uint64_t dt)
{
	if (dt < SESSION_SLICE_NS / 2 && *len < (1u << 20))
		*len *= 2;
	else if (dt > SESSION_SLICE_NS * 2 && *len > 16)
		*len /= 2;
}


/* session_omit.c (lock held; session_whatif.c takes it) */
void session_omit_drop(struct session *s);
int session_omit_start_locked(struct session *s, char *err, size_t n);
void session_omit_get_locked(struct session *s, struct session_omit_view *v);

/* session_event.c (lock held) */
int session_get(struct session *s, uint64_t i, struct coh_event *ev);
bool session_touches(const struct coh_event *ev, uint64_t lo, uint64_t hi);
bool session_is_call(const struct coh_event *ev);
bool session_match_filter(struct session *s, uint64_t i, const struct coh_event *ev);
size_t session_finding_first(struct session *s, uint64_t i);
const struct coh_finding *session_by_seq(struct session *s, size_t k);

#endif
