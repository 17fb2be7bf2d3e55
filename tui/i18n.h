/* SPDX-License-Identifier: MIT */
/*
 * i18n.h - translated messages: GNU gettext catalogues (po/ru.po,
 * po/zh_CN.po), text domain "dmascope".
 *
 * _("text") marks a message and translates it; N_("text") only marks it (a
 * table's entries, translated where shown with _()).  i18n_init() picks the
 * language and finds the catalogues; until it runs, messages are English.
 * `make po` extracts the marked messages into po/dmascope.pot (po/README.md).
 */
#ifndef DMASCOPE_I18N_H
#define DMASCOPE_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/**
 * i18n_init - set the locale and the message language (call first in main)
 * @lang: "en", "ru", "zh" (a --lang option: the forms lesson_lang_lookup()
 *        takes), or NULL for LC_ALL, LC_MESSAGES, LANG (lesson_lang_default())
 *
 * The catalogues are read from build/locale of the source tree the binary
 * was built in, else from the installed $(PREFIX)/share/locale.  A Russian
 * or Chinese choice works without that locale on the machine (C.UTF-8 and
 * LANGUAGE then carry it).  LC_NUMERIC stays "C" for the reports.
 *
 * Return: the language chosen (enum lesson_lang), or -1 when @lang names
 * none (the messages are then English).
 */
int i18n_init(const char *lang);

/**
 * i18n_lang - the language i18n_init() chose (enum lesson_lang), so lesson
 * texts and messages agree
 */
int i18n_lang(void);

/**
 * i18n_lesson_words - struct lesson_ui.words: the lesson runtime's own
 * words (verdicts, omission rows; marked lesson_words() in lessons/) in the
 * message language
 */
const char *i18n_lesson_words(void *ctx, const char *msgid);

#endif
