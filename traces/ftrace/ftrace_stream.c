/* SPDX-License-Identifier: MIT */
/*
 * ftrace_stream.c - what one CPU of a trace.dat yields, record by record.
 *
 * A reading thread (ftrace_threads.c) hands every record of its CPU to
 * fx_stream_add(), which keeps the event's timestamp and file offset,
 * counts it, and for a DMA API call or a marker line builds the compact
 * record it will be in the loaded trace.  Everything that depends on the
 * other CPUs (the event's index in the file, device numbers) is filled in
 * when the CPUs are merged (ftrace_merge.c); until then a record names
 * its device by this stream's own numbering and its text and segments by
 * offsets in this stream's arenas.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ftrace-local.h"

#define FX_MAX_STAT_DEVS   1024     /* device names per stream; more are only counted */
#define FX_HUGE            (2u << 20)   /* transparent huge page size */

/* ---- growable arrays --------------------------------------------------------------- */

int fx_vec_reserve(struct fx_vec *v, uint64_t more, size_t elem)
{
	uint64_t cap;
	void *p;

	if (v->n + more <= v->cap)
		return 0;
	cap = v->cap ? v->cap : 256;
	while (cap < v->n + more)
		cap *= 2;
	if (cap > SIZE_MAX / elem)
		return -1;
	p = realloc(v->p, (size_t)cap * elem);
	if (!p)
		return -1;
	v->p = p;
	v->cap = cap;
	return 0;
}

void fx_hugepages(void *p, size_t len)
{
	uintptr_t lo = ((uintptr_t)p + FX_HUGE - 1) & ~(uintptr_t)(FX_HUGE - 1);
	uintptr_t hi = ((uintptr_t)p + len) & ~(uintptr_t)(FX_HUGE - 1);

	if (len >= 2 * FX_HUGE && hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

void fx_vec_free(struct fx_vec *v)
{
	free(v->p);
	memset(v, 0, sizeof(*v));
}

/* ---- device names ------------------------------------------------------------------ */

static int dev_grow(struct fx_devtab *t)
{
	char **names = realloc(t->names, (t->n + 1) * sizeof(*names));
	uint32_t *lens;
	uint64_t *first;
	uint8_t *flags;

	if (names)
		t->names = names;
	lens = realloc(t->lens, (t->n + 1) * sizeof(*lens));
	if (lens)
		t->lens = lens;
	first = realloc(t->first, (t->n + 1) * sizeof(*first));
	if (first)
		t->first = first;
	flags = realloc(t->flags, t->n + 1);
	if (flags)
		t->flags = flags;
	return names && lens && first && flags ? 0 : -1;
}

/* Local index of a device name, adding it; -2 when the table is full, -1 out of memory. */
static int dev_index(struct fx_devtab *t, const char *name, uint32_t len)
{
	if (t->last < t->n && t->lens[t->last] == len && memcmp(t->names[t->last], name, len) == 0)
		return (int)t->last;
	for (unsigned i = 0; i < t->n; i++)
		if (t->lens[i] == len && memcmp(t->names[i], name, len) == 0)
			return (int)(t->last = i);
	if (t->n == FX_MAX_STAT_DEVS)
		return -2;
	if (dev_grow(t) < 0 || !(t->names[t->n] = strndup(name, len)))
		return -1;
	t->lens[t->n] = len;
	t->first[t->n] = UINT64_MAX;
	t->flags[t->n] = 0;
	return (int)(t->last = t->n++);
}

/* Room in devcounts for local device @dev (one row of nslots counters). */
static int devcount_row(struct fx_stream *st, unsigned dev, unsigned nslots)
{
	uint64_t *c;
	unsigned cap;

	if (dev < st->capdevcounts)
		return 0;
	cap = st->capdevcounts ? st->capdevcounts * 2 : 8;
	while (cap <= dev)
		cap *= 2;
	c = realloc(st->devcounts, (size_t)cap * nslots * sizeof(*c));
	if (!c)
		return -1;
	memset(c + (size_t)st->capdevcounts * nslots, 0,
	       (size_t)(cap - st->capdevcounts) * nslots * sizeof(*c));
	st->devcounts = c;
	st->capdevcounts = cap;
	return 0;
}

/* ---- arenas ---------------------------------------------------------------------- */

static int push_text(struct fx_stream *st, const char *s, size_t n, uint64_t *off)
{
	if (fx_vec_reserve(&st->text, n + 1, 1) < 0)
		return -1;
	*off = st->text.n;
	memcpy((char *)st->text.p + st->text.n, s, n);
	((char *)st->text.p)[st->text.n + n] = '\0';
	st->text.n += n + 1;
	return 0;
}

/* Keep a warning about event @ev (the first FX_MAX_NOTES of the stream). */
static int note(struct fx_stream *st, uint64_t ev, const char *what, const char *why)
{
	char msg[256];
	struct fx_note *nt;
	uint64_t off;
	int k;

	if (st->notes.n >= FX_MAX_NOTES)
		return 0;
	k = snprintf(msg, sizeof(msg), "%s: %s", what, why);
	if (k < 0 || push_text(st, msg, strnlen(msg, sizeof(msg)), &off) < 0 ||
	    fx_vec_reserve(&st->notes, 1, sizeof(*nt)) < 0)
		return -1;
	nt = (struct fx_note *)st->notes.p + st->notes.n++;
	nt->ev = ev;
	nt->text = off;
	return 0;
}

/* ---- records ---------------------------------------------------------------------- */

/* The compact record of a decoded call. */
static void fill_call(struct frec *r, const struct coh_event *ev, uint64_t seg)
{
	uint64_t len = ev->len;

	r->meta |= ev->kind | (uint32_t)(ev->dir & 3) << FR_DIR_SHIFT;
	if (ev->flags & COH_F_SKIP_CPU_SYNC)
		r->meta |= FR_SKIP;
	if (ev->flags & COH_F_TRUNCATED)
		r->meta |= FR_TRUNC;
	if (ev->nsegs) {
		r->meta |= FR_SEGS;
		fr_set(r->addr, seg);
		fr_set(r->bus, ev->nents);
		r->len = ev->nsegs;
		return;
	}
	if (len > UINT32_MAX) {
		r->meta |= FR_LEN4G;   /* the engine takes at most 2^32: this is it */
		len = 0;
	}
	fr_set(r->addr, ev->addr);
	fr_set(r->bus, ev->bus);
	r->len = (uint32_t)len;
}

static void count_call(struct fx_stream *st, const struct coh_event *ev)
{
	if (ev->kind == COH_EV_DMA_MAP || ev->kind == COH_EV_DMA_MAP_SG)
		st->maps++;
	else if (ev->kind >= COH_EV_DMA_SYNC_CPU && ev->kind <= COH_EV_DMA_SYNC_SG_DEV)
		st->syncs++;
	if (ev->kind == COH_EV_DMA_MAP_SG && (ev->flags & COH_F_TRUNCATED))
		st->truncated++;
}

static int make_call(struct fx_stream *st, const struct fx_event *fe, struct frec *r)
{
	uint64_t seg = st->segs.n;

	if (fe->ev.nsegs) {
		if (fx_vec_reserve(&st->segs, fx_scatter_max(fe->ev.nsegs), 1) < 0)
			return -1;
		st->segs.n += fx_scatter_pack((uint8_t *)st->segs.p + seg, fe->ev.segs, fe->ev.nsegs);
	}
	fill_call(r, &fe->ev, seg);
	count_call(st, &fe->ev);
	return 0;
}

/* A marker line -> its engine event in @r, its device (dev=) in *dev; 1, 0 (dropped), -1. */
static int make_marker(struct fx_stream *st, const struct fx_event *fe, struct frec *r,
		       uint64_t ev, int *dev)
{
	struct fx_marker mk;
	uint64_t off;

	fx_marker_parse(fe->text, fe->textlen, &mk);
	if (mk.malformed) {
		st->malformed++;
		if (note(st, ev, "malformed marker, read as a mark", mk.why) < 0)
			return -1;
	}
	if (mk.multiline)
		st->multiline++;
	if (mk.dev) {
		st->devgen = 0;   /* devs.last moves: the next record looks its device up */
		*dev = dev_index(&st->devs, mk.dev, mk.devlen);
		if (*dev == -1)
			return -1;
		if (*dev == -2) {
			st->toomany++;
			return 0;
		}
		if (mk.kind == COH_EV_DEV_READ || mk.kind == COH_EV_DEV_WRITE)
			st->devs.flags[*dev] |= FXD_ACCESS;
	}
	r->meta |= mk.kind | (uint32_t)COH_DIR_NONE << FR_DIR_SHIFT |
		   (uint32_t)mk.scope << FR_SCOPE_SHIFT;
	if (mk.kind == COH_EV_MARK || mk.kind == COH_EV_SCOPE_BEGIN ||
	    mk.kind == COH_EV_SCOPE_END) {
		if (push_text(st, mk.text, mk.textlen, &off) < 0)
			return -1;
		fr_set(r->addr, off);
		r->len = mk.textlen;
		return 1;
	}
	fr_set(r->addr, mk.addr);
	fr_set(r->bus, COH_ADDR_NONE);
	if (mk.len > UINT32_MAX)
		r->meta |= FR_LEN4G;
	r->len = (uint32_t)mk.len;
	return 1;
}

/* Counts; the local device of the event's "device" field in *dev (-1 = none). */
static int count_event(struct fx_stream *st, const struct fx_event *fe, unsigned nslots,
		       int *dev)
{
	*dev = -1;
	if (fe->cls == FXC_UNKNOWN) {
		st->unknown++;
		return 0;
	}
	st->counts[fe->slot]++;
	if (!fe->dev)
		return 0;
	if (fe->devgen == st->devgen)
		*dev = (int)st->devs.last;   /* the device of the stream's previous record */
	else
		*dev = dev_index(&st->devs, fe->dev, fe->devlen);
	if (*dev >= 0)
		st->devgen = fe->devgen;
	if (*dev == -1)
		return -1;
	if (*dev < 0)
		return 0;
	if (devcount_row(st, (unsigned)*dev, nslots) < 0)
		return -1;
	st->devcounts[(size_t)*dev * nslots + fe->slot]++;
	return 0;
}

/* Build the record of a decoded event; 1 when it has one, 0 when not, -1 on error. */
static int make_rec(struct fx_reader *rd, struct fx_stream *st, const struct fx_event *fe,
		    struct frec *r, int *dev)
{
	uint64_t ev = st->ev.n;

	switch (fe->cls) {
	case FXC_EVENT:
		if (*dev < 0) {
			st->toomany++;   /* past the stream's device table: counted only */
			return 0;
		}
		st->devs.flags[*dev] |= FXD_CALLS;
		return make_call(st, fe, r) < 0 ? -1 : 1;
	case FXC_PRINT:
		*dev = -1;
		return make_marker(st, fe, r, ev, dev);
	case FXC_BAD:
		st->bad++;
		return note(st, ev, rd->dec.slots[fe->slot].name, fe->why);
	case FXC_ERR:
		if (rd->dec.slots[fe->slot].op != FX_ERR)
			st->failed++;   /* an allocation that returned NULL */
		return 0;
	default:
		return 0;
	}
}

/*
 * Bytes of a record's payload that lie inside its ring-buffer page: a
 * corrupt event length must not make the decoder read past the page.
 */
static uint32_t payload_room(const struct fx_reader *rd, const struct tep_record *rec)
{
	uint64_t in_page = rec->offset & (rd->page_size - 1);
	uint64_t room = rd->page_size - in_page;
	uint32_t size = rec->size > 0 ? (uint32_t)rec->size : 0;

	room = room > 4 ? room - 4 : 0;   /* the event header comes first */
	return size > room ? (uint32_t)room : size;
}

static int keep_rec(struct fx_stream *st, struct frec *r, const struct tep_record *rec, int dev)
{
	if (fx_vec_room(&st->recs, 1, sizeof(*r)) < 0)
		return -1;
	fr_set(r->ts, rec->ts);
	r->meta |= st->cpu << FR_CPU_SHIFT;
	r->src = (uint32_t)dev;   /* the stream's device number (or -1) until merged */
	if (dev >= 0 && st->devs.first[dev] == UINT64_MAX)
		st->devs.first[dev] = st->ev.n;
	((struct frec *)st->recs.p)[st->recs.n++] = *r;
	return 0;
}

int fx_stream_add(struct fx_reader *rd, struct fx_stream *st, const struct tep_record *rec)
{
	uint32_t size = payload_room(rd, rec);
	struct fx_event fe;
	struct frec r;
	struct fev *e;
	int dev, has;

	if (fx_vec_room(&st->ev, 1, sizeof(struct fev)) < 0)
		return -1;
	if (size < (uint32_t)(rec->size > 0 ? rec->size : 0))
		st->clipped++;
	fx_decode(&rd->dec, rec->data, size, &fe);
	if (count_event(st, &fe, rd->dec.nslots, &dev) < 0)
		return -1;
	memset(&r, 0, sizeof(r));
	has = make_rec(rd, st, &fe, &r, &dev);
	if (has < 0 || (has && keep_rec(st, &r, rec, dev) < 0))
		return -1;
	e = (struct fev *)st->ev.p + st->ev.n;
	if (st->ev.n && rec->ts < e[-1].ts)
		st->sorted = 0;
	e->ts = rec->ts;
	e->off = (rec->offset & ~FEV_REL) | (has ? FEV_REL : 0);
	if (rec->offset > st->maxoff)
		st->maxoff = rec->offset;
	st->ev.n++;
	if (rec->missed_events > 0)
		st->lost += (uint64_t)rec->missed_events;
	else if (rec->missed_events < 0)
		st->lost_unknown++;
	return 0;
}

void fx_stream_free(struct fx_stream *st)
{
	fx_vec_free(&st->ev);
	fx_vec_free(&st->recs);
	fx_vec_free(&st->segs);
	fx_vec_free(&st->text);
	fx_vec_free(&st->notes);
	for (unsigned i = 0; i < st->devs.n; i++)
		free(st->devs.names[i]);
	free(st->devs.names);
	free(st->devs.lens);
	free(st->devs.first);
	free(st->devs.flags);
	free(st->counts);
	free(st->devcounts);
	free(st->gdev);
	free(st->rank);
	free(st->rrank);
	memset(st, 0, sizeof(*st));
}
