/* SPDX-License-Identifier: MIT */
/*
 * test_same_results.c - the engine gives the results it gave before a change
 * meant only to make it faster: every sample (traces/samples, .dmt, CSV,
 * XML) and every capture's trace.dat, on x86, arm-noncoherent,
 * arm-speculative, x86-swiotlb and nt-busmaster, replayed with coh_run();
 * one line per input and preset holds the coh_sim_hash() at eight positions
 * and at the end, where the run stopped, the stale reads and a digest of
 * every field of every finding. The lines are compared with the ones saved
 * in tests/data/same-results/engine.txt (each saved line's input must still
 * be replayed, so an input cannot drop out unnoticed).
 *
 * The capture `big` (2.3 million events) is replayed only when
 * SAME_RESULTS_BIG=1 (scripts/same-results.sh --big); its saved lines are
 * otherwise left unchecked. SAME_RESULTS_WRITE=1 writes the file instead of
 * comparing: run it on the build before the change (scripts/same-results.sh
 * --write).
 */
#include "replay-test.h"
#include "ftrace-test.h"

#define NMARKS 8
#define SAVED "tests/data/same-results/engine.txt"

static const char *const presets[] = {
	"x86", "arm-noncoherent", "arm-speculative", "x86-swiotlb", "nt-busmaster",
};

struct digest {
	uint64_t count;              /* events in the source */
	uint64_t hash[NMARKS];       /* coh_sim_hash() after count * (k + 1) / NMARKS */
};

/* The lines computed, and the saved ones. */
struct lines {
	char **v;
	size_t n, cap;
};

static void lines_add(struct lines *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	l->v[l->n++] = strdup(s);
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* FNV-1a over @n bytes. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

#define FNV(h, x) ((h) = fnv((h), &(x), sizeof(x)))

/* Every field of @f (not its padding), the evidence up to nbytes. */
static uint64_t finding_digest(uint64_t h, const struct coh_finding *f)
{
	FNV(h, f->id);
	FNV(h, f->rule);
	FNV(h, f->flags);
	FNV(h, f->parent);
	FNV(h, f->seq);
	FNV(h, f->src);
	FNV(h, f->ts);
	FNV(h, f->dev);
	FNV(h, f->cpu);
	FNV(h, f->addr);
	FNV(h, f->len);
	FNV(h, f->bus);
	FNV(h, f->other_seq);
	FNV(h, f->omitted);
	FNV(h, f->nbytes);
	FNV(h, f->ev_addr);
	h = fnv(h, f->seen, f->nbytes);
	h = fnv(h, f->expected, f->nbytes);
	h = fnv(h, f->seen_ver, f->nbytes * sizeof(f->seen_ver[0]));
	h = fnv(h, f->exp_ver, f->nbytes * sizeof(f->exp_ver[0]));
	FNV(h, f->other_src);
	FNV(h, f->seen_src);
	FNV(h, f->exp_src);
	return h;
}

static int at_mark(void *ctx, struct coh_sim *s, const struct coh_event *ev, uint64_t i)
{
	struct digest *d = ctx;

	(void)ev;
	for (int k = 0; k < NMARKS; k++)
		if (i + 1 == d->count * (uint64_t)(k + 1) / NMARKS)
			d->hash[k] = coh_sim_hash(s);
	return 0;
}

/* The line of @t (named @name) replayed on @preset. */
static void replay_line(struct trace *t, const char *name, const char *preset, struct lines *out)
{
	struct coh_source src = trace_source(t);
	struct digest d = { .count = trace_count(t) };
	struct coh_run_opts ro = { .ctx = &d, .event = at_mark };
	struct coh_run_result r;
	struct coh_platform plat;
	struct coh_sim *s;
	char err[512], line[1024];
	uint64_t fh = 0xcbf29ce484222325ull;
	int rc, len;

	if (trace_platform(t, preset, &plat, err, sizeof(err)) < 0) {
		snprintf(line, sizeof(line), "%s %s unsupported", name, preset);
		lines_add(out, line);
		return;
	}
	s = coh_sim_new(&plat, 0, NULL);
	assert_non_null(s);
	rc = coh_run(s, &src, 0, UINT64_MAX, &ro, &r);
	for (size_t i = 0; i < coh_sim_nfindings(s); i++)
		fh = finding_digest(fh, coh_sim_finding(s, i));
	fh = fnv(fh, r.errmsg, strlen(r.errmsg));
	len = snprintf(line, sizeof(line), "%s %s run=%d next=%llu findings=%zu/%016llx stale=%llu end=%016llx marks=",
		       name, preset, rc, (unsigned long long)r.next, coh_sim_nfindings(s),
		       (unsigned long long)fh, (unsigned long long)coh_sim_stale_reads(s),
		       (unsigned long long)coh_sim_hash(s));
	for (int k = 0; k < NMARKS; k++)
		len += snprintf(line + len, sizeof(line) - (size_t)len, "%s%016llx", k ? "," : "",
				(unsigned long long)d.hash[k]);
	lines_add(out, line);
	coh_sim_free(s);
}

static void replay_file(const char *path, const char *name, struct lines *out)
{
	struct trace *t = rt_open(path);

	for (size_t p = 0; p < sizeof(presets) / sizeof(presets[0]); p++)
		replay_line(t, name, presets[p], out);
	trace_close(t);
}

static int env_on(const char *var)
{
	const char *s = getenv(var);

	return s && strcmp(s, "1") == 0;
}

/* Every sample file but scripts, and every capture's trace.dat. */
static void replay_all(struct lines *out)
{
	char cmd[1400], dir[1024], path[2200], name[512];
	FILE *f;

	rt_sample_path(dir, sizeof(dir), "");
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -E '\\.(dmt|csv|xml)$' | sort", dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(name, sizeof(name), f)) {
		name[strcspn(name, "\n")] = 0;
		snprintf(path, sizeof(path), "%s%s", dir, name);
		replay_file(path, name, out);
	}
	pclose(f);
	snprintf(cmd, sizeof(cmd), "cd '%s' && ls */trace.dat | sort", captures_dir());
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(name, sizeof(name), f)) {
		name[strcspn(name, "\n")] = 0;
		if (strncmp(name, "big/", 4) == 0 && !env_on("SAME_RESULTS_BIG"))
			continue;
		capture_path(path, sizeof(path), name, "");
		path[strlen(path) - 1] = 0;   /* no trailing slash */
		replay_file(path, name, out);
	}
	pclose(f);
	assert_true(out->n > 200);
}

static const char *saved_path(char *buf, size_t n)
{
	const char *d = getenv("SRCDIR");

	snprintf(buf, n, "%s/%s", d && *d ? d : ".", SAVED);
	return buf;
}

static void write_saved(const struct lines *got)
{
	char path[1100];
	FILE *f = fopen(saved_path(path, sizeof(path)), "w");

	assert_non_null(f);
	for (size_t i = 0; i < got->n; i++)
		fprintf(f, "%s\n", got->v[i]);
	assert_int_equal(fclose(f), 0);
}

static void read_saved(struct lines *saved)
{
	char path[1100], line[1024];
	FILE *f = fopen(saved_path(path, sizeof(path)), "r");

	if (!f)
		fail_msg("%s: not there (SAME_RESULTS_WRITE=1 on the build before makes it)", path);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		lines_add(saved, line);
	}
	fclose(f);
}

/* The input and preset a line is about: its first two words. */
static size_t key_len(const char *s)
{
	const char *sp = strchr(s, ' ');

	sp = sp ? strchr(sp + 1, ' ') : NULL;
	return sp ? (size_t)(sp - s) : strlen(s);
}

static const char *find_key(const struct lines *l, const char *line)
{
	size_t k = key_len(line);

	for (size_t i = 0; i < l->n; i++)
		if (key_len(l->v[i]) == k && strncmp(l->v[i], line, k) == 0)
			return l->v[i];
	return NULL;
}

static void same_results(void **state)
{
	struct lines got = { 0 }, saved = { 0 };
	int bad = 0;

	(void)state;
	if (sanitized())
		skip();              /* the same code as the plain pass, 20x slower */
	replay_all(&got);
	if (env_on("SAME_RESULTS_WRITE")) {
		write_saved(&got);
		lines_free(&got);
		return;
	}
	read_saved(&saved);
	for (size_t i = 0; i < got.n; i++) {
		const char *want = find_key(&saved, got.v[i]);

		if (!want || strcmp(want, got.v[i]) != 0) {
			printf("differs:\n  saved %s\n  now   %s\n", want ? want : "(none)", got.v[i]);
			bad++;
		}
	}
	for (size_t i = 0; i < saved.n; i++)
		if (!find_key(&got, saved.v[i]) && strncmp(saved.v[i], "big/", 4) != 0) {
			printf("not replayed: %s\n", saved.v[i]);
			bad++;
		}
	lines_free(&got);
	lines_free(&saved);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_results),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
