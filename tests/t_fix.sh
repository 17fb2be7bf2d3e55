#!/bin/sh
# t_fix.sh - `dmascope fix`: on every sample scenario, the trace `fix -o`
# writes has no finding left but those `fix` lists as no call can cure
# (and then `check` on it exits 0 exactly when `fix` did); the fixed twins
# and the correct captures (nic, disk) need nothing; on the buggy capture
# the fixed trace has no DC001-DC004 or DC006 under arm-noncoherent and
# `fix` names each finding left; bad input exits 2.
. "$(dirname "$0")/cli-lib.sh"

SAMPLES=$TESTS_DIR/../traces/samples

# "ID EVENT" of each DC001-DC012 root finding of a check --format json file
roots() {
	python3 -c '
import json, re, sys
for f in json.load(open(sys.argv[1]))["files"][0].get("findings", []):
    if re.match(r"DC0(0[1-9]|1[0-2])$", f["id"]):
        print(f["id"], f["event"])' "$1" | sort
}

# "ID EVENT" of each finding `fix` lists as no call can cure
uncured() {
	sed -n 's/^  event \([0-9]*\): \(DC[0-9]*\) .*/\2 \1/p' "$1" | sort
}

# fix_then_check NAME FILE [FIX OPTIONS]: fix -o, then check the fixed trace
fix_then_check() {
	name=$1
	file=$2
	shift 2
	rm -f "$TMP/fixed.dmt"
	"$DMASCOPE" fix "$@" -o "$TMP/fixed.dmt" "$file" >"$TMP/fix" 2>"$TMP/err"
	fixed=$?
	if [ "$fixed" -eq 2 ] || ! [ -f "$TMP/fixed.dmt" ]; then
		fail "$name: fix exit $fixed, no fixed trace ($(head -c 300 "$TMP/err"))"
		return 1
	fi
	ok
	"$DMASCOPE" check "$@" --format json "$TMP/fixed.dmt" >"$TMP/fixed.json" 2>"$TMP/err"
	checked=$?
	roots "$TMP/fixed.json" >"$TMP/left"
	uncured "$TMP/fix" >"$TMP/named"
	check "$name: the fixed trace's findings are those fix names ($(tr '\n' ' ' <"$TMP/left"))" \
		cmp -s "$TMP/left" "$TMP/named"
	check "$name: check on the fixed trace exits $fixed, as fix did (got $checked)" \
		test "$checked" -eq "$fixed"
}

# ---- every sample scenario ----------------------------------------------------------
for bug in "$SAMPLES"/*.bug.dmt; do
	name=$(basename "$bug" .bug.dmt)
	fix_then_check "$name" "$bug"
	check "$name: patch or findings listed" grep -q 'call.* to insert\|no inserted call' "$TMP/fix"
	expect_status 0 "$name.ok.dmt needs nothing" "$DMASCOPE" fix "$SAMPLES/$name.ok.dmt"
	check "$name.ok.dmt: nothing to fix" grep -q '^  nothing to fix$' "$TMP/out"
done

# ---- one fix for several platforms holds on each ------------------------------------
"$DMASCOPE" fix --platform all -o "$TMP/all.dmt" "$SAMPLES/linux-rx-nosync.bug.dmt" \
	>"$TMP/fix" 2>"$TMP/err"
check "linux-rx-nosync, all presets: complete ($(head -c 200 "$TMP/err"))" test $? -eq 0
for p in x86 x86-swiotlb arm-noncoherent arm-speculative; do
	expect_status 0 "linux-rx-nosync fixed for all presets is clean on $p" \
		"$DMASCOPE" check --platform "$p" "$TMP/all.dmt"
done

# ---- the buggy capture ----------------------------------------------------------------
if need_capture buggy; then
	fix_then_check buggy "$CAPTURES/buggy/trace.dat" --platform arm-noncoherent
	n=$(jsontool count "$TMP/fixed.json" DC001 DC002 DC003 DC004 DC006)
	check "buggy fixed: no DC001-DC004 or DC006 on arm-noncoherent ($n)" test "$n" -eq 0
	check "buggy: fix names the findings no call cures" test -s "$TMP/named"
	check "buggy: a patch list in the Linux API" \
		grep -q ': dma_sync_single_for_cpu(dev, 0x[0-9a-f]*, [0-9]*, DMA_FROM_DEVICE)$' "$TMP/fix"
	check "... each reason names the call as the driver writes it, not the engine's kind" \
		sh -c 'grep -q "^      dma_sync_single_for_cpu hands" "$1" &&
		       ! grep -q "^      dma_sync_for_" "$1"' sh "$TMP/fix"
fi

# ---- correct drivers need nothing -----------------------------------------------------
for c in nic disk; do
	if need_capture "$c"; then
		expect_status 0 "$c: fix exits 0" "$DMASCOPE" fix "$CAPTURES/$c/trace.dat"
		check "$c: nothing to fix" grep -q '^  nothing to fix$' "$TMP/out"
		check "$c: no call proposed" sh -c "! grep -q '(dev\|(adapter\|(mdl' '$TMP/out'"
	fi
done

# ---- bad input --------------------------------------------------------------------------
expect_status 2 "unreadable file" "$DMASCOPE" fix "$TMP/no-such.dat"
expect_status 2 "unknown platform" "$DMASCOPE" fix --platform no-such "$SAMPLES/linux-leak.bug.dmt"
check "unknown platform: said so" grep -q "unknown platform 'no-such'" "$TMP/err"
expect_status 2 "unknown platform in a list" \
	"$DMASCOPE" fix --platform x86,no-such "$SAMPLES/linux-leak.bug.dmt"
expect_status 2 "no file" "$DMASCOPE" fix
expect_status 2 "two files" "$DMASCOPE" fix "$SAMPLES/linux-leak.bug.dmt" "$SAMPLES/linux-leak.ok.dmt"
printf 'not a trace\n' >"$TMP/garbage.dmt"
expect_status 2 "garbage file" "$DMASCOPE" fix "$TMP/garbage.dmt"

finish
