/* SPDX-License-Identifier: MIT */
/*
 * src_log.c - the file's index of every event a simulation applied
 * (struct coh_event.src), by engine index: what lets a finding name the
 * write behind a version as the file numbers its events.
 *
 * The log is a shared_log (append-only, shared between clones); a
 * simulation's are its first nsrc entries: one per event applied, and the
 * event being applied.  A clone of an earlier state that replays the same
 * events finds each index already in the shared log and takes it as its
 * own, so it does not copy the whole log (80 MB after 10 million events:
 * 50 ms) at its first event.
 *
 * Until an event says otherwise, the log is not kept at all: while every
 * index so far is the event's own engine index (a whole file replayed) or
 * none (events made by a program), src_flat says which and nsrc how many;
 * the first event that breaks the pattern writes the log out.
 */
#include "shared_log.h"
#include "sim-local.h"
#include "src_log.h"

/* Entry @seq of a flat log. */
static uint64_t flat_at(const struct coh_sim *s, uint64_t seq)
{
	return s->src_flat == SRC_FLAT_SELF ? seq : COH_SRC_NONE;
}

/* Does @src at s->pos keep the log flat? The first event decides what it is. */
static bool stays_flat(struct coh_sim *s, uint64_t src)
{
	if (s->src_log || s->pos > s->nsrc)
		return false;
	if (!s->pos)
		s->src_flat = src == 0 ? SRC_FLAT_SELF :
			      src == COH_SRC_NONE ? SRC_FLAT_NONE : SRC_FLAT_NO;
	return coh_src_flat_keeps(s, s->pos, src);
}

/* Write out the first s->pos entries of a flat log, which ends being flat. */
static int flat_out(struct coh_sim *s)
{
	uint64_t n = MIN(s->pos, s->nsrc);
	int err;

	if (s->src_log)
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		if ((err = coh_shared_log_room(s->heap, &s->src_log, i, sizeof(uint64_t))) < 0)
			return err;
		((uint64_t *)s->src_log->v)[i] = flat_at(s, i);
		s->src_log->n = i + 1;
	}
	s->src_flat = SRC_FLAT_NO;
	return 0;
}

/**
 * coh_src_note_log - note the file's index of the event @s is about to apply
 * (engine index s->pos), the whole way (coh_src_note() is the short one)
 * @s:   the simulation
 * @src: the event's index in its file, or COH_SRC_NONE
 *
 * Return: 0, or -COH_E_NOMEM.
 */
int coh_src_note_log(struct coh_sim *s, uint64_t src)
{
	const struct shared_log *l;
	int err;

	if (stays_flat(s, src)) {
		s->nsrc = s->pos + 1;
		return 0;
	}
	if ((err = flat_out(s)) < 0)
		return err;
	l = s->src_log;
	if (l && l->n > s->pos && ((const uint64_t *)l->v)[s->pos] == src) {
		s->nsrc = s->pos + 1;
		return 0;
	}
	err = coh_shared_log_room(s->heap, &s->src_log, s->pos, sizeof(uint64_t));
	if (err < 0)
		return err;
	((uint64_t *)s->src_log->v)[s->pos] = src;
	s->nsrc = s->pos + 1;
	s->src_log->n = s->nsrc;
	return 0;
}

/**
 * coh_src_of - the file's index of engine event @seq
 *
 * Return: it, or COH_SRC_NONE when @seq was not applied or its file does
 * not number it.
 */
uint64_t coh_src_of(const struct coh_sim *s, uint64_t seq)
{
	if (seq >= s->nsrc)
		return COH_SRC_NONE;
	return s->src_log ? ((const uint64_t *)s->src_log->v)[seq] : flat_at(s, seq);
}

/**
 * coh_src_of_ver - the file's index of the write that produced version @ver
 *
 * Return: it, or COH_SRC_NONE (version 0: never written).
 */
uint64_t coh_src_of_ver(const struct coh_sim *s, uint32_t ver)
{
	return ver ? coh_src_of(s, ver - 1u) : COH_SRC_NONE;
}

/**
 * coh_src_clone - @dst shares the event indexes of @src
 */
void coh_src_clone(struct coh_sim *dst, const struct coh_sim *src)
{
	dst->src_log = coh_shared_log_share(src->src_log);
	dst->nsrc = src->nsrc;
	dst->src_flat = src->src_flat;
}

/**
 * coh_src_release - @s lets go of its event indexes
 */
void coh_src_release(struct coh_sim *s)
{
	coh_shared_log_put(s->heap, s->src_log);
	s->src_log = NULL;
	s->nsrc = 0;
	s->src_flat = SRC_FLAT_UNSET;
}
