#!/bin/sh
# golden.sh - regenerate the golden text reports of tests/golden/ (checked by
# tests/t_report.sh).  Run it after a change to which findings fire (engine
# rules) or to the text report, then review `git diff tests/golden` before
# committing: every changed line should be one the change meant.
#
#   make golden                    (builds dmascope first)
#   DMASCOPE=./dmascope sh scripts/golden.sh
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
DMASCOPE=$(cd "$(dirname "${DMASCOPE:-$top/dmascope}")" && pwd)/$(basename "${DMASCOPE:-dmascope}")
CAPTURES=${CAPTURES:-$top/tests/data/captures}

# golden_report NAME PLATFORM: the capture's report, run from its directory
# so the file name in it does not depend on where the tree lives
golden_report() {
	(cd "$CAPTURES/$1" && "$DMASCOPE" check --platform "$2" trace.dat) || [ $? -eq 1 ]
}

golden_report buggy arm-noncoherent >"$top/tests/golden/buggy-arm-noncoherent.txt"
echo "golden.sh: wrote tests/golden/buggy-arm-noncoherent.txt; review: git diff tests/golden"
