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
	const char *platform;        /* the preset it runs on */
	const char *device;          /* its one device (index 0) */
	const struct coh_event *events;  /* ts and src are filled in when played */
	size_t nevents;
};

/**
 * demo_scenario_at - the i-th scenario
 *
 * Return: a static scenario, or NULL past the last one.
 */
const struct demo_scenario *demo_scenario_at(size_t i);

#endif
