/* SPDX-License-Identifier: MIT */
/*
 * fix_call.c - a maintenance call as a line of the driver's own code, for
 * the patch list of `dmascope fix`: the real function (report_call_name(),
 * as the report layer names it), with the arguments the event carries:
 * dma_sync_single_for_cpu(dev, 0x80000, 2048, DMA_FROM_DEVICE),
 * FlushAdapterBuffers(adapter, mdl, mapregs 0x60, va 0xa00000, 2048,
 * WriteToDevice=FALSE); and what an event is, in words ("the CPU read").
 */
#include <stdio.h>

#include "coh_buf.h"
#include "fix_call.h"
#include "report.h"

static const char *tf(int b)
{
	return b ? "TRUE" : "FALSE";
}

static const char *dma_dir(unsigned dir)
{
	switch (dir) {
	case COH_DIR_TO_DEVICE: return "DMA_TO_DEVICE";
	case COH_DIR_FROM_DEVICE: return "DMA_FROM_DEVICE";
	case COH_DIR_BIDIRECTIONAL: return "DMA_BIDIRECTIONAL";
	default: return "DMA_NONE";
	}
}

/* sg entries as "{0x600000+4096, 0x603000+4096}", bus side when known */
static void put_sg(struct coh_buf *b, const struct coh_event *ev)
{
	coh_buf_printf(b, "{");
	for (uint32_t k = 0; k < ev->nsegs; k++) {
		uint64_t a = ev->segs[k].bus != COH_ADDR_NONE ? ev->segs[k].bus : ev->segs[k].addr;

		coh_buf_printf(b, "%s0x%llx+%llu", k ? ", " : "", (unsigned long long)a,
			    (unsigned long long)ev->segs[k].len);
	}
	coh_buf_printf(b, "}");
}

static void put_linux(struct coh_buf *b, const char *name, const struct coh_event *ev)
{
	coh_buf_printf(b, "%s(dev, ", name);
	if (ev->nsegs && ev->segs) {
		put_sg(b, ev);
		coh_buf_printf(b, ", %u", ev->nents);
	} else {
		coh_buf_printf(b, "0x%llx, %llu", (unsigned long long)ev->bus,
			    (unsigned long long)ev->len);
	}
	coh_buf_printf(b, ", %s)", dma_dir(ev->dir));
}

static void put_flush(struct coh_buf *b, const char *name, const struct coh_event *ev)
{
	int wtd = !!(ev->flags & COH_F_WRITE_TO_DEVICE);
	uint64_t va = ev->nsegs && ev->segs ? ev->segs[0].addr + ev->off : ev->off;

	if (ev->kind == COH_EV_FLUSH_ADAPTER_EX)
		coh_buf_printf(b, "%s(adapter, mdl, mapregs 0x%llx, offset %llu, %llu, "
			    "WriteToDevice=%s)", name, (unsigned long long)ev->handle,
			    (unsigned long long)ev->off, (unsigned long long)ev->len, tf(wtd));
	else
		coh_buf_printf(b, "%s(adapter, mdl, mapregs 0x%llx, va 0x%llx, %llu, "
			    "WriteToDevice=%s)", name, (unsigned long long)ev->handle,
			    (unsigned long long)va, (unsigned long long)ev->len, tf(wtd));
}

static void put_windows(struct coh_buf *b, const char *name, const struct coh_event *ev)
{
	switch (ev->kind) {
	case COH_EV_KE_FLUSH:
		coh_buf_printf(b, "%s(mdl 0x%llx+%llu, ReadOperation=%s, DmaOperation=%s)", name,
			    (unsigned long long)(ev->nsegs ? ev->segs[0].addr : ev->addr),
			    (unsigned long long)(ev->nsegs ? ev->segs[0].len : ev->len),
			    tf(ev->flags & COH_F_READ_OP), tf(ev->flags & COH_F_DMA_OP));
		break;
	case COH_EV_PUT_SG:
		coh_buf_printf(b, "%s(adapter, list 0x%llx, WriteToDevice=%s)", name,
			    (unsigned long long)ev->handle, tf(ev->flags & COH_F_WRITE_TO_DEVICE));
		break;
	case COH_EV_FREE_MAP_REGS:
		coh_buf_printf(b, "%s(adapter, mapregs 0x%llx)", name, (unsigned long long)ev->handle);
		break;
	default:
		put_flush(b, name, ev);
	}
}

/**
 * fix_call_text - @ev as the driver's call, into @buf
 * @p: names devices when the call is no DMA API call (may be NULL)
 */
void fix_call_text(const struct coh_event *ev, const struct coh_platform *p, char *buf,
		   size_t n)
{
	const char *name = report_call_name(ev->kind, COH_EV_NONE, COH_EV_NONE);
	struct coh_buf b = { .p = buf, .n = n };

	if (n)
		buf[0] = '\0';
	if (!name || coh_kind_group(ev->kind) == COH_GROUP_ACCESS) {
		coh_event_describe(ev, p, buf, n);
		return;
	}
	if (coh_kind_group(ev->kind) == COH_GROUP_LINUX)
		put_linux(&b, name, ev);
	else if (ev->kind == COH_EV_KE_FLUSH || ev->kind == COH_EV_PUT_SG ||
		 ev->kind == COH_EV_FREE_MAP_REGS || ev->kind == COH_EV_FLUSH_ADAPTER ||
		 ev->kind == COH_EV_FLUSH_ADAPTER_EX)
		put_windows(&b, name, ev);
	else
		coh_event_describe(ev, p, buf, n);
}

static const char *access_what(unsigned kind)
{
	switch (kind) {
	case COH_EV_CPU_READ: return "CPU read";
	case COH_EV_CPU_WRITE: return "CPU write";
	case COH_EV_DEV_READ: return "device read";
	case COH_EV_DEV_WRITE: return "device write";
	case COH_EV_DEV_DONE: return "device's end of transfer";
	case COH_EV_TRACE_END: return "end of the trace";
	case COH_EV_SCOPE_END: return "end of the sequence";
	default: return NULL;
	}
}

/**
 * fix_event_what - what an event of @kind is, for "before the CPU read at
 * event 84": an access or marker in words, a call by its real name
 *
 * Return: @buf.
 */
const char *fix_event_what(unsigned kind, char *buf, size_t n)
{
	const char *what = access_what(kind);

	if (!what)
		what = report_call_name(kind, COH_EV_NONE, COH_EV_NONE);
	snprintf(buf, n, "the %s", what ? what : coh_kind_name(kind));
	return buf;
}
