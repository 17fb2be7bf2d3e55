/* SPDX-License-Identifier: MIT */
/*
 * whatif_print_diff.c - `dmascope whatif --edits` output: how the edited
 * run differs from the recorded one (coh_whatif_diff(), coh_whatif_bytes()):
 * where they diverge and rejoin, the findings added and removed, the bytes
 * that differ at the end; as text or as one JSON object (docs/whatif.md).
 * Events are named by the file's own numbers.
 */
#include <string.h>

#include "coh_buf.h"
#include "report-json.h"
#include "whatif_print.h"

#define EVIDENCE_SHOWN 4

int whatif_diff_breaks(const struct whatif_diff *x)
{
	for (size_t i = 0; i < x->d->nadded; i++)
		if (coh_fid_is_error(x->d->added[i].id))
			return 1;
	return 0;
}

/* "event 12", "an event inserted before event 12", "the end" */
static void where(struct coh_buf *b, const struct whatif_diff *x, uint64_t ed)
{
	int ins = 0;
	uint64_t src = x->file_event(x->ctx, ed, &ins);

	if (src == COH_SRC_NONE)
		coh_buf_printf(b, "%s position %llu", ins ? "the inserted event at" : "the event at",
			       (unsigned long long)ed);
	else if (ins)
		coh_buf_printf(b, "the event inserted before event %llu", (unsigned long long)src);
	else
		coh_buf_printf(b, "event %llu", (unsigned long long)src);
}

static void course(FILE *out, const struct whatif_diff *x)
{
	char a[128] = "", b[128] = "";
	struct coh_buf ba = { a, sizeof(a), 0 }, bb = { b, sizeof(b), 0 };

	if (x->d->diverge == COH_SEQ_NONE) {
		fprintf(out, "  the runs never diverge\n");
		return;
	}
	where(&ba, x, x->d->diverge);
	if (x->d->rejoin != COH_SEQ_NONE)
		where(&bb, x, x->d->rejoin);
	fprintf(out, "  the runs diverge at %s and %s%s\n", a,
		x->d->rejoin == COH_SEQ_NONE ? "never rejoin" : "rejoin after ", b);
}

static const char *device(const struct whatif_diff *x, int32_t dev)
{
	return dev >= 0 && (uint32_t)dev < x->plat->ndevs ? x->plat->devs[dev].name : "-";
}

static void findings(FILE *out, const struct whatif_diff *x, const char *what,
		     const struct coh_finding *f, size_t n)
{
	fprintf(out, "  findings %s: %zu\n", what, n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "    event %-7llu %s %-22s %llu bytes at 0x%llx  %s  %s\n",
			(unsigned long long)f[i].src, coh_fid_code(f[i].id),
			coh_fid_name(f[i].id), (unsigned long long)f[i].len,
			(unsigned long long)f[i].addr, device(x, f[i].dev),
			coh_rule_text(f[i].rule));
}

static const char *place(const struct whatif_diff *x, const struct coh_byte_diff *b,
			 char *buf, size_t n)
{
	switch (b->where) {
	case COH_DIFF_MEM: return "memory";
	case COH_DIFF_CACHE: snprintf(buf, n, "CPU %u's cache", b->unit); return buf;
	case COH_DIFF_BOUNCE: snprintf(buf, n, "bounce slot of %s", device(x, b->unit)); break;
	case COH_DIFF_CTRL: snprintf(buf, n, "controller of %s", device(x, b->unit)); break;
	default: snprintf(buf, n, "posted writes of %s", device(x, b->unit)); break;
	}
	return buf;
}

static void hexbytes(struct coh_buf *b, const uint8_t *v, uint64_t len, int present)
{
	if (!present) {
		coh_buf_printf(b, "(absent)");
		return;
	}
	for (uint64_t i = 0; i < len && i < EVIDENCE_SHOWN; i++)
		coh_buf_printf(b, "%02x", v[i]);
}

static void bytes(FILE *out, const struct whatif_diff *x)
{
	fprintf(out, "  bytes that differ at the end: %ld run%s\n", x->nruns,
		x->nruns == 1 ? "" : "s");
	for (size_t i = 0; i < x->nbytes; i++) {
		const struct coh_byte_diff *r = &x->bytes[i];
		char p[96], a[32] = "", b[32] = "";
		struct coh_buf ba = { a, sizeof(a), 0 }, bb = { b, sizeof(b), 0 };

		hexbytes(&ba, r->a, r->len, r->in_a);
		hexbytes(&bb, r->b, r->len, r->in_b);
		fprintf(out, "    %s 0x%llx, %llu bytes: recorded %s, edited %s\n",
			place(x, r, p, sizeof(p)), (unsigned long long)r->addr,
			(unsigned long long)r->len, a, b);
	}
	if (x->nruns > (long)x->nbytes)
		fprintf(out, "    ... and %ld more\n", x->nruns - (long)x->nbytes);
}

int whatif_print_diff_text(FILE *out, const struct whatif_diff *x)
{
	fprintf(out, "%s with %s: %zu edit%s, on %s\n", x->path, x->edits, x->nedits,
		x->nedits == 1 ? "" : "s", x->plat->name);
	course(out, x);
	findings(out, x, "added", x->d->added, x->d->nadded);
	findings(out, x, "removed", x->d->removed, x->d->nremoved);
	bytes(out, x);
	return ferror(out) ? -1 : 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *jpos(const struct whatif_diff *x, uint64_t ed)
{
	int ins = 0;
	json_t *o;
	int failed = 0;

	if (ed == COH_SEQ_NONE)
		return json_null();
	if (!(o = json_object()))
		return NULL;
	report_json_put(o, "event", report_json_src(x->file_event(x->ctx, ed, &ins)), &failed);
	report_json_put(o, "inserted", json_boolean(ins), &failed);
	report_json_put(o, "index", json_integer((json_int_t)ed), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jfinding(const struct whatif_diff *x, const struct coh_finding *f)
{
	json_t *o = json_object();
	int failed = !o;

	if (!o)
		return NULL;
	report_json_put(o, "id", json_string(coh_fid_code(f->id)), &failed);
	report_json_put(o, "name", json_string(coh_fid_name(f->id)), &failed);
	report_json_put(o, "rule", json_string(coh_rule_text(f->rule)), &failed);
	report_json_put(o, "event", report_json_src(f->src), &failed);
	report_json_put(o, "device", report_json_str(f->dev >= 0 ? device(x, f->dev) : NULL),
			&failed);
	report_json_put(o, "addr", report_json_hex(f->addr), &failed);
	report_json_put(o, "len", json_integer((json_int_t)f->len), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jfindings(const struct whatif_diff *x, const struct coh_finding *f, size_t n)
{
	json_t *a = json_array();
	int failed = !a;

	for (size_t i = 0; a && i < n; i++)
		report_json_push(a, jfinding(x, &f[i]), &failed);
	if (failed) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *jrun(const struct whatif_diff *x, const struct coh_byte_diff *r)
{
	char p[96], a[2 * EVIDENCE_SHOWN + 16] = "", b[2 * EVIDENCE_SHOWN + 16] = "";
	struct coh_buf ba = { a, sizeof(a), 0 }, bb = { b, sizeof(b), 0 };
	json_t *o = json_object();
	int failed = !o;

	if (!o)
		return NULL;
	hexbytes(&ba, r->a, r->len, r->in_a);
	hexbytes(&bb, r->b, r->len, r->in_b);
	report_json_put(o, "where", json_string(place(x, r, p, sizeof(p))), &failed);
	report_json_put(o, "addr", report_json_hex(r->addr), &failed);
	report_json_put(o, "len", json_integer((json_int_t)r->len), &failed);
	report_json_put(o, "recorded", r->in_a ? json_string(a) : json_null(), &failed);
	report_json_put(o, "edited", r->in_b ? json_string(b) : json_null(), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int whatif_print_diff_json(FILE *out, const struct whatif_diff *x)
{
	json_t *o = json_object(), *runs = json_array();
	int failed = !o || !runs;

	for (size_t i = 0; !failed && i < x->nbytes; i++)
		report_json_push(runs, jrun(x, &x->bytes[i]), &failed);
	report_json_put(o, "file", json_string(x->path), &failed);
	report_json_put(o, "edits", json_string(x->edits), &failed);
	report_json_put(o, "nedits", json_integer((json_int_t)x->nedits), &failed);
	report_json_put(o, "platform", report_json_platform(x->plat), &failed);
	report_json_put(o, "diverge", jpos(x, x->d->diverge), &failed);
	report_json_put(o, "rejoin", jpos(x, x->d->rejoin), &failed);
	report_json_put(o, "added", jfindings(x, x->d->added, x->d->nadded), &failed);
	report_json_put(o, "removed", jfindings(x, x->d->removed, x->d->nremoved), &failed);
	report_json_put(o, "bytes_differing", json_integer(x->nruns), &failed);
	report_json_put(o, "bytes", runs, &failed);
	if (!failed && (json_dumpf(o, out, JSON_INDENT(2) | REPORT_JSON_FLAGS) < 0 ||
			fputc('\n', out) == EOF))
		failed = 1;
	json_decref(o);
	return failed ? -1 : 0;
}
