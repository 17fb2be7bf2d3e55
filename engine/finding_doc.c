/* SPDX-License-Identifier: MIT */
/*
 * finding_doc.c - what each finding id means: the rows of docs/model.md
 * section 3, for `dmascope explain` and the SARIF rule descriptions.
 */
#include <stddef.h>
#include <string.h>

#include "coh_finding.h"

#define RULES(...) (const unsigned[]){ __VA_ARGS__, COH_R_NONE }

static const struct coh_finding_doc docs[] = {
	{ COH_DC001, "A CPU read returned stale bytes.",
	  "A CPU read returns bytes older than the newest write it should see: a CPU write "
	  "(including the reader's own, lost to an invalidate or a bounce copy-back), or a "
	  "device write already handed to the CPU (Linux: by an unmap or a sync_for_cpu; "
	  "Windows: by the transfer's FlushAdapterBuffers(Ex)/PutScatterGatherList, or by the "
	  "end of a transfer that lacked it), or, for coherent devices without bounce buffers "
	  "and for common buffers, by simply coming first.",
	  "Linux: a missing dma_sync_*_for_cpu or dma_unmap_*.  Windows: a missing or late "
	  "FlushAdapterBuffers(Ex)/PutScatterGatherList (the stale read is then listed inside "
	  "its DC004 or DC008, or on a version 3 adapter it is the finding, naming "
	  "FlushAdapterBuffersEx), or a missing KeFlushIoBuffers(ReadOperation=TRUE) before "
	  "a v1/v2 transfer; a line filled speculatively after KeFlushIoBuffers on a v1/v2 "
	  "adapter names no call, since no v1/v2 sequence prevents it: use MapTransferEx and "
	  "FlushAdapterBuffersEx.",
	  RULES(COH_R_STALE_CPU, COH_R_STALE_SPECULATIVE, COH_R_STALE_SKIP_UNMAP) },
	{ COH_DC002, "A device read returned stale bytes.",
	  "A device read returns bytes older than the newest CPU write made before it: "
	  "nothing that cleans or copies for the device (Linux: map, sync_for_device; "
	  "Windows: KeFlushIoBuffers, MapTransferEx, or MapTransfer with bounce buffers) came "
	  "between the write and the read.",
	  "Linux: a missing dma_sync_*_for_device.  Windows: a CPU write after "
	  "KeFlushIoBuffers(ReadOperation=FALSE)/MapTransfer (v1/v2) or MapTransferEx (v3), "
	  "or no KeFlushIoBuffers at all.",
	  RULES(COH_R_STALE_DEV) },
	{ COH_DC003,
	  "A device write lies under a dirty cached copy that a write-back would put over it.",
	  "A device write lands under an older dirty cached copy of the same bytes: a later "
	  "eviction would write that copy back over the device's data.",
	  "Windows: a missing KeFlushIoBuffers(ReadOperation=TRUE) before the transfer, or a "
	  "CPU write during it (after MapTransferEx on v3).  Linux: a CPU write to a mapped "
	  "buffer without dma_sync_*_for_device.",
	  RULES(COH_R_CLOBBER) },
	{ COH_DC004, "Bytes were left in the adapter (controller, posted writes or map buffer).",
	  "The transfer is treated as done (IRP completed, buffer read, map registers or "
	  "adapter channel freed) while bytes remain in the system DMA controller, the "
	  "posted-write buffer or a map (bounce) buffer not yet copied back.",
	  "Windows only: a missing or late FlushAdapterBuffers(Ex)/PutScatterGatherList after "
	  "a MapTransfer(Ex) or GetScatterGatherList transfer.  It is the one finding of that "
	  "flush (no DC008 beside it); the stale reads it causes are listed inside it.",
	  RULES(COH_R_RESIDUAL_CTRL, COH_R_RESIDUAL_POSTED, COH_R_RESIDUAL_BOUNCE) },
	{ COH_DC005, "The adapter was flushed before the device finished.",
	  "Windows only: FlushAdapterBuffers(Ex) comes before the device signalled the end of "
	  "the transfer (dev_done): the transfer is cut short.  Only for devices whose "
	  "transfers carry dev_done events (lessons, .dmt files, markers).",
	  "The adapter is flushed too early.",
	  RULES(COH_R_PREMATURE_FLUSH) },
	{ COH_DC006, "A buffer was touched by the side that does not own it.",
	  "Linux (on Windows transfers only with --strict: they are judged by call order): "
	  "ownership, tracked per byte, is violated: the CPU reads device-owned "
	  "FROM_DEVICE/BIDIRECTIONAL bytes; the CPU writes device-owned bytes and no "
	  "sync_for_device covers them before the next device access or unmap; the device "
	  "accesses CPU-owned streaming bytes the CPU wrote since it gained them.  --strict "
	  "adds any CPU write to device-owned bytes, any device access to CPU-owned "
	  "streaming bytes, and sync_for_cpu of bytes the CPU already owns.",
	  "A missing dma_sync_*_for_cpu or dma_sync_*_for_device.",
	  RULES(COH_R_CPU_READ_DEV_OWNED, COH_R_CPU_WRITE_NO_SYNC, COH_R_DEV_CPU_WRITTEN,
		COH_R_CPU_WRITE_DEV_OWNED, COH_R_DEV_CPU_OWNED, COH_R_SYNC_CPU_OWNED) },
	{ COH_DC007,
	  "The CPU wrote next to a device-owned buffer in the same cache line.",
	  "While a noncoherent device without bounce buffers owns a FROM_DEVICE/BIDIRECTIONAL "
	  "(or ReadOperation) buffer, the CPU writes bytes outside it that share a cache line "
	  "with it. Sharing only the platform's wider DMA alignment (128 bytes on the arm64 "
	  "presets) is reported as information dma-alignment.",
	  "An unaligned buffer; no call cures it.",
	  RULES(COH_R_SHARED_LINE) },
	{ COH_DC008, "A transfer ended without an adapter flush.",
	  "Windows only: the IRP is completed, or the map registers or adapter channel freed, "
	  "with no FlushAdapterBuffers(Ex)/PutScatterGatherList for that transfer before it, "
	  "and no byte is stranded in an adapter buffer (else DC004).",
	  "Calls in the wrong order, or a missing flush; the stale reads it causes are listed "
	  "inside it (on a version 3 adapter, naming FlushAdapterBuffersEx).",
	  RULES(COH_R_COMPLETE_NO_FLUSH) },
	{ COH_DC009, "A failed adapter flush was followed by a successful IRP completion.",
	  "Windows only: the last FlushAdapterBuffers(Ex) of a transfer failed and its IRP "
	  "completed with success.",
	  "The flush's return value is ignored.",
	  RULES(COH_R_STATUS_IGNORED) },
	{ COH_DC010, "A direction contradicts the mapping or transfer.",
	  "Linux: an unmap or sync direction differs from the mapping's (not for "
	  "BIDIRECTIONAL mappings); a device writes through a TO_DEVICE mapping.  Windows: a "
	  "device writes during a WriteToDevice=TRUE transfer; a flush or KeFlushIoBuffers "
	  "contradicts the transfer's direction.",
	  "A wrong direction argument.",
	  RULES(COH_R_DIR_UNMAP, COH_R_DIR_SYNC, COH_R_DIR_DEV_WRITE, COH_R_DIR_FLUSH) },
	{ COH_DC011, "A mapping was misused.",
	  "A mapping is misused: unmap size differs from the map's; a sync range lies "
	  "outside one live mapping; sg nents differ; a coherent allocation is synced or "
	  "unmapped; a double unmap; a free size differs from the allocation's; a new "
	  "streaming mapping overlaps a live FROM_DEVICE/BIDIRECTIONAL one; "
	  "FlushAdapterBuffersEx's Offset+Length lies outside its MDL chain; a device "
	  "accesses bytes outside every live mapping or allocation.",
	  "Bookkeeping errors in the driver.",
	  RULES(COH_R_UNMAP_SIZE, COH_R_SYNC_RANGE, COH_R_SG_NENTS, COH_R_COHERENT_SYNC,
		COH_R_DOUBLE_UNMAP, COH_R_FREE_SIZE, COH_R_OVERLAP, COH_R_EX_RANGE,
		COH_R_DEV_UNMAPPED) },
	{ COH_DC012, "A mapping was never released.",
	  "A streaming mapping (Linux), or map registers / a scatter-gather list "
	  "(Windows), is still live when the scope that made it ends: a `seq end` marker "
	  "(for mappings its own device made inside it), or the end of a lesson or .dmt "
	  "file.  A capture that simply ends leaks nothing.",
	  "A missing unmap.",
	  RULES(COH_R_LEAK) },
	{ COH_DC013, "A cache operation was not needed here.",
	  "Information: a cache operation that was never required there: on a coherent "
	  "device or uncached memory, KeFlushIoBuffers before a version 3 transfer "
	  "(MapTransferEx) of its bytes, a repeated sync "
	  "or KeFlushIoBuffers with no access in between.",
	  "Extra work on this platform only: a sync skipped by a coherent device is "
	  "still required by the DMA API on noncoherent or bouncing platforms, and "
	  "KeFlushIoBuffers on adapters older than version 3, so a portable driver keeps "
	  "it (only a repeat with nothing in between can go).  Never counted as an error.",
	  RULES(COH_R_REDUNDANT_COHERENT, COH_R_REDUNDANT_UNCACHED, COH_R_REDUNDANT_V3,
		COH_R_REDUNDANT_REPEAT) },
	{ COH_PRETRACE, "A mapping was made before the trace began.",
	  "Information: an unmap or sync of a mapping made before the trace began.",
	  "The capture started after the driver mapped the buffer.",
	  RULES(COH_R_PRETRACE) },
	{ COH_ALIGN,
	  "Bytes share a DMA alignment granule, not a cache line, with a device-owned buffer.",
	  "Information: bytes share the platform's DMA alignment granule with a "
	  "device-owned buffer, but not a cache line.",
	  "A buffer aligned to the cache line but not to the DMA granule.",
	  RULES(COH_R_ALIGN) },
	{ COH_UNKNOWN, "The trace does not say which bytes a call covers.",
	  "Information: the trace does not say which bytes a call covers, so it was "
	  "skipped.",
	  "A truncated scatter list, or a mapping recorded only by its DMA address.",
	  RULES(COH_R_UNKNOWN_RANGE) },
};

const struct coh_finding_doc *coh_finding_doc(unsigned fid)
{
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (docs[i].fid == fid)
			return &docs[i];
	return NULL;
}

/* The API each rule concerns (docs/model.md sections 2 and 3). */
const char *coh_finding_rule_api(unsigned rule)
{
	switch (rule) {
	case COH_R_RESIDUAL_CTRL: case COH_R_RESIDUAL_POSTED: case COH_R_RESIDUAL_BOUNCE:
	case COH_R_PREMATURE_FLUSH: case COH_R_COMPLETE_NO_FLUSH: case COH_R_STATUS_IGNORED:
	case COH_R_DIR_FLUSH: case COH_R_EX_RANGE: case COH_R_REDUNDANT_V3:
	case COH_R_UNKNOWN_RANGE:
		return "Windows";
	case COH_R_SYNC_CPU_OWNED: case COH_R_DIR_UNMAP: case COH_R_DIR_SYNC:
	case COH_R_UNMAP_SIZE: case COH_R_SYNC_RANGE: case COH_R_SG_NENTS:
	case COH_R_COHERENT_SYNC: case COH_R_DOUBLE_UNMAP: case COH_R_OVERLAP: case COH_R_ALIGN:
		return "Linux";
	default:
		return "Linux, Windows";
	}
}

const char *coh_finding_preset_api(const char *preset)
{
	return strncmp(preset, "nt-", 3) == 0 ?
	       "Windows DMA (AllocateCommonBuffer, MapTransfer(Ex), FlushAdapterBuffers(Ex), "
	       "GetScatterGatherList, KeFlushIoBuffers)" :
	       "Linux DMA API (dma_map_*, dma_sync_*_for_cpu/_for_device, dma_alloc_*)";
}
