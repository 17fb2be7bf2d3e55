/* SPDX-License-Identifier: MIT */
/*
 * keys.c - the names of keys (keys.h): what the help screen prints and what
 * `dmascope replay --script` reads back.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "keys.h"

static const struct {
	int key;
	const char *name;
} names[] = {
	{ TK_ENTER, "Enter" }, { TK_ESC, "Esc" }, { TK_TAB, "Tab" },
	{ TK_BACKSPACE, "BS" }, { ' ', "Space" }, { '<', "lt" },
	{ TK_UP, "Up" }, { TK_DOWN, "Down" }, { TK_LEFT, "Left" }, { TK_RIGHT, "Right" },
	{ TK_PGUP, "PgUp" }, { TK_PGDN, "PgDn" }, { TK_HOME, "Home" }, { TK_END, "End" },
	{ TK_BTAB, "S-Tab" }, { TK_DELETE, "Del" },
};

#define NNAMES (sizeof(names) / sizeof(names[0]))

/* @cp as UTF-8 into @buf (at least 5 bytes). */
static void utf8_of(int cp, char *buf)
{
	unsigned u = (unsigned)cp;

	if (u < 0x80) {
		buf[0] = (char)u;
		buf[1] = 0;
	} else if (u < 0x800) {
		snprintf(buf, 5, "%c%c", 0xC0 | (u >> 6), 0x80 | (u & 0x3F));
	} else if (u < 0x10000) {
		snprintf(buf, 5, "%c%c%c", 0xE0 | (u >> 12), 0x80 | ((u >> 6) & 0x3F),
			 0x80 | (u & 0x3F));
	} else {
		snprintf(buf, 5, "%c%c%c%c", 0xF0 | (u >> 18), 0x80 | ((u >> 12) & 0x3F),
			 0x80 | ((u >> 6) & 0x3F), 0x80 | (u & 0x3F));
	}
}

const char *keys_name(int key, char *buf, size_t n)
{
	char ch[5];

	for (size_t i = 0; i < NNAMES; i++)
		if (names[i].key == key) {
			snprintf(buf, n, "<%s>", names[i].name);
			return buf;
		}
	if (key > 0 && key < 0x20) {
		snprintf(buf, n, "<C-%c>", key + 'a' - 1);
		return buf;
	}
	if (key <= 0 || key >= TK_UP) {
		snprintf(buf, n, "<?>");
		return buf;
	}
	utf8_of(key, ch);
	snprintf(buf, n, "%s", ch);
	return buf;
}

/* "<Name>" at @s: the key, or -1. */
static int parse_named(const char *s, size_t len)
{
	for (size_t i = 0; i < NNAMES; i++)
		if (strlen(names[i].name) == len && strncasecmp(s, names[i].name, len) == 0)
			return names[i].key;
	if (len == 3 && strncasecmp(s, "C-", 2) == 0 && s[2] >= 'a' && s[2] <= 'z')
		return TK_CTRL(s[2]);
	return -1;
}

/* One UTF-8 character at @s (at least one byte): its code point. */
static int utf8_char(const unsigned char *s, int *len)
{
	int n = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	int cp = n == 1 ? s[0] : s[0] & (0x7F >> n);

	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return s[0];
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*len = n;
	return cp;
}

int keys_parse(const char **s)
{
	const char *p = *s, *end;
	int key, len;

	if (!*p)
		return -1;
	if (*p == '<' && (end = strchr(p, '>')) && end > p + 1) {
		key = parse_named(p + 1, (size_t)(end - p - 1));
		if (key < 0)
			return -1;
		*s = end + 1;
		return key;
	}
	key = utf8_char((const unsigned char *)p, &len);
	*s = p + len;
	return key;
}
