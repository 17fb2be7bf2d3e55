/* SPDX-License-Identifier: MIT */
/*
 * scope.c - sequence scopes (dmt "seq" begin/end) and the leaks (DC012) their
 * end and the end of the trace report.
 */
#include <stdio.h>
#include <string.h>

#include "finding-local.h"
#include "map.h"
#include "scope.h"
#include "sim-local.h"

static bool leaks(const struct mapping *m)
{
	return m->kind == COH_MAP_STREAM || m->kind == COH_MAP_SG ||
	       m->kind == COH_MAP_TRANSFER || m->kind == COH_MAP_WIN_SG;
}

/* DC012 for live mappings made in scope @id (0: any) by a device in @devs
 * (NULL: any), reported at their map call. */
int coh_leak_check(struct coh_sim *s, uint32_t id, const uint64_t *devs)
{
	for (uint32_t i = 0; i < s->maps.n; i++) {
		struct mapping *m = s->maps.v[i];
		struct new_finding f;
		int err;

		if (!leaks(m) || (m->flags & MF_LEAKED) || (id && m->scope != id) ||
		    (devs && !(devs[m->dev / 64] & (1ull << (m->dev % 64)))))
			continue;
		f = (struct new_finding){
			.id = COH_DC012, .rule = COH_R_LEAK, .dev = m->dev, .cpu = -1,
			.addr = m->segs[0].phys, .len = m->len, .bus = m->segs[0].bus,
			.other_seq = s->seq, .omitted = COH_EV_DMA_UNMAP, .at_map = true,
			.at_seq = m->made_seq, .at_src = m->made_src, .at_ts = m->made_ts,
		};
		if (m->kind == COH_MAP_TRANSFER || m->kind == COH_MAP_WIN_SG)
			f.omitted = m->kind == COH_MAP_WIN_SG ? COH_EV_PUT_SG : COH_EV_FREE_MAP_REGS;
		if ((err = coh_finding_add(s, &f, NULL)) < 0)
			return err;
		if (!(m = coh_map_rw(s, m)))
			return -COH_E_NOMEM;
		m->flags |= MF_LEAKED;
	}
	return 0;
}

static int scope_end(struct coh_sim *s, const struct coh_event *ev)
{
	uint32_t i = s->nscopes;
	const char *name = ev->text ? ev->text : "";
	struct scope sc;

	while (i > 0 && strncmp(s->scopes[i - 1].name, name, SCOPE_NAME - 1) != 0)
		i--;
	if (!i)
		return 0;                       /* no such scope is open */
	sc = s->scopes[i - 1];
	s->nscopes = i - 1;                     /* unclosed inner scopes end too */
	return coh_leak_check(s, sc.id, sc.devs);
}

/**
 * coh_scope_apply - apply a scope event: open or end a sequence, or end the
 * trace (DC012 for whatever is still mapped)
 *
 * Return: 0, or a negative COH_E_* code.
 */
int coh_scope_apply(struct coh_sim *s, const struct coh_event *ev)
{
	struct scope *sc;

	switch (ev->kind) {
	case COH_EV_SCOPE_BEGIN:
		if (ev->scope != COH_SCOPE_SEQ)
			return 0;                   /* phases and runs are no scope */
		if (s->nscopes == MAX_SCOPES)
			memmove(s->scopes, s->scopes + 1, (MAX_SCOPES - 1) * sizeof(*sc));
		else
			s->nscopes++;
		sc = &s->scopes[s->nscopes - 1];
		memset(sc, 0, sizeof(*sc));
		sc->id = ++s->next_scope;
		snprintf(sc->name, sizeof(sc->name), "%s", ev->text ? ev->text : "");
		return 0;
	case COH_EV_SCOPE_END:
		return ev->scope == COH_SCOPE_SEQ ? scope_end(s, ev) : 0;
	case COH_EV_TRACE_END:
		return coh_leak_check(s, 0, NULL);
	default:
		return 0;
	}
}

/* An explicit device access names its device in every open sequence. */
void coh_scope_note_device(struct coh_sim *s, unsigned dev)
{
	for (uint32_t i = 0; i < s->nscopes; i++)
		s->scopes[i].devs[dev / 64] |= 1ull << (dev % 64);
}
