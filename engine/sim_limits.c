/* SPDX-License-Identifier: MIT */
/*
 * sim_limits.c - the bounds of one simulation: memory touched, bytes under
 * live mappings, bytes per event.  The defaults are the engine's own
 * bounds; a sandbox (a lesson, a what-if explorer) may set smaller ones.
 */
#include <stdio.h>

#include "map.h"
#include "mem.h"
#include "sim-local.h"
#include "sim_limits.h"

#define PAGE_BYTES 4096ull

static const char mem_bound[] = "of simulated memory touched";
static const char mapped_bound[] = "covered by live mappings";

void coh_limits_init(struct coh_sim_limits *l)
{
	l->mem_bytes = MAX_PAGES * PAGE_BYTES;
	l->mapped_bytes = MAX_MAPPED_BYTES;
	l->event_bytes = 0;
}

void coh_sim_default_limits(struct coh_sim_limits *out)
{
	coh_limits_init(out);
}

int coh_sim_set_limits(struct coh_sim *s, const struct coh_sim_limits *l)
{
	struct coh_sim_limits d;

	coh_limits_init(&d);
	if (l->mem_bytes > d.mem_bytes || l->mapped_bytes > d.mapped_bytes)
		return -COH_E_INVAL;
	s->lim.mem_bytes = l->mem_bytes ? l->mem_bytes : d.mem_bytes;
	s->lim.mapped_bytes = l->mapped_bytes ? l->mapped_bytes : d.mapped_bytes;
	s->lim.event_bytes = l->event_bytes;
	return 0;
}

void coh_sim_get_limits(const struct coh_sim *s, struct coh_sim_limits *out)
{
	*out = s->lim;
}

/* May a simulation holding @npages pages take one more? */
bool coh_limit_mem_reached(struct coh_sim *s, uint64_t npages)
{
	if (npages < s->lim.mem_bytes / PAGE_BYTES)
		return false;
	s->limit = mem_bound;
	return true;
}

/* Would live mappings covering @mapped bytes exceed the bound? */
bool coh_limit_mapped_reached(struct coh_sim *s, uint64_t mapped)
{
	if (mapped <= s->lim.mapped_bytes)
		return false;
	s->limit = mapped_bound;
	return true;
}

static uint64_t event_bytes(const struct coh_event *ev)
{
	uint64_t n = ev->len;

	for (uint32_t i = 0; ev->segs && i < ev->nsegs; i++)
		n += ev->segs[i].len;
	return n;
}

/* An event longer than the per-event bound: -COH_E_TOOBIG with @msg filled in. */
int coh_limit_event_check(const struct coh_sim *s, const struct coh_event *ev, char *msg,
			  size_t n)
{
	uint64_t len = event_bytes(ev);

	if (!s->lim.event_bytes || len <= s->lim.event_bytes)
		return 0;
	snprintf(msg, n, "%s of %llu bytes (this simulation allows at most %llu per event)",
		 coh_kind_name(ev->kind), (unsigned long long)len,
		 (unsigned long long)s->lim.event_bytes);
	return -COH_E_TOOBIG;
}

static void size_text(uint64_t v, char *buf, size_t n)
{
	static const char *const unit[] = { "GiB", "MiB", "KiB" };

	for (int k = 0; k < 3; k++) {
		uint64_t u = 1ull << (30 - 10 * k);

		if (v >= u && v % u == 0) {
			snprintf(buf, n, "%llu %s", (unsigned long long)(v / u), unit[k]);
			return;
		}
	}
	snprintf(buf, n, "%llu bytes", (unsigned long long)v);
}

/* The bound that stopped the last event, as "16 GiB of simulated memory touched". */
void coh_limit_describe(const struct coh_sim *s, char *buf, size_t n)
{
	char size[32];

	size_text(s->limit == mem_bound ? s->lim.mem_bytes : s->lim.mapped_bytes, size,
		  sizeof(size));
	snprintf(buf, n, "%s %s", size, s->limit ? s->limit : "?");
}
