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
	/* which groups of event kinds it holds: bit (1u << g) for each enum
	 * coh_group g of an event in it (more bits are harmless, fewer are
	 * wrong); NULL: unknown, coh_source_groups() then reads every event */
	uint32_t (*groups)(void *ctx);
};

/* every enum coh_group: nothing known */
#define COH_SOURCE_GROUPS_ALL ((1u << (COH_GROUP_WINDOWS + 1)) - 1)

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

/**
 * coh_source_groups - the groups of event kinds in @src (see
 * struct coh_source.groups): its own answer when it has one, else every
 * event read once, in order
 *
 * Return: the bits; COH_SOURCE_GROUPS_ALL when an event cannot be read or
 * has a kind of no group, so that a caller never assumes a group absent
 * that may be there.
 */
uint32_t coh_source_groups(const struct coh_source *src);

/**
 * coh_source_group_bit - what event @ev adds to coh_source_groups()'s bits;
 * @ev NULL: an event that could not be read
 *
 * Return: its group's bit, or COH_SOURCE_GROUPS_ALL (unreadable, no group).
 */
uint32_t coh_source_group_bit(const struct coh_event *ev);

#endif
