/* SPDX-License-Identifier: MIT */
/*
 * i18n.c - the message language (i18n.h).  The catalogues are looked for
 * where `make` builds them (build/locale, in the source tree the binary was
 * built in) before the installed ones.
 *
 * The language comes from the same choice as the lessons' texts
 * (lesson_lang_lookup / lesson_lang_default) and is handed to gettext
 * through LANGUAGE, which glibc reads unless LC_MESSAGES is "C" or "POSIX":
 * on a machine with no ru_RU or zh_CN locale, LC_MESSAGES becomes C.UTF-8.
 */
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "lesson.h"

#ifndef DMASCOPE_LOCALEDIR
#define DMASCOPE_LOCALEDIR "/usr/local/share/locale"
#endif

#define TEXT_DOMAIN "dmascope"

/* the catalogue of each enum lesson_lang (English is the msgids) */
static const char *const catalogue[LESSON_NLANGS] = { "en", "ru", "zh_CN" };

static int chosen = LESSON_EN;
static char locale_dir[PATH_MAX];

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* build/locale of the source tree, else the installed directory */
static void find_locale_dir(void)
{
	char top[PATH_MAX - 16];

	if (lesson_source_tree(top, sizeof(top))) {
		snprintf(locale_dir, sizeof(locale_dir), "%s/build/locale", top);
		if (is_dir(locale_dir))
			return;
	}
	snprintf(locale_dir, sizeof(locale_dir), "%s", DMASCOPE_LOCALEDIR);
}

static int is_c_locale(const char *name)
{
	return !name || !strcmp(name, "C") || !strcmp(name, "POSIX");
}

/* @category in a UTF-8 locale that every glibc system has (C.UTF-8 since
 * glibc 2.35, Debian's before), else one that is usually generated */
static void utf8_fallback(int category)
{
	static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (setlocale(category, names[i]))
			return;
}

/* LANGUAGE says which catalogue; LC_MESSAGES must not be "C" for glibc to
 * read it, and translated text wants a UTF-8 LC_CTYPE */
static void message_locale(int lang)
{
	const char *cs;

	setenv("LANGUAGE", catalogue[lang], 1);
	if (lang == LESSON_EN)
		return;
	if (is_c_locale(setlocale(LC_MESSAGES, NULL)))
		utf8_fallback(LC_MESSAGES);
	cs = nl_langinfo(CODESET);
	if (!cs || strcmp(cs, "UTF-8") != 0)
		utf8_fallback(LC_CTYPE);
}

int i18n_init(const char *lang)
{
	int l = lang ? lesson_lang_lookup(lang) : lesson_lang_default();

	/* the user's locale, else (LANG names one not generated) C.UTF-8 */
	if (!setlocale(LC_ALL, ""))
		utf8_fallback(LC_ALL);
	setlocale(LC_NUMERIC, "C");
	chosen = l < 0 ? LESSON_EN : l;
	message_locale(chosen);
	find_locale_dir();
	bindtextdomain(TEXT_DOMAIN, locale_dir);
	bind_textdomain_codeset(TEXT_DOMAIN, "UTF-8");
	textdomain(TEXT_DOMAIN);
	return l;
}

int i18n_lang(void)
{
	return chosen;
}

const char *i18n_lesson_words(void *ctx, const char *msgid)
{
	(void)ctx;
	return gettext(msgid);
}
