/* SPDX-License-Identifier: MIT */
/*
 * report_text.c - `dmascope check` findings for people: per finding the
 * event index, timestamp, device, id, name and explanation, consequences
 * indented under their root, then a summary per file.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "coh_event.h"
#include "coh_sim.h"
#include "report.h"

#define TEXT_WIDTH 78

struct text_sink {
	FILE *out;                   /* where it writes */
	size_t files;                /* files added so far */
};

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

static void print_head(FILE *out, const struct report_file *rf, const struct coh_finding *f,
		       int indent, const char *prefix)
{
	uint64_t src = report_finding_src(rf, f);
	const char *dev = report_device(rf, f->dev);
	char ts[32];

	fprintf(out, "%*s%s", indent, "", prefix);
	if (src != COH_SRC_NONE)
		fprintf(out, "event %llu", (unsigned long long)src);
	else
		fprintf(out, "engine event %llu", (unsigned long long)f->seq);
	fprintf(out, " at %s  %s  %s %s", cli_format_ts(ts, sizeof(ts), f->ts), dev ? dev : "-",
		coh_fid_code(f->id), coh_fid_name(f->id));
	if (f->flags & COH_FF_INFERRED)
		fputs(" (inferred)", out);
	if (f->flags & COH_FF_STRICT)
		fputs(" (strict)", out);
	if (f->flags & COH_FF_LATENT)
		fputs(" (latent)", out);
	fputc('\n', out);
}

static int print_finding(FILE *out, const struct report_file *rf, const struct report_tree *t,
			 size_t i, int indent)
{
	const struct coh_finding *f = rf->findings[i];
	char msg[512];
	char *why;

	print_head(out, rf, f, indent, indent > 2 ? "consequence: " : "");
	report_message(rf, f, msg, sizeof(msg));
	report_wrap(out, msg, indent + 4);
	why = report_explain(rf, f);
	if (!why)
		return -1;
	if (*why)
		report_wrap(out, why, indent + 4);
	free(why);
	for (long c = t->child[i]; c >= 0; c = t->next[c])
		if (print_finding(out, rf, t, (size_t)c, indent + 4) < 0)
			return -1;
	return 0;
}

static void print_summary(FILE *out, const struct report_file *rf)
{
	size_t count[COH_FID_COUNT] = { 0 };
	size_t roots = 0;

	for (size_t i = 0; i < rf->nfindings; i++) {
		if (rf->findings[i]->id < COH_FID_COUNT)
			count[rf->findings[i]->id]++;
		roots += report_parent(rf, i) < 0;
	}
	if (!rf->nfindings)
		fputs("  no findings\n", out);
	else
		fprintf(out, "  summary: %zu finding%s (%zu root cause%s)\n", rf->nfindings,
			rf->nfindings == 1 ? "" : "s", roots, roots == 1 ? "" : "s");
	for (unsigned id = 1; id < COH_FID_COUNT; id++)
		if (count[id])
			fprintf(out, "    %-6s %-24s %zu\n", coh_fid_code(id), coh_fid_name(id),
				count[id]);
	fprintf(out, "  stale reads predicted: %llu\n", (unsigned long long)rf->stale_reads);
	if (rf->nwarnings)
		fputs("  warnings:\n", out);
	for (size_t i = 0; i < rf->nwarnings; i++)
		report_wrap(out, rf->warnings[i], 4);
}

static void *text_open(FILE *out)
{
	struct text_sink *s = calloc(1, sizeof(*s));

	if (s)
		s->out = out;
	return s;
}

static int text_add(void *st, const struct report_file *rf)
{
	struct text_sink *s = st;
	struct report_tree t;
	int ret = 0;

	if (rf->error)
		return 0;       /* the message went to stderr */
	if (report_tree_build(rf, &t) < 0)
		return -1;
	if (s->files++)
		fputc('\n', s->out);
	fprintf(s->out, "%s: %s, %llu events, platform %s%s\n", rf->path,
		rf->format ? rf->format : "?", (unsigned long long)rf->events,
		rf->plat ? rf->plat->name : "?", rf->sim_flags & COH_SIM_STRICT ? ", strict" : "");
	for (size_t i = 0; i < rf->nfindings && !ret; i++)
		if (t.parent[i] < 0)
			ret = print_finding(s->out, rf, &t, i, 2);
	print_summary(s->out, rf);
	report_tree_free(&t);
	return ret;
}

static int text_close(void *st)
{
	struct text_sink *s = st;
	int ret = fflush(s->out) == 0 ? 0 : -1;

	free(s);
	return ret;
}

const struct report_sink_ops report_text_ops = {
	.name = "text", .open = text_open, .add = text_add, .close = text_close,
};
