/* SPDX-License-Identifier: MIT */
/*
 * fuzz_etw_xml.c - libFuzzer target for the tracerpt XML reader.  Run by
 * `make fuzz`, seeded with the .xml files of traces/samples and tests/data.
 */
#define FUZZ_ETW_NAME "etw_xml"
#include "fuzz-etw.h"
