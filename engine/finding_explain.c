/* SPDX-License-Identifier: MIT */
/*
 * finding_explain.c - the paragraph a student reads for each finding.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coh_buf.h"
#include "util.h"

struct out {
	struct coh_buf b;            /* the text */
	int file_index;              /* name events by their index in the file */
	int name_call;               /* end with the call omitted (engine kind name) */
};

#define put(o, ...) coh_buf_printf(&(o)->b, __VA_ARGS__)

static const char *dev_name(const struct coh_finding *f, const struct coh_platform *p)
{
	if (f->dev < 0)
		return "the device";
	if (p && (uint32_t)f->dev < p->ndevs)
		return p->devs[f->dev].name;
	return "the device";
}

static void bytes(struct out *o, const uint8_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put(o, "%s%02x", i ? " " : "", b[i]);
}

/* "event 345" (the file's index @src) or "engine event #12" for engine event
 * @seq, as the reports number events */
static void event_ref(struct out *o, uint64_t seq, uint64_t src)
{
	if (o->file_index && src != COH_SRC_NONE)
		put(o, "event %llu", (unsigned long long)src);
	else
		put(o, "engine event #%llu", (unsigned long long)seq);
}

/* "written by event 345" for the write that produced a version */
static void who(struct out *o, uint32_t ver, uint64_t src)
{
	if (!ver) {
		put(o, "never written in this trace");
		return;
	}
	put(o, "written by ");
	event_ref(o, ver - 1, src);
}

static void evidence(struct out *o, const struct coh_finding *f, const char *reader)
{
	unsigned n = f->nbytes;

	if (!n)
		return;
	put(o, " At 0x%llx %s ", (unsigned long long)f->ev_addr, reader);
	bytes(o, f->seen, n);
	put(o, " (");
	who(o, f->seen_ver[0], f->seen_src);
	put(o, ") where the newest data is ");
	bytes(o, f->expected, n);
	put(o, " (");
	who(o, f->exp_ver[0], f->exp_src);
	put(o, ").");
}

static void range(struct out *o, const struct coh_finding *f)
{
	if (f->addr != COH_ADDR_NONE)
		put(o, "0x%llx..0x%llx (%llu bytes)", (unsigned long long)f->addr,
		    (unsigned long long)(f->addr + f->len - 1), (unsigned long long)f->len);
	else if (f->bus != COH_ADDR_NONE)
		put(o, "bus address 0x%llx (%llu bytes)", (unsigned long long)f->bus,
		    (unsigned long long)f->len);
	else
		put(o, "%llu bytes", (unsigned long long)f->len);
}

static void fix(struct out *o, const struct coh_finding *f)
{
	if (f->omitted != COH_EV_NONE)
		put(o, " The call missing or misplaced here: %s.", coh_kind_name(f->omitted));
}

/* 1 when a finding's advice is Windows DMA's: it was raised on a Windows
 * transfer or common buffer, the call it names is a Windows one, or it names
 * none and the platform is an nt-* preset. */
static int windows_advice(const struct coh_finding *f, const struct coh_platform *p)
{
	int g = f->omitted != COH_EV_NONE ? coh_kind_group(f->omitted) : -1;

	if (f->flags & COH_FF_WINDOWS)
		return 1;
	if (g == COH_GROUP_WINDOWS || g == COH_GROUP_LINUX)
		return g == COH_GROUP_WINDOWS;
	return p && strncmp(p->name, "nt-", 3) == 0;
}

/* DC001 naming a DMA_ATTR_SKIP_CPU_SYNC unmap (other_seq) that left device
 * writes unsynced for the CPU. */
static void skip_unmap(struct out *o, const struct coh_finding *f)
{
	put(o, "CPU %d read ", f->cpu);
	range(o, f);
	put(o, ", which the device wrote after the last dma_sync_*_for_cpu covering it, "
	       "after the unmap at ");
	event_ref(o, f->other_seq, f->other_src);
	put(o, " with DMA_ATTR_SKIP_CPU_SYNC: that unmap neither invalidates the cache nor "
	       "copies a bounce buffer back, so the CPU is owed a dma_sync_*_for_cpu before it.");
	if (f->flags & COH_FF_LATENT)
		put(o, " Latent: the read returned the device's bytes here, but it is stale if any "
		       "line of the buffer was cached before the device wrote it (an allocator "
		       "zeroing it, an earlier packet), which the trace cannot show.");
}

/* "CPU 0 read stale data from RANGE." (or the device) and the evidence */
static void stale_head(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	if (f->id == COH_DC001) {
		put(o, "CPU %d read stale data from ", f->cpu);
		range(o, f);
		put(o, ".");
		evidence(o, f, "it read");
	} else {
		put(o, "%s read stale data from ", dev_name(f, p));
		range(o, f);
		put(o, ".");
		evidence(o, f, "the device got");
	}
}

/* Why a stale CPU read of a Windows transfer's or common buffer's bytes
 * happened, in Windows calls only. */
static void win_stale_cpu(struct out *o, const struct coh_finding *f)
{
	switch (f->omitted) {
	case COH_EV_FLUSH_ADAPTER:
	case COH_EV_PUT_SG:
	case COH_EV_FLUSH_ADAPTER_EX:
		put(o, " The device's data reaches the CPU only through %s at the end of the "
		       "transfer: it drains the system DMA controller and posted writes and "
		       "copies the map buffer back", coh_kind_name(f->omitted));
		if (f->omitted == COH_EV_FLUSH_ADAPTER_EX)
			put(o, ", and on a version 3 adapter it is the invalidate that removes "
			       "the lines the CPU cached during the transfer (speculative fills "
			       "included)");
		put(o, ". It was missing, or came after this read.");
		break;
	case COH_EV_KE_FLUSH:
		put(o, " A cache line still held an old copy: with a version 1 or 2 adapter on "
		       "a platform whose devices do not snoop the CPU caches, "
		       "KeFlushIoBuffers(ReadOperation=TRUE) before the transfer must remove "
		       "it; FlushAdapterBuffers does no cache maintenance.");
		break;
	default:
		if (f->rule == COH_R_STALE_SPECULATIVE)
			put(o, " KeFlushIoBuffers was called before the transfer, but the CPU "
			       "filled the line again speculatively while the device wrote, and "
			       "FlushAdapterBuffers of a version 1 or 2 adapter does no cache "
			       "maintenance: no version 1/2 call sequence prevents this. Use the "
			       "version 3 interface (MapTransferEx, FlushAdapterBuffersEx), whose "
			       "flush invalidates after the transfer.");
		else
			put(o, " A cache line still held an old copy of bytes the device wrote.");
		break;
	}
}

/* DC001/DC002 on a Windows transfer or common buffer. */
static void win_stale(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	if (f->id == COH_DC001) {
		stale_head(o, f, p);
		win_stale_cpu(o, f);
		return;
	}
	stale_head(o, f, p);
	put(o, " The CPU's newer data was still in its cache (or not yet copied to the map "
	       "buffer) when the device read memory: the CPU's writes must come before "
	       "KeFlushIoBuffers(ReadOperation=FALSE) and MapTransfer (on a version 3 "
	       "adapter, before MapTransferEx, which cleans).");
}

static void stale(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	int win = windows_advice(f, p);

	if (f->flags & COH_FF_WINDOWS) {
		win_stale(o, f, p);
	} else if (f->rule == COH_R_STALE_SKIP_UNMAP) {
		skip_unmap(o, f);
	} else if (f->id == COH_DC001) {
		stale_head(o, f, p);
		put(o, " A cache line or a bounce buffer still held an old copy: on a platform "
		       "whose devices do not snoop the CPU caches, the CPU sees what the device "
		       "wrote only after the buffer is handed back (%s).", win ?
		       "KeFlushIoBuffers before the transfer and FlushAdapterBuffers(Ex) after it" :
		       "dma_sync_*_for_cpu or dma_unmap_*");
	} else {
		stale_head(o, f, p);
		put(o, " The CPU's newer data was still in its cache (or in the buffer, not yet "
		       "copied to the bounce buffer) when the device read memory: it must be "
		       "cleaned or copied for the device first (%s).", win ?
		       "KeFlushIoBuffers(ReadOperation=FALSE), MapTransfer(Ex)" :
		       "dma_map_*, dma_sync_*_for_device");
	}
}

static void clobber(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	put(o, "%s wrote ", dev_name(f, p));
	range(o, f);
	put(o, " in memory while CPU %d held an older dirty copy of those bytes in its cache.",
	    f->cpu);
	evidence(o, f, "the dirty line holds");
	put(o, " When that line is evicted or cleaned it will be written back over the "
	       "device's data (\"overwritten with stale data if the processor cache is "
	       "flushed later\").");
	if (windows_advice(f, p))
		put(o, " The cache must be flushed before the transfer starts, after the CPU's "
		       "last write (KeFlushIoBuffers with ReadOperation=TRUE; MapTransferEx on "
		       "a version 3 adapter).");
	else
		put(o, " The cache must be flushed before the transfer starts "
		       "(dma_map_* or dma_sync_*_for_device).");
}

static void residual(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	const char *where = f->rule == COH_R_RESIDUAL_CTRL ? "the system DMA controller's "
			    "internal buffer" : f->rule == COH_R_RESIDUAL_POSTED ?
			    "the device's posted-write buffer" : "the map (bounce) buffer";

	put(o, "The transfer of %s was treated as done while ", dev_name(f, p));
	range(o, f);
	put(o, " were still in %s, not in memory.", where);
	evidence(o, f, "memory holds");
	put(o, " A DMA controller may wait until its buffer is full before writing, and a "
	       "bus master may post its last writes: only FlushAdapterBuffers(Ex) at the end "
	       "of each transfer makes sure every byte reached memory.");
}

static void ownership(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	put(o, "Ownership rule broken on ");
	range(o, f);
	put(o, " (%s): %s.", dev_name(f, p), coh_rule_text(f->rule));
	if (f->flags & COH_FF_WINDOWS) {
		put(o, " (--strict) The bytes of a Windows transfer belong to the device from "
		       "MapTransfer(Ex)/GetScatterGatherList until FlushAdapterBuffers(Ex)/"
		       "PutScatterGatherList; without --strict only the call order and the "
		       "data are judged.");
		return;
	}
	switch (f->rule) {
	case COH_R_CPU_READ_DEV_OWNED:
		put(o, " Until dma_sync_*_for_cpu or dma_unmap_* the device owns the buffer; "
		       "what the CPU reads may be an old cached or unbounced copy.");
		break;
	case COH_R_CPU_WRITE_NO_SYNC:
		put(o, " The CPU wrote while the device owned the bytes and never called "
		       "dma_sync_*_for_device, so the device (or the unmap) does not see that "
		       "write: it may read old data, and the CPU's write may be lost.");
		break;
	case COH_R_DEV_CPU_WRITTEN:
		put(o, " The CPU wrote these bytes after taking them back and the device "
		       "used them without a dma_sync_*_for_device in between.");
		break;
	default:
		put(o, " Hand the bytes over with the matching dma_sync_* call first.");
		break;
	}
}

static void shared(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	uint32_t g = p ? (f->id == COH_ALIGN ? coh_platform_granule(p) : p->line) : 0;

	put(o, "CPU %d wrote ", f->cpu);
	range(o, f);
	put(o, ", outside a buffer %s owns for a transfer from the device, but in the same "
	       "%u-byte %s as that buffer.", dev_name(f, p), g,
	    f->id == COH_ALIGN ? "DMA granule" : "cache line");
	if (f->id == COH_ALIGN)
		put(o, " The cache line itself is not shared, but the platform requires DMA "
		       "buffers aligned to %u bytes: on CPUs with larger write-back granules "
		       "this is the same bug as DC007.", g);
	else
		put(o, " Cleaning that line writes stale bytes over the device's data, and "
		       "invalidating it drops the CPU's write: no DMA call can fix this; the "
		       "buffer must start and end on cache-line boundaries.");
}

static void windows(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	switch (f->id) {
	case COH_DC005:
		put(o, "FlushAdapterBuffers(Ex) for %s came before the device signalled the end "
		       "of the transfer: the transfer is cut short and the device's remaining "
		       "writes are lost. Flush only after the device interrupt says it is done.",
		    dev_name(f, p));
		break;
	case COH_DC008:
		put(o, "The transfer of %s ended (IRP completed, map registers or adapter "
		       "channel freed) with no FlushAdapterBuffers(Ex)/PutScatterGatherList "
		       "for it before: the flush belongs at the end of each transfer, before "
		       "the IRP is completed and the map registers are freed.", dev_name(f, p));
		if (f->omitted == COH_EV_FLUSH_ADAPTER_EX)
			put(o, " On a version 3 adapter it is also the invalidate after the "
			       "transfer: CPU reads of the buffer may return lines cached "
			       "during it.");
		break;
	default:
		put(o, "The last FlushAdapterBuffers(Ex) of this transfer of %s failed, yet its "
		       "IRP was completed with success: the caller will use data that may never "
		       "have reached memory. Set the I/O status from the flush result.",
		    dev_name(f, p));
		break;
	}
}

static void misuse(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	put(o, "%s by %s on ", f->id == COH_DC010 ? "Direction mismatch" : "Bad use of a mapping",
	    dev_name(f, p));
	range(o, f);
	put(o, ": %s.", coh_rule_text(f->rule));
	if (f->id == COH_DC010)
		put(o, " The cache maintenance or bounce copy follows the direction passed to "
		       "the call, so the wrong one skips the invalidate or copy the data needed.");
	else if (f->rule == COH_R_DEV_UNMAPPED)
		put(o, " The address may already belong to another mapping.");
}

static void leak(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	put(o, "The mapping of ");
	range(o, f);
	if (f->flags & COH_FF_WINDOWS)
		put(o, " by %s was still live when its scope ended: its map registers or "
		       "scatter-gather list are never released.", dev_name(f, p));
	else
		put(o, " by %s was still live when its scope ended: it is never unmapped (or "
		       "its map registers or scatter-gather list never released).",
		    dev_name(f, p));
}

static void info(struct out *o, const struct coh_finding *f, const struct coh_platform *p)
{
	put(o, "%s: %s (", coh_fid_name(f->id), coh_rule_text(f->rule));
	range(o, f);
	put(o, ", %s).", dev_name(f, p));
	if (f->id == COH_DC013)
		put(o, " Harmless, but the call does nothing useful here.");
}

/* The paragraph into o->b; with o->name_call, ending with the call omitted
 * as the engine names it. */
static int explain(const struct coh_finding *f, const struct coh_platform *p, struct out *op)
{
	struct out o = *op;

	if (o.b.n)
		o.b.p[0] = 0;
	switch (f->id) {
	case COH_DC001:
	case COH_DC002:
		stale(&o, f, p);
		break;
	case COH_DC003:
		clobber(&o, f, p);
		break;
	case COH_DC004:
		residual(&o, f, p);
		break;
	case COH_DC006:
		ownership(&o, f, p);
		break;
	case COH_DC007:
	case COH_ALIGN:
		shared(&o, f, p);
		break;
	case COH_DC005:
	case COH_DC008:
	case COH_DC009:
		windows(&o, f, p);
		break;
	case COH_DC010:
	case COH_DC011:
		misuse(&o, f, p);
		break;
	case COH_DC012:
		leak(&o, f, p);
		break;
	default:
		info(&o, f, p);
		break;
	}
	if (f->flags & COH_FF_INFERRED)
		put(&o, " (This rests on accesses inferred from the DMA calls: the trace has no "
			"access markers.)");
	if (o.name_call)
		fix(&o, f);
	return (int)o.b.len;
}

int coh_finding_explain_src(const struct coh_finding *f, const struct coh_platform *p,
			    char *buf, size_t n)
{
	return explain(f, p, &(struct out){ { buf, n, 0 }, 1, 0 });
}

int coh_finding_explain(const struct coh_finding *f, const struct coh_platform *p,
			char *buf, size_t n)
{
	return explain(f, p, &(struct out){ { buf, n, 0 }, 0, 1 });
}
