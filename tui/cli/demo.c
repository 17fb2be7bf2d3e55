/* SPDX-License-Identifier: MIT */
/*
 * demo.c - short built-in scenarios, each once wrong and once right:
 * a Linux receive buffer read before dma_sync_single_for_cpu on a
 * noncoherent arm64, and a Windows CacheEnabled common buffer that the
 * device writes without KeFlushIoBuffers on a noncoherent bus master.
 *
 * The events are four sample files (traces/samples/linux-rx-nosync.*.dmt,
 * common-buffer-clobber.*.dmt), embedded in the binary at build time and
 * read back through the .dmt reader on first use: a scenario is written
 * once, in the format a user would write it.  The
 * reader takes a path, so each text goes through a temporary file in
 * $TMPDIR (removed at once).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "trace.h"

/* What the files do not say: how `dmascope run` introduces them. */
struct story {
	const char *title;
	const char *about;
	const char *file;            /* a demo_files[] name */
};

static const struct story stories[] = {
	{ "Linux: receive buffer read before dma_sync_single_for_cpu",
	  "The device writes a frame into a FROM_DEVICE streaming buffer and the CPU reads it "
	  "while the device still owns it: on a noncoherent arm64 the CPU's cache still holds "
	  "the bytes the driver wrote before dma_map_single.",
	  "linux-rx-nosync.bug.dmt" },
	{ "Linux: the same, with dma_sync_single_for_cpu first",
	  "dma_sync_single_for_cpu invalidates the lines and hands the buffer back to the CPU, "
	  "so the read sees the frame.",
	  "linux-rx-nosync.ok.dmt" },
	{ "Windows: CacheEnabled common buffer written by the device, no KeFlushIoBuffers",
	  "The CPU leaves dirty lines over a cached common buffer; the device writes under "
	  "them, and when the lines are evicted their write-back puts the old bytes over the "
	  "device's data.",
	  "common-buffer-clobber.bug.dmt" },
	{ "Windows: the same, with KeFlushIoBuffers(ReadOperation=TRUE) before the transfer",
	  "KeFlushIoBuffers cleans and invalidates the buffer's lines before the device "
	  "writes, so nothing is left to write back over its data.",
	  "common-buffer-clobber.ok.dmt" },
};

#define NSTORIES (sizeof(stories) / sizeof(stories[0]))

/* Read once, kept until the process ends. */
static struct demo_scenario scenarios[NSTORIES];
static int loaded;                   /* 0 not yet, 1 read, -1 failed */

static const char *file_text(const char *name)
{
	for (const struct demo_file *f = demo_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f->text;
	return NULL;
}

/* Write @text to a new temporary file, whose path goes to @path. */
static int write_temp(const char *text, char *path, size_t n)
{
	const char *dir = getenv("TMPDIR");
	FILE *f;
	int fd, ok;

	snprintf(path, n, "%s/dmascope-demo.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		return -1;
	}
	ok = fputs(text, f) >= 0;
	if (fclose(f) != 0 || !ok) {
		unlink(path);
		return -1;
	}
	return 0;
}

/* Open the embedded file @name as a trace. */
static struct trace *open_text(const char *name, char *err, size_t n)
{
	const char *text = file_text(name);
	struct trace *t = NULL;
	char path[4096];

	if (!text) {
		snprintf(err, n, "not embedded (traces/samples/%s)", name);
		return NULL;
	}
	if (write_temp(text, path, sizeof(path)) < 0) {
		snprintf(err, n, "cannot write a temporary file in $TMPDIR: %s", strerror(errno));
		return NULL;
	}
	if (trace_open(path, NULL, &t, err, n) < 0)
		t = NULL;
	unlink(path);
	return t;
}

/* Copies of the events of @t, in a log; NULL when out of memory. */
static struct coh_log *copy_events(struct trace *t)
{
	struct coh_log *log = coh_log_new();
	struct coh_event ev;

	for (uint64_t i = 0; log && i < trace_count(t); i++) {
		if (trace_get(t, i, &ev) < 0 || coh_log_append(log, &ev) < 0) {
			coh_log_free(log);
			return NULL;
		}
	}
	return log;
}

/* The events and platform (with its one device) of the trace @t into @sc. */
static int take_trace(struct demo_scenario *sc, struct trace *t, char *err, size_t n)
{
	if (trace_platform(t, NULL, &sc->plat, err, n) < 0)
		return -1;
	if (sc->plat.ndevs != 1) {
		snprintf(err, n, "a scenario has one device, not %u", sc->plat.ndevs);
		return -1;
	}
	sc->events = copy_events(t);
	if (sc->events)
		return 0;
	snprintf(err, n, "out of memory");
	return -1;
}

static int load_one(struct demo_scenario *sc, const struct story *st)
{
	char err[512] = "";
	struct trace *t = open_text(st->file, err, sizeof(err));
	int ret = t ? take_trace(sc, t, err, sizeof(err)) : -1;

	trace_close(t);
	if (ret < 0)
		fprintf(stderr, "dmascope: demo %s: %s\n", st->file, err);
	sc->title = st->title;
	sc->about = st->about;
	return ret;
}

const struct demo_scenario *demo_scenario_at(size_t i)
{
	for (size_t k = 0; !loaded && k < NSTORIES; k++)
		if (load_one(&scenarios[k], &stories[k]) < 0)
			loaded = -1;
	if (!loaded)
		loaded = 1;
	return loaded > 0 && i < NSTORIES ? &scenarios[i] : NULL;
}
