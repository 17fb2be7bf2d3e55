/* SPDX-License-Identifier: MIT */
/*
 * report_matrix_text.c - the text report of a file replayed on several
 * platforms (check --platform all|LIST): the presets under each entry
 * ("on: ..."), the matrix (finding x preset) after the entries, and one
 * summary line per preset.  Which rows the matrix has follows rf->view as
 * the entries do (--hide, --info); -q leaves it out.
 */
#include <string.h>

#include "report-text.h"

#define LABEL_WIDTH 24               /* the matrix's first column */

/* "on: a, b, c" of the presets in @mask, or "on: every platform (N)" */
static void names(char *buf, size_t n, const struct report_platforms *ps, uint64_t mask)
{
	size_t len = (size_t)snprintf(buf, n, "on:"), shown = 0;

	if (ps->n > 1 && mask == (ps->n == 64 ? ~0ull : (1ull << ps->n) - 1)) {
		snprintf(buf + len, n - len, " every platform (%zu)", ps->n);
		return;
	}
	for (size_t k = 0; k < ps->n && len < n; k++)
		if (mask >> k & 1)
			len += (size_t)snprintf(buf + len, n - len, "%s %s", shown++ ? "," : "",
						ps->p[k].plat->name);
	if (!shown && len < n)
		snprintf(buf + len, n - len, " none");
}

void report_matrix_on(FILE *out, const struct report_file *rf, const struct report_tree *t,
		      size_t i, int indent)
{
	uint64_t mask = report_finding_mask(rf, i);
	long up = t->parent[i];
	char buf[4096];

	if (!rf->platforms || (up >= 0 && report_finding_mask(rf, (size_t)up) == mask))
		return;
	names(buf, sizeof(buf), rf->platforms, mask);
	report_wrap(out, buf, indent);
}

/* 1 when the matrix has a row for finding @i (the entries' rules). */
static int has_row(const struct report_file *rf, size_t i)
{
	const struct coh_finding *f = rf->findings[i];
	const struct report_view *v = rf->view;

	if (!v)
		return 1;
	if (f->id < COH_FID_COUNT && v->hide[f->id])
		return 0;
	return v->info || report_counts(f);
}

static void print_row(FILE *out, const struct report_file *rf, const struct report_tree *t,
		      size_t i)
{
	const struct coh_finding *f = rf->findings[i];
	uint64_t src = report_finding_src(rf, f), mask = report_finding_mask(rf, i);
	char label[64];

	snprintf(label, sizeof(label), "%s%s %s %llu", t->parent[i] >= 0 ? "  " : "",
		 coh_fid_code(f->id), src != COH_SRC_NONE ? "event" : "engine",
		 (unsigned long long)(src != COH_SRC_NONE ? src : f->seq));
	fprintf(out, "    %-*s", LABEL_WIDTH, label);
	for (size_t k = 0; k < rf->platforms->n; k++)
		fprintf(out, "%3s", mask >> k & 1 ? "x" : ".");
	fputc('\n', out);
}

/* "1=x86, 2=x86-swiotlb, ..." wrapped under the matrix. */
static void print_legend(FILE *out, const struct report_platforms *ps)
{
	char buf[4096];
	size_t len = 0;

	buf[0] = 0;
	for (size_t k = 0; k < ps->n && len < sizeof(buf); k++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%zu=%s", k ? ", " : "",
					k + 1, ps->p[k].plat->name);
	report_wrap(out, buf, 4);
}

void report_matrix_table(FILE *out, const struct report_file *rf, const struct report_tree *t)
{
	size_t rows = 0;

	if (!rf->platforms || (rf->view && rf->view->quiet))
		return;
	for (size_t i = 0; i < rf->nfindings; i++)
		rows += has_row(rf, i);
	if (!rows)
		return;
	fputs("  platform matrix (x: the finding appears on that platform):\n", out);
	fprintf(out, "    %-*s", LABEL_WIDTH, "finding");
	for (size_t k = 0; k < rf->platforms->n; k++)
		fprintf(out, "%3zu", k + 1);
	fputc('\n', out);
	for (size_t i = 0; i < rf->nfindings; i++)
		if (has_row(rf, i))
			print_row(out, rf, t, i);
	print_legend(out, rf->platforms);
}

void report_matrix_summary(FILE *out, const struct report_file *rf)
{
	const struct report_platforms *ps = rf->platforms;
	size_t w = 0;

	for (size_t k = 0; k < ps->n; k++)
		if (strlen(ps->p[k].plat->name) > w)
			w = strlen(ps->p[k].plat->name);
	fputs("  per platform (errors: DC001-DC012; stale reads predicted):\n", out);
	for (size_t k = 0; k < ps->n; k++) {
		const struct report_preset *p = &ps->p[k];

		fprintf(out, "    %-*s  ", (int)w, p->plat->name);
		if (p->error) {
			fprintf(out, "exit 2: replay failed: %s\n", p->error);
			continue;
		}
		fprintf(out, "exit %d: %zu finding%s, %zu root cause%s, %zu error%s, "
			"%llu stale read%s\n", p->errors ? 1 : 0, p->nfindings,
			p->nfindings == 1 ? "" : "s", p->roots, p->roots == 1 ? "" : "s",
			p->errors, p->errors == 1 ? "" : "s", (unsigned long long)p->stale_reads,
			p->stale_reads == 1 ? "" : "s");
	}
}
