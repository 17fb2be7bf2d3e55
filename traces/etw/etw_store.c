/* SPDX-License-Identifier: MIT */
/*
 * etw_store.c - the events an ETW export loaded into: where each file
 * event is (for trace_detail), the provider's events as engine events,
 * and what is done once the whole file is read (relative timestamps,
 * inferred accesses, statistics).
 */
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "etw-local.h"

struct etw_store *etw_store_new(void)
{
	return calloc(1, sizeof(struct etw_store));
}

static int grow(void **arr, uint64_t *cap, uint64_t need, size_t size)
{
	uint64_t c = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (c > SIZE_MAX / size)
		return -1;
	p = realloc(*arr, (size_t)c * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = c;
	return 0;
}

int64_t etw_store_pos(struct etw_store *st, uint64_t off, uint32_t line, uint32_t col)
{
	struct etw_pos *p;

	if (grow((void **)&st->pos, &st->cappos, st->npos + 1, sizeof(*st->pos)) < 0)
		return -1;
	p = &st->pos[st->npos];
	p->off = off;
	p->end = 0;
	p->line = line;
	p->col = col;
	return (int64_t)st->npos++;
}

/* Events naming a device (IoCompleteRequest's engine event names none). */
static int has_dev(unsigned kind)
{
	int g = coh_kind_group(kind);

	return (g == COH_GROUP_WINDOWS && kind != COH_EV_IRP_COMPLETE) ||
	       kind == COH_EV_DEV_READ || kind == COH_EV_DEV_WRITE || kind == COH_EV_DEV_DONE;
}

int etw_store_add(struct trace *t, struct etw_store *st, const struct etw_evdef *d,
		  struct coh_event *ev)
{
	const char *dev = has_dev(ev->kind) ? trace_dev_name(t, ev->dev) : NULL;

	if (grow((void **)&st->evs, &st->capevs, st->nevs + 1, sizeof(*st->evs)) < 0 ||
	    trace_stats_kind(t, d->name, 1) < 0 || trace_stats_cpu(t, ev->cpu, 1) < 0 ||
	    (dev && (trace_stats_dev(t, dev, 1) < 0 ||
		     trace_stats_devkind(t, dev, d->name, 1) < 0))) {
		etw_event_release(ev);
		return -1;
	}
	st->evs[st->nevs++] = *ev;
	return 0;
}

int etw_store_foreign(struct trace *t, struct etw_store *st, const char *name)
{
	st->foreign++;
	return trace_stats_kind(t, name && *name ? name : "?", 1);
}

/* Timestamps come in as ns since 1601; make them ns since the first event. */
static void relative_ts(struct trace *t, struct etw_store *st)
{
	uint64_t base, prev;
	int warned = 0;

	if (!st->nevs)
		return;
	base = prev = st->evs[0].ts;
	for (uint64_t i = 0; i < st->nevs; i++) {
		struct coh_event *ev = &st->evs[i];

		if (ev->ts < prev) {
			if (!warned++)
				trace_warn(t, "line %u: time goes backwards; events keep file order "
					   "and take the time of the event before",
					   st->pos[ev->src].line);
			ev->ts = prev;
		}
		prev = ev->ts;
		ev->ts -= base;
	}
	t->stats.first_ts = st->evs[0].ts;
	t->stats.last_ts = st->evs[st->nevs - 1].ts;
}

/* Devices that have DeviceRead/DeviceWrite events of their own. */
static void mark_access(const struct etw_store *st, uint8_t *has, unsigned ndevs)
{
	for (uint64_t i = 0; i < st->nevs; i++) {
		const struct coh_event *ev = &st->evs[i];

		if ((ev->kind == COH_EV_DEV_READ || ev->kind == COH_EV_DEV_WRITE) &&
		    ev->dev < ndevs)
			has[ev->dev] = 1;
	}
}

static void infer(struct trace *t, struct etw_store *st)
{
	uint8_t infer_dev[COH_MAX_DEVS] = { 0 };
	unsigned nd = t->ndevs;

	if (t->opts.infer == TRACE_INFER_NEVER)
		return;
	if (t->opts.infer == TRACE_INFER_AUTO) {
		uint8_t has[COH_MAX_DEVS] = { 0 };

		mark_access(st, has, nd);
		for (unsigned d = 0; d < nd; d++)
			infer_dev[d] = !has[d];
	} else {
		memset(infer_dev, 1, sizeof(infer_dev));
	}
	for (uint64_t i = 0; i < st->nevs; i++) {
		struct coh_event *ev = &st->evs[i];

		if (coh_kind_group(ev->kind) == COH_GROUP_WINDOWS && has_dev(ev->kind) &&
		    ev->dev < nd && infer_dev[ev->dev])
			ev->flags |= COH_F_INFER;
	}
	for (unsigned d = 0; d < nd; d++)
		if (infer_dev[d] && t->opts.infer == TRACE_INFER_AUTO)
			trace_warn_dev(t, d, "device %s has no DeviceRead/DeviceWrite events: its CPU and "
				   "device accesses are inferred from its DMA calls", t->devs[d]);
}

void etw_store_finish(struct trace *t, struct etw_store *st)
{
	relative_ts(t, st);
	infer(t, st);
	t->stats.events = st->npos;
	t->stats.lost = st->lost;
	if (st->foreign)
		trace_warn(t, "%llu events of other providers skipped (only %s events replay)",
			   (unsigned long long)st->foreign, ETW_PROVIDER_NAME);
	if (st->lost)
		trace_warn(t, "the session lost %llu events (EventTrace header EventsLost)",
			   (unsigned long long)st->lost);
	if (!st->nevs)
		trace_warn(t, "no events of provider %s {%s}", ETW_PROVIDER_NAME,
			   ETW_PROVIDER_GUID);
}

uint64_t etw_count(struct trace *t)
{
	const struct etw_store *st = t->priv;

	return st ? st->nevs : 0;
}

int etw_get(struct trace *t, uint64_t i, struct coh_event *ev)
{
	const struct etw_store *st = t->priv;

	if (!st || i >= st->nevs)
		return -COH_E_SEEK;
	*ev = st->evs[i];
	return 0;
}

/* The events and their file positions (not what each event owns). */
size_t etw_bytes(struct trace *t)
{
	const struct etw_store *st = t->priv;

	if (!st)
		return 0;
	return sizeof(*st) + st->capevs * sizeof(*st->evs) + st->cappos * sizeof(*st->pos);
}

void etw_close(struct trace *t)
{
	struct etw_store *st = t->priv;

	if (!st)
		return;
	for (uint64_t i = 0; i < st->nevs; i++)
		etw_event_release(&st->evs[i]);
	free(st->evs);
	free(st->pos);
	for (size_t i = 0; i < st->nnames; i++)
		free(st->names[i]);
	free(st->names);
	free(st);
	t->priv = NULL;
}
