/* SPDX-License-Identifier: MIT */
/*
 * finding.c - the finding log, causes and consequences, and the log of
 * explicit write data.
 *
 * Both logs are append-only and shared between clones: a clone keeps its
 * own count (nfind, ndata) and appends in place while it is the one at the
 * end of the shared log; when two clones diverge the one appending copies
 * its prefix first.  Entries never change once appended.
 */
#include <string.h>

#include "coh-local.h"

/* ---- names ---------------------------------------------------------------- */

static const struct {
	const char *code, *name;
	char sev;
} fids[COH_FID_COUNT] = {
	[COH_FID_NONE] = { "", "", 'I' },
#define COH_FID_ROW(sfx, c, n, sv) [COH_##sfx] = { c, n, #sv[0] },
	COH_FINDING_IDS(COH_FID_ROW)
#undef COH_FID_ROW
};

static const char *const rules[COH_R_COUNT] = {
#define COH_RULE_ROW(sfx, text) [COH_R_##sfx] = text,
	COH_RULES(COH_RULE_ROW)
#undef COH_RULE_ROW
};

const char *coh_fid_code(unsigned id)
{
	return id && id < COH_FID_COUNT ? fids[id].code : "?";
}

const char *coh_fid_name(unsigned id)
{
	return id && id < COH_FID_COUNT ? fids[id].name : "?";
}

int coh_fid_lookup(const char *str)
{
	for (unsigned i = 1; str && i < COH_FID_COUNT; i++)
		if ((fids[i].sev == 'E' || i == COH_DC013) &&
		    (strcmp(fids[i].code, str) == 0 || strcmp(fids[i].name, str) == 0))
			return (int)i;
	for (unsigned i = 1; str && i < COH_FID_COUNT; i++)
		if (strcmp(fids[i].name, str) == 0)
			return (int)i;
	return COH_FID_NONE;
}

int coh_fid_is_error(unsigned id)
{
	return id && id < COH_FID_COUNT && fids[id].sev == 'E';
}

const char *coh_rule_text(unsigned rule)
{
	return rule < COH_R_COUNT ? rules[rule] : "?";
}

/* ---- the finding log ------------------------------------------------------ */

static struct flog *flog_new(struct coh_sim *s, size_t cap)
{
	struct flog *l = coh_heap_zalloc(s->heap, sizeof(*l));

	if (!l)
		return NULL;
	l->refs = 1;
	l->cap = cap ? cap : 16;
	l->v = coh_heap_alloc(s->heap, l->cap * sizeof(*l->v));
	if (!l->v) {
		coh_heap_free(s->heap, l, sizeof(*l));
		return NULL;
	}
	return l;
}

static void flog_put(struct coh_heap *h, struct flog *l)
{
	if (!l || --l->refs)
		return;
	coh_heap_free(h, l->v, l->cap * sizeof(*l->v));
	coh_heap_free(h, l, sizeof(*l));
}

int coh_flog_clone(struct coh_sim *dst, const struct coh_sim *src)
{
	dst->flog = src->flog;
	dst->nfind = src->nfind;
	if (dst->flog)
		dst->flog->refs++;
	return 0;
}

void coh_flog_release(struct coh_sim *s)
{
	flog_put(s->heap, s->flog);
	s->flog = NULL;
	s->nfind = 0;
}

/* Make room for one more entry at index nfind. */
static int flog_room(struct coh_sim *s)
{
	struct flog *l = s->flog;

	if (l && l->refs == 1 && l->n > s->nfind)
		l->n = s->nfind;
	if (!l || l->n != s->nfind) {
		struct flog *c = flog_new(s, s->nfind * 2);

		if (!c)
			return -COH_E_NOMEM;
		if (l)
			memcpy(c->v, l->v, s->nfind * sizeof(*c->v));
		c->n = s->nfind;
		flog_put(s->heap, l);
		s->flog = l = c;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap * 2;
		struct coh_finding *v = coh_heap_alloc(s->heap, cap * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		memcpy(v, l->v, l->n * sizeof(*v));
		coh_heap_free(s->heap, l->v, l->cap * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	return 0;
}

/* Rank in the precedence DC007 > DC004 > DC008 > DC006 > DC010/DC011 > DC003
 * > DC001/DC002: a finding can be the consequence of a higher-ranked root. */
static int rank(unsigned id)
{
	switch (id) {
	case COH_DC007: return 7;
	case COH_DC004: return 6;
	case COH_DC008: return 5;
	case COH_DC006: return 4;
	case COH_DC010:
	case COH_DC011: return 3;
	case COH_DC003: return 2;
	case COH_DC001:
	case COH_DC002: return 1;
	default: return 0;
	}
}

#define CAUSE_LOOKBACK 256

/* The root that explains a new finding: the newest higher-ranked root over an
 * intersecting range that came after the stale data was written. */
static int64_t find_cause(const struct coh_sim *s, const struct fnew *f)
{
	unsigned looked = 0;

	if (!f->consequence_ok || !rank(f->id) || f->addr == COH_ADDR_NONE || !s->flog)
		return -1;
	for (size_t i = s->nfind; i-- > 0 && looked < CAUSE_LOOKBACK;) {
		const struct coh_finding *c = &s->flog->v[i];

		if (c->parent >= 0 || (c->flags & COH_FF_INFO))
			continue;
		looked++;
		if (rank(c->id) <= rank(f->id) || c->addr == COH_ADDR_NONE)
			continue;
		if (c->addr >= f->addr + f->len || f->addr >= c->addr + c->len)
			continue;
		if (c->seq + 1 >= f->v_old || c->seq == s->seq)
			return (int64_t)i;
	}
	return -1;
}

int64_t coh_finding_root_at(const struct coh_sim *s, unsigned id, uint64_t a, uint64_t since)
{
	unsigned looked = 0;

	for (size_t i = s->nfind; s->flog && i-- > 0 && looked < CAUSE_LOOKBACK;) {
		const struct coh_finding *c = &s->flog->v[i];

		if (c->parent >= 0 || (c->flags & COH_FF_INFO))
			continue;
		if (c->seq < since)
			continue;
		looked++;
		if (c->id == id && c->addr != COH_ADDR_NONE && a >= c->addr && a - c->addr < c->len)
			return (int64_t)i;
	}
	return -1;
}

static void fill_evidence(const struct coh_sim *s, struct coh_finding *c, const struct fnew *f)
{
	c->nbytes = (uint16_t)MIN(f->nev, COH_EVIDENCE);
	c->ev_addr = f->ev_addr;
	for (unsigned i = 0; i < c->nbytes; i++) {
		c->seen_ver[i] = f->seen[i];
		c->exp_ver[i] = f->exp[i];
		c->seen[i] = coh_value_of(s, f->seen[i], f->ev_addr + i);
		c->expected[i] = coh_value_of(s, f->exp[i], f->ev_addr + i);
	}
}

/* Flags of a new finding.  Windows transfers are judged by call order, not
 * ownership: DC006 on their bytes is reported only with --strict. */
static uint32_t new_flags(const struct coh_sim *s, const struct fnew *f)
{
	if (f->id == COH_DC006 && coh_xfer_ownership_strict(s, f->dev, f->addr))
		return f->flags | COH_FF_STRICT;
	return f->flags;
}

int coh_finding_add(struct coh_sim *s, const struct fnew *f, int64_t *idx)
{
	uint32_t flags = new_flags(s, f);
	struct coh_finding *c;
	int err;

	if (idx)
		*idx = -1;
	if ((flags & COH_FF_STRICT) && !(s->flags & COH_SIM_STRICT))
		return 0;
	if ((err = flog_room(s)) < 0)
		return err;
	c = &s->flog->v[s->nfind];
	memset(c, 0, sizeof(*c));
	c->id = f->id;
	c->rule = f->rule;
	c->flags = flags | (s->inferring ? COH_FF_INFERRED : 0) |
		   (coh_fid_is_error(f->id) ? 0 : COH_FF_INFO) |
		   (coh_xfer_finding_windows(s, f) ? COH_FF_WINDOWS : 0);
	c->parent = f->set_parent ? f->parent : find_cause(s, f);
	c->seq = f->at_map ? f->at_seq : s->seq;
	c->src = f->at_map ? f->at_src : s->ev->src;
	c->ts = f->at_map ? f->at_ts : s->ev->ts;
	c->dev = f->dev;
	c->cpu = f->cpu;
	c->addr = f->addr;
	c->len = f->len;
	c->bus = f->bus;
	c->other_seq = f->other_seq;
	c->omitted = f->omitted;
	if (f->nev && f->seen && f->exp)
		fill_evidence(s, c, f);
	if (idx)
		*idx = (int64_t)s->nfind;
	s->nfind++;
	s->flog->n = s->nfind;
	if (s->hooks.finding)
		s->hooks.finding(s->hooks.ctx, s, s->nfind - 1);
	return 0;
}

/* ---- explicit write data ---------------------------------------------------- */

static size_t dhash(uint32_t ver, size_t cap)
{
	return (size_t)(mix(0, ver) >> 7) & (cap - 1);
}

static void dlog_put(struct coh_heap *h, struct dlog *d)
{
	if (!d || --d->refs)
		return;
	coh_heap_free(h, d->v, d->cap * sizeof(*d->v));
	coh_heap_free(h, d->bytes, d->capbytes);
	coh_heap_free(h, d->hash, d->hcap * sizeof(*d->hash));
	coh_heap_free(h, d, sizeof(*d));
}

int coh_dlog_clone(struct coh_sim *dst, const struct coh_sim *src)
{
	dst->dlog = src->dlog;
	dst->ndata = src->ndata;
	if (dst->dlog)
		dst->dlog->refs++;
	return 0;
}

void coh_dlog_release(struct coh_sim *s)
{
	dlog_put(s->heap, s->dlog);
	s->dlog = NULL;
	s->ndata = 0;
}

static int dlog_rehash(struct coh_sim *s, struct dlog *d, size_t hcap)
{
	uint32_t *h = coh_heap_zalloc(s->heap, hcap * sizeof(*h));

	if (!h)
		return -COH_E_NOMEM;
	coh_heap_free(s->heap, d->hash, d->hcap * sizeof(*d->hash));
	d->hash = h;
	d->hcap = hcap;
	for (size_t i = 0; i < d->n; i++) {
		size_t k = dhash(d->v[i].ver, hcap);

		while (h[k])
			k = (k + 1) & (hcap - 1);
		h[k] = (uint32_t)i + 1;
	}
	return 0;
}

/* A private dlog holding our prefix, with room for a record of @n bytes. */
static int dlog_room(struct coh_sim *s, uint64_t n)
{
	struct dlog *d = s->dlog;
	size_t hcap;

	if (!d || d->n != s->ndata) {
		struct dlog *c = coh_heap_zalloc(s->heap, sizeof(*c));
		size_t nb = d && s->ndata ? d->v[s->ndata - 1].off + d->v[s->ndata - 1].len : 0;

		if (!c)
			return -COH_E_NOMEM;
		c->refs = 1;
		c->cap = MAX(s->ndata * 2, 16);
		c->capbytes = MAX(nb * 2, 256);
		c->v = coh_heap_alloc(s->heap, c->cap * sizeof(*c->v));
		c->bytes = coh_heap_alloc(s->heap, c->capbytes);
		if (!c->v || !c->bytes) {
			dlog_put(s->heap, c);
			return -COH_E_NOMEM;
		}
		if (d) {
			memcpy(c->v, d->v, s->ndata * sizeof(*c->v));
			memcpy(c->bytes, d->bytes, nb);
		}
		c->n = s->ndata;
		c->nbytes = nb;
		hcap = 64;
		while (hcap < 2 * (c->n + 1))
			hcap *= 2;
		if (dlog_rehash(s, c, hcap) < 0) {
			dlog_put(s->heap, c);
			return -COH_E_NOMEM;
		}
		dlog_put(s->heap, d);
		s->dlog = d = c;
	}
	if (d->n == d->cap) {
		struct drec *v = coh_heap_alloc(s->heap, d->cap * 2 * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		memcpy(v, d->v, d->n * sizeof(*v));
		coh_heap_free(s->heap, d->v, d->cap * sizeof(*v));
		d->v = v;
		d->cap *= 2;
	}
	if (d->capbytes - d->nbytes < n) {
		size_t cap = MAX(d->capbytes * 2, d->nbytes + n);
		uint8_t *b = coh_heap_alloc(s->heap, cap);

		if (!b)
			return -COH_E_NOMEM;
		memcpy(b, d->bytes, d->nbytes);
		coh_heap_free(s->heap, d->bytes, d->capbytes);
		d->bytes = b;
		d->capbytes = cap;
	}
	if (2 * (d->n + 1) > d->hcap)
		return dlog_rehash(s, d, d->hcap * 2);
	return 0;
}

int coh_dlog_add(struct coh_sim *s, uint32_t ver, uint64_t phys, const uint8_t *data, uint64_t n)
{
	struct dlog *d;
	size_t k;
	int err;

	if (n > UINT32_MAX)
		return -COH_E_TOOBIG;
	if ((err = dlog_room(s, n)) < 0)
		return err;
	d = s->dlog;
	d->v[d->n] = (struct drec){ .ver = ver, .len = (uint32_t)n, .phys = phys, .off = d->nbytes };
	memcpy(d->bytes + d->nbytes, data, n);
	d->nbytes += n;
	k = dhash(ver, d->hcap);
	while (d->hash[k])
		k = (k + 1) & (d->hcap - 1);
	d->hash[k] = (uint32_t)d->n + 1;
	d->n++;
	s->ndata = d->n;
	return 0;
}

int coh_dlog_find(const struct coh_sim *s, uint32_t ver, uint64_t phys, uint8_t *out)
{
	const struct dlog *d = s->dlog;
	int found = 0;

	if (!d || !d->hcap)
		return 0;
	for (size_t k = dhash(ver, d->hcap); d->hash[k]; k = (k + 1) & (d->hcap - 1)) {
		size_t i = d->hash[k] - 1;
		const struct drec *r = &d->v[i];

		if (i >= s->ndata || r->ver != ver)
			continue;
		if (phys >= r->phys && phys - r->phys < r->len) {
			*out = d->bytes[r->off + (phys - r->phys)];
			found = 1;              /* the newest piece wins */
		}
	}
	return found;
}
