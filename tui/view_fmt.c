/* SPDX-License-Identifier: MIT */
/*
 * view_fmt.c - the panes' pure helpers: a fresh view state, scrolling so a row stays in sight,
 * how many bytes fit a row, the role of a byte's writer, the progress bar,
 * where wrapped text breaks.  No grid and no session: tests/test_layout.c
 * checks them alone.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "coh_event.h"
#include "coh_sim.h"
#include "view_util.h"

void view_state_init(struct view_state *vs)
{
	memset(vs, 0, sizeof(*vs));
	vs->focus = PANE_TIMELINE;
	for (int p = 0; p < PANE_COUNT; p++)
		vs->scroll[p].sel = vs->scroll[p].drawn = -1;
	vs->scroll[PANE_FINDINGS].sel = 0;
	vs->buf.kind = VIEW_BUF_AUTO;
	vs->whatif_sel = -1;
}

long view_follow(long top, long target, long visible, long nrows)
{
	long max = nrows - visible;

	if (visible > 0 && target >= 0) {
		if (target < top)
			top = target;
		else if (target >= top + visible)
			top = target - visible + 1;
	}
	if (top > max)
		top = max;
	return top < 0 ? 0 : top;
}

long view_scroll_to(struct view_scroll *sc, long target, long visible, long nrows)
{
	sc->top = view_follow(sc->top, target != sc->drawn ? target : -1, visible, nrows);
	sc->drawn = target;
	return sc->top;
}

int view_per_row(int width, int prefix, int cell, int max)
{
	int n = max > 0 ? max : 1;

	while (n > 1 && prefix + n * cell > width)
		n /= 2;
	return n;
}

uint8_t view_writer_role(unsigned kind, bool bounced, bool ctrl)
{
	if (kind == COH_EV_CPU_WRITE)
		return ROLE_BY_CPU;
	if (kind != COH_EV_DEV_WRITE)
		return ROLE_NORMAL;
	if (bounced)
		return ROLE_BY_BOUNCE;
	return ctrl ? ROLE_BY_CONTROLLER : ROLE_BY_DEVICE;
}

char *view_bar(char *buf, int width, double frac)
{
	int inner = width - 2, full;

	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	full = (int)(frac * inner + 0.5);
	buf[0] = '[';
	for (int i = 0; i < inner; i++)
		buf[1 + i] = i < full ? '#' : '.';
	buf[width - 1] = ']';
	buf[width] = '\0';
	return buf;
}

char view_line_letter(unsigned state)
{
	static const char letters[] = { 'I', 'C', 'D' };

	return state <= COH_LINE_DIRTY ? letters[state] : '?';
}

/* Bytes of the spaces (and one newline) at @p. */
static size_t spaces(const char *p)
{
	size_t n = 0;

	while (p[n] == ' ')
		n++;
	if (p[n] == '\n')
		n++;
	return n;
}

/* The code point of the UTF-8 character of @len bytes at @p (0 if odd). */
static uint32_t code_point(const char *p, int len)
{
	const unsigned char *u = (const unsigned char *)p;

	switch (len) {
	case 1: return u[0];
	case 2: return (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
	case 3: return (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
	default: return 0;
	}
}

/* CJK punctuation a line does not start with (closing marks, commas, full
 * stops), and the opening marks it does not end with */
static bool closes(uint32_t c)
{
	static const uint32_t marks[] = { 0x3001, 0x3002, 0xff0c, 0xff0e, 0xff1a, 0xff1b, 0xff01,
					  0xff1f, 0xff09, 0x300b, 0x300d, 0x300f, 0x3011, 0xff5e };

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (c == marks[i])
			return true;
	return false;
}

static bool opens(uint32_t c)
{
	return c == 0xff08 || c == 0x300a || c == 0x300c || c == 0x300e || c == 0x3010;
}

size_t view_wrap_len(const char *text, int width, int (*colw)(const char *, int *len),
		     size_t *skip)
{
	size_t pos = 0, brk = 0;
	bool wide = false, open = false;     /* what the character before was */
	int col = 0;

	while (text[pos] && text[pos] != '\n') {
		int len, cw = colw(text + pos, &len);
		uint32_t c = code_point(text + pos, len);

		/* Chinese has no spaces: a line may break beside a wide character */
		if (pos && (cw > 1 || wide) && !closes(c) && !open)
			brk = pos;
		if (col + cw > width && pos)
			break;
		if (text[pos] == ' ')
			brk = pos;
		col += cw;
		pos += (size_t)len;
		wide = cw > 1;
		open = opens(c);
	}
	if (text[pos] && text[pos] != '\n' && text[pos] != ' ' && brk)
		pos = brk;
	*skip = spaces(text + pos);
	return pos;
}

const char *view_map_kind(unsigned kind)
{
	static const char *const names[] = {
		[COH_MAP_STREAM] = "stream", [COH_MAP_SG] = "sg",
		[COH_MAP_COHERENT] = "coherent", [COH_MAP_PAGES] = "pages",
		[COH_MAP_RESOURCE] = "resource", [COH_MAP_COMMON] = "common",
		[COH_MAP_TRANSFER] = "transfer", [COH_MAP_WIN_SG] = "sg-list",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

const char *view_dir(unsigned dir)
{
	static const char *const names[] = {
		[COH_DIR_BIDIRECTIONAL] = "bidi", [COH_DIR_TO_DEVICE] = "to-dev",
		[COH_DIR_FROM_DEVICE] = "from-dev",
	};

	return dir < COH_DIR_NONE ? names[dir] : "-";
}

uint64_t view_range_at(const struct view_range *r, uint64_t off, uint64_t *room)
{
	for (int k = 0; k < r->nseg; k++) {
		if (off < r->len[k]) {
			*room = r->len[k] - off;
			return r->addr[k] + off;
		}
		off -= r->len[k];
	}
	*room = 0;
	return COH_ADDR_NONE;
}

long view_watch_row(const struct view_state *vs, const struct view_range *r, int per)
{
	uint64_t off = 0;

	if (!vs->watching || per <= 0)
		return -1;
	for (int k = 0; k < r->nseg; off += r->len[k++])
		if (vs->watch >= r->addr[k] && vs->watch - r->addr[k] < r->len[k])
			return (long)((off + vs->watch - r->addr[k]) / (uint64_t)per);
	return -1;
}
