/* SPDX-License-Identifier: MIT */
/*
 * demo.h - the built-in scenarios `dmascope run` plays (until the TUI).
 */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>

#include "coh_event.h"

struct demo_scenario {
	const char *title;           /* one line */
	const char *about;           /* what to watch for, a paragraph */
	const char *platform;        /* the preset it runs on (its file's header) */
	const char *device;          /* its one device (index 0) */
	const struct coh_event *events;  /* ts and src are filled in when played */
	size_t nevents;
};

/**
 * demo_scenario_at - the i-th scenario; the first call reads them all from
 * their embedded .dmt files (an error is printed on stderr)
 *
 * Return: a scenario kept until the process ends, or NULL past the last one
 * (or for every i when they could not be read).
 */
const struct demo_scenario *demo_scenario_at(size_t i);

/* A .dmt file of tui/cli/demo/, embedded at build time (demo_files.c, which
 * the Makefile makes with tui/cli/demo/embed.awk). */
struct demo_file {
	const char *name;            /* its base name: "linux-rx.bug.dmt" */
	const char *text;            /* its content */
};

/* The embedded files, ending with { NULL, NULL }. */
extern const struct demo_file demo_files[];

#endif
