/* SPDX-License-Identifier: MIT */
/*
 * ftrace_check_v7.c - the layout of a version-7 (sectioned) trace.dat.
 *
 * After the fixed header come the compression algorithm and the offset of
 * the first options section; the rest of the file is a sequence of
 * sections (id, flags, description, size, data) that must tile it to the
 * end.  Options sections chain to each other; one of their buffer options
 * names the flyrecord section and each CPU's data inside it.  A compressed
 * section starts with (compressed size, size); compressed CPU data is a
 * table of chunks (see ftrace_check_data.c).
 */
#include <stdlib.h>
#include <string.h>

#include "ftrace-check.h"

#define SEC_COMPRESSED 1

static const char *section_name(uint64_t id)
{
	static const char *const names[] = {
		[0] = "options", [3] = "flyrecord (CPU data)", [15] = "strings",
		[16] = "header info", [17] = "ftrace event formats", [18] = "event formats",
		[19] = "kallsyms", [20] = "printk formats", [21] = "command lines",
	};

	return id < sizeof(names) / sizeof(names[0]) && names[id] ? names[id] : "unknown";
}

static int add_section(struct fx_cursor *c, struct fx_section **secs, size_t *n, size_t *cap)
{
	struct fx_section s = { .off = c->pos };
	uint64_t id, flags, desc;
	char what[64];

	if (*n == FX_MAX_SECTIONS)
		FAIL(c, c->pos, "more than %d sections", FX_MAX_SECTIONS);
	if (fx_cursor_num(c, 2, &id, "section header") < 0 ||
	    fx_cursor_num(c, 2, &flags, "section header") < 0 ||
	    fx_cursor_num(c, 4, &desc, "section header") < 0 ||
	    fx_cursor_num(c, 8, &s.size, "section header") < 0)
		return -1;
	snprintf(what, sizeof(what), "%s section", section_name(id));
	if (fx_cursor_skip(c, s.size, what) < 0)
		return -1;
	s.id = (uint16_t)id;
	s.flags = (uint16_t)flags;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct fx_section *p = realloc(*secs, nc * sizeof(*p));

		if (!p)
			FAIL(c, s.off, "out of memory");
		*secs = p;
		*cap = nc;
	}
	(*secs)[(*n)++] = s;
	return 0;
}

/* A compressed metadata section: (compressed size, size) that fit. */
static int check_block(struct fx_cursor *c, const struct fx_section *s)
{
	uint64_t zs, us;

	c->pos = s->off + 16;
	if (fx_cursor_num(c, 4, &zs, "compressed block header") < 0 ||
	    fx_cursor_num(c, 4, &us, "compressed block header") < 0)
		return -1;
	if (zs > s->size - 8 || us > FX_MAX_BLOCK)
		FAIL(c, s->off + 16, "compressed block sizes (%llu, %llu) do not fit its section",
		     (unsigned long long)zs, (unsigned long long)us);
	return 0;
}

/* Every section, from @c->pos to the end of the file. */
static int walk_sections(struct fx_cursor *c, struct fx_opts *o, struct fx_section **secs)
{
	size_t n = 0, cap = 0;

	*secs = NULL;
	while (c->pos < c->size)
		if (add_section(c, secs, &n, &cap) < 0)
			return -1;
	o->secs = *secs;
	o->nsecs = n;
	for (size_t i = 0; i < n; i++) {
		const struct fx_section *s = &(*secs)[i];

		if (s->id == 19 && !o->lay->ksec_size) {
			o->lay->ksec_off = s->off;
			o->lay->ksec_size = s->size;
		}
		if (s->id != 3 && (s->flags & SEC_COMPRESSED)) {
			if (s->size < 8)
				FAIL(c, s->off, "compressed section of %llu bytes",
				     (unsigned long long)s->size);
			if (check_block(c, s) < 0)
				return -1;
		}
	}
	return 0;
}

/* One options section's options (left alone when compressed). */
static int walk_options(struct fx_cursor *c, struct fx_opts *o, const struct fx_section *s)
{
	uint64_t end = s->off + 16 + s->size;

	o->next = 0;
	if (s->flags & SEC_COMPRESSED)
		return 0;
	c->pos = s->off + 16;
	while (c->pos < end) {
		uint64_t id, size, at = c->pos;
		unsigned char *d;
		int ret;

		if (end - c->pos < 6)
			FAIL(c, at, "option header runs past its section");
		if (fx_cursor_num(c, 2, &id, "option") < 0 || fx_cursor_num(c, 4, &size, "option") < 0)
			return -1;
		if (size > end - c->pos)
			FAIL(c, at, "option %llu (%llu bytes) runs past its section",
			     (unsigned long long)id, (unsigned long long)size);
		if (!(d = fx_cursor_alloc(c, size, "option")))
			return -1;
		ret = fx_check_option(c, o, (unsigned)id, at, d, size);
		free(d);
		if (ret < 0)
			return -1;
		if (id == 0)
			break;
	}
	return 0;
}

/* Follow the chain of options sections from @first. */
static int walk_chain(struct fx_cursor *c, struct fx_opts *o, uint64_t first, uint64_t at)
{
	uint64_t off = first;

	while (off) {
		struct fx_section *s = (struct fx_section *)fx_section_at(o, off);

		if (!s || s->id != 0)
			FAIL(c, at, "options offset %llu is not an options section",
			     (unsigned long long)off);
		if (s->visited)
			FAIL(c, at, "the options sections form a loop");
		s->visited = 1;
		if (walk_options(c, o, s) < 0)
			return -1;
		at = s->off;
		off = o->next;
	}
	return 0;
}

/* The top buffer's CPU data must lie inside its flyrecord section. */
static int check_top(struct fx_cursor *c, struct fx_opts *o)
{
	const struct fx_section *fly = fx_section_at(o, o->fly);
	int compressed;

	if (!o->top)
		return 0;   /* options compressed, or no top buffer: left to the library */
	if (!fly || fly->id != 3)
		FAIL(c, o->fly, "the buffer option points at no flyrecord section");
	compressed = !!(fly->flags & SEC_COMPRESSED);
	for (uint64_t i = 0; i < o->ncpu; i++) {
		const struct fx_cpu_range *r = &o->cpu[i];
		uint64_t lo = fly->off + 16, hi = lo + fly->size;

		if (r->size && (r->off < lo || r->off > hi || r->size + (compressed ? 4 : 0) >
								hi - r->off))
			FAIL(c, r->at, "CPU %llu data lies outside its flyrecord section",
			     (unsigned long long)i);
	}
	o->lay->cpus = (int)o->ncpu;
	o->lay->compressed = compressed;
	return fx_check_cpu_data(c, o->cpu, (int)o->ncpu, compressed);
}

int fx_check_v7(struct fx_cursor *c, struct fx_layout *lay)
{
	struct fx_opts o = { .lay = lay };
	struct fx_section *secs = NULL;
	char name[64], ver[64];
	uint64_t first, at;
	int ret = -1;

	if (fx_cursor_str(c, name, sizeof(name), "compression name") < 0 ||
	    fx_cursor_str(c, ver, sizeof(ver), "compression version") < 0)
		return -1;
	/* what Debian's libtracecmd is built with (trace-cmd list -c) */
	if (strcmp(name, "none") != 0 && strcmp(name, "zstd") != 0)
		FAIL(c, c->pos - strlen(ver) - strlen(name) - 2, "compression '%s' is not "
		     "supported (zstd and none are)", name);
	at = c->pos;
	if (fx_cursor_num(c, 8, &first, "options offset") < 0)
		return -1;
	c->meta_off = c->pos;
	if (walk_sections(c, &o, &secs) == 0 && walk_chain(c, &o, first, at) == 0 &&
	    check_top(c, &o) == 0)
		ret = 0;
	free(o.cpu);
	free(secs);
	return ret;
}
