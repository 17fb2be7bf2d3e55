#!/bin/sh
# t_replay.sh - `dmascope replay` without a terminal: the key table in the
# README is the one the action table makes, unreadable files and a missing
# terminal are errors before any screen, --dump-screen and --script draw
# every sample and capture at 80x24 and 200x60 and walk through them; the
# what-if keys edit, show, save and reload the edits and the omission matrix.
. "$(dirname "$0")/cli-lib.sh"

SAMPLES=$TESTS_DIR/../traces/samples
README=$TESTS_DIR/../README.md
export LC_ALL=C.UTF-8

# frame_ok FILE W H: FILE holds H lines of W display columns each
frame_ok() {
	python3 - "$1" "$2" "$3" <<'EOF'
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
w, h = int(sys.argv[2]), int(sys.argv[3])
width = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = [i for i, l in enumerate(lines) if width(l) != w]
sys.exit(0 if len(lines) == h and not bad else 1)
EOF
}

# ---- the key table: README == the action table -----------------------------------
expect_status 0 "replay --keys" "$DMASCOPE" replay --keys
sed -n '/^<!-- keys: dmascope replay --keys -->$/,/^<!-- \/keys -->$/p' "$README" |
	sed '1d;$d' >"$TMP/readme-keys"
check "README's key table is 'dmascope replay --keys' (regenerate it): $(diff "$TMP/out" "$TMP/readme-keys" | head -3)" \
	cmp -s "$TMP/out" "$TMP/readme-keys"
check "key table has a row per action" test "$(grep -c '^| `' "$TMP/out")" -ge 30
keys=$(sed -n 's/^| \(`[^|]*`\) |.*/\1/p' "$TMP/out" | tr ' ' '\n')
check "no key twice in the table" test -z "$(printf '%s\n' "$keys" | sort | uniq -d)"
for k in '`j`' '`k`' '`g`' '`G`' '`/`' '`n`' '`N`' '`m`' '`?`' '`q`' '`:`' '`<Down>`' \
	 '`<Up>`' '`<PgUp>`' '`<PgDn>`' '`<Home>`' '`<End>`' '`<Tab>`' '`<Enter>`'; do
	check "key $k is bound" sh -c "printf '%s\n' \"\$1\" | grep -qxF -- '$k'" - "$keys"
done

# ---- errors before any screen: exit 2 ----------------------------------------------
: >"$TMP/empty.dat"
for f in "$TMP/missing.dat" "$TMP/empty.dat"; do
	expect_status 2 "replay $(basename "$f")" "$DMASCOPE" replay "$f"
	check "replay $(basename "$f"): the reader's message names the file" \
		grep -qF "$f" "$TMP/err"
	check "replay $(basename "$f"): no screen drawn" test ! -s "$TMP/out"
done
expect_status 2 "replay without a terminal" "$DMASCOPE" replay "$SAMPLES/linux-rx-nosync.bug.dmt" \
	</dev/null
check "no terminal: says so" grep -q "must be a terminal" "$TMP/err"
check "no terminal: nothing drawn" test ! -s "$TMP/out"
printf 'key j\nfrobnicate\n' >"$TMP/bad.script"
expect_status 2 "a bad script line" "$DMASCOPE" replay --script "$TMP/bad.script" \
	--dump-screen "$SAMPLES/linux-rx-nosync.bug.dmt"
check "bad script line: names the line" grep -q "bad.script:2:" "$TMP/err"
expect_status 2 "a missing script" "$DMASCOPE" replay --script "$TMP/none" \
	"$SAMPLES/linux-rx-nosync.bug.dmt"

# ---- every sample draws at both sizes, and a walk through it stays in frame ---------------
cat >"$TMP/walk.script" <<'EOF'
# a walk: steps, the ends, a finding, the help, each pane, a search, a resize
key jjjk
key ]
dump
key G?
dump
key <Esc><Tab><Tab><Tab><Tab>v
key /dma<Enter>n
resize 60 20
dump
resize 200 60
key g
EOF
for f in "$SAMPLES"/*.dmt "$SAMPLES"/etw-busmaster.csv "$SAMPLES"/etw-busmaster.xml; do
	n=$(basename "$f")
	for size in 80x24 200x60; do
		w=${size%x*}
		h=${size#*x}
		expect_status 0 "dump $n at $size" "$DMASCOPE" replay --dump-screen --size "$size" "$f"
		check "dump $n at $size: $h lines of $w columns" frame_ok "$TMP/out" "$w" "$h"
	done
	expect_status 0 "walk through $n" "$DMASCOPE" replay --script "$TMP/walk.script" \
		--dump-screen "$f"
	check "walk $n: four frames (three dumps, then none at the end)" \
		test "$(wc -l <"$TMP/out")" -eq $((24 + 24 + 20))
done
check "walk: the help screen is drawn" grep -q "dmascope replay: keys" "$TMP/out"
check "walk: 60x20 is too small" grep -q "terminal too small (60x20, needs 80x24)" "$TMP/out"
"$DMASCOPE" replay --script "$TMP/walk.script" --dump-screen --size 200x60 \
	"$SAMPLES/linux-rx-nosync.bug.dmt" >"$TMP/a" 2>&1
"$DMASCOPE" replay --script "$TMP/walk.script" --dump-screen --size 200x60 \
	"$SAMPLES/linux-rx-nosync.bug.dmt" >"$TMP/b" 2>&1
check "the same script draws the same frames" cmp -s "$TMP/a" "$TMP/b"

printf 'key jj\ndump attrs\n' >"$TMP/attrs.script"
expect_status 0 "dump attrs" "$DMASCOPE" replay --script "$TMP/attrs.script" \
	"$SAMPLES/linux-rx-nosync.bug.dmt"
check "dump attrs: text, an empty line, roles" test "$(wc -l <"$TMP/out")" -eq 49
check "dump attrs: the current event is marked" sh -c "tail -24 '$TMP/out' | grep -q c"

# ---- what-if: edit, diff, save, reload, a damaged edit file, the omission matrix ----
cp "$SAMPLES/linux-rx-nosync.bug.dmt" "$TMP/wi.dmt"
rm -f "$TMP/wi.dmt.whatif"
# event 3 is the read the sync is missing before; i inserts it, D the diff
printf 'key jjj\nkey i\ndump\nkey D\ndump\nkey S\ndump\nkey U\ndump\n' >"$TMP/wi.script"
expect_status 0 "what-if keys" "$DMASCOPE" replay --script "$TMP/wi.script" --dump-screen \
	--size 200x60 "$TMP/wi.dmt"
check "what-if: four 200x60 frames" test "$(wc -l <"$TMP/out")" -eq 240
sed -n 1,60p "$TMP/out" >"$TMP/wi.edited"
sed -n 61,120p "$TMP/out" >"$TMP/wi.diff"
check "i: the edited run shows the inserted sync, named as the driver calls it" \
	grep -q '^+ *new c0 eth0 dma_sync_single_for_cpu ' "$TMP/wi.edited"
check "i: the status line says so" grep -q 'inserted the call needed here (1 edit' "$TMP/wi.edited"
check "D: the stale read goes away" grep -q -- '- DC001 stale-cpu-read at event 3' "$TMP/wi.diff"
check "D: nothing added" grep -q 'Findings added: 0' "$TMP/wi.diff"
check "S: saved next to the trace" grep -q "1 edit saved to $TMP/wi.dmt.whatif" "$TMP/out"
check "S: an edit file" sh -c "head -1 '$TMP/wi.dmt.whatif' | grep -q '^dmascope-whatif 1'"
check "U: no edit left" sh -c "sed -n 181,240p '$TMP/out' | grep -q 'Edited run  0 edits'"
expect_status 0 "replay loads FILE.whatif" "$DMASCOPE" replay --dump-screen --size 200x60 \
	"$TMP/wi.dmt"
check "FILE.whatif: loaded, and said so" grep -q "1 edit loaded from $TMP/wi.dmt.whatif" "$TMP/out"
check "FILE.whatif: the edited run shown" grep -q '^ Edited run  1 edit' "$TMP/out"
printf 'dmascope-whatif 1\nfrobnicate 3\n' >"$TMP/bad.whatif"
expect_status 0 "a damaged --whatif file" "$DMASCOPE" replay --whatif "$TMP/bad.whatif" \
	--dump-screen --size 200x60 "$TMP/wi.dmt"
check "damaged edit file: its line named" grep -q "$TMP/bad.whatif:2:" "$TMP/out"
check "damaged edit file: the recorded run stays" grep -q '^ Timeline  ' "$TMP/out"
printf 'key O\ndump\nkey <Enter>\ndump\n' >"$TMP/omit.script"
expect_status 0 "omission matrix" "$DMASCOPE" replay --script "$TMP/omit.script" \
	--dump-screen --size 200x60 "$SAMPLES/linux-rx-nosync.ok.dmt"
check "O: the matrix on the run's platform" grep -q 'Omission matrix on arm-noncoherent' "$TMP/out"
check "O: leaving a sync out breaks the read" grep -q 'dma_sync_single_for_cpu *yes *DC001' "$TMP/out"
check "O, Enter: that omission's diff" grep -q ' Diff  recorded run / edited run' "$TMP/out"

# ---- ETW exports: the timeline shows each event's task and its own fields,
# not the header every row repeats; CSV and XML alike
printf 'key ]\ndump\n' >"$TMP/etw.script"
for f in etw-busmaster.csv etw-busmaster.xml; do
	expect_status 0 "$f at its first finding" "$DMASCOPE" replay --script "$TMP/etw.script" \
		--dump-screen --size 120x34 "$SAMPLES/$f"
	check "$f: the timeline row is the task and its fields" \
		grep -q '^.* 26 0.000090 c0 snd0 *DeviceWrite Device=snd0 LogicalAddress=0x20000000 Length=128 *$' \
		"$TMP/out"
	check "$f: no row header (provider, level, clock)" \
		sh -c '! sed -n 1,10p "$1" | grep -q "Event Name\|System/\|Clock-Time\|Level"' sh "$TMP/out"
done

# ---- the captures --------------------------------------------------------------------
for c in nic disk buggy; do
	need_capture $c || continue
	printf 'key jjjjG]\ndump\n' >"$TMP/cap.script"
	expect_status 0 "walk through $c" "$DMASCOPE" replay --script "$TMP/cap.script" \
		--dump-screen --size 200x60 "$CAPTURES/$c/trace.dat"
	check "walk $c: one 200x60 frame" frame_ok "$TMP/out" 200 60
done

# an event with no buffer near it (the capture's first marker): the panes
# say so, no address made of "none"
if need_capture buggy; then
	printf 'dump
' >"$TMP/none.script"
	expect_status 0 "buggy at its first event" "$DMASCOPE" replay --script "$TMP/none.script" \
		--dump-screen --size 120x40 "$CAPTURES/buggy/trace.dat"
	check "no buffer: the memory pane says so" grep -q ' Memory  (no buffer)' "$TMP/out"
	check "... the caches pane names no address" sh -c '! grep -q "0xffffffffffffffff" "$1"' \
		sh "$TMP/out"

	# events are named by the timeline's numbers (the file's, which skip
	# the events dmascope does not replay) in every pane: the pending
	# device write and the versions of the bytes it wrote
	printf 'key ]\ndump\nkey v\ndump\n' >"$TMP/num.script"
	expect_status 0 "buggy at its first finding" "$DMASCOPE" replay \
		--script "$TMP/num.script" --dump-screen --size 120x40 "$CAPTURES/buggy/trace.dat"
	n=$(sed -n 's/.*pending +0..+[0-9]* @0x[0-9a-f]* by ev \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
	check "the DMA pane's pending write names an event" test -n "$n"
	check "... the timeline's dev_write of that number" \
		grep -Eq "^[^0-9]* $n [0-9.]+ .*mark: dev_write" "$TMP/out"
	check "... and memory's versions say the same event" \
		sh -c 'sed -n 41,80p "$1" | grep -Eq "\+000010( +$2){8}"' sh "$TMP/out" "$n"

	# the watch list names the event that wrote each value the same way:
	# a CPU write changes its cache line at its own event
	printf 'key G\nkey w\nkey 0x2cf0800<Enter>\ndump\n' >"$TMP/watchnum.script"
	expect_status 0 "buggy: the watch of a buffer's first byte" "$DMASCOPE" replay \
		--script "$TMP/watchnum.script" --dump-screen --size 100x30 \
		"$CAPTURES/buggy/trace.dat"
	check "the watch list: written by the event of the CPU write" \
		grep -Eq 'event ([0-9]+) +0x2cf0800 +cpu0 cache +0x[0-9a-f]{2} +by \1 ' "$TMP/out"

	# the filter: a sequence by its marker's name or its number; a filter
	# that hides the current event moves to the next event it shows (else
	# the previous); a term it cannot read is named whole
	printf 'key F\nkey seq=S03<Enter>\ndump\nkey F\nkey seq=2<Enter>\ndump\nkey F\nkey seq=S99<Enter>\ndump\n' \
		>"$TMP/filter.script"
	expect_status 0 "buggy: filters" "$DMASCOPE" replay --script "$TMP/filter.script" \
		--dump-screen --size 100x30 "$CAPTURES/buggy/trace.dat"
	split -l 30 -a 1 -d "$TMP/out" "$TMP/filter."
	check "seq=S03: that sequence, from its begin" \
		sh -c 'sed -n 2p "$1" | grep -q "seq begin id=S03" && ! grep -q "id=S0[124]" "$1"' \
		sh "$TMP/filter.0"
	check "... the current event moved to its first" \
		sh -c 'tail -1 "$1" | grep -q "^ event 17 "' sh "$TMP/filter.0"
	check "seq=2: the second sequence (S02), at its last event" \
		sh -c 'grep -q "seq begin id=S02" "$1" && ! grep -q "id=S03" "$1" &&
		       tail -1 "$1" | grep -q "^ event 16 "' sh "$TMP/filter.1"
	check "an unknown sequence is named whole" grep -q "filter: 'seq=S99' is not" "$TMP/filter.2"

	# a prompt with an initial text (p: the platform now): what is typed
	# replaces it
	printf 'key p\nkey x86<Enter>\ndump\n' >"$TMP/plat.script"
	expect_status 0 "buggy: p, x86" "$DMASCOPE" replay --script "$TMP/plat.script" \
		--dump-screen --size 120x30 "$CAPTURES/buggy/trace.dat"
	check "p then a preset's name replays on it" grep -q 'replayed on x86' "$TMP/out"

	# a terminal made smaller keeps the current event in sight
	printf 'key :100<Enter>\ndump\nresize 80 24\ndump\n' >"$TMP/shrink.script"
	expect_status 0 "buggy at event 100, then smaller" "$DMASCOPE" replay \
		--script "$TMP/shrink.script" --dump-screen --size 200x60 "$CAPTURES/buggy/trace.dat"
	check "made smaller: the current event still on the timeline" \
		sh -c 'sed -n 61,84p "$1" | grep -Eq "^[^0-9]* 100 [0-9.]+ "' sh "$TMP/out"
	check "... the status line at it" sh -c 'sed -n 84p "$1" | grep -q "event 100 "' sh "$TMP/out"
fi

finish
