/* SPDX-License-Identifier: MIT */
/*
 * report.c - the renderers by name: the top of the report files, the only
 * one that knows all three (check's --format picks one here).
 */
#include <stddef.h>
#include <string.h>

#include "report.h"

const struct report_sink_ops *report_sink_lookup(const char *name)
{
	static const struct report_sink_ops *const sinks[] = {
		&report_text_ops, &report_json_ops, &report_sarif_ops,
	};

	for (size_t i = 0; name && i < sizeof(sinks) / sizeof(sinks[0]); i++)
		if (strcmp(sinks[i]->name, name) == 0)
			return sinks[i];
	return NULL;
}
