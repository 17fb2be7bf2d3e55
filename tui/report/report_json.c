/* SPDX-License-Identifier: MIT */
/*
 * report_json.c - `dmascope check --format json` (schema: docs/json.md).
 *
 * One document for the whole run: {"dmascope": version, "files": [one object
 * per file], "status": worst exit status}.  Addresses are hex strings (64-bit
 * values do not survive a JSON reader's doubles), lengths and indexes numbers,
 * timestamps seconds rounded to microseconds as trace-cmd prints them.
 */
#include <stdlib.h>
#include <string.h>

#include "coh_event.h"
#include "coh_sim.h"
#include "report-json.h"

struct json_sink {
	FILE *out;                   /* where the document goes */
	size_t files;                /* files written so far */
	int status;                  /* worst exit status so far */
	int failed;                  /* 1: something could not be built */
	struct report_json_buf dump; /* values are dumped here */
};

static json_t *jdevice(const struct coh_dev_cfg *d, int *failed)
{
	json_t *o = json_object();

	report_json_put(o, "name", json_string(d->name), failed);
	report_json_put(o, "coherent", json_boolean(d->coherent), failed);
	report_json_put(o, "bounce", json_boolean(d->bounce), failed);
	report_json_put(o, "dma_version", json_integer(d->dma_version), failed);
	report_json_put(o, "signals_done", json_boolean(d->signals_done), failed);
	report_json_put(o, "ctrl_size", json_integer(d->ctrl_size), failed);
	report_json_put(o, "ctrl_chunk", json_integer(d->ctrl_chunk), failed);
	report_json_put(o, "posted", json_integer(d->posted), failed);
	return o;
}

json_t *report_json_platform(const struct coh_platform *p)
{
	json_t *o = json_object(), *devs = json_array();
	int failed = !o || !devs;

	if (failed) {
		json_decref(o);
		json_decref(devs);
		return NULL;
	}
	report_json_put(o, "name", json_string(p->name), &failed);
	report_json_put(o, "line", json_integer(p->line), &failed);
	report_json_put(o, "sets", json_integer(p->sets), &failed);
	report_json_put(o, "ways", json_integer(p->ways), &failed);
	report_json_put(o, "cpus", json_integer(p->ncpus), &failed);
	report_json_put(o, "speculative", json_boolean(p->speculative), &failed);
	report_json_put(o, "dma_align", json_integer(p->dma_align), &failed);
	report_json_put(o, "granule", json_integer(coh_platform_granule(p)), &failed);
	report_json_put(o, "device_default", jdevice(&p->dev_default, &failed), &failed);
	for (uint32_t i = 0; i < p->ndevs && i < COH_MAX_DEVS; i++)
		report_json_push(devs, jdevice(&p->devs[i], &failed), &failed);
	report_json_put(o, "devices", devs, &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- a file replayed on several presets (check --platform all|LIST) ---- */

static json_t *jpreset(const struct report_preset *p, int *failed)
{
	json_t *o = json_object();

	report_json_put(o, "name", json_string(p->plat->name), failed);
	report_json_put(o, "status", json_integer(p->error ? 2 : p->errors ? 1 : 0), failed);
	report_json_put(o, "error", report_json_str(p->error), failed);
	report_json_put(o, "findings", json_integer((json_int_t)p->nfindings), failed);
	report_json_put(o, "root_causes", json_integer((json_int_t)p->roots), failed);
	report_json_put(o, "errors", json_integer((json_int_t)p->errors), failed);
	report_json_put(o, "stale_reads", json_integer((json_int_t)p->stale_reads), failed);
	report_json_put(o, "platform", report_json_platform(p->plat), failed);
	return o;
}

json_t *report_json_presets(const struct report_file *rf, int *failed)
{
	json_t *a = json_array();

	for (size_t k = 0; rf->platforms && k < rf->platforms->n; k++)
		report_json_push(a, jpreset(&rf->platforms->p[k], failed), failed);
	return a;
}

json_t *report_json_on(const struct report_file *rf, size_t i, int *failed)
{
	json_t *a = json_array();
	uint64_t mask = report_finding_mask(rf, i);

	for (size_t k = 0; rf->platforms && k < rf->platforms->n; k++)
		if (mask >> k & 1)
			report_json_push(a, json_string(rf->platforms->p[k].plat->name), failed);
	return a;
}

static json_t *jversions(const struct report_file *rf, const uint32_t *ver, size_t n,
			 int *failed)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		report_json_push(a, ver[i] ? report_json_src(report_src(rf, ver[i] - 1u)) :
		    json_null(), failed);
	return a;
}

static json_t *jevidence(const struct report_file *rf, const struct coh_finding *f,
			 int *failed)
{
	size_t n = f->nbytes < COH_EVIDENCE ? f->nbytes : COH_EVIDENCE;
	char hex[2 * COH_EVIDENCE + 1];
	json_t *o;

	if (!n)
		return json_null();
	o = json_object();
	report_json_put(o, "addr", report_json_hex(f->ev_addr), failed);
	report_json_put(o, "bytes", json_integer((json_int_t)n), failed);
	report_json_put(o, "seen", json_string(report_hex(hex, f->seen, n)), failed);
	report_json_put(o, "expected", json_string(report_hex(hex, f->expected, n)), failed);
	report_json_put(o, "seen_events", jversions(rf, f->seen_ver, n, failed), failed);
	report_json_put(o, "expected_events", jversions(rf, f->exp_ver, n, failed), failed);
	return o;
}

/* the fields every finding has, consequences left out */
static void jfields(json_t *o, const struct report_file *rf, const struct report_ctx *c,
		    size_t i, int *failed)
{
	const struct coh_finding *f = rf->findings[i];
	const struct report_note *n = &c->notes[i];
	char msg[512];
	char *why = report_explain(rf, f);

	report_message(rf, f, n, msg, sizeof(msg));
	report_json_put(o, "id", json_string(coh_fid_code(f->id)), failed);
	report_json_put(o, "name", json_string(coh_fid_name(f->id)), failed);
	report_json_put(o, "rule", json_string(coh_rule_text(f->rule)), failed);
	report_json_put(o, "severity", json_string(report_severity(f)), failed);
	report_json_where(o, rf, f, failed);
	report_json_put(o, "bus", f->bus != COH_ADDR_NONE ? report_json_hex(f->bus) : json_null(),
	    failed);
	report_json_put(o, "inferred", json_boolean(f->flags & COH_FF_INFERRED), failed);
	report_json_put(o, "strict", json_boolean(f->flags & COH_FF_STRICT), failed);
	report_json_put(o, "latent", json_boolean(f->flags & COH_FF_LATENT), failed);
	report_json_put(o, "message", json_string(msg), failed);
	report_json_put(o, "explanation", why ? json_string(why) : NULL, failed);
	report_json_put(o, "omitted", report_json_str(n->call), failed);
	report_json_put(o, "omitted_kind", f->omitted != COH_EV_NONE ?
	    json_string(coh_kind_name(f->omitted)) : json_null(), failed);
	report_json_put(o, "related_event", report_json_src(report_src(rf, f->other_seq)), failed);
	report_json_put(o, "evidence", jevidence(rf, f, failed), failed);
	if (rf->platforms)
		report_json_put(o, "platforms", report_json_on(rf, i, failed), failed);
	if (report_json_context(o, rf, c, i) < 0)
		*failed = 1;
	free(why);
}

static json_t *jfinding(const struct report_file *rf, const struct report_ctx *ctx, size_t i,
			int *failed)
{
	json_t *o = json_object(), *cons = json_array();

	if (!o || !cons) {
		json_decref(o);
		json_decref(cons);
		*failed = 1;
		return NULL;
	}
	jfields(o, rf, ctx, i, failed);
	for (long c = ctx->tree.child[i]; c >= 0 && !*failed; c = ctx->tree.next[c])
		report_json_push(cons, jfinding(rf, ctx, (size_t)c, failed), failed);
	report_json_put(o, "consequences", cons, failed);
	return o;
}

static json_t *jcounts(const struct report_file *rf, int *failed)
{
	json_t *o = json_object();

	for (size_t i = 0; i < rf->nfindings; i++) {
		const char *key = coh_fid_name(rf->findings[i]->id);
		json_t *c;

		if (coh_fid_is_error(rf->findings[i]->id) || rf->findings[i]->id == COH_DC013)
			key = coh_fid_code(rf->findings[i]->id);
		c = json_object_get(o, key);
		report_json_put(o, key, json_integer(c ? json_integer_value(c) + 1 : 1), failed);
	}
	return o;
}

static json_t *jwarnings(const struct report_file *rf, int *failed)
{
	json_t *a = json_array();

	for (size_t i = 0; i < rf->nwarnings; i++)
		report_json_push(a, json_string(rf->warnings[i]), failed);
	return a;
}

/* the file object without its findings (docs/json.md), NULL when out of memory */
static json_t *jhead(const struct report_file *rf)
{
	json_t *o = json_object();
	int failed = !o;

	report_json_put(o, "file", json_string(rf->path), &failed);
	report_json_put(o, "status", json_integer(report_status(rf)), &failed);
	if (rf->error) {
		report_json_put(o, "error", json_string(rf->error), &failed);
	} else {
		report_json_put(o, "format", report_json_str(rf->format), &failed);
		report_json_put(o, "platform",
		    rf->plat && !rf->platforms ? report_json_platform(rf->plat) : json_null(),
		    &failed);
		if (rf->platforms)
			report_json_put(o, "platforms", report_json_presets(rf, &failed), &failed);
		report_json_put(o, "strict", json_boolean(rf->sim_flags & COH_SIM_STRICT), &failed);
		report_json_put(o, "events", json_integer((json_int_t)rf->events), &failed);
		report_json_put(o, "file_events",
		    rf->file_events ? json_integer((json_int_t)rf->file_events) :
		    json_null(), &failed);
		report_json_put(o, "warnings", jwarnings(rf, &failed), &failed);
		report_json_put(o, "stale_reads", json_integer((json_int_t)rf->stale_reads),
		    &failed);
		report_json_put(o, "counts", jcounts(rf, &failed), &failed);
	}
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * The document is streamed: each file's head, then its root findings one at
 * a time, so a trace with a hundred thousand findings never sits in memory
 * as one JSON tree.  Each value is dumped into one buffer the sink reuses and
 * written with every line indented, to nest it where it goes.
 */
static int write_findings(struct json_sink *s, const struct report_file *rf)
{
	FILE *out = s->out;
	struct report_ctx c;
	int failed = 0, n = 0;

	if (report_ctx_build(rf, &c) < 0)
		return -1;
	if (report_ctx_lines(rf, &c) < 0) {
		report_ctx_free(&c);
		return -1;
	}
	fputs(",\n      \"findings\": [", out);
	for (size_t i = 0; i < rf->nfindings && !failed; i++) {
		if (c.tree.parent[i] >= 0)
			continue;
		fputs(n++ ? ",\n" : "\n", out);
		if (report_json_write(out, &s->dump, jfinding(rf, &c, i, &failed), 8, 0) < 0)
			failed = 1;
	}
	fputs(n ? "\n      ]\n    }" : "]\n    }", out);
	report_ctx_free(&c);
	return failed ? -1 : 0;
}

static void *json_open(FILE *out)
{
	struct json_sink *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->out = out;
	fprintf(out, "{\n  \"dmascope\": \"%s\",\n  \"files\": [", DMASCOPE_VERSION);
	return s;
}

static int json_add(void *st, const struct report_file *rf)
{
	struct json_sink *s = st;
	int status = report_status(rf);

	fputs(s->files++ ? ",\n" : "\n", s->out);
	if (report_json_write(s->out, &s->dump, jhead(rf), 4, rf->error ? 0 : 2) < 0 ||
	    (!rf->error && write_findings(s, rf) < 0)) {
		s->failed = 1;
		return -1;
	}
	if (status > s->status)
		s->status = status;
	return 0;
}

static int json_close(void *st)
{
	struct json_sink *s = st;
	int ret;

	fprintf(s->out, "%s],\n  \"status\": %d\n}\n", s->files ? "\n  " : "", s->status);
	ret = !s->failed && fflush(s->out) == 0 && !ferror(s->out) ? 0 : -1;
	free(s->dump.buf);
	free(s);
	return ret;
}

const struct report_sink_ops report_json_ops = {
	.name = "json", .open = json_open, .add = json_add, .close = json_close,
};
