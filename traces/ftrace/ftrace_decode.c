/* SPDX-License-Identifier: MIT */
/*
 * ftrace_decode.c - one trace.dat record -> one engine event.
 *
 * Events and fields are found by name in the file's own format data, so
 * traces of different kernels load: 6.12's dma_map_page/dma_unmap_page and
 * dma_map_resource/dma_unmap_resource, 6.18's dma_map_phys/dma_unmap_phys
 * (DMA_ATTR_MMIO marks the resource mappings that later kernels trace
 * there), dma_alloc with or without "dir", and so on.  A known event that
 * lacks a field it needs makes the file unreadable; an optional field that
 * is missing takes its default.  Field positions are resolved once per
 * event id, so decoding a record is a table lookup plus a few loads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "ftrace-local.h"

/* Which fields an operation reads: "a|b" = the first of those names present. */
struct fx_want {
	uint8_t op;
	uint8_t role;
	uint8_t required;
	const char *names;
};

#define MAPLIKE(op) \
	{ op, R_PHYS, 1, "phys_addr" }, { op, R_DMA, 1, "dma_addr" }, \
	{ op, R_SIZE, 1, "size" }, { op, R_DIR, 1, "dir" }, { op, R_ATTRS, 0, "attrs" }
#define UNMAPLIKE(op) \
	{ op, R_DMA, 1, "addr|dma_addr" }, { op, R_SIZE, 1, "size" }, \
	{ op, R_DIR, 1, "dir" }, { op, R_ATTRS, 0, "attrs" }
#define ALLOCLIKE(op) \
	{ op, R_DMA, 1, "dma_addr" }, { op, R_SIZE, 1, "size" }, { op, R_DIR, 0, "dir" }, \
	{ op, R_PHYS, 0, "phys_addr" }, { op, R_ATTRS, 0, "attrs" }, { op, R_VIRT, 0, "virt_addr" }
#define SGTLIKE(op) \
	{ op, R_PHYS_ARR, 1, "phys_addrs" }, { op, R_DMA, 1, "dma_addr" }, \
	{ op, R_SIZE, 1, "size" }, { op, R_DIR, 0, "dir" }, { op, R_ATTRS, 0, "attrs" }
#define SYNCLIKE(op) \
	{ op, R_DMA, 1, "dma_addr" }, { op, R_SIZE, 1, "size" }, { op, R_DIR, 1, "dir" }
#define SYNCSGLIKE(op) \
	{ op, R_DMA_ARR, 1, "dma_addrs" }, { op, R_LEN_ARR, 1, "lengths" }, { op, R_DIR, 1, "dir" }

static const struct fx_want wants[] = {
	MAPLIKE(FX_MAP), MAPLIKE(FX_MAP_RES),
	UNMAPLIKE(FX_UNMAP), UNMAPLIKE(FX_UNMAP_RES),
	ALLOCLIKE(FX_ALLOC), ALLOCLIKE(FX_FREE), ALLOCLIKE(FX_ALLOC_PAGES), ALLOCLIKE(FX_FREE_PAGES),
	SGTLIKE(FX_ALLOC_SGT), SGTLIKE(FX_FREE_SGT),
	{ FX_MAP_SG, R_PHYS_ARR, 1, "phys_addrs" }, { FX_MAP_SG, R_DMA_ARR, 1, "dma_addrs" },
	{ FX_MAP_SG, R_LEN_ARR, 1, "lengths" }, { FX_MAP_SG, R_NENTS, 0, "full_nents" },
	{ FX_MAP_SG, R_TRUNC, 0, "truncated" }, { FX_MAP_SG, R_DIR, 1, "dir" },
	{ FX_MAP_SG, R_ATTRS, 0, "attrs" },
	{ FX_UNMAP_SG, R_PHYS_ARR, 1, "addrs|phys_addrs" }, { FX_UNMAP_SG, R_DIR, 1, "dir" },
	{ FX_UNMAP_SG, R_ATTRS, 0, "attrs" },
	SYNCLIKE(FX_SYNC_CPU), SYNCLIKE(FX_SYNC_DEV),
	SYNCSGLIKE(FX_SYNC_SG_CPU), SYNCSGLIKE(FX_SYNC_SG_DEV),
	{ FX_PRINT, R_BUF, 1, "buf" },
};

static const struct {
	const char *name;
	uint8_t op;
} dma_events[] = {
	{ "dma_map_page", FX_MAP },           { "dma_map_phys", FX_MAP },
	{ "dma_unmap_page", FX_UNMAP },       { "dma_unmap_phys", FX_UNMAP },
	{ "dma_map_resource", FX_MAP_RES },   { "dma_unmap_resource", FX_UNMAP_RES },
	{ "dma_alloc", FX_ALLOC },            { "dma_free", FX_FREE },
	{ "dma_alloc_pages", FX_ALLOC_PAGES }, { "dma_free_pages", FX_FREE_PAGES },
	{ "dma_alloc_sgt", FX_ALLOC_SGT },    { "dma_free_sgt", FX_FREE_SGT },
	{ "dma_map_sg", FX_MAP_SG },          { "dma_unmap_sg", FX_UNMAP_SG },
	{ "dma_sync_single_for_cpu", FX_SYNC_CPU },
	{ "dma_sync_single_for_device", FX_SYNC_DEV },
	{ "dma_sync_sg_for_cpu", FX_SYNC_SG_CPU },
	{ "dma_sync_sg_for_device", FX_SYNC_SG_DEV },
};

int fx_op_of(const char *system, const char *name)
{
	size_t len;

	if (!system || !name)
		return FX_OTHER;
	if (strcmp(system, "ftrace") == 0)
		return strcmp(name, "print") == 0 ? FX_PRINT :
		       strcmp(name, "bprint") == 0 || strcmp(name, "bputs") == 0 ? FX_BPRINT :
		       FX_OTHER;
	if (strcmp(system, "dma") != 0)
		return FX_OTHER;
	for (size_t i = 0; i < sizeof(dma_events) / sizeof(dma_events[0]); i++)
		if (strcmp(name, dma_events[i].name) == 0)
			return dma_events[i].op;
	len = strlen(name);
	if (len > 4 && strcmp(name + len - 4, "_err") == 0)
		return FX_ERR;
	return FX_OTHER;
}

/* ---- resolving fields -------------------------------------------------------- */

/* Element size of a dynamic array from its C type ("__data_loc u64[]"). */
static int elem_size(struct tep_handle *tep, const struct tep_format_field *f)
{
	const char *t = f->type ? f->type : "";

	if (strstr(t, "64") || strstr(t, "long long") || strstr(t, "dma_addr_t") ||
	    strstr(t, "phys_addr_t"))
		return 8;
	if (strstr(t, "32") || strstr(t, "int"))
		return 4;
	if (strstr(t, "16") || strstr(t, "short"))
		return 2;
	if (strstr(t, "long"))
		return tep_get_long_size(tep);
	if (strstr(t, "char") || strstr(t, "8") || strstr(t, "bool"))
		return 1;
	return f->elementsize == 1 || f->elementsize == 2 || f->elementsize == 4 ||
	       f->elementsize == 8 ? (int)f->elementsize : 0;
}

static int scalar_size_ok(int size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Fill @out from @f for @role; 0 when the field has the shape the role needs. */
static int resolve(struct tep_handle *tep, const struct tep_format_field *f, int role,
		   struct fx_fld *out)
{
	int dyn = !!(f->flags & TEP_FIELD_IS_DYNAMIC);

	if (f->offset < 0 || f->size < 0 || f->offset > 0xffff || f->size > 0xffff)
		return -1;
	out->off = f->offset;
	out->size = f->size;
	out->dyn = (uint8_t)dyn;
	out->rel = !!(f->flags & TEP_FIELD_IS_RELATIVE);
	switch (role) {
	case R_DEVICE:
		return dyn && f->size == 4 ? 0 : -1;
	case R_PHYS_ARR:
	case R_DMA_ARR:
	case R_LEN_ARR:
		out->elem = (uint8_t)elem_size(tep, f);
		return dyn && f->size == 4 && out->elem ? 0 : -1;
	case R_BUF:
		return !dyn && (f->flags & TEP_FIELD_IS_ARRAY) ? 0 : -1;
	default:
		return !dyn && scalar_size_ok(f->size) ? 0 : -1;
	}
}

/* Resolve one want on @ev; -1 with @err set when a required field is unusable. */
static int resolve_want(struct fx_decoder *d, struct tep_event *ev, const struct fx_want *w,
			struct fx_slot *s, char *err, size_t n)
{
	char names[64];
	char *save = NULL;

	snprintf(names, sizeof(names), "%s", w->names);
	for (char *nm = strtok_r(names, "|", &save); nm; nm = strtok_r(NULL, "|", &save)) {
		struct tep_format_field *f = tep_find_field(ev, nm);

		if (!f)
			continue;
		if (resolve(d->tep, f, w->role, &s->f[w->role]) == 0) {
			s->f[w->role].present = 1;
			return 0;
		}
		if (w->required) {
			snprintf(err, n, "event %s:%s: field '%s' (%s, %d bytes) has an unexpected type",
				 ev->system, ev->name, nm, f->type ? f->type : "?", f->size);
			return -1;
		}
		return 0;
	}
	if (!w->required)
		return 0;
	snprintf(err, n, "event %s:%s: required field '%s' is missing from its format", ev->system,
		 ev->name, w->names);
	return -1;
}

static int resolve_slot(struct fx_decoder *d, struct tep_event *ev, struct fx_slot *s,
			char *err, size_t n)
{
	struct tep_format_field *dev;

	memset(s, 0, sizeof(*s));
	s->name = ev->name ? ev->name : "?";
	s->op = fx_op_of(ev->system, ev->name);
	dev = tep_find_field(ev, "device");
	if (dev && resolve(d->tep, dev, R_DEVICE, &s->f[R_DEVICE]) == 0) {
		s->f[R_DEVICE].present = 1;
		s->has_dev = 1;
	}
	if (s->op != FX_OTHER && s->op != FX_ERR && s->op != FX_PRINT && s->op != FX_BPRINT &&
	    !s->has_dev) {
		snprintf(err, n, "event %s:%s: required field 'device' is missing or not a string",
			 ev->system, ev->name);
		return -1;
	}
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++)
		if (wants[i].op == s->op && resolve_want(d, ev, &wants[i], s, err, n) < 0)
			return -1;
	return 0;
}

/* Where common_type is: from any event's common fields. */
static void find_type_field(struct fx_decoder *d, int nevents)
{
	d->type_off = 0;
	d->type_size = 2;
	for (int i = 0; i < nevents; i++) {
		struct tep_event *ev = tep_get_event(d->tep, i);
		struct tep_format_field *f;

		if (!ev)
			continue;
		for (f = ev->format.common_fields; f; f = f->next)
			if (f->name && strcmp(f->name, "common_type") == 0 && scalar_size_ok(f->size) &&
			    f->offset >= 0 && f->offset < 64) {
				d->type_off = f->offset;
				d->type_size = f->size;
				return;
			}
	}
}

int fx_decoder_init(struct fx_decoder *d, struct tep_handle *tep, char *err, size_t n)
{
	int nevents = tep_get_events_count(tep);

	memset(d, 0, sizeof(*d));
	trace_seq_init(&d->seq);
	d->tep = tep;
	d->swap = tep_is_file_bigendian(tep) != tep_is_local_bigendian(tep);
	d->slot_of = calloc(65536, sizeof(*d->slot_of));
	d->slots = calloc(nevents > 0 ? (size_t)nevents : 1, sizeof(*d->slots));
	d->capsegs = 64;
	d->devgen = 1;
	d->segs = malloc(d->capsegs * sizeof(*d->segs));
	if (!d->slot_of || !d->slots || !d->segs) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	find_type_field(d, nevents);
	for (int i = 0; i < nevents; i++) {
		struct tep_event *ev = tep_get_event(tep, i);

		if (!ev || ev->id < 0 || ev->id > 0xffff || d->slot_of[ev->id])
			continue;
		if (resolve_slot(d, ev, &d->slots[d->nslots], err, n) < 0)
			return -1;
		d->slot_of[ev->id] = (uint16_t)++d->nslots;
	}
	return 0;
}

void fx_decoder_free(struct fx_decoder *d)
{
	trace_seq_destroy(&d->seq);
	free(d->slot_of);
	free(d->slots);
	free(d->segs);
	memset(d, 0, sizeof(*d));
}

/* ---- reading a record ------------------------------------------------------------ */

/* coh_event_init(), without the call: this runs once per record. */
static void ev_init(struct coh_event *ev, unsigned kind)
{
	static const struct coh_event blank = {
		.addr = COH_ADDR_NONE, .bus = COH_ADDR_NONE, .handle = COH_ADDR_NONE,
		.src = COH_SRC_NONE, .dir = COH_DIR_NONE,
	};

	*ev = blank;
	ev->kind = (uint16_t)kind;
}

static uint64_t load_num(const struct fx_decoder *d, const unsigned char *p, int size)
{
	uint8_t b1;
	uint16_t b2;
	uint32_t b4;
	uint64_t b8;

	switch (size) {
	case 1:
		memcpy(&b1, p, 1);
		return b1;
	case 2:
		memcpy(&b2, p, 2);
		return d->swap ? __builtin_bswap16(b2) : b2;
	case 4:
		memcpy(&b4, p, 4);
		return d->swap ? __builtin_bswap32(b4) : b4;
	default:
		memcpy(&b8, p, 8);
		return d->swap ? __builtin_bswap64(b8) : b8;
	}
}

/* A scalar field; @def when the event lacks it or the record is too short. */
static uint64_t get_num(const struct fx_decoder *d, const unsigned char *data, uint32_t size,
			const struct fx_fld *f, uint64_t def)
{
	if (!f->present || (uint32_t)(f->off + f->size) > size)
		return def;
	return load_num(d, data + f->off, f->size);
}

/* A dynamic field: its bytes and length; -1 when it lies outside the record. */
static int get_dyn(const struct fx_decoder *d, const unsigned char *data, uint32_t size,
		   const struct fx_fld *f, const unsigned char **p, uint32_t *len)
{
	uint32_t w, off;

	if (!f->present || (uint32_t)(f->off + 4) > size)
		return -1;
	w = (uint32_t)load_num(d, data + f->off, 4);
	off = w & 0xffff;
	*len = w >> 16;
	if (f->rel)
		off += (uint32_t)(f->off + 4);
	if (off > size || *len > size - off)
		return -1;
	*p = data + off;
	return 0;
}

/* Element @i of a dynamic array. */
static uint64_t arr_at(const struct fx_decoder *d, const unsigned char *p, int elem, uint32_t i)
{
	return load_num(d, p + (size_t)i * (size_t)elem, elem);
}

static int need_segs(struct fx_decoder *d, uint32_t n)
{
	struct coh_seg *s;

	if (n <= d->capsegs)
		return 0;
	s = realloc(d->segs, n * sizeof(*s));
	if (!s)
		return -1;
	d->segs = s;
	d->capsegs = n;
	return 0;
}

#define BADF(out, ...) do { (out)->cls = FXC_BAD; \
	snprintf((out)->why, sizeof((out)->why), __VA_ARGS__); return; } while (0)

/* A dynamic array field: pointer, element size and count. */
struct fx_arr {
	const unsigned char *p;
	uint32_t n;
	int elem;
};

static int get_arr(const struct fx_decoder *d, const unsigned char *data, uint32_t size,
		   const struct fx_fld *f, struct fx_arr *a)
{
	uint32_t len;

	if (get_dyn(d, data, size, f, &a->p, &len) < 0)
		return -1;
	a->elem = f->elem;
	a->n = len / (uint32_t)f->elem;
	return 0;
}

/* Context of one record being decoded. */
struct fx_rec {
	struct fx_decoder *d;
	const struct fx_slot *s;
	const unsigned char *data;
	uint32_t size;
};

static uint64_t num(const struct fx_rec *r, int role, uint64_t def)
{
	return get_num(r->d, r->data, r->size, &r->s->f[role], def);
}

static void set_dir_attrs(const struct fx_rec *r, struct fx_event *out, uint64_t def_dir)
{
	uint64_t attrs = num(r, R_ATTRS, 0);
	uint64_t dir = num(r, R_DIR, def_dir);

	out->ev.dir = dir <= COH_DIR_NONE ? (uint8_t)dir : 0xff;
	if (attrs & FX_ATTR_SKIP_CPU_SYNC)
		out->ev.flags |= COH_F_SKIP_CPU_SYNC;
}

static void dec_map(const struct fx_rec *r, struct fx_event *out, int unmap)
{
	uint64_t attrs = num(r, R_ATTRS, 0);
	int res = r->s->op == FX_MAP_RES || r->s->op == FX_UNMAP_RES || (attrs & FX_ATTR_MMIO);

	if (unmap)
		ev_init(&out->ev, res ? COH_EV_DMA_UNMAP_RES : COH_EV_DMA_UNMAP);
	else
		ev_init(&out->ev, res ? COH_EV_DMA_MAP_RES : COH_EV_DMA_MAP);
	if (!unmap)
		out->ev.addr = num(r, R_PHYS, COH_ADDR_NONE);
	out->ev.bus = num(r, R_DMA, COH_ADDR_NONE);
	out->ev.len = num(r, R_SIZE, 0);
	set_dir_attrs(r, out, COH_DIR_BIDIRECTIONAL);
}

static void dec_alloc(const struct fx_rec *r, struct fx_event *out)
{
	int op = r->s->op;
	int alloc = op == FX_ALLOC || op == FX_ALLOC_PAGES;

	if (alloc && r->s->f[R_VIRT].present && num(r, R_VIRT, 1) == 0) {
		out->cls = FXC_ERR;   /* the allocation failed: nothing was allocated */
		return;
	}
	if (op == FX_ALLOC)
		ev_init(&out->ev, COH_EV_DMA_ALLOC);
	else if (op == FX_FREE)
		ev_init(&out->ev, COH_EV_DMA_FREE);
	else
		ev_init(&out->ev, alloc ? COH_EV_DMA_ALLOC_PAGES : COH_EV_DMA_FREE_PAGES);
	out->ev.bus = num(r, R_DMA, COH_ADDR_NONE);
	out->ev.len = num(r, R_SIZE, 0);
	/* without a traced physical address, the DMA address stands for it */
	out->ev.addr = num(r, R_PHYS, alloc ? out->ev.bus : COH_ADDR_NONE);
	set_dir_attrs(r, out, COH_DIR_BIDIRECTIONAL);
}

/* dma_alloc_sgt / dma_free_sgt: entry lengths are not traced; split evenly. */
static void dec_sgt(const struct fx_rec *r, struct fx_event *out)
{
	struct fx_arr phys;
	uint64_t size, each, bus;

	ev_init(&out->ev, r->s->op == FX_ALLOC_SGT ? COH_EV_DMA_ALLOC_PAGES :
			COH_EV_DMA_FREE_PAGES);
	if (get_arr(r->d, r->data, r->size, &r->s->f[R_PHYS_ARR], &phys) < 0 || phys.n == 0)
		BADF(out, "phys_addrs lies outside the record or is empty");
	bus = num(r, R_DMA, COH_ADDR_NONE);
	size = num(r, R_SIZE, 0);
	set_dir_attrs(r, out, COH_DIR_BIDIRECTIONAL);
	out->ev.bus = bus;
	out->ev.len = size;
	out->ev.addr = arr_at(r->d, phys.p, phys.elem, 0);
	if (phys.n == 1)
		return;
	if (need_segs(r->d, phys.n) < 0)
		BADF(out, "out of memory");
	each = size / phys.n;
	for (uint32_t i = 0; i < phys.n; i++) {
		struct coh_seg *s = &r->d->segs[i];

		s->addr = arr_at(r->d, phys.p, phys.elem, i);
		s->bus = bus == COH_ADDR_NONE ? bus : bus + each * i;
		s->len = i + 1 < phys.n ? each : size - each * i;
	}
	out->ev.segs = r->d->segs;
	out->ev.nsegs = out->ev.nents = phys.n;
}

static void dec_map_sg(const struct fx_rec *r, struct fx_event *out)
{
	struct fx_arr phys, dma, lens;
	uint32_t n;

	ev_init(&out->ev, COH_EV_DMA_MAP_SG);
	if (get_arr(r->d, r->data, r->size, &r->s->f[R_PHYS_ARR], &phys) < 0 ||
	    get_arr(r->d, r->data, r->size, &r->s->f[R_DMA_ARR], &dma) < 0 ||
	    get_arr(r->d, r->data, r->size, &r->s->f[R_LEN_ARR], &lens) < 0)
		BADF(out, "an array lies outside the record");
	n = phys.n < dma.n ? phys.n : dma.n;
	n = n < lens.n ? n : lens.n;
	if (need_segs(r->d, n ? n : 1) < 0)
		BADF(out, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		r->d->segs[i].addr = arr_at(r->d, phys.p, phys.elem, i);
		r->d->segs[i].bus = arr_at(r->d, dma.p, dma.elem, i);
		r->d->segs[i].len = arr_at(r->d, lens.p, lens.elem, i);
	}
	out->ev.segs = r->d->segs;
	out->ev.nsegs = n;
	out->ev.nents = (uint32_t)num(r, R_NENTS, phys.n);
	if (num(r, R_TRUNC, 0) || n < out->ev.nents)
		out->ev.flags |= COH_F_TRUNCATED;
	set_dir_attrs(r, out, COH_DIR_BIDIRECTIONAL);
}

static void dec_unmap_sg(const struct fx_rec *r, struct fx_event *out)
{
	struct fx_arr phys;

	ev_init(&out->ev, COH_EV_DMA_UNMAP_SG);
	if (get_arr(r->d, r->data, r->size, &r->s->f[R_PHYS_ARR], &phys) < 0)
		BADF(out, "addrs lies outside the record");
	if (need_segs(r->d, phys.n ? phys.n : 1) < 0)
		BADF(out, "out of memory");
	for (uint32_t i = 0; i < phys.n; i++) {
		r->d->segs[i].addr = arr_at(r->d, phys.p, phys.elem, i);
		r->d->segs[i].bus = COH_ADDR_NONE;
		r->d->segs[i].len = 0;
	}
	out->ev.segs = r->d->segs;
	out->ev.nsegs = out->ev.nents = phys.n;
	set_dir_attrs(r, out, COH_DIR_BIDIRECTIONAL);
}

static void dec_sync(const struct fx_rec *r, struct fx_event *out)
{
	ev_init(&out->ev, r->s->op == FX_SYNC_CPU ? COH_EV_DMA_SYNC_CPU :
			COH_EV_DMA_SYNC_DEV);
	out->ev.bus = num(r, R_DMA, COH_ADDR_NONE);
	out->ev.len = num(r, R_SIZE, 0);
	set_dir_attrs(r, out, COH_DIR_BIDIRECTIONAL);
}

static void dec_sync_sg(const struct fx_rec *r, struct fx_event *out)
{
	struct fx_arr dma, lens;
	uint32_t n;

	ev_init(&out->ev, r->s->op == FX_SYNC_SG_CPU ? COH_EV_DMA_SYNC_SG_CPU :
			COH_EV_DMA_SYNC_SG_DEV);
	if (get_arr(r->d, r->data, r->size, &r->s->f[R_DMA_ARR], &dma) < 0 ||
	    get_arr(r->d, r->data, r->size, &r->s->f[R_LEN_ARR], &lens) < 0)
		BADF(out, "an array lies outside the record");
	n = dma.n < lens.n ? dma.n : lens.n;
	if (need_segs(r->d, n ? n : 1) < 0)
		BADF(out, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		r->d->segs[i].addr = COH_ADDR_NONE;
		r->d->segs[i].bus = arr_at(r->d, dma.p, dma.elem, i);
		r->d->segs[i].len = arr_at(r->d, lens.p, lens.elem, i);
	}
	out->ev.segs = r->d->segs;
	out->ev.nsegs = out->ev.nents = n;
	set_dir_attrs(r, out, COH_DIR_BIDIRECTIONAL);
}

static void dec_print(const struct fx_rec *r, struct fx_event *out)
{
	const struct fx_fld *f = &r->s->f[R_BUF];
	const char *p;

	if ((uint32_t)f->off > r->size)
		BADF(out, "the record is shorter than its format");
	p = (const char *)r->data + f->off;
	out->cls = FXC_PRINT;
	out->text = p;
	out->textlen = (uint32_t)strnlen(p, r->size - (uint32_t)f->off);
}

/*
 * trace_printk()/trace_puts() from a driver: the text is a format and its
 * arguments (bprint) or the address of a constant string (bputs), which
 * libtraceevent puts together from the file's printk formats.  Its INFO
 * is "<caller>: <text>".
 */
static void dec_bprint(const struct fx_rec *r, struct fx_event *out)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;   /* decoders share teps */
	struct tep_record rec = { .data = (void *)r->data, .size = (int)r->size };
	const char *p, *colon;

	trace_seq_reset(&r->d->seq);
	pthread_mutex_lock(&lock);
	tep_print_event(r->d->tep, &r->d->seq, &rec, "%s", TEP_PRINT_INFO);
	pthread_mutex_unlock(&lock);
	trace_seq_terminate(&r->d->seq);
	if (r->d->seq.state != TRACE_SEQ__GOOD || !r->d->seq.buffer)
		BADF(out, "could not format the line");
	p = r->d->seq.buffer;
	colon = strstr(p, ": ");
	if (colon)
		p = colon + 2;
	out->cls = FXC_PRINT;
	out->text = p;
	out->textlen = (uint32_t)strlen(p);
}

static void dec_call(const struct fx_rec *r, struct fx_event *out)
{
	switch (r->s->op) {
	case FX_MAP:
	case FX_MAP_RES:
		dec_map(r, out, 0);
		break;
	case FX_UNMAP:
	case FX_UNMAP_RES:
		dec_map(r, out, 1);
		break;
	case FX_ALLOC:
	case FX_FREE:
	case FX_ALLOC_PAGES:
	case FX_FREE_PAGES:
		dec_alloc(r, out);
		break;
	case FX_ALLOC_SGT:
	case FX_FREE_SGT:
		dec_sgt(r, out);
		break;
	case FX_MAP_SG:
		dec_map_sg(r, out);
		break;
	case FX_UNMAP_SG:
		dec_unmap_sg(r, out);
		break;
	case FX_SYNC_CPU:
	case FX_SYNC_DEV:
		dec_sync(r, out);
		break;
	default:
		dec_sync_sg(r, out);
		break;
	}
}

/* The device name, or -1 when its string lies outside the record. */
static int get_dev(const struct fx_rec *r, struct fx_event *out)
{
	const unsigned char *p;
	uint32_t len;

	if (!r->s->has_dev)
		return 0;
	struct fx_decoder *d = r->d;

	if (get_dyn(d, r->data, r->size, &r->s->f[R_DEVICE], &p, &len) < 0)
		return -1;
	out->dev = (const char *)p;
	if (len && len == d->lastraw && memcmp(p, d->lastdev, len) == 0) {
		out->devlen = d->lastlen;   /* the same device as last time */
	} else {
		out->devlen = (uint32_t)strnlen((const char *)p, len);
		d->lastraw = len <= sizeof(d->lastdev) ? len : 0;
		memcpy(d->lastdev, p, d->lastraw);
		d->lastlen = out->devlen;
		d->devgen++;
	}
	out->devgen = d->devgen;
	return 0;
}

/* Validate what was built the way the engine will. */
/* An address range the engine takes: at most 4 GiB, not wrapping around. */
static int range_fits(uint64_t addr, uint64_t len)
{
	return addr != COH_ADDR_NONE && len <= (1ull << 32) && (len == 0 || addr + (len - 1) >= addr);
}

/*
 * The common single-range calls, when plainly valid: known flags, a real
 * direction, ranges that fit, lengths where one is needed.  A call passing
 * this passes coh_event_check(); one failing it is judged by that.
 */
static int plainly_valid(const struct coh_event *ev)
{
	if (ev->nsegs || ev->dir > COH_DIR_FROM_DEVICE || (ev->flags & ~COH_F_ALL))
		return 0;
	switch (ev->kind) {
	case COH_EV_DMA_MAP:
	case COH_EV_DMA_MAP_RES:
	case COH_EV_DMA_ALLOC:
	case COH_EV_DMA_ALLOC_PAGES:
		return ev->len && range_fits(ev->bus, ev->len) && range_fits(ev->addr, ev->len);
	case COH_EV_DMA_UNMAP:
	case COH_EV_DMA_UNMAP_RES:
	case COH_EV_DMA_SYNC_CPU:
	case COH_EV_DMA_SYNC_DEV:
		return range_fits(ev->bus, ev->len);
	default:
		return 0;
	}
}

/* Validate what was built the way the engine will. */
static void check_event(struct fx_event *out)
{
	char msg[96];

	if (out->ev.dir > COH_DIR_NONE)
		BADF(out, "direction out of range");
	if (plainly_valid(&out->ev))
		return;
	if (coh_event_check(&out->ev, NULL, msg, sizeof(msg)) < 0)
		BADF(out, "%s", msg);
}

void fx_decode(struct fx_decoder *d, const void *data, uint32_t size, struct fx_event *out)
{
	struct fx_rec r = { .d = d, .data = data, .size = size };
	unsigned id, slot;

	out->cls = FXC_UNKNOWN;
	out->dev = NULL;
	out->devlen = 0;
	if ((uint32_t)(d->type_off + d->type_size) > size)
		return;
	id = (unsigned)load_num(d, r.data + d->type_off, d->type_size);
	slot = id <= 0xffff ? d->slot_of[id] : 0;
	if (!slot)
		return;
	out->slot = slot - 1;
	r.s = &d->slots[out->slot];
	out->cls = FXC_OTHER;
	if (get_dev(&r, out) < 0)
		BADF(out, "device name lies outside the record");
	switch (r.s->op) {
	case FX_OTHER:
		return;
	case FX_ERR:
		out->cls = FXC_ERR;
		return;
	case FX_PRINT:
		dec_print(&r, out);
		return;
	case FX_BPRINT:
		dec_bprint(&r, out);
		return;
	}
	out->cls = FXC_EVENT;
	dec_call(&r, out);
	if (out->cls == FXC_EVENT)
		check_event(out);
}
