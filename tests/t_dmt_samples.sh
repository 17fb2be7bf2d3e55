#!/bin/sh
# The scenario samples of traces/samples (docs/trace-format.md, "Samples"):
# every <scenario>.ok.dmt replays with no finding (exit 0); every
# <scenario>.bug.dmt has findings (exit 1), and among its root findings is
# the id its header comment names after "What `dmascope check` reports:".
#
# env: DMASCOPE (the binary), BUILD (a scratch directory)
set -u
: "${DMASCOPE:?set DMASCOPE to the dmascope binary}"
dir="${BUILD:-build}/t_dmt_samples"
mkdir -p "$dir"
fail=0
n=0

for f in traces/samples/*.ok.dmt traces/samples/*.bug.dmt; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	out="$dir/$(basename "$f").txt"
	"$DMASCOPE" check "$f" >"$out" 2>&1
	rc=$?
	case $f in
	*.ok.dmt)
		if [ "$rc" != 0 ]; then
			echo "t_dmt_samples: $f: exit $rc, expected 0 (no finding):"
			cat "$out"
			fail=1
		fi ;;
	*.bug.dmt)
		want=$(sed -n '/What `dmascope check` reports:/,/^[^#]/p' "$f" |
		       grep -o 'DC0[0-9][0-9]' | head -n 1)
		if [ -z "$want" ]; then
			echo "t_dmt_samples: $f does not say which finding it expects"
			fail=1
		elif [ "$rc" != 1 ]; then
			echo "t_dmt_samples: $f: exit $rc, expected 1 ($want):"
			cat "$out"
			fail=1
		elif ! grep -Eq "^  event [0-9]+ at .* $want " "$out"; then
			echo "t_dmt_samples: $f: no root finding $want:"
			cat "$out"
			fail=1
		fi ;;
	esac
done
if [ "$n" -lt 20 ]; then
	echo "t_dmt_samples: only $n scenario samples"
	fail=1
fi
[ "$fail" = 0 ] && echo "t_dmt_samples: $n samples as expected"
exit $fail
