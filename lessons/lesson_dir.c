/* SPDX-License-Identifier: MIT */
/*
 * lesson_dir.c - where lessons are: the *.lua files of the built-in lesson
 * directory and of the teacher's own (--lessons DIR).
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct lesson_entry *)a)->base, ((const struct lesson_entry *)b)->base);
}

static int is_lua(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".lua") && name[0] != '.';
}

/* append the lessons of @dir to *out (n entries, cap room) */
static int scan_one(const char *dir, struct lesson_entry **out, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t first = *n;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!is_lua(de->d_name))
			continue;
		if (*n == *cap) {
			struct lesson_entry *p = realloc(*out, (*cap ? *cap * 2 : 16) * sizeof(*p));

			if (!p) {
				closedir(d);
				return -1;
			}
			*out = p;
			*cap = *cap ? *cap * 2 : 16;
		}
		snprintf((*out)[*n].path, sizeof((*out)[*n].path), "%s/%s", dir, de->d_name);
		snprintf((*out)[*n].base, sizeof((*out)[*n].base), "%.*s",
			 (int)(strlen(de->d_name) - 4), de->d_name);
		(*n)++;
	}
	closedir(d);
	qsort(*out + first, *n - first, sizeof(**out), by_name);
	return 0;
}

long lesson_dir_scan(const char *const *dirs, size_t ndirs, struct lesson_entry **out)
{
	size_t n = 0, cap = 0;

	*out = NULL;
	for (size_t i = 0; i < ndirs; i++)
		if (scan_one(dirs[i], out, &n, &cap) < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
	return (long)n;
}

static int exists(const char *dir, const char *file)
{
	char p[PATH_MAX + 64];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	return stat(p, &st) == 0;
}

int lesson_source_tree(char *top, size_t n)
{
	char exe[PATH_MAX], *slash;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (len <= 0)
		return 0;
	exe[len] = 0;
	for (int up = 0; up < 4 && (slash = strrchr(exe, '/')); up++) {
		*slash = 0;
		if (exists(exe, "lessons/lesson.h")) {
			snprintf(top, n, "%s", exe);
			return 1;
		}
	}
	return 0;
}

void lesson_builtin_dir(const char *datadir, char *out, size_t n, char *repo, size_t rn)
{
	const char *env = getenv("DMASCOPE_LESSONS");
	char top[PATH_MAX];

	if (repo && rn)
		repo[0] = 0;
	if (env && *env) {
		snprintf(out, n, "%s", env);
	} else if (lesson_source_tree(top, sizeof(top))) {
		snprintf(out, n, "%s/lessons", top);
		if (repo && rn)
			snprintf(repo, rn, "%s", top);
	} else {
		snprintf(out, n, "%s/lessons", datadir);
		if (repo && rn)      /* make install puts the files lessons load there */
			snprintf(repo, rn, "%s", datadir);
	}
}
