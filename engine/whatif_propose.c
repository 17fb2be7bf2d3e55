/* SPDX-License-Identifier: MIT */
/*
 * whatif_propose.c - "insert the right call here": for a finding of the
 * recorded run, the call the platform's rules (docs/model.md sections 2
 * and 3) require, in the trace's own API, at the latest point where it
 * still helps; or, for a finding no call cures, what the driver must
 * change instead.
 *
 *   stale CPU read, CPU read of device-owned bytes    sync_for_cpu of the whole
 *                                                     mapping just before the read
 *   the same after a SKIP_CPU_SYNC unmap              that sync just before the unmap
 *   stale device read, unsynced CPU write, device     sync_for_device just before the
 *   access of CPU-written bytes, write-back clobber   device's access (Windows:
 *                                                     KeFlushIoBuffers over the MDL)
 *   bytes left in an adapter, transfer ended or       FlushAdapterBuffers(Ex) or
 *   read before its flush                             PutScatterGatherList before that
 *                                                     event: the transfer's own later
 *                                                     flush moved there, else a new one
 *   premature adapter flush (DC005)                   the flush moved after dev_done
 *   FlushAdapterBuffersEx outside its chain (DC011)   replaced by one over the transfer
 *   leaked mapping (DC012)                            the unmap or release, inserted at
 *                                                     the end of the scope it leaked from
 *
 * No call cures a shared cache line (DC007), an ignored flush status
 * (DC009), a wrong direction (DC010), a wrong size, a use after unmap or
 * any other bad mapping use (DC011), nor a line a v1/v2 adapter let the
 * CPU fill speculatively.
 */
#include <stdio.h>
#include <string.h>

#include "coh_timeline.h"
#include "propose.h"

struct pctx {
	const struct coh_timeline *rec;
	const struct coh_finding *f;
	const struct coh_platform *p;
	struct coh_proposal *out;
	struct pmap m;
};

static int none(struct pctx *c, const char *why)
{
	c->out->edit.op = COH_EDIT_NONE;
	snprintf(c->out->why, sizeof(c->out->why), "%s", why);
	return 0;
}

static void say(struct pctx *c, const char *what)
{
	snprintf(c->out->why, sizeof(c->out->why), "%s %s", coh_kind_name(c->out->edit.ev.kind),
		 what);
}

static int insert_at(struct pctx *c, uint64_t at, const char *what)
{
	c->out->edit.op = COH_EDIT_INSERT;
	c->out->edit.at = at;
	c->out->edit.ev.src = COH_SRC_NONE;
	say(c, what);
	return 0;
}

/* the mapping before @pos; 1 when there is one */
static int map_at(struct pctx *c, uint64_t pos)
{
	int err = coh_pmap_find(c->rec, c->f, pos, &c->m);

	return err < 0 ? err : c->m.found;
}

/* a scatter list unmapped in part: no call on what is left of it is right;
 * a list or chain longer than a proposal holds: no call that covers it */
static int partial(const struct pctx *c)
{
	return (c->m.made_kind == COH_EV_DMA_MAP_SG && c->m.made_nsegs != c->m.v.nsegs) ||
	       c->m.truncated;
}

#define PARTIAL_WHY "the scatter list was unmapped in part, or has more entries than a " \
		    "proposal holds: unmap it whole, with the nents it was mapped with"

/* Linux: a sync of the whole mapping just before @pos */
static int sync_before(struct pctx *c, uint64_t pos, int for_cpu)
{
	int k = map_at(c, pos);

	if (k <= 0)
		return k < 0 ? k : none(c, "no live mapping covers these bytes: the access is outside "
				  "every mapping, which the driver must map first");
	if (coh_pmap_windows(&c->m, c->f))
		return none(c, "the bytes belong to a Windows buffer no sync applies to");
	if (partial(c))
		return none(c, PARTIAL_WHY);
	coh_call_sync(&c->m, for_cpu, c->out);
	return insert_at(c, pos, for_cpu ?
			 "hands the device's data to the CPU before it reads them" :
			 "hands the CPU's writes to the device before it accesses them");
}

/* Windows: KeFlushIoBuffers just before @pos */
static int keflush_before(struct pctx *c, uint64_t pos, int read_op)
{
	int k = map_at(c, pos);

	if (k < 0)
		return k;
	coh_call_keflush(&c->m, c->f, c->p->line, read_op, c->out);
	return insert_at(c, pos, read_op ?
			 "cleans and invalidates the buffer before the device writes it" :
			 "cleans the CPU's writes to memory before the device reads them");
}

/* the recorded event @at, its segments kept in out->segs */
static int recorded(struct pctx *c, uint64_t at)
{
	const struct coh_source *src = coh_timeline_source(c->rec);
	struct coh_event *ev = &c->out->edit.ev;
	int err;

	if ((err = src->get(src->ctx, at, ev)) < 0)
		return err;
	if (ev->nsegs > COH_PROPOSAL_SEGS)
		return -COH_E_TOOBIG;
	if (ev->segs)
		memcpy(c->out->segs, ev->segs, ev->nsegs * sizeof(*ev->segs));
	ev->segs = ev->nsegs ? c->out->segs : NULL;
	ev->data = NULL;
	ev->text = NULL;
	return 0;
}

/* recorded event @at applied just before recorded event @to instead */
static int move_to(struct pctx *c, uint64_t at, uint64_t to, const char *what)
{
	int err = recorded(c, at);

	if (err < 0)
		return err == -COH_E_TOOBIG ? none(c, "the call has too many segments to move") : err;
	c->out->edit.op = COH_EDIT_MOVE;
	c->out->edit.at = at;
	c->out->edit.to = to;
	say(c, what);
	return 0;
}

/* Windows: the transfer's adapter flush before @pos: its own later flush
 * moved there, else a new one */
static int flush_before(struct pctx *c, uint64_t pos)
{
	int k = map_at(c, pos);
	long later;

	if (k <= 0)
		return k < 0 ? k : none(c, "no live transfer holds these bytes to flush");
	if (c->m.v.kind != COH_MAP_TRANSFER && c->m.v.kind != COH_MAP_WIN_SG)
		return none(c, "a common buffer has no adapter flush: its bytes need "
			    "KeFlushIoBuffers (or an uncached buffer)");
	if (partial(c))
		return none(c, "the transfer's MDL chain is longer than a proposal holds: flush it "
			    "whole before it is treated as done");
	later = coh_pmap_scan(c->rec, pos + 1, COH_EV_FLUSH_ADAPTER, COH_EV_FLUSH_ADAPTER_EX,
			      c->m.v.dev, c->m.v.handle);
	if (c->m.v.kind == COH_MAP_WIN_SG)
		later = coh_pmap_scan(c->rec, pos + 1, COH_EV_PUT_SG, COH_EV_PUT_SG, c->m.v.dev,
				      c->m.v.handle);
	coh_call_flush(&c->m, c->p, c->out);
	if (later < 0)
		return insert_at(c, pos, "drains the transfer into the buffer before it is "
				 "treated as done");
	return move_to(c, (uint64_t)later, pos, "moved before the transfer is treated as done");
}

/* DC005: the flush at the finding, moved after the device's dev_done */
static int flush_after_done(struct pctx *c)
{
	const struct coh_source *src = coh_timeline_source(c->rec);
	struct coh_event ev;
	long done;
	int err;

	if ((err = src->get(src->ctx, c->f->seq, &ev)) < 0)
		return err;
	done = coh_pmap_scan(c->rec, c->f->seq + 1, COH_EV_DEV_DONE, COH_EV_DEV_DONE, ev.dev,
			     ev.handle);
	if (done < 0)
		return none(c, "the device never signals the end of this transfer in the trace: "
			    "flush only after its interrupt says it is done");
	return move_to(c, c->f->seq, (uint64_t)done + 1, "moved after the device finished");
}

/* DC011 (Offset+Length outside the chain): the flush over the transfer */
static int flush_resized(struct pctx *c)
{
	int k = map_at(c, c->f->seq), err;
	uint64_t src_index;

	if (k <= 0)
		return k < 0 ? k : none(c, "no live transfer to flush: pass Offset and Length "
				  "inside the MDL chain");
	if ((err = recorded(c, c->f->seq)) < 0)
		return err;
	src_index = c->out->edit.ev.src;
	coh_call_flush(&c->m, c->p, c->out);
	c->out->edit.ev.src = src_index;
	c->out->edit.op = COH_EDIT_REPLACE;
	c->out->edit.at = c->f->seq;
	say(c, "over the transfer's own Offset and Length, inside its MDL chain");
	return 0;
}

/* DC012: the unmap or release at the end of the scope the mapping leaked from */
static int release(struct pctx *c)
{
	uint64_t end = coh_finding_raised_at(c->f);
	int k = map_at(c, end);

	if (k <= 0)
		return k < 0 ? k : none(c, "the leaked mapping is not live at the end of its scope");
	if (partial(c))
		return none(c, PARTIAL_WHY);
	coh_call_unmap(&c->m, c->out);
	return insert_at(c, end, "releases the mapping before its scope ends");
}

#define UNMAPS_BACK 16                /* unmaps a stale read looks back over */

/* the unmap that ended the mapping holding the finding's bytes: the first
 * after the map call the finding names, else the last such unmap before it */
static long unmap_of(struct pctx *c)
{
	const struct coh_finding *f = c->f;
	uint64_t before = f->seq;
	int k;

	if (f->other_seq != COH_SEQ_NONE && f->other_seq < f->seq) {
		if ((k = map_at(c, f->other_seq + 1)) != 0)
			return k < 0 ? k : coh_pmap_unmap(c->rec, &c->m, f->other_seq + 1, f->seq);
	}
	for (int n = 0; n < UNMAPS_BACK && f->dev >= 0; n++) {
		long u = coh_pmap_unmap_before(c->rec, (unsigned)f->dev, 0, before);

		if (u < 0 || (k = map_at(c, (uint64_t)u)) != 0)
			return u < 0 ? -1 : k < 0 ? k : u;
		before = (uint64_t)u;
	}
	return -1;
}

/* 1 when the bytes the read should have seen were the CPU's own write
 * (lost to an invalidate or a bounce copy-back): no sync brings it back */
static int own_write_lost(const struct pctx *c)
{
	const struct coh_source *src = coh_timeline_source(c->rec);
	struct coh_event ev;
	uint32_t v = c->f->nbytes ? c->f->exp_ver[0] : 0;

	return v && src->get(src->ctx, v - 1, &ev) == 0 && ev.kind == COH_EV_CPU_WRITE;
}

/* a stale read on Linux: the sync just before the read, or, when the
 * mapping was unmapped before it, just before that unmap */
static int stale_linux(struct pctx *c)
{
	int k = map_at(c, c->f->seq);
	long un = -1;

	if (k < 0)
		return k;
	if (own_write_lost(c))
		return none(c, "the CPU's own write was lost: the CPU wrote the buffer while the "
			    "device owned it; write it before the map or after dma_sync_*_for_cpu");
	if (!k && (un = unmap_of(c)) < -1)
		return (int)un;
	return sync_before(c, un >= 0 ? (uint64_t)un : c->f->seq, 1);
}

static int stale_cpu(struct pctx *c)
{
	const struct coh_finding *f = c->f;

	if (f->rule == COH_R_STALE_SPECULATIVE)
		return none(c, "no v1/v2 call prevents a speculative fill: use a DMA v3 adapter "
			    "(MapTransferEx, FlushAdapterBuffersEx), whose flush invalidates");
	if (f->rule == COH_R_STALE_SKIP_UNMAP)
		return sync_before(c, f->other_seq, 1);
	if (f->omitted == COH_EV_KE_FLUSH)
		return keflush_before(c, f->seq, 1);
	if (f->omitted == COH_EV_FLUSH_ADAPTER || f->omitted == COH_EV_FLUSH_ADAPTER_EX ||
	    f->omitted == COH_EV_PUT_SG)
		return flush_before(c, f->seq);
	return stale_linux(c);
}

/* DC002, DC003: the clean before the device's access */
static int clean_before(struct pctx *c)
{
	int k = map_at(c, c->f->seq);

	if (k < 0)
		return k;
	if (coh_pmap_windows(&c->m, c->f))
		return keflush_before(c, c->f->seq, c->f->id == COH_DC003);
	return sync_before(c, c->f->seq, 0);
}

static int ownership(struct pctx *c)
{
	switch (c->f->rule) {
	case COH_R_CPU_READ_DEV_OWNED:
	case COH_R_CPU_WRITE_DEV_OWNED:
		return sync_before(c, c->f->seq, 1);
	case COH_R_SYNC_CPU_OWNED:
		return none(c, "the sync_for_cpu is one too many: drop it");
	default:
		return sync_before(c, c->f->seq, 0);
	}
}

static int bad_use(struct pctx *c)
{
	switch (c->f->rule) {
	case COH_R_EX_RANGE:
		return flush_resized(c);
	case COH_R_DEV_UNMAPPED:
		return none(c, "the device accesses bytes no live mapping covers (a use after "
			    "unmap): keep the buffer mapped until the device is done");
	case COH_R_DOUBLE_UNMAP:
		return none(c, "the mapping is unmapped twice: unmap it once");
	case COH_R_UNMAP_SIZE:
	case COH_R_SG_NENTS:
	case COH_R_FREE_SIZE:
		return none(c, "pass the size (or nents) the mapping was made with");
	default:
		return none(c, "the call does not fit the mapping: use it only inside one live "
			    "mapping, with the size it was made with");
	}
}

static int dispatch(struct pctx *c)
{
	switch (c->f->id) {
	case COH_DC001: return stale_cpu(c);
	case COH_DC002:
	case COH_DC003: return clean_before(c);
	case COH_DC004:
	case COH_DC008: return flush_before(c, c->f->seq);
	case COH_DC005: return flush_after_done(c);
	case COH_DC006: return ownership(c);
	case COH_DC007:
		return none(c, "no call cures a shared cache line: the buffer must start and end "
			    "on DMA-alignment boundaries, alone in its lines");
	case COH_DC009:
		return none(c, "the driver must complete the IRP with the failed flush's status "
			    "(or retry the flush)");
	case COH_DC010:
		return none(c, "pass the direction the mapping or transfer was made with");
	case COH_DC011: return bad_use(c);
	case COH_DC012: return release(c);
	default: return none(c, "information, not an error: nothing to cure");
	}
}

int coh_whatif_propose(const struct coh_timeline *rec, const struct coh_finding *f,
		       struct coh_proposal *out)
{
	struct pctx c = { .rec = rec, .f = f, .p = coh_timeline_platform(rec), .out = out };
	int err;

	if (!rec || !f || !out)
		return -COH_E_INVAL;
	memset(out, 0, sizeof(*out));
	coh_event_init(&out->edit.ev, COH_EV_MARK);
	out->finding_seq = f->seq;
	if ((err = dispatch(&c)) < 0)
		memset(out, 0, sizeof(*out));
	if (out->edit.ev.segs)
		out->edit.ev.segs = out->segs;
	return err < 0 ? err : 0;
}

#define AT_TRIES 8                   /* curable findings propose_at tries at most */

/* the proposal moved to @pos when it may go there and still cures @f */
static int place_at(const struct coh_timeline *rec, const struct coh_finding *f, uint64_t pos,
		    struct coh_proposal *p)
{
	struct coh_edit *e = &p->edit;
	int k;

	if (e->op == COH_EDIT_INSERT && e->at >= pos)
		e->at = pos;
	else if (e->op == COH_EDIT_MOVE && e->to >= pos && e->at != pos)
		e->to = pos;
	else if (!(e->op == COH_EDIT_REPLACE && e->at == pos))
		return 0;
	k = coh_propose_try(rec, e, f);
	return k < 0 ? 0 : k;           /* an edit that does not fit is no answer */
}

int coh_whatif_propose_at(const struct coh_timeline *rec, uint64_t pos,
			  struct coh_proposal *out)
{
	const struct coh_source *src;
	struct coh_sim *end;
	unsigned tries = 0;
	int err = 0, found = 0;

	if (!rec || !out)
		return -COH_E_INVAL;
	src = coh_timeline_source(rec);
	if (!(end = coh_timeline_state_at(rec, src->count(src->ctx), &err)))
		return err;
	for (size_t i = 0; !found && tries < AT_TRIES && i < coh_sim_nfindings(end); i++) {
		const struct coh_finding *f = coh_sim_finding(end, i);

		/* only a premature flush is cured by an edit after its own event */
		if (f->parent >= 0 || !coh_fid_is_error(f->id) ||
		    (coh_finding_raised_at(f) < pos && f->id != COH_DC005))
			continue;
		if ((err = coh_whatif_propose(rec, f, out)) < 0)
			break;
		if (out->edit.op != COH_EDIT_NONE && ++tries)
			found = place_at(rec, f, pos, out);
	}
	coh_sim_free(end);
	if (!found)
		memset(out, 0, sizeof(*out));
	return err < 0 ? err : found;
}
