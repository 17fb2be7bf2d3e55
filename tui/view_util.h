/* SPDX-License-Identifier: MIT */
/*
 * view_util.h - what the panes (view_*.c) share: pure formatting and
 * scrolling arithmetic (view_fmt.c, tested alone) and the drawing of a
 * title and of wrapped text (view_common.c).  Not for screen.c.
 */
#ifndef VIEW_UTIL_H
#define VIEW_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cells.h"
#include "view.h"

/* ---- view_fmt.c: no grid, no session ---- */

/**
 * view_follow - the first row to show so that @target is visible
 * @top: the first row shown now
 * @target: the row that must be visible (-1: none, @top is kept)
 * @visible: rows the pane shows
 * @nrows: rows the list has
 *
 * Return: @top moved as little as possible, within [0, nrows - visible].
 */
long view_follow(long top, long target, long visible, long nrows);

/**
 * view_scroll_to - scroll a pane's list so @target is in sight when it is
 * not the row the last draw scrolled to (the wheel's top is kept otherwise)
 * @sc: the pane's scroll (top and drawn are updated)
 * @target: the row to show, -1 none
 * @visible: rows the pane shows
 * @nrows: rows the list has
 *
 * Return: the new top.
 */
long view_scroll_to(struct view_scroll *sc, long target, long visible, long nrows);

/**
 * view_per_row - how many items of @cell columns fit after @prefix columns
 * @width: columns of the pane
 * @prefix: columns before the first item
 * @cell: columns per item
 * @max: at most this many (a power of two)
 *
 * Return: the largest power of two <= @max that fits, at least 1.
 */
int view_per_row(int width, int prefix, int cell, int max);

/**
 * view_writer_role - the colour role of a byte by what last wrote it
 * @kind: enum coh_kind of the writing event, COH_EV_NONE for never written
 * @bounced: the byte's buffer is bounced (a device write arrives by a copy)
 * @ctrl: the device has a system DMA controller (it drains the write)
 *
 * Return: ROLE_BY_CPU, ROLE_BY_DEVICE, ROLE_BY_CONTROLLER, ROLE_BY_BOUNCE
 * or ROLE_NORMAL.
 */
uint8_t view_writer_role(unsigned kind, bool bounced, bool ctrl);

/**
 * view_bar - a progress bar "[#####.....]" of @width columns into @buf
 * @buf: room for @width + 1 bytes
 * @width: columns, brackets included (at least 3)
 * @frac: 0..1, clamped
 *
 * Return: @buf.
 */
char *view_bar(char *buf, int width, double frac);

/**
 * view_line_letter - the letter of a cache line state
 *
 * Return: 'I', 'C' or 'D' (enum coh_line_state), '?' otherwise.
 */
char view_line_letter(unsigned state);

/**
 * view_wrap_len - bytes of @text that fit in @width columns, broken after a
 * space when one fits
 * @text: UTF-8
 * @width: columns
 * @colw: display width of one character (UTF-8 sequence) at @text
 *
 * Return: bytes to print on this line (at least one character when
 * @text is not empty), not counting the trailing space; *@skip is set to
 * the bytes to skip after them (the break's spaces and newline).
 */
size_t view_wrap_len(const char *text, int width, int (*colw)(const char *, int *len),
		     size_t *skip);

/**
 * view_map_kind - a short name of an enum coh_map_kind ("stream", "sg", ...)
 *
 * Return: a static string, "?" for an unknown kind.
 */
const char *view_map_kind(unsigned kind);

/**
 * view_dir - a short name of an enum coh_dir ("bidi", "to-dev", "from-dev")
 *
 * Return: a static string, "-" for none or unknown.
 */
const char *view_dir(unsigned dir);

/* ---- view_common.c: drawing ---- */

/**
 * view_title - draw a pane's title on the first row of @r
 * @g: the grid
 * @r: the pane
 * @vs: the view state (the focused pane's title is reversed)
 * @pane: which pane
 * @text: the title (with what the pane shows, e.g. "Memory 0x80000+2048")
 */
void view_title(struct cells *g, struct rect r, const struct view_state *vs,
		enum view_pane pane, const char *text);

/**
 * view_body - the part of a pane under its title
 *
 * Return: @r without its first row.
 */
struct rect view_body(struct rect r);

/**
 * view_select - paint the selected row of a pane when it has the focus
 * @g: the grid
 * @b: the pane's body
 * @vs: the view state
 * @pane: which pane (its scroll gives the selected row and the top)
 */
void view_select(struct cells *g, struct rect b, const struct view_state *vs,
		 enum view_pane pane);

/**
 * view_char_width - display width of the UTF-8 character at @p, and its
 * bytes in *@len (the measure view_wrap_len() takes)
 */
int view_char_width(const char *p, int *len);

/**
 * view_wrap - draw @text wrapped by display width, from row @y of @r
 * @g: the grid
 * @r: where (clipped to it)
 * @y: first row
 * @role: colour role
 * @text: UTF-8; newlines break lines
 *
 * Return: the row after the last one used.
 */
int view_wrap(struct cells *g, struct rect r, int y, uint8_t role, const char *text);

/**
 * view_event_role - the writer role of version @ver (engine index + 1)
 * @s: the session (not locked by the caller)
 * @ver: the version, 0 never written
 * @bounced: see view_writer_role()
 *
 * Return: view_writer_role() of the writing event.
 */
uint8_t view_event_role(struct session *s, uint32_t ver, bool bounced);

/* ---- view_buf.c: the buffer caches and memory show ---- */

#define VIEW_SEGS 8

/* The selected buffer resolved at the current position. */
struct view_range {
	int nseg;                    /* 0: nothing to show */
	uint64_t addr[VIEW_SEGS];    /* physical start of each segment */
	uint64_t len[VIEW_SEGS];
	uint64_t total;              /* bytes in all */
	long mapping;                /* live mapping index, -1 for a range */
	bool bounced;                /* the mapping has bounce slots / map buffers */
	unsigned cpu;                /* the current event's CPU (whose view is shown) */
	char label[64];              /* "map #2 0x80000+2048" */
};

/**
 * view_range_get - resolve @vs->buf at the session's position
 * @s: the session, not locked: this takes the lock for the engine views
 * @vs: what is selected
 * @out: filled in; out->nseg 0 when there is nothing to show
 *
 * VIEW_BUF_AUTO: the live mapping holding the current event's address
 * (physical or bus), else a CPU access's own range, else the newest
 * mapping, else the bytes of a finding raised there, else those of the
 * nearest CPU access before.
 */
void view_range_get(struct session *s, const struct view_state *vs, struct view_range *out);

/**
 * view_range_at - the physical address of byte @off of @r
 *
 * Return: the address, or COH_ADDR_NONE past the end; *@room is set to the
 * bytes left in that segment.
 */
uint64_t view_range_at(const struct view_range *r, uint64_t off, uint64_t *room);

/**
 * view_watch_row - the row of a @per-bytes-a-row window on @r holding the
 * watched byte
 * @vs: the view state (vs->watching, vs->watch)
 *
 * Return: the row, or -1 when nothing is watched or the byte is not in @r.
 */
long view_watch_row(const struct view_state *vs, const struct view_range *r, int per);

#endif
