/* SPDX-License-Identifier: MIT */
/*
 * view_common.c - drawing the panes share: a pane's title row, its body,
 * text wrapped by display width (explanations; Russian and Chinese lesson
 * text), and the writer role of a byte's version through the session.
 */
#include <string.h>

#include "coh_event.h"
#include "coh_platform.h"
#include "session.h"
#include "view_util.h"

void view_title(struct cells *g, struct rect r, const struct view_state *vs,
		enum view_pane pane, const char *text)
{
	uint8_t flags = vs->focus == pane ? CELL_REVERSE | CELL_BOLD : CELL_BOLD;

	cells_paint(g, r, 0, 0, r.w, ROLE_TITLE, flags);
	cells_put(g, r, 0, 0, ROLE_TITLE, flags, " ");
	cells_put(g, r, 1, 0, ROLE_TITLE, flags, text);
}

struct rect view_body(struct rect r)
{
	r.y++;
	r.h = r.h > 0 ? r.h - 1 : 0;
	return r;
}

void view_select(struct cells *g, struct rect b, const struct view_state *vs,
		 enum view_pane pane)
{
	long y = vs->scroll[pane].sel - vs->scroll[pane].top;

	if (vs->focus == pane && vs->scroll[pane].sel >= 0 && y >= 0 && y < b.h)
		cells_paint(g, b, 0, (int)y, b.w, ROLE_SELECTED, 0);
}

/* Bytes of the UTF-8 sequence a lead byte starts (1 for a stray byte). */
static int seq_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	return c >= 0xc0 ? 2 : 1;
}

int view_char_width(const char *p, int *len)
{
	char one[5] = { 0 };
	int n = seq_len((unsigned char)*p);

	for (int i = 1; i < n; i++)
		if (!p[i]) {
			n = i;
			break;
		}
	memcpy(one, p, (size_t)n);
	*len = n;
	return cells_width(one);
}

int view_wrap(struct cells *g, struct rect r, int y, uint8_t role, const char *text)
{
	char line[512];

	while (text && *text && y < r.h) {
		size_t skip, n = view_wrap_len(text, r.w, view_char_width, &skip);

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, text, n);
		line[n] = '\0';
		cells_put(g, r, 0, y++, role, 0, line);
		text += n + skip;
	}
	return y;
}

/* Whether device @dev of @s's platform has a system DMA controller. */
static bool has_ctrl(struct session *s, unsigned dev)
{
	const struct coh_platform *p = session_platform(s);

	return p && dev < p->ndevs && p->devs[dev].ctrl_size;
}

uint8_t view_event_role(struct session *s, uint32_t ver, bool bounced)
{
	struct coh_event ev;

	if (!ver || session_event(s, ver - 1, &ev) < 0)
		return ROLE_NORMAL;
	return view_writer_role(ev.kind, bounced, has_ctrl(s, ev.dev));
}
