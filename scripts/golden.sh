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

# golden_report NAME PLATFORM [OPTION...]: the capture's report into
# tests/golden/NAME-PLATFORM.txt, run from the capture's directory so the
# file name in it does not depend on where the tree lives
golden_report() {
	out=$top/tests/golden/$1-$2.txt
	cap=$1 plat=$2
	shift 2
	(cd "$CAPTURES/$cap" && "$DMASCOPE" check --platform "$plat" "$@" trace.dat) \
		>"$out" || [ $? -eq 1 ]
	echo "golden.sh: wrote ${out#$top/}"
}

# the same list as tests/t_report.sh
golden_report buggy arm-noncoherent
golden_report nic x86 --info
echo "golden.sh: review: git diff tests/golden"
