/* SPDX-License-Identifier: MIT */
/*
 * ftrace_marker.c - trace_marker lines: CPU and device accesses, scopes, marks.
 *
 * The kernel traces DMA API calls only; accesses are annotated by lines
 * written to trace_marker (or trace_printk/trace_puts from a driver), one
 * per print event (docs/capturing.md):
 *
 *   phase begin|end name=X      run begin|end round=N      seq begin|end id=X
 *   cpu_write|cpu_read addr=0x.. len=N
 *   dev_write|dev_read dev=NAME addr=0x.. len=N
 *   dev_done dev=NAME [handle=0x..]          (a dmascope extension)
 *
 * Anything else is a free-text mark.  A line that starts with one of those
 * keywords but has a bad or missing field becomes a mark too, flagged
 * malformed so the reader can warn about it.
 */
#include <string.h>

#include "ftrace-local.h"

/* A token of the line. */
struct tok {
	const char *p;
	size_t n;
};

#define MAX_TOKS 16

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t split(const char *s, size_t n, struct tok *t)
{
	size_t k = 0, i = 0;

	while (i < n && k < MAX_TOKS) {
		while (i < n && is_space(s[i]))
			i++;
		if (i == n)
			break;
		t[k].p = s + i;
		while (i < n && !is_space(s[i]))
			i++;
		t[k].n = (size_t)(s + i - t[k].p);
		k++;
	}
	return k;
}

static int tok_is(const struct tok *t, const char *w)
{
	return t->n == strlen(w) && memcmp(t->p, w, t->n) == 0;
}

/* The value of key=value among @t[from..], or NULL. */
static const struct tok *find_key(const struct tok *t, size_t k, size_t from, const char *key,
				  struct tok *val)
{
	size_t kl = strlen(key);
	const struct tok *hit = NULL;

	for (size_t i = from; i < k; i++)
		if (t[i].n > kl && t[i].p[kl] == '=' && memcmp(t[i].p, key, kl) == 0) {
			val->p = t[i].p + kl + 1;
			val->n = t[i].n - kl - 1;
			hit = val;
		}
	return hit;
}

/* "0x<hex>" or decimal, the whole token, no overflow. */
static int parse_u64(const struct tok *v, uint64_t *out)
{
	unsigned base = 10;
	size_t i = 0;
	uint64_t x = 0;

	if (v->n > 2 && v->p[0] == '0' && (v->p[1] == 'x' || v->p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == v->n)
		return -1;
	for (; i < v->n; i++) {
		char c = v->p[i];
		unsigned dgt;

		if (c >= '0' && c <= '9')
			dgt = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			dgt = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			dgt = (unsigned)(c - 'A' + 10);
		else
			return -1;
		if (x > (UINT64_MAX - dgt) / base)
			return -1;
		x = x * base + dgt;
	}
	*out = x;
	return 0;
}

#define BAD(m, ...) do { snprintf((m)->why, sizeof((m)->why), __VA_ARGS__); return -1; } while (0)

/* key=<number>, required. */
static int need_num(struct fx_marker *m, const struct tok *t, size_t k, const char *key,
		    uint64_t *out)
{
	struct tok v;

	if (!find_key(t, k, 1, key, &v))
		BAD(m, "%s= is missing", key);
	if (parse_u64(&v, out) < 0)
		BAD(m, "%s=%.*s is not a number", key, (int)v.n, v.p);
	return 0;
}

static int need_dev(struct fx_marker *m, const struct tok *t, size_t k)
{
	struct tok v;

	if (!find_key(t, k, 1, "dev", &v) || v.n == 0)
		BAD(m, "dev= is missing");
	m->dev = v.p;
	m->devlen = (uint32_t)v.n;
	return 0;
}

/* addr= and len= of an access; the range must be one the engine takes. */
static int need_range(struct fx_marker *m, const struct tok *t, size_t k)
{
	if (need_num(m, t, k, "addr", &m->addr) < 0 || need_num(m, t, k, "len", &m->len) < 0)
		return -1;
	if (m->len == 0)
		BAD(m, "len=0");
	if (m->len > (1ull << 32))
		BAD(m, "len=%llu is larger than 4 GiB", (unsigned long long)m->len);
	if (m->addr + (m->len - 1) < m->addr)
		BAD(m, "addr + len overflows");
	return 0;
}

static int parse_access(struct fx_marker *m, const struct tok *t, size_t k, uint16_t kind)
{
	m->kind = kind;
	if (kind == COH_EV_DEV_READ || kind == COH_EV_DEV_WRITE) {
		if (need_dev(m, t, k) < 0)
			return -1;
	}
	return need_range(m, t, k);
}

static int parse_done(struct fx_marker *m, const struct tok *t, size_t k)
{
	struct tok v;

	m->kind = COH_EV_DEV_DONE;
	m->addr = COH_ADDR_NONE;
	if (need_dev(m, t, k) < 0)
		return -1;
	if (find_key(t, k, 1, "handle", &v) && parse_u64(&v, &m->addr) < 0)
		BAD(m, "handle=%.*s is not a number", (int)v.n, v.p);
	return 0;
}

/* phase|run|seq begin|end key=X */
static int parse_scope(struct fx_marker *m, const struct tok *t, size_t k, uint8_t scope,
		       const char *key)
{
	struct tok v;
	uint64_t round;

	if (k < 2 || !(tok_is(&t[1], "begin") || tok_is(&t[1], "end")))
		BAD(m, "expected begin or end after %.*s", (int)t[0].n, t[0].p);
	m->kind = tok_is(&t[1], "begin") ? COH_EV_SCOPE_BEGIN : COH_EV_SCOPE_END;
	m->scope = scope;
	if (!find_key(t, k, 2, key, &v) || v.n == 0)
		BAD(m, "%s= is missing", key);
	if (scope == COH_SCOPE_RUN && parse_u64(&v, &round) < 0)
		BAD(m, "round=%.*s is not a number", (int)v.n, v.p);
	m->text = v.p;
	m->textlen = (uint32_t)v.n;
	return 0;
}

/* 1 when the first token is a keyword, with the line parsed into @m. */
static int parse_keyword(struct fx_marker *m, const struct tok *t, size_t k, int *ok)
{
	static const struct {
		const char *word;
		uint16_t kind;
	} access[] = {
		{ "cpu_write", COH_EV_CPU_WRITE }, { "cpu_read", COH_EV_CPU_READ },
		{ "dev_write", COH_EV_DEV_WRITE }, { "dev_read", COH_EV_DEV_READ },
	};

	for (size_t i = 0; i < sizeof(access) / sizeof(access[0]); i++)
		if (tok_is(&t[0], access[i].word)) {
			*ok = parse_access(m, t, k, access[i].kind) == 0;
			return 1;
		}
	if (tok_is(&t[0], "dev_done"))
		*ok = parse_done(m, t, k) == 0;
	else if (tok_is(&t[0], "phase"))
		*ok = parse_scope(m, t, k, COH_SCOPE_PHASE, "name") == 0;
	else if (tok_is(&t[0], "run"))
		*ok = parse_scope(m, t, k, COH_SCOPE_RUN, "round") == 0;
	else if (tok_is(&t[0], "seq"))
		*ok = parse_scope(m, t, k, COH_SCOPE_SEQ, "id") == 0;
	else
		return 0;
	return 1;
}

void fx_marker_parse(const char *s, size_t n, struct fx_marker *m)
{
	struct tok t[MAX_TOKS];
	size_t line = 0, k;
	int ok = 0;

	memset(m, 0, sizeof(*m));
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\0'))
		n--;
	while (line < n && s[line] != '\n')
		line++;
	for (size_t i = line; i < n; i++)
		if (!is_space(s[i]))
			m->multiline = 1;
	k = split(s, line, t);
	if (k && parse_keyword(m, t, k, &ok) && ok)
		return;
	m->malformed = k && !ok && m->why[0];
	m->kind = COH_EV_MARK;
	m->addr = m->len = 0;
	m->dev = NULL;
	m->devlen = 0;
	m->text = s;
	m->textlen = (uint32_t)n;
}
