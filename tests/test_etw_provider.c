/* SPDX-License-Identifier: MIT */
/*
 * test_etw_provider.c - one source of truth for the Dmascope.Dma provider:
 * the event layout the kernel-mode header logs (dmascope_etw_layout.h), the
 * instrumentation manifest tracerpt decodes with (Dmascope.Dma.man) and the
 * schema the readers parse with (etw_schema.c) must agree field by field:
 * names, order, types, array counts.  The manifest is also checked as XML
 * (expat) for the structure a decoder needs: provider, tasks, templates,
 * events, strings.  A manifest with one field renamed must be caught.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <expat.h>

#include "etw-layout.h"

#define MANIFEST "traces/etw/provider/Dmascope.Dma.man"
#define MAX_ITEMS 64

struct man_data {
	char name[64], in[32], out[32], count[64], length[64];
};

struct man_template {
	char tid[64];
	struct man_data d[ETW_MAX_FIELDS + 1];
	size_t nd;
};

struct man_event {
	unsigned value, version;
	char task[64], tmpl[64], level[32], opcode[32];
};

struct man_task {
	char name[64], message[96];
	unsigned value;
};

struct manifest {
	char root_ns[128], prov_name[64], prov_guid[64], prov_res[160], prov_msg[160];
	unsigned nprov;
	struct man_template t[MAX_ITEMS];
	struct man_event e[MAX_ITEMS];
	struct man_task k[MAX_ITEMS];
	char strings[MAX_ITEMS][64];
	size_t nt, ne, nk, ns;
	int overflow;
	char err[256];
};

static const char *attr(const char **a, const char *name)
{
	for (; a[0]; a += 2)
		if (strcmp(a[0], name) == 0)
			return a[1];
	return "";
}

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s);
}

static void on_data(struct manifest *m, const char **a)
{
	struct man_template *t = &m->t[m->nt - 1];
	struct man_data *d;

	if (m->nt == 0 || t->nd >= ETW_MAX_FIELDS + 1) {
		m->overflow = 1;
		return;
	}
	d = &t->d[t->nd++];
	copy(d->name, sizeof(d->name), attr(a, "name"));
	copy(d->in, sizeof(d->in), attr(a, "inType"));
	copy(d->out, sizeof(d->out), attr(a, "outType"));
	copy(d->count, sizeof(d->count), attr(a, "count"));
	copy(d->length, sizeof(d->length), attr(a, "length"));
}

static void on_event(struct manifest *m, const char **a)
{
	struct man_event *e = &m->e[m->ne++];

	e->value = (unsigned)strtoul(attr(a, "value"), NULL, 10);
	e->version = (unsigned)strtoul(attr(a, "version"), NULL, 10);
	copy(e->task, sizeof(e->task), attr(a, "task"));
	copy(e->tmpl, sizeof(e->tmpl), attr(a, "template"));
	copy(e->level, sizeof(e->level), attr(a, "level"));
	copy(e->opcode, sizeof(e->opcode), attr(a, "opcode"));
}

static void XMLCALL on_start(void *ud, const char *el, const char **a)
{
	struct manifest *m = ud;

	if (m->nt >= MAX_ITEMS || m->ne >= MAX_ITEMS || m->nk >= MAX_ITEMS || m->ns >= MAX_ITEMS) {
		m->overflow = 1;
		return;
	}
	if (strcmp(el, "instrumentationManifest") == 0) {
		copy(m->root_ns, sizeof(m->root_ns), attr(a, "xmlns"));
	} else if (strcmp(el, "provider") == 0) {
		m->nprov++;
		copy(m->prov_name, sizeof(m->prov_name), attr(a, "name"));
		copy(m->prov_guid, sizeof(m->prov_guid), attr(a, "guid"));
		copy(m->prov_res, sizeof(m->prov_res), attr(a, "resourceFileName"));
		copy(m->prov_msg, sizeof(m->prov_msg), attr(a, "message"));
	} else if (strcmp(el, "task") == 0) {
		struct man_task *k = &m->k[m->nk++];

		copy(k->name, sizeof(k->name), attr(a, "name"));
		copy(k->message, sizeof(k->message), attr(a, "message"));
		k->value = (unsigned)strtoul(attr(a, "value"), NULL, 10);
	} else if (strcmp(el, "template") == 0) {
		copy(m->t[m->nt].tid, sizeof(m->t[0].tid), attr(a, "tid"));
		m->t[m->nt++].nd = 0;
	} else if (strcmp(el, "data") == 0) {
		on_data(m, a);
	} else if (strcmp(el, "event") == 0) {
		on_event(m, a);
	} else if (strcmp(el, "string") == 0) {
		copy(m->strings[m->ns++], sizeof(m->strings[0]), attr(a, "id"));
	}
}

/* Parse manifest text; 0, or -1 with m->err set. */
static int man_parse(const char *text, size_t n, struct manifest *m)
{
	XML_Parser p = XML_ParserCreate(NULL);
	int ok;

	memset(m, 0, sizeof(*m));
	XML_SetUserData(p, m);
	XML_SetElementHandler(p, on_start, NULL);
	ok = XML_Parse(p, text, (int)n, 1) == XML_STATUS_OK;
	if (!ok)
		snprintf(m->err, sizeof(m->err), "line %lu: %s",
			 (unsigned long)XML_GetCurrentLineNumber(p),
			 XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return ok && !m->overflow ? 0 : -1;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = 0;
	fclose(f);
	*n = (size_t)len;
	return buf;
}

/* ---- comparisons: each returns NULL or what differs ------------------------------ */

static char why[512];

static const char *differs(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

/* The layout against the readers' schema, event by event, field by field. */
static const char *layout_vs_schema(void)
{
	for (unsigned i = 0; i < LAY_NEVENTS; i++) {
		const struct lay_event *le = &lay_events[i];
		const struct etw_evdef *d = etw_evdef_at(i);

		if (!d || strcmp(d->name, le->name) != 0)
			return differs("event %u: layout %s, schema %s", i, le->name,
				       d ? d->name : "(none)");
		if (d->nfields != le->nf)
			return differs("%s: layout %zu fields, schema %u", le->name, le->nf,
				       d->nfields);
		for (size_t j = 0; j < le->nf; j++) {
			const struct lay_type *ty = lay_type(le->f[j].type);

			if (strcmp(le->f[j].name, d->fields[j].name) != 0 || !ty ||
			    ty->schema != d->fields[j].type)
				return differs("%s field %zu: layout %s %s, schema %s %s", le->name,
					       j, le->f[j].name, le->f[j].type, d->fields[j].name,
					       etw_type_name(d->fields[j].type));
		}
	}
	if (etw_evdef_at(LAY_NEVENTS))
		return differs("schema event %s is not in the layout",
			       etw_evdef_at(LAY_NEVENTS)->name);
	return NULL;
}

static const struct man_template *man_template(const struct manifest *m, const char *tid)
{
	for (size_t i = 0; i < m->nt; i++)
		if (strcmp(m->t[i].tid, tid) == 0)
			return &m->t[i];
	return NULL;
}

static const struct man_event *man_event(const struct manifest *m, const char *task,
					 unsigned version)
{
	for (size_t i = 0; i < m->ne; i++)
		if (strcmp(m->e[i].task, task) == 0 && m->e[i].version == version)
			return &m->e[i];
	return NULL;
}

/* A template's fields against the schema's first @nf fields of @d. */
static const char *template_vs_schema(const struct man_template *t, const struct etw_evdef *d,
				      size_t nf)
{
	const char *last_u32 = "";

	if (t->nd != nf)
		return differs("%s: %zu data, the schema says %zu", t->tid, t->nd, nf);
	for (size_t j = 0; j < nf; j++) {
		const struct etw_field *f = &d->fields[j];
		const struct lay_type *ty = NULL;
		const char *want_ref;

		for (size_t k = 0; k < sizeof(lay_types) / sizeof(lay_types[0]); k++)
			if (lay_types[k].schema == f->type)
				ty = &lay_types[k];
		if (!ty || strcmp(t->d[j].name, f->name) != 0 || strcmp(t->d[j].in, ty->in) != 0 ||
		    strcmp(t->d[j].out, ty->out ? ty->out : "") != 0)
			return differs("%s data %zu: %s %s/%s, the schema says %s %s", t->tid, j,
				       t->d[j].name, t->d[j].in, t->d[j].out, f->name,
				       etw_type_name(f->type));
		want_ref = etw_is_array(f->type) ? last_u32 : "";
		if (strcmp(t->d[j].count, want_ref) != 0)
			return differs("%s data %s: count=\"%s\", expected \"%s\"", t->tid,
				       f->name, t->d[j].count, want_ref);
		want_ref = f->type == ETW_T_BIN ? last_u32 : "";
		if (strcmp(t->d[j].length, want_ref) != 0)
			return differs("%s data %s: length=\"%s\", expected \"%s\"", t->tid,
				       f->name, t->d[j].length, want_ref);
		if (f->type == ETW_T_U32)
			last_u32 = f->name;
	}
	return NULL;
}

/* One schema event's manifest event(s): version 0 with every field, and
 * version 1 without a trailing Binary (the header's "no bytes" form). */
static const char *event_vs_manifest(const struct manifest *m, unsigned i)
{
	const struct etw_evdef *d = etw_evdef_at(i);
	const struct man_event *e = man_event(m, d->name, 0);
	const struct man_template *t;
	const char *r;
	int bin = d->fields[d->nfields - 1].type == ETW_T_BIN;

	if (!e)
		return differs("no event of task %s, version 0", d->name);
	if (e->value != lay_events[i].id || m->k[i].value != lay_events[i].id ||
	    strcmp(m->k[i].name, d->name) != 0)
		return differs("%s: event value %u, task %u %s; the layout says %u", d->name,
			       e->value, m->k[i].value, m->k[i].name, lay_events[i].id);
	t = man_template(m, e->tmpl);
	if (!t)
		return differs("%s: template %s is not defined", d->name, e->tmpl);
	if ((r = template_vs_schema(t, d, d->nfields)) != NULL)
		return r;
	e = man_event(m, d->name, 1);
	if (!bin)
		return e ? differs("%s: a version 1 event, but no Binary field", d->name) : NULL;
	if (!e || !(t = man_template(m, e->tmpl)) || e->value != lay_events[i].id)
		return differs("%s: no version 1 event (without Data) of value %u", d->name,
			       lay_events[i].id);
	return template_vs_schema(t, d, d->nfields - 1u);
}

static const char *manifest_vs_schema(const struct manifest *m)
{
	size_t nbin = 0;
	const char *r;

	if (m->nk != LAY_NEVENTS)
		return differs("%zu tasks, the layout has %zu events", m->nk, LAY_NEVENTS);
	for (unsigned i = 0; i < LAY_NEVENTS; i++) {
		const struct etw_evdef *d = etw_evdef_at(i);

		if ((r = event_vs_manifest(m, i)) != NULL)
			return r;
		nbin += d->fields[d->nfields - 1].type == ETW_T_BIN;
	}
	if (m->ne != LAY_NEVENTS + nbin)
		return differs("%zu events, expected %zu", m->ne, LAY_NEVENTS + nbin);
	return NULL;
}

/* ---- tests --------------------------------------------------------------------------- */

static void layout_matches_schema(void **state)
{
	const char *r = layout_vs_schema();

	(void)state;
	if (r)
		fail_msg("%s", r);
}

static int has_string(const struct manifest *m, const char *ref)
{
	char id[64];

	if (sscanf(ref, "$(string.%63[^)])", id) != 1)
		return 0;
	for (size_t i = 0; i < m->ns; i++)
		if (strcmp(m->strings[i], id) == 0)
			return 1;
	return 0;
}

/* Well-formed, and what a decoder (wevtutil, tracerpt -import) needs is there. */
static void manifest_structure(void **state)
{
	struct manifest *m = malloc(sizeof(*m));
	size_t n;
	char *text = slurp(MANIFEST, &n);

	(void)state;
	assert_non_null(m);
	if (man_parse(text, n, m) < 0)
		fail_msg("%s: %s", MANIFEST, m->err);
	assert_string_equal(m->root_ns, "http://schemas.microsoft.com/win/2004/08/events");
	assert_int_equal(m->nprov, 1);
	assert_string_equal(m->prov_name, ETW_PROVIDER_NAME);
	assert_true(etw_guid_eq(m->prov_guid, ETW_PROVIDER_GUID));
	assert_true(m->prov_guid[0] == '{');
	assert_true(m->prov_res[0] != 0);
	assert_true(has_string(m, m->prov_msg));
	for (size_t i = 0; i < m->nk; i++)
		if (!has_string(m, m->k[i].message))
			fail_msg("task %s: message %s is not in the string table", m->k[i].name,
				 m->k[i].message);
	for (size_t i = 0; i < m->ne; i++) {
		assert_non_null(man_template(m, m->e[i].tmpl));
		assert_string_equal(m->e[i].level, "win:Informational");
		assert_string_equal(m->e[i].opcode, "win:Info");
	}
	free(text);
	free(m);
}

static void manifest_matches_schema(void **state)
{
	struct manifest *m = malloc(sizeof(*m));
	size_t n;
	char *text = slurp(MANIFEST, &n);
	const char *r;

	(void)state;
	assert_non_null(m);
	assert_int_equal(man_parse(text, n, m), 0);
	r = manifest_vs_schema(m);
	if (r)
		fail_msg("%s", r);
	free(text);
	free(m);
}

/* Replace the first @from by @to (same length) in a copy of the manifest. */
static const char *drifted(const char *from, const char *to)
{
	struct manifest *m = malloc(sizeof(*m));
	static char out[512];
	size_t n;
	char *text = slurp(MANIFEST, &n), *at = strstr(text, from);
	const char *r;

	assert_non_null(m);
	assert_non_null(at);
	assert_int_equal(strlen(from), strlen(to));
	memcpy(at, to, strlen(to));
	assert_int_equal(man_parse(text, n, m), 0);
	r = manifest_vs_schema(m);
	snprintf(out, sizeof(out), "%s", r ? r : "");
	free(text);
	free(m);
	return out;
}

/* The comparison is not vacuous: a renamed field, a changed type, a wrong
 * count reference are each reported. */
static void drift_is_caught(void **state)
{
	(void)state;
	assert_non_null(strstr(drifted("name=\"MapRegisterBase\"", "name=\"MapRegisterBasf\""),
			       "MapRegisterBasf"));
	assert_non_null(strstr(drifted("inType=\"win:Boolean\"", "inType=\"win:UInt32\" "),
			       "win:UInt32"));
	assert_non_null(strstr(drifted("count=\"MdlCount\"", "count=\"MdlCounu\""), "count="));
	assert_non_null(strstr(drifted("length=\"Length\"", "length=\"Lengti\""), "length="));
}

/* ---- the WPR profile ------------------------------------------------------------------ */

struct wprp {
	char provider_id[64], provider_name[64], used_id[64], profile[64];
	unsigned nprovider;
};

static void XMLCALL wprp_start(void *ud, const char *el, const char **a)
{
	struct wprp *w = ud;

	if (strcmp(el, "EventProvider") == 0) {
		w->nprovider++;
		copy(w->provider_id, sizeof(w->provider_id), attr(a, "Id"));
		copy(w->provider_name, sizeof(w->provider_name), attr(a, "Name"));
	} else if (strcmp(el, "EventProviderId") == 0) {
		copy(w->used_id, sizeof(w->used_id), attr(a, "Value"));
	} else if (strcmp(el, "Profile") == 0 && !w->profile[0]) {
		copy(w->profile, sizeof(w->profile), attr(a, "Name"));
	}
}

/* Dmascope.wprp: well-formed, one provider (ours, by GUID) that its
 * profile "Dmascope" (wpr -start Dmascope.wprp!Dmascope) collects. */
static void wprp_records_the_provider(void **state)
{
	struct wprp w = { 0 };
	size_t n;
	char *text = slurp("traces/etw/provider/Dmascope.wprp", &n);
	XML_Parser p = XML_ParserCreate(NULL);

	(void)state;
	XML_SetUserData(p, &w);
	XML_SetElementHandler(p, wprp_start, NULL);
	assert_int_equal(XML_Parse(p, text, (int)n, 1), XML_STATUS_OK);
	XML_ParserFree(p);
	assert_int_equal(w.nprovider, 1);
	assert_true(etw_guid_eq(w.provider_name, ETW_PROVIDER_GUID));
	assert_string_equal(w.used_id, w.provider_id);
	assert_string_equal(w.profile, "Dmascope");
	assert_non_null(strstr(text, "logman create trace dmascope -p \"{" ETW_PROVIDER_GUID "}\""));
	free(text);
}

/* The header registers the GUID the readers look for. */
static void header_guid_is_the_readers(void **state)
{
	unsigned a, b, c, d[8];
	char want[160];
	size_t n;
	char *text = slurp("traces/etw/provider/dmascope_etw.h", &n);

	(void)state;
	assert_int_equal(sscanf(ETW_PROVIDER_GUID, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &a, &b,
				&c, &d[0], &d[1], &d[2], &d[3], &d[4], &d[5], &d[6], &d[7]), 11);
	snprintf(want, sizeof(want), "0x%08x, 0x%04x, 0x%04x, { 0x%02x, 0x%02x, 0x%02x, 0x%02x, "
		 "0x%02x, 0x%02x, 0x%02x, 0x%02x }", a, b, c, d[0], d[1], d[2], d[3], d[4], d[5],
		 d[6], d[7]);
	if (!strstr(text, want))
		fail_msg("dmascope_etw.h does not define DmascopeEtwProviderId as %s", want);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_matches_schema),
		cmocka_unit_test(manifest_structure),
		cmocka_unit_test(manifest_matches_schema),
		cmocka_unit_test(drift_is_caught),
		cmocka_unit_test(wprp_records_the_provider),
		cmocka_unit_test(header_guid_is_the_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
