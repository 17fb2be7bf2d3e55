/* SPDX-License-Identifier: MIT */
/*
 * finding.c - what a finding is (its id's code, name and severity, its rule's
 * text) and the raising of one: its flags, the root it is a consequence
 * of, its evidence.  The log it goes to is finding_log.c.
 */
#include <string.h>

#include "finding-local.h"
#include "sim-local.h"
#include "src_log.h"
#include "write_log.h"
#include "xfer.h"

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

/* The root that explains a new finding: the newest higher-ranked root over an
 * intersecting range that came after the stale data was written. */
static int64_t find_cause(const struct coh_sim *s, const struct new_finding *f)
{
	unsigned looked = 0;

	if (!f->consequence_ok || !rank(f->id) || f->addr == COH_ADDR_NONE || !s->finding_log)
		return -1;
	for (size_t i = s->nfind; i-- > 0 && looked < CAUSE_LOOKBACK;) {
		const struct coh_finding *c = finding_at(s, i);

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

static void fill_evidence(const struct coh_sim *s, struct coh_finding *c, const struct new_finding *f)
{
	c->nbytes = (uint16_t)MIN(f->nev, COH_EVIDENCE);
	c->ev_addr = f->ev_addr;
	for (unsigned i = 0; i < c->nbytes; i++) {
		c->seen_ver[i] = f->seen[i];
		c->exp_ver[i] = f->exp[i];
		c->seen[i] = coh_value_of(s, f->seen[i], f->ev_addr + i);
		c->expected[i] = coh_value_of(s, f->exp[i], f->ev_addr + i);
	}
	if (c->nbytes) {
		c->seen_src = coh_src_of_ver(s, c->seen_ver[0]);
		c->exp_src = coh_src_of_ver(s, c->exp_ver[0]);
	}
}

/* Flags of a new finding.  Windows transfers are judged by call order, not
 * ownership: DC006 on their bytes is reported only with --strict. */
static uint32_t new_flags(const struct coh_sim *s, const struct new_finding *f)
{
	if (f->id == COH_DC006 && coh_xfer_ownership_strict(s, f->dev, f->addr))
		return f->flags | COH_FF_STRICT;
	return f->flags;
}

int coh_finding_add(struct coh_sim *s, const struct new_finding *f, int64_t *idx)
{
	uint32_t flags = new_flags(s, f);
	struct coh_finding *c;
	int err;

	if (idx)
		*idx = -1;
	if ((flags & COH_FF_STRICT) && !(s->flags & COH_SIM_STRICT))
		return 0;
	if ((err = coh_finding_log_room(s)) < 0)
		return err;
	c = finding_at(s, s->nfind);
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
	c->other_src = coh_src_of(s, f->other_seq);
	c->seen_src = c->exp_src = COH_SRC_NONE;
	if (f->nev && f->seen && f->exp)
		fill_evidence(s, c, f);
	if (idx)
		*idx = (int64_t)s->nfind;
	s->nfind++;
	s->finding_log->n = s->nfind;
	if (s->hooks.finding)
		s->hooks.finding(s->hooks.ctx, s, s->nfind - 1);
	return 0;
}
