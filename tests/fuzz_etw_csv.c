/* SPDX-License-Identifier: MIT */
/*
 * fuzz_etw_csv.c - libFuzzer target for the tracerpt CSV reader.  Run by
 * `make fuzz`, seeded with the .csv files of traces/samples and tests/data.
 */
#define FUZZ_ETW_NAME "etw_csv"
#include "fuzz-etw.h"
