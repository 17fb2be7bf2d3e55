/* SPDX-License-Identifier: MIT */
/*
 * dmt_event.c - one event line of a .dmt file into a struct coh_event
 * (docs/trace-format.md, "Events").
 */
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "dmt-local.h"

#define DMT_MAX_SEGS 65536u   /* as coh_event_check() allows */

/* What one line is building. */
struct evl {
	struct dmt_parser *ps;
	struct coh_event *ev;
	uint32_t seen;               /* DMT_BIT() of each field given */
	unsigned col[DMT_NFIELDS];   /* where each was given */
	unsigned kind_col;
	size_t nsegs, ndata;
};

static const char *kname(const struct evl *e)
{
	return coh_kind_name(e->ev->kind);
}

static int tok_err_field(struct evl *e, const struct dmt_tok *tk, const char *what)
{
	return dmt_perr(e->ps, tk->vcol, "expected %s after %.*s=", what, (int)tk->wlen, tk->word);
}

static int get_u64(struct evl *e, const struct dmt_tok *tk, const char *what, uint64_t *out)
{
	int r = dmt_parse_u64(tk->val, tk->vlen, out);

	if (r == -2)
		return dmt_perr(e->ps, tk->vcol, "the number after %.*s= does not fit in 64 bits",
				(int)tk->wlen, tk->word);
	return r < 0 ? tok_err_field(e, tk, what) : 0;
}

static int parse_addr(struct evl *e, const struct dmt_tok *tk, const char *s, size_t n,
		      unsigned col, uint64_t *out)
{
	int r = dmt_parse_u64(s, n, out);

	if (r == -2)
		return dmt_perr(e->ps, col, "the address after %.*s= does not fit in 64 bits",
				(int)tk->wlen, tk->word);
	if (r < 0)
		return dmt_perr(e->ps, col, "expected an address (0x-hexadecimal or decimal) "
				"after %.*s=", (int)tk->wlen, tk->word);
	if (*out == COH_ADDR_NONE)
		return dmt_perr(e->ps, col, "address 0xffffffffffffffff is reserved (it means "
				"'no address'; leave %.*s= out)", (int)tk->wlen, tk->word);
	return 0;
}

static int get_addr(struct evl *e, const struct dmt_tok *tk, uint64_t *out)
{
	return parse_addr(e, tk, tk->val, tk->vlen, tk->vcol, out);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

/* seg=PHYS,BUS,LEN with '-' for an unknown address */
static int parse_seg(struct evl *e, const struct dmt_tok *tk)
{
	struct dmt_scratch *s = &e->ps->s;
	const char *p = tk->val, *end = tk->val + tk->vlen;
	uint64_t part[3];

	if (e->nsegs == DMT_MAX_SEGS)
		return dmt_perr(e->ps, tk->col, "more than %u seg= entries", DMT_MAX_SEGS);
	for (int i = 0; i < 3; i++) {
		const char *q = i < 2 ? memchr(p, ',', (size_t)(end - p)) : end;
		unsigned col = tk->vcol + (unsigned)(p - tk->val);

		if (!q || (i == 2 && memchr(p, ',', (size_t)(end - p))))
			return dmt_perr(e->ps, col, "expected seg=PHYS,BUS,LEN (three parts, '-' "
					"for an unknown address)");
		if (i < 2 && q - p == 1 && *p == '-')
			part[i] = COH_ADDR_NONE;
		else if (i < 2 && parse_addr(e, tk, p, (size_t)(q - p), col, &part[i]) < 0)
			return -1;
		else if (i == 2 && dmt_parse_u64(p, (size_t)(q - p), &part[i]) < 0)
			return dmt_perr(e->ps, col, "expected a length as the third part of seg=");
		p = q + 1;
	}
	if (grow((void **)&s->segs, &s->capsegs, e->nsegs + 1, sizeof(*s->segs)) < 0)
		return dmt_perr(e->ps, tk->col, "out of memory");
	s->segs[e->nsegs++] = (struct coh_seg){ part[0], part[1], part[2] };
	return 0;
}

static int parse_data(struct evl *e, const struct dmt_tok *tk)
{
	struct dmt_scratch *s = &e->ps->s;
	size_t n = tk->vlen / 2;

	if (grow((void **)&s->data, &s->capdata, n + 1, 1) < 0)
		return dmt_perr(e->ps, tk->col, "out of memory");
	for (size_t i = 0; i < tk->vlen; i += 2) {
		int hi = trace_hexval(tk->val[i]);
		int lo = i + 1 < tk->vlen ? trace_hexval(tk->val[i + 1]) : -2;

		if (hi < 0 || lo == -1)
			return dmt_perr(e->ps, tk->vcol + (unsigned)i + (hi >= 0),
					"expected hexadecimal digits (two per byte) after data=");
		if (lo == -2)
			return dmt_perr(e->ps, tk->vcol + (unsigned)i, "expected an even number of "
					"hexadecimal digits (two per byte) after data=");
		s->data[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	e->ndata = n;
	e->ev->data = s->data;
	return 0;
}

static int parse_text(struct evl *e, const struct dmt_tok *tk)
{
	struct dmt_scratch *s = &e->ps->s;

	if (grow((void **)&s->text, &s->captext, tk->vlen + 1, 1) < 0)
		return dmt_perr(e->ps, tk->col, "out of memory");
	memcpy(s->text, tk->val, tk->vlen);
	s->text[tk->vlen] = 0;
	e->ev->text = s->text;
	return 0;
}

static int word_in(const struct dmt_tok *tk, const char *const *words, int n)
{
	for (int i = 0; i < n; i++)
		if (strlen(words[i]) == tk->vlen && memcmp(words[i], tk->val, tk->vlen) == 0)
			return i;
	return -1;
}

static int parse_dir(struct evl *e, const struct dmt_tok *tk)
{
	char buf[32];
	int d = -1;

	if (tk->vlen < sizeof(buf)) {
		memcpy(buf, tk->val, tk->vlen);
		buf[tk->vlen] = 0;
		d = coh_dir_lookup(buf);
	}
	if (d < 0)
		return tok_err_field(e, tk, "a direction (BIDIRECTIONAL, TO_DEVICE, FROM_DEVICE "
				     "or NONE)");
	e->ev->dir = (uint8_t)d;
	return 0;
}

static int parse_scope(struct evl *e, const struct dmt_tok *tk)
{
	static const char *const names[] = { "seq", "phase", "run", "0", "1", "2" };
	int i = word_in(tk, names, 6);

	if (i < 0)
		return tok_err_field(e, tk, "seq, phase or run");
	e->ev->scope = (uint8_t)(i % 3);
	return 0;
}

static int parse_cpu(struct evl *e, const struct dmt_tok *tk)
{
	uint64_t v;

	if (dmt_parse_u64(tk->val, tk->vlen, &v) < 0)
		return tok_err_field(e, tk, "a CPU number");
	if (v >= e->ps->chk.ncpus)
		return dmt_perr(e->ps, tk->vcol, "cpu=%llu is out of range (%s %u CPUs: 0..%u)",
				(unsigned long long)v, e->ps->cpus_explicit ?
				"the platform line says" : "dmascope simulates at most",
				e->ps->chk.ncpus, e->ps->chk.ncpus - 1);
	e->ev->cpu = (uint16_t)v;
	return 0;
}

static int parse_flag(struct evl *e, const struct dmt_tok *tk, enum dmt_field f)
{
	static const char *const vals[] = { "FALSE", "TRUE", "0", "1" };
	int i = tk->val ? word_in(tk, vals, 4) : 1;

	if (i < 0)
		return tok_err_field(e, tk, "TRUE or FALSE");
	if (i % 2)
		e->ev->flags |= dmt_field_flag(f);
	else
		e->ev->flags &= ~dmt_field_flag(f);
	return 0;
}

static int parse_status(struct evl *e, const struct dmt_tok *tk)
{
	if (dmt_status_parse(tk->val, tk->vlen, &e->ev->status) < 0)
		return tok_err_field(e, tk, "a status (STATUS_SUCCESS, STATUS_INVALID_PARAMETER "
				     "or another NTSTATUS name, TRUE, FALSE, or a 32-bit number)");
	if (e->ev->kind != COH_EV_IRP_COMPLETE)
		e->ev->flags |= COH_F_STATUS;
	return 0;
}

static int parse_src(struct evl *e, const struct dmt_tok *tk)
{
	if (tk->vlen == 4 && memcmp(tk->val, "none", 4) == 0) {
		e->ev->src = COH_SRC_NONE;
		return 0;
	}
	return get_u64(e, tk, "an event number or none", &e->ev->src);
}

/* cpu, dev and the numeric fields */
static int parse_number(struct evl *e, const struct dmt_tok *tk, enum dmt_field f)
{
	struct coh_event *ev = e->ev;
	uint64_t v;
	int d;

	switch (f) {
	case DMT_CPU:
		return parse_cpu(e, tk);
	case DMT_DEV:
		d = dmt_device(e->ps, tk->val, tk->vlen, tk->vcol);
		if (d < 0)
			return -1;
		ev->dev = (uint16_t)d;
		return 0;
	case DMT_ADDR:
		return get_addr(e, tk, &ev->addr);
	case DMT_BUS:
		return get_addr(e, tk, &ev->bus);
	case DMT_HANDLE:
		return get_addr(e, tk, &ev->handle);
	case DMT_LEN:
		return get_u64(e, tk, "a length", &ev->len);
	case DMT_OFF:
		return get_u64(e, tk, "an offset", &ev->off);
	case DMT_IRP:
		return get_u64(e, tk, "an IRP number", &ev->irp);
	default:
		if (get_u64(e, tk, "a number of entries", &v) < 0)
			return -1;
		if (v > UINT32_MAX)
			return dmt_perr(e->ps, tk->vcol, "nents=%llu does not fit in 32 bits",
					(unsigned long long)v);
		ev->nents = (uint32_t)v;
		return 0;
	}
}

static int parse_value(struct evl *e, const struct dmt_tok *tk, enum dmt_field f)
{
	switch (f) {
	case DMT_SEG:
		return parse_seg(e, tk);
	case DMT_DIR:
		return parse_dir(e, tk);
	case DMT_SCOPE:
		return parse_scope(e, tk);
	case DMT_TEXT:
		return parse_text(e, tk);
	case DMT_DATA:
		return parse_data(e, tk);
	case DMT_STATUS:
		return parse_status(e, tk);
	case DMT_SRC:
		return parse_src(e, tk);
	default:
		if (dmt_field_flag(f))
			return parse_flag(e, tk, f);
		return parse_number(e, tk, f);
	}
}

static int not_taken(struct evl *e, const struct dmt_tok *tk, int f)
{
	char list[400];
	int n = (int)(tk->wlen > 40 ? 40 : tk->wlen);

	dmt_list_fields(dmt_allowed(e->ev->kind), list, sizeof(list));
	if (f < 0 && !tk->val)
		return dmt_perr(e->ps, tk->col, "unexpected '%.*s' (expected key=value or a flag; "
				"%s takes: %s)", n, tk->word, kname(e), list);
	return dmt_perr(e->ps, tk->col, "%s takes no %.*s%s (it takes: %s)", kname(e), n,
			tk->word, f >= 0 && dmt_field_flag((unsigned)f) ? "" : "=", list);
}

static int field(struct evl *e, const struct dmt_tok *tk)
{
	int f = tk->quoted ? -1 : dmt_field_lookup(tk->word, tk->wlen);

	if (tk->quoted)
		return dmt_perr(e->ps, tk->col, "unexpected quoted string (expected key=value)");
	if (f < 0 || !(dmt_allowed(e->ev->kind) & (1u << f)))
		return not_taken(e, tk, f);
	if ((e->seen & (1u << f)) && f != DMT_SEG)
		return dmt_perr(e->ps, tk->col, "%s is given twice", dmt_field_name((unsigned)f));
	if (!tk->val && !dmt_field_flag((unsigned)f))
		return dmt_perr(e->ps, tk->col + (unsigned)tk->wlen, "expected '=' and a value "
				"after %s", dmt_field_name((unsigned)f));
	e->seen |= 1u << f;
	e->col[f] = tk->col;
	return parse_value(e, tk, (enum dmt_field)f);
}

/* ---- after the last field ------------------------------------------------- */

static int check_required(struct evl *e)
{
	unsigned end = dmt_lex_endcol(&e->ps->lx);
	uint32_t missing = dmt_required(e->ev->kind) & ~e->seen;
	unsigned k = e->ev->kind;

	for (unsigned f = 0; f < DMT_NFIELDS; f++)
		if (missing & (1u << f))
			return dmt_perr(e->ps, end, "%s needs %s%s", kname(e), dmt_field_name(f),
					dmt_field_flag(f) ? "=TRUE or =FALSE" : "=");
	if ((k == COH_EV_CPU_WRITE || k == COH_EV_DEV_WRITE) &&
	    !(e->seen & (DMT_BIT(LEN) | DMT_BIT(DATA))))
		return dmt_perr(e->ps, end, "%s needs len= (or data=)", kname(e));
	if ((k == COH_EV_DMA_ALLOC_PAGES || k == COH_EV_DMA_FREE_PAGES) &&
	    !(e->seen & (DMT_BIT(SEG) | DMT_BIT(BUS))))
		return dmt_perr(e->ps, end, "%s needs bus= and len=, or seg=", kname(e));
	if (k == COH_EV_FREE_COMMON && !(e->seen & (DMT_BIT(ADDR) | DMT_BIT(BUS))))
		return dmt_perr(e->ps, end, "%s needs addr= or bus=", kname(e));
	return 0;
}

static int check_range(struct evl *e, uint64_t a, enum dmt_field f)
{
	uint64_t len = e->ev->len;

	if (!(e->seen & (1u << f)) || !(e->seen & DMT_BIT(LEN)) || len == 0 || a + (len - 1) >= a)
		return 0;
	return dmt_perr(e->ps, e->col[DMT_LEN], "%s=0x%llx + len=%llu runs past the end of the "
			"64-bit address space", dmt_field_name(f), (unsigned long long)a,
			(unsigned long long)len);
}

static int finish(struct evl *e)
{
	struct coh_event *ev = e->ev;
	char msg[256];

	if (check_required(e) < 0)
		return -1;
	if (e->seen & DMT_BIT(DATA)) {
		if ((e->seen & DMT_BIT(LEN)) && ev->len != e->ndata)
			return dmt_perr(e->ps, e->col[DMT_LEN], "len=%llu but data= holds %zu "
					"bytes", (unsigned long long)ev->len, e->ndata);
		ev->len = e->ndata;
	}
	if (e->nsegs) {
		ev->segs = e->ps->s.segs;
		ev->nsegs = (uint32_t)e->nsegs;
		if (!(e->seen & DMT_BIT(NENTS)) && (dmt_allowed(ev->kind) & DMT_BIT(NENTS)))
			ev->nents = ev->nsegs;
	}
	if (check_range(e, ev->addr, DMT_ADDR) < 0 || check_range(e, ev->bus, DMT_BUS) < 0)
		return -1;
	e->ps->chk.ndevs = e->ps->t->ndevs;
	if (coh_event_check(ev, &e->ps->chk, msg, sizeof(msg)) < 0)
		return dmt_perr(e->ps, e->kind_col, "%s", msg);
	return 0;
}

/* The timestamp (optional) and the event kind. */
static int head(struct evl *e, const struct dmt_tok *first)
{
	struct dmt_parser *ps = e->ps;
	struct dmt_tok tk = *first;
	uint64_t ts = dmt_next_ts(ps->have_prev, ps->prev_ts);
	char name[32];
	int r, kind = -1;

	if (!tk.quoted && !tk.val && tk.word[0] >= '0' && tk.word[0] <= '9') {
		r = dmt_parse_ts(tk.word, tk.wlen, &ts);
		if (r < 0)
			return dmt_perr(ps, tk.col, r == -3 ? "a timestamp has at most 9 decimals "
					"(nanoseconds)" : r == -2 ? "timestamp too large" :
					"expected a timestamp (seconds, such as 12.000345678)");
		r = dmt_lex_next(&ps->lx, &tk);
		if (r < 0)
			return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
		if (r == 0)
			return dmt_perr(ps, dmt_lex_endcol(&ps->lx), "expected an event name after "
					"the timestamp");
	}
	if (!tk.quoted && !tk.val && tk.wlen < sizeof(name)) {
		memcpy(name, tk.word, tk.wlen);
		name[tk.wlen] = 0;
		kind = coh_kind_lookup(name);
	}
	if (kind < 0)
		return dmt_perr(ps, tk.col, "unknown event '%.*s' (expected an event name such as "
				"cpu_read, dma_map or FlushAdapterBuffers; docs/trace-format.md "
				"lists them)", (int)(tk.wlen > 40 ? 40 : tk.wlen), tk.word);
	coh_event_init(e->ev, (enum coh_kind)kind);
	e->ev->dir = dmt_default_dir((unsigned)kind);
	e->ev->ts = ts;
	e->kind_col = tk.col;
	return 0;
}

int dmt_event_line(struct dmt_parser *ps, const struct dmt_tok *first, struct coh_event *ev,
		   uint32_t *seen)
{
	struct evl e = { .ps = ps, .ev = ev };
	struct dmt_tok tk;
	int r;

	if (head(&e, first) < 0)
		return -1;
	while ((r = dmt_lex_next(&ps->lx, &tk)) > 0)
		if (field(&e, &tk) < 0)
			return -1;
	if (r < 0)
		return dmt_perr(ps, ps->lx.errcol, "%s", ps->lx.msg);
	if (finish(&e) < 0)
		return -1;
	*seen = e.seen;
	return 0;
}
