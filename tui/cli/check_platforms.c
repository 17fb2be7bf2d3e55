/* SPDX-License-Identifier: MIT */
/*
 * check_platforms.c - `dmascope check --platform all|LIST`: one file
 * replayed on several presets at once, reported once.
 *
 * The trace is opened once per worker thread (standard input, which cannot
 * be read twice, is read once into a coh_log the workers share); the
 * second and later opens run on a thread of their own while the first
 * trace gives each preset the trace's devices as trace_platform() builds
 * them for it and the groups of its events, and coh_run_platforms() then
 * replays the presets on the workers (once per set of presets that replay
 * the file alike).  The findings of all presets are merged
 * (report_matrix_merge()) into one report_file whose renderers add the
 * presets of each finding and the matrix.  Reports are the same whatever
 * the number of workers.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "coh_sim.h"
#include "coh_whatif.h"

struct multi;

/* A worker's source, counting the file's events (src known) the first time
 * each is handed out: a run's "events of the file replayed". */
struct counted_src {
	struct coh_source in;
	uint64_t next;               /* events handed out in order so far */
	uint64_t file;               /* of them, events of the file */
	const struct multi *m;       /* its file's check */
};

/* Everything one file's check on several presets holds. */
struct multi {
	const struct check_opts *o;
	unsigned nt;                 /* traces opened */
	unsigned nsrc;               /* workers, each with its source */
	struct trace *t[REPORT_MAX_PRESETS];
	struct counted_src cs[REPORT_MAX_PRESETS];
	struct coh_source src[REPORT_MAX_PRESETS];
	struct coh_platform *plat;   /* o->nplats of them */
	struct coh_plat_run *runs;
	struct report_preset *pre;
	char (*errs)[320];           /* per preset, why its replay failed */
	struct report_merged merged;
	struct coh_log *log;         /* standard input: its events, read once, shared */
	uint32_t groups;             /* coh_source_groups() of the file */
	const char *path;            /* the file, for the thread that opens it again */
	unsigned want;               /* workers wanted */
};

static uint64_t counted_count(void *ctx)
{
	struct counted_src *c = ctx;

	return c->in.count(c->in.ctx);
}

static int counted_get(void *ctx, uint64_t i, struct coh_event *ev)
{
	struct counted_src *c = ctx;
	int r = c->in.get(c->in.ctx, i, ev);

	if (r >= 0 && i == c->next) {
		c->next++;
		c->file += ev->src != COH_SRC_NONE;
	}
	return r;
}

/* The groups of the file's events, read from the first trace before the
 * replays (reading them through a counting source would count them as
 * replayed): every worker's source gives the same answer. */
static uint32_t counted_groups(void *ctx)
{
	const struct multi *m = ((struct counted_src *)ctx)->m;

	return m->groups;
}

/* The index of preset @name, or -1. */
static int preset_index(const char *name)
{
	const char *p;

	for (unsigned i = 0; (p = coh_platform_preset_at(i, NULL)); i++)
		if (strcmp(p, name) == 0)
			return (int)i;
	return -1;
}

/* Add preset @name to o->plat_list; -1 to go on, else the exit status. */
static int add_preset(struct check_opts *o, const char *name, const char *arg)
{
	int k = preset_index(name);

	if (k < 0)
		return cli_usage_error("check", "unknown platform '%s' in --platform %s "
				       "('dmascope platforms' lists them)", name, arg);
	for (unsigned i = 0; i < o->nplats; i++)
		if (strcmp(o->plat_list[i], name) == 0)
			return cli_usage_error("check", "platform '%s' named twice in "
					       "--platform %s", name, arg);
	if (o->nplats >= REPORT_MAX_PRESETS)
		return cli_usage_error("check", "--platform: more than %d platforms",
				       REPORT_MAX_PRESETS);
	o->plat_list[o->nplats++] = coh_platform_preset_at((unsigned)k, NULL);
	return -1;
}

int check_platform_list(struct check_opts *o, const char *arg)
{
	char buf[1024], *save = NULL;
	const char *p;
	int r;

	o->nplats = 0;
	if (strcmp(arg, "all") == 0) {
		for (unsigned i = 0; (p = coh_platform_preset_at(i, NULL)) &&
		     i < REPORT_MAX_PRESETS; i++)
			o->plat_list[o->nplats++] = p;
		return -1;
	}
	if (!strchr(arg, ','))
		return -1;           /* one preset: the usual check */
	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return cli_usage_error("check", "--platform list too long");
	for (char *n = strtok_r(buf, ",", &save); n; n = strtok_r(NULL, ",", &save))
		if ((r = add_preset(o, n, arg)) >= 0)
			return r;
	if (!o->nplats)
		return cli_usage_error("check", "--platform '%s' names no platform", arg);
	return -1;
}

/* How many workers: --jobs, else the processors online. */
static unsigned workers(const struct check_opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = o->jobs ? o->jobs : cpus > 0 ? (unsigned)cpus : 1;

	if (n > o->nplats)
		n = o->nplats;
	return n ? n : 1;
}

/* Open the extra traces (the first is open): a trace that cannot be opened
 * again just means fewer workers.  Run on a thread of its own
 * (start_opening()), it touches m->t[1..] and m->nt alone. */
static void *open_workers(void *arg)
{
	struct multi *m = arg;
	char err[1024];

	for (m->nt = 1; m->nt < m->want; m->nt++) {
		m->t[m->nt] = cli_open_trace(m->path, &m->o->topts, err, sizeof(err));
		if (!m->t[m->nt])
			break;
	}
	return NULL;
}

/* Whether the extra traces are opened: only a file, not standard input. */
static int opens_again(const struct multi *m)
{
	return strcmp(m->path, "-") != 0 && m->want > 1;
}

/* Start opening the extra traces while the first one is used; 1 when a
 * thread does it (join it with pthread_join()), 0 when nothing is to open
 * or no thread could start (then open_workers() runs here). */
static int start_opening(struct multi *m, pthread_t *th)
{
	if (!opens_again(m))
		return 0;
	if (pthread_create(th, NULL, open_workers, m) == 0)
		return 1;
	open_workers(m);
	return 0;
}

/* A worker's source over @in, counting what it hands out. */
static void set_source(struct multi *m, unsigned k, struct coh_source in)
{
	m->cs[k] = (struct counted_src){ in, 0, 0, m };
	m->src[k] = (struct coh_source){ .ctx = &m->cs[k], .count = counted_count,
					 .get = counted_get, .groups = counted_groups };
}

/* Read every event of the first trace into a log all workers share
 * (reading a log from several threads is safe; a trace is not). */
static int read_log(struct multi *m, char *err, size_t n)
{
	uint64_t count = trace_count(m->t[0]), i = 0;
	struct coh_event ev;
	int e = 0;

	m->log = coh_log_new();
	while (m->log && i < count && e >= 0) {
		e = trace_get(m->t[0], i, &ev);
		if (e >= 0)
			e = coh_log_append(m->log, &ev);
		i += e >= 0;
	}
	if (m->log && e >= 0) {
		for (unsigned k = 0; k < m->nsrc; k++)
			set_source(m, k, coh_log_source(m->log));
		return 0;
	}
	snprintf(err, n, "%s: event %llu: %s", trace_path(m->t[0]), (unsigned long long)i,
		 coh_strerror(m->log ? e : -COH_E_NOMEM));
	fprintf(stderr, "dmascope: %s\n", err);
	return -1;
}

/* The workers' sources: a trace each for a file (opened by then); for
 * standard input, which cannot be read twice, its events read once into a
 * log they share.  Return: 0, or -1 with @err filled. */
static int make_sources(struct multi *m, char *err, size_t n)
{
	if (strcmp(m->path, "-") != 0 || m->want == 1) {
		m->nsrc = m->nt;
		for (unsigned k = 0; k < m->nt; k++)
			set_source(m, k, trace_source(m->t[k]));
		return 0;
	}
	m->nsrc = m->want;           /* every source reads the log */
	return read_log(m, err, n);
}

/* The presets' platforms with the trace's devices; -1 with @err filled. */
static int build_platforms(struct multi *m, char *err, size_t n)
{
	unsigned np = m->o->nplats;

	m->plat = calloc(np, sizeof(*m->plat));
	m->runs = calloc(np, sizeof(*m->runs));
	m->pre = calloc(np, sizeof(*m->pre));
	m->errs = calloc(np, sizeof(*m->errs));
	if (!m->plat || !m->runs || !m->pre || !m->errs) {
		snprintf(err, n, "%s: out of memory", trace_path(m->t[0]));
		return -1;
	}
	for (unsigned k = 0; k < np; k++) {
		if (cli_trace_platform(m->t[0], m->o->plat_list[k], &m->plat[k], err, n) < 0)
			return -1;
		m->runs[k].plat = &m->plat[k];
	}
	return 0;
}

/* What the first trace gives while the others open: the presets'
 * platforms and the groups of its events; -1 with @err filled. */
static int prepare(struct multi *m, char *err, size_t n)
{
	struct coh_source in = trace_source(m->t[0]);

	if (build_platforms(m, err, n) < 0)
		return -1;
	m->groups = coh_source_groups(&in);
	return 0;
}

/* What each preset's run says of itself; failures go to stderr too. */
static void summarize(struct multi *m, const char *path)
{
	for (unsigned k = 0; k < m->o->nplats; k++) {
		struct report_preset *p = &m->pre[k];
		struct coh_sim *s = m->runs[k].sim;

		p->plat = &m->plat[k];
		if (!s) {
			snprintf(m->errs[k], sizeof(m->errs[k]), "%s: platform %s: %s", path,
				 m->plat[k].name, m->runs[k].errmsg);
			fprintf(stderr, "dmascope: %s\n", m->errs[k]);
			p->error = m->errs[k];
			continue;
		}
		p->stale_reads = coh_sim_stale_reads(s);
		p->nfindings = coh_sim_nfindings(s);
		for (size_t i = 0; i < p->nfindings; i++) {
			const struct coh_finding *f = coh_sim_finding(s, i);

			p->roots += f->parent < 0;
			p->errors += report_counts(f);
		}
	}
}

/* Merge every preset's findings into m->merged; -1 when out of memory. */
static int merge(struct multi *m)
{
	unsigned np = m->o->nplats;
	const struct coh_finding ***per = calloc(np, sizeof(*per));
	size_t *nper = calloc(np, sizeof(*nper));
	int ret = per && nper ? 0 : -1;

	for (unsigned k = 0; k < np && !ret; k++) {
		struct coh_sim *s = m->runs[k].sim;

		nper[k] = s ? coh_sim_nfindings(s) : 0;
		per[k] = malloc((nper[k] ? nper[k] : 1) * sizeof(**per));
		if (!per[k])
			ret = -1;
		for (size_t i = 0; per[k] && i < nper[k]; i++)
			per[k][i] = coh_sim_finding(s, i);
	}
	if (!ret)
		ret = report_matrix_merge((const struct coh_finding *const *const *)per, nper,
					  np, &m->merged);
	for (unsigned k = 0; per && k < np; k++)
		free(per[k]);
	free(per);
	free(nper);
	return ret;
}

/* The merged file: what the runs share, their findings, their presets. */
static void fill(struct multi *m, struct report_file *rf, struct report_platforms *ps)
{
	*ps = (struct report_platforms){ m->o->nplats, m->pre, m->merged.mask,
					 m->merged.first, m->merged.f };
	rf->plat = &m->plat[0];
	rf->sim_flags = m->o->flags;
	rf->view = &m->o->view;
	rf->platforms = ps;
	rf->nfindings = m->merged.n;
	rf->findings = m->merged.ptr;
	for (unsigned k = 0; k < m->o->nplats; k++) {
		struct coh_sim *s = m->runs[k].sim;

		if (s && coh_sim_pos(s) > rf->events)
			rf->events = coh_sim_pos(s);
		if (m->pre[k].stale_reads > rf->stale_reads)
			rf->stale_reads = m->pre[k].stale_reads;
	}
	for (unsigned k = 0; k < m->nsrc; k++)
		if (m->cs[k].file > rf->file_replayed)
			rf->file_replayed = m->cs[k].file;
}

/* Replay and report; the file's status, or -1 with @err filled in. */
static int run_and_report(struct multi *m, void *st, char *err, size_t n)
{
	struct report_file rf = { .path = trace_path(m->t[0]) };
	struct report_platforms ps;
	int e, ret;

	e = coh_run_platforms(m->src, m->nsrc, m->runs, m->o->nplats, m->o->flags, NULL);
	if (e < 0) {
		snprintf(err, n, "%s: %s", rf.path, coh_strerror(e));
		fprintf(stderr, "dmascope: %s\n", err);
		return -1;
	}
	summarize(m, rf.path);
	if (merge(m) < 0 || check_trace_info(&rf, m->t[0]) < 0) {
		snprintf(err, n, "%s: out of memory", rf.path);
		return -1;
	}
	fill(m, &rf, &ps);
	ret = m->o->sink->add(st, &rf) < 0 ? -1 : report_status(&rf);
	free((void *)rf.warnings);
	if (ret < 0)
		snprintf(err, n, "%s: out of memory while reporting", rf.path);
	return ret;
}

static void multi_free(struct multi *m)
{
	coh_plat_runs_free(m->runs, m->o->nplats);
	for (unsigned k = 0; k < m->nt; k++)
		trace_close(m->t[k]);
	report_matrix_free(&m->merged);
	coh_log_free(m->log);
	free(m->plat);
	free(m->runs);
	free(m->pre);
	free(m->errs);
}

int check_platforms_file(const char *path, const struct check_opts *o, void *st, char *err,
			 size_t n)
{
	struct multi m = { .o = o };
	int ret = -1;

	m.t[0] = cli_open_trace(path, &o->topts, err, n);
	if (m.t[0]) {
		pthread_t th;
		int opening, ok;

		m.nt = 1;
		m.path = path;
		m.want = workers(o);
		opening = start_opening(&m, &th);
		ok = prepare(&m, err, n) == 0;
		if (opening)
			pthread_join(th, NULL);
		if (ok && make_sources(&m, err, n) == 0)
			ret = run_and_report(&m, st, err, n);
	}
	multi_free(&m);
	return ret;
}
