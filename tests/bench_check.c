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
 *     BENCH_RUNS (default 5) rounds, each running trace-cmd report once, then
 *     check on each preset and --platform all; events per second, peak RSS
 *     against trace-cmd report's;
 *   - check --platform all against one preset (target: within 3x);
 *   - instructions (callgrind) of check and of trace-cmd report on a
 *     cut-down input, the disk capture: a figure that does not drift with
 *     the machine's load (so the two run at once);
 *   - lesson --check of every lesson in every language.
 * In make bench (BENCH_DIR set) the version-6 copy is the shared one
 * (bench-table.h) and the trace-cmd report timings are left for bench_load.
 * QUICK=1: the nic capture, 3 runs, no version 6, no callgrind.
 */
#include <fcntl.h>
#include <stdbool.h>
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

/* @runs rounds, each running every command of @cmds once, in that order:
 * the figures compared with each other are measured under the same load, and
 * a command several rows compare with (trace-cmd report) runs once a round. */
static int rounds(char **const cmds[], struct series *out, int ncmds, int runs)
{
	struct run_result r;

	for (int c = 0; c < ncmds; c++)
		out[c].rss = 0;
	for (int i = 0; i < runs; i++) {
		for (int c = 0; c < ncmds; c++) {
			if (run(cmds[c], &r) < 0)
				return -1;
			out[c].wall[i] = r.wall;
			out[c].rss = r.rss_kib > out[c].rss ? r.rss_kib : out[c].rss;
		}
	}
	for (int c = 0; c < ncmds; c++)
		out[c].st = bench_stats(out[c].wall, (size_t)runs);
	return 0;
}

/* @runs runs of @a alone. */
static int alternate(char *const a[], struct series *sa, int runs)
{
	char **const cmds[] = { (char **)a };

	return rounds(cmds, sa, 1, runs);
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

/* The rows of one preset: check @c against trace-cmd report @r, measured in
 * the same rounds, on a file of @n events. */
static void preset_rows(const struct target *t, const char *preset, const struct series *cp,
			const struct series *rp, unsigned long long n)
{
	struct series c = *cp, r = *rp;
	char fig[256], val[128], oth[128], ratio[64], eps[64];
	double x;

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
}

/* --platform all (@a) against the first preset's median @one. */
static void all_rows(const struct target *t, const struct series *a, double one)
{
	char fig[256], val[128], oth[64], ratio[64];
	double x;

	if (one <= 0)
		return;
	x = a->st.median / one;
	snprintf(fig, sizeof(fig), "check %s --platform all (%ld cores)", t->label,
		 sysconf(_SC_NPROCESSORS_ONLN));
	fmt_secs(val, sizeof(val), &a->st);
	snprintf(oth, sizeof(oth), "one preset: %.2f s", one);
	snprintf(ratio, sizeof(ratio), "%.2fx", x);
	bench_row(fig, val, oth, ratio, "<= 3x", bench_met(x <= 3));
}

/* @cmd started under callgrind, its summary to be read from the pipe, or NULL. */
static FILE *callgrind_start(const char *cmd)
{
	char line[8400];

	snprintf(line, sizeof(line), "valgrind --tool=callgrind --callgrind-out-file=/dev/null "
		 "%s 2>&1 >/dev/null", cmd);
	return popen(line, "r");
}

/* The instructions callgrind counted in @p's run (all its processes), or 0. */
static double callgrind_end(FILE *p)
{
	char line[8192];
	double sum = 0, n;

	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p)) {
		const char *c = strstr(line, "Collected :");

		if (c && sscanf(c, "Collected : %lf", &n) == 1)
			sum += n;
	}
	return pclose(p) == 0 ? sum : 0;
}

/* Check and trace-cmd report of @file under callgrind, side by side: the
 * instructions counted do not depend on what else runs. */
static void instructions(const char *dmascope, const char *file)
{
	char cmd[8192], val[64], oth[64], ratio[64];
	FILE *pc, *pr;
	double c, r;

	snprintf(cmd, sizeof(cmd), "'%s' check -q '%s'", dmascope, file);
	pc = callgrind_start(cmd);
	snprintf(cmd, sizeof(cmd), "trace-cmd report '%s'", file);
	pr = callgrind_start(cmd);
	c = callgrind_end(pc);
	r = callgrind_end(pr);
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

	if (alternate(argv, &s, runs) < 0) {
		bench_row("lesson --check, every lesson, 3 languages", "failed", NULL, NULL, NULL,
			  NULL);
		return;
	}
	fmt_secs(val, sizeof(val), &s.st);
	bench_row("lesson --check, every lesson, 3 languages", val, NULL, NULL, NULL, NULL);
}

/* @t->runs rounds of trace-cmd report, check on each preset of the
 * space-separated @presets, and (@all) --platform all; then their rows.
 * The report timings are kept for bench_load (bench_report_save()). */
static void measure(const struct target *t, const char *presets, bool all)
{
	enum { MAX_PRESETS = 8 };
	char list[512], *names[MAX_PRESETS];
	char *report[] = { "trace-cmd", "report", (char *)t->file, NULL };
	char *argv[MAX_PRESETS + 1][7];
	char **cmds[MAX_PRESETS + 2];
	static struct series out[MAX_PRESETS + 2];
	unsigned long long events;
	int n = 0, k;

	snprintf(list, sizeof(list), "%s", presets);
	for (char *p = strtok(list, " "); p && n < MAX_PRESETS; p = strtok(NULL, " "))
		names[n++] = p;
	cmds[0] = report;
	for (k = 0; k < n + all; k++) {
		char **a = argv[k];

		a[0] = (char *)t->dmascope;
		a[1] = "check";
		a[2] = "-q";
		a[3] = "--platform";
		a[4] = k < n ? names[k] : "all";
		a[5] = (char *)t->file;
		a[6] = NULL;
		cmds[k + 1] = a;
	}
	if (!n || rounds(cmds, out, n + all + 1, t->runs) < 0)
		return;
	bench_report_save(t->file, out[0].wall, t->runs);
	events = file_events(t->dmascope, t->file);
	for (k = 0; k < n; k++)
		preset_rows(t, names[k], &out[k + 1], &out[0], events);
	if (all)
		all_rows(t, &out[n + 1], out[1].st.median);
}

int main(void)
{
	const char *dmascope = getenv("DMASCOPE"), *captures = getenv("CAPTURES");
	const char *presets_env = getenv("BENCH_PRESETS"), *runs_env = getenv("BENCH_RUNS");
	int quick = bench_quick();
	char file[4096], disk[4096], presets[512];
	struct bench_v6 v6;
	struct target t;
	struct stat sb;

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
	printf("bench_check: %s, %d rounds of trace-cmd report, check on each preset and "
	       "--platform all\n", file, t.runs);
	measure(&t, presets, true);
	if (!quick) {
		char first[64];

		snprintf(first, sizeof(first), "%s", presets_env && *presets_env ? presets_env
			 : "arm-noncoherent");
		first[strcspn(first, " ")] = '\0';
		if (bench_v6_get(&v6, file, 1) == 0) {
			t.file = v6.path;
			t.label = "big v6";
			measure(&t, first, false);
		} else {
			bench_row("check big v6", "not measured", "(trace-cmd convert failed)", NULL,
				  NULL, NULL);
		}
		bench_v6_done(&v6);
	}
	if (!quick && stat(disk, &sb) == 0)
		instructions(dmascope, disk);
	lessons(dmascope, t.runs);
	return 0;
}
