/* SPDX-License-Identifier: MIT */
/*
 * fuzz_packed.c - libFuzzer target for compressed input: .xz, .zst and .gz
 * data (by magic bytes) is decompressed to a temporary file, then read by
 * whichever reader it probes as.  Run by `make fuzz`, seeded with the
 * samples compressed each way (scripts/fuzz-seeds.sh); the walk over a
 * loaded trace is the ETW targets' (fuzz-etw.h), which suits any format.
 */
#define FUZZ_ETW_NAME "packed"
#include "fuzz-etw.h"
