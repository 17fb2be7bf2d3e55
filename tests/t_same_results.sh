#!/bin/sh
# t_same_results.sh - `dmascope check --format json` of every sample and
# capture (big left out: minutes) on five presets gives the report saved in
# tests/data/same-results/json.txt byte for byte, the exit status and the
# error output alike (scripts/same-results.sh --json; the engine's state
# hashes are test_same_results.c's). After a change meant to alter results,
# regenerate with scripts/same-results.sh --write and review the diff.
. "$(dirname "$0")/cli-lib.sh"

need_capture nic || finish
sh "$TESTS_DIR/../scripts/same-results.sh" --json >"$TMP/log" 2>&1
rc=$?
check "every report as saved ($(tail -1 "$TMP/log"))" test "$rc" -eq 0
[ "$rc" -eq 0 ] || head -20 "$TMP/log"
finish
