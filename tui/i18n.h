/* SPDX-License-Identifier: MIT */
/*
 * i18n.h - translated messages: GNU gettext catalogues (po/ru.po,
 * po/zh_CN.po), text domain "dmascope".
 *
 * _("text") marks a message and translates it; N_("text") only marks it (a
 * table's entries, translated where shown with _()).  i18n_init() picks the
 * language and finds the catalogues; until it runs, messages are English.
 */
#ifndef DMASCOPE_I18N_H
#define DMASCOPE_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/**
 * i18n_init - set the locale and the message language
 * @lang: "en", "ru", "zh" (a --lang option), or NULL for LC_ALL, LC_MESSAGES,
 *        LANG
 */
void i18n_init(const char *lang);

#endif
