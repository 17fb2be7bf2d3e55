/* SPDX-License-Identifier: MIT */
/*
 * whatif_file.c - reading and writing what-if edit files (docs/whatif.md).
 *
 *   dmascope-whatif 1
 *   platform arm-speculative
 *   device eth0 coherent=0 bounce=1 dma_version=2
 *   delete 83
 *   move 90 before 95
 *   insert before 84: dma_sync_for_cpu dev=eth0 bus=0x1000 len=2048 dir=FROM_DEVICE
 *   replace 101: dma_sync_for_device dev=eth0 bus=0x2000 len=4096 dir=TO_DEVICE
 *
 * Events are named by the trace's own event numbers (an event with none,
 * such as the trace_end a reader appends, by "@" and its position; the
 * end of the run by "end"); inserted events are .dmt event lines.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "whatif_file.h"

struct wf {
	const char *path;
	uint64_t lineno;
	struct trace *t;
	struct coh_whatif *w;
	char *err;
	size_t n;
	struct coh_platform plat;    /* a platform line and its device lines */
	int have_plat;
};

static int wf_err(struct wf *f, const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	snprintf(f->err, f->n, "%s:%llu: %s", f->path, (unsigned long long)f->lineno, msg);
	return -1;
}

/* An event of the trace: "N" (its number in the file), "@N" (position),
 * or, when @end_ok, "end". */
static int event_ref(struct wf *f, const char *s, int end_ok, uint64_t *at)
{
	uint64_t count = trace_count(f->t), v;
	struct coh_event ev;
	char *e;

	if (end_ok && strcmp(s, "end") == 0) {
		*at = count;
		return 0;
	}
	errno = 0;
	v = strtoull(s + (*s == '@'), &e, 10);
	if (!*s || !isdigit((unsigned char)s[*s == '@']) || *e || errno)
		return wf_err(f, "expected an event number, not '%s'", s);
	if (*s == '@')
		*at = v;
	else
		*at = trace_find_src(f->t, v);
	if (*at >= count || trace_get(f->t, *at, &ev) < 0 || (*s != '@' && ev.src != v))
		return wf_err(f, "the trace has no event %s", s);
	return 0;
}

static int add(struct wf *f, const struct coh_edit *e)
{
	if (coh_whatif_add(f->w, e) < 0)
		return wf_err(f, "%s", coh_whatif_errmsg(f->w));
	return 0;
}

/* The platform line and device lines read so far become one edit. */
static int end_platform(struct wf *f)
{
	struct coh_edit e = { .op = COH_EDIT_PLATFORM, .plat = &f->plat };

	if (!f->have_plat)
		return 0;
	f->have_plat = 0;
	return add(f, &e);
}

static int platform_line(struct wf *f, char *args)
{
	char msg[200], *name = strtok(args, " \t");

	if (!name || strtok(NULL, " \t"))
		return wf_err(f, "%s", "platform takes one preset name");
	if (end_platform(f) < 0)
		return -1;
	if (trace_platform(f->t, name, &f->plat, msg, sizeof(msg)) < 0)
		return wf_err(f, "%s", msg);
	f->have_plat = 1;
	return 0;
}

static int device_setting(struct wf *f, struct coh_dev_cfg *d, const char *kv)
{
	static const char *const keys[] = { "coherent", "bounce", "dma_version" };
	const char *eq = strchr(kv, '=');
	char *e;
	unsigned long v;

	for (unsigned k = 0; eq && k < 3; k++) {
		if (strlen(keys[k]) != (size_t)(eq - kv) || strncmp(kv, keys[k], eq - kv))
			continue;
		v = strtoul(eq + 1, &e, 10);
		if (!eq[1] || *e || v > (k == 2 ? 3 : 1) || (k == 2 && v < 2))
			return wf_err(f, "bad value in '%s'", kv);
		*(k == 0 ? &d->coherent : k == 1 ? &d->bounce : &d->dma_version) = (uint8_t)v;
		return 0;
	}
	return wf_err(f, "expected coherent=, bounce= or dma_version=, not '%s'", kv);
}

static int device_line(struct wf *f, char *args)
{
	char *name = strtok(args, " \t"), *kv;
	int i;

	if (!f->have_plat)
		return wf_err(f, "%s", "a device line follows a platform line");
	if (!name || (i = coh_platform_find_dev(&f->plat, name)) < 0)
		return wf_err(f, "no device '%s' in the trace", name ? name : "");
	while ((kv = strtok(NULL, " \t")))
		if (device_setting(f, &f->plat.devs[i], kv) < 0)
			return -1;
	return 0;
}

struct parsed {
	struct wf *f;
	struct coh_edit e;
};

static int use_event(void *ctx, const struct coh_event *ev)
{
	struct parsed *p = ctx;

	p->e.ev = *ev;
	return add(p->f, &p->e);
}

/* "insert before REF: LINE" and "replace REF: LINE". */
static int event_edit(struct wf *f, char *args, int op)
{
	struct parsed p = { f, { .op = (uint16_t)op } };
	char *colon = strchr(args, ':'), *ref;

	if (!colon)
		return wf_err(f, "%s", "expected ': ' and an event line");
	*colon = 0;
	ref = strtok(args, " \t");
	if (op == COH_EDIT_INSERT && (!ref || strcmp(ref, "before") || !(ref = strtok(NULL, " \t"))))
		return wf_err(f, "%s", "expected 'insert before EVENT: LINE'");
	if (!ref || strtok(NULL, " \t") || event_ref(f, ref, op == COH_EDIT_INSERT, &p.e.at) < 0)
		return ref ? -1 : wf_err(f, "%s", "expected an event number");
	return trace_event_parse(colon + 1, coh_whatif_platform(f->w), f->path, f->lineno,
				 use_event, &p, f->err, f->n);
}

static int delete_or_move(struct wf *f, char *args, int op)
{
	struct coh_edit e = { .op = (uint16_t)op };
	char *ref = strtok(args, " \t"), *before = strtok(NULL, " \t"), *to = strtok(NULL, " \t");

	if (!ref || (op == COH_EDIT_DELETE ? before != NULL :
		     !before || strcmp(before, "before") || !to || strtok(NULL, " \t")))
		return wf_err(f, "%s", op == COH_EDIT_DELETE ? "expected 'delete EVENT'" :
			      "expected 'move EVENT before EVENT'");
	if (event_ref(f, ref, 0, &e.at) < 0 ||
	    (op == COH_EDIT_MOVE && event_ref(f, to, 1, &e.to) < 0))
		return -1;
	return add(f, &e);
}

static int magic_line(struct wf *f, const char *word, const char *args)
{
	if (f->lineno != 1 || strcmp(word, WHATIF_FILE_MAGIC))
		return wf_err(f, "%s", "not a what-if edit file (its first line is '"
			      WHATIF_FILE_MAGIC " 1')");
	if (strtoul(args, NULL, 10) != WHATIF_FILE_VERSION)
		return wf_err(f, "unsupported version '%s' (this dmascope reads 1)", args);
	return 0;
}

static int one_line(struct wf *f, char *line)
{
	char *args, *word;

	line[strcspn(line, "\r\n")] = 0;
	word = line + strspn(line, " \t");
	if (!*word || *word == '#')
		return 0;
	args = word + strcspn(word, " \t");
	if (*args)
		*args++ = 0;
	if (f->lineno == 1 || !strcmp(word, WHATIF_FILE_MAGIC))
		return magic_line(f, word, args);
	if (!strcmp(word, "device"))
		return device_line(f, args);
	if (end_platform(f) < 0)
		return -1;
	if (!strcmp(word, "platform"))
		return platform_line(f, args);
	if (!strcmp(word, "delete") || !strcmp(word, "move"))
		return delete_or_move(f, args, *word == 'd' ? COH_EDIT_DELETE : COH_EDIT_MOVE);
	if (!strcmp(word, "insert") || !strcmp(word, "replace"))
		return event_edit(f, args, *word == 'i' ? COH_EDIT_INSERT : COH_EDIT_REPLACE);
	return wf_err(f, "unknown edit '%s' (platform, device, delete, move, insert, replace)",
		      word);
}

static int read_all(struct wf *f, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	int r = 0;

	while (r == 0 && getline(&line, &cap, in) >= 0) {
		f->lineno++;
		r = one_line(f, line);
	}
	if (r == 0 && ferror(in))
		r = wf_err(f, "read error: %s", strerror(errno));
	if (r == 0 && f->lineno == 0)
		r = wf_err(f, "%s", "empty file (it starts with '" WHATIF_FILE_MAGIC " 1')");
	if (r == 0)
		r = end_platform(f);
	free(line);
	return r;
}

int whatif_file_load(const char *path, struct trace *t, struct coh_whatif *w, char *err,
		     size_t n)
{
	struct wf f = { .path = path, .t = t, .w = w, .err = err, .n = n };
	size_t before = coh_whatif_nedits(w);
	FILE *in = fopen(path, "r");
	int r;

	if (!in) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = read_all(&f, in);
	fclose(in);
	if (r < 0) {
		while (coh_whatif_nedits(w) > before)
			coh_whatif_undo(w);
		return -1;
	}
	return (int)(coh_whatif_nedits(w) - before);
}

/* ---- writing ---------------------------------------------------------------- */

/* How the file names event @at. */
static void ref_of(struct trace *t, uint64_t at, char *buf, size_t n)
{
	struct coh_event ev;

	if (at >= trace_count(t))
		snprintf(buf, n, "end");
	else if (trace_get(t, at, &ev) == 0 && ev.src != COH_SRC_NONE)
		snprintf(buf, n, "%llu", (unsigned long long)ev.src);
	else
		snprintf(buf, n, "@%llu", (unsigned long long)at);
}

static void put_platform(FILE *out, const struct coh_platform *p)
{
	fprintf(out, "platform %s\n", p->name);
	for (unsigned i = 0; i < p->ndevs; i++)
		fprintf(out, "device %s coherent=%u bounce=%u dma_version=%u\n", p->devs[i].name,
			p->devs[i].coherent, p->devs[i].bounce, p->devs[i].dma_version);
}

static int put_edit(FILE *out, struct trace *t, const struct coh_whatif *w,
		    const struct coh_edit *e, char *err, size_t n)
{
	char at[32], to[32], line[4096], msg[256];

	ref_of(t, e->at, at, sizeof(at));
	ref_of(t, e->to, to, sizeof(to));
	switch (e->op) {
	case COH_EDIT_PLATFORM:
		put_platform(out, e->plat);
		return 0;
	case COH_EDIT_DELETE:
		fprintf(out, "delete %s\n", at);
		return 0;
	case COH_EDIT_MOVE:
		fprintf(out, "move %s before %s\n", at, to);
		return 0;
	default:
		if (trace_event_format(&e->ev, coh_whatif_platform(w), line, sizeof(line), msg,
				       sizeof(msg)) < 0) {
			snprintf(err, n, "%s", msg);
			return -1;
		}
		fprintf(out, "%s %s: %s\n", e->op == COH_EDIT_INSERT ? "insert before" :
			"replace", at, line);
		return 0;
	}
}

static int put_all(FILE *out, struct trace *t, const struct coh_whatif *w, char *err,
		   size_t n)
{
	struct coh_edit e;

	fprintf(out, WHATIF_FILE_MAGIC " %d\n# what-if edits of %s (docs/whatif.md)\n",
		WHATIF_FILE_VERSION, trace_path(t));
	for (size_t i = 0; i < coh_whatif_nedits(w); i++)
		if (coh_whatif_edit(w, i, &e) < 0 || put_edit(out, t, w, &e, err, n) < 0)
			return -1;
	return 0;
}

int whatif_file_save(const char *path, struct trace *t, const struct coh_whatif *w,
		     char *err, size_t n)
{
	char tmp[4096], msg[256] = "";
	FILE *out;
	int r;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp) ||
	    !(out = fopen(tmp, "w"))) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = put_all(out, t, w, msg, sizeof(msg));
	if ((fclose(out) != 0 && r == 0) || (r == 0 && rename(tmp, path) != 0)) {
		snprintf(msg, sizeof(msg), "%s", strerror(errno));
		r = -1;
	}
	if (r < 0) {
		remove(tmp);
		snprintf(err, n, "%s: %s", path, msg);
	}
	return r;
}

char *whatif_file_name(const char *trace, char *buf, size_t n)
{
	return snprintf(buf, n, "%s.whatif", trace) < (int)n ? buf : NULL;
}
