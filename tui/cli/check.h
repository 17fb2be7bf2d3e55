/* SPDX-License-Identifier: MIT */
/*
 * check.h - the pieces of `dmascope check` (cmd_check.c): what the options
 * say, what a loaded trace gives a report (check_trace.c), and the replay on
 * several platforms at once (check_platforms.c, --platform all|LIST).
 */
#ifndef CHECK_H
#define CHECK_H

#include "cli.h"
#include "report.h"

struct check_opts {
	const char *platform;        /* --platform NAME, or NULL */
	const char *plat_list[REPORT_MAX_PRESETS];   /* --platform all|LIST */
	unsigned nplats;             /* 0: one platform (@platform) */
	unsigned jobs;               /* --jobs, 0: the processors online */
	const struct report_sink_ops *sink;  /* --format */
	struct trace_opts topts;     /* --device, --infer */
	unsigned flags;              /* COH_SIM_* (--strict) */
	struct report_view view;     /* --max-per-id, --hide, --info, -q */
};

/**
 * check_trace_info - the parts of @rf that come from the loaded trace @t
 * rather than a replay: format, warnings (malloc'd: free rf->warnings),
 * event callbacks into @t, events in the file
 *
 * Return: 0, or -1 when out of memory.
 */
int check_trace_info(struct report_file *rf, struct trace *t);

/**
 * check_platform_list - parse --platform all or a comma list of presets
 * into o->plat_list
 *
 * Return: -1 to go on, else the exit status (a usage error naming an
 * unknown preset was printed).
 */
int check_platform_list(struct check_opts *o, const char *arg);

/**
 * check_platforms_file - check one file on every preset of o->plat_list,
 * the presets replayed in parallel (one opened trace per worker), and
 * report it once with the matrix
 * @st:     the renderer's state (o->sink)
 * @err, @n: why the file could not be checked (also printed on stderr)
 *
 * Return: the file's exit status (the worst over its presets), or -1 with
 * @err filled in (the caller reports the file as unreadable).
 */
int check_platforms_file(const char *path, const struct check_opts *o, void *st, char *err,
			 size_t n);

#endif
