/* SPDX-License-Identifier: MIT */
/*
 * map.c - live mappings, allocations and transfers, and their indexes.
 *
 * A mapping is one object per map call (streaming, sg, coherent allocation,
 * Windows transfer...) with one or more segments, each with a physical and
 * a device-side range.  Two sorted indexes find segments by (device, bus
 * address) and by physical address.  Mapping objects are shared between
 * clones and copied before a clone changes one (coh_map_rw).  Pages touched by
 * a mapping's granule-widened range count it (page.nmap), so CPU accesses
 * far from any mapping skip all of this.
 */
#include <string.h>

#include "map.h"
#include "mem.h"
#include "scope.h"
#include "sim-local.h"
#include "varr.h"
#include "sim_limits.h"

/* ---- objects ------------------------------------------------------------- */

static void map_release(struct coh_heap *h, struct mapping *m)
{
	coh_varr_fini(h, &m->own);
	coh_varr_fini(h, &m->devw);
	coh_varr_fini(h, &m->slot);
	coh_heap_free(h, m->segs, m->nsegs * sizeof(*m->segs));
	coh_heap_free(h, m, sizeof(*m));
}

void coh_map_unref(struct coh_heap *h, struct mapping *m)
{
	if (m && !ref_put(&m->refs))
		map_release(h, m);
}

struct mapping *coh_map_new(struct coh_sim *s, unsigned kind, unsigned dev, unsigned dir,
			const struct coh_seg *segs, uint32_t nsegs, uint32_t flags)
{
	struct mapping *m = coh_heap_zalloc(s->heap, sizeof(*m));
	uint64_t off = 0;
	int err;

	if (!m)
		return NULL;
	ref_init(&m->refs, 1);
	m->id = ++s->next_map;
	m->dev = (uint16_t)dev;
	m->kind = (uint8_t)kind;
	m->dir = (uint8_t)dir;
	m->flags = flags & (MF_BOUNCED | MF_CACHED | MF_OWNED | MF_WTD);
	m->last_flush = -1;
	m->handle = COH_ADDR_NONE;
	m->made_seq = s->seq;
	m->made_src = s->ev->src;
	m->made_ts = s->ev->ts;
	m->last_maint = COH_EV_NONE;
	m->scope = s->nscopes ? s->scopes[s->nscopes - 1].id : 0;
	m->segs = coh_heap_alloc(s->heap, nsegs * sizeof(*m->segs));
	m->nsegs = nsegs;
	if (!m->segs) {
		coh_heap_free(s->heap, m, sizeof(*m));
		return NULL;
	}
	for (uint32_t i = 0; i < nsegs; i++) {
		m->segs[i].phys = segs[i].addr;
		m->segs[i].bus = segs[i].bus;
		m->segs[i].len = segs[i].len;
		m->segs[i].off = off;
		off += segs[i].len;
	}
	m->len = off;
	err = coh_varr_init(s->heap, &m->devw, m->len);
	if (!err && (m->flags & MF_OWNED))
		err = coh_varr_init(s->heap, &m->own, m->len);
	if (!err && (m->flags & MF_BOUNCED))
		err = coh_varr_init(s->heap, &m->slot, m->len);
	if (err) {
		map_release(s->heap, m);
		return NULL;
	}
	return m;
}

static struct mapping *map_dup(struct coh_sim *s, const struct mapping *o)
{
	struct mapping *m = coh_heap_alloc(s->heap, sizeof(*m));
	int err = 0;

	if (!m)
		return NULL;
	*m = *o;
	ref_init(&m->refs, 1);
	memset(&m->own, 0, sizeof(m->own));
	memset(&m->devw, 0, sizeof(m->devw));
	memset(&m->slot, 0, sizeof(m->slot));
	m->segs = coh_heap_alloc(s->heap, o->nsegs * sizeof(*m->segs));
	if (!m->segs) {
		coh_heap_free(s->heap, m, sizeof(*m));
		return NULL;
	}
	memcpy(m->segs, o->segs, o->nsegs * sizeof(*m->segs));
	err = coh_varr_copy(s->heap, &m->devw, &o->devw);
	if (!err && (o->flags & MF_OWNED))
		err = coh_varr_copy(s->heap, &m->own, &o->own);
	if (!err && (o->flags & MF_BOUNCED))
		err = coh_varr_copy(s->heap, &m->slot, &o->slot);
	if (err) {
		map_release(s->heap, m);
		return NULL;
	}
	return m;
}

/* ---- sorted indexes ------------------------------------------------------ */

static int map_entry_cmp(const struct map_entry *a, uint16_t dev, uint64_t start)
{
	if (a->dev != dev)
		return a->dev < dev ? -1 : 1;
	return a->start < start ? -1 : a->start > start;
}

/* First index whose (dev, start) >= (dev, start). */
static uint32_t lower(const struct map_entry *v, uint32_t n, uint16_t dev, uint64_t start)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (map_entry_cmp(&v[mid], dev, start) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* An index is a sorted array with room at both ends: an entry goes in or
 * out by moving the shorter side (entries come and go all over it). */
struct idx {
	struct map_entry **v;        /* first entry */
	uint32_t *n, *cap;           /* entries; the allocation's size */
	uint32_t *off;               /* free entries before the first */
};

/* Full (no room at either end): twice the room. */
static int idx_grow(struct coh_sim *s, const struct idx *x)
{
	uint32_t nc = *x->cap ? 2 * *x->cap : 64;
	struct map_entry *nv = coh_heap_alloc(s->heap, nc * sizeof(*nv));

	if (!nv)
		return -COH_E_NOMEM;
	if (*x->n)
		memcpy(nv, *x->v, *x->n * sizeof(*nv));
	coh_heap_free(s->heap, *x->v, *x->cap * sizeof(*nv));   /* off is 0 when full */
	*x->v = nv;
	*x->cap = nc;
	*x->off = 0;
	return 0;
}

static int idx_insert(struct coh_sim *s, const struct idx *x, const struct map_entry *e)
{
	uint32_t at, n = *x->n;
	struct map_entry *v;
	int err;

	if (*x->off == 0 && *x->off + n == *x->cap && (err = idx_grow(s, x)) < 0)
		return err;
	v = *x->v;
	at = lower(v, n, e->dev, e->start);
	if (*x->off && (at < n - at || *x->off + n == *x->cap)) {
		memmove(v - 1, v, at * sizeof(*v));    /* the front moves down */
		*x->v = --v;
		(*x->off)--;
	} else {
		memmove(v + at + 1, v + at, (n - at) * sizeof(*v));
	}
	v[at] = *e;
	(*x->n)++;
	return 0;
}

static void idx_remove(const struct idx *x, const struct mapping *m, uint32_t seg, uint16_t dev,
		       uint64_t start)
{
	struct map_entry *v = *x->v;
	uint32_t n = *x->n;

	for (uint32_t i = lower(v, n, dev, start); i < n && v[i].start == start; i++) {
		if (v[i].m == m && v[i].seg == seg) {
			if (i < n - i - 1) {           /* the front moves up */
				memmove(v + 1, v, i * sizeof(*v));
				*x->v = v + 1;
				(*x->off)++;
			} else {
				memmove(v + i, v + i + 1, (n - i - 1) * sizeof(*v));
			}
			(*x->n)--;
			return;
		}
	}
}

static void idx_repoint(struct map_entry *v, uint32_t n, uint16_t dev, uint64_t start,
			const struct mapping *old, struct mapping *m)
{
	for (uint32_t i = lower(v, n, dev, start); i < n && v[i].start == start; i++)
		if (v[i].m == old)
			v[i].m = m;
}

uint64_t coh_map_widen_lo(const struct coh_sim *s, uint64_t a)
{
	return a & ~((uint64_t)s->granule - 1);
}

/* Length of [addr, addr + n) widened to whole granules (saturating at 2^64). */
uint64_t coh_map_widen_len(const struct coh_sim *s, uint64_t addr, uint64_t n)
{
	uint64_t lo = coh_map_widen_lo(s, addr);
	uint64_t last = (addr + n - 1) | ((uint64_t)s->granule - 1);

	return last - lo + 1 ? last - lo + 1 : UINT64_MAX;
}

static int count_pages(struct coh_sim *s, const struct mapping *m, int delta)
{
	for (uint32_t i = 0; i < m->nsegs; i++) {
		const struct map_segment *g = &m->segs[i];
		uint64_t lo, hi;
		int err;

		if (g->phys == COH_ADDR_NONE || !g->len)
			continue;
		lo = coh_map_widen_lo(s, g->phys);
		hi = coh_map_widen_len(s, g->phys, g->len);
		err = coh_mem_count(s, lo, hi, MEM_NMAP, delta);
		if (!err && !(m->flags & MF_CACHED))
			err = coh_mem_count(s, g->phys, g->len, MEM_NUNC, delta);
		if (err < 0)
			return err;
	}
	return 0;
}

/* The index entry of segment @seg of @m: by bus address (with its device),
 * or by physical address (@phys). */
struct map_entry coh_map_entry(struct mapping *m, uint32_t seg, bool phys)
{
	const struct map_segment *g = &m->segs[seg];
	uint64_t start = phys ? g->phys : g->bus;

	return (struct map_entry){ start, start + g->len, m, seg, phys ? 0 : m->dev };
}

/* The place of @m in @t->v[] (sorted by id), or UINT32_MAX. */
uint32_t coh_map_place(const struct map_table *t, const struct mapping *m)
{
	uint32_t lo = 0, hi = t->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (t->v[mid]->id < m->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->v[lo] == m ? lo : UINT32_MAX;
}

int coh_map_insert(struct coh_sim *s, struct mapping *m)
{
	struct map_table *t = &s->maps;
	int err;

	if (coh_limit_mapped_reached(s, t->bytes + m->len)) {
		coh_map_unref(s->heap, m);
		return -COH_E_TOOBIG;
	}
	t->bytes += m->len;

	if (t->n == t->cap) {
		uint32_t nc = t->cap ? 2 * t->cap : 64;
		struct mapping **nv = coh_heap_alloc(s->heap, nc * sizeof(*nv));

		if (!nv)
			return -COH_E_NOMEM;
		if (t->n)
			memcpy(nv, t->v, t->n * sizeof(*nv));
		coh_heap_free(s->heap, t->v, t->cap * sizeof(*nv));
		t->v = nv;
		t->cap = nc;
	}
	t->v[t->n++] = m;
	for (uint32_t i = 0; i < m->nsegs; i++) {
		const struct map_segment *g = &m->segs[i];
		struct map_entry e;

		if (g->bus != COH_ADDR_NONE) {
			e = coh_map_entry(m, i, false);
			if ((err = idx_insert(s, &(struct idx){ &t->bus, &t->nbus, &t->capbus,
								&t->offbus }, &e)) < 0)
				return err;
		}
		if (g->phys != COH_ADDR_NONE) {
			e = coh_map_entry(m, i, true);
			t->maxlen = MAX(t->maxlen, g->len);
			if ((err = idx_insert(s, &(struct idx){ &t->phys, &t->nphys, &t->capphys,
								&t->offphys }, &e)) < 0)
				return err;
		}
	}
	return count_pages(s, m, +1);
}

int coh_map_remove(struct coh_sim *s, struct mapping *m)
{
	struct map_table *t = &s->maps;
	uint32_t lo = coh_map_place(t, m);
	int err;

	if (lo == UINT32_MAX)
		return -COH_E_INVAL;
	memmove(t->v + lo, t->v + lo + 1, (t->n - lo - 1) * sizeof(*t->v));
	t->n--;
	t->bytes -= m->len;
	if (m->nsegs && m->segs[0].phys != COH_ADDR_NONE) {
		s->ended[s->ended_next] = (struct ended){ m->segs[0].phys, m->segs[0].len, m->dev,
							  m->kind };
		s->ended_next = (s->ended_next + 1) % ENDED_RING;
	}
	for (uint32_t i = 0; i < m->nsegs; i++) {
		const struct map_segment *g = &m->segs[i];

		if (g->bus != COH_ADDR_NONE)
			idx_remove(&(struct idx){ &t->bus, &t->nbus, &t->capbus, &t->offbus },
				   m, i, m->dev, g->bus);
		if (g->phys != COH_ADDR_NONE)
			idx_remove(&(struct idx){ &t->phys, &t->nphys, &t->capphys, &t->offphys },
				   m, i, 0, g->phys);
	}
	err = count_pages(s, m, -1);
	coh_map_unref(s->heap, m);
	return err;
}

/* A private copy of @m, replacing it in the table and the indexes. */
struct mapping *coh_map_rw(struct coh_sim *s, struct mapping *m)
{
	struct map_table *t = &s->maps;
	struct mapping *c;

	if (ref_count(&m->refs) == 1)
		return m;
	c = map_dup(s, m);
	if (!c)
		return NULL;
	for (uint32_t i = 0; i < t->n; i++)
		if (t->v[i] == m)
			t->v[i] = c;
	for (uint32_t i = 0; i < m->nsegs; i++) {
		const struct map_segment *g = &m->segs[i];

		if (g->bus != COH_ADDR_NONE)
			idx_repoint(t->bus, t->nbus, m->dev, g->bus, m, c);
		if (g->phys != COH_ADDR_NONE)
			idx_repoint(t->phys, t->nphys, 0, g->phys, m, c);
	}
	ref_put(&m->refs);
	return c;
}

/* ---- lookups ------------------------------------------------------------- */

struct mapping *coh_map_by_bus(const struct coh_sim *s, unsigned dev, uint64_t bus, uint32_t *seg)
{
	const struct map_table *t = &s->maps;
	uint32_t i = lower(t->bus, t->nbus, (uint16_t)dev, bus);

	/* an entry starting at bus, else the newest of those starting before it */
	if (i < t->nbus && t->bus[i].dev == dev && t->bus[i].start == bus) {
		while (i + 1 < t->nbus && t->bus[i + 1].dev == dev && t->bus[i + 1].start == bus)
			i++;
		*seg = t->bus[i].seg;
		return t->bus[i].m;
	}
	for (uint32_t k = 0; i > 0 && k < 16; k++) {
		const struct map_entry *e = &t->bus[--i];

		if (e->dev != dev)
			break;
		if (bus < e->end) {
			*seg = e->seg;
			return e->m;
		}
	}
	return NULL;
}

/* Start of the first segment of @dev beginning after @bus, or UINT64_MAX. */
uint64_t coh_map_next_bus(const struct coh_sim *s, unsigned dev, uint64_t bus)
{
	const struct map_table *t = &s->maps;
	uint32_t i = lower(t->bus, t->nbus, (uint16_t)dev, bus + 1);

	if (bus == UINT64_MAX || i >= t->nbus || t->bus[i].dev != dev)
		return UINT64_MAX;
	return t->bus[i].start;
}

struct mapping *coh_map_by_start(const struct coh_sim *s, unsigned dev, uint64_t bus)
{
	uint32_t seg;
	struct mapping *m = coh_map_by_bus(s, dev, bus, &seg);

	return m && seg == 0 && m->segs[0].bus == bus ? m : NULL;
}

struct mapping *coh_map_by_phys_start(const struct coh_sim *s, unsigned dev, uint64_t phys,
				  unsigned kind)
{
	const struct map_table *t = &s->maps;
	struct mapping *best = NULL;

	for (uint32_t i = lower(t->phys, t->nphys, 0, phys);
	     i < t->nphys && t->phys[i].start == phys; i++) {
		struct mapping *m = t->phys[i].m;

		if (m->dev == dev && m->kind == kind && t->phys[i].seg == 0)
			best = m;              /* the last, the oldest: new entries go first */
	}
	return best;
}

/* How well @m fits what the call names: dma-debug counts the equal
 * attributes (size, type, direction, sg nents); a range the segment holds
 * whole counts above them all. */
static int fit(const struct mapping *m, const struct map_entry *e, uint64_t bus,
	       const struct pick *p)
{
	int score = 0;

	if (p->access) {
		bool from = m->dir == COH_DIR_FROM_DEVICE || m->dir == COH_DIR_BIDIRECTIONAL;
		bool to = m->dir == COH_DIR_TO_DEVICE || m->dir == COH_DIR_BIDIRECTIONAL;

		return p->write ? from : to;
	}
	if (!p->start && p->len && p->len <= e->end - e->start - (bus - e->start))
		score += 8;
	score += m->len == p->len;
	score += m->kind == p->kind;
	score += m->dir == p->dir;
	score += m->nents == p->nents;
	return score;
}

static bool pick_ok(const struct map_entry *e, uint64_t bus, const struct pick *p)
{
	if (!(p->kinds & (1u << e->m->kind)))
		return false;
	if (p->start)
		return e->seg == 0 && e->start == bus;
	return bus >= e->start && bus - e->start < e->end - e->start;   /* may end at 2^64 */
}

/* The live mapping of @dev at @bus that fits @p best; among equals the one
 * coh_map_by_bus() would give (the oldest of those starting at @bus first, as
 * dma-debug's bucket lists keep them), so a single candidate is unchanged. */
struct mapping *coh_map_pick(const struct coh_sim *s, unsigned dev, uint64_t bus,
			 const struct pick *p, uint32_t *seg)
{
	const struct map_table *t = &s->maps;
	uint32_t i = lower(t->bus, t->nbus, (uint16_t)dev, bus), j = i;
	const struct map_entry *best = NULL;
	int top = -1;

	while (j < t->nbus && t->bus[j].dev == dev && t->bus[j].start == bus)
		j++;
	for (uint32_t k = j; k > i; k--) {             /* starting at bus, oldest first */
		const struct map_entry *e = &t->bus[k - 1];
		int sc;

		if (pick_ok(e, bus, p) && (sc = fit(e->m, e, bus, p)) > top) {
			top = sc;
			best = e;
		}
	}
	for (uint32_t k = 0; !p->start && i > 0 && k < 16; k++) {
		const struct map_entry *e = &t->bus[--i];
		int sc;

		if (e->dev != dev)
			break;
		if (pick_ok(e, bus, p) && (sc = fit(e->m, e, bus, p)) > top) {
			top = sc;
			best = e;
		}
	}
	if (!best)
		return NULL;
	*seg = best->seg;
	return best->m;
}

/* The segment of @m holding device address @bus. */
bool coh_map_seg_of_bus(const struct mapping *m, uint64_t bus, uint32_t *seg)
{
	for (uint32_t i = 0; i < m->nsegs; i++) {
		const struct map_segment *g = &m->segs[i];

		if (g->bus != COH_ADDR_NONE && bus >= g->bus && bus - g->bus < g->len) {
			*seg = i;
			return true;
		}
	}
	return false;
}

/* Live mappings of @dev with a segment whose device range meets [lo, hi),
 * each once (up to @max; segments starting far below lo are not looked for). */
size_t coh_map_bus_overlaps(const struct coh_sim *s, unsigned dev, uint64_t lo, uint64_t hi,
			struct mapping **out, size_t max)
{
	const struct map_table *t = &s->maps;
	uint32_t i = lower(t->bus, t->nbus, (uint16_t)dev, hi);
	size_t n = 0;

	for (uint32_t k = 0; i > 0 && n < max && k < 64; k++) {
		const struct map_entry *e = &t->bus[--i];
		size_t j;

		if (e->dev != dev)
			break;
		if (e->end == e->start || e->start >= hi ||
		    e->start + (e->end - e->start - 1) < lo)
			continue;
		for (j = 0; j < n && out[j] != e->m; j++)
			;
		if (j == n)
			out[n++] = e->m;
	}
	return n;
}

/* A new mapping (not inserted) holding segments k.. of @m with their state:
 * what stays live after a dma_unmap_sg of the first k entries. */
struct mapping *coh_map_tail(struct coh_sim *s, const struct mapping *m, uint32_t k)
{
	uint32_t n = m->nsegs - k;
	struct coh_seg *segs = coh_heap_alloc(s->heap, n * sizeof(*segs));
	uint64_t base = m->segs[k].off;
	struct mapping *t = NULL;
	int err;

	if (!segs)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		segs[i] = (struct coh_seg){ m->segs[k + i].phys, m->segs[k + i].bus,
					    m->segs[k + i].len };
	t = coh_map_new(s, m->kind, m->dev, m->dir, segs, n, m->flags);
	coh_heap_free(s->heap, segs, n * sizeof(*segs));
	if (!t)
		return NULL;
	t->flags = m->flags;
	t->nents = m->nents > k ? m->nents - k : n;
	t->scope = m->scope;
	t->last_maint = m->last_maint;
	t->made_seq = m->made_seq;
	t->made_src = m->made_src;
	t->made_ts = m->made_ts;
	err = coh_varr_copy_range(s->heap, &t->devw, &m->devw, base, t->len);
	if (!err && (m->flags & MF_OWNED))
		err = coh_varr_copy_range(s->heap, &t->own, &m->own, base, t->len);
	if (!err && (m->flags & MF_BOUNCED))
		err = coh_varr_copy_range(s->heap, &t->slot, &m->slot, base, t->len);
	if (err) {
		coh_map_unref(s->heap, t);
		return NULL;
	}
	return t;
}

struct mapping *coh_map_by_handle(const struct coh_sim *s, unsigned dev, uint64_t handle)
{
	for (uint32_t i = s->maps.n; i-- > 0;) {
		struct mapping *m = s->maps.v[i];

		if (m->dev == dev && m->handle == handle &&
		    (m->kind == COH_MAP_TRANSFER || m->kind == COH_MAP_WIN_SG))
			return m;
	}
	return NULL;
}

/* Segments whose physical range meets [lo, hi). */
size_t coh_map_overlaps(const struct coh_sim *s, uint64_t lo, uint64_t hi, struct map_entry *out,
		    size_t max)
{
	const struct map_table *t = &s->maps;
	uint32_t i = lower(t->phys, t->nphys, 0, hi);
	size_t n = 0;

	while (i > 0 && n < max) {
		const struct map_entry *e = &t->phys[--i];

		if (e->start + t->maxlen <= lo)
			break;
		if (e->end > lo && e->start < hi)
			out[n++] = *e;
	}
	return n;
}

/* Physical address of mapping byte @off, and how many follow in its segment. */
bool coh_map_seg_phys(const struct mapping *m, uint64_t off, uint64_t *phys, uint64_t *avail)
{
	for (uint32_t i = 0; i < m->nsegs; i++) {
		const struct map_segment *g = &m->segs[i];

		if (off >= g->off && off < g->off + g->len) {
			if (g->phys == COH_ADDR_NONE)
				return false;
			*phys = g->phys + (off - g->off);
			*avail = g->off + g->len - off;
			return true;
		}
	}
	return false;
}

/* ---- recently unmapped addresses ----------------------------------------- */

static uint32_t dead_slot(unsigned dev, uint64_t bus)
{
	return (uint32_t)(mix(dev, bus) >> 20) & (DEAD_SLOTS - 1);
}

void coh_dead_add(struct coh_sim *s, unsigned dev, uint64_t bus)
{
	uint32_t k = dead_slot(dev, bus);

	if (!s->dead || ref_count(&s->dead->refs) > 1) {
		struct dead_table *d = coh_heap_zalloc(s->heap, sizeof(*d));

		if (!d)
			return;             /* only costs a later pre-trace guess */
		if (s->dead) {
			memcpy(d->bus, s->dead->bus, sizeof(d->bus));
			memcpy(d->dev, s->dead->dev, sizeof(d->dev));
			ref_put(&s->dead->refs);
		}
		ref_init(&d->refs, 1);
		s->dead = d;
	}
	s->dead->bus[k] = bus + 1;
	s->dead->dev[k] = (uint16_t)dev;
}

bool coh_dead_find(const struct coh_sim *s, unsigned dev, uint64_t bus)
{
	uint32_t k = dead_slot(dev, bus);

	return s->dead && s->dead->bus[k] == bus + 1 && s->dead->dev[k] == dev;
}

/* ---- hashing, accounting ------------------------------------------------- */

static uint64_t map_hash1(const struct mapping *m, uint64_t id, uint64_t h)
{
	h = mix(mix(mix(mix(h, id), m->dev), m->kind), m->dir);
	h = mix(mix(mix(mix(h, m->flags), (uint32_t)m->last_flush), m->nents), m->scope);
	h = mix(mix(mix(mix(h, m->len), m->handle), m->irp), m->made_seq);
	h = mix(h, m->last_maint);
	for (uint32_t i = 0; i < m->nsegs; i++)
		h = mix(mix(mix(h, m->segs[i].phys), m->segs[i].bus), m->segs[i].len);
	h = coh_varr_hash(&m->devw, m->len, h);
	if (m->flags & MF_OWNED)
		h = coh_varr_hash(&m->own, m->len, h);
	if (m->flags & MF_BOUNCED)
		h = coh_varr_hash(&m->slot, m->len, h);
	return h;
}

/* @rel: each mapping's number as its distance from the next one to be made,
 * which is what the rules compare (newest first, the same mapping), so two
 * runs that made a different count of mappings before hash alike once the
 * older ones are gone. */
static uint64_t maps_hash(const struct coh_sim *s, uint64_t h, bool rel)
{
	h = mix(h, s->maps.n);
	for (uint32_t i = 0; i < s->maps.n; i++) {
		const struct mapping *m = s->maps.v[i];

		h = map_hash1(m, rel ? s->next_map - m->id : m->id, h);
	}
	for (uint32_t i = 0; s->dead && i < DEAD_SLOTS; i++)
		if (s->dead->bus[i])
			h = mix(mix(mix(h, i), s->dead->bus[i]), s->dead->dev[i]);
	return h;
}

uint64_t coh_map_hash(const struct coh_sim *s, uint64_t h)
{
	return maps_hash(s, h, false);
}

uint64_t coh_map_state_hash(const struct coh_sim *s, uint64_t h)
{
	return maps_hash(s, h, true);
}

