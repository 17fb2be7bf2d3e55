/* SPDX-License-Identifier: MIT */
/*
 * dmt_one.c - one event line of the .dmt format read outside a .dmt file:
 * the what-if edit files (traces/whatif_file.c) hold the events they
 * insert as such lines, naming devices of a known platform.
 */
#include <stdlib.h>
#include <string.h>

#include "dmt-local.h"

/* A trace holding only the device names of @p, for dmt_device(). */
static int names_of(struct trace *t, const struct coh_platform *p, const char *where)
{
	memset(t, 0, sizeof(*t));
	t->path = (char *)where;
	t->devs = calloc(p->ndevs + 1, sizeof(*t->devs));
	if (!t->devs)
		return -1;
	for (unsigned i = 0; i < p->ndevs; i++)
		t->devs[i] = (char *)p->devs[i].name;
	t->ndevs = p->ndevs;
	return 0;
}

static int parse(struct dmt_parser *ps, char *line, size_t len, struct coh_event *ev)
{
	struct dmt_tok first;
	uint32_t seen;
	int r;

	if (dmt_lex_init(&ps->lx, line, len) < 0)
		return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
	r = dmt_lex_next(&ps->lx, &first);
	if (r <= 0)
		return dmt_perr(ps, r < 0 ? ps->lx.errcol : 1, "%s",
				r < 0 ? ps->lx.msg : "expected an event");
	return dmt_event_line(ps, &first, ev, &seen);
}

int trace_event_parse(const char *line, const struct coh_platform *p, const char *where,
		      uint64_t lineno, int (*use)(void *ctx, const struct coh_event *ev),
		      void *ctx, char *err, size_t n)
{
	struct trace t;
	struct dmt_parser ps = { .t = &t, .err = err, .errn = n, .lineno = lineno,
				 .strict_devs = 1, .in_body = 1, .seen_magic = 1 };
	struct coh_event ev;
	char *copy = strdup(line);
	int r = -1;

	ps.chk = *p;
	if (copy && names_of(&t, p, where) == 0) {
		r = parse(&ps, copy, strlen(copy), &ev);
		if (r == 0) {
			ev.src = COH_SRC_NONE;
			r = use(ctx, &ev);
		}
	} else {
		snprintf(err, n, "%s:%llu: out of memory", where, (unsigned long long)lineno);
	}
	free(t.devs);
	free(copy);
	free(ps.s.segs);
	free(ps.s.data);
	free(ps.s.text);
	return r;
}
