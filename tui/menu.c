/* SPDX-License-Identifier: MIT */
/*
 * menu.c - the lesson menu: every lesson found (the built-in ones and
 * --lessons DIR), in the order the lessons give, one row each with its
 * number, a progress mark and its title; below, the selected lesson in
 * full: title, what it teaches, prerequisites (those not done marked), the
 * student's progress.  A lesson whose prerequisites are not done is marked
 * in the list and can still be opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "lscreen-local.h"

static int by_order(const void *a, const void *b)
{
	const struct menu_item *x = a, *y = b;
	int ox = x->ok ? x->info.order : 1000, oy = y->ok ? y->info.order : 1000;

	if (ox != oy)
		return ox < oy ? -1 : 1;
	return strcmp(x->le.base, y->le.base);
}

static void load_item(struct menu_item *it, const char *repo)
{
	struct lesson_env *e = lesson_env_new(NULL, repo);

	memset(&it->info, 0, sizeof(it->info));
	if (!e) {
		snprintf(it->err, sizeof(it->err), "%s", _("out of memory"));
		return;
	}
	it->ok = lesson_load(e, it->le.path, &it->info, it->err, sizeof(it->err)) == 0;
	if (it->ok && !it->info.order)
		it->info.order = atoi(it->le.base);
	lesson_env_free(e);
}

int menu_load(struct menu *m, const char *const *dirs, size_t ndirs, const char *repo, int lang)
{
	struct lesson_entry *les;
	long n = lesson_dir_scan(dirs, ndirs, &les);

	*m = (struct menu){ .lang = lang };
	if (n < 0 || !(m->items = calloc((size_t)n + 1, sizeof(*m->items)))) {
		if (n >= 0)
			free(les);
		return -1;
	}
	for (long i = 0; i < n; i++) {
		m->items[i].le = les[i];
		load_item(&m->items[i], repo);
	}
	m->n = (size_t)n;
	free(les);
	qsort(m->items, m->n, sizeof(*m->items), by_order);
	lesson_progress_path(m->pg_path, sizeof(m->pg_path));
	return lesson_progress_load(m->pg_path, &m->pg, m->warn, sizeof(m->warn));
}

void menu_free(struct menu *m)
{
	for (size_t i = 0; i < m->n; i++)
		lesson_info_free(&m->items[i].info);
	free(m->items);
	lesson_progress_free(&m->pg);
	memset(m, 0, sizeof(*m));
}

long menu_find(const struct menu *m, const char *name)
{
	char *end;
	long no = strtol(name, &end, 10);

	for (size_t i = 0; i < m->n; i++) {
		const struct menu_item *it = &m->items[i];

		if (!*end && no > 0 ? (atoi(it->le.base) == no || (it->ok && it->info.order == no))
				    : (!strcmp(name, it->le.base) || (it->ok && !strcmp(name, it->info.id))))
			return (long)i;
	}
	return -1;
}

static bool is_done(const struct menu *m, const char *id)
{
	struct lesson_progress_row *r = lesson_progress_row((struct lesson_progress *)&m->pg, id, 0);

	return r && r->done;
}

bool menu_requires_done(const struct menu *m, size_t i)
{
	const struct lesson_info *li = &m->items[i].info;

	for (size_t k = 0; m->items[i].ok && k < li->nrequires; k++)
		if (!is_done(m, li->requires[k]))
			return false;
	return true;
}

/* ---- drawing ----------------------------------------------------------------------- */

/* "[x]" done, "[~]" started, "[ ]" not yet; "!" when prerequisites are not done */
static void row_mark(const struct menu *m, size_t i, char *buf, size_t n)
{
	const struct menu_item *it = &m->items[i];
	struct lesson_progress_row *r = it->ok ? lesson_progress_row((struct lesson_progress *)
								     &m->pg, it->info.id, 0) : NULL;

	snprintf(buf, n, "%2d [%c]%c ", it->ok ? it->info.order : 0,
		 !r ? ' ' : r->done ? 'x' : '~', menu_requires_done(m, i) ? ' ' : '!');
}

static void draw_list(struct cells *g, struct rect r, struct menu *m)
{
	m->list = r;
	char mark[32];

	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + r.h)
		m->top = m->sel - r.h + 1;
	for (long y = 0; y < r.h && m->top + y < (long)m->n; y++) {
		size_t i = (size_t)(m->top + y);
		const struct menu_item *it = &m->items[i];
		int x;

		row_mark(m, i, mark, sizeof(mark));
		x = cells_put(g, r, 0, (int)y, ROLE_NORMAL, 0, mark);
		cells_put(g, r, x, (int)y, it->ok ? ROLE_NORMAL : ROLE_ERROR, 0,
			  it->ok ? lrun_text(it->info.title, m->lang) : it->le.base);
		if ((long)i == m->sel)
			cells_paint(g, r, 0, (int)y, r.w, ROLE_SELECTED, CELL_REVERSE);
	}
}

static void draw_requires(struct view_put *p, const struct menu *m, const struct lesson_info *li)
{
	char line[1024];
	size_t len;

	if (!li->nrequires)
		return;
	len = (size_t)snprintf(line, sizeof(line), "%s", _("Requires:"));
	for (size_t k = 0; k < li->nrequires && len < sizeof(line); k++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s%s", li->requires[k],
					is_done(m, li->requires[k]) ? "" : _(" (not done)"));
	view_wrap_text(line, p->r.w, 0, view_put_line, p, ROLE_WARN);
}

static void draw_detail(struct cells *g, struct rect r, const struct menu *m)
{
	const struct menu_item *it = &m->items[m->sel];
	struct view_put p = { g, r, 0 };
	struct lesson_progress_row *pr;
	char line[256];

	if (!it->ok) {
		view_wrap_text(it->err, r.w, 0, view_put_line, &p, ROLE_ERROR);
		return;
	}
	view_wrap_text(lrun_text(it->info.title, m->lang), r.w, 0, view_put_line, &p, ROLE_TITLE);
	view_wrap_text(lrun_text(it->info.teaches, m->lang), r.w, 0, view_put_line, &p, ROLE_NORMAL);
	draw_requires(&p, m, &it->info);
	pr = lesson_progress_row((struct lesson_progress *)&m->pg, it->info.id, 0);
	if (!pr)
		snprintf(line, sizeof(line), "%s", _("Progress: not started"));
	else
		snprintf(line, sizeof(line), _("Progress: %s, %u answered, %u right the first time"),
			 pr->done ? _("done") : _("started"), pr->answered, pr->first_try);
	view_wrap_text(line, r.w, 0, view_put_line, &p, ROLE_DIM);
}

/* the progress file's warning, on the rows at the top of @area; its rows */
static int draw_warn(struct cells *g, struct rect area, const struct menu *m)
{
	struct view_put p = { g, { area.x + 1, area.y, area.w - 2, 3 }, 0 };
	char line[1300];

	if (!m->warn[0])
		return 0;
	snprintf(line, sizeof(line), _("Warning: %s"), m->warn);
	view_wrap_text(line, p.r.w, 0, view_put_line, &p, ROLE_WARN);
	return p.y < 3 ? p.y : 3;
}

void menu_draw(struct cells *g, struct rect area, struct menu *m)
{
	int detail = area.h / 2 > 8 ? area.h / 2 : 8, warn;
	struct rect list;

	cells_clear(g, area);
	m->list = (struct rect){ 0, 0, 0, 0 };
	warn = draw_warn(g, area, m);
	area.y += warn;
	area.h -= warn;
	list = (struct rect){ area.x + 1, area.y, area.w - 2, area.h - detail - 1 };
	struct rect sep = { area.x, area.y + list.h, area.w, 1 };
	struct rect det = { area.x + 1, sep.y + 1, area.w - 2, detail };

	if (!m->n) {
		cells_put(g, list, 0, 0, ROLE_WARN, 0, _("No lessons found."));
		return;
	}
	if (list.h < 1)
		return;
	draw_list(g, list, m);
	for (int x = 0; x < sep.w; x++)
		cells_put(g, sep, x, 0, ROLE_DIM, 0, "-");
	draw_detail(g, det, m);
}
