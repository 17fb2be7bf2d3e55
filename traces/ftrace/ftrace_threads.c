/* SPDX-License-Identifier: MIT */
/*
 * ftrace_threads.c - read the CPUs of a trace.dat several at a time.
 *
 * libtracecmd's merged iterator is slow on big zstd-compressed (version 7)
 * files: libtracecmd 3.1.6 keeps every decompressed chunk of a handle and
 * searches that list for every page.  So each thread opens its own handle
 * (a tracecmd_input is not shared between threads) and reads whole CPUs,
 * one after another, with tracecmd_read_cpu_first()/tracecmd_read_data();
 * threads take the next unread CPU from a shared counter.  ftrace_merge.c
 * then orders the CPUs' events the way `trace-cmd report` does.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "ftrace-local.h"

#define FX_MAX_THREADS 8

struct fx_thread {
	struct fx_load *ld;
	int k;                       /* thread number, 0 = the caller */
	struct tracecmd_input *h;
	struct fx_reader rd;
	pthread_t tid;
	int started;
	int err;
	char msg[256];
};

static pthread_mutex_t fx_lock = PTHREAD_MUTEX_INITIALIZER;

/* The next stream nobody has taken, or NULL. */
static struct fx_stream *next_stream(struct fx_load *ld)
{
	struct fx_stream *st = NULL;

	pthread_mutex_lock(&fx_lock);
	if (ld->streams && ld->next_cpu < ld->ncpus)
		st = &ld->streams[ld->next_cpu++];
	pthread_mutex_unlock(&fx_lock);
	return st;
}

/* The first thread to know the CPU count allocates the streams. */
static int share_streams(struct fx_load *ld, int ncpus)
{
	int ret = 0;

	pthread_mutex_lock(&fx_lock);
	if (!ld->streams) {
		ld->streams = calloc(ncpus > 0 ? (size_t)ncpus : 1, sizeof(*ld->streams));
		ld->ncpus = ncpus;
		for (int i = 0; ld->streams && i < ncpus; i++)
			ld->streams[i].idx = ld->streams[i].cpu_index = i;
		if (!ld->streams)
			ret = -1;
	} else if (ld->lay.cpus != ncpus) {
		ret = -1;
	}
	pthread_mutex_unlock(&fx_lock);
	return ret;
}

/* Slot names outlive the handles: copied by thread 0. */
static int copy_slots(struct fx_load *ld, const struct fx_decoder *dec)
{
	ld->nslots = dec->nslots;
	ld->slot_names = calloc(ld->nslots ? ld->nslots : 1, sizeof(*ld->slot_names));
	if (!ld->slot_names)
		return -1;
	for (unsigned i = 0; i < ld->nslots; i++) {
		ld->slot_names[i] = strdup(dec->slots[i].name);
		if (!ld->slot_names[i])
			return -1;
	}
	return 0;
}

/* A handle's header page format must be sane before anything reads pages. */
static int page_format_ok(struct fx_thread *th, struct tracecmd_input *h)
{
	struct tep_handle *tep = tracecmd_get_tep(h);
	int ls = tep_get_header_page_size(tep);

	if ((ls == 4 || ls == 8) && tep_get_header_timestamp_size(tep) == 8)
		return 1;
	snprintf(th->msg, sizeof(th->msg), "offset %llu: the ring-buffer page header format is "
		 "damaged", (unsigned long long)th->ld->lay.meta_off);
	return 0;
}

/*
 * Open in two steps (headers, then CPU data) so that a damaged file is
 * caught where libtracecmd 3.1.6 can still let go of it: when reading the
 * CPU data fails part way, tracecmd_close() walks lists it never set up and
 * crashes, so such a handle is left unfreed (the file is refused anyway).
 */
static struct tracecmd_input *open_checked(struct fx_thread *th)
{
	const struct fx_layout *lay = &th->ld->lay;
	struct tracecmd_input *h;

	h = tracecmd_open_head(th->ld->path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!h) {
		snprintf(th->msg, sizeof(th->msg), "offset %llu: libtracecmd could not read the "
			 "headers, event formats, kallsyms or options from here on (damaged?)",
			 (unsigned long long)lay->meta_off);
		return NULL;
	}
	if (!page_format_ok(th, h)) {
		tracecmd_close(h);
		return NULL;
	}
	if (tracecmd_init_data(h) < 0) {
		snprintf(th->msg, sizeof(th->msg), "offset %llu: libtracecmd could not read the "
			 "CPU data (damaged compressed data?)", (unsigned long long)lay->data_off);
		return NULL;   /* not closed: see above */
	}
	return h;
}

/* The thread's decoder for @tep; -1 with th->msg naming where the formats are. */
static int init_decoder(struct fx_thread *th, struct tep_handle *tep)
{
	char msg[200];

	if (fx_decoder_init(&th->rd.dec, tep, msg, sizeof(msg)) == 0)
		return 0;
	snprintf(th->msg, sizeof(th->msg), "offset %llu: %s",
		 (unsigned long long)th->ld->lay.meta_off, msg);
	return -1;
}

static int open_handle(struct fx_thread *th, int formats_only)
{
	struct tep_handle *tep;

	th->h = formats_only ? fx_open_formats(th->ld->path, &th->ld->lay) : NULL;
	if (th->h && !page_format_ok(th, th->h)) {
		tracecmd_close(th->h);
		return -1;
	}
	if (!th->h)
		th->h = open_checked(th);
	if (!th->h)
		return -1;
	tep = tracecmd_get_tep(th->h);
	if (init_decoder(th, tep) < 0)
		return -1;
	if (share_streams(th->ld, tep_get_cpus(tep)) < 0) {
		snprintf(th->msg, sizeof(th->msg), "out of memory, or handles disagree on CPUs");
		return -1;
	}
	if (th->k == 0 && copy_slots(th->ld, &th->rd.dec) < 0) {
		snprintf(th->msg, sizeof(th->msg), "out of memory");
		return -1;
	}
	return 0;
}

static void progress(struct fx_load *ld, uint64_t done)
{
	uint64_t total = ld->lay.data_bytes ? ld->lay.data_bytes : 1;

	trace_progress(ld->t, done > total ? total : done, total);
}

static int stream_begin(struct fx_thread *th, struct fx_stream *st)
{
	st->sorted = 1;
	st->counts = calloc(th->rd.dec.nslots ? th->rd.dec.nslots : 1, sizeof(*st->counts));
	if (st->counts)
		return 0;
	snprintf(st->msg, sizeof(st->msg), "out of memory reading CPU %d", st->cpu_index);
	st->err = 1;
	return -1;
}

/* One record from libtracecmd: 0, or -1 with st->msg set. */
static int take(struct fx_thread *th, struct fx_stream *st, const struct tep_record *rec,
		int first)
{
	if (first && (rec->cpu < 0 || (unsigned)rec->cpu > FR_CPU_MAX)) {
		snprintf(st->msg, sizeof(st->msg), "CPU number %d is out of range (0..%u)",
			 rec->cpu, FR_CPU_MAX);
		return -1;
	}
	if (first)
		st->cpu = (unsigned)rec->cpu;
	if (fx_stream_add(&th->rd, st, rec) < 0) {
		snprintf(st->msg, sizeof(st->msg), "out of memory reading CPU %d", st->cpu_index);
		return -1;
	}
	if (th->k == 0 && (st->ev.n & 0xfff) == 0)
		progress(th->ld, (st->maxoff & ~FEV_REL) * (uint64_t)th->ld->nthreads);
	return 0;
}

/* A CPU through libtracecmd (compressed data, or timestamps it must convert). */
static int read_stream(struct fx_thread *th, struct fx_stream *st)
{
	struct tep_record *rec;
	int first = 1, ret = 0;

	if (stream_begin(th, st) < 0)
		return -1;
	if (fx_check_pages(th->ld->path, &th->ld->lay, st->cpu_index, st->msg,
			   sizeof(st->msg)) < 0)
		ret = -1;
	for (rec = ret ? NULL : tracecmd_read_cpu_first(th->h, st->cpu_index); rec;
	     rec = tracecmd_read_data(th->h, st->cpu_index)) {
		ret = take(th, st, rec, first);
		tracecmd_free_record(rec);
		first = 0;
		if (ret < 0)
			break;
	}
	if (ret == 0 && fx_check_read(&th->ld->lay, st->cpu_index, !first, st->maxoff, st->msg,
				      sizeof(st->msg)) < 0)
		ret = -1;
	st->err = ret < 0;
	return ret;
}

/* A CPU's uncompressed pages, walked here (ftrace_pages.c). */
static int read_pages(struct fx_thread *th, struct fx_stream *st)
{
	if (stream_begin(th, st) < 0)
		return -1;
	if (fx_read_pages(&th->rd, st, th->ld->path, &th->ld->lay) < 0) {
		st->err = 1;
		return -1;
	}
	if (th->k == 0)
		progress(th->ld, th->ld->lay.data_bytes * (uint64_t)(st->cpu_index + 1) /
			 (uint64_t)(th->ld->ncpus ? th->ld->ncpus : 1));
	return 0;
}

/* Each thread its own handle: open, then read CPUs until none is left. */
static void *thread_main(void *arg)
{
	struct fx_thread *th = arg;
	struct fx_stream *st;

	if (open_handle(th, 0) < 0)
		th->err = 1;
	else
		while ((st = next_stream(th->ld)) && read_stream(th, st) == 0)
			;
	if (th->h)
		tracecmd_close(th->h);
	th->h = NULL;
	fx_decoder_free(&th->rd.dec);
	return NULL;
}

/* Threads sharing thread 0's handle's formats: read pages until no CPU is left. */
static void *pages_main(void *arg)
{
	struct fx_thread *th = arg;
	struct fx_stream *st;

	while ((st = next_stream(th->ld)) && read_pages(th, st) == 0)
		;
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
		snprintf(ld->err, sizeof(ld->err), "offset %llu: libtracecmd could not read the "
			 "file from here on", (unsigned long long)ld->lay.meta_off);
		return -1;
	}
	return 0;
}

static void join(struct fx_load *ld, struct fx_thread *th)
{
	for (int k = 1; k < ld->nthreads; k++)
		if (th[k].started)
			pthread_join(th[k].tid, NULL);
}

/* Every thread opens the file and reads CPUs through libtracecmd. */
static void read_with_handles(struct fx_load *ld, struct fx_thread *th)
{
	/* a thread that cannot start leaves its share to the others */
	for (int k = 1; k < ld->nthreads; k++)
		th[k].started = pthread_create(&th[k].tid, NULL, thread_main, &th[k]) == 0;
	thread_main(&th[0]);
	join(ld, th);
}

/*
 * Pages can be walked here when the data is uncompressed and the records'
 * timestamps are the raw ones (no clock conversion options).
 */
static int pages_readable(const struct fx_load *ld, struct tep_handle *tep)
{
	const struct fx_layout *lay = &ld->lay;

	return lay->nranges == ld->ncpus && !lay->ts_options && !tep_is_old_format(tep) &&
	       tep_get_header_page_size(tep) == lay->long_size;
}

/*
 * Page runs of about a thread's share of the data each, in (CPU, page)
 * order, so that no thread is left reading one big CPU alone.
 */
static int cut_streams(struct fx_load *ld)
{
	const struct fx_layout *lay = &ld->lay;
	uint64_t total = 0, share, n = 0;
	struct fx_stream *st;

	for (int c = 0; c < lay->nranges; c++)
		total += lay->page_ranges[2 * c + 1];
	share = total / (uint64_t)ld->nthreads + lay->page_size;
	share -= share % lay->page_size;
	for (int c = 0; c < lay->nranges; c++)
		n += (lay->page_ranges[2 * c + 1] + share - 1) / share + 1;
	st = calloc(n ? (size_t)n : 1, sizeof(*st));
	if (!st)
		return -1;
	free(ld->streams);
	ld->streams = st;
	ld->ncpus = 0;
	for (int c = 0; c < lay->nranges; c++)
		for (uint64_t at = 0, size = lay->page_ranges[2 * c + 1];
		     at < size || (at == 0 && size == 0); at += share) {
			st = &ld->streams[ld->ncpus];
			st->idx = ld->ncpus++;
			st->cpu_index = c;
			st->pg_off = lay->page_ranges[2 * c] + at;
			st->pg_size = size - at < share ? size - at : share;
			if (!size)
				break;
		}
	return 0;
}

/* Thread 0 opens the file; then all threads walk pages with its event formats. */
static void read_with_pages(struct fx_load *ld, struct fx_thread *th)
{
	struct tep_handle *tep;

	if (open_handle(&th[0], 1) < 0) {
		th[0].err = 1;
		goto out;
	}
	tep = tracecmd_get_tep(th[0].h);
	if (!pages_readable(ld, tep)) {   /* rare: one thread reads through a full handle */
		tracecmd_close(th[0].h);
		fx_decoder_free(&th[0].rd.dec);
		if (!(th[0].h = open_checked(&th[0])) ||
		    init_decoder(&th[0], tracecmd_get_tep(th[0].h)) < 0) {
			th[0].err = 1;
			goto out;
		}
		for (struct fx_stream *st; (st = next_stream(ld)) && read_stream(&th[0], st) == 0;)
			;
		goto out;
	}
	if (cut_streams(ld) < 0) {
		snprintf(th[0].msg, sizeof(th[0].msg), "out of memory");
		th[0].err = 1;
		goto out;
	}
	for (int k = 1; k < ld->nthreads; k++)
		if (fx_decoder_init(&th[k].rd.dec, tep, th[k].msg, sizeof(th[k].msg)) == 0)
			th[k].started = pthread_create(&th[k].tid, NULL, pages_main, &th[k]) == 0;
	pages_main(&th[0]);
	join(ld, th);
out:
	for (int k = 0; k < ld->nthreads; k++)
		fx_decoder_free(&th[k].rd.dec);
	if (th[0].h)
		tracecmd_close(th[0].h);
	th[0].h = NULL;
}

int fx_read_file(struct fx_load *ld)
{
	struct fx_thread th[FX_MAX_THREADS];

	ld->nthreads = thread_count(ld);
	ld->ncpus = 0;
	ld->next_cpu = 0;
	memset(th, 0, sizeof(th));
	for (int k = 0; k < ld->nthreads; k++) {
		th[k].ld = ld;
		th[k].k = k;
		th[k].rd.page_size = ld->lay.page_size ? ld->lay.page_size : 4096;
	}
	if (ld->lay.nranges && !ld->lay.ts_options)
		read_with_pages(ld, th);
	else
		read_with_handles(ld, th);
	return collect_errors(ld, th);
}

/* ---- running work over the streams -------------------------------------------------- */

struct fx_job {
	struct fx_load *ld;
	void (*fn)(void *ctx, struct fx_stream *st);
	void *ctx;
};

static void *job_main(void *arg)
{
	struct fx_job *job = arg;
	struct fx_stream *st;

	while ((st = next_stream(job->ld)))
		job->fn(job->ctx, st);
	return NULL;
}

void fx_parallel(struct fx_load *ld, void (*fn)(void *ctx, struct fx_stream *st), void *ctx)
{
	struct fx_job job = { .ld = ld, .fn = fn, .ctx = ctx };
	pthread_t tid[FX_MAX_THREADS];
	int started[FX_MAX_THREADS] = { 0 };
	int n = ld->nthreads < ld->ncpus ? ld->nthreads : ld->ncpus;

	ld->next_cpu = 0;
	for (int k = 1; k < n && k < FX_MAX_THREADS; k++)
		started[k] = pthread_create(&tid[k], NULL, job_main, &job) == 0;
	job_main(&job);
	for (int k = 1; k < n && k < FX_MAX_THREADS; k++)
		if (started[k])
			pthread_join(tid[k], NULL);
}

void fx_load_free(struct fx_load *ld)
{
	for (int c = 0; ld->streams && c < ld->ncpus; c++)
		fx_stream_free(&ld->streams[c]);
	free(ld->streams);
	for (unsigned i = 0; ld->slot_names && i < ld->nslots; i++)
		free(ld->slot_names[i]);
	free(ld->slot_names);
	fx_layout_free(&ld->lay);
	memset(ld, 0, sizeof(*ld));
}
