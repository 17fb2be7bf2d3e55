/* SPDX-License-Identifier: MIT */
/*
 * session_view.c - the state a session shows: the simulation after event
 * pos, kept apart from the timeline's frontier.  Stepping forward runs it
 * on; a jump rebuilds it from the timeline's nearest snapshot (a forward
 * search that stops at pos, which moves nothing) and keeps checkpoints
 * every 128 events before pos, and so does running forward (steps,
 * searches, continue, finding jumps of up to 4096 events), so that
 * stepping backward from there replays at most 128 events, not a snapshot
 * interval.  Callers hold the lock.
 */
#include <string.h>

#include "coh_run.h"
#include "i18n.h"
#include "session-local.h"

#define VIEW_RUN_MAX 4096            /* run the view forward rather than rebuild */

struct grab {
	struct session *s;
	uint64_t at;                 /* the event whose state is wanted */
	struct coh_sim *sim;
	int nomem;
};

/* Keep a checkpoint every CK_STEP events, and the state after @at. */
static int grab_state(void *ctx, const struct coh_sim *sim, const struct coh_event *ev,
		      uint64_t i)
{
	struct grab *g = ctx;

	(void)ev;
	if (i == g->at) {
		g->sim = coh_sim_clone(sim);
		return 1;
	}
	if ((i + 1) % SESSION_CK_STEP == 0)
		session_ck_keep(g->s->ck, &g->s->nck, sim, i + 1);
	return 0;
}

/* The view runs forward: a checkpoint every CK_STEP events on the way. */
static int on_the_way(void *ctx, struct coh_sim *sim, const struct coh_event *ev, uint64_t i)
{
	(void)ev;
	if ((i + 1) % SESSION_CK_STEP == 0)
		session_ck_keep(((struct session *)ctx)->ck, &((struct session *)ctx)->nck, sim,
				i + 1);
	return 0;
}

/* The frontier moved to @pos + 1 and a copy of it. */
static struct coh_sim *at_frontier(struct session *s, uint64_t pos)
{
	if (s->phase == SESSION_REPLAYING && session_advance(s, pos + 1) < 0)
		return NULL;
	if (coh_timeline_pos(s->tl) < pos + 1)
		return NULL;
	return coh_timeline_fork(s->tl);
}

/* From the last checkpoint (the view's or the end's) at most VIEW_RUN_MAX
 * events before @want. */
static struct coh_sim *from_checkpoint(struct session *s, uint64_t want)
{
	const struct session_ck *b = session_ck_nearer(s->tail, s->ntail, want,
						       session_ck_nearer(s->ck, s->nck, want, NULL));
	struct coh_sim *c;

	if (!b || want - b->pos > VIEW_RUN_MAX || !(c = coh_sim_clone(b->sim)))
		return NULL;
	if (coh_run(c, &s->src, b->pos, want, NULL, NULL) >= 0)
		return c;
	coh_sim_free(c);
	return NULL;
}

/* From the timeline's last snapshot at or before @pos, leaving checkpoints
 * behind @pos: over SESSION_CK_SPAN events, or from that snapshot when it
 * is nearer (going back to the snapshot before it for a full span would
 * replay up to an interval more now, for steps back that may never come;
 * a step back past the snapshot rebuilds from the one before, as a jump). */
static struct coh_sim *from_snapshot(struct session *s, uint64_t pos)
{
	struct grab g = { .s = s, .at = pos };
	uint64_t found, from = pos > SESSION_CK_SPAN ? pos - SESSION_CK_SPAN : 0,
		 snap = coh_timeline_snap_pos(s->tl, pos);

	if (from < snap)
		from = snap;

	session_states_free(s);
	if (coh_timeline_search_fwd(s->tl, from, pos + 1, grab_state, &g, &found) < 0) {
		coh_sim_free(g.sim);
		return NULL;
	}
	return g.sim;
}

/* A new view at @pos. */
static int rebuild(struct session *s, uint64_t pos)
{
	struct coh_sim *v;

	if (pos + 1 >= coh_timeline_pos(s->tl))
		v = at_frontier(s, pos);
	else if (!(v = from_checkpoint(s, pos + 1)))
		v = from_snapshot(s, pos);
	if (!v)
		return -1;
	coh_sim_set_hooks(v, NULL);
	coh_sim_free(s->view);
	s->view = v;
	return 0;
}

/**
 * session_view_at - make the foreground's state the one after event @pos:
 * run the current view forward when it is a little behind, else rebuild it;
 * replays up to @pos first when the background has not got there yet
 *
 * Return: 0, or -1 (s->err says why).
 */
int session_view_at(struct session *s, uint64_t pos)
{
	struct coh_run_opts keep = { .ctx = s, .event = on_the_way };
	uint64_t vpos = s->view ? coh_sim_pos(s->view) : 0;

	if (!s->tl || pos >= s->count) {
		snprintf(s->err, sizeof(s->err), _("no event %llu"), (unsigned long long)pos);
		return -1;
	}
	if (s->view && vpos == pos + 1)
		return 0;
	if (s->view && vpos <= pos && pos + 1 - vpos <= VIEW_RUN_MAX &&
	    pos + 1 < coh_timeline_pos(s->tl) &&
	    coh_run(s->view, &s->src, vpos, pos + 1, &keep, NULL) >= 0)
		return 0;
	if (rebuild(s, pos) == 0)
		return 0;
	snprintf(s->err, sizeof(s->err), _("cannot replay to event %llu: %.200s"),
		 (unsigned long long)pos, s->phase == SESSION_FAILED ? s->failed : "out of memory");
	return -1;
}
