/* SPDX-License-Identifier: MIT */
/*
 * trace_platform.c - the platform a trace is replayed on: the preset the
 * caller asks for, else the one the file names, else the default for the
 * API the file was recorded from (Linux or Windows); then the trace's
 * devices in its table, at the indices the events use.
 */
#include <stdio.h>

#include "trace-local.h"

const char *trace_default_platform(enum trace_format f)
{
	return f == TRACE_FMT_ETW_CSV || f == TRACE_FMT_ETW_XML ? TRACE_DEFAULT_WINDOWS :
	       TRACE_DEFAULT_LINUX;
}

int trace_names_platform(const struct trace *t)
{
	return t->has_platform;
}

static void mark_done_devices(const struct trace *t, struct coh_platform *p)
{
	trace_scan((struct trace *)t);       /* trace_get only moves its scratch */
	for (unsigned d = 0; d < p->ndevs && d < COH_MAX_DEVS; d++)
		if (t->done[d])
			p->devs[d].signals_done = 1;
}

static int too_many_devices(const struct trace *t, char *err, size_t n)
{
	snprintf(err, n, "%s: more than %d devices", t->path, COH_MAX_DEVS);
	return -1;
}

/* The preset asked for, else the file's own platform, else the default of
 * its API; a preset keeps the file's devices, which presets do not decide. */
static int base_platform(const struct trace *t, const char *preset, struct coh_platform *p,
			 char *err, size_t n)
{
	const char *name = preset ? preset : trace_default_platform(t->ops->format);

	if (!preset && t->has_platform) {
		*p = t->platform;
		return 0;
	}
	if (coh_platform_preset(name, p) < 0) {
		snprintf(err, n, "unknown platform preset '%s'", name);
		return -1;
	}
	for (unsigned i = 0; t->has_platform && i < t->platform.ndevs; i++)
		if (coh_platform_add_dev(p, t->platform.devs[i].name) < 0)
			return too_many_devices(t, err, n);
	return 0;
}

/* The trace's devices into @p's table, at the indices its events use. */
static int add_devices(const struct trace *t, struct coh_platform *p, char *err, size_t n)
{
	for (unsigned i = 0; i < t->ndevs; i++) {
		int k = coh_platform_add_dev(p, t->devs[i]);

		if (k < 0)
			return too_many_devices(t, err, n);
		if ((unsigned)k != i) {
			snprintf(err, n, "%s: device table of the file and its platform disagree "
				 "at device %u (%s)", t->path, i, t->devs[i]);
			return -1;
		}
	}
	return 0;
}

int trace_platform(const struct trace *t, const char *preset, struct coh_platform *p,
		   char *err, size_t n)
{
	if (base_platform(t, preset, p, err, n) < 0 || add_devices(t, p, err, n) < 0)
		return -1;
	/* devices whose transfers end with dev_done events get DC005 checks
	 * from their first transfer on */
	mark_done_devices(t, p);
	/* a trace recorded on more CPUs than the preset has gets them all */
	if (t->nsimcpus > p->ncpus)
		p->ncpus = t->nsimcpus;
	return coh_platform_check(p, err, n) < 0 ? -1 : 0;
}
