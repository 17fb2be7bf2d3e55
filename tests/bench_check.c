/* SPDX-License-Identifier: MIT */
/*
 * bench_check.c - `dmascope check` as a user waits for it, beside the tool
 * a user would run instead, in the same run: `trace-cmd report FILE >
 * /dev/null` on the same capture.  Printed, never asserted.
 *
 * Rows (scripts/bench-table.sh gathers them into `make bench`'s table):
 *   - check of big per preset (BENCH_PRESETS, default "arm-noncoherent
 *     x86"), version 7 as recorded and a version-6 copy made with
 *     `trace-cmd convert` (first preset only): wall time, median and range of
 *     BENCH_RUNS (default 5) runs alternated with trace-cmd report, events
 *     per second, peak RSS against trace-cmd report's;
 *   - check --platform all against one preset (target: within 3x);
 *   - instructions (callgrind) of check and of trace-cmd report on a
 *     cut-down input, the disk capture: a figure that does not drift with
 *     the machine's load;
 *   - lesson --check of every lesson in every language.
 * QUICK=1: the nic capture, 3 runs, no version 6, no callgrind.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-quick.h"
#include "bench-table.h"

#define MAX_RUNS 64
#define MAX_ARGS 16

struct run_result {
	double wall;
	long rss_kib;                /* peak resident set */
};

/* Run @argv with its output thrown away; 0, or -1 when it failed to run or
 * exited above 1 (check exits 1 when it finds something). */
static int run(char *const argv[], struct run_result *r)
{
	struct rusage ru;
	double t0 = bench_now();
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		return -1;
	r->wall = bench_now() - t0;
	r->rss_kib = ru.ru_maxrss;
	if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
		fprintf(stderr, "bench_check: %s failed (status %d)\n", argv[0], st);
		return -1;
	}
	return 0;
}

struct series {
	double wall[MAX_RUNS];
	long rss;                    /* the largest peak */
	struct bench_stat st;
};

/* @runs runs of @a and @b alternated (b first); b may be NULL. */
static int alternate(char *const a[], struct series *sa, char *const b[], struct series *sb,
		     int runs)
{
	struct run_result r;

	sa->rss = 0;
	if (sb)
		sb->rss = 0;
	for (int i = 0; i < runs; i++) {
		if (b) {
			if (run(b, &r) < 0)
				return -1;
			sb->wall[i] = r.wall;
			sb->rss = r.rss_kib > sb->rss ? r.rss_kib : sb->rss;
		}
		if (run(a, &r) < 0)
			return -1;
		sa->wall[i] = r.wall;
		sa->rss = r.rss_kib > sa->rss ? r.rss_kib : sa->rss;
	}
	sa->st = bench_stats(sa->wall, (size_t)runs);
	if (b)
		sb->st = bench_stats(sb->wall, (size_t)runs);
	return 0;
}

static void fmt_secs(char *out, size_t n, const struct bench_stat *s)
{
	snprintf(out, n, "%.2f s (%.2f-%.2f)", s->median, s->min, s->max);
}

/* The events in @file, as `dmascope stat` counts them (0 when unknown). */
static unsigned long long file_events(const char *dmascope, const char *file)
{
	char cmd[8192], line[512];
	unsigned long long n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' stat '%s' 2>/dev/null", dmascope, file);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, " events: %llu", &n) == 1)
			break;
	pclose(p);
	return n;
}

struct target {
	const char *dmascope;
	const char *file;            /* the capture */
	const char *label;           /* "big v7" */
	int runs;
};

/* One preset: check against trace-cmd report.  Returns check's median. */
static double check_preset(const struct target *t, const char *preset)
{
	char *check[] = { (char *)t->dmascope, "check", "-q", "--platform", (char *)preset,
			  (char *)t->file, NULL };
	char *report[] = { "trace-cmd", "report", (char *)t->file, NULL };
	struct series c, r;
	char fig[256], val[128], oth[128], ratio[64], eps[64];
	unsigned long long n = file_events(t->dmascope, t->file);
	double x;

	if (alternate(check, &c, report, &r, t->runs) < 0)
		return -1;
	x = c.st.median > 0 ? r.st.median / c.st.median : 0;
	snprintf(fig, sizeof(fig), "check %s, %s (wall)", t->label, preset);
	fmt_secs(val, sizeof(val), &c.st);
	fmt_secs(oth, sizeof(oth), &r.st);
	snprintf(ratio, sizeof(ratio), "%.2fx faster", x);
	bench_row(fig, val, oth, ratio, "<= 1.0 s, >= 10x",
		  bench_met(c.st.median <= 1.0 && x >= 10));
	snprintf(fig, sizeof(fig), "check %s, %s (events/s)", t->label, preset);
	snprintf(eps, sizeof(eps), "%.0f", c.st.median > 0 ? (double)n / c.st.median : 0);
	snprintf(oth, sizeof(oth), "%.0f", r.st.median > 0 ? (double)n / r.st.median : 0);
	bench_row(fig, eps, oth, NULL, NULL, NULL);
	snprintf(fig, sizeof(fig), "check %s, %s (peak RSS)", t->label, preset);
	snprintf(val, sizeof(val), "%.0f MiB", (double)c.rss / 1024);
	snprintf(oth, sizeof(oth), "%.0f MiB", (double)r.rss / 1024);
	x = r.rss > 0 ? (double)c.rss / (double)r.rss : 0;
	snprintf(ratio, sizeof(ratio), "%.2fx", x);
	bench_row(fig, val, oth, ratio, "<= 2x", bench_met(x <= 2));
	return c.st.median;
}

static void check_all(const struct target *t, double one)
{
	char *all[] = { (char *)t->dmascope, "check", "-q", "--platform", "all", (char *)t->file,
			NULL };
	struct series a;
	char fig[256], val[128], oth[64], ratio[64];
	double x;

	if (one <= 0 || alternate(all, &a, NULL, NULL, t->runs) < 0)
		return;
	x = a.st.median / one;
	snprintf(fig, sizeof(fig), "check %s --platform all (%ld cores)", t->label,
		 sysconf(_SC_NPROCESSORS_ONLN));
	fmt_secs(val, sizeof(val), &a.st);
	snprintf(oth, sizeof(oth), "one preset: %.2f s", one);
	snprintf(ratio, sizeof(ratio), "%.2fx", x);
	bench_row(fig, val, oth, ratio, "<= 3x", bench_met(x <= 3));
}

/* Instructions of one run of @cmd under callgrind (all its processes), or 0. */
static double callgrind(const char *cmd)
{
	char line[8192];
	double sum = 0, n;
	FILE *p;

	snprintf(line, sizeof(line), "valgrind --tool=callgrind --callgrind-out-file=/dev/null "
		 "%s 2>&1 >/dev/null", cmd);
	p = popen(line, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p)) {
		const char *c = strstr(line, "Collected :");

		if (c && sscanf(c, "Collected : %lf", &n) == 1)
			sum += n;
	}
	return pclose(p) == 0 ? sum : 0;
}

static void instructions(const char *dmascope, const char *file)
{
	char cmd[8192], val[64], oth[64], ratio[64];
	double c, r;

	snprintf(cmd, sizeof(cmd), "'%s' check -q '%s'", dmascope, file);
	c = callgrind(cmd);
	snprintf(cmd, sizeof(cmd), "trace-cmd report '%s'", file);
	r = callgrind(cmd);
	if (c <= 0 || r <= 0) {
		bench_row("check disk (instructions, callgrind)", "not measured", NULL, NULL, NULL,
			  NULL);
		return;
	}
	snprintf(val, sizeof(val), "%.3g", c);
	snprintf(oth, sizeof(oth), "%.3g", r);
	snprintf(ratio, sizeof(ratio), "%.2fx", c / r);
	bench_row("check disk (instructions, callgrind)", val, oth, ratio, NULL, NULL);
}

static void lessons(const char *dmascope, int runs)
{
	char *argv[] = { (char *)dmascope, "lesson", "--check", "--lang", "all", NULL };
	struct series s;
	char val[128];

	if (alternate(argv, &s, NULL, NULL, runs) < 0) {
		bench_row("lesson --check, every lesson, 3 languages", "failed", NULL, NULL, NULL,
			  NULL);
		return;
	}
	fmt_secs(val, sizeof(val), &s.st);
	bench_row("lesson --check, every lesson, 3 languages", val, NULL, NULL, NULL, NULL);
}

int main(void)
{
	const char *dmascope = getenv("DMASCOPE"), *captures = getenv("CAPTURES");
	const char *presets_env = getenv("BENCH_PRESETS"), *runs_env = getenv("BENCH_RUNS");
	int quick = bench_quick();
	char file[4096], disk[4096], presets[512], dir[] = "/tmp/dmascope-bench-XXXXXX",
		v6[4200];
	struct target t;
	struct stat sb;
	double one = -1;

	dmascope = dmascope && *dmascope ? dmascope : "./dmascope";
	captures = captures && *captures ? captures : "tests/data/captures";
	snprintf(file, sizeof(file), "%s/%s/trace.dat", captures, quick ? "nic" : "big");
	snprintf(disk, sizeof(disk), "%s/disk/trace.dat", captures);
	snprintf(presets, sizeof(presets), "%s", presets_env && *presets_env ? presets_env
		 : quick ? "arm-noncoherent" : "arm-noncoherent x86");
	t.dmascope = dmascope;
	t.file = file;
	t.label = quick ? "nic" : "big v7";
	t.runs = runs_env ? atoi(runs_env) : quick ? 3 : 5;
	t.runs = t.runs < 1 ? 1 : t.runs > MAX_RUNS ? MAX_RUNS : t.runs;
	if (stat(file, &sb) < 0) {
		printf("bench_check: %s missing\n", file);
		bench_row("check of a capture", "not built", "(the capture is missing)", NULL, NULL,
			  "not built");
		return 0;
	}
	printf("bench_check: %s, %d runs each, alternated with trace-cmd report\n", file, t.runs);
	for (char *p = strtok(presets, " "); p; p = strtok(NULL, " ")) {
		double m = check_preset(&t, p);

		if (one < 0)
			one = m;
	}
	check_all(&t, one);
	if (!quick && mkdtemp(dir)) {
		char first[64];

		snprintf(first, sizeof(first), "%s", presets_env && *presets_env ? presets_env
			 : "arm-noncoherent");
		first[strcspn(first, " ")] = '\0';
		snprintf(v6, sizeof(v6), "%s/big-v6.dat", dir);
		if (bench_make_v6(file, v6) == 0) {
			t.file = v6;
			t.label = "big v6";
			check_preset(&t, first);
		} else {
			bench_row("check big v6", "not measured", "(trace-cmd convert failed)", NULL,
				  NULL, NULL);
		}
		unlink(v6);
		rmdir(dir);
	}
	if (!quick && stat(disk, &sb) == 0)
		instructions(dmascope, disk);
	lessons(dmascope, t.runs);
	return 0;
}
