/* SPDX-License-Identifier: MIT */
/*
 * prompt.c - the one-line input of the replay screen (prompt.h).
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "prompt.h"

void prompt_start(struct prompt *p, const char *label, const char *init, prompt_done_fn done)
{
	p->on = true;
	snprintf(p->label, sizeof(p->label), "%s", label);
	snprintf(p->text, sizeof(p->text), "%s", init ? init : "");
	p->len = (int)strlen(p->text);
	p->fresh = p->len > 0;
	p->done = done;
}

/* Remove the last UTF-8 character of the text. */
static void backspace(struct prompt *p)
{
	while (p->len > 0 && ((unsigned char)p->text[p->len - 1] & 0xC0) == 0x80)
		p->len--;
	if (p->len > 0)
		p->len--;
	p->text[p->len] = 0;
}

/* Append code point @cp as UTF-8, if it fits. */
static void insert(struct prompt *p, int cp)
{
	char u[4];
	int n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (p->len + n >= PROMPT_MAX)
		return;
	memcpy(p->text + p->len, u, (size_t)n);
	p->len += n;
	p->text[p->len] = 0;
}

enum prompt_result prompt_key(struct prompt *p, int key)
{
	bool fresh = p->fresh;

	p->fresh = false;
	switch (key) {
	case TK_ENTER:
	case '\r':
		p->on = false;
		return PROMPT_DONE;
	case TK_ESC:
	case TK_CTRL('g'):
		p->on = false;
		return PROMPT_CANCEL;
	case TK_BACKSPACE:
	case TK_CTRL('h'):
		if (p->len == 0) {
			p->on = false;
			return PROMPT_CANCEL;
		}
		backspace(p);
		return PROMPT_EDITING;
	case TK_CTRL('u'):
		p->len = 0;
		p->text[0] = 0;
		return PROMPT_EDITING;
	default:
		if (key < 0x20 || key >= TK_UP || key == 0x7F) {
			p->fresh = fresh;        /* a key that edits nothing */
			return PROMPT_EDITING;
		}
		if (fresh) {                 /* typing over the initial text */
			p->len = 0;
			p->text[0] = 0;
		}
		insert(p, key);
		return PROMPT_EDITING;
	}
}

void prompt_draw(const struct prompt *p, struct cells *g, int y)
{
	struct rect line = { 0, y, g->w, 1 };
	int x, tw;

	cells_clear(g, line);
	x = cells_put(g, line, 0, 0, ROLE_NORMAL, CELL_BOLD, p->label);
	tw = cells_width(p->text);
	/* a long text shows its end, where the cursor is */
	if (x + tw + 1 > g->w) {
		const char *t = p->text;

		while (*t && x + cells_width(t) + 1 > g->w) {
			t++;
			while (((unsigned char)*t & 0xC0) == 0x80)
				t++;
		}
		cells_put(g, line, x, 0, ROLE_NORMAL, p->fresh ? CELL_REVERSE : 0, t);
		x = g->w - 1;
	} else {
		/* the initial text in reverse: typing replaces it */
		x += cells_put(g, line, x, 0, ROLE_NORMAL, p->fresh ? CELL_REVERSE : 0, p->text);
	}
	cells_paint(g, line, x, 0, 1, ROLE_NORMAL, CELL_REVERSE);   /* the cursor */
}
