/* SPDX-License-Identifier: MIT */
/*
 * report_text.c - `dmascope check` findings for people: per entry the event
 * index, timestamp, device, id, name, the trace lines and facts behind it
 * and the explanation (report_entry.c), consequences indented under their
 * root; identical findings as one entry with a count; then a summary per
 * file.  What is listed follows rf->view (check's --hide, --info,
 * --max-per-id, -q); the summary always counts everything.
 */
#include <stdlib.h>
#include <string.h>

#include "coh_event.h"
#include "coh_sim.h"
#include "report-text.h"

struct text_sink {
	FILE *out;                   /* where it writes */
	size_t files;                /* files added so far */
};

/* What was left out of the listing, for the summary. */
struct listing {
	size_t per_id[COH_FID_COUNT];  /* entries listed per id */
	size_t info;                 /* information findings not listed */
	size_t hidden;               /* findings of --hide ids */
	size_t over;                 /* findings past --max-per-id */
	size_t entries;              /* entries listed */
};

/* 0 when rf->view hides @f (counting why in @ls), else 1. */
static int listed(const struct report_file *rf, const struct coh_finding *f, size_t n,
		  struct listing *ls)
{
	const struct report_view *v = rf->view;
	unsigned id = f->id < COH_FID_COUNT ? f->id : 0;

	if (!v)
		return 1;
	if (v->hide[id]) {
		ls->hidden += n;
		return 0;
	}
	if (!v->info && !report_counts(f)) {
		ls->info += n;
		return 0;
	}
	if (v->max_per_id && ls->per_id[id] >= v->max_per_id) {
		ls->over += n;
		return 0;
	}
	return !v->quiet;
}

/* "repeated: N times in all, at events a, b, c, ..." under a group's entry. */
static void print_repeats(FILE *out, const struct report_file *rf, const long *group, size_t g,
			  size_t n)
{
	size_t shown = 0;

	fprintf(out, "      repeated: %zu times in all, at events", n);
	for (size_t i = g; i < rf->nfindings && shown < REPORT_GROUP_SHOWN; i++) {
		uint64_t src = report_finding_src(rf, rf->findings[i]);

		if (group[i] != (long)g)
			continue;
		if (src != COH_SRC_NONE)
			fprintf(out, "%s %llu", shown ? "," : "", (unsigned long long)src);
		else
			fprintf(out, "%s engine %llu", shown ? "," : "",
				(unsigned long long)rf->findings[i]->seq);
		shown++;
	}
	fputs(n > shown ? ", ...\n" : "\n", out);
}

static int print_entries(FILE *out, const struct report_file *rf, const struct report_ctx *c,
			 struct listing *ls)
{
	for (size_t i = 0; i < rf->nfindings; i++) {
		const struct coh_finding *f = rf->findings[i];

		if (c->group[i] != (long)i || !listed(rf, f, c->members[i], ls))
			continue;
		ls->per_id[f->id < COH_FID_COUNT ? f->id : 0]++;
		ls->entries++;
		if (report_entry(out, rf, &c->tree, c->notes, i, 2) < 0)
			return -1;
		if (c->members[i] > 1)
			print_repeats(out, rf, c->group, i, c->members[i]);
	}
	return 0;
}

static void print_unlisted(FILE *out, const struct listing *ls)
{
	if (ls->info)
		fprintf(out, "  not listed: %zu information finding%s (--info lists them)\n",
			ls->info, ls->info == 1 ? "" : "s");
	if (ls->hidden)
		fprintf(out, "  not listed: %zu finding%s of the ids --hide names\n", ls->hidden,
			ls->hidden == 1 ? "" : "s");
	if (ls->over)
		fprintf(out, "  not listed: %zu finding%s past --max-per-id\n", ls->over,
			ls->over == 1 ? "" : "s");
}

static void print_summary(FILE *out, const struct report_file *rf, const struct listing *ls)
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
		fprintf(out, "  summary: %zu finding%s (%zu root cause%s, %zu entr%s listed)\n",
			rf->nfindings, rf->nfindings == 1 ? "" : "s", roots,
			roots == 1 ? "" : "s", ls->entries, ls->entries == 1 ? "y" : "ies");
	for (unsigned id = 1; id < COH_FID_COUNT; id++)
		if (count[id])
			fprintf(out, "    %-6s %-24s %zu\n", coh_fid_code(id), coh_fid_name(id),
				count[id]);
	print_unlisted(out, ls);
	if (rf->platforms)
		report_matrix_summary(out, rf);
	else
		fprintf(out, "  stale reads predicted: %llu\n",
			(unsigned long long)rf->stale_reads);
	if (rf->nwarnings)
		fputs("  warnings:\n", out);
	for (size_t i = 0; i < rf->nwarnings; i++)
		report_wrap(out, rf->warnings[i], 4);
}

/* The file's first line: what "events" counts, and where to look them up. */
static void print_header(FILE *out, const struct report_file *rf)
{
	fprintf(out, "%s: %s, ", rf->path, rf->format ? rf->format : "?");
	if (rf->file_events)
		fprintf(out, "%llu events in the file, %llu of them replayed",
			(unsigned long long)rf->file_events,
			(unsigned long long)rf->file_replayed);
	else
		fprintf(out, "%llu events replayed", (unsigned long long)rf->events);
	if (rf->platforms)
		fprintf(out, ", on %zu platforms", rf->platforms->n);
	else
		fprintf(out, ", platform %s", rf->plat ? rf->plat->name : "?");
	fputs(rf->sim_flags & COH_SIM_STRICT ? ", strict\n" : "\n", out);
	if (rf->format && strcmp(rf->format, "ftrace") == 0 && rf->nfindings &&
	    !(rf->view && rf->view->quiet))
		fputs("  (event N is the N-th event `trace-cmd report` prints for this trace, "
		      "counting from 0)\n", out);
}

static int render(FILE *out, const struct report_file *rf)
{
	struct listing ls = { { 0 }, 0, 0, 0, 0 };
	struct report_ctx c;
	int ret;

	if (report_ctx_build(rf, &c) < 0)
		return -1;
	print_header(out, rf);
	ret = print_entries(out, rf, &c, &ls);
	if (!ret)
		report_matrix_table(out, rf, &c.tree);
	if (!ret)
		print_summary(out, rf, &ls);
	report_ctx_free(&c);
	return ret;
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

	if (rf->error)
		return 0;       /* the message went to stderr */
	if (s->files++)
		fputc('\n', s->out);
	return render(s->out, rf);
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
