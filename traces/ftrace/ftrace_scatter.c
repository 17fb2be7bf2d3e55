/* SPDX-License-Identifier: MIT */
/*
 * ftrace_scatter.c - scatter lists, packed.
 *
 * A dma_map_sg of a disk request carries a handful of (physical, DMA,
 * length) triples; kept as struct coh_seg that is 24 bytes each, about
 * ten bytes per event of a disk-heavy trace.  Packed, each value is the
 * zigzag varint of its difference from the previous segment's (DMA
 * addresses from where the previous segment ended), which is a few bytes
 * for the runs of neighbouring pages and bounce slots a scatter list
 * usually is.  A leading byte says which of the three values the list has
 * (dma_unmap_sg has physical addresses only, the syncs DMA addresses and
 * lengths); absent ones decode as COH_ADDR_NONE and 0.
 */
#include "ftrace-local.h"

#define HAS_ADDR 1u
#define HAS_BUS  2u
#define HAS_LEN  4u

static uint8_t *put_var(uint8_t *p, uint64_t x)
{
	while (x >= 0x80) {
		*p++ = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	*p++ = (uint8_t)x;
	return p;
}

static const uint8_t *get_var(const uint8_t *p, uint64_t *x)
{
	uint64_t v = 0;
	unsigned shift = 0;

	do {
		v |= (uint64_t)(*p & 0x7f) << shift;
		shift += 7;
	} while (*p++ & 0x80 && shift < 64);
	*x = v;
	return p;
}

static uint64_t zig(uint64_t d)
{
	return (d << 1) ^ (uint64_t)-(int64_t)(d >> 63);
}

static uint64_t unzig(uint64_t z)
{
	return (z >> 1) ^ (uint64_t)-(int64_t)(z & 1);
}

size_t fx_scatter_max(uint32_t n)
{
	return 1 + (size_t)n * 30;
}

size_t fx_scatter_pack(uint8_t *out, const struct coh_seg *s, uint32_t n)
{
	unsigned has = 0;
	uint64_t addr = 0, bus = 0;
	uint8_t *p = out + 1;

	for (uint32_t i = 0; i < n; i++)
		has |= (s[i].addr != COH_ADDR_NONE ? HAS_ADDR : 0) |
		       (s[i].bus != COH_ADDR_NONE ? HAS_BUS : 0) | (s[i].len ? HAS_LEN : 0);
	out[0] = (uint8_t)has;
	for (uint32_t i = 0; i < n; i++) {
		if (has & HAS_ADDR) {
			p = put_var(p, zig(s[i].addr - addr));
			addr = s[i].addr;
		}
		if (has & HAS_BUS) {
			p = put_var(p, zig(s[i].bus - bus));
			bus = s[i].bus + s[i].len;
		}
		if (has & HAS_LEN)
			p = put_var(p, s[i].len);
	}
	return (size_t)(p - out);
}

/*
 * A value is left out only when every entry lacks it; otherwise missing
 * ones (COH_ADDR_NONE, a length of 0) are stored like any other and come
 * back exactly, differences being taken modulo 2^64.
 */
void fx_scatter_unpack(const uint8_t *in, struct coh_seg *s, uint32_t n)
{
	unsigned has = in[0];
	uint64_t addr = 0, bus = 0, x;
	const uint8_t *p = in + 1;

	for (uint32_t i = 0; i < n; i++) {
		s[i].addr = COH_ADDR_NONE;
		s[i].bus = COH_ADDR_NONE;
		s[i].len = 0;
		if (has & HAS_ADDR) {
			p = get_var(p, &x);
			addr += unzig(x);
			s[i].addr = addr;
		}
		if (has & HAS_BUS) {
			p = get_var(p, &x);
			s[i].bus = bus + unzig(x);
		}
		if (has & HAS_LEN) {
			p = get_var(p, &x);
			s[i].len = x;
		}
		if (has & HAS_BUS)
			bus = s[i].bus + s[i].len;
	}
}

size_t fx_scatter_len(const uint8_t *in, uint32_t n)
{
	unsigned has = in[0];
	unsigned per = !!(has & HAS_ADDR) + !!(has & HAS_BUS) + !!(has & HAS_LEN);
	const uint8_t *p = in + 1;

	for (uint64_t i = 0; i < (uint64_t)n * per; i++)
		while (*p++ & 0x80)
			;
	return (size_t)(p - in);
}

uint64_t fx_scatter_first_addr(const uint8_t *in)
{
	uint64_t x;

	if (!(in[0] & HAS_ADDR))
		return COH_ADDR_NONE;
	get_var(in + 1, &x);
	return unzig(x);
}
