/* SPDX-License-Identifier: MIT */
/*
 * coh_event.c - event kinds, names, validation and one-line descriptions.
 */
#include <stdio.h>
#include <string.h>

#include "coh_buf.h"
#include "coh_err.h"
#include "coh_event.h"
#include "coh_platform.h"

#define COH_MAX_LEN   (256ull << 20) /* bytes one event may cover */
#define COH_MAX_SEGS  65536u

static const struct {
	const char *name;
	int group;
} kinds[COH_EV_COUNT] = {
#define COH_KIND_ROW(sfx, nm, grp) [COH_EV_##sfx] = { nm, COH_GROUP_##grp },
	COH_EVENT_KINDS(COH_KIND_ROW)
#undef COH_KIND_ROW
};

void coh_event_init(struct coh_event *ev, enum coh_kind kind)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = (uint16_t)kind;
	ev->addr = COH_ADDR_NONE;
	ev->bus = COH_ADDR_NONE;
	ev->handle = COH_ADDR_NONE;
	ev->src = COH_SRC_NONE;
	ev->dir = COH_DIR_NONE;
}

const char *coh_kind_name(unsigned kind)
{
	return kind < COH_EV_COUNT ? kinds[kind].name : "?";
}

int coh_kind_lookup(const char *name)
{
	for (unsigned i = 0; name && i < COH_EV_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return (int)i;
	return -1;
}

int coh_kind_group(unsigned kind)
{
	return kind < COH_EV_COUNT ? kinds[kind].group : -1;
}

static const char *const dir_names[] = { "BIDIRECTIONAL", "TO_DEVICE", "FROM_DEVICE", "NONE" };

const char *coh_dir_name(unsigned dir)
{
	return dir < 4 ? dir_names[dir] : "?";
}

int coh_dir_lookup(const char *name)
{
	if (!name)
		return -1;
	if (strncmp(name, "DMA_", 4) == 0)
		name += 4;
	for (int i = 0; i < 4; i++)
		if (strcmp(dir_names[i], name) == 0)
			return i;
	if (name[0] >= '0' && name[0] <= '3' && !name[1])
		return name[0] - '0';
	return -1;
}

const char *coh_scope_name(unsigned scope)
{
	static const char *const names[] = { "seq", "phase", "run" };
	return scope < 3 ? names[scope] : "?";
}

/* ---- validation ---------------------------------------------------------- */

#define BAD(code, ...) do { if (msg && n) snprintf(msg, n, __VA_ARGS__); return -(code); } while (0)

/* Within the size limit and not past 2^64. */
static int range_ok(uint64_t addr, uint64_t len)
{
	return len <= COH_MAX_LEN && (len == 0 || addr + (len - 1) >= addr);
}

static int needs_dev(unsigned kind)
{
	int g = coh_kind_group(kind);

	if (kind == COH_EV_IRP_COMPLETE)
		return 0;
	return g == COH_GROUP_LINUX || g == COH_GROUP_WINDOWS || kind == COH_EV_DEV_READ ||
	       kind == COH_EV_DEV_WRITE || kind == COH_EV_DEV_DONE;
}

static int check_segs(const struct coh_event *ev, int need_len, int need_phys, int need_bus,
		      char *msg, size_t n)
{
	if (ev->nsegs == 0 || !ev->segs)
		BAD(COH_E_INVAL, "%s needs at least one segment", coh_kind_name(ev->kind));
	if (ev->nsegs > COH_MAX_SEGS)
		BAD(COH_E_TOOBIG, "%s has %u segments (at most %u)", coh_kind_name(ev->kind),
		    ev->nsegs, COH_MAX_SEGS);
	for (uint64_t i = 0, total = 0; i < ev->nsegs; i++) {
		const struct coh_seg *s = &ev->segs[i];

		total += s->len > COH_MAX_LEN ? COH_MAX_LEN + 1 : s->len;
		if (total > COH_MAX_LEN)
			BAD(COH_E_TOOBIG, "%s: segments of more than %llu bytes in all",
			    coh_kind_name(ev->kind), COH_MAX_LEN);

		if (need_len && s->len == 0)
			BAD(COH_E_RANGE, "%s segment %llu has length 0", coh_kind_name(ev->kind),
			    (unsigned long long)i);
		if (need_phys && s->addr == COH_ADDR_NONE)
			BAD(COH_E_INVAL, "%s segment %llu has no physical address",
			    coh_kind_name(ev->kind), (unsigned long long)i);
		if (need_bus && s->bus == COH_ADDR_NONE)
			BAD(COH_E_INVAL, "%s segment %llu has no bus address",
			    coh_kind_name(ev->kind), (unsigned long long)i);
		if ((s->addr != COH_ADDR_NONE && !range_ok(s->addr, s->len)) ||
		    (s->bus != COH_ADDR_NONE && !range_ok(s->bus, s->len)))
			BAD(COH_E_RANGE, "%s segment %llu: range overflows",
			    coh_kind_name(ev->kind), (unsigned long long)i);
	}
	return 0;
}

static int check_access(const struct coh_event *ev, char *msg, size_t n)
{
	if (ev->len == 0)
		BAD(COH_E_RANGE, "%s of length 0", coh_kind_name(ev->kind));
	/* the last byte of memory, 0xffffffffffffffff, is a real address here */
	if (ev->addr + (ev->len - 1) < ev->addr)
		BAD(COH_E_RANGE, "%s: address 0x%llx + %llu overflows", coh_kind_name(ev->kind),
		    (unsigned long long)ev->addr, (unsigned long long)ev->len);
	if (ev->len > COH_MAX_LEN)
		BAD(COH_E_TOOBIG, "%s of %llu bytes (at most %llu)", coh_kind_name(ev->kind),
		    (unsigned long long)ev->len, COH_MAX_LEN);
	return 0;
}

static int check_linux(const struct coh_event *ev, char *msg, size_t n)
{
	if (ev->dir > COH_DIR_FROM_DEVICE)
		BAD(COH_E_INVAL, "%s: direction %u is not BIDIRECTIONAL, TO_DEVICE or FROM_DEVICE",
		    coh_kind_name(ev->kind), ev->dir);
	switch (ev->kind) {
	case COH_EV_DMA_ALLOC:
	case COH_EV_DMA_ALLOC_PAGES:
	case COH_EV_DMA_MAP:
	case COH_EV_DMA_MAP_RES:
		if (ev->kind == COH_EV_DMA_ALLOC_PAGES && ev->nsegs)
			return check_segs(ev, 1, 1, 1, msg, n);
		if (ev->len == 0)
			BAD(COH_E_RANGE, "%s of length 0", coh_kind_name(ev->kind));
		if (ev->bus == COH_ADDR_NONE || !range_ok(ev->bus, ev->len))
			BAD(COH_E_RANGE, "%s: bad DMA address range", coh_kind_name(ev->kind));
		if (ev->addr != COH_ADDR_NONE && !range_ok(ev->addr, ev->len))
			BAD(COH_E_RANGE, "%s: physical range overflows", coh_kind_name(ev->kind));
		if (ev->addr == COH_ADDR_NONE && ev->kind == COH_EV_DMA_MAP)
			BAD(COH_E_INVAL, "dma_map needs a physical address");
		return 0;
	case COH_EV_DMA_FREE:
	case COH_EV_DMA_FREE_PAGES:
	case COH_EV_DMA_UNMAP:
	case COH_EV_DMA_UNMAP_RES:
	case COH_EV_DMA_SYNC_CPU:
	case COH_EV_DMA_SYNC_DEV:
		if (ev->kind == COH_EV_DMA_FREE_PAGES && ev->nsegs)
			return check_segs(ev, 0, 0, 0, msg, n);
		if (ev->bus == COH_ADDR_NONE || !range_ok(ev->bus, ev->len))
			BAD(COH_E_RANGE, "%s: bad DMA address range", coh_kind_name(ev->kind));
		return 0;
	case COH_EV_DMA_MAP_SG:
		return check_segs(ev, 1, 1, 1, msg, n);
	case COH_EV_DMA_UNMAP_SG:
		return check_segs(ev, 0, 1, 0, msg, n);
	case COH_EV_DMA_SYNC_SG_CPU:
	case COH_EV_DMA_SYNC_SG_DEV:
		return check_segs(ev, 0, 0, 1, msg, n);
	}
	return 0;
}

static int check_windows(const struct coh_event *ev, char *msg, size_t n)
{
	switch (ev->kind) {
	case COH_EV_ALLOC_COMMON:
		if (ev->len == 0 || ev->addr == COH_ADDR_NONE || !range_ok(ev->addr, ev->len))
			BAD(COH_E_RANGE, "AllocateCommonBuffer needs a physical address and a length");
		if (ev->bus != COH_ADDR_NONE && !range_ok(ev->bus, ev->len))
			BAD(COH_E_RANGE, "AllocateCommonBuffer: logical range overflows");
		return 0;
	case COH_EV_FREE_COMMON:
		if (ev->addr == COH_ADDR_NONE && ev->bus == COH_ADDR_NONE)
			BAD(COH_E_INVAL, "FreeCommonBuffer needs an address");
		return 0;
	case COH_EV_KE_FLUSH:
		return check_segs(ev, 1, 1, 0, msg, n);
	case COH_EV_MAP_TRANSFER:
	case COH_EV_MAP_TRANSFER_EX:
	case COH_EV_FLUSH_ADAPTER:
	case COH_EV_FLUSH_ADAPTER_EX:
	case COH_EV_GET_SG:
		if (ev->off > COH_MAX_LEN || ev->len > COH_MAX_LEN)
			BAD(COH_E_RANGE, "%s: offset or length too large", coh_kind_name(ev->kind));
		if (ev->kind == COH_EV_GET_SG)
			return check_segs(ev, 1, 1, 0, msg, n);
		return check_segs(ev, 1, 1, 0, msg, n);
	}
	return 0;
}

int coh_event_check(const struct coh_event *ev, const struct coh_platform *p,
		    char *msg, size_t n)
{
	int g;

	if (!ev)
		BAD(COH_E_INVAL, "no event");
	if (ev->kind >= COH_EV_COUNT)
		BAD(COH_E_KIND, "unknown event kind %u", ev->kind);
	if (ev->flags & ~COH_F_ALL)
		BAD(COH_E_INVAL, "%s: unknown flags 0x%x", coh_kind_name(ev->kind), ev->flags);
	if (p && ev->cpu >= p->ncpus)
		BAD(COH_E_CPU, "%s on CPU %u of %u", coh_kind_name(ev->kind), ev->cpu, p->ncpus);
	if (p && needs_dev(ev->kind) && ev->dev >= p->ndevs)
		BAD(COH_E_DEV, "%s: device %u of %u", coh_kind_name(ev->kind), ev->dev, p->ndevs);
	if (ev->data && ev->len > COH_MAX_LEN)
		BAD(COH_E_TOOBIG, "%s: data of %llu bytes", coh_kind_name(ev->kind),
		    (unsigned long long)ev->len);
	g = coh_kind_group(ev->kind);
	switch (ev->kind) {
	case COH_EV_CPU_READ:
	case COH_EV_CPU_WRITE:
	case COH_EV_DEV_READ:
	case COH_EV_DEV_WRITE:
	case COH_EV_EVICT:
	case COH_EV_SPEC_FILL:
		return check_access(ev, msg, n);
	case COH_EV_SCOPE_BEGIN:
	case COH_EV_SCOPE_END:
		if (ev->scope > COH_SCOPE_RUN)
			BAD(COH_E_INVAL, "unknown scope %u", ev->scope);
		return 0;
	}
	if (g == COH_GROUP_LINUX)
		return check_linux(ev, msg, n);
	if (g == COH_GROUP_WINDOWS)
		return check_windows(ev, msg, n);
	return 0;
}

/* ---- descriptions -------------------------------------------------------- */

static void sb_dev(struct coh_buf *b, const struct coh_event *ev, const struct coh_platform *p)
{
	if (p && ev->dev < p->ndevs)
		coh_buf_printf(b, "%s ", p->devs[ev->dev].name);
	else
		coh_buf_printf(b, "dev%u ", ev->dev);
}

static void sb_segs(struct coh_buf *b, const struct coh_event *ev)
{
	uint32_t show = ev->nsegs < 4 ? ev->nsegs : 3;

	coh_buf_printf(b, " [");
	for (uint32_t i = 0; ev->segs && i < show; i++) {
		const struct coh_seg *s = &ev->segs[i];

		coh_buf_printf(b, "%s", i ? ", " : "");
		if (s->addr != COH_ADDR_NONE)
			coh_buf_printf(b, "0x%llx", (unsigned long long)s->addr);
		if (s->bus != COH_ADDR_NONE)
			coh_buf_printf(b, "%sbus 0x%llx", s->addr != COH_ADDR_NONE ? "/" : "",
				  (unsigned long long)s->bus);
		if (s->len)
			coh_buf_printf(b, "+%llu", (unsigned long long)s->len);
	}
	if (ev->nsegs > show)
		coh_buf_printf(b, ", ... %u in all", ev->nsegs);
	coh_buf_printf(b, "]");
}

static const char *yesno(uint32_t flags, uint32_t bit)
{
	return (flags & bit) ? "TRUE" : "FALSE";
}

static void describe_windows(struct coh_buf *b, const struct coh_event *ev)
{
	int wtd = !!(ev->flags & COH_F_WRITE_TO_DEVICE);

	switch (ev->kind) {
	case COH_EV_ALLOC_COMMON:
		coh_buf_printf(b, " 0x%llx+%llu CacheEnabled=%s", (unsigned long long)ev->addr,
			  (unsigned long long)ev->len, yesno(ev->flags, COH_F_CACHE_ENABLED));
		return;
	case COH_EV_FREE_COMMON:
		coh_buf_printf(b, " 0x%llx+%llu", (unsigned long long)ev->addr,
			  (unsigned long long)ev->len);
		return;
	case COH_EV_KE_FLUSH:
		if (ev->segs && ev->nsegs)
			coh_buf_printf(b, " mdl 0x%llx+%llu", (unsigned long long)ev->segs[0].addr,
				  (unsigned long long)ev->segs[0].len);
		coh_buf_printf(b, " ReadOperation=%s DmaOperation=%s", yesno(ev->flags, COH_F_READ_OP),
			  yesno(ev->flags, COH_F_DMA_OP));
		return;
	case COH_EV_IRP_COMPLETE:
		coh_buf_printf(b, " irp %llu status 0x%08x", (unsigned long long)ev->irp,
			  (unsigned)ev->status);
		return;
	case COH_EV_FREE_ADAPTER:
		return;
	case COH_EV_PUT_SG:
	case COH_EV_FREE_MAP_REGS:
		coh_buf_printf(b, " base 0x%llx", (unsigned long long)ev->handle);
		if (ev->kind == COH_EV_PUT_SG)
			coh_buf_printf(b, " WriteToDevice=%s", wtd ? "TRUE" : "FALSE");
		return;
	}
	if (ev->nsegs)
		sb_segs(b, ev);
	coh_buf_printf(b, " off %llu len %llu base 0x%llx irp %llu WriteToDevice=%s",
		  (unsigned long long)ev->off, (unsigned long long)ev->len,
		  (unsigned long long)ev->handle, (unsigned long long)ev->irp,
		  wtd ? "TRUE" : "FALSE");
	if (ev->flags & COH_F_STATUS) {
		if (ev->kind == COH_EV_FLUSH_ADAPTER)
			coh_buf_printf(b, " -> %s", ev->status ? "TRUE" : "FALSE");
		else
			coh_buf_printf(b, " -> 0x%08x", (unsigned)ev->status);
	}
}

static void describe_linux(struct coh_buf *b, const struct coh_event *ev)
{
	if (ev->nsegs) {
		sb_segs(b, ev);
		if (ev->nents && ev->nents != ev->nsegs)
			coh_buf_printf(b, " nents %u", ev->nents);
	} else {
		if (ev->addr != COH_ADDR_NONE &&
		    (ev->kind == COH_EV_DMA_MAP || ev->kind == COH_EV_DMA_ALLOC ||
		     ev->kind == COH_EV_DMA_ALLOC_PAGES || ev->kind == COH_EV_DMA_MAP_RES))
			coh_buf_printf(b, " phys 0x%llx", (unsigned long long)ev->addr);
		coh_buf_printf(b, " dma 0x%llx len %llu", (unsigned long long)ev->bus,
			  (unsigned long long)ev->len);
	}
	if (ev->dir != COH_DIR_NONE)
		coh_buf_printf(b, " %s", coh_dir_name(ev->dir));
	if (ev->flags & COH_F_SKIP_CPU_SYNC)
		coh_buf_printf(b, " SKIP_CPU_SYNC");
	if (ev->flags & COH_F_TRUNCATED)
		coh_buf_printf(b, " (truncated)");
}

int coh_event_describe(const struct coh_event *ev, const struct coh_platform *p,
		       char *buf, size_t n)
{
	struct coh_buf b = { buf, n, 0 };
	int g;

	if (n)
		buf[0] = 0;
	if (!ev || ev->kind >= COH_EV_COUNT) {
		coh_buf_printf(&b, "(unknown event)");
		return (int)b.len;
	}
	g = coh_kind_group(ev->kind);
	switch (ev->kind) {
	case COH_EV_CPU_READ:
	case COH_EV_CPU_WRITE:
	case COH_EV_EVICT:
	case COH_EV_SPEC_FILL:
		coh_buf_printf(&b, "cpu%u %s 0x%llx+%llu", ev->cpu, coh_kind_name(ev->kind),
			  (unsigned long long)ev->addr, (unsigned long long)ev->len);
		break;
	case COH_EV_DEV_READ:
	case COH_EV_DEV_WRITE:
		sb_dev(&b, ev, p);
		coh_buf_printf(&b, "%s bus 0x%llx+%llu", coh_kind_name(ev->kind),
			  (unsigned long long)ev->addr, (unsigned long long)ev->len);
		break;
	case COH_EV_DEV_DONE:
		sb_dev(&b, ev, p);
		coh_buf_printf(&b, "dev_done");
		if (ev->handle != COH_ADDR_NONE)
			coh_buf_printf(&b, " 0x%llx", (unsigned long long)ev->handle);
		break;
	case COH_EV_MARK:
		coh_buf_printf(&b, "mark: %s", ev->text ? ev->text : "");
		break;
	case COH_EV_SCOPE_BEGIN:
	case COH_EV_SCOPE_END:
		coh_buf_printf(&b, "%s %s %s", coh_scope_name(ev->scope),
			  ev->kind == COH_EV_SCOPE_BEGIN ? "begin" : "end", ev->text ? ev->text : "");
		break;
	case COH_EV_TRACE_END:
		coh_buf_printf(&b, "trace end");
		break;
	default:
		if (ev->kind != COH_EV_IRP_COMPLETE)
			sb_dev(&b, ev, p);
		coh_buf_printf(&b, "%s", coh_kind_name(ev->kind));
		if (g == COH_GROUP_LINUX)
			describe_linux(&b, ev);
		else
			describe_windows(&b, ev);
		break;
	}
	if (ev->flags & COH_F_INFER)
		coh_buf_printf(&b, " (accesses inferred)");
	return (int)b.len;
}
