/* SPDX-License-Identifier: MIT */
/*
 * coh_finding.h - what the engine reports (docs/model.md section 3).
 *
 * A finding names one root cause over one byte range, at one event.  Data
 * effects that cause produces later (a stale read, a clobbered write-back)
 * are findings too, with @parent pointing at the root, so one bug reads as
 * one finding with its consequences inside.  Every finding carries the bytes
 * seen and expected, with their versions (a version is the 1-based engine
 * index of the event that wrote the byte; 0 = never written).
 *
 * Implemented in finding.c (ids, rules, raising one), finding_explain.c (the
 * paragraph) and finding_doc.c (what each id means); finding_log.c keeps
 * the findings a simulation raised.
 */
#ifndef COH_FINDING_H
#define COH_FINDING_H

#include <stddef.h>
#include <stdint.h>

struct coh_platform;

/* X-macro: enum suffix, code, name, severity (E error, I info). */
#define COH_FINDING_IDS(_)                                                \
	_(DC001, "DC001", "stale-cpu-read",          E)                   \
	_(DC002, "DC002", "stale-device-read",       E)                   \
	_(DC003, "DC003", "writeback-clobber",       E)                   \
	_(DC004, "DC004", "residual-in-adapter",     E)                   \
	_(DC005, "DC005", "premature-adapter-flush", E)                   \
	_(DC006, "DC006", "ownership-violation",     E)                   \
	_(DC007, "DC007", "shared-cache-line",       E)                   \
	_(DC008, "DC008", "complete-before-flush",   E)                   \
	_(DC009, "DC009", "flush-status-ignored",    E)                   \
	_(DC010, "DC010", "direction-mismatch",      E)                   \
	_(DC011, "DC011", "bad-mapping-use",         E)                   \
	_(DC012, "DC012", "leaked-mapping",          E)                   \
	_(DC013, "DC013", "redundant-maintenance",   I)                   \
	_(PRETRACE, "info", "pre-trace-mapping",     I)                   \
	_(ALIGN,    "info", "dma-alignment",         I)                   \
	_(UNKNOWN,  "info", "unknown-range",         I)

enum coh_fid {
	COH_FID_NONE = 0,
#define COH_FID_ENUM(sfx, code, name, sev) COH_##sfx,
	COH_FINDING_IDS(COH_FID_ENUM)
#undef COH_FID_ENUM
	COH_FID_COUNT
};

/* The variant of an id: which clause of docs/model.md section 3 fired. */
#define COH_RULES(_)                                                      \
	_(NONE,               "")                                         \
	_(STALE_CPU,          "CPU read returned bytes older than the newest write it should see") \
	_(STALE_DEV,          "device read returned bytes older than the newest CPU write") \
	_(CLOBBER,            "device wrote under an older dirty cached copy") \
	_(RESIDUAL_CTRL,      "bytes left in the system DMA controller") \
	_(RESIDUAL_POSTED,    "bytes left in the posted-write buffer")   \
	_(RESIDUAL_BOUNCE,    "bytes left in a map buffer, not copied back") \
	_(PREMATURE_FLUSH,    "adapter flushed before the device finished") \
	_(CPU_READ_DEV_OWNED, "CPU read bytes the device owns")          \
	_(CPU_WRITE_NO_SYNC,  "CPU wrote device-owned bytes and never synced them for the device") \
	_(DEV_CPU_WRITTEN,    "device accessed bytes the CPU owns and wrote") \
	_(CPU_WRITE_DEV_OWNED,"CPU wrote bytes the device owns (strict)") \
	_(DEV_CPU_OWNED,      "device accessed bytes the CPU owns (strict)") \
	_(SYNC_CPU_OWNED,     "sync_for_cpu of bytes the CPU already owns (strict)") \
	_(SHARED_LINE,        "CPU wrote next to a device-owned buffer in the same granule") \
	_(COMPLETE_NO_FLUSH,  "transfer ended with no adapter flush")    \
	_(STATUS_IGNORED,     "failed flush, IRP completed with success") \
	_(DIR_UNMAP,          "unmap direction differs from the mapping's") \
	_(DIR_SYNC,           "sync direction differs from the mapping's") \
	_(DIR_DEV_WRITE,      "device wrote through a TO_DEVICE mapping") \
	_(DIR_FLUSH,          "flush direction contradicts the transfer's") \
	_(UNMAP_SIZE,         "unmap size differs from the map's")       \
	_(SYNC_RANGE,         "sync range outside one live mapping")     \
	_(SG_NENTS,           "sg nents differ from the map's")          \
	_(COHERENT_SYNC,      "sync or unmap of a coherent allocation")  \
	_(DOUBLE_UNMAP,       "unmap of a mapping already unmapped")     \
	_(FREE_SIZE,          "free size differs from the allocation's") \
	_(OVERLAP,            "new mapping overlaps a live FROM_DEVICE/BIDIRECTIONAL one") \
	_(EX_RANGE,           "Offset+Length outside the MDL chain")     \
	_(DEV_UNMAPPED,       "device access outside every live mapping") \
	_(LEAK,               "mapping still live when its scope ended") \
	_(REDUNDANT_COHERENT, "cache maintenance on a coherent device")  \
	_(REDUNDANT_UNCACHED, "cache maintenance on uncached memory")    \
	_(REDUNDANT_V3,       "KeFlushIoBuffers with a v3 adapter")      \
	_(REDUNDANT_REPEAT,   "repeated maintenance with no access in between") \
	_(PRETRACE,           "mapping made before the trace began")     \
	_(ALIGN,              "shares the platform's DMA alignment granule, not a cache line") \
	_(UNKNOWN_RANGE,      "the trace does not say which bytes this covers") \
	_(STALE_SPECULATIVE,  "CPU read a line filled speculatively after KeFlushIoBuffers: no v1/v2 call prevents it") \
	_(STALE_SKIP_UNMAP,   "CPU read device data a DMA_ATTR_SKIP_CPU_SYNC unmap left unsynced for the CPU")

enum coh_rule {
#define COH_RULE_ENUM(sfx, text) COH_R_##sfx,
	COH_RULES(COH_RULE_ENUM)
#undef COH_RULE_ENUM
	COH_R_COUNT
};

#define COH_FF_INFERRED  (1u << 0)  /* rests on an inferred access */
#define COH_FF_STRICT    (1u << 1)  /* reported only under COH_SIM_STRICT */
#define COH_FF_INFO      (1u << 2)  /* information, not an error */
#define COH_FF_LATENT    (1u << 3)  /* wrong by the rules, stale only if a line was
				     * cached, which the trace cannot show */
#define COH_FF_WINDOWS   (1u << 4)  /* raised on a Windows transfer or common buffer:
				     * its text speaks of Windows calls only */

#define COH_EVIDENCE     16         /* bytes of evidence kept per finding */
#define COH_SEQ_NONE     UINT64_MAX

struct coh_finding {
	uint16_t id;                 /* enum coh_fid */
	uint16_t rule;               /* enum coh_rule */
	uint32_t flags;              /* COH_FF_* */
	int64_t parent;              /* index of the root finding, -1 for a root;
				      * roots come before their consequences */
	uint64_t seq;                /* engine index of the event where it fired */
	uint64_t src;                /* that event's index in its source file */
	uint64_t ts;                 /* that event's timestamp (ns) */
	int32_t dev;                 /* device index, -1 if none */
	int32_t cpu;                 /* CPU index, -1 if none */
	uint64_t addr;               /* physical start of the affected range */
	uint64_t len;                /* its length */
	uint64_t bus;                /* device-side address, COH_ADDR_NONE if none */
	uint64_t other_seq;          /* the event it names (the write, the map call,
				      * the transfer), COH_SEQ_NONE if none */
	uint16_t omitted;            /* enum coh_kind of the call omitted or
				      * misplaced, COH_EV_NONE if none */
	uint16_t nbytes;             /* evidence bytes below, <= COH_EVIDENCE */
	uint64_t ev_addr;            /* physical address of evidence byte 0 */
	uint8_t seen[COH_EVIDENCE];      /* what the reader got */
	uint8_t expected[COH_EVIDENCE];  /* what it should have got */
	uint32_t seen_ver[COH_EVIDENCE];
	uint32_t exp_ver[COH_EVIDENCE];
	/* the same events as their file numbers them (COH_SRC_NONE: unknown) */
	uint64_t other_src;          /* other_seq */
	uint64_t seen_src;           /* the write of seen_ver[0] */
	uint64_t exp_src;            /* the write of exp_ver[0] */
};

/**
 * coh_fid_code - "DC001" .. "DC013", or "info"
 */
const char *coh_fid_code(unsigned id);

/**
 * coh_fid_name - "stale-cpu-read", ..., "pre-trace-mapping"
 */
const char *coh_fid_name(unsigned id);

/**
 * coh_fid_lookup - id by code ("DC003") or name ("writeback-clobber")
 *
 * Return: the id, or 0 (COH_FID_NONE).
 */
int coh_fid_lookup(const char *s);

/**
 * coh_fid_is_error - 1 for DC001-DC012, 0 for DC013 and information
 */
int coh_fid_is_error(unsigned id);

/**
 * coh_rule_text - a short description of a rule ("CPU read bytes the device owns")
 */
const char *coh_rule_text(unsigned rule);

/**
 * coh_finding_explain - a paragraph a student can read
 * @f:   the finding
 * @p:   the platform (names the device); may be NULL
 * @buf: receives the text, NUL-terminated when n > 0
 * @n:   size of @buf
 *
 * Says what happened, with the bytes and versions, why it is wrong on this
 * platform, and which call would have prevented it.
 *
 * Return: the length the whole paragraph has (as snprintf).
 */
int coh_finding_explain(const struct coh_finding *f, const struct coh_platform *p,
			char *buf, size_t n);

/**
 * coh_finding_explain_src - coh_finding_explain() naming events by their
 * index in the file (other_src, seen_src, exp_src of the finding), and
 * leaving the last sentence, the call omitted, to the caller: the engine
 * knows the kind of call (dma_sync_for_cpu), the caller the real function
 * the driver uses (dma_sync_single_for_cpu or dma_sync_sg_for_cpu, as the
 * mapping was made)
 *
 * Return: as coh_finding_explain().
 */
int coh_finding_explain_src(const struct coh_finding *f, const struct coh_platform *p,
			    char *buf, size_t n);

/* ---- what each finding id means (docs/model.md section 3) -------------------- */

struct coh_finding_doc {
	unsigned fid;                /* enum coh_fid */
	const char *title;           /* a short sentence */
	const char *when;            /* exactly when it fires */
	const char *cause;           /* the typical cause */
	const unsigned *rules;       /* enum coh_rule variants, 0-terminated */
};

/**
 * coh_finding_doc - the documentation of an id
 *
 * Return: a static entry, or NULL for an id without one.
 */
const struct coh_finding_doc *coh_finding_doc(unsigned fid);

/**
 * coh_finding_rule_api - the API a rule (enum coh_rule) concerns
 *
 * Return: a static "Linux", "Windows" or "Linux, Windows".
 */
const char *coh_finding_rule_api(unsigned rule);

/**
 * coh_finding_preset_api - the API the traces a platform preset models use:
 * Windows for the nt-* presets, Linux for the others
 *
 * Return: a static one-line description.
 */
const char *coh_finding_preset_api(const char *preset);

#endif
