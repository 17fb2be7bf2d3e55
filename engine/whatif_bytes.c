/* SPDX-License-Identifier: MIT */
/*
 * whatif_bytes.c - the bytes that differ between the recorded and the
 * edited run at one position: memory, caches, bounce slots and map
 * buffers, controller and posted-write buffers.
 *
 * A byte is the same in both runs when the same recorded event wrote it:
 * the edited run's versions (its own positions) are translated through the
 * edit list first, so an inserted event, which shifts every later position
 * by one, does not make every later byte differ.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "coh_sim_dma.h"
#include "mem.h"
#include "whatif-local.h"

#define INSERTED_VER 0x80000000u     /* versions written by an inserted event */
#define BUF_MAX      (1u << 20)      /* bytes of one mapping compared at most */

struct bdiff {
	struct coh_whatif *w;
	const struct coh_sim *a, *b; /* recorded, edited */
	struct coh_byte_diff *out;
	size_t max;
	long n;                      /* runs found */
	bool open;                   /* cur is being extended */
	struct coh_byte_diff cur;
};

/* The recorded version of edited version @v. */
static uint32_t translate(struct bdiff *d, uint32_t v)
{
	struct whatif_item it;

	if (!v)
		return 0;
	coh_whatif_plan_item(coh_whatif_plan_of(d->w), v - 1, &it);
	if (it.inserted && it.inserted->op != COH_EDIT_MOVE)
		return INSERTED_VER | (v & 0x7fffffffu);
	return (uint32_t)((it.inserted ? it.inserted->at : it.rec) + 1);
}

static void flush_run(struct bdiff *d)
{
	if (d->open && (size_t)d->n < d->max)
		d->out[d->n] = d->cur;
	if (d->open)
		d->n++;
	d->open = false;
}

/* One differing byte; extends the current run when it continues it. */
static void add_byte(struct bdiff *d, const struct coh_byte_diff *where, uint64_t addr,
		     uint8_t va, uint32_t vera, uint8_t vb, uint32_t verb)
{
	struct coh_byte_diff *c = &d->cur;
	uint64_t k;

	if (!d->open || c->where != where->where || c->unit != where->unit ||
	    c->in_a != where->in_a || c->in_b != where->in_b || addr != c->addr + c->len) {
		flush_run(d);
		*c = *where;
		c->addr = addr;
		c->len = 0;
		d->open = true;
	}
	k = c->len++;
	if (k < COH_EVIDENCE) {
		c->a[k] = va;
		c->a_ver[k] = vera;
		c->b[k] = vb;
		c->b_ver[k] = verb;
	}
}

/* ---- memory ---------------------------------------------------------------- */

static int page_diff(void *ctx, uint64_t pfn)
{
	struct bdiff *d = ctx;
	struct coh_byte_diff where = { .where = COH_DIFF_MEM, .in_a = 1, .in_b = 1 };
	uint8_t ba[PG_SIZE], bb[PG_SIZE];
	uint32_t va[PG_SIZE], vb[PG_SIZE];
	uint64_t base = pfn << PG_SHIFT;

	if (coh_sim_mem_read(d->a, base, PG_SIZE, ba, va) < 0 ||
	    coh_sim_mem_read(d->b, base, PG_SIZE, bb, vb) < 0)
		return 0;
	for (unsigned i = 0; i < PG_SIZE; i++)
		if (va[i] != translate(d, vb[i]))
			add_byte(d, &where, base + i, ba[i], va[i], bb[i], vb[i]);
		else
			flush_run(d);
	flush_run(d);
	return 0;
}

/* ---- caches ---------------------------------------------------------------- */

/* Line @addr of @cpu in @s: 1 with its bytes and versions when cached. */
static int line_of(const struct coh_sim *s, unsigned cpu, uint64_t addr, uint8_t *bytes,
		   uint32_t *vers)
{
	unsigned set, way;
	struct coh_line_view v;

	if (coh_sim_cache_lookup(s, cpu, addr, &set, &way) != 1)
		return 0;
	return coh_sim_cache_line(s, cpu, set, way, &v, bytes, vers, NULL) == 0 &&
	       v.state != COH_LINE_INVALID;
}

static void line_diff(struct bdiff *d, unsigned cpu, uint64_t addr, bool b_side_only)
{
	uint32_t L = coh_sim_platform(d->a)->line;
	uint8_t ba[COH_LINE_MAX] = { 0 }, bb[COH_LINE_MAX] = { 0 };
	uint32_t va[COH_LINE_MAX] = { 0 }, vb[COH_LINE_MAX] = { 0 };
	int in_a = line_of(d->a, cpu, addr, ba, va), in_b = line_of(d->b, cpu, addr, bb, vb);
	struct coh_byte_diff where = { .where = COH_DIFF_CACHE, .unit = (uint16_t)cpu,
				       .in_a = (uint8_t)in_a, .in_b = (uint8_t)in_b };

	if (b_side_only && in_a)
		return;                      /* seen from the recorded side */
	for (uint32_t i = 0; i < L; i++)
		if (in_a != in_b || va[i] != translate(d, vb[i]))
			add_byte(d, &where, addr + i, ba[i], va[i], bb[i], vb[i]);
		else
			flush_run(d);
	flush_run(d);
}

static void caches_diff(struct bdiff *d, const struct coh_sim *s, bool b_side)
{
	const struct coh_platform *p = coh_sim_platform(s);

	for (unsigned cpu = 0; cpu < p->ncpus; cpu++)
		for (unsigned set = 0; set < p->sets; set++)
			for (unsigned way = 0; way < p->ways; way++) {
				struct coh_line_view v;

				if (coh_sim_cache_line(s, cpu, set, way, &v, NULL, NULL,
						       NULL) == 0 &&
				    v.state != COH_LINE_INVALID)
					line_diff(d, cpu, v.addr, b_side);
			}
}

/* ---- bounce slots and map buffers --------------------------------------------- */

/* Versions by offset of the i-th mapping's slots or map buffers, or NULL. */
static uint32_t *buf_versions(const struct coh_sim *s, size_t i, uint64_t len)
{
	long n = coh_sim_bounce_slots(s, i, NULL, 0);
	struct coh_buf_run *r;
	uint32_t *v;
	bool win = n < 0;

	if (win)
		n = coh_sim_map_buffers(s, i, NULL, 0);
	if (n <= 0 || !(r = malloc((size_t)n * sizeof(*r))))
		return NULL;
	n = win ? coh_sim_map_buffers(s, i, r, (size_t)n) : coh_sim_bounce_slots(s, i, r, (size_t)n);
	v = calloc(len ? len : 1, sizeof(*v));
	for (long k = 0; v && k < n; k++)
		for (uint64_t o = r[k].off; o < r[k].off + r[k].len && o < len; o++)
			v[o] = r[k].ver;
	free(r);
	return v;
}

static bool same_mapping(const struct coh_map_view *x, const struct coh_map_view *y)
{
	return x->kind == y->kind && x->dev == y->dev && x->addr == y->addr &&
	       x->bus == y->bus && x->len == y->len;
}

/* The mapping of @s like @m, or -1. */
static long find_mapping(const struct coh_sim *s, const struct coh_map_view *m)
{
	for (size_t i = 0; i < coh_sim_nmappings(s); i++) {
		struct coh_map_view v;

		if (coh_sim_mapping(s, i, &v, NULL, 0) == 0 && same_mapping(&v, m))
			return (long)i;
	}
	return -1;
}

static void buf_diff(struct bdiff *d, const struct coh_map_view *m, const uint32_t *va,
		     const uint32_t *vb)
{
	struct coh_byte_diff where = { .where = COH_DIFF_BOUNCE, .unit = (uint16_t)m->dev,
				       .in_a = va != NULL, .in_b = vb != NULL };
	uint64_t len = m->len < BUF_MAX ? m->len : BUF_MAX;

	for (uint64_t o = 0; o < len; o++) {
		uint32_t x = va ? va[o] : 0, y = vb ? vb[o] : 0;

		if (!va || !vb || x != translate(d, y))
			add_byte(d, &where, m->bus + o, 0, x, 0, y);
		else
			flush_run(d);
	}
	flush_run(d);
}

/* Bounced mappings of @s (the recorded side, or with @b_side the edited
 * side's mappings the recorded run lacks). */
static void bufs_diff(struct bdiff *d, bool b_side)
{
	const struct coh_sim *s = b_side ? d->b : d->a, *o = b_side ? d->a : d->b;

	for (size_t i = 0; i < coh_sim_nmappings(s); i++) {
		struct coh_map_view m;
		long j;
		uint32_t *vs, *vo = NULL;

		if (coh_sim_mapping(s, i, &m, NULL, 0) < 0 || !m.bounced)
			continue;
		j = find_mapping(o, &m);
		if (b_side && j >= 0)
			continue;
		vs = buf_versions(s, i, m.len < BUF_MAX ? m.len : BUF_MAX);
		if (j >= 0)
			vo = buf_versions(o, (size_t)j, m.len < BUF_MAX ? m.len : BUF_MAX);
		buf_diff(d, &m, b_side ? vo : vs, b_side ? vs : vo);
		free(vs);
		free(vo);
	}
}

/* ---- controllers and posted writes ---------------------------------------------- */

static void held_diff(struct bdiff *d, unsigned dev, uint8_t where_kind)
{
	struct coh_held_byte *ha = malloc(COH_CTRL_MAX * sizeof(*ha));
	struct coh_held_byte *hb = malloc(COH_CTRL_MAX * sizeof(*hb));
	long na, nb;
	struct coh_byte_diff where = { .where = where_kind, .unit = (uint16_t)dev,
				       .in_a = 1, .in_b = 1 };

	if (!ha || !hb)
		goto out;
	if (where_kind == COH_DIFF_CTRL) {
		na = coh_sim_ctrl_view(d->a, dev, ha, COH_CTRL_MAX, NULL);
		nb = coh_sim_ctrl_view(d->b, dev, hb, COH_CTRL_MAX, NULL);
	} else {
		na = coh_sim_posted_view(d->a, dev, ha, COH_POSTED_MAX);
		nb = coh_sim_posted_view(d->b, dev, hb, COH_POSTED_MAX);
	}
	na = na < 0 ? 0 : na > COH_CTRL_MAX ? COH_CTRL_MAX : na;
	nb = nb < 0 ? 0 : nb > COH_CTRL_MAX ? COH_CTRL_MAX : nb;
	for (long i = 0; i < (na > nb ? na : nb); i++) {
		const struct coh_held_byte *x = i < na ? &ha[i] : NULL, *y = i < nb ? &hb[i] : NULL;

		where.in_a = x != NULL;
		where.in_b = y != NULL;
		if (x && y && x->addr == y->addr && x->ver == translate(d, y->ver))
			flush_run(d);
		else
			add_byte(d, &where, x ? x->addr : y->addr, x ? x->value : 0,
				 x ? x->ver : 0, y ? y->value : 0, y ? y->ver : 0);
	}
	flush_run(d);
out:
	free(ha);
	free(hb);
}

static void devs_diff(struct bdiff *d)
{
	const struct coh_platform *pa = coh_sim_platform(d->a), *pb = coh_sim_platform(d->b);
	unsigned n = pa->ndevs < pb->ndevs ? pa->ndevs : pb->ndevs;

	for (unsigned dev = 0; dev < n; dev++) {
		held_diff(d, dev, COH_DIFF_CTRL);
		held_diff(d, dev, COH_DIFF_POSTED);
	}
}

long coh_whatif_bytes(struct coh_whatif *w, uint64_t rec_pos, struct coh_byte_diff *out,
		      size_t max)
{
	struct bdiff d = { .w = w, .out = out, .max = max };
	struct coh_timeline *etl = coh_whatif_timeline(w, NULL);
	uint64_t epos = rec_pos ? coh_whatif_to_edited(w, rec_pos - 1) + 1 : 0;
	struct coh_sim *a = NULL, *b = NULL;
	int err = -COH_E_NOMEM;

	if (etl && (a = coh_timeline_state_at(coh_whatif_recorded(w), rec_pos, &err)) &&
	    (b = coh_timeline_state_at(etl, epos, &err))) {
		d.a = a;
		d.b = b;
		coh_vm_diff(a, b, page_diff, &d);
		caches_diff(&d, a, false);
		caches_diff(&d, b, true);
		bufs_diff(&d, false);
		bufs_diff(&d, true);
		devs_diff(&d);
		err = 0;
	}
	coh_sim_free(a);
	coh_sim_free(b);
	return err < 0 ? err : d.n;
}
