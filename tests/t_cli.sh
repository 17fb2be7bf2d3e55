#!/bin/sh
# t_cli.sh - the dmascope command line: help, version, usage errors, files
# that cannot be read, and the exit status on clean and buggy traces.
. "$(dirname "$0")/cli-lib.sh"

COMMANDS="replay check stat convert platforms explain run"

# ---- help and version ---------------------------------------------------------
expect_status 0 "dmascope --help" "$DMASCOPE" --help
for c in $COMMANDS; do
	check "--help lists $c" grep -q "^  $c " "$TMP/out"
done
expect_status 0 "dmascope --version" "$DMASCOPE" --version
check "--version prints 'dmascope X.Y.Z'" grep -Eq '^dmascope [0-9]+\.[0-9]+\.[0-9]+' "$TMP/out"
for c in $COMMANDS; do
	expect_status 0 "dmascope $c --help" "$DMASCOPE" "$c" --help
	check "$c --help starts with its usage" grep -q "^usage: dmascope $c" "$TMP/out"
	expect_status 0 "dmascope $c -h" "$DMASCOPE" "$c" -h
done
check "run --help says the TUI will replace it" grep -q "TUI" "$TMP/out"

# ---- usage errors: exit 2 with a one-line hint -------------------------------
usage_error() {
	what=$1
	shift
	expect_status 2 "$what" "$DMASCOPE" "$@"
	check "$what: hint on stderr" grep -q "^Try 'dmascope .*--help'" "$TMP/err"
	check "$what: nothing on stdout" test ! -s "$TMP/out"
}
usage_error "no command"
usage_error "unknown command" frobnicate
usage_error "unknown top-level option" --frob
usage_error "check without files" check
usage_error "check unknown option" check --bogus x.dat
usage_error "check unknown short option" check -x x.dat
usage_error "check --format without value" check --format
usage_error "check unknown format" check --format xml x.dat
usage_error "check unknown platform" check --platform pdp11 x.dat
usage_error "check bad --infer" check --infer sometimes x.dat
usage_error "stat without files" stat
usage_error "convert without input" convert -o "$TMP/x.dmt"
usage_error "convert without -o" convert x.dat
usage_error "convert two inputs" convert a.dat b.dat -o "$TMP/x.dmt"
usage_error "convert unknown platform" convert --platform pdp11 x.dat -o "$TMP/x.dmt"
usage_error "platforms extra argument" platforms extra
usage_error "explain unknown id" explain DC099
usage_error "run extra argument" run extra
usage_error "replay without a file" replay
usage_error "replay two files" replay a.dmt b.dmt
usage_error "replay unknown platform" replay --platform pdp11 x.dmt
usage_error "replay bad --size" replay --size 80 x.dmt

# ---- the man page and the README cover every command ------------------------------
man=$TESTS_DIR/../docs/dmascope.1
readme=$TESTS_DIR/../README.md
if command -v groff >/dev/null 2>&1; then
	groff -t -man -ww -z "$man" >"$TMP/groff" 2>&1
	check "man page renders without warnings: $(head -c 200 "$TMP/groff")" \
		test ! -s "$TMP/groff"
else
	skip "groff is not installed: man page not rendered"
fi
for c in $COMMANDS; do
	check "man page has a section on $c" grep -q "^\.SS \"\{0,1\}$c" "$man"
	check "README shows an example of $c" grep -q "^    dmascope $c" "$readme"
done

# ---- the informational commands -------------------------------------------------
expect_status 0 "platforms" "$DMASCOPE" platforms
for p in x86 x86-swiotlb arm-noncoherent arm-speculative nt-slave-dma nt-busmaster \
	 nt-doublebuffer nt-v3; do
	check "platforms lists $p" grep -q "^$p " "$TMP/out"
done
expect_status 0 "explain with no id lists them" "$DMASCOPE" explain
check "explain lists DC001-DC013" test "$(grep -c '^DC0' "$TMP/out")" -eq 13
expect_status 0 "explain dc6" "$DMASCOPE" explain dc6
check "explain dc6 is DC006" grep -q "^DC006 ownership-violation" "$TMP/out"
expect_status 0 "explain by name" "$DMASCOPE" explain writeback-clobber
check "explain by name is DC003" grep -q "^DC003 " "$TMP/out"
expect_status 0 "run" "$DMASCOPE" run
check "run plays the scenarios" test "$(grep -c '^== ' "$TMP/out")" -ge 3

# ---- files that cannot be read: exit 2, message naming the file ------------------
: >"$TMP/empty.dat"
awk 'BEGIN { srand(7); for (i = 0; i < 4096; i++) printf "%c", int(rand() * 255) + 1 }' \
	>"$TMP/garbage.dat"
printf 'Event Name,nonsense\n"unterminated\n' >"$TMP/half.csv"
for f in "$TMP/missing.dat" "$TMP/empty.dat" "$TMP/garbage.dat" "$TMP/half.csv"; do
	for c in "check" "check --format json" "check --format sarif" "stat"; do
		# shellcheck disable=SC2086
		expect_status 2 "$c $(basename "$f")" "$DMASCOPE" $c "$f"
		check "$c $(basename "$f"): message names the file" grep -qF "$f" "$TMP/err"
	done
	expect_status 2 "convert $(basename "$f")" "$DMASCOPE" convert "$f" -o "$TMP/out.dmt"
	check "convert $(basename "$f"): message names the file" grep -qF "$f" "$TMP/err"
	check "convert $(basename "$f"): no output left behind" test ! -e "$TMP/out.dmt"
done
"$DMASCOPE" check "$TMP/empty.dat" 2>"$TMP/err" >/dev/null
check "empty file: message gives the offset" grep -q "empty.dat: offset 0" "$TMP/err"
"$DMASCOPE" check --format json "$TMP/empty.dat" >"$TMP/empty.json" 2>/dev/null
check "unreadable file: JSON still parses and carries the error" \
	test "$(jsontool status "$TMP/empty.json")" = 2

# ---- exit status on real traces --------------------------------------------------
if need_capture nic && need_capture buggy; then
	nic=$CAPTURES/nic/trace.dat
	buggy=$CAPTURES/buggy/trace.dat
	expect_status 0 "check on a correct driver (nic)" "$DMASCOPE" check "$nic"
	expect_status 1 "check on the buggy capture" "$DMASCOPE" check "$buggy"
	check "text output names a finding id" grep -q "DC0[0-9][0-9]" "$TMP/out"
	expect_status 1 "worst status over files (clean, buggy)" "$DMASCOPE" check "$nic" "$buggy"
	expect_status 2 "worst status over files (buggy, missing)" "$DMASCOPE" check \
		--format json "$buggy" "$TMP/missing.dat"
	check "JSON lists the readable file before the missing one" \
		test "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));
print(len(d["files"][0]["findings"]) > 0, "error" in d["files"][1])' "$TMP/out")" = "True True"
fi

# ---- the samples: exit status agrees with the findings ----------------------------
found=0
samples=$TESTS_DIR/../traces/samples
for f in "$samples"/*.dmt "$samples"/*.csv "$samples"/*.xml; do
	[ -f "$f" ] || continue
	found=1
	"$DMASCOPE" check --format json "$f" >"$TMP/s.json" 2>"$TMP/err"
	got=$?
	want=$(jsontool status "$TMP/s.json")
	check "$f: exit $got agrees with its findings ($want)" test "$got" = "$want"
	check "$f: readable" test "$got" -ne 2
	"$DMASCOPE" check "$f" >"$TMP/out" 2>&1
	rc=$?
	check "$f: text output gives the same exit status" test "$rc" = "$got"
done
[ "$found" = 1 ] || skip "no traces/samples yet"

finish
