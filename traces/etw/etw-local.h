/* SPDX-License-Identifier: MIT */
/*
 * etw-local.h - what the two ETW export readers (etw_csv_reader.c,
 * etw_xml_reader.c) share: the Dmascope.Dma provider schema and its
 * conversion to engine events (etw_schema.c), value parsing (etw_value.c),
 * and the loaded-event store with its statistics and inference pass
 * (etw_store.c).  The schema is documented in docs/etw.md.
 */
#ifndef ETW_LOCAL_H
#define ETW_LOCAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "coh_event.h"
#include "trace-local.h"

#define ETW_PROVIDER_NAME  "Dmascope.Dma"
/* EventSource/TraceLogging name hash of "Dmascope.Dma" (docs/etw.md) */
#define ETW_PROVIDER_GUID  "5d575051-8be8-565a-febc-6f88289697b8"
/* the kernel logger's EventTrace header events (MSNT_SystemTrace) */
#define ETW_EVENTTRACE_GUID "68fdd900-4a3e-11d1-84f4-0000f80464e3"

#define ETW_MAX_FIELDS  16         /* fields of the largest event */
#define ETW_MAX_ITEMS   4096       /* elements of one array field (MDLs, SG elements) */
#define ETW_MAX_VALUE   (1u << 20) /* bytes of one field's text */
#define ETW_MSG_MAX     384        /* longest field-level error message */

/* How a field is logged (the manifest's inType/outType) and rendered in an export. */
enum etw_type {
	ETW_T_STR,           /* win:AnsiString: text */
	ETW_T_U32,           /* win:UInt32: decimal (hex accepted) */
	ETW_T_U64,           /* win:UInt64 */
	ETW_T_HEX64,         /* win:UInt64 as win:HexInt64: 0x... (decimal accepted) */
	ETW_T_PTR,           /* win:Pointer: 0x... */
	ETW_T_BOOL,          /* win:Boolean (4 bytes): true/false (TRUE, 1, 0 accepted) */
	ETW_T_NTSTATUS,      /* win:UInt32 as win:NTSTATUS: 0xC000000D (or STATUS_* name) */
	ETW_T_BIN,           /* win:Binary: 0x0102... hex bytes, may be empty */
	ETW_T_A_HEX64,       /* win:UInt64 array, as win:HexInt64 */
	ETW_T_A_U32,         /* win:UInt32 array */
	ETW_T_COUNT
};

/* Which struct coh_event member a field fills. */
enum etw_role {
	ETW_R_INFO,          /* checked, not kept (a pointer for the reader's eyes) */
	ETW_R_DEV,           /* device name -> ev.dev */
	ETW_R_IRP,           /* ev.irp */
	ETW_R_HANDLE,        /* ev.handle: map register base / SG list */
	ETW_R_OFF,           /* ev.off */
	ETW_R_LEN,           /* ev.len */
	ETW_R_ADDR,          /* ev.addr */
	ETW_R_BUS,           /* ev.bus */
	ETW_R_WTD,           /* COH_F_WRITE_TO_DEVICE */
	ETW_R_CACHE,         /* COH_F_CACHE_ENABLED */
	ETW_R_READOP,        /* COH_F_READ_OP */
	ETW_R_DMAOP,         /* COH_F_DMA_OP */
	ETW_R_RESULT,        /* BOOLEAN return -> status 1/0, COH_F_STATUS */
	ETW_R_STATUS,        /* NTSTATUS return -> status, COH_F_STATUS */
	ETW_R_CALLSTATUS,    /* NTSTATUS return the engine has no use for: a failure warns */
	ETW_R_IRPSTATUS,     /* IoCompleteRequest's Irp->IoStatus.Status -> status */
	ETW_R_RETPTR,        /* returned pointer: NULL = the call failed, event dropped */
	ETW_R_NSEGS,         /* element count of the arrays that follow -> nsegs */
	ETW_R_SEG_ADDR,      /* array -> segs[i].addr */
	ETW_R_SEG_BUS,       /* array -> segs[i].bus */
	ETW_R_SEG_LEN,       /* array -> segs[i].len */
	ETW_R_MDL_ADDR,      /* one MDL (KeFlushIoBuffers) -> segs[0].addr */
	ETW_R_MDL_LEN,       /* -> segs[0].len */
	ETW_R_TEXT,          /* ev.text */
	ETW_R_DATA           /* ev.data (empty = synthetic bytes) */
};

struct etw_field {
	const char *name;            /* field name as logged ("MapRegisterBase") */
	uint8_t type;                /* enum etw_type */
	uint8_t role;                /* enum etw_role */
};

struct etw_evdef {
	const char *name;            /* event name as logged ("FlushAdapterBuffersEx") */
	uint16_t kind;               /* enum coh_kind */
	uint8_t nfields;
	const struct etw_field *fields;
};

/* The text of one field of one event, as a reader found it. */
struct etw_value {
	const char *const *items;    /* borrowed: 1 for scalars, one per array element */
	size_t n;
	uint32_t line, col;          /* where it is in the file (0 = unknown) */
};

/* ---- schema (etw_schema.c) ---------------------------------------------- */

/**
 * etw_evdef_find - the provider's event of that name (exact)
 *
 * Return: a static definition, or NULL.
 */
const struct etw_evdef *etw_evdef_find(const char *name);

/**
 * etw_evdef_by_id - the provider's event of that manifest id (its event and
 * task value in provider/dmascope_etw_layout.h), or NULL
 */
const struct etw_evdef *etw_evdef_by_id(uint64_t id);

/**
 * etw_evdef_at - the i-th event of the schema, for listings and tests
 *
 * Return: a static definition, or NULL past the last one.
 */
const struct etw_evdef *etw_evdef_at(unsigned i);

/**
 * etw_field_index - index of a field of @d by name, or -1
 */
int etw_field_index(const struct etw_evdef *d, const char *name);

/**
 * etw_is_array - 1 when a field type is an array
 */
int etw_is_array(unsigned type);

/**
 * etw_count_field - index of the field holding the array length, or -1
 */
int etw_count_field(const struct etw_evdef *d);

/**
 * etw_type_name - the manifest type (inType, and outType when not the default)
 * a field is logged with
 */
const char *etw_type_name(unsigned type);

/**
 * etw_convert - build the engine event of one provider event
 * @t:    the trace (devices are added to it)
 * @d:    the event definition
 * @v:    d->nfields values, in schema order
 * @ev:   receives the event; segs, text and data are allocated (free them
 *        with etw_event_release(), or hand them to etw_store_add())
 * @badf: receives the index of the offending field, or -1
 * @msg, @n: receives what is wrong ("field Offset: 'x' is not a number")
 *
 * ev->ts, cpu and src are left for the caller.
 *
 * Return: ETW_CONV_OK; ETW_CONV_DROP when the event records a call that
 * failed and did nothing to replay (AllocateCommonBuffer returning NULL;
 * @msg says so, nothing is allocated); ETW_CONV_NOTE when the event is
 * good but deserves a warning (@msg: a mapping call that failed, replayed
 * as if it had succeeded); or -1 on error.
 */
enum { ETW_CONV_OK = 0, ETW_CONV_DROP = 1, ETW_CONV_NOTE = 2 };
int etw_convert(struct trace *t, const struct etw_evdef *d, const struct etw_value *v,
		struct coh_event *ev, int *badf, char *msg, size_t n);

/**
 * etw_event_release - free what etw_convert() allocated for @ev
 */
void etw_event_release(struct coh_event *ev);

/* ---- values (etw_value.c) ------------------------------------------------ */

/**
 * etw_parse_u64 - a decimal or 0x-hexadecimal number, blanks around allowed
 *
 * Return: 0, or -1 when @s is not such a number or does not fit 64 bits.
 */
int etw_parse_u64(const char *s, uint64_t *out);

/**
 * etw_parse_bool - true/false, TRUE/FALSE, 1/0
 *
 * Return: 0 with *out 0 or 1, or -1.
 */
int etw_parse_bool(const char *s, int *out);

/**
 * etw_parse_status - an NTSTATUS: a 32-bit number (hex, decimal, negative
 * decimal) or STATUS_SUCCESS / STATUS_UNSUCCESSFUL / STATUS_INVALID_PARAMETER
 *
 * Return: 0, or -1.
 */
int etw_parse_status(const char *s, int32_t *out);

/**
 * etw_parse_hex_bytes - "0x0a0b..." (or without 0x; empty = no bytes)
 * @out: receives malloc'd bytes (NULL when there are none)
 *
 * Return: 0, or -1 (odd length, a non-hex digit, too long, out of memory).
 */
int etw_parse_hex_bytes(const char *s, uint8_t **out, size_t *n);

/**
 * etw_split_list - split a packed array value ("[1, 2]", "1;2", "1 2") in place
 * @s:     the text, modified (separators become NULs)
 * @items: receives pointers into @s, up to @max of them
 *
 * Return: the number of items, or -1 when there are more than @max.
 */
long etw_split_list(char *s, char **items, size_t max);

/**
 * etw_list_cap - how many items etw_split_list() must have room for to tell
 * whether @s holds more than ETW_MAX_ITEMS (min(strlen/2 + 1, ETW_MAX_ITEMS))
 */
size_t etw_list_cap(const char *s);

/**
 * etw_filetime_ns - FILETIME (100 ns units since 1601) into ns since 1601
 *
 * Return: 0, or -1 on overflow.
 */
int etw_filetime_ns(uint64_t ft, uint64_t *ns);

/**
 * etw_iso8601_ns - "2024-05-06T10:00:00.1234567Z" (an offset like +02:00 or
 * no zone = UTC) into ns since 1601-01-01 UTC
 *
 * Return: 0, or -1 when malformed or out of range.
 */
int etw_iso8601_ns(const char *s, uint64_t *ns);

/**
 * etw_guid_eq - 1 when @s names GUID @guid ("{...}" braces optional, any case)
 */
int etw_guid_eq(const char *s, const char *guid);

/* ---- the loaded events (etw_store.c) --------------------------------------- */

struct etw_pos {
	uint64_t off;                /* file offset of the row / the <Event> tag */
	uint64_t end;                /* just past the event (XML), 0 when unknown */
	uint32_t line;               /* 1-based line of its start */
	uint32_t col;                /* 1-based column (XML), 0 for CSV */
};

struct etw_store {
	struct coh_event *evs;       /* provider events; segs/text/data owned */
	uint64_t nevs, capevs;
	struct etw_pos *pos;         /* every event of the file, by src */
	uint64_t npos, cappos;
	uint64_t foreign;            /* events of other providers, skipped */
	uint64_t lost;               /* EventsLost of the EventTrace header */
	char enc[32];                /* XML: encoding to re-read a fragment with */
	char **names;                /* CSV: the header's column names, owned */
	size_t nnames;
};

/**
 * etw_store_pos - note where file event number @src (the next one) starts
 *
 * Return: its src, or -1 when out of memory.
 */
int64_t etw_store_pos(struct etw_store *st, uint64_t off, uint32_t line, uint32_t col);

/**
 * etw_store_add - append a converted event (takes ownership of its
 * allocations, even on failure) and count it in the statistics
 *
 * Return: 0, or -1 when out of memory.
 */
int etw_store_add(struct trace *t, struct etw_store *st, const struct etw_evdef *d,
		  struct coh_event *ev);

/**
 * etw_store_foreign - count a skipped event of another provider
 *
 * Return: 0, or -1 when out of memory.
 */
int etw_store_foreign(struct trace *t, struct etw_store *st, const char *name);

/**
 * etw_store_finish - after the last event: timestamps relative to the first
 * provider event (never decreasing), COH_F_INFER per opts->infer, stats,
 * warnings
 */
void etw_store_finish(struct trace *t, struct etw_store *st);

/**
 * etw_store_new / etw_count / etw_get / etw_bytes / etw_close - the trace_reader_ops
 * members both readers share (t->priv is a struct etw_store)
 *
 * Return (etw_store_new): caller frees through etw_close(), or NULL.
 */
struct etw_store *etw_store_new(void);
uint64_t etw_count(struct trace *t);
int etw_get(struct trace *t, uint64_t i, struct coh_event *ev);
void etw_close(struct trace *t);
size_t etw_bytes(struct trace *t);

/* ---- XML events (etw_xml.c) ------------------------------------------------ */

/**
 * etw_xml_read - read every <Event> of a Windows event XML stream into @st
 * @f:     the file, at its start
 * @total: its size, for progress
 * @err, @n: "PATH:LINE:COL: ..." on failure
 *
 * Also sets st->enc (the encoding to re-read one <Event> with).
 *
 * Return: 0, or -1.
 */
int etw_xml_read(struct trace *t, struct etw_store *st, FILE *f, uint64_t total, char *err,
		 size_t n);

/**
 * etw_xml_local - an element or attribute name without its namespace prefix
 */
const char *etw_xml_local(const char *name);

#endif
