/* SPDX-License-Identifier: MIT */
/*
 * whatif_omit_rec.c - the recorded run as the omission matrix's rows
 * compare with it: one replay that notes each maintenance call (where it
 * is, the findings raised before it), the state hash and its key every
 * `every` events (where a row looks whether it has rejoined the recorded
 * run) and every finding in the order raised; the other presets of the
 * trace's API a row is tried on; and which calls are maintenance calls.
 */
#include <stdlib.h>
#include <string.h>

#include "coh_run.h"
#include "sim-local.h"
#include "timeline-local.h"
#include "whatif_omit.h"

/* Events between checkpoints: a hash costs about as much as replaying a
 * thousand events, so a row should not look much more often than that;
 * short runs look every 64 events. */
#define CK_MIN    64u
#define CK_EVENTS 1024u
#define CK_COUNT  128u               /* checkpoints of a run shorter than
				      * CK_EVENTS * CK_COUNT events, at least */

/**
 * coh_omit_start - a state of the recorded run to replay from up to @at:
 * a copy of its timeline's last snapshot at or before @at, with logs of its
 * own (coh_sim_clone_alone(): other threads copy the same snapshot), or a
 * fresh state at event 0 when there is no timeline
 * @err: receives 0 or -COH_E_*
 *
 * Return: caller frees with coh_sim_free(), or NULL.
 */
struct coh_sim *coh_omit_start(const struct omit_rec *r, uint64_t at, int *err)
{
	struct coh_sim *s;
	uint64_t sp;

	if (r->tl) {
		s = coh_sim_clone_alone(coh_timeline_snap_before(r->tl, at, &sp));
		*err = s ? 0 : -COH_E_NOMEM;
		return s;
	}
	s = coh_sim_new(&r->plat, r->flags, err);
	if (s && (*err = coh_sim_set_limits(s, &r->lim)) < 0) {
		coh_sim_free(s);
		s = NULL;
	}
	return s;
}

static uint64_t checkpoint_every(uint64_t n)
{
	uint64_t e = CK_MIN;

	while (e < CK_EVENTS && n / (2 * e) >= CK_COUNT)
		e *= 2;
	return e;
}

int coh_kind_is_maintenance(unsigned kind)
{
	switch (kind) {
	case COH_EV_KE_FLUSH:
	case COH_EV_FLUSH_ADAPTER:
	case COH_EV_FLUSH_ADAPTER_EX:
	case COH_EV_MAP_TRANSFER:
	case COH_EV_MAP_TRANSFER_EX:
	case COH_EV_DMA_MAP:
	case COH_EV_DMA_UNMAP:
	case COH_EV_DMA_MAP_SG:
	case COH_EV_DMA_UNMAP_SG:
	case COH_EV_DMA_SYNC_CPU:
	case COH_EV_DMA_SYNC_DEV:
	case COH_EV_DMA_SYNC_SG_CPU:
	case COH_EV_DMA_SYNC_SG_DEV:
		return 1;
	}
	return 0;
}

/**
 * coh_omit_key - what of @s every state hash mixes in and costs little
 */
void coh_omit_key(const struct coh_sim *s, struct omit_key *k)
{
	memset(k, 0, sizeof(*k));
	k->caches_maps = coh_map_hash(s, coh_cache_hash(s, 0));
	k->next_map = s->next_map;
	k->next_scope = s->next_scope;
	k->nscopes = s->nscopes;
	k->nmaps = s->maps.n;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;

	if (n < *cap)
		return 0;
	nv = realloc(*v, (*cap ? *cap * 2 : 64) * size);
	if (!nv)
		return -COH_E_NOMEM;
	*v = nv;
	*cap = *cap ? *cap * 2 : 64;
	return 0;
}

struct rec_pass {
	struct omit_rec *r;
	size_t capcalls;
	size_t nf_before;            /* findings before the current event */
};

static int note_call(struct rec_pass *p, const struct coh_event *ev, uint64_t i)
{
	struct omit_rec *r = p->r;
	struct omit_call *c;

	if (grow((void **)&r->calls, &p->capcalls, r->ncalls, sizeof(*r->calls)) < 0)
		return -COH_E_NOMEM;
	c = &r->calls[r->ncalls++];
	c->at = i;
	c->src = ev->src;
	c->ts = ev->ts;
	c->kind = ev->kind;
	c->nf_before = p->nf_before;
	return 0;
}

static void checkpoint(struct omit_rec *r, const struct coh_sim *s, size_t k)
{
	r->ck[k] = coh_sim_state_hash(s);
	coh_omit_key(s, &r->ck_key[k]);
	r->ck_nf[k] = coh_sim_nfindings(s);
}

static int after_event(void *ctx, struct coh_sim *s, const struct coh_event *ev, uint64_t i)
{
	struct rec_pass *p = ctx;
	struct omit_rec *r = p->r;
	int err = 0;

	if (coh_kind_group(ev->kind) == COH_GROUP_WINDOWS)
		r->windows = 1;
	if (coh_kind_is_maintenance(ev->kind))
		err = note_call(p, ev, i);
	if ((i + 1) % r->every == 0)
		checkpoint(r, s, (i + 1) / r->every);
	p->nf_before = coh_sim_nfindings(s);
	return err;
}

static int keep_findings(struct omit_rec *r, const struct coh_sim *s)
{
	r->nf = coh_sim_nfindings(s);
	r->f = malloc((r->nf ? r->nf : 1) * sizeof(*r->f));
	if (!r->f)
		return -COH_E_NOMEM;
	for (size_t i = 0; i < r->nf; i++)
		r->f[i] = *coh_sim_finding(s, i);
	return 0;
}

/**
 * coh_omit_rec_run - replay the recorded run once and note what the rows
 * compare with
 * @r:   plat, flags, lim and tl set by the caller; the rest is filled in
 * @src: the recorded events
 *
 * Return: 0 or -COH_E_* (an event that failed: the recorded run must
 * replay whole).
 */
int coh_omit_rec_run(struct omit_rec *r, const struct coh_source *src)
{
	struct rec_pass p = { .r = r };
	struct coh_run_opts o = { .ctx = &p, .event = after_event };
	struct coh_sim *s;
	int err;

	r->n = src->count(src->ctx);
	r->every = checkpoint_every(r->n);
	r->nck = r->n / r->every + 1;
	r->ck = calloc(r->nck, sizeof(*r->ck));
	r->ck_nf = calloc(r->nck, sizeof(*r->ck_nf));
	r->ck_key = calloc(r->nck, sizeof(*r->ck_key));
	if (!r->ck || !r->ck_nf || !r->ck_key)
		return -COH_E_NOMEM;
	if (!(s = coh_omit_start(r, 0, &err)))
		return err;
	checkpoint(r, s, 0);
	err = coh_run(s, src, 0, r->n, &o, NULL);
	if (err >= 0)
		err = keep_findings(r, s);
	coh_sim_free(s);
	return err < 0 ? err : 0;
}

/**
 * coh_omit_rec_fini - free what coh_omit_rec_run() noted
 */
void coh_omit_rec_fini(struct omit_rec *r)
{
	free(r->ck);
	free(r->ck_nf);
	free(r->ck_key);
	free(r->calls);
	free(r->f);
	r->ck = NULL;
	r->ck_nf = NULL;
	r->ck_key = NULL;
	r->calls = NULL;
	r->f = NULL;
}

/**
 * coh_omit_preset - preset @i as the recorded run would be replayed on it:
 * the preset's machine and device defaults, the recorded devices by name
 * at the same indices (with whether they signal completion, a property of
 * the trace), at least as many CPUs
 *
 * Return: 1 with *@out filled, 0 when preset @i models another API than
 * the trace's or is the recorded platform itself, -COH_E_* on error.
 */
int coh_omit_preset(const struct omit_rec *r, unsigned i, struct coh_platform *out)
{
	const char *name = coh_platform_preset_at(i, NULL);
	int nt;

	if (!name)
		return -COH_E_INVAL;
	nt = strcmp(coh_finding_preset_api(name), coh_finding_preset_api("nt-")) == 0;
	if (nt != r->windows || strcmp(name, r->plat.name) == 0)
		return 0;
	if (coh_platform_preset(name, out) < 0)
		return -COH_E_INVAL;
	for (unsigned d = 0; d < r->plat.ndevs; d++) {
		if (coh_platform_add_dev(out, r->plat.devs[d].name) != (int)d)
			return -COH_E_INVAL;
		out->devs[d].signals_done = r->plat.devs[d].signals_done;
	}
	out->ncpus = MAX(out->ncpus, r->plat.ncpus);
	return coh_platform_check(out, NULL, 0) < 0 ? -COH_E_INVAL : 1;
}
