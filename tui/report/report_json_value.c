/* SPDX-License-Identifier: MIT */
/*
 * report_json_value.c - the small JSON values the JSON and SARIF reports
 * share: addresses as "0x..." strings, event indexes (null when unknown),
 * strings (null for none).
 */
#include <stdio.h>

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
