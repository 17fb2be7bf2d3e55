/* SPDX-License-Identifier: MIT */
/*
 * actions-local.h - what the action table (actions.c) binds keys to: the
 * moves (actions_move.c), the prompts and toggles (actions_prompt.c), the
 * lists (actions_list.c), the what-if edits (actions_whatif.c).  Each takes
 * the screen; each reports failures on the status line, never by ending
 * the program.
 */
#ifndef ACTIONS_LOCAL_H
#define ACTIONS_LOCAL_H

#include <stdint.h>

struct app;

/* actions_move.c */
void act_down(struct app *a);
void act_up(struct app *a);
void act_page_down(struct app *a);
void act_page_up(struct app *a);
void act_start(struct app *a);
void act_end(struct app *a);
void act_call_next(struct app *a);
void act_call_prev(struct app *a);
void act_finding_next(struct app *a);
void act_finding_prev(struct app *a);
void act_search_next(struct app *a);
void act_search_prev(struct app *a);
void act_continue(struct app *a);
void act_continue_back(struct app *a);
void act_last_writer(struct app *a);
void act_enter(struct app *a);
/* The current event hidden by the filter: to the next event it shows, else
 * the previous one. */
void act_onto_visible(struct app *a);
void act_pane_next(struct app *a);
void act_pane_prev(struct app *a);
void act_versions(struct app *a);
void act_redraw(struct app *a);
void act_quit(struct app *a);
/* say what a move returned (0 moved, 1 nothing there: @none, -1 error) */
void act_report(struct app *a, int r, const char *none);
/* move to engine index @ev and show it */
void act_goto(struct app *a, uint64_t ev);

/* actions_prompt.c */
void act_goto_prompt(struct app *a);
void act_search_prompt(struct app *a);
void act_break_prompt(struct app *a);
void act_watch_prompt(struct app *a);
void act_platform_prompt(struct app *a);
void act_filter_prompt(struct app *a);
void act_mark(struct app *a);
void act_mark_jump(struct app *a);

/* actions_list.c */
void act_marks_list(struct app *a);
void act_breaks_list(struct app *a);
void act_watch_list(struct app *a);

/* actions_whatif.c */
void act_whatif_delete(struct app *a);
void act_whatif_insert(struct app *a);
void act_whatif_earlier(struct app *a);
void act_whatif_later(struct app *a);
void act_whatif_undo(struct app *a);
void act_whatif_redo(struct app *a);
void act_whatif_view(struct app *a);
void act_whatif_diff(struct app *a);
void act_whatif_save(struct app *a);
void act_whatif_omit(struct app *a);
void act_whatif_omit_row(struct app *a, uint64_t at);

#endif
