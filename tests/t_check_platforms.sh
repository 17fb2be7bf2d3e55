#!/bin/sh
# t_check_platforms.sh - `dmascope check --platform all|LIST`, the platform
# matrix: the correct nic capture clean on every preset; on the buggy
# capture each sequence's findings on exactly the presets docs/model.md
# predicts for its ground-truth class (expected.tsv, matched by timestamp);
# the same report whatever the number of worker threads; text, JSON and
# SARIF naming the same (finding, preset) pairs; a bad list a usage error.
. "$(dirname "$0")/cli-lib.sh"

need_capture nic || finish
need_capture buggy || finish
need_capture buggy expected.tsv || finish
buggy=$CAPTURES/buggy

# ---- nic (a correct driver): nothing among DC001-DC012 on any preset ---------
expect_status 0 "nic on every preset: exit 0" \
	"$DMASCOPE" check --platform all --format json "$CAPTURES/nic/trace.dat"
check "nic on every preset: no DC001-DC012 ($(jsontool errors "$TMP/out" | head -3))" \
	test -z "$(jsontool errors "$TMP/out")"
npresets=$("$DMASCOPE" platforms | grep -c '^[a-z]')
check "nic: 'all' is every preset 'dmascope platforms' lists ($npresets)" \
	test "$(jsontool presets "$TMP/out" | wc -l)" -eq "$npresets"

# ---- buggy: each sequence's findings on the presets the model predicts -------
"$DMASCOPE" check --platform all --format json "$buggy/trace.dat" >"$TMP/all.json" \
	2>"$TMP/err"
got=$?
check "buggy on every preset: exit 1 (got $got: $(head -c 200 "$TMP/err"))" test "$got" -eq 1
jsontool presets "$TMP/all.json" >"$TMP/presets"

# What each class of expected.tsv must show, by what the preset's device is
# (docs/model.md sections 1-3):
#   all       on every preset: the bookkeeping rules (ownership, mapping use,
#             direction, leaks) do not depend on the machine
#   stale     where the device does not snoop or uses bounce buffers: only
#             there can a cache line or a bounce slot hold an old copy, so
#             only there is a read stale (DC001/DC002); a coherent device
#             without bounce buffers sees and hands over every byte at once
#   noncoh    where the device does not snoop: a shared cache line is lost to
#             the unmap's invalidate (DC001) or clobbered by a dirty
#             write-back (DC003) only then; a bounce slot holds the mapped
#             bytes alone, a snooping device keeps the line coherent
# class                              where   ids
cat >"$TMP/rules" <<'EOF'
cpu_read_while_device_owned          all     DC006
cpu_read_while_device_owned          stale   DC001
cpu_write_without_sync_for_device    all     DC006
cpu_write_without_sync_for_device    stale   DC002
cpu_write_while_device_owned         all     DC006
cpu_write_while_device_owned         stale   DC001
unmap_size_mismatch                  all     DC011
unmap_size_mismatch                  stale   DC001
unmap_direction_mismatch             all     DC010
unmap_direction_mismatch             stale   DC001
sync_direction_mismatch              all     DC010
sync_direction_mismatch              stale   DC001
cacheline_sharing                    noncoh  DC007 DC003 DC001
device_access_after_unmap            all     DC011
sync_after_unmap                     all     DC011
mapping_leak                         all     DC012
EOF
# OK sequences: nothing on any preset (no rule names their class "-").
awk -F'\t' 'NR > 1 { print $2, $5 }' "$buggy/expected.tsv" >"$TMP/classes"
awk 'FILENAME == ARGV[1] { coh[$1] = $2; bounce[$1] = $3; order[++n] = $1; next }
     FILENAME == ARGV[2] { for (i = 3; i <= NF; i++) rule[$1, $2] = rule[$1, $2] " " $i; next }
     { for (k = 1; k <= n; k++) {
           p = order[k]
           ids = rule[$2, "all"]
           if (!coh[p] || bounce[p]) ids = ids rule[$2, "stale"]
           if (!coh[p]) ids = ids rule[$2, "noncoh"]
           m = split(ids, a, " ")
           for (i = 1; i <= m; i++) print $1, p, a[i]
       } }' "$TMP/presets" "$TMP/rules" "$TMP/classes" | sort -u >"$TMP/want"
jsontool seqs "$TMP/all.json" "$buggy/expected.tsv" >"$TMP/got"
check "buggy: every sequence's findings on the predicted presets ($(wc -l <"$TMP/want") sequence x preset x id)" \
	cmp -s "$TMP/want" "$TMP/got"
diff "$TMP/want" "$TMP/got" | head -20
awk '$2 != "-" { print $2 }' "$TMP/classes" | sort -u >"$TMP/bugclasses"
awk '{ print $1 }' "$TMP/rules" | sort -u >"$TMP/known"
check "buggy: the rules name every BUG class of expected.tsv" cmp -s "$TMP/bugclasses" "$TMP/known"

# ---- the same report on 1 and 2 workers; a list in its own order -------------
for fmt in text json sarif; do
	"$DMASCOPE" check --platform all --jobs 1 --format $fmt "$buggy/trace.dat" \
		>"$TMP/j1.$fmt" 2>/dev/null
	"$DMASCOPE" check --platform all --jobs 2 --format $fmt "$buggy/trace.dat" \
		>"$TMP/j2.$fmt" 2>/dev/null
	check "$fmt: 1 and 2 workers give the same report" cmp -s "$TMP/j1.$fmt" "$TMP/j2.$fmt"
done

# ---- text, JSON and SARIF name the same (finding, preset) pairs ---------------
jsontool pairs "$TMP/j1.json" >"$TMP/p.json"
jsontool sarif-pairs "$TMP/j1.sarif" >"$TMP/p.sarif"
jsontool text-pairs "$TMP/j1.text" >"$TMP/p.text"
check "JSON names (finding, preset) pairs ($(wc -l <"$TMP/p.json"))" test -s "$TMP/p.json"
check "SARIF names the same pairs as JSON" cmp -s "$TMP/p.json" "$TMP/p.sarif"
check "the text matrix names the same pairs as JSON" cmp -s "$TMP/p.json" "$TMP/p.text"
# each single preset's own check finds exactly that preset's column
for p in x86 arm-speculative; do
	"$DMASCOPE" check --platform $p --format json "$buggy/trace.dat" >"$TMP/one.json" 2>/dev/null
	jsontool pairs "$TMP/one.json" $p >"$TMP/one.pairs"
	grep " $p\$" "$TMP/p.json" >"$TMP/col.pairs"
	check "the $p column is what check --platform $p finds" cmp -s "$TMP/one.pairs" "$TMP/col.pairs"
done

# ---- a list, standard input, usage errors ------------------------------------
expect_status 1 "a comma list" \
	"$DMASCOPE" check --platform x86,arm-noncoherent --format json "$buggy/trace.dat"
check "a comma list replays those presets, in its order" \
	test "$(jsontool presets "$TMP/out" | awk '{ printf "%s,", $1 }')" = "x86,arm-noncoherent,"
"$DMASCOPE" check --platform x86,arm-noncoherent "$buggy/trace.dat" 2>/dev/null |
	sed 1d >"$TMP/file.txt"
"$DMASCOPE" check --platform x86,arm-noncoherent - <"$buggy/trace.dat" 2>/dev/null |
	sed 1d >"$TMP/stdin.txt"
check "standard input (read once, shared by the workers) gives the file's report" \
	cmp -s "$TMP/file.txt" "$TMP/stdin.txt"
"$DMASCOPE" check --platform all --jobs 1 - <"$buggy/trace.dat" >"$TMP/in1.txt" 2>/dev/null
"$DMASCOPE" check --platform all --jobs 2 - <"$buggy/trace.dat" >"$TMP/in2.txt" 2>/dev/null
check "standard input: 1 and 2 workers give the same report" cmp -s "$TMP/in1.txt" "$TMP/in2.txt"
expect_status 2 "an unknown preset in a list" \
	"$DMASCOPE" check --platform x86,arm-nosuch "$buggy/trace.dat"
check "the usage error names the unknown preset" grep -q "'arm-nosuch'" "$TMP/err"
expect_status 2 "a preset named twice" \
	"$DMASCOPE" check --platform x86,x86 "$buggy/trace.dat"
expect_status 2 "--jobs 0" \
	"$DMASCOPE" check --platform all --jobs 0 "$buggy/trace.dat"

finish
