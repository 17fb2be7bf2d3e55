/* SPDX-License-Identifier: MIT */
/*
 * etw_schema.c - the Dmascope.Dma provider: its events, their fields in
 * logging order, and how each becomes a struct coh_event.  docs/etw.md is
 * the prose form of this table; the provider's own layout
 * (provider/dmascope_etw_layout.h) and manifest (provider/Dmascope.Dma.man)
 * must match it, which tests/test_etw_provider.c checks field by field.
 *
 * A field fills only the coh_event members engine/coh_event.h lists for
 * its kind; the rest of what a driver logs (the IRP of a FreeMapRegisters,
 * the device of an IoCompleteRequest, pointers) is ETW_R_INFO: checked,
 * shown by trace_detail, not replayed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_err.h"
#include "etw-local.h"
#include "provider/dmascope_etw_layout.h"

#define F(nm, ty, ro) { nm, ETW_T_##ty, ETW_R_##ro }

/* The MDL chain of a packet-based transfer, after its WriteToDevice. */
#define MDL_CHAIN                                                          \
	F("MdlCount", U32, NSEGS),                                         \
	F("MdlPhysicalAddress", A_HEX64, SEG_ADDR),                        \
	F("MdlByteCount", A_U32, SEG_LEN)

#define TRANSFER_HEAD(base)                                                \
	F("Device", STR, DEV),                                             \
	F("Irp", PTR, IRP),                                                \
	F("Mdl", PTR, INFO),                                               \
	F(base, PTR, HANDLE),                                              \
	F("Offset", U64, OFF),                                             \
	F("Length", U32, LEN),                                             \
	F("WriteToDevice", BOOL, WTD)

static const struct etw_field f_alloc_common[] = {
	F("Device", STR, DEV),
	F("Length", U32, LEN),
	F("CacheEnabled", BOOL, CACHE),
	F("LogicalAddress", HEX64, BUS),
	F("PhysicalAddress", HEX64, ADDR),
	F("VirtualAddress", PTR, RETPTR),
};

static const struct etw_field f_free_common[] = {
	F("Device", STR, DEV),
	F("Length", U32, LEN),
	F("LogicalAddress", HEX64, BUS),
	F("PhysicalAddress", HEX64, ADDR),
	F("VirtualAddress", PTR, INFO),
	F("CacheEnabled", BOOL, INFO),
};

static const struct etw_field f_ke_flush[] = {
	F("Device", STR, DEV),
	F("Irp", PTR, INFO),
	F("Mdl", PTR, INFO),
	F("PhysicalAddress", HEX64, MDL_ADDR),
	F("ByteCount", U32, MDL_LEN),
	F("ReadOperation", BOOL, READOP),
	F("DmaOperation", BOOL, DMAOP),
};

static const struct etw_field f_map[] = {
	TRANSFER_HEAD("MapRegisterBase"),
	MDL_CHAIN,
	F("LogicalAddress", HEX64, BUS),
};

static const struct etw_field f_map_ex[] = {
	TRANSFER_HEAD("MapRegisterBase"),
	MDL_CHAIN,
	F("LogicalAddress", HEX64, BUS),
	F("Status", NTSTATUS, CALLSTATUS),
};

static const struct etw_field f_flush[] = {
	TRANSFER_HEAD("MapRegisterBase"),
	MDL_CHAIN,
	F("Result", BOOL, RESULT),
};

static const struct etw_field f_flush_ex[] = {
	TRANSFER_HEAD("MapRegisterBase"),
	MDL_CHAIN,
	F("Status", NTSTATUS, STATUS),
};

static const struct etw_field f_get_sg[] = {
	TRANSFER_HEAD("ScatterGatherList"),
	F("ElementCount", U32, NSEGS),
	F("ElementPhysicalAddress", A_HEX64, SEG_ADDR),
	F("ElementLogicalAddress", A_HEX64, SEG_BUS),
	F("ElementLength", A_U32, SEG_LEN),
	F("Status", NTSTATUS, CALLSTATUS),
};

static const struct etw_field f_put_sg[] = {
	F("Device", STR, DEV),
	F("Irp", PTR, INFO),
	F("ScatterGatherList", PTR, HANDLE),
	F("WriteToDevice", BOOL, WTD),
};

static const struct etw_field f_free_map_regs[] = {
	F("Device", STR, DEV),
	F("Irp", PTR, INFO),
	F("MapRegisterBase", PTR, HANDLE),
	F("NumberOfMapRegisters", U32, INFO),
};

static const struct etw_field f_free_adapter[] = {
	F("Device", STR, DEV),
	F("Irp", PTR, INFO),
};

static const struct etw_field f_irp_complete[] = {
	F("Device", STR, INFO),
	F("Irp", PTR, IRP),
	F("Status", NTSTATUS, IRPSTATUS),
	F("Information", U64, INFO),
};

static const struct etw_field f_cpu_read[] = {
	F("PhysicalAddress", HEX64, ADDR),
	F("Length", U32, LEN),
};

static const struct etw_field f_cpu_write[] = {
	F("PhysicalAddress", HEX64, ADDR),
	F("Length", U32, LEN),
	F("Data", BIN, DATA),
};

static const struct etw_field f_dev_read[] = {
	F("Device", STR, DEV),
	F("LogicalAddress", HEX64, ADDR),
	F("Length", U32, LEN),
};

static const struct etw_field f_dev_write[] = {
	F("Device", STR, DEV),
	F("LogicalAddress", HEX64, ADDR),
	F("Length", U32, LEN),
	F("Data", BIN, DATA),
};

static const struct etw_field f_dev_done[] = {
	F("Device", STR, DEV),
	F("MapRegisterBase", PTR, HANDLE),
};

static const struct etw_field f_mark[] = {
	F("Text", STR, TEXT),
};

static const struct etw_field f_scope[] = {
	F("Name", STR, TEXT),
};

#define EV(nm, kd, f) { nm, COH_EV_##kd, (uint8_t)(sizeof(f) / sizeof(f[0])), f }

static const struct etw_evdef events[] = {
	EV("AllocateCommonBuffer", ALLOC_COMMON, f_alloc_common),
	EV("FreeCommonBuffer", FREE_COMMON, f_free_common),
	EV("KeFlushIoBuffers", KE_FLUSH, f_ke_flush),
	EV("MapTransfer", MAP_TRANSFER, f_map),
	EV("MapTransferEx", MAP_TRANSFER_EX, f_map_ex),
	EV("FlushAdapterBuffers", FLUSH_ADAPTER, f_flush),
	EV("FlushAdapterBuffersEx", FLUSH_ADAPTER_EX, f_flush_ex),
	EV("GetScatterGatherList", GET_SG, f_get_sg),
	EV("PutScatterGatherList", PUT_SG, f_put_sg),
	EV("FreeMapRegisters", FREE_MAP_REGS, f_free_map_regs),
	EV("FreeAdapterChannel", FREE_ADAPTER, f_free_adapter),
	EV("IoCompleteRequest", IRP_COMPLETE, f_irp_complete),
	EV("CpuRead", CPU_READ, f_cpu_read),
	EV("CpuWrite", CPU_WRITE, f_cpu_write),
	EV("DeviceRead", DEV_READ, f_dev_read),
	EV("DeviceWrite", DEV_WRITE, f_dev_write),
	EV("DeviceDone", DEV_DONE, f_dev_done),
	EV("Mark", MARK, f_mark),
	EV("SequenceBegin", SCOPE_BEGIN, f_scope),
	EV("SequenceEnd", SCOPE_END, f_scope),
};

#define NEVENTS (sizeof(events) / sizeof(events[0]))

const struct etw_evdef *etw_evdef_find(const char *name)
{
	for (size_t i = 0; name && i < NEVENTS; i++)
		if (strcmp(events[i].name, name) == 0)
			return &events[i];
	return NULL;
}

/* The events by their manifest id, from the layout the driver logs with. */
#define ETW_ID_NAME(Id, Name) [Id] = #Name,
static const char *const event_by_id[] = { DMASCOPE_ETW_EVENTS(ETW_ID_NAME) };

const struct etw_evdef *etw_evdef_by_id(uint64_t id)
{
	return id < sizeof(event_by_id) / sizeof(event_by_id[0]) && event_by_id[id] ?
	       etw_evdef_find(event_by_id[id]) : NULL;
}

const struct etw_evdef *etw_evdef_at(unsigned i)
{
	return i < NEVENTS ? &events[i] : NULL;
}

int etw_field_index(const struct etw_evdef *d, const char *name)
{
	for (int i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].name, name) == 0)
			return i;
	return -1;
}

int etw_is_array(unsigned type)
{
	return type == ETW_T_A_HEX64 || type == ETW_T_A_U32;
}

int etw_count_field(const struct etw_evdef *d)
{
	for (int i = 0; i < d->nfields; i++)
		if (d->fields[i].role == ETW_R_NSEGS)
			return i;
	return -1;
}

const char *etw_type_name(unsigned type)
{
	static const char *const names[ETW_T_COUNT] = {
		[ETW_T_STR] = "win:AnsiString",
		[ETW_T_U32] = "win:UInt32",
		[ETW_T_U64] = "win:UInt64",
		[ETW_T_HEX64] = "win:UInt64 (win:HexInt64)",
		[ETW_T_PTR] = "win:Pointer",
		[ETW_T_BOOL] = "win:Boolean",
		[ETW_T_NTSTATUS] = "win:UInt32 (win:NTSTATUS)",
		[ETW_T_BIN] = "win:Binary",
		[ETW_T_A_HEX64] = "win:UInt64[] (win:HexInt64)",
		[ETW_T_A_U32] = "win:UInt32[]",
	};
	return type < ETW_T_COUNT ? names[type] : "?";
}

/* ---- conversion ------------------------------------------------------------ */

/* A field's value once parsed. */
union etw_parsed {
	uint64_t u;
	int b;
	int32_t st;
	const char *s;
};

struct conv {
	struct trace *t;
	const struct etw_evdef *d;
	struct coh_event *ev;
	struct coh_seg *segs;        /* owned until handed to ev */
	uint32_t nsegs;
	int dropped;                 /* a returned pointer is NULL */
	int note;                    /* a CALLSTATUS field holds a failure: */
	int32_t note_status;         /* that status */
	char *msg;
	size_t n;
};

static int bad(struct conv *c, const struct etw_field *f, const char *fmt, const char *val)
{
	int k = snprintf(c->msg, c->n, "field %s: ", f->name);

	if (k >= 0 && (size_t)k < c->n)
		snprintf(c->msg + k, c->n - (size_t)k, fmt, val);
	return -1;
}

static int parse_scalar(struct conv *c, const struct etw_field *f, const char *s,
			union etw_parsed *p)
{
	switch (f->type) {
	case ETW_T_STR:
	case ETW_T_BIN:
		p->s = s;
		return 0;
	case ETW_T_BOOL:
		if (etw_parse_bool(s, &p->b) < 0)
			return bad(c, f, "'%.40s' is not a boolean (true/false)", s);
		return 0;
	case ETW_T_NTSTATUS:
		if (etw_parse_status(s, &p->st) < 0)
			return bad(c, f, "'%.40s' is not an NTSTATUS", s);
		return 0;
	case ETW_T_U32:
	case ETW_T_A_U32:
		if (etw_parse_u64(s, &p->u) < 0 || p->u > UINT32_MAX)
			return bad(c, f, "'%.40s' is not a 32-bit unsigned number", s);
		return 0;
	default:
		if (etw_parse_u64(s, &p->u) < 0)
			return bad(c, f, "'%.40s' is not a 64-bit unsigned number", s);
		return 0;
	}
}

static int set_text(struct conv *c, const struct etw_field *f, const char *s)
{
	char *dup = strdup(s);

	if (!dup)
		return bad(c, f, "%s", "out of memory");
	c->ev->text = dup;
	return 0;
}

static int set_data(struct conv *c, const struct etw_field *f, const char *s)
{
	uint8_t *b;
	size_t n;

	if (etw_parse_hex_bytes(s, &b, &n) < 0)
		return bad(c, f, "'%.40s' is not hexadecimal bytes (0x0a0b...)", s);
	if (n && n != c->ev->len) {
		free(b);
		snprintf(c->msg, c->n, "field %s: %zu bytes, but Length is %llu", f->name, n,
			 (unsigned long long)c->ev->len);
		return -1;
	}
	c->ev->data = b;
	return 0;
}

static int set_dev(struct conv *c, const struct etw_field *f, const char *s)
{
	int k;

	if (!*s)
		return bad(c, f, "%s", "empty device name");
	if (strlen(s) >= COH_NAME_MAX) {
		snprintf(c->msg, c->n, "field %s: device name '%.40s...' is longer than %d bytes",
			 f->name, s, COH_NAME_MAX - 1);
		return -1;
	}
	k = trace_add_dev(c->t, s);
	if (k < 0) {
		snprintf(c->msg, c->n, "field %s: more than %d devices", f->name, COH_MAX_DEVS);
		return -1;
	}
	c->ev->dev = (uint16_t)k;
	return 0;
}

static int one_mdl(struct conv *c)
{
	if (!c->segs) {
		c->segs = calloc(1, sizeof(*c->segs));
		if (!c->segs)
			return -1;
		c->segs[0].addr = COH_ADDR_NONE;
		c->segs[0].bus = COH_ADDR_NONE;
		c->nsegs = 1;
	}
	return 0;
}

/* Apply a scalar's parsed value to the event.  Return 0 or -1. */
static int apply(struct conv *c, const struct etw_field *f, const char *s,
		 const union etw_parsed *p)
{
	struct coh_event *ev = c->ev;

	switch (f->role) {
	case ETW_R_DEV: return set_dev(c, f, s);
	case ETW_R_IRP: ev->irp = p->u; return 0;
	case ETW_R_HANDLE: ev->handle = p->u; return 0;
	case ETW_R_OFF: ev->off = p->u; return 0;
	case ETW_R_LEN: ev->len = p->u; return 0;
	case ETW_R_ADDR: ev->addr = p->u; return 0;
	case ETW_R_BUS: ev->bus = p->u; return 0;
	case ETW_R_WTD: ev->flags |= p->b ? COH_F_WRITE_TO_DEVICE : 0; return 0;
	case ETW_R_CACHE: ev->flags |= p->b ? COH_F_CACHE_ENABLED : 0; return 0;
	case ETW_R_READOP: ev->flags |= p->b ? COH_F_READ_OP : 0; return 0;
	case ETW_R_DMAOP: ev->flags |= p->b ? COH_F_DMA_OP : 0; return 0;
	case ETW_R_RESULT: ev->status = p->b; ev->flags |= COH_F_STATUS; return 0;
	case ETW_R_STATUS: ev->status = p->st; ev->flags |= COH_F_STATUS; return 0;
	case ETW_R_IRPSTATUS: ev->status = p->st; return 0;
	case ETW_R_RETPTR: c->dropped |= p->u == 0; return 0;
	case ETW_R_CALLSTATUS:
		if (p->st < 0) {
			c->note = 1;
			c->note_status = p->st;
		}
		return 0;
	case ETW_R_TEXT: return set_text(c, f, s);
	case ETW_R_DATA: return set_data(c, f, s);
	case ETW_R_MDL_ADDR:
		if (one_mdl(c) < 0)
			return bad(c, f, "%s", "out of memory");
		c->segs[0].addr = p->u;
		return 0;
	case ETW_R_MDL_LEN:
		if (one_mdl(c) < 0)
			return bad(c, f, "%s", "out of memory");
		c->segs[0].len = p->u;
		return 0;
	}
	return 0;
}

/* The element count: allocate that many segments. */
static int count_segs(struct conv *c, const struct etw_field *f, const union etw_parsed *p)
{
	if (p->u > ETW_MAX_ITEMS) {
		snprintf(c->msg, c->n, "field %s: %llu elements (at most %d)", f->name,
			 (unsigned long long)p->u, ETW_MAX_ITEMS);
		return -1;
	}
	c->nsegs = (uint32_t)p->u;
	c->segs = calloc(c->nsegs ? c->nsegs : 1, sizeof(*c->segs));
	if (!c->segs)
		return bad(c, f, "%s", "out of memory");
	for (uint32_t i = 0; i < c->nsegs; i++) {
		c->segs[i].addr = COH_ADDR_NONE;
		c->segs[i].bus = COH_ADDR_NONE;
	}
	return 0;
}

static int array(struct conv *c, const struct etw_field *f, const struct etw_value *v)
{
	union etw_parsed p;

	if (v->n != c->nsegs) {
		snprintf(c->msg, c->n, "field %s: %zu elements, but the count says %u", f->name,
			 v->n, c->nsegs);
		return -1;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (parse_scalar(c, f, v->items[i], &p) < 0)
			return -1;
		if (f->role == ETW_R_SEG_ADDR)
			c->segs[i].addr = p.u;
		else if (f->role == ETW_R_SEG_BUS)
			c->segs[i].bus = p.u;
		else
			c->segs[i].len = p.u;
	}
	return 0;
}

static int field(struct conv *c, const struct etw_field *f, const struct etw_value *v)
{
	union etw_parsed p;

	if (etw_is_array(f->type))
		return array(c, f, v);
	if (v->n != 1) {
		snprintf(c->msg, c->n, "field %s: %zu values, expected one", f->name, v->n);
		return -1;
	}
	if (parse_scalar(c, f, v->items[0], &p) < 0)
		return -1;
	if (f->role == ETW_R_NSEGS)
		return count_segs(c, f, &p);
	return apply(c, f, v->items[0], &p);
}

void etw_event_release(struct coh_event *ev)
{
	free((void *)ev->segs);
	free((void *)ev->text);
	free((void *)ev->data);
	ev->segs = NULL;
	ev->text = NULL;
	ev->data = NULL;
	ev->nsegs = 0;
}

/* Data is checked against Length, which may come later: fields in order, Data last. */
static int fields(struct conv *c, const struct etw_value *v, int *badf)
{
	int data = -1;

	for (int i = 0; i < c->d->nfields; i++) {
		if (c->d->fields[i].role == ETW_R_DATA) {
			data = i;
			continue;
		}
		if (field(c, &c->d->fields[i], &v[i]) < 0) {
			*badf = i;
			return -1;
		}
	}
	if (data >= 0 && field(c, &c->d->fields[data], &v[data]) < 0) {
		*badf = data;
		return -1;
	}
	return 0;
}

/* What to say about a good event that failed. */
static int outcome(struct conv *c)
{
	if (c->dropped) {
		snprintf(c->msg, c->n, "%s returned NULL: nothing was allocated, nothing to replay",
			 c->d->name);
		return ETW_CONV_DROP;
	}
	if (c->note) {
		snprintf(c->msg, c->n, "%s returned 0x%08X: replayed as if it had succeeded",
			 c->d->name, (unsigned)c->note_status);
		return ETW_CONV_NOTE;
	}
	return ETW_CONV_OK;
}

int etw_convert(struct trace *t, const struct etw_evdef *d, const struct etw_value *v,
		struct coh_event *ev, int *badf, char *msg, size_t n)
{
	struct conv c = { .t = t, .d = d, .ev = ev, .msg = msg, .n = n };
	int r;

	*badf = -1;
	coh_event_init(ev, d->kind);
	if (d->kind == COH_EV_SCOPE_BEGIN || d->kind == COH_EV_SCOPE_END)
		ev->scope = COH_SCOPE_SEQ;
	r = fields(&c, v, badf);
	if (r < 0 && n) {
		char tmp[ETW_MSG_MAX];

		snprintf(tmp, sizeof(tmp), "%s", msg);
		snprintf(msg, n, "%s: %s", d->name, tmp);
	}
	ev->segs = c.segs;
	ev->nsegs = c.nsegs;          /* nents is Linux's (coh_event.h): left 0 */
	if (r == 0 && coh_event_check(ev, NULL, msg, n) < 0)
		r = -1;
	if (r == 0)
		r = outcome(&c);
	if (r < 0 || r == ETW_CONV_DROP)
		etw_event_release(ev);
	return r;
}
