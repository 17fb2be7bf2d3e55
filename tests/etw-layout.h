/* SPDX-License-Identifier: MIT */
/*
 * etw-layout.h - the provider's event layout (traces/etw/provider/
 * dmascope_etw_layout.h, the table the kernel-mode header builds its
 * payloads from) as arrays a Linux test can walk, and how each of its
 * field types maps to the readers' schema and to the manifest.  Shared by
 * test_etw_provider.c and test_etw_render.c.
 */
#ifndef ETW_LAYOUT_TEST_H
#define ETW_LAYOUT_TEST_H

#include <stddef.h>
#include <string.h>

#include "etw/etw-local.h"
#include "etw/provider/dmascope_etw_layout.h"

struct lay_field {
	const char *name;            /* field name as logged */
	const char *type;            /* the layout's type token ("HEX64") */
};

struct lay_event {
	unsigned id;                 /* event value and task value */
	const char *name;
	const struct lay_field *f;
	size_t nf;
};

#define LAY_F(Field, Type) { #Field, #Type },
#define LAY_FIELDS(Id, Name) static const struct lay_field lay_##Name[] = { \
	DMASCOPE_ETW_F_##Name(LAY_F) };
DMASCOPE_ETW_EVENTS(LAY_FIELDS)
#define LAY_EVENT(Id, Name) { Id, #Name, lay_##Name, sizeof(lay_##Name) / sizeof(lay_##Name[0]) },
static const struct lay_event lay_events[] = { DMASCOPE_ETW_EVENTS(LAY_EVENT) };
#define LAY_NEVENTS (sizeof(lay_events) / sizeof(lay_events[0]))

/* A layout type token, its schema type, and its manifest inType/outType. */
struct lay_type {
	const char *token;
	unsigned schema;             /* enum etw_type */
	const char *in, *out;        /* out NULL: the inType's default */
};

static const struct lay_type lay_types[] = {
	{ "STR", ETW_T_STR, "win:AnsiString", NULL },
	{ "U32", ETW_T_U32, "win:UInt32", NULL },
	{ "U64", ETW_T_U64, "win:UInt64", NULL },
	{ "HEX64", ETW_T_HEX64, "win:UInt64", "win:HexInt64" },
	{ "PTR", ETW_T_PTR, "win:Pointer", NULL },
	{ "BOOL", ETW_T_BOOL, "win:Boolean", NULL },
	{ "NTSTATUS", ETW_T_NTSTATUS, "win:UInt32", "win:NTSTATUS" },
	{ "BIN", ETW_T_BIN, "win:Binary", NULL },
	{ "A_HEX64", ETW_T_A_HEX64, "win:UInt64", "win:HexInt64" },
	{ "A_U32", ETW_T_A_U32, "win:UInt32", NULL },
};

/* NULL for a token the table does not know. */
static inline const struct lay_type *lay_type(const char *token)
{
	for (size_t i = 0; i < sizeof(lay_types) / sizeof(lay_types[0]); i++)
		if (strcmp(lay_types[i].token, token) == 0)
			return &lay_types[i];
	return NULL;
}

static inline const struct lay_event *lay_event(const char *name)
{
	for (size_t i = 0; i < LAY_NEVENTS; i++)
		if (strcmp(lay_events[i].name, name) == 0)
			return &lay_events[i];
	return NULL;
}

#endif
