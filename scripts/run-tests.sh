#!/bin/sh
# Run test programs and add up what they report.
#
# usage: scripts/run-tests.sh TOTALS_FILE PROGRAM...
#        scripts/run-tests.sh --sum TOTALS_FILE STATUS
#   A PROGRAM ending in .sh runs with sh, anything else directly.  Each one's
#   output is shown as it is.  Its counts are read from its own summary:
#   CMocka's "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)", or the
#   shell tests' "N passed, N failed[, N skipped]".  A program that prints
#   no count is one test, passed when it exits 0.  A program that exits
#   non-zero with no failure counted (a crash, a failed set-up) adds one
#   failure, so nothing is lost.  Appends "PASSED FAILED SKIPPED" to
#   TOTALS_FILE and prints this run's totals.  Exit 1 when anything failed.
#
#   --sum adds up every line of TOTALS_FILE and prints the one line
#   "N passed, N failed[, N skipped]" that ends `make test`.  STATUS is how
#   the runs as a whole ended: non-zero with no failure counted (a build that
#   broke before any test ran) counts as one failure.
set -u

if [ "${1:-}" = --sum ]; then
	set -- $(awk '{ p += $1; f += $2; s += $3 } END { print p + 0, f + 0, s + 0 }' "$2" \
		2>/dev/null || echo 0 0 0) "$3"
	p=$1 f=$2 s=$3
	[ "$4" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && f=1    # no test ran at all: not a pass
	if [ "$s" -gt 0 ]; then
		echo "$p passed, $f failed, $s skipped"
	else
		echo "$p passed, $f failed"
	fi
	[ "$f" -eq 0 ]
	exit
fi
totals=$1
shift
out=$(mktemp "${TMPDIR:-/tmp}/dmascope-run.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT INT TERM
P=0 F=0 S=0

for t in "$@"; do
	echo "== $t"
	case $t in
	*.sh) sh "$t" >"$out" 2>&1 ;;
	*)    "$t" >"$out" 2>&1 ;;
	esac
	rc=$?
	cat "$out"
	counts=$(awk '
		/^\[  PASSED  \] [0-9]+ test/ { p += $4 }
		/^\[  FAILED  \] [0-9]+ test/ { f += $4 }
		/^\[  SKIPPED \] [0-9]+ test/ { s += $4 }
		/^[0-9]+ passed, [0-9]+ failed/ {
			p += $1; f += $3
			if ($5 ~ /^[0-9]+$/) s += $5
		}
		END { printf "%d %d %d\n", p, f, s }' "$out")
	read -r p f s <<-EOF
	$counts
	EOF
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		if [ "$rc" -eq 0 ]; then p=1; else f=1; fi
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $t exited $rc"
		f=1
	fi
	P=$((P + p)) F=$((F + f)) S=$((S + s))
done

echo "$P $F $S" >>"$totals"
echo "-- $P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
