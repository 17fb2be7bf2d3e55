/* SPDX-License-Identifier: MIT */
/*
 * report_entry.c - one entry of the text report: a finding with the trace
 * lines behind it (its own event, the map call, the unmap), the facts, the
 * message and explanation, its consequences indented under it.
 */
#include <stdlib.h>
#include <string.h>

#include "report-text.h"

#define LINE_MAX_TEXT 1024

/* "PATH:LINE: " of a text trace's event, nothing for other formats. */
static void print_where(FILE *out, const struct report_file *rf, uint64_t src)
{
	uint64_t line = rf->lineno && src != COH_SRC_NONE ? rf->lineno(rf->src_ctx, src) : 0;

	if (line)
		fprintf(out, "%s:%llu: ", rf->path, (unsigned long long)line);
}

/* @up: the note of the finding this one is a consequence of, or NULL; what
 * it already said (scope, map call) is not repeated. */
static void print_head(FILE *out, const struct report_file *rf, const struct coh_finding *f,
		       const struct report_note *n, const struct report_note *up, int indent,
		       const char *prefix)
{
	uint64_t src = report_finding_src(rf, f);
	const char *dev = report_device(rf, f->dev);
	char ts[32];

	fprintf(out, "%*s%s", indent, "", prefix);
	if (src != COH_SRC_NONE)
		fprintf(out, "event %llu", (unsigned long long)src);
	else
		fprintf(out, "engine event %llu", (unsigned long long)f->seq);
	fprintf(out, " at %s  %s  %s %s", report_ts(ts, sizeof(ts), f->ts), dev ? dev : "-",
		coh_fid_code(f->id), coh_fid_name(f->id));
	if (f->flags & COH_FF_INFERRED)
		fputs(" (inferred)", out);
	if (f->flags & COH_FF_STRICT)
		fputs(" (strict)", out);
	if (f->flags & COH_FF_LATENT)
		fputs(" (latent)", out);
	fputc('\n', out);
	if ((n->seq[0] || n->phase[0]) &&
	    (!up || strcmp(up->seq, n->seq) != 0 || strcmp(up->phase, n->phase) != 0))
		fprintf(out, "%*sin: %s%s%s\n", indent + 4, "", n->seq,
			n->seq[0] && n->phase[0] ? ", " : "", n->phase);
}

/* "label event N: LINE", the line as the trace shows it. */
static void print_call(FILE *out, const struct report_file *rf, const char *label,
		       uint64_t seq, int indent)
{
	uint64_t src = report_src(rf, seq);
	char line[LINE_MAX_TEXT];
	const char *text;

	if (seq == COH_SEQ_NONE)
		return;
	text = report_line(rf, src, line, sizeof(line));
	fprintf(out, "%*s%-7s ", indent, "", label);
	if (src != COH_SRC_NONE)
		fprintf(out, "event %llu: ", (unsigned long long)src);
	else
		fprintf(out, "engine event %llu: ", (unsigned long long)seq);
	print_where(out, rf, src);
	fprintf(out, "%s\n", text ? text : "");
}

static const char *end_label(unsigned kind)
{
	return kind == COH_EV_DMA_FREE || kind == COH_EV_DMA_FREE_PAGES ||
	       kind == COH_EV_FREE_COMMON ? "freed:" : "unmap:";
}

static const char *map_label(unsigned kind)
{
	return kind == COH_EV_DMA_ALLOC || kind == COH_EV_DMA_ALLOC_PAGES ||
	       kind == COH_EV_ALLOC_COMMON ? "alloc:" : "map:";
}

/* The trace lines and facts under a finding's head. */
static void print_context(FILE *out, const struct report_file *rf, const struct coh_finding *f,
			  const struct report_note *n, const struct report_note *up, int indent)
{
	char line[LINE_MAX_TEXT];
	const char *text = report_line(rf, report_finding_src(rf, f), line, sizeof(line));

	if (text) {
		fprintf(out, "%*s%-7s ", indent, "", "trace:");
		print_where(out, rf, report_finding_src(rf, f));
		fprintf(out, "%s\n", text);
	}
	if (n->map.kind != COH_EV_NONE && n->map.seq != f->seq &&
	    (!up || up->map.seq != n->map.seq))
		print_call(out, rf, map_label(n->map.kind), n->map.seq, indent);
	if (n->end.kind != COH_EV_NONE)
		print_call(out, rf, end_label(n->end.kind), n->end.seq, indent);
	print_call(out, rf, "write:", n->write_seq, indent);
	if (f->id == COH_DC013 && f->rule == COH_R_REDUNDANT_V3)   /* raised at the transfer */
		print_call(out, rf, "flush:", f->other_seq, indent);
	if (n->facts[0])
		fprintf(out, "%*s%-7s %s\n", indent, "", "facts:", n->facts);
}

int report_entry(FILE *out, const struct report_file *rf, const struct report_tree *t,
		 const struct report_note *notes, size_t i, int indent)
{
	const struct coh_finding *f = rf->findings[i];
	const struct report_note *up = t->parent[i] >= 0 ? &notes[t->parent[i]] : NULL;
	char msg[512];
	char *why;

	print_head(out, rf, f, &notes[i], up, indent, up ? "consequence: " : "");
	report_matrix_on(out, rf, t, i, indent + 4);
	print_context(out, rf, f, &notes[i], up, indent + 4);
	report_message(rf, f, &notes[i], msg, sizeof(msg));
	report_wrap(out, msg, indent + 4);
	why = report_explain(rf, f);
	if (!why)
		return -1;
	if (*why)
		report_wrap(out, why, indent + 4);
	free(why);
	for (long c = t->child[i]; c >= 0; c = t->next[c]) {
		const struct report_view *v = rf->view;

		if (v && rf->findings[c]->id < COH_FID_COUNT && v->hide[rf->findings[c]->id])
			continue;
		if (report_entry(out, rf, t, notes, (size_t)c, indent + 4) < 0)
			return -1;
	}
	return 0;
}
