/* SPDX-License-Identifier: MIT */
/*
 * progress.c - a one-line progress bar on stderr, drawn only when stderr
 * is a terminal, so pipes, logs and tests see nothing of it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define BAR_WIDTH 30

void progress_init(struct progress *pr, const char *what, const char *name)
{
	const char *base = name ? strrchr(name, '/') : NULL;

	memset(pr, 0, sizeof(*pr));
	/* a long path is cut to its last two components: "nic/trace.dat" */
	if (base && base != name && strlen(name) > 40) {
		const char *p = base - 1;

		while (p > name && p[-1] != '/')
			p--;
		base = p;
	} else {
		base = name;
	}
	snprintf(pr->label, sizeof(pr->label), "%s%s%s", what, base ? " " : "",
		 base ? base : "");
	pr->on = isatty(STDERR_FILENO);
	pr->last = -1;
}

void progress_update(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *pr = ctx;
	char bar[BAR_WIDTH + 1];
	int permille, fill;

	if (!pr->on || !total)
		return;
	if (done > total)
		done = total;
	permille = (int)(done * 1000 / total);
	if (permille / 5 == pr->last / 5 && pr->last >= 0)
		return;
	pr->last = permille;
	fill = permille * BAR_WIDTH / 1000;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(BAR_WIDTH - fill));
	bar[BAR_WIDTH] = 0;
	fprintf(stderr, "\r%-40.40s [%s] %3d%%", pr->label, bar, permille / 10);
	fflush(stderr);
	pr->drawn = 1;
}

void progress_end(struct progress *pr)
{
	if (pr->on && pr->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	pr->drawn = 0;
	pr->last = -1;
}
