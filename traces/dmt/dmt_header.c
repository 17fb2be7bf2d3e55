/* SPDX-License-Identifier: MIT */
/*
 * dmt_header.c - the header lines of a .dmt file: platform, device, ends,
 * devices (docs/trace-format.md, "Header").
 */
#include <stdio.h>
#include <string.h>

#include "coh_err.h"
#include "dmt-local.h"

#define MAX_SETTINGS 32

int dmt_copy_name(struct dmt_parser *ps, const struct dmt_tok *tok, const char *s, size_t n,
		  char *out)
{
	if (n == 0)
		return dmt_perr(ps, tok->vcol ? tok->vcol : tok->col, "expected a name, not \"\"");
	if (n >= COH_NAME_MAX)
		return dmt_perr(ps, tok->vcol ? tok->vcol : tok->col,
				"name of %zu bytes (at most %d)", n, COH_NAME_MAX - 1);
	memcpy(out, s, n);
	out[n] = 0;
	return 0;
}

static void preset_list(char *buf, size_t n)
{
	size_t k = 0;
	const char *name;

	buf[0] = 0;
	for (unsigned i = 0; (name = coh_platform_preset_at(i, NULL)) != NULL; i++) {
		int w = snprintf(buf + k, n - k, "%s%s", i ? ", " : "", name);

		if (w < 0 || (size_t)w >= n - k)
			return;
		k += (size_t)w;
	}
}

static int tok_is_key(const struct dmt_tok *tk, const char *key)
{
	return tk->val && !tk->quoted && strlen(key) == tk->wlen &&
	       memcmp(tk->word, key, tk->wlen) == 0;
}

/* A number in [lo, hi] after key=. */
static int num_setting(struct dmt_parser *ps, const struct dmt_tok *tk, uint32_t lo, uint32_t hi,
		       uint32_t *out)
{
	uint64_t v;

	if (dmt_parse_u64(tk->val, tk->vlen, &v) < 0)
		return dmt_perr(ps, tk->vcol, "expected a number after %.*s=", (int)tk->wlen,
				tk->word);
	if (v < lo || v > hi)
		return dmt_perr(ps, tk->vcol, "%.*s=%llu is out of range (%u..%u)", (int)tk->wlen,
				tk->word, (unsigned long long)v, lo, hi);
	*out = (uint32_t)v;
	return 0;
}

static int u8_setting(struct dmt_parser *ps, const struct dmt_tok *tk, uint32_t lo, uint32_t hi,
		      uint8_t *out)
{
	uint32_t v;

	if (num_setting(ps, tk, lo, hi, &v) < 0)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

/* A device setting; 1 when @tk is one, 0 when not, -1 on error. */
static int dev_setting(struct dmt_parser *ps, const struct dmt_tok *tk, struct coh_dev_cfg *d)
{
	int r;

	if (tok_is_key(tk, "coherent"))
		r = u8_setting(ps, tk, 0, 1, &d->coherent);
	else if (tok_is_key(tk, "bounce"))
		r = u8_setting(ps, tk, 0, 1, &d->bounce);
	else if (tok_is_key(tk, "dma"))
		r = u8_setting(ps, tk, 1, 3, &d->dma_version);
	else if (tok_is_key(tk, "signals_done"))
		r = u8_setting(ps, tk, 0, 1, &d->signals_done);
	else if (tok_is_key(tk, "B"))
		r = num_setting(ps, tk, 0, UINT32_MAX, &d->ctrl_size);
	else if (tok_is_key(tk, "C"))
		r = num_setting(ps, tk, 0, UINT32_MAX, &d->ctrl_chunk);
	else if (tok_is_key(tk, "P"))
		r = num_setting(ps, tk, 0, UINT32_MAX, &d->posted);
	else
		return 0;
	return r < 0 ? -1 : 1;
}

static int plat_setting(struct dmt_parser *ps, const struct dmt_tok *tk, struct coh_platform *p)
{
	int r;

	if (tok_is_key(tk, "line"))
		r = num_setting(ps, tk, 0, UINT32_MAX, &p->line);
	else if (tok_is_key(tk, "sets"))
		r = num_setting(ps, tk, 0, UINT32_MAX, &p->sets);
	else if (tok_is_key(tk, "ways"))
		r = num_setting(ps, tk, 0, UINT32_MAX, &p->ways);
	else if (tok_is_key(tk, "cpus"))
		r = num_setting(ps, tk, 1, COH_MAX_CPUS, &p->ncpus);
	else if (tok_is_key(tk, "speculative"))
		r = u8_setting(ps, tk, 0, 1, &p->speculative);
	else if (tok_is_key(tk, "dma_align"))
		r = num_setting(ps, tk, 0, UINT32_MAX, &p->dma_align);
	else
		return dev_setting(ps, tk, &p->dev_default);
	return r < 0 ? -1 : 1;
}

/* Read the rest of the line into @tk; each key at most once. */
static int settings(struct dmt_parser *ps, struct dmt_tok *tk, size_t *ntk)
{
	int r;

	*ntk = 0;
	while ((r = dmt_lex_next(&ps->lx, &tk[*ntk])) > 0) {
		const struct dmt_tok *cur = &tk[*ntk];

		if (!cur->val)
			return dmt_perr(ps, cur->col, "expected key=value, not '%.*s'",
					(int)cur->wlen, cur->word);
		for (size_t i = 0; i < *ntk; i++)
			if (tk[i].wlen == cur->wlen && !memcmp(tk[i].word, cur->word, cur->wlen))
				return dmt_perr(ps, cur->col, "%.*s= is given twice",
						(int)cur->wlen, cur->word);
		if (++*ntk == MAX_SETTINGS)
			return dmt_perr(ps, cur->col, "too many settings on one line");
	}
	if (r < 0)
		return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
	return 0;
}

/* The name after a header keyword: a bare word or a quoted string. */
static int next_name(struct dmt_parser *ps, struct dmt_tok *name, const char *what)
{
	int r = dmt_lex_next(&ps->lx, name);

	if (r < 0)
		return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
	if (r == 0 || name->val)
		return dmt_perr(ps, r ? name->col : dmt_lex_endcol(&ps->lx), "expected %s", what);
	return 0;
}

static int platform_base(struct dmt_parser *ps, const struct dmt_tok *name,
			 const struct dmt_tok *base, struct coh_platform *p)
{
	char want[COH_NAME_MAX], list[256];
	const struct dmt_tok *from = base ? base : name;

	if (dmt_copy_name(ps, from, base ? base->val : name->word,
			  base ? base->vlen : name->wlen, want) < 0)
		return -1;
	if (base && strcmp(want, "none") == 0) {
		dmt_platform_none(p);
		return 0;
	}
	if (coh_platform_preset(want, p) == 0)
		return 0;
	preset_list(list, sizeof(list));
	if (base)
		return dmt_perr(ps, base->vcol, "unknown preset '%s' after base= (expected none "
				"or one of: %s)", want, list);
	return dmt_perr(ps, name->col, "unknown platform '%s' (expected a preset: %s; for a "
			"platform of your own write base=PRESET or base=none after its name)",
			want, list);
}

static int header_platform(struct dmt_parser *ps, unsigned col)
{
	struct dmt_tok name, tk[MAX_SETTINGS];
	const struct dmt_tok *base = NULL;
	struct coh_platform *p = &ps->t->platform;
	char msg[256];
	size_t ntk;

	if (ps->have_platform)
		return dmt_perr(ps, col, "a second platform line (one is allowed)");
	if (ps->t->ndevs)
		return dmt_perr(ps, col, "the platform line must come before the device lines");
	if (next_name(ps, &name, "a platform name (a preset such as arm-noncoherent) after "
		      "'platform'") < 0)
		return -1;
	if (settings(ps, tk, &ntk) < 0)
		return -1;
	for (size_t i = 0; i < ntk; i++)
		if (tok_is_key(&tk[i], "base"))
			base = &tk[i];
	if (platform_base(ps, &name, base, p) < 0 ||
	    dmt_copy_name(ps, &name, name.word, name.wlen, p->name) < 0)
		return -1;
	for (size_t i = 0; i < ntk; i++) {
		int r = &tk[i] == base ? 1 : plat_setting(ps, &tk[i], p);

		if (r < 0)
			return -1;
		if (r == 0)
			return dmt_perr(ps, tk[i].col, "unknown platform setting %.*s= "
					"(expected base, line, sets, ways, cpus, speculative, "
					"dma_align, coherent, bounce, dma, B, C, P or "
					"signals_done)", (int)tk[i].wlen, tk[i].word);
		if (tok_is_key(&tk[i], "cpus"))
			ps->cpus_explicit = 1;
	}
	if (coh_platform_check(p, msg, sizeof(msg)) < 0)
		return dmt_perr(ps, col, "platform: %s", msg);
	if (ps->cpus_explicit)
		ps->chk.ncpus = p->ncpus;
	ps->have_platform = 1;
	ps->t->has_platform = 1;
	return 1;
}

static int header_device(struct dmt_parser *ps, unsigned col)
{
	struct dmt_tok name, tk[MAX_SETTINGS];
	char nm[COH_NAME_MAX], msg[256];
	struct coh_dev_cfg *d;
	size_t ntk;
	int idx;

	if (next_name(ps, &name, "a device name after 'device'") < 0)
		return -1;
	if (dmt_copy_name(ps, &name, name.word, name.wlen, nm) < 0 || settings(ps, tk, &ntk) < 0)
		return -1;
	for (unsigned i = 0; i < ps->t->ndevs; i++)
		if (strcmp(ps->t->devs[i], nm) == 0)
			return dmt_perr(ps, name.col, "device '%s' is declared twice", nm);
	if (ntk && !ps->have_platform)
		return dmt_perr(ps, tk[0].col, "device settings need a platform line above "
				"(they start from its defaults)");
	ps->declaring = 1;
	idx = dmt_device(ps, nm, strlen(nm), name.col);
	ps->declaring = 0;
	if (idx < 0)
		return -1;
	if (!ps->have_platform)
		return 1;
	d = &ps->t->platform.devs[idx];
	for (size_t i = 0; i < ntk; i++) {
		int r = dev_setting(ps, &tk[i], d);

		if (r < 0)
			return -1;
		if (r == 0)
			return dmt_perr(ps, tk[i].col, "unknown device setting %.*s= (expected "
					"coherent, bounce, dma, B, C, P or signals_done)",
					(int)tk[i].wlen, tk[i].word);
	}
	if (coh_platform_check(&ps->t->platform, msg, sizeof(msg)) < 0)
		return dmt_perr(ps, col, "%s", msg);
	return 1;
}

/* "ends open|closed" and "devices strict|open". */
static int header_choice(struct dmt_parser *ps, const char *kw, int *seen, const char *yes,
			 const char *no, int *out)
{
	struct dmt_tok tk, extra;
	int r;

	if (*seen)
		return dmt_perr(ps, 1, "a second '%s' line", kw);
	r = dmt_lex_next(&ps->lx, &tk);
	if (r < 0)
		return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
	if (r == 0 || !(dmt_word_is(&tk, yes) || dmt_word_is(&tk, no)))
		return dmt_perr(ps, r ? tk.col : dmt_lex_endcol(&ps->lx),
				"expected '%s' or '%s' after '%s'", yes, no, kw);
	*out = dmt_word_is(&tk, yes);
	*seen = 1;
	r = dmt_lex_next(&ps->lx, &extra);
	if (r < 0)
		return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
	if (r > 0)
		return dmt_perr(ps, extra.col, "unexpected text after '%s %s'", kw,
				*out ? yes : no);
	return 1;
}

int dmt_header_line(struct dmt_parser *ps, const struct dmt_tok *first)
{
	static const char *const kws[] = { "platform", "device", "ends", "devices" };
	int which = -1;

	for (int i = 0; i < 4; i++)
		if (dmt_word_is(first, kws[i]))
			which = i;
	if (which < 0)
		return 0;
	if (ps->in_body)
		return dmt_perr(ps, first->col, "'%s' is a header line: it must come before the "
				"first event", kws[which]);
	switch (which) {
	case 0:
		return header_platform(ps, first->col);
	case 1:
		return header_device(ps, first->col);
	case 2:
		return header_choice(ps, "ends", &ps->seen_ends, "open", "closed", &ps->ends_open);
	default:
		return header_choice(ps, "devices", &ps->seen_devices, "strict", "open",
				     &ps->strict_devs);
	}
}
