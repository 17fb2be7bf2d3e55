/* SPDX-License-Identifier: MIT */
/*
 * report_json_value.c - the small JSON values the JSON and SARIF reports
 * share: addresses as "0x..." strings, event indexes (null when unknown),
 * strings (null for none); a value dumped into a reused buffer and written
 * with its lines indented, to nest it in a document streamed by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coh_event.h"
#include "report-json.h"

json_t *report_json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

json_t *report_json_src(uint64_t src)
{
	return src == COH_SRC_NONE ? json_null() : json_integer((json_int_t)src);
}

json_t *report_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

void report_json_put(json_t *o, const char *key, json_t *v, int *failed)
{
	if (json_object_set_new(o, key, v) < 0)
		*failed = 1;
}

void report_json_push(json_t *a, json_t *v, int *failed)
{
	if (json_array_append_new(a, v) < 0)
		*failed = 1;
}

void report_json_where(json_t *o, const struct report_file *rf, const struct coh_finding *f,
		       int *failed)
{
	report_json_put(o, "event", report_json_src(report_finding_src(rf, f)), failed);
	report_json_put(o, "ts", json_real(report_ts_seconds(f->ts)), failed);
	report_json_put(o, "device", report_json_str(report_device(rf, f->dev)), failed);
	report_json_put(o, "cpu", f->cpu >= 0 ? json_integer(f->cpu) : json_null(), failed);
	report_json_put(o, "addr", report_json_hex(f->addr), failed);
	report_json_put(o, "len", json_integer((json_int_t)f->len), failed);
}

size_t report_json_dump(struct report_json_buf *b, const json_t *v)
{
	size_t len = json_dumpb(v, b->buf, b->cap, JSON_INDENT(2) | REPORT_JSON_FLAGS);

	if (len > b->cap) {
		char *p = realloc(b->buf, len);

		if (!p)
			return 0;
		b->buf = p;
		b->cap = len;
		len = json_dumpb(v, b->buf, b->cap, JSON_INDENT(2) | REPORT_JSON_FLAGS);
	}
	return len;
}

void report_json_indented(FILE *out, const char *text, size_t len, int indent)
{
	static const char spaces[] = "                ";   /* 16: deeper than any nesting */
	const char *end = text + len, *nl;
	size_t n = indent < 0 ? 0 : (size_t)indent < sizeof(spaces) - 1 ? (size_t)indent :
		   sizeof(spaces) - 1;

	fwrite(spaces, 1, n, out);
	while ((nl = memchr(text, '\n', (size_t)(end - text))) != NULL) {
		fwrite(text, 1, (size_t)(nl + 1 - text), out);
		fwrite(spaces, 1, n, out);
		text = nl + 1;
	}
	fwrite(text, 1, (size_t)(end - text), out);
}

int report_json_write(FILE *out, struct report_json_buf *b, json_t *v, int indent,
		      size_t strip)
{
	size_t len = v ? report_json_dump(b, v) : 0;

	json_decref(v);
	if (!len)
		return -1;
	report_json_indented(out, b->buf, len >= strip ? len - strip : 0, indent);
	return 0;
}
