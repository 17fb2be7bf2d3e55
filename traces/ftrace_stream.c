/* SPDX-License-Identifier: MIT */
/*
 * ftrace_stream.c - read every CPU of a trace.dat, several CPUs at once.
 *
 * libtracecmd's merged iterator is slow on big zstd-compressed (version 7)
 * files: libtracecmd 3.1.6 keeps every decompressed chunk of a handle and
 * searches that list for each page.  So each thread opens its own handle
 * and reads its CPUs one after the other with tracecmd_read_cpu_first() /
 * tracecmd_read_data(); ftrace_merge.c then merges the CPUs by timestamp
 * the way `trace-cmd report` does.  Each CPU yields a struct fx_stream:
 * every event's timestamp and file offset, and compact records for the
 * events that matter.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <stdio.h>

#include <trace-cmd.h>

#include "ftrace-local.h"

#define FX_MAX_THREADS     8
#define FX_MAX_STAT_DEVS   1024     /* device names counted per stream; more share a row */

struct fx_thread {
	struct fx_load *ld;
	int k;                       /* thread number, 0 = the caller */
	struct tracecmd_input *h;
	struct fx_decoder dec;
	pthread_t tid;
	int started;
	int err;
	char msg[256];
};

static pthread_mutex_t streams_lock = PTHREAD_MUTEX_INITIALIZER;

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

void fx_vec_free(struct fx_vec *v)
{
	free(v->p);
	memset(v, 0, sizeof(*v));
}

/* ---- device names of a stream ------------------------------------------------------- */

/* Local index of a device name, adding it; FX_MAX_STAT_DEVS when the table is full. */
static int dev_index(struct fx_stream *st, const char *name, uint32_t len)
{
	struct fx_devtab *t = &st->devs;
	char **names;
	uint32_t *lens;

	if (t->last < t->n && t->lens[t->last] == len && memcmp(t->names[t->last], name, len) == 0)
		return (int)t->last;
	for (unsigned i = 0; i < t->n; i++)
		if (t->lens[i] == len && memcmp(t->names[i], name, len) == 0)
			return (int)(t->last = i);
	if (t->n == FX_MAX_STAT_DEVS)
		return FX_MAX_STAT_DEVS;
	names = realloc(t->names, (t->n + 1) * sizeof(*names));
	if (names)
		t->names = names;
	lens = realloc(t->lens, (t->n + 1) * sizeof(*lens));
	if (lens)
		t->lens = lens;
	if (!names || !lens || !(t->names[t->n] = strndup(name, len)))
		return -1;
	t->lens[t->n] = len;
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

/* ---- one record ------------------------------------------------------------------- */

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

/* The compact record of a decoded call. */
static void fill_rec(struct frec *r, const struct coh_event *ev, uint64_t seg)
{
	uint64_t len = ev->len;

	memset(r, 0, sizeof(*r));
	r->meta = ev->kind | (uint32_t)(ev->dir & 3) << FR_DIR_SHIFT;
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

static int push_call(struct fx_stream *st, const struct fx_event *fe, struct frec *r)
{
	uint64_t seg = st->segs.n;

	if (fe->ev.nsegs) {
		if (fx_vec_reserve(&st->segs, fe->ev.nsegs, sizeof(struct coh_seg)) < 0)
			return -1;
		memcpy((struct coh_seg *)st->segs.p + seg, fe->ev.segs,
		       fe->ev.nsegs * sizeof(struct coh_seg));
		st->segs.n += fe->ev.nsegs;
	}
	fill_rec(r, &fe->ev, seg);
	return 0;
}

/* A record for a print line or an unusable call: its text in the arena. */
static int push_textrec(struct fx_stream *st, unsigned kind, const char *s, size_t n,
			unsigned slot, struct frec *r)
{
	uint64_t off;

	if (push_text(st, s, n, &off) < 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->meta = kind;
	fr_set(r->addr, off);
	fr_set(r->bus, slot);
	r->len = (uint32_t)n;
	return 0;
}

/* Build the record of a decoded event; 1 when it has one, 0 when not, -1 on error. */
static int make_rec(struct fx_stream *st, const struct fx_event *fe, struct frec *r)
{
	switch (fe->cls) {
	case FXC_EVENT:
		return push_call(st, fe, r) < 0 ? -1 : 1;
	case FXC_PRINT:
		return push_textrec(st, FK_PRINT, fe->text, fe->textlen, fe->slot, r) < 0 ? -1 : 1;
	case FXC_BAD:
		return push_textrec(st, FK_BAD, fe->why, strlen(fe->why), fe->slot, r) < 0 ? -1 : 1;
	default:
		return 0;
	}
}

static int count_event(struct fx_stream *st, const struct fx_event *fe, unsigned nslots,
		       int *ldev)
{
	*ldev = -1;
	if (fe->cls == FXC_UNKNOWN) {
		st->unknown++;
		return 0;
	}
	st->counts[fe->slot]++;
	if (!fe->dev)
		return 0;
	*ldev = dev_index(st, fe->dev, fe->devlen);
	if (*ldev < 0 || devcount_row(st, (unsigned)*ldev, nslots) < 0)
		return -1;
	st->devcounts[(size_t)*ldev * nslots + fe->slot]++;
	return 0;
}

static int add_record(struct fx_thread *th, struct fx_stream *st, struct tep_record *rec)
{
	struct fx_event fe;
	struct frec r;
	int ldev, has;

	if (fx_vec_reserve(&st->ts, 1, 8) < 0 || fx_vec_reserve(&st->off, 1, 8) < 0 ||
	    fx_vec_reserve(&st->rel, 1, 1) < 0)
		return -1;
	fx_decode(&th->dec, rec->data, rec->size > 0 ? (uint32_t)rec->size : 0, &fe);
	if (count_event(st, &fe, th->dec.nslots, &ldev) < 0)
		return -1;
	if (fe.cls == FXC_ERR && th->dec.slots[fe.slot].op != FX_ERR)
		st->failed++;   /* an allocation that returned NULL */
	has = make_rec(st, &fe, &r);
	if (has < 0)
		return -1;
	if (has) {
		if (fx_vec_reserve(&st->recs, 1, sizeof(r)) < 0)
			return -1;
		fr_set(r.ts, rec->ts);
		r.meta |= (st->cpu << FR_CPU_SHIFT);
		r.src = (uint32_t)ldev;   /* the stream's device index until merged */
		((struct frec *)st->recs.p)[st->recs.n++] = r;
	}
	((uint64_t *)st->ts.p)[st->ts.n++] = rec->ts;
	((uint64_t *)st->off.p)[st->off.n++] = rec->offset;
	((uint8_t *)st->rel.p)[st->rel.n++] = (uint8_t)has;
	if (rec->missed_events > 0)
		st->lost += (uint64_t)rec->missed_events;
	else if (rec->missed_events < 0)
		st->lost_unknown++;
	return 0;
}

static int read_stream(struct fx_thread *th, struct fx_stream *st)
{
	struct tep_record *rec;
	int first = 1;

	st->counts = calloc(th->dec.nslots ? th->dec.nslots : 1, sizeof(*st->counts));
	if (!st->counts)
		goto nomem;
	for (rec = tracecmd_read_cpu_first(th->h, st->cpu_index); rec;
	     rec = tracecmd_read_data(th->h, st->cpu_index)) {
		if (first && (rec->cpu < 0 || (unsigned)rec->cpu > FR_CPU_MAX)) {
			snprintf(st->msg, sizeof(st->msg), "CPU number %d is out of range (0..%u)",
				 rec->cpu, FR_CPU_MAX);
			tracecmd_free_record(rec);
			st->err = 1;
			return -1;
		}
		if (first)
			st->cpu = (unsigned)rec->cpu;
		first = 0;
		if (add_record(th, st, rec) < 0) {
			tracecmd_free_record(rec);
			goto nomem;
		}
		tracecmd_free_record(rec);
	}
	return 0;
nomem:
	snprintf(st->msg, sizeof(st->msg), "out of memory reading CPU %d", st->cpu_index);
	st->err = 1;
	return -1;
}

/* ---- threads ------------------------------------------------------------------------ */

/* The first thread to know the CPU count allocates the streams; 0 when they match. */
static int share_streams(struct fx_thread *th, int ncpus)
{
	struct fx_load *ld = th->ld;
	int ret = 0;

	pthread_mutex_lock(&streams_lock);
	if (!ld->streams) {
		ld->streams = calloc(ncpus > 0 ? (size_t)ncpus : 1, sizeof(*ld->streams));
		ld->ncpus = ncpus;
		for (int i = 0; ld->streams && i < ncpus; i++)
			ld->streams[i].cpu_index = i;
		if (!ld->streams)
			ret = -1;
	} else if (ld->ncpus != ncpus) {
		ret = -1;
	}
	pthread_mutex_unlock(&streams_lock);
	return ret;
}

/* Slot names survive the handles: copied by thread 0. */
static int copy_slots(struct fx_thread *th)
{
	struct fx_load *ld = th->ld;

	ld->nslots = th->dec.nslots;
	ld->slot_names = calloc(ld->nslots ? ld->nslots : 1, sizeof(*ld->slot_names));
	ld->slot_has_dev = calloc(ld->nslots ? ld->nslots : 1, 1);
	if (!ld->slot_names || !ld->slot_has_dev)
		return -1;
	for (unsigned i = 0; i < ld->nslots; i++) {
		ld->slot_names[i] = strdup(th->dec.slots[i].name);
		ld->slot_has_dev[i] = (uint8_t)th->dec.slots[i].has_dev;
		if (!ld->slot_names[i])
			return -1;
	}
	return 0;
}

static int open_handle(struct fx_thread *th)
{
	th->h = tracecmd_open(th->ld->path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!th->h) {
		snprintf(th->msg, sizeof(th->msg), "offset 0: libtracecmd cannot open the file");
		return -1;
	}
	if (fx_decoder_init(&th->dec, tracecmd_get_tep(th->h), th->msg, sizeof(th->msg)) < 0)
		return -1;
	if (share_streams(th, tep_get_cpus(tracecmd_get_tep(th->h))) < 0) {
		snprintf(th->msg, sizeof(th->msg), "out of memory, or handles disagree on CPUs");
		return -1;
	}
	if (th->k == 0 && copy_slots(th) < 0) {
		snprintf(th->msg, sizeof(th->msg), "out of memory");
		return -1;
	}
	return 0;
}

/* The next CPU nobody reads yet, or -1. */
static int next_cpu(struct fx_load *ld)
{
	int c = -1;

	pthread_mutex_lock(&streams_lock);
	if (ld->next_cpu < ld->ncpus)
		c = ld->next_cpu++;
	pthread_mutex_unlock(&streams_lock);
	return c;
}

static void *thread_main(void *arg)
{
	struct fx_thread *th = arg;
	struct fx_load *ld = th->ld;
	int c;

	struct timespec a, b, e;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (open_handle(th) < 0) {
		th->err = 1;
	} else {
		clock_gettime(CLOCK_MONOTONIC, &b);
		while ((c = next_cpu(ld)) >= 0)
			if (read_stream(th, &ld->streams[c]) < 0)
				break;
		clock_gettime(CLOCK_MONOTONIC, &e);
		if (getenv("FXT")) fprintf(stderr, "thread %d open %.3f read %.3f\n", th->k, b.tv_sec - a.tv_sec + (b.tv_nsec - a.tv_nsec) / 1e9, e.tv_sec - b.tv_sec + (e.tv_nsec - b.tv_nsec) / 1e9);
	}
	if (th->h)
		tracecmd_close(th->h);
	th->h = NULL;
	fx_decoder_free(&th->dec);
	return NULL;
}

/* Threads worth starting: one per online processor, at most one per CPU of the file. */
static int thread_count(const struct fx_load *ld)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int n = online > 0 ? (int)online : 1;

	if (n > FX_MAX_THREADS)
		n = FX_MAX_THREADS;
	if (ld->lay.cpus > 0 && n > ld->lay.cpus)
		n = ld->lay.cpus;
	return n > 0 ? n : 1;
}

/* The first error of the threads and streams into ld->err; -1 when there was one. */
static int collect_errors(struct fx_load *ld, struct fx_thread *th)
{
	for (int k = 0; k < ld->nthreads; k++)
		if (th[k].err && (k == 0 || th[k].started)) {
			snprintf(ld->err, sizeof(ld->err), "%s", th[k].msg);
			return -1;
		}
	for (int c = 0; ld->streams && c < ld->ncpus; c++)
		if (ld->streams[c].err) {
			snprintf(ld->err, sizeof(ld->err), "%s", ld->streams[c].msg);
			return -1;
		}
	if (!ld->streams) {
		snprintf(ld->err, sizeof(ld->err), "libtracecmd could not read the file");
		return -1;
	}
	return 0;
}

int fx_read_file(struct fx_load *ld)
{
	struct fx_thread th[FX_MAX_THREADS];
	int ret;

	ld->nthreads = thread_count(ld);
	ld->ncpus = 0;
	ld->next_cpu = 0;
	memset(th, 0, sizeof(th));
	for (int k = 0; k < ld->nthreads; k++) {
		th[k].ld = ld;
		th[k].k = k;
	}
	/* a thread that cannot start leaves its share to the others */
	for (int k = 1; k < ld->nthreads; k++)
		th[k].started = pthread_create(&th[k].tid, NULL, thread_main, &th[k]) == 0;
	thread_main(&th[0]);
	for (int k = 1; k < ld->nthreads; k++)
		if (th[k].started)
			pthread_join(th[k].tid, NULL);
	ret = collect_errors(ld, th);
	return ret;
}

void fx_load_free(struct fx_load *ld)
{
	for (int c = 0; ld->streams && c < ld->ncpus; c++) {
		struct fx_stream *st = &ld->streams[c];

		fx_vec_free(&st->ts);
		fx_vec_free(&st->off);
		fx_vec_free(&st->rel);
		fx_vec_free(&st->recs);
		fx_vec_free(&st->segs);
		fx_vec_free(&st->text);
		for (unsigned i = 0; i < st->devs.n; i++)
			free(st->devs.names[i]);
		free(st->devs.names);
		free(st->devs.lens);
		free(st->counts);
		free(st->devcounts);
	}
	free(ld->streams);
	for (unsigned i = 0; ld->slot_names && i < ld->nslots; i++)
		free(ld->slot_names[i]);
	free(ld->slot_names);
	free(ld->slot_has_dev);
	memset(ld, 0, sizeof(*ld));
}
