/* SPDX-License-Identifier: MIT */
/*
 * etw_value.c - the text forms tracerpt and etl2xml give field values and
 * timestamps, turned into numbers.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "etw-local.h"

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return s;
}

/* 1 when only blanks remain */
static int at_end(const char *s)
{
	return *skip_blanks(s) == 0;
}

/* digits of base 10 or 16 from *sp, at least one; stops at the first non-digit */
static int digits(const char **sp, unsigned base, uint64_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;
	int k, any = 0;

	while ((k = trace_hexval((unsigned char)*s)) >= 0 && (unsigned)k < base) {
		if (v > (UINT64_MAX - (uint64_t)k) / base)
			return -1;
		v = v * base + (uint64_t)k;
		s++;
		any = 1;
	}
	if (!any)
		return -1;
	*sp = s;
	*out = v;
	return 0;
}

int etw_parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;

	s = skip_blanks(s);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (digits(&s, base, out) < 0)
		return -1;
	return at_end(s) ? 0 : -1;
}

int etw_parse_bool(const char *s, int *out)
{
	static const char *const names[][2] = {
		{ "false", "true" }, { "0", "1" },
	};
	size_t n;

	s = skip_blanks(s);
	n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	for (size_t i = 0; i < 2; i++)
		for (int v = 0; v < 2; v++)
			if (strlen(names[i][v]) == n && strncasecmp(s, names[i][v], n) == 0) {
				*out = v;
				return 0;
			}
	return -1;
}

static const struct {
	const char *name;
	int32_t value;
} status_names[] = {
	{ "STATUS_SUCCESS", COH_STATUS_SUCCESS },
	{ "STATUS_UNSUCCESSFUL", COH_STATUS_UNSUCCESSFUL },
	{ "STATUS_INVALID_PARAMETER", COH_STATUS_INVALID_PARAMETER },
};

int etw_parse_status(const char *s, int32_t *out)
{
	uint64_t v;

	s = skip_blanks(s);
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++) {
		size_t k = strlen(status_names[i].name);

		if (strncmp(s, status_names[i].name, k) == 0 && at_end(s + k)) {
			*out = status_names[i].value;
			return 0;
		}
	}
	if (*s == '-') {
		s++;
		if (digits(&s, 10, &v) < 0 || !at_end(s) || v > 0x80000000ull)
			return -1;
		*out = (int32_t)(0 - (uint32_t)v);
		return 0;
	}
	if (etw_parse_u64(s, &v) < 0 || v > UINT32_MAX)
		return -1;
	*out = (int32_t)(uint32_t)v;
	return 0;
}

int etw_parse_hex_bytes(const char *s, uint8_t **out, size_t *n)
{
	size_t len;
	uint8_t *b;

	*out = NULL;
	*n = 0;
	s = skip_blanks(s);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	len = strlen(s);
	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	if (len % 2 || len / 2 > ETW_MAX_VALUE)
		return -1;
	if (!len)
		return 0;
	b = malloc(len / 2);
	if (!b)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = trace_hexval((unsigned char)s[2 * i]), lo = trace_hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			free(b);
			return -1;
		}
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = b;
	*n = len / 2;
	return 0;
}

static int is_sep(char c)
{
	return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t etw_list_cap(const char *s)
{
	size_t n = strlen(s) / 2 + 1;

	return n < ETW_MAX_ITEMS ? n : ETW_MAX_ITEMS;
}

long etw_split_list(char *s, char **items, size_t max)
{
	size_t n = 0, len;

	while (*s && is_sep(*s))
		s++;
	len = strlen(s);
	while (len && is_sep(s[len - 1]))
		len--;
	if (len >= 2 && ((s[0] == '[' && s[len - 1] == ']') || (s[0] == '{' && s[len - 1] == '}'))) {
		s++;
		len -= 2;
	}
	s[len] = 0;
	for (;;) {
		while (*s && is_sep(*s))
			s++;
		if (!*s)
			return (long)n;
		if (n == max)
			return -1;
		items[n++] = s;
		while (*s && !is_sep(*s))
			s++;
		if (*s)
			*s++ = 0;
	}
}

int etw_filetime_ns(uint64_t ft, uint64_t *ns)
{
	if (ft > UINT64_MAX / 100)
		return -1;
	*ns = ft * 100;
	return 0;
}

/* days from 0001-01-01 to January 1st of year y (proleptic Gregorian) */
static uint64_t days_before_year(uint64_t y)
{
	y -= 1;
	return y * 365 + y / 4 - y / 100 + y / 400;
}

static int leap(uint64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static uint64_t days_before_month(uint64_t y, unsigned m)
{
	static const unsigned short cum[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273,
						304, 334 };
	return cum[m - 1] + (m > 2 && leap(y));
}

static unsigned days_in_month(uint64_t y, unsigned m)
{
	return m == 12 ? 31 : (unsigned)(days_before_month(y, m + 1) - days_before_month(y, m));
}

/* exactly @n decimal digits */
static int fixed(const char **sp, int n, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*sp)[i]))
			return -1;
		v = v * 10 + (unsigned)((*sp)[i] - '0');
	}
	*sp += n;
	*out = v;
	return 0;
}

static int expect(const char **sp, char c)
{
	if (**sp != c)
		return -1;
	(*sp)++;
	return 0;
}

/* ".fffffffff" (any number of digits, the first 9 count) into ns */
static int fraction(const char **sp, uint64_t *ns)
{
	const char *s = *sp;
	uint64_t v = 0;
	int k = 0;

	*ns = 0;
	if (*s != '.')
		return 0;
	s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++)
		if (k < 9) {
			v = v * 10 + (uint64_t)(*s - '0');
			k++;
		}
	for (; k < 9; k++)
		v *= 10;
	*sp = s;
	*ns = v;
	return 0;
}

/* "Z", "+hh:mm", "-hh:mm" or nothing: seconds to subtract to get UTC */
static int zone(const char **sp, int64_t *off)
{
	unsigned hh, mm;
	int sign;

	*off = 0;
	if (**sp == 'Z' || **sp == 'z') {
		(*sp)++;
		return 0;
	}
	if (**sp != '+' && **sp != '-')
		return 0;
	sign = **sp == '-' ? -1 : 1;
	(*sp)++;
	if (fixed(sp, 2, &hh) < 0 || expect(sp, ':') < 0 || fixed(sp, 2, &mm) < 0 ||
	    hh > 23 || mm > 59)
		return -1;
	*off = sign * (int64_t)(hh * 3600 + mm * 60);
	return 0;
}

int etw_iso8601_ns(const char *s, uint64_t *ns)
{
	unsigned y, mo, d, h, mi, sec;
	uint64_t frac, days, secs;
	int64_t off;

	s = skip_blanks(s);
	if (fixed(&s, 4, &y) < 0 || expect(&s, '-') < 0 || fixed(&s, 2, &mo) < 0 ||
	    expect(&s, '-') < 0 || fixed(&s, 2, &d) < 0 || (*s != 'T' && *s != ' '))
		return -1;
	s++;
	if (fixed(&s, 2, &h) < 0 || expect(&s, ':') < 0 || fixed(&s, 2, &mi) < 0 ||
	    expect(&s, ':') < 0 || fixed(&s, 2, &sec) < 0 || fraction(&s, &frac) < 0 ||
	    zone(&s, &off) < 0 || !at_end(s))
		return -1;
	if (y < 1601 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	days = days_before_year(y) - days_before_year(1601) + days_before_month(y, mo) + d - 1;
	secs = days * 86400 + (uint64_t)h * 3600 + mi * 60 + sec;
	if (off > 0 && secs < (uint64_t)off)
		return -1;
	secs = off > 0 ? secs - (uint64_t)off : secs + (uint64_t)-off;
	if (secs > (UINT64_MAX - frac) / 1000000000ull)
		return -1;
	*ns = secs * 1000000000ull + frac;
	return 0;
}

int etw_guid_eq(const char *s, const char *guid)
{
	size_t n;

	s = skip_blanks(s);
	if (*s == '{')
		s++;
	n = strlen(guid);
	if (strncasecmp(s, guid, n) != 0)
		return 0;
	s += n;
	if (*s == '}')
		s++;
	return at_end(s);
}
