/* SPDX-License-Identifier: MIT */
/*
 * report_sarif.c - `dmascope check --format sarif`: a SARIF 2.1.0 log, one
 * run for the whole invocation, so that code-review systems show findings.
 *
 * rules[] holds DC001-DC013 and the information ids; every finding (roots
 * and consequences, in firing order) is a result whose location is the
 * trace file.  Trace files have no source lines to point at, so the event
 * index, timestamp, device and address travel in result.properties, and a
 * consequence names its root's result index in properties.consequenceOf.
 *
 * The results are the bulk of the log, so they are kept as text, not as a
 * JSON tree: each is dumped as it comes into a temporary file (in memory
 * when none can be made), and the close splices them into the document
 * where its empty results array is.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coh_event.h"
#include "coh_sim.h"
#include "report-json.h"

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define SARIF_INFO_URI "man:dmascope(1)"

struct sarif_sink {
	FILE *out;                   /* where the log goes at close */
	json_t *doc;                 /* the sarifLog */
	FILE *res;                   /* the results' text so far, in a temporary
				      * file (on big with --platform all it is
				      * 141 MB, which a memory stream kept twice
				      * over as it grew), else in memory */
	bool in_memory;              /* @res is a memory stream */
	char *res_text;              /* in memory: what @res holds, once closed */
	size_t res_len;
	size_t nresults;             /* results written to @res */
	struct report_json_buf dump; /* values are dumped here */
	json_t *artifacts;           /* runs[0].artifacts (borrowed) */
	json_t *notes;               /* invocations[0].toolExecutionNotifications */
	int status;                  /* worst exit status so far */
	int failed;                  /* 1: something could not be built */
};

static json_t *text(const char *s, int *failed)
{
	json_t *o = json_object();

	report_json_put(o, "text", json_string(s), failed);
	return o;
}

/* the ruleId of a finding id: its code, or for information its name */
static const char *rule_id(unsigned fid)
{
	return strcmp(coh_fid_code(fid), "info") == 0 ? coh_fid_name(fid) : coh_fid_code(fid);
}

static const char *level_of(unsigned fid)
{
	return coh_fid_is_error(fid) ? "error" : "note";
}

static json_t *rule(unsigned fid, int *failed)
{
	const struct coh_finding_doc *d = coh_finding_doc(fid);
	json_t *o = json_object(), *conf = json_object(), *props = json_object();
	json_t *tags = json_array();

	report_json_put(o, "id", json_string(rule_id(fid)), failed);
	report_json_put(o, "name", json_string(coh_fid_name(fid)), failed);
	report_json_put(o, "shortDescription", text(d ? d->title : coh_fid_name(fid), failed),
	    failed);
	report_json_put(o, "fullDescription", text(d ? d->when : coh_fid_name(fid), failed),
	    failed);
	if (d)
		report_json_put(o, "help", text(d->cause, failed), failed);
	report_json_put(conf, "level", json_string(level_of(fid)), failed);
	report_json_put(o, "defaultConfiguration", conf, failed);
	report_json_push(tags, json_string("dma"), failed);
	report_json_push(tags, json_string("cache-coherency"), failed);
	report_json_put(props, "tags", tags, failed);
	report_json_put(o, "properties", props, failed);
	return o;
}

static json_t *driver(int *failed)
{
	json_t *o = json_object(), *rules = json_array();

	report_json_put(o, "name", json_string("dmascope"), failed);
	report_json_put(o, "version", json_string(DMASCOPE_VERSION), failed);
	report_json_put(o, "semanticVersion", json_string(DMASCOPE_VERSION), failed);
	report_json_put(o, "informationUri", json_string(SARIF_INFO_URI), failed);
	for (unsigned fid = 1; fid < COH_FID_COUNT; fid++)
		report_json_push(rules, rule(fid, failed), failed);
	report_json_put(o, "rules", rules, failed);
	return o;
}

/* A path as a URI reference: percent-encoded, absolute paths as file:// URIs. */
static json_t *path_uri(const char *path)
{
	static const char keep[] = "-._~/";
	size_t n = strlen(path);
	char *buf = malloc(3 * n + 8), *q;
	json_t *j;

	if (!buf)
		return NULL;
	q = buf;
	if (path[0] == '/')
		q += sprintf(q, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p))
			*q++ = (char)*p;
		else
			q += sprintf(q, "%%%02X", *p);
	}
	*q = 0;
	j = json_string(buf);
	free(buf);
	return j;
}

/* @index: the artifact's index in run.artifacts, -1 inside that entry itself */
static json_t *artifact_location(const char *path, long index, int *failed)
{
	json_t *o = json_object();

	report_json_put(o, "uri", path_uri(path), failed);
	if (path[0] != '/')
		report_json_put(o, "uriBaseId", json_string("CWD"), failed);
	if (index >= 0)
		report_json_put(o, "index", json_integer(index), failed);
	return o;
}

/* The event as a logical location: binary traces have no lines to point at. */
static json_t *logical(uint64_t src, int *failed)
{
	json_t *a = json_array(), *o = json_object();
	char name[40];

	snprintf(name, sizeof(name), "event %llu", (unsigned long long)src);
	report_json_put(o, "name", json_string(name), failed);
	report_json_put(o, "kind", json_string("event"), failed);
	report_json_push(a, o, failed);
	return a;
}

/* The file, with the line of a text trace's event, and the event's index. */
static json_t *location(const struct report_file *rf, const struct coh_finding *f,
			size_t index, int *failed)
{
	json_t *o = json_object(), *phys = json_object();
	uint64_t src = report_finding_src(rf, f);
	uint64_t line = rf->lineno && src != COH_SRC_NONE ? rf->lineno(rf->src_ctx, src) : 0;

	report_json_put(phys, "artifactLocation", artifact_location(rf->path, (long)index, failed),
	    failed);
	if (line) {
		json_t *region = json_object();

		report_json_put(region, "startLine", json_integer((json_int_t)line), failed);
		report_json_put(phys, "region", region, failed);
	}
	report_json_put(o, "physicalLocation", phys, failed);
	if (src != COH_SRC_NONE)
		report_json_put(o, "logicalLocations", logical(src, failed), failed);
	return o;
}

static json_t *result_props(const struct report_file *rf, const struct report_ctx *c, size_t i,
			    long root, int *failed)
{
	const struct coh_finding *f = rf->findings[i];
	json_t *o = json_object();

	report_json_where(o, rf, f, failed);
	report_json_put(o, "inferred", json_boolean(f->flags & COH_FF_INFERRED), failed);
	report_json_put(o, "strict", json_boolean(f->flags & COH_FF_STRICT), failed);
	report_json_put(o, "omitted", report_json_str(c->notes[i].call), failed);
	report_json_put(o, "omitted_kind",
	    f->omitted != COH_EV_NONE ? json_string(coh_kind_name(f->omitted)) :
	    json_null(), failed);
	report_json_put(o, "related_event", report_json_src(report_src(rf, f->other_seq)), failed);
	if (root >= 0)
		report_json_put(o, "consequenceOf", json_integer(root), failed);
	if (rf->platforms)
		report_json_put(o, "platforms", report_json_on(rf, i, failed), failed);
	if (o && report_json_context(o, rf, c, i) < 0)
		*failed = 1;
	return o;
}

static json_t *result(const struct report_file *rf, const struct report_ctx *c, size_t i,
		      size_t art, long root, int *failed)
{
	const struct coh_finding *f = rf->findings[i];
	json_t *o = json_object(), *locs = json_array();
	char msg[512], *why = report_explain(rf, f), *full = NULL;

	report_message(rf, f, &c->notes[i], msg, sizeof(msg));
	if (!why || asprintf(&full, "%s. %s", msg, why) < 0)
		full = NULL;
	report_json_put(o, "ruleId", json_string(rule_id(f->id)), failed);
	if (f->id > 0 && f->id < COH_FID_COUNT)
		report_json_put(o, "ruleIndex", json_integer(f->id - 1), failed);
	report_json_put(o, "level", json_string(report_counts(f) ? "error" : "note"), failed);
	report_json_put(o, "message", text(full ? full : msg, failed), failed);
	report_json_push(locs, location(rf, f, art, failed), failed);
	report_json_put(o, "locations", locs, failed);
	report_json_put(o, "properties", result_props(rf, c, i, root, failed), failed);
	free(why);
	free(full);
	return o;
}

static json_t *note(const char *level, const char *msg, int *failed)
{
	json_t *o = json_object();

	report_json_put(o, "level", json_string(level), failed);
	report_json_put(o, "message", text(msg, failed), failed);
	return o;
}

static json_t *artifact(const struct report_file *rf, int *failed)
{
	json_t *o = json_object(), *props = json_object(), *roles = json_array();

	report_json_put(o, "location", artifact_location(rf->path, -1, failed), failed);
	report_json_push(roles, json_string("analysisTarget"), failed);
	report_json_put(o, "roles", roles, failed);
	if (!rf->error) {
		report_json_put(props, "format", report_json_str(rf->format), failed);
		report_json_put(props, "platform",
		    rf->plat && !rf->platforms ? report_json_platform(rf->plat) : json_null(),
		    failed);
		if (rf->platforms)
			report_json_put(props, "platforms", report_json_presets(rf, failed), failed);
		report_json_put(props, "events", json_integer((json_int_t)rf->events), failed);
		report_json_put(props, "file_events", rf->file_events ?
		    json_integer((json_int_t)rf->file_events) : json_null(), failed);
		report_json_put(props, "stale_reads", json_integer((json_int_t)rf->stale_reads),
		    failed);
	}
	report_json_put(o, "properties", props, failed);
	return o;
}

static int sarif_add(void *st, const struct report_file *rf)
{
	struct sarif_sink *s = st;
	size_t art = json_array_size(s->artifacts), base = s->nresults;
	int status = report_status(rf);
	struct report_ctx c;

	report_json_push(s->artifacts, artifact(rf, &s->failed), &s->failed);
	if (status > s->status)
		s->status = status;
	if (rf->error) {
		report_json_push(s->notes, note("error", rf->error, &s->failed), &s->failed);
		return s->failed ? -1 : 0;
	}
	for (size_t i = 0; i < rf->nwarnings; i++) {
		char *w = NULL;

		if (asprintf(&w, "%s: %s", rf->path, rf->warnings[i]) < 0)
			return -1;
		report_json_push(s->notes, note("warning", w, &s->failed), &s->failed);
		free(w);
	}
	if (report_ctx_build(rf, &c) < 0)
		return -1;
	if (report_ctx_lines(rf, &c) < 0) {
		report_ctx_free(&c);
		return -1;
	}
	for (size_t i = 0; i < rf->nfindings && !s->failed; i++) {
		long p = c.tree.parent[i];

		fputs(s->nresults++ ? ",\n" : "", s->res);
		if (report_json_write(s->res, &s->dump, result(rf, &c, i, art,
		    p < 0 ? -1 : (long)base + p, &s->failed), 8, 0) < 0)
			s->failed = 1;
	}
	report_ctx_free(&c);
	return s->failed ? -1 : 0;
}

/* relative artifact URIs are relative to the directory dmascope ran in */
static json_t *base_ids(int *failed)
{
	json_t *o = json_object(), *cwd;
	char dir[4096];

	if (!getcwd(dir, sizeof(dir) - 2))
		return o;
	if (strcmp(dir, "/") != 0)
		strcat(dir, "/");
	cwd = json_object();
	report_json_put(cwd, "uri", path_uri(dir), failed);
	report_json_put(o, "CWD", cwd, failed);
	return o;
}

static json_t *run(struct sarif_sink *s)
{
	json_t *r = json_object(), *tool = json_object();
	json_t *invs = json_array(), *inv = json_object();

	report_json_put(tool, "driver", driver(&s->failed), &s->failed);
	report_json_put(r, "tool", tool, &s->failed);
	s->notes = json_array();
	report_json_put(inv, "executionSuccessful", json_true(), &s->failed);
	report_json_put(inv, "toolExecutionNotifications", s->notes, &s->failed);
	report_json_push(invs, inv, &s->failed);
	report_json_put(r, "invocations", invs, &s->failed);
	report_json_put(r, "originalUriBaseIds", base_ids(&s->failed), &s->failed);
	s->artifacts = json_array();
	report_json_put(r, "artifacts", s->artifacts, &s->failed);
	report_json_put(r, "results", json_array(), &s->failed);   /* filled at close */
	report_json_put(r, "columnKind", json_string("unicodeCodePoints"), &s->failed);
	return r;
}

static void *sarif_open(FILE *out)
{
	struct sarif_sink *s = calloc(1, sizeof(*s));
	json_t *runs;

	if (!s)
		return NULL;
	s->out = out;
	if (!(s->res = tmpfile())) {            /* no writable temporary directory */
		s->res = open_memstream(&s->res_text, &s->res_len);
		s->in_memory = true;
	}
	s->failed = !s->res;
	s->doc = json_object();
	runs = json_array();
	report_json_put(s->doc, "$schema", json_string(SARIF_SCHEMA), &s->failed);
	report_json_put(s->doc, "version", json_string("2.1.0"), &s->failed);
	report_json_push(runs, run(s), &s->failed);
	report_json_put(s->doc, "runs", runs, &s->failed);
	if (s->failed) {
		json_decref(s->doc);
		if (s->res)
			fclose(s->res);
		free(s->res_text);
		free(s);
		return NULL;
	}
	return s;
}

/* The document's empty results array, where the results go. */
#define SARIF_RESULTS "\n      \"results\": []"

/* Write the document dumped in @s->dump (@len bytes) with the results in it. */
static int write_log(struct sarif_sink *s, size_t len)
{
	const char *doc = s->dump.buf, *at = memmem(doc, len, SARIF_RESULTS,
						     strlen(SARIF_RESULTS));
	size_t head;

	if (!at)
		return -1;
	head = (size_t)(at - doc) + strlen(SARIF_RESULTS) - 1;   /* up to its '[' */
	fwrite(doc, 1, head, s->out);
	if (s->nresults) {
		char buf[1 << 16];
		size_t n;

		fputc('\n', s->out);
		if (s->in_memory) {
			fwrite(s->res_text, 1, s->res_len, s->out);
		} else {
			rewind(s->res);
			while ((n = fread(buf, 1, sizeof(buf), s->res)) > 0)
				fwrite(buf, 1, n, s->out);
			if (ferror(s->res))
				return -1;
		}
		fputs("\n      ", s->out);
	}
	fwrite(doc + head, 1, len - head, s->out);
	return fputc('\n', s->out) == EOF || fflush(s->out) != 0 ? -1 : 0;
}

static int sarif_close(void *st)
{
	struct sarif_sink *s = st;
	json_t *inv = json_array_get(json_object_get(json_array_get(
		json_object_get(s->doc, "runs"), 0), "invocations"), 0);
	int ret = -1;
	size_t len;

	report_json_put(inv, "executionSuccessful", json_boolean(s->status < 2), &s->failed);
	report_json_put(inv, "exitCode", json_integer(s->status), &s->failed);
	if (ferror(s->res) || fflush(s->res) != 0)
		s->failed = 1;
	if (s->in_memory) {                     /* closed, its text is complete */
		if (fclose(s->res))
			s->failed = 1;
		s->res = NULL;
	}
	if (!s->failed && (len = report_json_dump(&s->dump, s->doc)) > 0 && write_log(s, len) == 0)
		ret = 0;
	if (s->res)
		fclose(s->res);
	json_decref(s->doc);
	free(s->res_text);
	free(s->dump.buf);
	free(s);
	return ret;
}

const struct report_sink_ops report_sarif_ops = {
	.name = "sarif", .open = sarif_open, .add = sarif_add, .close = sarif_close,
};
