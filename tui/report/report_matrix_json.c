/* SPDX-License-Identifier: MIT */
/*
 * report_matrix_json.c - the JSON members of a file replayed on several
 * platforms (check --platform all|LIST), shared by the JSON and SARIF
 * reports: the file's "platforms" array, one object per preset, and a
 * finding's "platforms", the names of the presets it appears on
 * (docs/json.md).
 */
#include "report-json.h"

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
