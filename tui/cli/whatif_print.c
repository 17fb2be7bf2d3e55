/* SPDX-License-Identifier: MIT */
/*
 * whatif_print.c - `dmascope whatif --omit-each` output: the omission
 * matrix as a text table (one line per maintenance call) or as JSON
 * (docs/whatif.md).  Calls are named as the driver calls them
 * (report_call_name(): dma_sync_single_for_cpu, FlushAdapterBuffersEx).
 */
#include <string.h>

#include "coh_buf.h"
#include "report-json.h"
#include "report.h"
#include "whatif_print.h"

#define EVIDENCE_SHOWN 4             /* bytes of a wrong read shown in text */

size_t whatif_broken(const struct whatif_matrix *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nrows; i++)
		n += m->rows[i].broke;
	return n;
}

static const char *call_name(const struct coh_omit_row *r)
{
	return report_call_name(r->kind, COH_EV_NONE, COH_EV_NONE);
}

/* "DC001 x2, DC006" for the counts of @v. */
static void ids(struct coh_buf *b, const uint32_t *v)
{
	const char *sep = "";

	for (unsigned id = 1; id < COH_FID_COUNT; id++) {
		if (!v[id])
			continue;
		coh_buf_printf(b, "%s%s", sep, coh_fid_code(id));
		if (strcmp(coh_fid_code(id), "info") == 0)
			coh_buf_printf(b, " %s", coh_fid_name(id));
		if (v[id] > 1)
			coh_buf_printf(b, " x%u", v[id]);
		sep = ", ";
	}
}

static int any(const uint32_t *v)
{
	for (unsigned id = 1; id < COH_FID_COUNT; id++)
		if (v[id])
			return 1;
	return 0;
}

/* The presets whose bits are set in @bits, ", "-separated. */
static void presets(struct coh_buf *b, uint64_t bits)
{
	const char *sep = "";

	for (unsigned i = 0; i < 64 && coh_platform_preset_at(i, NULL); i++) {
		if (!(bits >> i & 1))
			continue;
		coh_buf_printf(b, "%s%s", sep, coh_platform_preset_at(i, NULL));
		sep = ", ";
	}
}

/* What leaving the call out does, in words: the findings that appear and
 * go away, or "no effect here", and where else it is needed. */
static void effect(struct coh_buf *b, const struct coh_omit_row *r)
{
	ids(b, r->added);
	if (any(r->removed)) {
		coh_buf_printf(b, "%sgone: ", any(r->added) ? "; " : "");
		ids(b, r->removed);
	}
	if (!r->changed)
		coh_buf_printf(b, "no effect here");
	else if (!any(r->added) && !any(r->removed))
		coh_buf_printf(b, "the state differs, no finding");
	if (r->needed_on) {
		coh_buf_printf(b, "; needed on: ");
		presets(b, r->needed_on);
	}
}

static void hexbytes(struct coh_buf *b, const uint8_t *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		coh_buf_printf(b, "%02x", v[i]);
}

/* "0x10040: 00000000 (expected 5a5a5a5a) at event 18" */
static void wrong_read(struct coh_buf *b, const struct coh_omit_row *r)
{
	const struct coh_finding *f = &r->first_wrong;
	unsigned n = f->nbytes < EVIDENCE_SHOWN ? f->nbytes : EVIDENCE_SHOWN;

	if (!r->has_first_wrong)
		return;
	if (!n) {
		coh_buf_printf(b, "0x%llx at event %llu", (unsigned long long)f->addr,
			       (unsigned long long)f->src);
		return;
	}
	coh_buf_printf(b, "0x%llx: ", (unsigned long long)f->ev_addr);
	hexbytes(b, f->seen, n);
	coh_buf_printf(b, " (expected ");
	hexbytes(b, f->expected, n);
	coh_buf_printf(b, ") at event %llu", (unsigned long long)f->src);
}

static void row_text(FILE *out, const struct coh_omit_row *r)
{
	char eff[512] = "", wr[128] = "", bytes[32] = "";
	struct coh_buf be = { eff, sizeof(eff), 0 }, bw = { wr, sizeof(wr), 0 };

	effect(&be, r);
	wrong_read(&bw, r);
	if (r->broke)
		snprintf(bytes, sizeof(bytes), "%llu", (unsigned long long)r->wrong_bytes);
	fprintf(out, "  %7llu  %-26s  %-5s  %-30s  %11s  %s\n", (unsigned long long)r->src,
		call_name(r), r->broke ? "yes" : "no", eff, bytes, wr);
}

int whatif_print_text(FILE *out, const struct whatif_matrix *m)
{
	size_t nb = whatif_broken(m);

	fprintf(out, "%s: %llu events on %s, %zu maintenance call%s; ", m->path,
		(unsigned long long)m->events, m->plat->name, m->nrows, m->nrows == 1 ? "" : "s");
	if (nb)
		fprintf(out, "leaving out %zu of them breaks the run\n", nb);
	else
		fprintf(out, "leaving out any one of them breaks nothing\n");
	if (m->nrows)
		fprintf(out, "\n  %7s  %-26s  %-5s  %-30s  %11s  %s\n", "event", "call", "broke",
			"findings that appear", "wrong bytes", "first wrong read");
	for (size_t i = 0; i < m->nrows; i++)
		row_text(out, &m->rows[i]);
	return ferror(out) ? -1 : 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *jids(const uint32_t *v)
{
	json_t *o = json_object();
	int failed = !o;

	for (unsigned id = 1; o && id < COH_FID_COUNT; id++)
		if (v[id])
			report_json_put(o, strcmp(coh_fid_code(id), "info") ? coh_fid_code(id) :
					coh_fid_name(id), json_integer(v[id]), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jpresets(uint64_t bits)
{
	json_t *a = json_array();
	int failed = !a;

	for (unsigned i = 0; a && i < 64 && coh_platform_preset_at(i, NULL); i++)
		if (bits >> i & 1)
			report_json_push(a, json_string(coh_platform_preset_at(i, NULL)), &failed);
	if (failed) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *jhexbytes(const uint8_t *v, unsigned n)
{
	char buf[2 * COH_EVIDENCE + 1] = "";
	struct coh_buf b = { buf, sizeof(buf), 0 };

	hexbytes(&b, v, n);
	return json_string(buf);
}

static json_t *jwrong(const struct coh_omit_row *r)
{
	const struct coh_finding *f = &r->first_wrong;
	json_t *o;
	int failed = 0;

	if (!r->has_first_wrong)
		return json_null();
	if (!(o = json_object()))
		return NULL;
	report_json_put(o, "id", json_string(coh_fid_code(f->id)), &failed);
	report_json_put(o, "event", report_json_src(f->src), &failed);
	report_json_put(o, "addr", report_json_hex(f->nbytes ? f->ev_addr : f->addr), &failed);
	report_json_put(o, "len", json_integer((json_int_t)f->len), &failed);
	report_json_put(o, "seen", jhexbytes(f->seen, f->nbytes), &failed);
	report_json_put(o, "expected", jhexbytes(f->expected, f->nbytes), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jrow(const struct coh_omit_row *r)
{
	json_t *o = json_object();
	int failed = !o;

	if (!o)
		return NULL;
	report_json_put(o, "event", report_json_src(r->src), &failed);
	report_json_put(o, "index", json_integer((json_int_t)r->at), &failed);
	report_json_put(o, "call", json_string(call_name(r)), &failed);
	report_json_put(o, "kind", json_string(coh_kind_name(r->kind)), &failed);
	report_json_put(o, "broke", json_boolean(r->broke), &failed);
	report_json_put(o, "changed", json_boolean(r->changed), &failed);
	report_json_put(o, "added", jids(r->added), &failed);
	report_json_put(o, "removed", jids(r->removed), &failed);
	report_json_put(o, "wrong_bytes", json_integer((json_int_t)r->wrong_bytes), &failed);
	report_json_put(o, "first_wrong", jwrong(r), &failed);
	report_json_put(o, "needed_on", jpresets(r->needed_on), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int whatif_print_json(FILE *out, const struct whatif_matrix *m)
{
	json_t *o = json_object(), *rows = json_array();
	int failed = !o || !rows;

	for (size_t i = 0; !failed && i < m->nrows; i++)
		report_json_push(rows, jrow(&m->rows[i]), &failed);
	report_json_put(o, "file", json_string(m->path), &failed);
	report_json_put(o, "platform", report_json_platform(m->plat), &failed);
	report_json_put(o, "events", json_integer((json_int_t)m->events), &failed);
	report_json_put(o, "calls", json_integer((json_int_t)m->nrows), &failed);
	report_json_put(o, "broken", json_integer((json_int_t)whatif_broken(m)), &failed);
	report_json_put(o, "rows", rows, &failed);
	if (!failed && (json_dumpf(o, out, JSON_INDENT(2) | REPORT_JSON_FLAGS) < 0 ||
			fputc('\n', out) == EOF))
		failed = 1;
	json_decref(o);
	return failed ? -1 : 0;
}
