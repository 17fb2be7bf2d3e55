/* SPDX-License-Identifier: MIT */
/*
 * demo.h - the built-in scenarios `dmascope run` plays (until the TUI).
 */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>

#include "coh_event.h"
#include "coh_log.h"
#include "coh_platform.h"

struct demo_scenario {
	const char *title;           /* one line */
	const char *about;           /* what to watch for, a paragraph */
	struct coh_platform plat;    /* the platform its file names, with its device */
	struct coh_log *events;      /* its events, copied from the reader; ts and src
				      * are filled in when played */
};

/**
 * demo_scenario_at - the i-th scenario; the first call reads them all from
 * their embedded .dmt files (an error is printed on stderr)
 *
 * Return: a scenario kept until the process ends, or NULL past the last one
 * (or for every i when they could not be read).
 */
const struct demo_scenario *demo_scenario_at(size_t i);

/* A .dmt file of traces/samples/, embedded at build time (demo_files.c,
 * which the Makefile makes with scripts/embed-dmt.awk). */
struct demo_file {
	const char *name;            /* its base name: "linux-rx-nosync.bug.dmt" */
	const char *text;            /* its content */
};

/* The embedded files, ending with { NULL, NULL }. */
extern const struct demo_file demo_files[];

#endif
