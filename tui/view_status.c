/* SPDX-License-Identifier: MIT */
/*
 * view_status.c - the status line: the current event (its index in the
 * file, as the timeline shows it, and n of N), the platform, the
 * findings so far, the background load and replay as a bar and a
 * percentage while they run, then the screen's message or, without one,
 * its hint of the keys that matter now.
 */
#include <stdio.h>

#include "coh_platform.h"
#include "session.h"
#include "view_util.h"

static const char *phase_name(enum session_phase p)
{
	static const char *const names[] = {
		[SESSION_READING] = "reading", [SESSION_REPLAYING] = "replaying",
		[SESSION_DONE] = "done", [SESSION_FAILED] = "failed",
	};

	return p <= SESSION_FAILED ? names[p] : "?";
}

/* The progress part: "replaying [####....] 45%", or "" when done. */
static void progress(char *buf, size_t n, const struct session_progress *p)
{
	char bar[16];

	if (p->phase == SESSION_DONE)
		buf[0] = '\0';
	else if (p->phase == SESSION_FAILED)
		snprintf(buf, n, "  failed: %s", p->error);
	else
		snprintf(buf, n, "  %s %s %3d%%", phase_name(p->phase), view_bar(bar, 12, p->fraction),
			 (int)(p->fraction * 100));
}

/* The current event's index in the file, as the timeline shows it. */
static const char *file_index(struct session *s, char *buf, size_t n)
{
	struct coh_event ev;
	uint64_t pos = session_pos(s);

	if (!session_count(s) || session_event(s, pos, &ev) < 0)
		return "-";
	snprintf(buf, n, "%llu", (unsigned long long)(ev.src == COH_SRC_NONE ? pos : ev.src));
	return buf;
}

void view_status_draw(struct cells *g, struct rect r, struct session *s,
		      struct view_state *vs)
{
	const struct coh_platform *plat = session_platform(s);
	struct session_progress p;
	uint64_t n = session_count(s);
	char prog[300], idx[24];
	int x;

	cells_clear(g, r);
	cells_paint(g, r, 0, 0, r.w, ROLE_STATUS, 0);
	session_progress(s, &p);
	progress(prog, sizeof(prog), &p);
	x = cells_printf(g, r, 0, 0, ROLE_STATUS, 0, " event %s (%llu of %llu)  %s  %zu finding%s%s  ",
			 file_index(s, idx, sizeof(idx)), n ? (unsigned long long)session_pos(s) + 1 : 0ULL,
			 (unsigned long long)n, plat ? plat->name : "-", session_nfindings(s),
			 session_nfindings(s) == 1 ? "" : "s", prog);
	if (vs->msg[0])
		cells_put(g, r, x, 0, ROLE_STATUS, CELL_BOLD, vs->msg);
	else if (vs->hint)
		cells_put(g, r, x, 0, ROLE_STATUS, 0, vs->hint);
	vs->rows[PANE_STATUS] = 1;
}
