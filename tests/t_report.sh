#!/bin/sh
# t_report.sh - what `dmascope check` reports say about each finding, on the
# real captures: properties checked against trace-cmd's own text whatever
# findings fire (report_props.py: timestamps, event and related lines, real
# API function names, seq/phase), the golden text report of the buggy
# capture (regenerate with `make golden` and review the diff), and the
# text-report options: grouping, --max-per-id, --hide, -q, --info; .dmt
# file:line and SARIF locations.
. "$(dirname "$0")/cli-lib.sh"

need_capture buggy || finish
need_capture buggy report.txt.xz || finish
need_capture nic report.txt.xz || finish
buggy=$CAPTURES/buggy/trace.dat
nic=$CAPTURES/nic/trace.dat

# props NAME PLATFORM: every report of the capture against trace-cmd's report
props() {
	xz -dc "$CAPTURES/$1/report.txt.xz" >"$TMP/$1-tc.txt"
	"$DMASCOPE" check -p "$2" --info "$CAPTURES/$1/trace.dat" >"$TMP/$1.txt"
	"$DMASCOPE" check -p "$2" -f json "$CAPTURES/$1/trace.dat" >"$TMP/$1.json"
	"$DMASCOPE" check -p "$2" -f sarif "$CAPTURES/$1/trace.dat" >"$TMP/$1.sarif"
	python3 "$TESTS_DIR/report_props.py" "$TMP/$1-tc.txt" "$TMP/$1.txt" "$TMP/$1.json" \
		"$TMP/$1.sarif" >"$TMP/props" 2>&1
	rc=$?
	check "$1 on $2: reports agree with trace-cmd report ($(tail -1 "$TMP/props"))" \
		test "$rc" -eq 0
	[ "$rc" -eq 0 ] || head -20 "$TMP/props"
	check "$1 on $2: some findings were checked ($(tail -1 "$TMP/props"))" \
		grep -q "checked [1-9][0-9]* JSON findings, [1-9][0-9]* text heads" "$TMP/props"
}

props buggy arm-noncoherent
props nic x86

# ---- golden text reports (scripts/golden.sh writes them) -------------------------
# golden NAME PLATFORM [OPTION...]: the report equals tests/golden/NAME-PLATFORM.txt
golden() {
	g=$TESTS_DIR/golden/$1-$2.txt
	cap=$1 plat=$2
	shift 2
	(cd "$CAPTURES/$cap" && "$DMASCOPE" check --platform "$plat" "$@" trace.dat) \
		>"$TMP/golden.txt" 2>&1
	if diff -u "$g" "$TMP/golden.txt" >"$TMP/diff"; then
		ok
	else
		fail "$cap report differs from $g (after an intended change: make golden, review git diff):"
		head -40 "$TMP/diff"
	fi
}
golden buggy arm-noncoherent
golden nic x86 --info      # one redundant sync per packet: one grouped entry

# ---- grouping ------------------------------------------------------------------
# nic on x86: a redundant sync on every received packet, one entry
n13=$(jsontool count "$TMP/nic.json" DC013)
check "nic on x86 has many DC013 findings ($n13)" test "${n13:-0}" -gt 100
check "nic on x86: one entry of DC013" \
	test "$(grep -c 'DC013 redundant-maintenance$' "$TMP/nic.txt")" -eq 1
check "nic on x86: the entry counts all $n13" \
	grep -q "repeated: $n13 times in all, at events [0-9]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*, \.\.\.$" \
	"$TMP/nic.txt"
check "nic on x86: JSON keeps every finding, each with its group" \
	test "$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
f = d["files"][0]["findings"]
print(sum(1 for x in f if x["group"]["count"] == len(f)))' "$TMP/nic.json")" -eq "$n13"

# ---- --info, --hide, --max-per-id, -q -------------------------------------------
expect_status 1 "buggy: default text" "$DMASCOPE" check "$buggy"
cp "$TMP/out" "$TMP/default.txt"
check "information findings are not listed by default" \
	test "$(grep -c '  info dma-alignment$' "$TMP/default.txt")" -eq 0
check "the summary says they were left out" \
	grep -q "not listed: [0-9]* information findings (--info lists them)" "$TMP/default.txt"
check "--info lists them" grep -q '  info dma-alignment$' "$TMP/buggy.txt"

expect_status 1 "--hide DC006 keeps the exit status" "$DMASCOPE" check --hide DC006 "$buggy"
check "--hide DC006: no DC006 entry" test "$(grep -c ' DC006 ownership-violation$' "$TMP/out")" -eq 0
check "--hide DC006: still counted in the summary" grep -q '^    DC006  ownership-violation' "$TMP/out"
check "--hide DC006: the summary says so" grep -q 'not listed: [0-9]* findings of the ids --hide names' "$TMP/out"
entries() {   # entries of id $1 in report $2
	grep -c "^  event [0-9]* at .* $1 " "$2"
}
expect_status 1 "--hide by name" "$DMASCOPE" check --hide ownership-violation,DC011 "$buggy"
check "--hide by name: no DC006 nor DC011 entry" \
	test "$(entries DC006 "$TMP/out")" -eq 0 -a "$(entries DC011 "$TMP/out")" -eq 0
check "--hide by name: other ids still listed" test "$(entries DC010 "$TMP/out")" -gt 0
check "buggy lists more than one DC011 entry" test "$(entries DC011 "$TMP/default.txt")" -gt 1
expect_status 1 "--hide info" "$DMASCOPE" check --info --hide info "$buggy"
check "--hide info: no information entry despite --info" \
	test "$(grep -c '  info dma-alignment$' "$TMP/out")" -eq 0

expect_status 1 "--max-per-id 1" "$DMASCOPE" check --max-per-id 1 "$buggy"
check "--max-per-id 1: one DC011 entry" test "$(entries DC011 "$TMP/out")" -eq 1
check "--max-per-id 1: the rest is counted" grep -q 'not listed: [0-9]* findings past --max-per-id' "$TMP/out"

expect_status 1 "-q keeps the exit status" "$DMASCOPE" check -q "$buggy"
check "-q: no entry" test "$(grep -c '^  event ' "$TMP/out")" -eq 0
check "-q: the summary" grep -q '^  summary: ' "$TMP/out"
expect_status 0 "-q on a clean file" "$DMASCOPE" check -q --quiet "$nic"

expect_status 2 "--max-per-id needs a number" "$DMASCOPE" check --max-per-id x "$buggy"
expect_status 2 "--hide needs known ids" "$DMASCOPE" check --hide DC099 "$buggy"
expect_status 0 "check --help" "$DMASCOPE" check --help
for o in --info --hide --max-per-id --quiet; do
	check "check --help mentions $o" grep -q -- "$o" "$TMP/out"
done

# ---- .dmt: file:line, SARIF regions ------------------------------------------------
sample=$TESTS_DIR/../traces/samples/linux-rx-nosync.bug.dmt
line=$(grep -n '^cpu_read addr=0x80000 len=14' "$sample" | cut -d: -f1)
expect_status 1 ".dmt sample" "$DMASCOPE" check "$sample"
check ".dmt: the finding's line is given as file:$line" \
	grep -q "trace:  $sample:$line: cpu_read addr=0x80000 len=14" "$TMP/out"
"$DMASCOPE" check -f sarif "$sample" >"$TMP/dmt.sarif"
check ".dmt SARIF: a region at line $line and the event index" \
	test "$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"][0]["locations"][0]
print(r["physicalLocation"]["region"]["startLine"], r["logicalLocations"][0]["name"])' \
	"$TMP/dmt.sarif")" = "$line event 3"
"$DMASCOPE" check -f json "$sample" >"$TMP/dmt.json"
check ".dmt JSON: file_line $line" \
	test "$(python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))["files"][0]["findings"][0]["file_line"])' \
	"$TMP/dmt.json")" = "$line"

# ---- one count of events: the header's file count is what stat counts ----------
"$DMASCOPE" stat "$buggy" >"$TMP/stat" 2>&1
n=$(sed -n 's/^  events: \([0-9]*\)$/\1/p' "$TMP/stat")
check "check's header counts the $n events stat counts" \
	grep -q "ftrace, $n events in the file, [0-9]* of them replayed, platform" "$TMP/default.txt"
for f in "$TESTS_DIR/../traces/samples/etw-busmaster.csv" "$sample"; do
	n=$("$DMASCOPE" stat "$f" | sed -n 's/^  events: \([0-9]*\)$/\1/p')
	"$DMASCOPE" check "$f" >"$TMP/out" 2>&1
	check "$(basename "$f"): check's header counts the $n events stat counts" \
		grep -q ", $n events in the file, [0-9]* of them replayed, platform" "$TMP/out"
done
# "of them": what the reader adds (a .dmt's end of scope) is not counted
n=$("$DMASCOPE" stat "$sample" | sed -n 's/^  events: \([0-9]*\)$/\1/p')
"$DMASCOPE" check "$sample" >"$TMP/out" 2>&1
check "$(basename "$sample"): all $n events of the file replayed, none more" \
	grep -q ", $n events in the file, $n of them replayed, platform" "$TMP/out"

# ---- seq and phase named in text, JSON and SARIF ----------------------------------
check "text names the seq and phase" \
	grep -q '^      in: seq begin id=S[0-9]*, phase begin name=dmabug$' "$TMP/buggy.txt"
check "SARIF names the seq" \
	test "$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
print(sum(1 for x in r if x["properties"]["seq"].startswith("seq begin id=S")) == len(r))' \
	"$TMP/buggy.sarif")" = True

finish
