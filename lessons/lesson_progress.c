/* SPDX-License-Identifier: MIT */
/*
 * lesson_progress.c - the student's progress: which lessons are done, how
 * many questions were answered and how many right the first time.
 *
 * The file ($XDG_STATE_HOME/dmascope/progress) is text, one lesson a line:
 *
 *   dmascope-progress 1
 *   lesson ID done=0|1 answered=N first_try=N
 *
 * A line that cannot be read is skipped with a warning and the rest kept;
 * a missing file is an empty progress.  Writes go to a temporary file in the
 * same directory, then rename() over the old one, so a crash leaves either
 * the old file or the new one, never half of one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson.h"

#define MAGIC "dmascope-progress 1"

void lesson_progress_path(char *out, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		snprintf(out, n, "%s/dmascope/progress", xdg);
	else
		snprintf(out, n, "%s/.local/state/dmascope/progress", home ? home : ".");
}

struct lesson_progress_row *lesson_progress_row(struct lesson_progress *p, const char *id,
						int add)
{
	struct lesson_progress_row *rows;

	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->rows[i].id, id))
			return &p->rows[i];
	if (!add || !(rows = realloc(p->rows, (p->n + 1) * sizeof(*rows))))
		return NULL;
	p->rows = rows;
	memset(&rows[p->n], 0, sizeof(rows[p->n]));
	snprintf(rows[p->n].id, sizeof(rows[p->n].id), "%s", id);
	return &rows[p->n++];
}

/* one "lesson ..." line; 0, or -1 when it cannot be read */
static int parse_line(struct lesson_progress *p, const char *line)
{
	char id[LESSON_ID_MAX];
	int done;
	unsigned answered, first;
	struct lesson_progress_row *r;
	int end = 0;

	if (sscanf(line, "lesson %63s done=%d answered=%u first_try=%u%n", id, &done, &answered,
		   &first, &end) != 4 || (line[end] && line[end] != '\n') || first > answered)
		return -1;
	if (!(r = lesson_progress_row(p, id, 1)))
		return -1;
	r->done = done != 0;
	r->answered = answered;
	r->first_try = first;
	return 0;
}

int lesson_progress_load(const char *path, struct lesson_progress *p, char *warn, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned bad = 0, lineno = 0;

	memset(p, 0, sizeof(*p));
	warn[0] = 0;
	if (!f) {
		if (errno != ENOENT)
			snprintf(warn, n, "%s: %s (progress starts afresh)", path, strerror(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (lineno == 1 && !strncmp(line, MAGIC, strlen(MAGIC)))
			continue;
		if (parse_line(p, line) < 0)
			bad++;
	}
	fclose(f);
	if (bad)
		snprintf(warn, n, "%s: %u line%s could not be read and %s skipped (the rest is kept)",
			 path, bad, bad == 1 ? "" : "s", bad == 1 ? "was" : "were");
	return 0;
}

/* mkdir -p of the directory holding @path */
static void make_dirs(const char *path)
{
	char dir[1024];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *s = dir + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		mkdir(dir, 0700);
		*s = '/';
	}
}

static int write_rows(FILE *f, const struct lesson_progress *p)
{
	fprintf(f, "%s\n", MAGIC);
	for (size_t i = 0; i < p->n; i++)
		fprintf(f, "lesson %s done=%d answered=%u first_try=%u\n", p->rows[i].id,
			p->rows[i].done, p->rows[i].answered, p->rows[i].first_try);
	return fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
}

int lesson_progress_save(const char *path, const struct lesson_progress *p, char *err,
			 size_t n)
{
	char tmp[1100];
	FILE *f;
	int r;

	make_dirs(path);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (!(f = fopen(tmp, "w"))) {
		snprintf(err, n, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	r = write_rows(f, p);
	if (fclose(f) != 0 || r < 0 || rename(tmp, path) < 0) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

void lesson_progress_free(struct lesson_progress *p)
{
	free(p->rows);
	p->rows = NULL;
	p->n = 0;
}
