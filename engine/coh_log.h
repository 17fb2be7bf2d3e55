/* SPDX-License-Identifier: MIT */
/*
 * coh_log.h - event sources, and an in-memory event log that is one.
 *
 * A struct coh_source is anything that can hand out event i by value:
 * the log below, a loaded trace file (traces/), a lesson.  The timeline
 * (coh_timeline.h) replays from one.
 */
#ifndef COH_LOG_H
#define COH_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "coh_event.h"

struct coh_source {
	void *ctx;
	/* number of events */
	uint64_t (*count)(void *ctx);
	/* event i into *ev; its pointers are borrowed until the next get on
	 * this source; returns 0 or a negative COH_E_* code */
	int (*get)(void *ctx, uint64_t i, struct coh_event *ev);
	/* memory the source holds for its events, or NULL when unknown */
	size_t (*bytes)(void *ctx);
};

struct coh_log;

/**
 * coh_log_new - an empty log
 *
 * Return: caller frees with coh_log_free(), or NULL when out of memory.
 */
struct coh_log *coh_log_new(void);

/**
 * coh_log_free - free a log and every event in it (NULL is fine)
 */
void coh_log_free(struct coh_log *log);

/**
 * coh_log_append - append a copy of @ev (its segs, data and text included)
 *
 * Return: 0, -COH_E_NOMEM, or -COH_E_INVAL for an unknown kind, segments
 * counted but not given, or a length with data too large to copy.
 */
int coh_log_append(struct coh_log *log, const struct coh_event *ev);

/**
 * coh_log_count - events in the log
 */
uint64_t coh_log_count(const struct coh_log *log);

/**
 * coh_log_get - event i
 * @ev: receives it; its pointers are borrowed until coh_log_free()
 *
 * Return: 0, or -COH_E_SEEK when i is out of range.
 */
int coh_log_get(const struct coh_log *log, uint64_t i, struct coh_event *ev);

/**
 * coh_log_truncate - drop events from index @n on
 */
void coh_log_truncate(struct coh_log *log, uint64_t n);

/**
 * coh_log_bytes - memory the log holds
 */
size_t coh_log_bytes(const struct coh_log *log);

/**
 * coh_log_source - the log as an event source
 *
 * Return: a value borrowing @log until coh_log_free().
 */
struct coh_source coh_log_source(struct coh_log *log);

#endif
