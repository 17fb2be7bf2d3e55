/* SPDX-License-Identifier: MIT */
/*
 * ftrace_merge.c - the CPUs of a trace.dat in `trace-cmd report` order.
 *
 * trace-cmd report (tracecmd_iterate_events_multi) repeatedly takes the
 * CPU whose next record has the smallest timestamp, the lowest CPU index
 * on a tie; an event's position in that sequence is its src.  When every
 * CPU's timestamps are non-decreasing (they are, unless the file is
 * damaged), that position is the event's index in its CPU plus, for every
 * other CPU, how many of its events sort before it (ties going to the
 * lower index): each thread computes it for its own CPUs' events while
 * walking the others' timestamps, and writes its records straight to
 * their final places.  Otherwise the CPUs are merged one event at a time.
 *
 * Devices are numbered in order of their first engine event in the file,
 * so the numbering does not depend on how the threads ran.
 */
#include <stdlib.h>
#include <string.h>

#include "ftrace-local.h"

#define RR_DROP UINT32_MAX           /* rrank of a record that is not kept */

struct merge {
	struct trace *t;
	struct ftrace *f;
	struct fx_load *ld;
	int serial;                  /* ranks come from rank/rrank arrays */
	uint64_t *pos;               /* sorted scatter: per stream, positions and relevant
				      * counts in every stream (2 x ncpus each) */
};

/* ---- positions ----------------------------------------------------------------------- */

static const struct fev *evs(const struct fx_stream *st)
{
	return st->ev.p;
}

/* Events of a sorted stream with ts < @t (or <= @t when @incl). */
static uint64_t count_before(const struct fx_stream *st, uint64_t t, int incl)
{
	const struct fev *e = evs(st);
	uint64_t lo = 0, hi = st->ev.n;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (e[mid].ts < t || (incl && e[mid].ts == t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The file index of event @i of stream @c. */
static uint64_t rank_of(const struct merge *m, int c, uint64_t i)
{
	const struct fx_load *ld = m->ld;
	uint64_t t, r = i;

	if (m->serial)
		return ld->streams[c].rank[i];
	t = evs(&ld->streams[c])[i].ts;
	for (int s = 0; s < ld->ncpus; s++)
		if (s != c)
			r += count_before(&ld->streams[s], t, s < c);
	return r;
}

/* ---- the serial merge (streams out of order, or records to drop) ------------------------ */

/* A later run of a CPU waits until the run before it is done. */
static int waits(const struct fx_load *ld, const uint64_t *pos, int c)
{
	const struct fx_stream *prev = c ? &ld->streams[c - 1] : NULL;

	return prev && prev->cpu_index == ld->streams[c].cpu_index && pos[c - 1] < prev->ev.n;
}

/* The stream whose next event comes first (lowest index on equal timestamps). */
static int pick(const struct fx_load *ld, const uint64_t *pos)
{
	int best = -1;
	uint64_t bts = 0;

	for (int c = 0; c < ld->ncpus; c++) {
		const struct fx_stream *st = &ld->streams[c];

		if (waits(ld, pos, c))
			continue;
		if (pos[c] < st->ev.n && (best < 0 || evs(st)[pos[c]].ts < bts)) {
			best = c;
			bts = evs(st)[pos[c]].ts;
		}
	}
	return best;
}

static int serial_alloc(struct fx_load *ld)
{
	for (int c = 0; c < ld->ncpus; c++) {
		struct fx_stream *st = &ld->streams[c];

		if (st->rank)
			continue;
		st->rank = malloc((st->ev.n ? st->ev.n : 1) * sizeof(*st->rank));
		st->rrank = malloc((st->recs.n ? st->recs.n : 1) * sizeof(*st->rrank));
		if (!st->rank || !st->rrank)
			return -1;
	}
	return 0;
}

/* Pass 1: every event's index in the file. */
static int serial_ranks(struct fx_load *ld, uint64_t total)
{
	uint64_t *pos = calloc((size_t)ld->ncpus, sizeof(*pos));

	if (!pos || serial_alloc(ld) < 0) {
		free(pos);
		return -1;
	}
	for (uint64_t src = 0; src < total; src++) {
		int c = pick(ld, pos);

		ld->streams[c].rank[pos[c]++] = (uint32_t)src;
	}
	free(pos);
	return 0;
}

/* Pass 2: every record's engine index, dropping those of devices without a number. */
static int serial_rranks(struct merge *m, uint64_t total, uint64_t *kept)
{
	struct fx_load *ld = m->ld;
	uint64_t *pos = calloc((size_t)ld->ncpus, sizeof(*pos));
	uint64_t *rpos = calloc((size_t)ld->ncpus, sizeof(*rpos));

	*kept = 0;
	if (!pos || !rpos) {
		free(pos);
		free(rpos);
		return -1;
	}
	for (uint64_t src = 0; src < total; src++) {
		int c = pick(ld, pos);
		struct fx_stream *st = &ld->streams[c];
		const struct frec *r;

		if (!(evs(st)[pos[c]++].off & FEV_REL))
			continue;
		r = (const struct frec *)st->recs.p + rpos[c];
		if (r->src != UINT32_MAX && st->gdev[r->src] < 0) {
			st->rrank[rpos[c]++] = RR_DROP;
			st->toomany++;
		} else {
			st->rrank[rpos[c]++] = (uint32_t)(*kept)++;
		}
	}
	free(pos);
	free(rpos);
	return 0;
}

/* ---- devices ----------------------------------------------------------------------- */

struct first_use {
	uint64_t rank;
	int c;
	unsigned local;
};

static int by_rank(const void *a, const void *b)
{
	const struct first_use *x = a, *y = b;

	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int alloc_gdev(struct fx_load *ld, size_t *nused)
{
	*nused = 0;
	for (int c = 0; c < ld->ncpus; c++) {
		struct fx_stream *st = &ld->streams[c];

		st->gdev = malloc((st->devs.n ? st->devs.n : 1) * sizeof(int));
		if (!st->gdev)
			return -1;
		for (unsigned d = 0; d < st->devs.n; d++) {
			st->gdev[d] = -1;
			*nused += st->devs.first[d] != UINT64_MAX;
		}
	}
	return 0;
}

/* Number the devices in order of first use; 1 when some got no number. */
static int number_devices(struct merge *m)
{
	struct fx_load *ld = m->ld;
	struct first_use *u;
	size_t n, k = 0;
	int dropped = 0;

	if (alloc_gdev(ld, &n) < 0 || !(u = malloc((n ? n : 1) * sizeof(*u))))
		return -1;
	for (int c = 0; c < ld->ncpus; c++)
		for (unsigned d = 0; d < ld->streams[c].devs.n; d++)
			if (ld->streams[c].devs.first[d] != UINT64_MAX)
				u[k++] = (struct first_use){ rank_of(m, c, ld->streams[c].devs.first[d]),
							     c, d };
	qsort(u, n, sizeof(*u), by_rank);
	for (size_t i = 0; i < n; i++) {
		struct fx_stream *st = &ld->streams[u[i].c];
		int g = trace_add_dev(m->t, st->devs.names[u[i].local]);

		st->gdev[u[i].local] = g;
		dropped |= g < 0;
		if (g >= 0 && (st->devs.flags[u[i].local] & FXD_CALLS))
			m->f->calls[g] = 1;
		if (g >= 0 && (st->devs.flags[u[i].local] & FXD_ACCESS))
			m->f->access[g] = 1;
	}
	free(u);
	return dropped;
}

/* ---- the trace's arrays -------------------------------------------------------------- */

static void *shrunk(struct fx_vec *v, size_t elem)
{
	void *p = realloc(v->p, (size_t)(v->n ? v->n : 1) * elem);

	if (!p)
		p = v->p;
	memset(v, 0, sizeof(*v));
	return p;
}

/* Offsets, one per file event. */
static int alloc_offsets(struct ftrace *f, const struct fx_load *ld)
{
	uint64_t maxoff = 0;

	for (int c = 0; c < ld->ncpus; c++)
		if (ld->streams[c].maxoff > maxoff)
			maxoff = ld->streams[c].maxoff;
	f->off_lo = malloc((f->nevents ? f->nevents : 1) * sizeof(*f->off_lo));
	if (maxoff >> 32)
		f->off_hi = malloc(f->nevents ? f->nevents : 1);
	return f->off_lo && (f->off_hi || !(maxoff >> 32)) ? 0 : -1;
}

/* Sorted CPUs: each stream's records and arenas become a part, as they are. */
static int parts_per_cpu(struct ftrace *f, struct fx_load *ld)
{
	f->parts = calloc((size_t)ld->ncpus, sizeof(*f->parts));
	if (!f->parts)
		return -1;
	f->nparts = (unsigned)ld->ncpus;
	for (int c = 0; c < ld->ncpus; c++) {
		struct fx_stream *st = &ld->streams[c];
		struct fx_part *pt = &f->parts[c];

		pt->n = st->recs.n;
		pt->nsegbytes = st->segs.n;
		pt->ntext = st->text.n;
		pt->recs = shrunk(&st->recs, sizeof(struct frec));
		pt->segs = shrunk(&st->segs, 1);
		pt->text = shrunk(&st->text, 1);
		f->nrecs += pt->n;
	}
	return fx_order_alloc(f);
}

/* Otherwise one part in file order, the streams' arenas one after the other. */
static int one_part(struct ftrace *f, struct fx_load *ld, uint64_t kept)
{
	struct fx_part *pt;
	uint64_t nseg = 0, ntext = 0;

	for (int c = 0; c < ld->ncpus; c++) {
		ld->streams[c].text_base = ntext;
		ld->streams[c].seg_base = nseg;
		nseg += ld->streams[c].segs.n;
		ntext += ld->streams[c].text.n;
	}
	f->parts = pt = calloc(1, sizeof(*pt));
	if (!pt)
		return -1;
	f->nparts = 1;
	pt->recs = malloc((kept ? kept : 1) * sizeof(*pt->recs));
	pt->segs = malloc(nseg ? nseg : 1);
	pt->text = malloc(ntext ? ntext : 1);
	if (!pt->recs || !pt->segs || !pt->text)
		return -1;
	pt->n = f->nrecs = kept;
	pt->nsegbytes = nseg;
	pt->ntext = ntext;
	return 0;
}

/* ---- placing a stream's events --------------------------------------------------------- */

static void put_off(struct ftrace *f, uint64_t src, uint64_t off)
{
	f->off_lo[src] = (uint32_t)off;
	if (f->off_hi)
		f->off_hi[src] = (uint8_t)(off >> 32);
}

/* A stream record made global: its src and device. */
static void globalize(const struct fx_stream *st, struct frec *r, uint64_t src)
{
	fr_set_dev(r, r->src == UINT32_MAX ? 0 : (unsigned)st->gdev[r->src]);
	r->src = (uint32_t)src;
}

/* Sorted streams: ranks by walking the other streams' timestamps alongside. */
static void place_sorted(const struct merge *m, struct fx_stream *st)
{
	const struct fx_load *ld = m->ld;
	int c = st->idx, nc = ld->ncpus;
	uint64_t *pos = m->pos + (size_t)c * 2 * (size_t)nc, *rel = pos + nc, own = 0, next = 0;
	struct frec *recs = m->f->parts[c].recs;
	const struct fev *e = evs(st);

	for (uint64_t i = 0; i < st->ev.n; i++) {
		uint64_t t = e[i].ts, src = i, rr = own;

		for (int s = 0; s < nc; s++) {
			const struct fx_stream *o = &ld->streams[s];
			const struct fev *oe = evs(o);

			if (s == c)
				continue;
			while (pos[s] < o->ev.n && (oe[pos[s]].ts < t ||
						    (s < c && oe[pos[s]].ts == t)))
				rel[s] += !!(oe[pos[s]++].off & FEV_REL);
			src += pos[s];
			rr += rel[s];
		}
		put_off(m->f, src, e[i].off & ~FEV_REL);
		if (!(e[i].off & FEV_REL))
			continue;
		globalize(st, &recs[own], src);
		fx_order_note(m->f, (unsigned)c, own++, rr, &next);
	}
	fx_order_end(m->f, (unsigned)c, own, &next);
}

/* Streams out of order: the ranks the serial merge found; records copied into place. */
static void place_serial(const struct merge *m, struct fx_stream *st)
{
	struct fx_part *pt = &m->f->parts[0];
	const struct frec *recs = st->recs.p;
	const struct fev *e = evs(st);
	uint64_t own = 0;

	if (st->text.n)
		memcpy(pt->text + st->text_base, st->text.p, st->text.n);
	if (st->segs.n)
		memcpy(pt->segs + st->seg_base, st->segs.p, st->segs.n);
	for (uint64_t i = 0; i < st->ev.n; i++) {
		struct frec r;
		unsigned kind;

		put_off(m->f, st->rank[i], e[i].off & ~FEV_REL);
		if (!(e[i].off & FEV_REL))
			continue;
		if (st->rrank[own] == RR_DROP) {
			own++;
			continue;
		}
		r = recs[own];
		kind = fr_kind(&r);
		if (r.meta & FR_SEGS)
			fr_set(r.addr, fr_u64(r.addr) + st->seg_base);
		else if (kind == COH_EV_MARK || kind == COH_EV_SCOPE_BEGIN ||
			 kind == COH_EV_SCOPE_END)
			fr_set(r.addr, fr_u64(r.addr) + st->text_base);
		globalize(st, &r, st->rank[i]);
		pt->recs[st->rrank[own++]] = r;
	}
}

static void place(void *ctx, struct fx_stream *st)
{
	const struct merge *m = ctx;

	if (m->serial)
		place_serial(m, st);
	else
		place_sorted(m, st);
}

/* ---- per-event warnings --------------------------------------------------------------- */

struct note_at {
	uint64_t src;
	const char *text;
};

static int by_src(const void *a, const void *b)
{
	const struct note_at *x = a, *y = b;

	return x->src < y->src ? -1 : x->src > y->src;
}

static int give_notes(const struct merge *m)
{
	const struct fx_load *ld = m->ld;
	struct note_at *all;
	size_t n = 0;

	all = malloc(((size_t)ld->ncpus * FX_MAX_NOTES + 1) * sizeof(*all));
	if (!all)
		return -1;
	for (int c = 0; c < ld->ncpus; c++) {
		const struct fx_stream *st = &ld->streams[c];

		for (uint64_t i = 0; i < st->notes.n; i++) {
			const struct fx_note *nt = (const struct fx_note *)st->notes.p + i;

			all[n].src = rank_of(m, c, nt->ev);
			all[n++].text = (const char *)st->text.p + nt->text;
		}
	}
	qsort(all, n, sizeof(*all), by_src);
	for (size_t i = 0; i < n && i < FX_MAX_NOTES; i++)
		trace_warn(m->t, "event %llu: %s", (unsigned long long)all[i].src, all[i].text);
	free(all);
	return 0;
}

/* ---- the merge -------------------------------------------------------------------------- */

/* The runs of one CPU follow each other in time too. */
static int runs_in_order(const struct fx_load *ld, int c)
{
	const struct fx_stream *a = &ld->streams[c - 1], *b = &ld->streams[c];

	return a->cpu_index != b->cpu_index || !a->ev.n || !b->ev.n ||
	       evs(a)[a->ev.n - 1].ts <= evs(b)[0].ts;
}

static uint64_t count_all(const struct fx_load *ld, int *sorted, uint64_t *recs)
{
	uint64_t n = 0;

	*sorted = 1;
	*recs = 0;
	for (int c = 0; c < ld->ncpus; c++) {
		n += ld->streams[c].ev.n;
		*recs += ld->streams[c].recs.n;
		*sorted &= ld->streams[c].sorted && (c == 0 || runs_in_order(ld, c));
	}
	return n;
}

int fx_merge(struct trace *t, struct ftrace *f, struct fx_load *ld, char *err, size_t n)
{
	struct merge m = { .t = t, .f = f, .ld = ld };
	uint64_t kept;
	int sorted, dropped;

	f->nevents = count_all(ld, &sorted, &kept);
	if (f->nevents >= UINT32_MAX) {
		snprintf(err, n, "%llu events: more than this reader takes (%u)",
			 (unsigned long long)f->nevents, UINT32_MAX - 1);
		return -1;
	}
	m.serial = !sorted;
	if (m.serial && serial_ranks(ld, f->nevents) < 0)
		goto nomem;
	dropped = number_devices(&m);
	if (dropped < 0)
		goto nomem;
	if (dropped && !m.serial) {
		m.serial = 1;
		if (serial_ranks(ld, f->nevents) < 0)
			goto nomem;
	}
	if (m.serial && serial_rranks(&m, f->nevents, &kept) < 0)
		goto nomem;
	if (give_notes(&m) < 0)
		goto nomem;
	if (alloc_offsets(f, ld) < 0 ||
	    (m.serial ? one_part(f, ld, kept) : parts_per_cpu(f, ld)) < 0)
		goto nomem;
	if (!m.serial && !(m.pos = calloc((size_t)ld->ncpus * 2 * (size_t)ld->ncpus,
					  sizeof(*m.pos))))
		goto nomem;
	fx_parallel(ld, place, &m);
	free(m.pos);
	return 0;
nomem:
	free(m.pos);
	snprintf(err, n, "out of memory");
	return -1;
}
