/* SPDX-License-Identifier: MIT */
/*
 * view_status.c - the status line: the current event (its index in the
 * file, as the timeline shows it, and n of N), the platform, the
 * findings so far, the background load and replay as a bar and a
 * percentage while they run (briefly, without the bar, when the line is
 * narrow), then the screen's message or, without one, its hint of the keys
 * that matter now.
 */
#include <stdbool.h>
#include <stdio.h>

#include "coh_platform.h"
#include "i18n.h"
#include "session.h"
#include "view_util.h"

static const char *phase_name(enum session_phase p)
{
	static const char *const names[] = {
		[SESSION_READING] = N_("reading"), [SESSION_REPLAYING] = N_("replaying"),
		[SESSION_DONE] = N_("done"), [SESSION_FAILED] = N_("failed"),
	};

	return p <= SESSION_FAILED ? _(names[p]) : "?";
}

/* The progress part: "replaying [####....] 45%", or "" when done; @brief:
 * "replaying 45%" without the bar, for a narrow line. */
static void progress(char *buf, size_t n, const struct session_progress *p, bool brief)
{
	char bar[16];

	if (p->phase == SESSION_DONE)
		buf[0] = '\0';
	else if (p->phase == SESSION_FAILED)
		snprintf(buf, n, _("  failed: %s"), p->error);
	else if (brief)
		snprintf(buf, n, "  %s %d%%", phase_name(p->phase), (int)(p->fraction * 100));
	else
		snprintf(buf, n, "  %s %s %3d%%", phase_name(p->phase), view_bar(bar, 12, p->fraction),
			 (int)(p->fraction * 100));
}

/* The current event's number as the timeline shows it. */
static const char *file_index(struct session *s, char *buf, size_t n)
{
	if (!session_count(s))
		return "-";
	snprintf(buf, n, "%llu", (unsigned long long)session_index(s, session_pos(s)));
	return buf;
}

/* The facts the line starts with: in full, or briefly when the full ones
 * leave less than @room of the line's @w columns (the percentage must show
 * at 80 columns while the replay runs); the message or hint after them is
 * clipped. */
static void facts(char *buf, size_t n, int w, int room, struct session *s, bool veiled)
{
	const struct coh_platform *plat = session_platform(s);
	struct session_progress p;
	uint64_t cnt = session_count(s);
	unsigned long long at = cnt ? (unsigned long long)session_pos(s) + 1 : 0ULL;
	size_t nf = session_nfindings(s);
	char prog[300], idx[24];

	session_progress(s, &p);
	progress(prog, sizeof(prog), &p, false);
	file_index(s, idx, sizeof(idx));
	if (veiled) {                /* a lesson's prediction first: no count */
		snprintf(buf, n, _(" event %s (%llu of %llu)  %s%s  "), idx, at,
			 (unsigned long long)cnt, plat ? plat->name : "-", prog);
		return;
	}
	snprintf(buf, n, ngettext(" event %s (%llu of %llu)  %s  %zu finding%s  ",
				  " event %s (%llu of %llu)  %s  %zu findings%s  ", nf), idx, at,
		 (unsigned long long)cnt, plat ? plat->name : "-", nf, prog);
	if (cells_width(buf) + room <= w)
		return;
	progress(prog, sizeof(prog), &p, true);
	snprintf(buf, n, _(" event %s (%llu/%llu)  %s  %zu found%s  "), idx, at,
		 (unsigned long long)cnt, plat ? plat->name : "-", nf, prog);
}

void view_status_draw(struct cells *g, struct rect r, struct session *s,
		      struct view_state *vs)
{
	char line[640];
	int x;

	cells_clear(g, r);
	cells_paint(g, r, 0, 0, r.w, ROLE_STATUS, 0);
	facts(line, sizeof(line), r.w, vs->msg[0] ? 20 : 0, s, vs->veil);
	x = cells_put(g, r, 0, 0, ROLE_STATUS, 0, line);
	if (vs->msg[0])
		cells_put(g, r, x, 0, ROLE_STATUS, CELL_BOLD, vs->msg);
	else if (vs->hint)
		cells_put(g, r, x, 0, ROLE_STATUS, 0, vs->hint);
	vs->rows[PANE_STATUS] = 1;
}
