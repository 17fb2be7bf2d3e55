/* SPDX-License-Identifier: MIT */
/*
 * ftrace_merge.c - the CPUs of a trace.dat in `trace-cmd report` order.
 *
 * trace-cmd report (tracecmd_iterate_events_multi) repeatedly takes the
 * CPU whose next record has the smallest timestamp, the lowest CPU index
 * on a tie.  Merging the streams the same way gives every event the index
 * the report lists it at (its src).  Here the stream-local parts of each
 * record become global: device names become trace device indices, marker
 * lines become access/scope/mark events, segments and texts move to the
 * trace's arenas, and dma_unmap_sg shares the segments of the dma_map_sg
 * it undoes.
 */
#include <stdlib.h>
#include <string.h>

#include "ftrace-local.h"

#define FX_MAX_WARN_EVENTS 20    /* per-event warnings before they are only counted */

/* dma_map_sg mappings still live, keyed by (device, first physical address). */
struct sg_key {
	uint64_t phys;
	uint64_t seg;                /* first segment in the trace's arena */
	uint32_t nsegs;
	uint16_t dev;
	uint8_t used;
};

struct sg_table {
	struct sg_key *k;
	uint64_t cap, n;
};

struct merge {
	struct trace *t;
	struct ftrace *f;
	struct fx_load *ld;
	int **gdev;                  /* per stream: local device -> trace device (-2 unknown) */
	struct sg_table live;
	uint64_t warned;             /* per-event warnings given */
};

/* ---- live scatter lists ----------------------------------------------------------- */

static uint64_t sg_hash(uint64_t phys, unsigned dev)
{
	uint64_t h = phys * 0x9e3779b97f4a7c15ull ^ (dev + 1) * 0xc2b2ae3d27d4eb4full;

	return h ^ (h >> 29);
}

static int sg_grow(struct sg_table *t)
{
	struct sg_table nt = { .cap = t->cap ? t->cap * 2 : 1024 };

	nt.k = calloc(nt.cap, sizeof(*nt.k));
	if (!nt.k)
		return -1;
	for (uint64_t i = 0; i < t->cap; i++) {
		uint64_t j;

		if (!t->k[i].used)
			continue;
		j = sg_hash(t->k[i].phys, t->k[i].dev) & (nt.cap - 1);
		while (nt.k[j].used)
			j = (j + 1) & (nt.cap - 1);
		nt.k[j] = t->k[i];
		nt.n++;
	}
	free(t->k);
	*t = nt;
	return 0;
}

/* Slot of (phys, dev): the live entry, or the empty one where it would go. */
static uint64_t sg_find(const struct sg_table *t, uint64_t phys, unsigned dev)
{
	uint64_t j = sg_hash(phys, dev) & (t->cap - 1);

	while (t->k[j].used && !(t->k[j].phys == phys && t->k[j].dev == dev))
		j = (j + 1) & (t->cap - 1);
	return j;
}

static int sg_put(struct sg_table *t, uint64_t phys, unsigned dev, uint64_t seg, uint32_t n)
{
	uint64_t j;

	if ((t->n + 1) * 2 > t->cap && sg_grow(t) < 0)
		return -1;
	j = sg_find(t, phys, dev);
	if (!t->k[j].used)
		t->n++;
	t->k[j] = (struct sg_key){ .phys = phys, .seg = seg, .nsegs = n, .dev = (uint16_t)dev,
				   .used = 1 };
	return 0;
}

/* Remove slot @j, moving later entries of its run back (linear probing). */
static void sg_del(struct sg_table *t, uint64_t j)
{
	uint64_t i = j, k;

	t->k[j].used = 0;
	t->n--;
	for (;;) {
		i = (i + 1) & (t->cap - 1);
		if (!t->k[i].used)
			return;
		k = sg_hash(t->k[i].phys, t->k[i].dev) & (t->cap - 1);
		/* move i to j when its home k is not cyclically in (j, i] */
		if ((j < i) ? (k <= j || k > i) : (k <= j && k > i)) {
			t->k[j] = t->k[i];
			t->k[i].used = 0;
			j = i;
		}
	}
}

/* ---- devices -------------------------------------------------------------------- */

/* Trace device index of a name; -1 past COH_MAX_DEVS. */
static int global_dev(struct merge *m, const char *name, size_t len)
{
	char buf[COH_NAME_MAX];

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return trace_add_dev(m->t, buf);
}

static int stream_dev(struct merge *m, int s, uint32_t local)
{
	struct fx_stream *st = &m->ld->streams[s];

	if (local >= st->devs.n)
		return -1;      /* no device, or past the stream's table */
	if (m->gdev[s][local] == -2)
		m->gdev[s][local] = global_dev(m, st->devs.names[local], st->devs.lens[local]);
	return m->gdev[s][local];
}

/* ---- arenas --------------------------------------------------------------------- */

static uint64_t put_text(struct ftrace *f, const char *s, size_t n)
{
	uint64_t off = f->ntext;

	memcpy(f->text + off, s, n);
	f->text[off + n] = '\0';
	f->ntext += n + 1;
	return off;
}

static uint64_t put_segs(struct ftrace *f, const struct coh_seg *s, uint32_t n)
{
	uint64_t at = f->nsegs;

	memcpy(f->segs + at, s, n * sizeof(*s));
	f->nsegs += n;
	return at;
}

/* ---- one record ----------------------------------------------------------------- */

static void warn_event(struct merge *m, uint64_t src, const char *what, const char *why)
{
	if (m->warned++ < FX_MAX_WARN_EVENTS)
		trace_warn(m->t, "event %llu: %s: %s", (unsigned long long)src, what, why);
}

/* A marker line -> its engine event in @r (kind MARK when it is none of the others). */
static int merge_print(struct merge *m, struct frec *r, const char *line, uint64_t src)
{
	struct fx_marker mk;
	uint32_t meta = r->meta & ~((1u << FR_KIND_BITS) - 1) & ~(3u << FR_DIR_SHIFT);
	int dev = 0;

	fx_marker_parse(line, r->len, &mk);
	if (mk.malformed) {
		m->f->malformed++;
		warn_event(m, src, "malformed marker, read as a mark", mk.why);
	}
	if (mk.multiline)
		m->f->multiline++;
	if (mk.dev && (dev = global_dev(m, mk.dev, mk.devlen)) < 0) {
		m->f->toomany++;
		return 0;
	}
	r->meta = meta | mk.kind | (uint32_t)COH_DIR_NONE << FR_DIR_SHIFT |
		  (uint32_t)mk.scope << FR_SCOPE_SHIFT;
	fr_set_dev(r, (unsigned)dev);
	if (mk.kind == COH_EV_DEV_READ || mk.kind == COH_EV_DEV_WRITE)
		m->f->access[dev] = 1;
	if (mk.kind == COH_EV_MARK || mk.kind == COH_EV_SCOPE_BEGIN ||
	    mk.kind == COH_EV_SCOPE_END) {
		fr_set(r->addr, put_text(m->f, mk.text, mk.textlen));
		r->len = mk.textlen;
		return 1;
	}
	fr_set(r->addr, mk.addr);
	fr_set(r->bus, COH_ADDR_NONE);
	r->meta &= ~FR_LEN4G;
	if (mk.len > UINT32_MAX)
		r->meta |= FR_LEN4G;
	r->len = (uint32_t)mk.len;
	return 1;
}

/* dma_unmap_sg: reuse the segments of its dma_map_sg when they match. */
static void merge_unmap_sg(struct merge *m, struct frec *r, const struct coh_seg *own, int dev)
{
	uint64_t j = sg_find(&m->live, own[0].addr, (unsigned)dev);
	const struct sg_key *k = &m->live.k[j];
	int same = k->used && k->nsegs == r->len;

	for (uint32_t i = 0; same && i < r->len; i++)
		same = m->f->segs[k->seg + i].addr == own[i].addr;
	if (same) {
		fr_set(r->addr, k->seg);
		sg_del(&m->live, j);
		return;
	}
	fr_set(r->addr, put_segs(m->f, own, r->len));
}

static int merge_segs(struct merge *m, struct frec *r, const struct fx_stream *st, int dev)
{
	const struct coh_seg *own = (const struct coh_seg *)st->segs.p + fr_u64(r->addr);
	unsigned kind = fr_kind(r);
	uint64_t at;

	if (kind == COH_EV_DMA_UNMAP_SG && m->live.cap) {
		merge_unmap_sg(m, r, own, dev);
		return 0;
	}
	at = put_segs(m->f, own, r->len);
	fr_set(r->addr, at);
	if (kind == COH_EV_DMA_MAP_SG)
		return sg_put(&m->live, own[0].addr, (unsigned)dev, at, r->len);
	return 0;
}

static void count_kind(struct ftrace *f, const struct frec *r)
{
	unsigned kind = fr_kind(r);

	if (kind == COH_EV_DMA_MAP || kind == COH_EV_DMA_MAP_SG)
		f->maps++;
	else if (kind >= COH_EV_DMA_SYNC_CPU && kind <= COH_EV_DMA_SYNC_SG_DEV)
		f->syncs++;
	if (kind == COH_EV_DMA_MAP_SG && (r->meta & FR_TRUNC))
		f->truncated++;
}

/* Make stream @s's record @r global; 1 when it is an engine event, 0 when dropped. */
static int merge_rec(struct merge *m, int s, struct frec *r, uint64_t src)
{
	const struct fx_stream *st = &m->ld->streams[s];
	const char *text = (const char *)st->text.p;
	unsigned kind = fr_kind(r);
	uint32_t local = r->src;
	int dev;

	r->src = (uint32_t)src;
	if (kind == FK_PRINT)
		return merge_print(m, r, text + fr_u64(r->addr), src);
	if (kind == FK_BAD) {
		uint64_t slot = fr_u64(r->bus);

		m->f->bad++;
		warn_event(m, src, slot < m->ld->nslots ? m->ld->slot_names[slot] : "?",
			   text + fr_u64(r->addr));
		return 0;
	}
	dev = stream_dev(m, s, local);
	if (dev < 0) {
		m->f->toomany++;
		return 0;
	}
	fr_set_dev(r, (unsigned)dev);
	m->f->calls[dev] = 1;
	if ((r->meta & FR_SEGS) && merge_segs(m, r, st, dev) < 0)
		return -1;
	count_kind(m->f, r);
	return 1;
}

/* ---- the merge -------------------------------------------------------------------- */

/* Upper bounds of what the trace's arrays need. */
static int alloc_out(struct ftrace *f, const struct fx_load *ld, char *err, size_t n)
{
	uint64_t nev = 0, nrec = 0, nseg = 0, ntext = 0;

	for (int c = 0; c < ld->ncpus; c++) {
		nev += ld->streams[c].ts.n;
		nrec += ld->streams[c].recs.n;
		nseg += ld->streams[c].segs.n;
		ntext += ld->streams[c].text.n;
	}
	if (nev >= UINT32_MAX) {
		snprintf(err, n, "%llu events: more than this reader takes (%u)",
			 (unsigned long long)nev, UINT32_MAX - 1);
		return -1;
	}
	f->recs = malloc((nrec ? nrec : 1) * sizeof(*f->recs));
	f->off_lo = malloc((nev ? nev : 1) * sizeof(*f->off_lo));
	f->off_hi = malloc(nev ? nev : 1);
	f->segs = malloc((nseg ? nseg : 1) * sizeof(*f->segs));
	f->text = malloc(ntext ? ntext : 1);
	if (!f->recs || !f->off_lo || !f->off_hi || !f->segs || !f->text) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	f->nevents = nev;
	return 0;
}

static int alloc_gdev(struct merge *m)
{
	m->gdev = calloc((size_t)m->ld->ncpus, sizeof(*m->gdev));
	if (!m->gdev)
		return -1;
	for (int c = 0; c < m->ld->ncpus; c++) {
		unsigned nd = m->ld->streams[c].devs.n;

		m->gdev[c] = malloc((nd ? nd : 1) * sizeof(int));
		if (!m->gdev[c])
			return -1;
		for (unsigned i = 0; i < nd; i++)
			m->gdev[c][i] = -2;
	}
	return 0;
}

/* The stream whose next event comes first (lowest index on equal timestamps). */
static int pick(const struct fx_load *ld, const uint64_t *pos)
{
	int best = -1;
	uint64_t bts = 0;

	for (int c = 0; c < ld->ncpus; c++) {
		const struct fx_stream *st = &ld->streams[c];
		uint64_t ts;

		if (pos[c] == st->ts.n)
			continue;
		ts = ((const uint64_t *)st->ts.p)[pos[c]];
		if (best < 0 || ts < bts) {
			best = c;
			bts = ts;
		}
	}
	return best;
}

static int merge_all(struct merge *m, uint64_t *pos, uint64_t *rpos)
{
	struct ftrace *f = m->f;

	for (uint64_t src = 0; src < f->nevents; src++) {
		int c = pick(m->ld, pos);
		struct fx_stream *st = &m->ld->streams[c];
		uint64_t off = ((uint64_t *)st->off.p)[pos[c]];
		int keep;

		f->off_lo[src] = (uint32_t)off;
		f->off_hi[src] = (uint8_t)(off >> 32);
		if (((uint8_t *)st->rel.p)[pos[c]++]) {
			struct frec r = ((struct frec *)st->recs.p)[rpos[c]++];

			keep = merge_rec(m, c, &r, src);
			if (keep < 0)
				return -1;
			if (keep)
				f->recs[f->nrecs++] = r;
		}
		if ((src & 0xfffff) == 0)
			trace_progress(m->t, src, f->nevents);
	}
	return 0;
}

static void shrink(void **p, uint64_t n, size_t elem)
{
	void *q = realloc(*p, (size_t)(n ? n : 1) * elem);

	if (q)
		*p = q;
}

int fx_merge(struct trace *t, struct ftrace *f, struct fx_load *ld, char *err, size_t n)
{
	struct merge m = { .t = t, .f = f, .ld = ld };
	uint64_t *pos = calloc((size_t)ld->ncpus + 1, sizeof(*pos));
	uint64_t *rpos = calloc((size_t)ld->ncpus + 1, sizeof(*rpos));
	int ret = -1;

	if (!pos || !rpos || alloc_gdev(&m) < 0)
		snprintf(err, n, "out of memory");
	else if (alloc_out(f, ld, err, n) == 0) {
		ret = merge_all(&m, pos, rpos);
		if (ret < 0)
			snprintf(err, n, "out of memory");
	}
	shrink((void **)&f->recs, f->nrecs, sizeof(*f->recs));
	shrink((void **)&f->segs, f->nsegs, sizeof(*f->segs));
	shrink((void **)&f->text, f->ntext, 1);
	for (int c = 0; m.gdev && c < ld->ncpus; c++)
		free(m.gdev[c]);
	free(m.gdev);
	free(m.live.k);
	free(pos);
	free(rpos);
	return ret;
}
