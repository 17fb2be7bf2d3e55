#!/bin/sh
# t_convert.sh - `dmascope convert` to .dmt keeps what `check` finds (the same
# findings by id, event and timestamp on the original and the converted
# file), and convert -> read -> convert is byte-identical.  For each small
# capture and each sample in traces/samples.
. "$(dirname "$0")/cli-lib.sh"

# check_pair NAME ORIGINAL: convert, compare findings, convert again
check_pair() {
	name=$1
	orig=$2
	a=$TMP/a.dmt
	b=$TMP/b.dmt
	rm -f "$a" "$b"
	"$DMASCOPE" convert "$orig" -o "$a" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ ! -s "$a" ]; then
		fail "$name: convert exit $rc: $(head -c 300 "$TMP/err")"
		return
	fi
	ok
	"$DMASCOPE" check --format json "$orig" >"$TMP/orig.json" 2>/dev/null
	s1=$?
	"$DMASCOPE" check --format json "$a" >"$TMP/conv.json" 2>"$TMP/err"
	s2=$?
	check "$name: check on the .dmt exits as on the original ($s2, $s1)" test "$s1" = "$s2"
	jsontool findings "$TMP/orig.json" >"$TMP/orig.f" 2>/dev/null
	jsontool findings "$TMP/conv.json" >"$TMP/conv.f" 2>/dev/null
	if cmp -s "$TMP/orig.f" "$TMP/conv.f"; then
		ok
	else
		fail "$name: findings differ after conversion (original <, converted >):"
		diff "$TMP/orig.f" "$TMP/conv.f" | head -10
	fi
	"$DMASCOPE" convert "$a" -o "$b" 2>"$TMP/err"
	rc=$?
	check "$name: convert of the .dmt exits 0 ($rc)" test "$rc" -eq 0
	check "$name: convert -> read -> convert is byte-identical" cmp -s "$a" "$b"
}

for cap in buggy nic disk nic-coherent; do
	need_capture "$cap" || continue
	check_pair "$cap" "$CAPTURES/$cap/trace.dat"
done

found=0
samples=$TESTS_DIR/../traces/samples
for f in "$samples"/*.csv "$samples"/*.xml "$samples"/*.dmt; do
	[ -f "$f" ] || continue
	found=1
	check_pair "samples/$(basename "$f")" "$f"
done
[ "$found" = 1 ] || skip "no traces/samples yet"

# standard output as the target
if need_capture buggy; then
	expect_status 0 "convert -o - writes to standard output" \
		"$DMASCOPE" convert "$CAPTURES/buggy/trace.dat" -o -
	"$DMASCOPE" convert "$CAPTURES/buggy/trace.dat" -o "$TMP/c.dmt" 2>/dev/null
	check "convert -o - writes what -o FILE writes" cmp -s "$TMP/out" "$TMP/c.dmt"
fi

finish
