#!/bin/sh
# The scenario samples of traces/samples (docs/trace-format.md, "Samples"):
# every <scenario>.ok.dmt replays with no finding (exit 0); every
# <scenario>.bug.dmt has findings (exit 1), and among its root findings is
# the id its header comment names after "What `dmascope check` reports:".
#
. "$(dirname "$0")/cli-lib.sh"
n=0

for f in "$TESTS_DIR"/../traces/samples/*.ok.dmt "$TESTS_DIR"/../traces/samples/*.bug.dmt; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	name=$(basename "$f")
	out="$TMP/$name.txt"
	"$DMASCOPE" check "$f" >"$out" 2>&1
	rc=$?
	case $f in
	*.ok.dmt)
		if [ "$rc" = 0 ]; then
			ok
		else
			fail "$name: exit $rc, expected 0 (no finding):"
			cat "$out"
		fi ;;
	*.bug.dmt)
		want=$(sed -n '/What `dmascope check` reports:/,/^[^#]/p' "$f" |
		       grep -o 'DC0[0-9][0-9]' | head -n 1)
		if [ -z "$want" ]; then
			fail "$name does not say which finding it expects"
		elif [ "$rc" != 1 ]; then
			fail "$name: exit $rc, expected 1 ($want):"
			cat "$out"
		elif ! grep -Eq "^  event [0-9]+ at .* $want " "$out"; then
			fail "$name: no root finding $want:"
			cat "$out"
		else
			ok
		fi ;;
	esac
done
check "at least 20 scenario samples (found $n)" test "$n" -ge 20

finish
