/* SPDX-License-Identifier: MIT */
/*
 * actions.c - the action table of the replay screen (actions.h), the help
 * screen made from it, and the README's key table.
 *
 * Keys follow vi and lnav: j/k and the arrows step, g/G go to the ends,
 * / searches and n/N repeat it, m sets a bookmark, ? helps, q quits.
 * A key appears in one row only (tests/test_actions.c checks it).
 */
#include <stdio.h>
#include <string.h>

#include "actions-local.h"
#include "actions.h"
#include "app.h"
#include "i18n.h"
#include "keys.h"

static const struct action table[] = {
	{ "next", { 'j', TK_DOWN }, N_("next event (timeline), next row (other panes)"), act_down },
	{ "prev", { 'k', TK_UP }, N_("previous event (timeline), previous row (other panes)"),
	  act_up },
	{ "page-down", { TK_PGDN, ' ' }, N_("a page forward"), act_page_down },
	{ "page-up", { TK_PGUP, 'u' }, N_("a page back"), act_page_up },
	{ "start", { 'g', TK_HOME }, N_("the first event"), act_start },
	{ "end", { 'G', TK_END }, N_("the last event (replayed so far)"), act_end },
	{ "call-next", { 'J' }, N_("next API call (skips accesses and markers)"), act_call_next },
	{ "call-prev", { 'K' }, N_("previous API call"), act_call_prev },
	{ "finding-next", { ']' }, N_("next event with a finding"), act_finding_next },
	{ "finding-prev", { '[' }, N_("previous event with a finding"), act_finding_prev },
	{ "goto", { ':' }, N_("go to event N (as the timeline numbers it) or a timestamp"),
	  act_goto_prompt },
	{ "search", { '/' }, N_("search the event lines (extended regex)"), act_search_prompt },
	{ "search-next", { 'n' }, N_("next match of the search"), act_search_next },
	{ "search-prev", { 'N' }, N_("previous match of the search"), act_search_prev },
	{ "mark", { 'm' }, N_("set bookmark: m then a letter"), act_mark },
	{ "mark-jump", { '\'' }, N_("jump to bookmark: ' then a letter"), act_mark_jump },
	{ "marks", { 'M' }, N_("list the bookmarks"), act_marks_list },
	{ "break", { 'b' }, N_("add a breakpoint: ADDR-ADDR, ADDR+LEN, a call, a finding id"),
	  act_break_prompt },
	{ "breaks", { 'B' }, N_("list the breakpoints (d deletes one)"), act_breaks_list },
	{ "continue", { 'c' }, N_("continue forward to the next breakpoint hit"), act_continue },
	{ "continue-back", { 'C' }, N_("continue backward to the previous breakpoint hit"),
	  act_continue_back },
	{ "watch", { 'w' }, N_("watch a byte or range: its history; Enter there jumps"),
	  act_watch_prompt },
	{ "watch-list", { 'H' }, N_("show the watched bytes' history again"), act_watch_list },
	{ "last-writer", { 'W' }, N_("jump to the newest last write of the watched bytes"),
	  act_last_writer },
	{ "filter", { 'F' }, N_("filter the timeline: dev= cpu= kind= addr=LO-HI seq="),
	  act_filter_prompt },
	{ "platform", { 'p' }, N_("replay on another platform preset (keeps the position)"),
	  act_platform_prompt },
	{ "whatif-delete", { 'x' }, N_("what-if: leave the current event out of the edited run"),
	  act_whatif_delete },
	{ "whatif-insert", { 'i' },
	  N_("what-if: insert before it the call the platform needs there"),
	  act_whatif_insert },
	{ "whatif-earlier", { '<' }, N_("what-if: apply the current event one event earlier"),
	  act_whatif_earlier },
	{ "whatif-later", { '>' }, N_("what-if: apply the current event one event later"),
	  act_whatif_later },
	{ "whatif-undo", { 'U' }, N_("what-if: undo the last edit"), act_whatif_undo },
	{ "whatif-redo", { 'R' }, N_("what-if: redo the edit undone"), act_whatif_redo },
	{ "whatif-view", { 'e' }, N_("show the recorded run, the edited run, the diff (in turn)"),
	  act_whatif_view },
	{ "whatif-diff", { 'D' }, N_("the diff of the runs: divergence, bytes, findings"),
	  act_whatif_diff },
	{ "whatif-save", { 'S' }, N_("what-if: save the edits to FILE.whatif (replay loads it)"),
	  act_whatif_save },
	{ "omit-each", { 'O' }, N_("omission matrix: what breaks when each call is left out"),
	  act_whatif_omit },
	{ "versions", { 'v' }, N_("caches and memory: which event wrote each byte (versions)"),
	  act_versions },
	{ "pane-next", { TK_TAB, 'l' }, N_("focus the next pane"), act_pane_next },
	{ "pane-prev", { TK_BTAB, 'h' }, N_("focus the previous pane"), act_pane_prev },
	{ "enter", { TK_ENTER }, N_("findings: jump to the selected finding's event"), act_enter },
	{ "help", { '?' }, N_("this help"), actions_help },
	{ "redraw", { TK_CTRL('l') }, N_("redraw the terminal"), act_redraw },
	{ "quit", { 'q' }, N_("quit"), act_quit },
};

#define NACTIONS (sizeof(table) / sizeof(table[0]))

const struct action *action_at(size_t i)
{
	return i < NACTIONS ? &table[i] : NULL;
}

const struct action *action_for_key(int key)
{
	if (key == '\r')
		key = TK_ENTER;
	for (size_t i = 0; i < NACTIONS; i++)
		for (int k = 0; k < ACTION_KEYS && table[i].keys[k]; k++)
			if (table[i].keys[k] == key)
				return &table[i];
	return NULL;
}

const char *action_keys(const struct action *act, const char *sep, char *buf, size_t n)
{
	size_t len = 0;
	char name[16];

	buf[0] = 0;
	for (int k = 0; k < ACTION_KEYS && act->keys[k] && len < n; k++) {
		keys_name(act->keys[k], name, sizeof(name));
		len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? sep : "", name);
	}
	return buf;
}

void actions_markdown(FILE *out)
{
	char keys[64];

	fputs("| keys | action | what it does |\n| --- | --- | --- |\n", out);
	for (size_t i = 0; i < NACTIONS; i++)
		fprintf(out, "| `%s` | %s | %s |\n", action_keys(&table[i], "` `", keys, sizeof(keys)),
			table[i].name, table[i].help);
}

void actions_help(struct app *a)
{
	char keys[64];

	overlay_open(&a->ov, OVERLAY_HELP, _("dmascope replay: keys"),
		     _("j/k scroll  Esc or q closes"));
	for (size_t i = 0; i < NACTIONS; i++)
		overlay_add(&a->ov, OVERLAY_NO_EVENT, "%-15s %s",
			    action_keys(&table[i], " ", keys, sizeof(keys)), _(table[i].help));
	overlay_add(&a->ov, OVERLAY_NO_EVENT, "%s", "");
	overlay_add(&a->ov, OVERLAY_NO_EVENT, "%s",
		    _("Mouse: a click selects the row under it, the wheel scrolls."));
	overlay_add(&a->ov, OVERLAY_NO_EVENT, "%s",
		    _("Prompts: Enter accepts, Esc cancels, Ctrl-U clears."));
}
