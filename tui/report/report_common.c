/* SPDX-License-Identifier: MIT */
/*
 * report_common.c - what the text, JSON and SARIF renderers share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_buf.h"
#include "coh_event.h"
#include "report.h"

#define TEXT_WIDTH 78

int report_counts(const struct coh_finding *f)
{
	return coh_fid_is_error(f->id) && !(f->flags & COH_FF_INFO);
}

const char *report_severity(const struct coh_finding *f)
{
	return report_counts(f) ? "error" : "info";
}

int report_status(const struct report_file *rf)
{
	if (rf->error)
		return 2;
	for (size_t k = 0; rf->platforms && k < rf->platforms->n; k++)
		if (rf->platforms->p[k].error)
			return 2;
	for (size_t i = 0; i < rf->nfindings; i++)
		if (report_counts(rf->findings[i]))
			return 1;
	return 0;
}

/*
 * A finding hangs under its parent when the parent is another finding of
 * the file and following parents from there ends at a root (no cycle).
 */
long report_parent(const struct report_file *rf, size_t i)
{
	int64_t p = rf->findings[i]->parent;
	int64_t cur = p;

	if (p < 0 || (uint64_t)p >= rf->nfindings || (size_t)p == i)
		return -1;
	for (size_t steps = 0; steps <= rf->nfindings; steps++) {
		int64_t up = rf->findings[cur]->parent;

		if (up < 0 || (uint64_t)up >= rf->nfindings || up == cur)
			return (long)p;
		if ((size_t)up == i)
			return -1;
		cur = up;
	}
	return -1;
}

int report_tree_build(const struct report_file *rf, struct report_tree *t)
{
	size_t n = rf->nfindings, sz = (n ? n : 1) * sizeof(long);

	t->n = n;
	t->parent = malloc(sz);
	t->child = malloc(sz);
	t->next = malloc(sz);
	if (!t->parent || !t->child || !t->next) {
		report_tree_free(t);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		t->parent[i] = report_parent(rf, i);
		t->child[i] = -1;
		t->next[i] = -1;
	}
	/* push front from the last one: siblings end up in firing order */
	for (size_t i = n; i-- > 0;) {
		long p = t->parent[i];

		if (p >= 0) {
			t->next[i] = t->child[p];
			t->child[p] = (long)i;
		}
	}
	return 0;
}

void report_tree_free(struct report_tree *t)
{
	free(t->parent);
	free(t->child);
	free(t->next);
	t->parent = t->child = t->next = NULL;
	t->n = 0;
}

uint64_t report_src(const struct report_file *rf, uint64_t seq)
{
	if (seq == COH_SEQ_NONE)
		return COH_SRC_NONE;
	if (!rf->src_of)
		return seq;
	return rf->src_of(rf->src_ctx, seq);
}

uint64_t report_finding_src(const struct report_file *rf, const struct coh_finding *f)
{
	return f->src != COH_SRC_NONE ? f->src : report_src(rf, f->seq);
}

const char *report_device(const struct report_file *rf, int32_t dev)
{
	if (dev < 0 || !rf->plat || (uint32_t)dev >= rf->plat->ndevs ||
	    (uint32_t)dev >= COH_MAX_DEVS)
		return NULL;
	return rf->plat->devs[dev].name;
}

#define lb_add coh_buf_printf

int report_message(const struct report_file *rf, const struct coh_finding *f,
		   const struct report_note *note, char *buf, size_t n)
{
	const char *call = note ? note->call : report_call_name(f->omitted, COH_EV_NONE,
								 COH_EV_NONE);
	struct coh_buf b = { buf, n, 0 };
	const char *dev = report_device(rf, f->dev);
	const char *rule = coh_rule_text(f->rule);

	if (buf && n)
		buf[0] = 0;
	if (f->addr != COH_ADDR_NONE)
		lb_add(&b, "%s: %llu bytes at 0x%llx", rule && *rule ? rule : coh_fid_name(f->id),
		       (unsigned long long)f->len, (unsigned long long)f->addr);
	else
		lb_add(&b, "%s: %llu bytes", rule && *rule ? rule : coh_fid_name(f->id),
		       (unsigned long long)f->len);
	if (f->bus != COH_ADDR_NONE)
		lb_add(&b, " (bus 0x%llx)", (unsigned long long)f->bus);
	if (dev)
		lb_add(&b, " on %s", dev);
	if (call)
		lb_add(&b, "; call omitted or misplaced: %s", call);
	return (int)b.len;
}

/* DC013: what was redundant, and why a portable driver may still need it. */
static char *redundant(const struct report_file *rf, const struct coh_finding *f)
{
	const char *dev = report_device(rf, f->dev);
	const char *why = f->rule == COH_R_REDUNDANT_REPEAT ?
		" The same maintenance was already done and nothing touched the bytes since: "
		"one of the two calls is enough." :
		f->rule == COH_R_REDUNDANT_V3 ?
		" MapTransferEx (or the version 3 scatter/gather list) does that "
		"maintenance itself; before MapTransfer, or with older adapters, "
		"KeFlushIoBuffers is needed, so keep it where the driver may use them." :
		" Redundant on this platform only: on a noncoherent platform, or with bounce "
		"buffers, the DMA API needs this call, so a portable driver keeps it.";
	char *buf = NULL;

	if (asprintf(&buf, "%s (%llu bytes at 0x%llx%s%s).%s", coh_rule_text(f->rule),
		     (unsigned long long)f->len, (unsigned long long)f->addr, dev ? ", " : "",
		     dev ? dev : "", why) < 0)
		return NULL;
	return buf;
}

char *report_explain(const struct report_file *rf, const struct coh_finding *f)
{
	int len;
	char *buf;

	if (f->id == COH_DC013)
		return redundant(rf, f);
	/* the call omitted is named by report_message(), as the mapping was made */
	len = coh_finding_explain_src(f, report_finding_plat(rf, f), NULL, 0);
	if (len < 0)
		len = 0;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return NULL;
	buf[0] = 0;
	if (len)
		coh_finding_explain_src(f, report_finding_plat(rf, f), buf, (size_t)len + 1);
	return buf;
}

char *report_hex(char *buf, const uint8_t *bytes, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = digits[bytes[i] >> 4];
		buf[2 * i + 1] = digits[bytes[i] & 15];
	}
	buf[2 * n] = 0;
	return buf;
}

uint64_t report_ts_us(uint64_t ts_ns)
{
	return ts_ns / 1000 + (ts_ns % 1000 >= 500);
}

char *report_ts(char *buf, size_t n, uint64_t ts_ns)
{
	uint64_t us = report_ts_us(ts_ns);

	snprintf(buf, n, "%llu.%06llu", (unsigned long long)(us / 1000000),
		 (unsigned long long)(us % 1000000));
	return buf;
}

double report_ts_seconds(uint64_t ts_ns)
{
	uint64_t us = report_ts_us(ts_ns);

	return (double)(us / 1000000) + (double)(us % 1000000) / 1e6;
}

/* Print @text wrapped at TEXT_WIDTH, each line indented by @indent spaces. */
void report_wrap(FILE *out, const char *text, int indent)
{
	const char *p = text;

	while (*p) {
		int room = TEXT_WIDTH - indent, len = 0, cut = 0;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		while (p[len] && p[len] != '\n' && len < room) {
			if (p[len] == ' ')
				cut = len;
			len++;
		}
		if (p[len] && p[len] != '\n' && p[len] != ' ' && cut > 0)
			len = cut;
		fprintf(out, "%*s%.*s\n", indent, "", len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}
