/* SPDX-License-Identifier: MIT */
/*
 * script.c - the replay screen driven by a script of keys (script.h).
 * The same app.c runs as under the terminal; only the input and the output
 * differ, so what the golden screens show is what a user sees.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "frontend.h"
#include "i18n.h"
#include "keys.h"
#include "script.h"

static void dump(const struct frontend *f, FILE *out, int attrs)
{
	char *text;

	text = cells_dump(f->draw(f->ctx), attrs);
	if (text)
		fputs(text, out);
	free(text);
}

static int keys(const struct frontend *f, const char *arg)
{
	int key;

	while (*arg && !f->quit(f->ctx)) {
		key = keys_parse(&arg);
		if (key < 0)
			return -1;
		/* the app sees each key after a frame, as under the terminal */
		f->draw(f->ctx);
		f->key(f->ctx, key);
	}
	return 0;
}

static int mouse(const struct frontend *f, enum app_mouse what, const char *arg)
{
	int x, y;

	if (sscanf(arg, "%d %d", &x, &y) != 2)
		return -1;
	f->draw(f->ctx);
	f->mouse(f->ctx, what, x, y);
	return 0;
}

/* One line.  Return: 0, 1 (it dumped a frame), or -1 (it does not parse). */
static int command(const struct frontend *a, char *line, const struct script_opts *o, FILE *out)
{
	char *arg = line + strcspn(line, " \t");
	int w, h;

	if (*arg)
		*arg++ = 0;
	if (strcmp(line, "key") == 0)
		return keys(a, arg);
	if (strcmp(line, "click") == 0)
		return mouse(a, APP_CLICK, arg);
	if (strcmp(line, "wheel-up") == 0)
		return mouse(a, APP_WHEEL_UP, arg);
	if (strcmp(line, "wheel-down") == 0)
		return mouse(a, APP_WHEEL_DOWN, arg);
	if (strcmp(line, "resize") == 0) {
		if (sscanf(arg, "%d %d", &w, &h) != 2 || w < 1 || h < 1 || w > 1000 || h > 1000)
			return -1;
		return a->resize(a->ctx, w, h);
	}
	if (strcmp(line, "dump") == 0) {
		dump(a, out, o->attrs || strcmp(arg, "attrs") == 0);
		return 1;
	}
	return -1;
}

/* @line without its newline and leading blanks; NULL for a blank or comment. */
static char *trim(char *line)
{
	line[strcspn(line, "\r\n")] = 0;
	while (*line == ' ' || *line == '\t')
		line++;
	return *line && *line != '#' ? line : NULL;
}

int script_run_frontend(const struct frontend *f, FILE *in, const char *name,
			const struct script_opts *o, FILE *out, char *err, size_t n)
{
	char buf[1024], *line;
	int lineno = 0, r = 0, dumped = 0;

	if (f->resize(f->ctx, o->w, o->h) < 0) {
		snprintf(err, n, "%s", _("out of memory"));
		return -1;
	}
	while (!f->quit(f->ctx) && fgets(buf, sizeof(buf), in)) {
		lineno++;
		if (!(line = trim(buf)))
			continue;
		r = command(f, line, o, out);
		if (r < 0) {
			snprintf(err, n, _("%s:%d: cannot do '%s'"), name, lineno, line);
			break;
		}
		dumped |= r;
	}
	if (r >= 0 && o->dump_end && !dumped)
		dump(f, out, o->attrs);
	return r < 0 ? -1 : 0;
}

int script_run(struct session *s, FILE *in, const char *name, const struct script_opts *o,
	       FILE *out, char *err, size_t n)
{
	struct app a;
	struct frontend f;
	int r;

	if (app_init(&a, s, o->w, o->h) < 0) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	app_frontend(&a, &f);
	r = script_run_frontend(&f, in, name, o, out, err, n);
	app_free(&a);
	return r;
}
