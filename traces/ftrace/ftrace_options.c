/* SPDX-License-Identifier: MIT */
/*
 * ftrace_options.c - the options of a trace.dat, checked before libtracecmd
 * parses them.
 *
 * libtracecmd 3.1.6 takes several option payloads on trust: strings it
 * strdup()s without a terminator check, a CPU-count option read as 4
 * bytes whatever its size, a guest option whose remaining size can go
 * negative, a cpustat option indexed at size - 1.  Each option the
 * library interprets is checked here against what it will read; hook
 * options (trace-cmd record -H) are refused, their parser exits on bad
 * input.  The buffer option also gives the CPU data ranges (version 7)
 * and the kernel's lost-event counters come from the cpustat options.
 */
#include <stdlib.h>
#include <string.h>

#include "ftrace-check.h"

enum {
	OPT_DONE = 0, OPT_DATE, OPT_CPUSTAT, OPT_BUFFER, OPT_TRACECLOCK, OPT_UNAME, OPT_HOOK,
	OPT_OFFSET, OPT_CPUCOUNT, OPT_VERSION, OPT_PROCMAPS, OPT_TRACEID, OPT_TIME_SHIFT,
	OPT_GUEST, OPT_TSC2NSEC, OPT_STRINGS, OPT_HEADER_INFO, OPT_FTRACE_EVENTS,
	OPT_EVENT_FORMATS, OPT_KALLSYMS, OPT_PRINTK, OPT_CMDLINES, OPT_BUFFER_TEXT
};

const struct fx_section *fx_section_at(const struct fx_opts *o, uint64_t off)
{
	size_t lo = 0, hi = o->nsecs;

	while (lo < hi) {   /* sections are in file order */
		size_t mid = lo + (hi - lo) / 2;

		if (o->secs[mid].off == off)
			return &o->secs[mid];
		if (o->secs[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int has_nul(const unsigned char *d, uint64_t size)
{
	return size && memchr(d, 0, (size_t)size) != NULL;
}

/* "overrun: N", "commit overrun: N", "dropped events: N" lines add to the lost count. */
static void cpustat_lost(struct fx_layout *lay, const unsigned char *data, uint64_t size)
{
	static const char *const keys[] = { "overrun:", "commit overrun:", "dropped events:" };
	const char *p = (const char *)data, *end = p + size;

	lay->cpustats = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t kl = strlen(keys[k]);
			uint64_t v = 0;

			if (len <= kl || memcmp(p, keys[k], kl) != 0)
				continue;
			for (size_t i = kl; i < len && (p[i] == ' ' || (p[i] >= '0' && p[i] <= '9'));
			     i++)
				if (p[i] != ' ' && v < UINT64_MAX / 16)
					v = v * 10 + (uint64_t)(p[i] - '0');
			lay->stat_lost += v;
		}
		p += len + 1;
	}
}

/* A string at @p within @left bytes: its length + 1, or 0 when unterminated. */
static uint64_t str_at(const unsigned char *p, uint64_t left)
{
	const unsigned char *z = left ? memchr(p, 0, (size_t)left) : NULL;

	return z ? (uint64_t)(z - p) + 1 : 0;
}

/* Version 7 buffer option: offset, name, clock, page size, CPUs, (cpu, offset, size)... */
static int buffer_v7(struct fx_cursor *c, struct fx_opts *o, uint64_t at, const unsigned char *d,
		     uint64_t size, uint64_t pos, int top)
{
	uint64_t l = str_at(d + pos, size - pos), page, cpus;

	if (!l)
		FAIL(c, at, "buffer option: clock name is not terminated");
	pos += l;
	if (size - pos < 8)
		FAIL(c, at, "buffer option is cut short");
	page = fx_cursor_host(c, d + pos, 4);
	cpus = fx_cursor_host(c, d + pos + 4, 4);
	pos += 8;
	if (cpus > FX_MAX_CPUS || cpus * 20 > size - pos)
		FAIL(c, at, "buffer option: %llu CPUs do not fit in it", (unsigned long long)cpus);
	if (!top)
		return 0;
	if (page != c->page_size)
		FAIL(c, at, "buffer option: page size %llu differs from the file's %u",
		     (unsigned long long)page, c->page_size);
	free(o->cpu);
	o->cpu = calloc(cpus ? (size_t)cpus : 1, sizeof(*o->cpu));
	if (!o->cpu)
		FAIL(c, at, "out of memory");
	o->ncpu = cpus;
	for (uint64_t i = 0; i < cpus; i++, pos += 20) {
		o->cpu[i].at = at + pos;
		o->cpu[i].off = fx_cursor_host(c, d + pos + 4, 8);
		o->cpu[i].size = fx_cursor_host(c, d + pos + 12, 8);
	}
	o->top = 1;
	o->fly = fx_cursor_host(c, d, 8);
	return 0;
}

static int opt_buffer(struct fx_cursor *c, struct fx_opts *o, uint64_t at, const unsigned char *d,
		      uint64_t size)
{
	uint64_t l;

	if (size < 9 || !(l = str_at(d + 8, size - 8)))
		FAIL(c, at, "buffer option: bad instance name");
	if (l > 1)
		o->lay->instances++;
	if (o->lay->version == 6)
		return 0;
	if (l == 1 && o->top)
		FAIL(c, at, "a second top-level buffer option");
	return buffer_v7(c, o, at, d, size, 8 + l, l == 1);
}

/* name, trace id (8), vcpu count (4), (cpu, pid) pairs with cpu < count */
static int opt_guest(struct fx_cursor *c, uint64_t at, const unsigned char *d, uint64_t size)
{
	uint64_t l = str_at(d, size), n;

	if (!l || size - l < 12)
		FAIL(c, at, "guest option is cut short");
	n = fx_cursor_host(c, d + l + 8, 4);
	if (n > (size - l - 12) / 8)
		FAIL(c, at, "guest option: %llu CPUs do not fit in it", (unsigned long long)n);
	for (uint64_t i = 0; i < n; i++)
		if (fx_cursor_host(c, d + l + 12 + 8 * i, 4) >= n)
			FAIL(c, at, "guest option: CPU id out of range");
	return 0;
}

/* Version 7: options that point at a section must point at one of that id. */
static int opt_section(struct fx_cursor *c, struct fx_opts *o, unsigned id, uint64_t at,
		       const unsigned char *d, uint64_t size)
{
	const struct fx_section *s;

	if (o->lay->version == 6 || size < 8)
		return 0;
	s = fx_section_at(o, fx_cursor_host(c, d, 8));
	if (!s || s->id != id)
		FAIL(c, at, "option %u points at no section of its kind", id);
	return 0;
}

int fx_check_option(struct fx_cursor *c, struct fx_opts *o, unsigned id, uint64_t at,
		    const unsigned char *d, uint64_t size)
{
	switch (id) {
	case OPT_DONE:
		if (o->lay->version == 7 && size < 8)
			FAIL(c, at, "options-end marker is cut short");
		o->next = o->lay->version == 7 ? fx_cursor_host(c, d, 8) : 0;
		return 0;
	case OPT_DATE:
	case OPT_OFFSET:
		o->lay->ts_options++;
		/* fall through */
	case OPT_TRACECLOCK:
	case OPT_UNAME:
	case OPT_VERSION:
	case OPT_PROCMAPS:
		if (!has_nul(d, size) || (id == OPT_PROCMAPS && d[size - 1]))
			FAIL(c, at, "option %u is not a terminated string", id);
		return 0;
	case OPT_CPUSTAT:
		if (!size)
			FAIL(c, at, "empty cpustat option");
		cpustat_lost(o->lay, d, size);
		return 0;
	case OPT_BUFFER:
		return opt_buffer(c, o, at, d, size);
	case OPT_BUFFER_TEXT:
		FAIL(c, at, "a latency-tracer buffer: dmascope reads flyrecord (event) traces only");
	case OPT_HOOK:
		FAIL(c, at, "hook option (trace-cmd record -H): not supported");
	case OPT_CPUCOUNT:
		if (size < 4)
			FAIL(c, at, "CPU-count option is cut short");
		o->cpus = fx_cursor_host(c, d, 4);
		if (o->cpus == 0 || o->cpus > FX_MAX_CPUS)
			FAIL(c, at, "bad CPU count %llu", (unsigned long long)o->cpus);
		return 0;
	case OPT_GUEST:
		return opt_guest(c, at, d, size);
	case OPT_TIME_SHIFT:
	case OPT_TSC2NSEC:
		o->lay->ts_options++;
		return 0;
	case OPT_HEADER_INFO:
	case OPT_FTRACE_EVENTS:
	case OPT_EVENT_FORMATS:
	case OPT_KALLSYMS:
	case OPT_PRINTK:
	case OPT_CMDLINES:
		return opt_section(c, o, id, at, d, size);
	default:
		return 0;
	}
}

/* Version 6: (id u16, size u32, payload) until id 0. */
int fx_check_options_v6(struct fx_cursor *c, struct fx_layout *lay, uint64_t *cpus)
{
	struct fx_opts o = { .lay = lay, .cpus = *cpus };

	for (;;) {
		uint64_t id, size, at = c->pos;
		unsigned char *d;
		int ret;

		if (fx_cursor_num(c, 2, &id, "option") < 0)
			return -1;
		if (id == OPT_DONE)
			break;
		if (fx_cursor_num(c, 4, &size, "option") < 0 || !(d = fx_cursor_alloc(c, size, "option")))
			return -1;
		ret = fx_check_option(c, &o, (unsigned)id, at, d, size);
		free(d);
		if (ret < 0)
			return -1;
	}
	free(o.cpu);
	*cpus = o.cpus;
	return 0;
}
