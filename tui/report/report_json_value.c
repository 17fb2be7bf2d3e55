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
