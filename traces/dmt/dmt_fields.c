/* SPDX-License-Identifier: MIT */
/*
 * dmt_fields.c - which fields each event kind takes in a .dmt line, and the
 * value syntax the reader and the writer share (numbers, timestamps,
 * NTSTATUS names).
 */
#include <string.h>

#include "dmt-local.h"

static const char *const field_names[DMT_NFIELDS] = {
#define DMT_FIELD_NAME(sfx, name) [DMT_##sfx] = name,
	DMT_FIELDS(DMT_FIELD_NAME)
#undef DMT_FIELD_NAME
};

const char *dmt_field_name(unsigned f)
{
	return f < DMT_NFIELDS ? field_names[f] : "?";
}

static const uint8_t field_lens[DMT_NFIELDS] = {
#define DMT_FIELD_LEN(sfx, name) [DMT_##sfx] = sizeof(name) - 1,
	DMT_FIELDS(DMT_FIELD_LEN)
#undef DMT_FIELD_LEN
};

int dmt_field_lookup(const char *s, size_t n)
{
	for (unsigned i = 0; i < DMT_NFIELDS; i++)
		if (field_lens[i] == n && memcmp(field_names[i], s, n) == 0)
			return (int)i;
	return -1;
}

uint32_t dmt_field_flag(unsigned f)
{
	switch (f) {
	case DMT_WRITE_TO_DEV:
		return COH_F_WRITE_TO_DEVICE;
	case DMT_READ_OP:
		return COH_F_READ_OP;
	case DMT_DMA_OP:
		return COH_F_DMA_OP;
	case DMT_CACHE_ENABLED:
		return COH_F_CACHE_ENABLED;
	case DMT_SKIP_CPU_SYNC:
		return COH_F_SKIP_CPU_SYNC;
	case DMT_TRUNCATED:
		return COH_F_TRUNCATED;
	case DMT_INFER:
		return COH_F_INFER;
	}
	return 0;
}

/* ---- per-kind tables ------------------------------------------------------ */

#define B(f) DMT_BIT(f)
#define ACC   (B(ADDR) | B(LEN))
#define LNX   (B(DEV) | B(DIR) | B(SKIP_CPU_SYNC) | B(INFER))
#define LNXR  (B(DEV) | B(DIR))
#define SGL   (B(SEG) | B(NENTS) | B(TRUNCATED))
#define WIN   (B(DEV) | B(INFER))
#define XFER  (B(SEG) | B(OFF) | B(LEN) | B(HANDLE) | B(IRP) | B(WRITE_TO_DEV))
#define XFERR (B(DEV) | B(SEG) | B(LEN) | B(WRITE_TO_DEV))

struct kind_fields {
	uint32_t allowed;            /* besides cpu= and src=, which every kind takes */
	uint32_t required;
	uint32_t shown;              /* written even at their default */
};

static const struct kind_fields kinds[COH_EV_COUNT] = {
	[COH_EV_CPU_READ]        = { ACC, ACC, 0 },
	[COH_EV_CPU_WRITE]       = { ACC | B(DATA), B(ADDR), B(LEN) },
	[COH_EV_DEV_READ]        = { B(DEV) | ACC, B(DEV) | ACC, 0 },
	[COH_EV_DEV_WRITE]       = { B(DEV) | ACC | B(DATA), B(DEV) | B(ADDR), B(LEN) },
	[COH_EV_DEV_DONE]        = { B(DEV) | B(HANDLE), B(DEV), 0 },
	[COH_EV_EVICT]           = { ACC, ACC, 0 },
	[COH_EV_SPEC_FILL]       = { ACC, ACC, 0 },
	[COH_EV_MARK]            = { B(TEXT), 0, 0 },
	[COH_EV_SCOPE_BEGIN]     = { B(SCOPE) | B(TEXT), B(SCOPE), 0 },
	[COH_EV_SCOPE_END]       = { B(SCOPE) | B(TEXT), B(SCOPE), 0 },
	[COH_EV_TRACE_END]       = { 0, 0, 0 },
	[COH_EV_DMA_ALLOC]       = { LNX | B(ADDR) | B(BUS) | B(LEN), B(DEV) | B(BUS) | B(LEN), 0 },
	[COH_EV_DMA_FREE]        = { LNX | B(ADDR) | B(BUS) | B(LEN), B(DEV) | B(BUS) | B(LEN), 0 },
	[COH_EV_DMA_ALLOC_PAGES] = { LNX | B(ADDR) | B(BUS) | B(LEN) | SGL, LNXR, 0 },
	[COH_EV_DMA_FREE_PAGES]  = { LNX | B(ADDR) | B(BUS) | B(LEN) | SGL, LNXR, 0 },
	[COH_EV_DMA_MAP]         = { LNX | B(ADDR) | B(BUS) | B(LEN),
				     LNXR | B(ADDR) | B(BUS) | B(LEN), 0 },
	[COH_EV_DMA_UNMAP]       = { LNX | B(BUS) | B(LEN), LNXR | B(BUS) | B(LEN), 0 },
	[COH_EV_DMA_MAP_SG]      = { LNX | SGL, LNXR | B(SEG), 0 },
	[COH_EV_DMA_UNMAP_SG]    = { LNX | SGL, LNXR | B(SEG), 0 },
	[COH_EV_DMA_SYNC_CPU]    = { LNX | B(BUS) | B(LEN), LNXR | B(BUS) | B(LEN), 0 },
	[COH_EV_DMA_SYNC_DEV]    = { LNX | B(BUS) | B(LEN), LNXR | B(BUS) | B(LEN), 0 },
	[COH_EV_DMA_SYNC_SG_CPU] = { LNX | SGL, LNXR | B(SEG), 0 },
	[COH_EV_DMA_SYNC_SG_DEV] = { LNX | SGL, LNXR | B(SEG), 0 },
	[COH_EV_DMA_MAP_RES]     = { LNX | B(ADDR) | B(BUS) | B(LEN), LNXR | B(BUS) | B(LEN), 0 },
	[COH_EV_DMA_UNMAP_RES]   = { LNX | B(ADDR) | B(BUS) | B(LEN), LNXR | B(BUS) | B(LEN), 0 },
	[COH_EV_ALLOC_COMMON]    = { WIN | B(ADDR) | B(BUS) | B(LEN) | B(CACHE_ENABLED),
				     B(DEV) | B(ADDR) | B(LEN) | B(CACHE_ENABLED), 0 },
	[COH_EV_FREE_COMMON]     = { WIN | B(ADDR) | B(BUS) | B(LEN), B(DEV) | B(LEN), 0 },
	[COH_EV_KE_FLUSH]        = { WIN | B(SEG) | B(READ_OP) | B(DMA_OP),
				     B(DEV) | B(SEG) | B(READ_OP) | B(DMA_OP), 0 },
	[COH_EV_MAP_TRANSFER]    = { WIN | XFER | B(BUS), XFERR, 0 },
	[COH_EV_MAP_TRANSFER_EX] = { WIN | XFER | B(BUS), XFERR, 0 },
	[COH_EV_FLUSH_ADAPTER]   = { WIN | XFER | B(STATUS), XFERR, 0 },
	[COH_EV_FLUSH_ADAPTER_EX] = { WIN | XFER | B(STATUS), XFERR, 0 },
	[COH_EV_GET_SG]          = { WIN | XFER, XFERR, 0 },
	[COH_EV_PUT_SG]          = { WIN | B(HANDLE) | B(WRITE_TO_DEV),
				     B(DEV) | B(WRITE_TO_DEV), 0 },
	[COH_EV_FREE_MAP_REGS]   = { WIN | B(HANDLE), B(DEV), 0 },
	[COH_EV_FREE_ADAPTER]    = { WIN, B(DEV), 0 },
	[COH_EV_IRP_COMPLETE]    = { B(INFER) | B(IRP) | B(STATUS), B(IRP), B(STATUS) },
};

#undef B

uint32_t dmt_allowed(unsigned kind)
{
	return kind < COH_EV_COUNT ? kinds[kind].allowed | DMT_BIT(CPU) | DMT_BIT(SRC) : 0;
}

uint32_t dmt_required(unsigned kind)
{
	return kind < COH_EV_COUNT ? kinds[kind].required : 0;
}

uint32_t dmt_shown(unsigned kind)
{
	return kind < COH_EV_COUNT ? kinds[kind].required | kinds[kind].shown : 0;
}

uint8_t dmt_default_dir(unsigned kind)
{
	/* dma_alloc_coherent() takes no direction; the kernel's event may lack one */
	if (kind == COH_EV_DMA_ALLOC || kind == COH_EV_DMA_FREE)
		return COH_DIR_BIDIRECTIONAL;
	return COH_DIR_NONE;
}

void dmt_list_fields(uint32_t mask, char *buf, size_t n)
{
	size_t k = 0;

	if (n)
		buf[0] = 0;
	for (unsigned f = 0; f < DMT_NFIELDS && n; f++) {
		int w;

		if (!(mask & (1u << f)))
			continue;
		w = snprintf(buf + k, n - k, "%s%s", k ? ", " : "", field_names[f]);
		if (w < 0 || (size_t)w >= n - k)
			return;
		k += (size_t)w;
	}
}

void dmt_platform_none(struct coh_platform *p)
{
	memset(p, 0, sizeof(*p));
	p->line = 64;
	p->sets = 64;
	p->ways = 8;
	p->ncpus = 1;
	p->dev_default.dma_version = 2;
}

/* ---- NTSTATUS ------------------------------------------------------------- */

static const struct {
	const char *name;
	uint32_t value;
} statuses[] = {
	{ "STATUS_SUCCESS",                0x00000000u },
	{ "STATUS_PENDING",                0x00000103u },
	{ "STATUS_UNSUCCESSFUL",           0xC0000001u },
	{ "STATUS_INVALID_PARAMETER",      0xC000000Du },
	{ "STATUS_BUFFER_TOO_SMALL",       0xC0000023u },
	{ "STATUS_INSUFFICIENT_RESOURCES", 0xC000009Au },
	{ "STATUS_DEVICE_DATA_ERROR",      0xC000009Cu },
	{ "STATUS_DEVICE_NOT_READY",       0xC00000A3u },
	{ "STATUS_NOT_SUPPORTED",          0xC00000BBu },
	{ "STATUS_CANCELLED",              0xC0000120u },
	{ "STATUS_IO_DEVICE_ERROR",        0xC0000185u },
	/* the FlushAdapterBuffersEx page's spelling (a typo), read but never written */
	{ "STATUS_INVALID_PARAMETERS",     0xC000000Du },
};

#define NSTATUSES (sizeof(statuses) / sizeof(statuses[0]))

static int word_eq(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

int dmt_status_parse(const char *s, size_t n, int32_t *out)
{
	uint64_t v;

	if (word_eq(s, n, "TRUE") || word_eq(s, n, "FALSE")) {
		*out = s[0] == 'T';
		return 0;
	}
	for (size_t i = 0; i < NSTATUSES; i++) {
		if (word_eq(s, n, statuses[i].name)) {
			*out = (int32_t)statuses[i].value;
			return 0;
		}
	}
	if (n > 1 && s[0] == '-') {
		if (dmt_parse_u64(s + 1, n - 1, &v) < 0 || v > 0x80000000u)
			return -1;
		*out = (int32_t)(0 - (int64_t)v);
		return 0;
	}
	if (dmt_parse_u64(s, n, &v) < 0 || v > UINT32_MAX)
		return -1;
	*out = (int32_t)(uint32_t)v;
	return 0;
}

const char *dmt_status_name(int32_t st)
{
	for (size_t i = 0; i < NSTATUSES; i++)
		if (statuses[i].value == (uint32_t)st)
			return statuses[i].name;
	return NULL;
}

/* ---- numbers and timestamps ---------------------------------------------- */

int dmt_parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (size_t i = 2; i < n; i++) {
			int h = trace_hexval((unsigned char)s[i]);

			if (h < 0)
				return -1;
			if (v >> 60)
				return -2;
			v = v << 4 | (uint64_t)h;
		}
		*out = v;
		return 0;
	}
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -2;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int dmt_parse_ts(const char *s, size_t n, uint64_t *out)
{
	const char *dot = memchr(s, '.', n);
	size_t ilen = dot ? (size_t)(dot - s) : n;
	uint64_t sec, frac = 0;
	int r;

	if (ilen == 0)
		return -1;
	for (size_t i = 0; i < ilen; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	r = dmt_parse_u64(s, ilen, &sec);
	if (r < 0)
		return r;
	if (dot) {
		size_t flen = n - ilen - 1;

		if (flen == 0)
			return -1;
		for (size_t i = 0; i < flen; i++) {
			unsigned d = (unsigned)(unsigned char)dot[1 + i] - '0';

			if (d > 9)
				return -1;
			if (i >= 9)
				return -3;
			frac = frac * 10 + d;
		}
		for (size_t i = flen; i < 9; i++)
			frac *= 10;
	}
	if (sec > (UINT64_MAX - frac) / 1000000000u)
		return -2;
	*out = sec * 1000000000u + frac;
	return 0;
}

uint64_t dmt_next_ts(int have_prev, uint64_t prev)
{
	if (!have_prev)
		return 0;
	return prev == UINT64_MAX ? prev : prev + 1;
}
