/* SPDX-License-Identifier: MIT */
/*
 * coh_event.h - the one event type every reader and lesson produces.
 *
 * struct coh_event is a plain value, copied freely.  Its pointers (segs,
 * data, text) are borrowed: the engine copies whatever it keeps before
 * coh_sim_apply() returns.
 *
 * Field use per kind (unused fields are ignored; "bus" is a device-side
 * address: DMA address, Windows logical address):
 *
 *   coh_cpu_read, coh_cpu_write      cpu, addr (physical), len, data (write; NULL =
 *                            synthetic bytes, see coh_synth_byte())
 *   dev_read, dev_write      dev, addr (bus), len, data (write, optional)
 *   dev_done                 dev, handle (Windows map-register base or SG list,
 *                            Linux DMA address; COH_ADDR_NONE = every open
 *                            transfer of dev): the device finished
 *   evict                    cpu, addr, len: lines holding [addr, addr+len)
 *                            leave that CPU's cache (dirty ones are written back)
 *   spec_fill                cpu, addr, len: the CPU speculatively fills the
 *                            lines of the range (clean, from memory)
 *   mark                     text: free text
 *   begin, end               scope (COH_SCOPE_*), text (its name)
 *   trace_end                the trace is over (leaks are checked, DC012)
 *
 *   Linux (docs/model.md section 2), all with dev, dir and flags (COH_F_SKIP_CPU_SYNC):
 *   dma_alloc_coherent       addr (physical; = bus when unknown), bus, len
 *   dma_free_coherent        bus, len (addr optional)
 *   dma_alloc_pages          as dma_alloc_coherent; cached, CPU-owned memory
 *                            (dma_alloc_noncoherent, dma_alloc_sgt: segs)
 *   dma_free_pages           bus, len (or segs)
 *   dma_map                  addr (physical), bus, len  (map_single/page/phys)
 *   dma_unmap                bus, len
 *   dma_map_sg               segs {addr, bus, len}, nsegs, nents (as passed;
 *                            COH_F_TRUNCATED when the trace lost entries)
 *   dma_unmap_sg             segs {addr} (physical only, bus = COH_ADDR_NONE),
 *                            nsegs, nents
 *   dma_sync_for_cpu/device  bus, len (a range inside a live mapping)
 *   dma_sync_sg_for_cpu/dev  segs {bus, len}, nsegs, nents
 *   dma_map/unmap_resource   addr (MMIO physical), bus, len
 *
 *   Windows (NT names; see the seeds), all with dev:
 *   AllocateCommonBuffer     addr (physical), bus (logical), len,
 *                            COH_F_CACHE_ENABLED
 *   FreeCommonBuffer         addr or bus, len
 *   KeFlushIoBuffers         segs[0] = the MDL {addr, len}, COH_F_READ_OP,
 *                            COH_F_DMA_OP
 *   MapTransfer(Ex)          segs = MDL chain {addr, len}, off, len (from
 *                            off in the chain), bus (logical address the device
 *                            will use, COH_ADDR_NONE = physical), handle (map
 *                            register base), irp, COH_F_WRITE_TO_DEVICE
 *   FlushAdapterBuffers(Ex)  segs, off, len, handle, irp, COH_F_WRITE_TO_DEVICE;
 *                            status = recorded return (BOOLEAN 1/0 or NTSTATUS)
 *                            when COH_F_STATUS is set, else the engine decides
 *   GetScatterGatherList     segs {addr, bus, len}, off, len, handle (list),
 *                            irp, COH_F_WRITE_TO_DEVICE
 *   PutScatterGatherList     handle, COH_F_WRITE_TO_DEVICE
 *   FreeMapRegisters         handle
 *   FreeAdapterChannel       (dev only)
 *   IoCompleteRequest        irp, status (NTSTATUS the IRP completes with)
 *
 * Every event also carries ts (nanoseconds) and src (its index in the file
 * it came from, COH_SRC_NONE when synthetic).  COH_F_INFER on a Linux or
 * Windows call asks the engine to infer the CPU and device accesses around
 * it (docs/model.md section 1, "Inferred accesses"); findings resting on them
 * are marked inferred.
 */
#ifndef COH_EVENT_H
#define COH_EVENT_H

#include <stddef.h>
#include <stdint.h>

struct coh_platform;

#define COH_ADDR_NONE  UINT64_MAX
#define COH_SRC_NONE   UINT64_MAX

/* X-macro: enum suffix, name (as in .dmt files and descriptions), group. */
#define COH_EVENT_KINDS(_)                                                \
	_(CPU_READ,         "cpu_read",              ACCESS)              \
	_(CPU_WRITE,        "cpu_write",             ACCESS)              \
	_(DEV_READ,         "dev_read",              ACCESS)              \
	_(DEV_WRITE,        "dev_write",             ACCESS)              \
	_(DEV_DONE,         "dev_done",              ACCESS)              \
	_(EVICT,            "evict",                 ACCESS)              \
	_(SPEC_FILL,        "spec_fill",             ACCESS)              \
	_(MARK,             "mark",                  MARKER)              \
	_(SCOPE_BEGIN,      "begin",                 MARKER)              \
	_(SCOPE_END,        "end",                   MARKER)              \
	_(TRACE_END,        "trace_end",             MARKER)              \
	_(DMA_ALLOC,        "dma_alloc_coherent",    LINUX)               \
	_(DMA_FREE,         "dma_free_coherent",     LINUX)               \
	_(DMA_ALLOC_PAGES,  "dma_alloc_pages",       LINUX)               \
	_(DMA_FREE_PAGES,   "dma_free_pages",        LINUX)               \
	_(DMA_MAP,          "dma_map",               LINUX)               \
	_(DMA_UNMAP,        "dma_unmap",             LINUX)               \
	_(DMA_MAP_SG,       "dma_map_sg",            LINUX)               \
	_(DMA_UNMAP_SG,     "dma_unmap_sg",          LINUX)               \
	_(DMA_SYNC_CPU,     "dma_sync_for_cpu",      LINUX)               \
	_(DMA_SYNC_DEV,     "dma_sync_for_device",   LINUX)               \
	_(DMA_SYNC_SG_CPU,  "dma_sync_sg_for_cpu",   LINUX)               \
	_(DMA_SYNC_SG_DEV,  "dma_sync_sg_for_device", LINUX)              \
	_(DMA_MAP_RES,      "dma_map_resource",      LINUX)               \
	_(DMA_UNMAP_RES,    "dma_unmap_resource",    LINUX)               \
	_(ALLOC_COMMON,     "AllocateCommonBuffer",  WINDOWS)             \
	_(FREE_COMMON,      "FreeCommonBuffer",      WINDOWS)             \
	_(KE_FLUSH,         "KeFlushIoBuffers",      WINDOWS)             \
	_(MAP_TRANSFER,     "MapTransfer",           WINDOWS)             \
	_(MAP_TRANSFER_EX,  "MapTransferEx",         WINDOWS)             \
	_(FLUSH_ADAPTER,    "FlushAdapterBuffers",   WINDOWS)             \
	_(FLUSH_ADAPTER_EX, "FlushAdapterBuffersEx", WINDOWS)             \
	_(GET_SG,           "GetScatterGatherList",  WINDOWS)             \
	_(PUT_SG,           "PutScatterGatherList",  WINDOWS)             \
	_(FREE_MAP_REGS,    "FreeMapRegisters",      WINDOWS)             \
	_(FREE_ADAPTER,     "FreeAdapterChannel",    WINDOWS)             \
	_(IRP_COMPLETE,     "IoCompleteRequest",     WINDOWS)

enum coh_kind {
#define COH_KIND_ENUM(sfx, name, group) COH_EV_##sfx,
	COH_EVENT_KINDS(COH_KIND_ENUM)
#undef COH_KIND_ENUM
	COH_EV_COUNT,
	COH_EV_NONE = 0xffff
};

enum coh_group { COH_GROUP_ACCESS, COH_GROUP_MARKER, COH_GROUP_LINUX, COH_GROUP_WINDOWS };

/* Linux's enum dma_data_direction values, so traces map 1:1. */
enum coh_dir {
	COH_DIR_BIDIRECTIONAL = 0,
	COH_DIR_TO_DEVICE = 1,
	COH_DIR_FROM_DEVICE = 2,
	COH_DIR_NONE = 3
};

enum coh_scope { COH_SCOPE_SEQ = 0, COH_SCOPE_PHASE = 1, COH_SCOPE_RUN = 2 };

/* flags */
#define COH_F_SKIP_CPU_SYNC    (1u << 0)   /* Linux DMA_ATTR_SKIP_CPU_SYNC */
#define COH_F_WRITE_TO_DEVICE  (1u << 1)   /* Windows WriteToDevice */
#define COH_F_READ_OP          (1u << 2)   /* KeFlushIoBuffers ReadOperation */
#define COH_F_DMA_OP           (1u << 3)   /* KeFlushIoBuffers DmaOperation */
#define COH_F_CACHE_ENABLED    (1u << 4)   /* AllocateCommonBuffer CacheEnabled */
#define COH_F_STATUS           (1u << 5)   /* status holds a recorded return value */
#define COH_F_TRUNCATED        (1u << 6)   /* the trace lost scatter-gather entries */
#define COH_F_INFER            (1u << 7)   /* infer the accesses around this call */
#define COH_F_ALL              ((1u << 8) - 1)

/* NTSTATUS values the engine knows */
#define COH_STATUS_SUCCESS            0
#define COH_STATUS_UNSUCCESSFUL       ((int32_t)0xC0000001u)
#define COH_STATUS_INVALID_PARAMETER  ((int32_t)0xC000000Du)

/* One scatter-gather entry or MDL of a chain. */
struct coh_seg {
	uint64_t addr;       /* physical address (COH_ADDR_NONE if unknown) */
	uint64_t bus;        /* device-side address (COH_ADDR_NONE if unknown) */
	uint64_t len;        /* bytes */
};

struct coh_event {
	uint64_t ts;                 /* timestamp in nanoseconds */
	uint64_t src;                /* index in the source file, COH_SRC_NONE if none */
	uint64_t addr;               /* see the table above */
	uint64_t bus;                /* device-side address */
	uint64_t len;                /* length in bytes */
	uint64_t off;                /* Windows: offset into the MDL chain */
	uint64_t handle;             /* Windows map-register base / SG list */
	uint64_t irp;                /* Windows IRP id */
	const struct coh_seg *segs;  /* borrowed: nsegs entries */
	const uint8_t *data;         /* borrowed: len bytes, or NULL */
	const char *text;            /* borrowed: NUL-terminated, or NULL */
	uint32_t nsegs;              /* entries in segs */
	uint32_t nents;              /* sg nents as passed (>= nsegs when truncated) */
	uint32_t flags;              /* COH_F_* */
	int32_t status;              /* recorded return value or completion status */
	uint16_t kind;               /* enum coh_kind */
	uint16_t cpu;                /* issuing CPU */
	uint16_t dev;                /* device index into the platform's table */
	uint8_t dir;                 /* enum coh_dir */
	uint8_t scope;               /* enum coh_scope, for begin/end */
};

/**
 * coh_event_init - a zeroed event of a kind, with no addresses
 *
 * Sets addr, bus and handle to COH_ADDR_NONE, src to COH_SRC_NONE,
 * dir to COH_DIR_NONE; everything else 0.
 */
void coh_event_init(struct coh_event *ev, enum coh_kind kind);

/**
 * coh_kind_name - the name of an event kind
 *
 * Return: a static string ("cpu_read", "FlushAdapterBuffersEx"), or "?".
 */
const char *coh_kind_name(unsigned kind);

/**
 * coh_kind_lookup - an event kind by name (exact, case-sensitive)
 *
 * Return: the kind, or -1.
 */
int coh_kind_lookup(const char *name);

/**
 * coh_kind_group - enum coh_group of a kind (-1 for an unknown kind)
 */
int coh_kind_group(unsigned kind);

/**
 * coh_dir_name - "BIDIRECTIONAL", "TO_DEVICE", "FROM_DEVICE", "NONE"
 */
const char *coh_dir_name(unsigned dir);

/**
 * coh_dir_lookup - direction by name (also accepts the DMA_ prefix and 0..3)
 *
 * Return: the direction, or -1.
 */
int coh_dir_lookup(const char *name);

/**
 * coh_scope_name - "seq", "phase", "run"
 */
const char *coh_scope_name(unsigned scope);

/**
 * coh_event_check - validate an event against a platform
 * @ev:  the event
 * @p:   the platform its dev and cpu index into
 * @msg: if not NULL, receives a message naming the bad field
 * @n:   size of @msg
 *
 * Checks the kind, cpu, dev, lengths (non-zero where required, no overflow
 * of addr + len), segs and data pointers, flags and directions.  API misuse
 * that a real driver could commit (wrong sizes, bad offsets) is not an error:
 * the engine reports it as a finding.
 *
 * Return: 0 or a negative COH_E_* code.
 */
int coh_event_check(const struct coh_event *ev, const struct coh_platform *p,
		    char *msg, size_t n);

/**
 * coh_event_describe - one line describing an event, for timelines
 * @ev:  the event
 * @p:   names its device (may be NULL: devices print as "dev<N>")
 * @buf: receives the line (always NUL-terminated when n > 0)
 * @n:   size of @buf
 *
 * Return: the length the full line has (as snprintf).
 */
int coh_event_describe(const struct coh_event *ev, const struct coh_platform *p,
		       char *buf, size_t n);

/**
 * coh_synth_byte - the byte value a write of version @ver leaves when it
 * carries no data: 0 for version 0 (memory never written), else
 * 1 + (ver - 1) % 255, so successive writes are told apart at a glance.
 */
static inline uint8_t coh_synth_byte(uint32_t ver)
{
	return ver ? (uint8_t)(1u + (ver - 1u) % 255u) : 0;
}

#endif
