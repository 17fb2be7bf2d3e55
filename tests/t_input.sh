#!/bin/sh
# t_input.sh - what dmascope reads and how it refuses: standard input ("-")
# in every format, .xz/.zst/.gz traces, --device naming no device, damaged
# compressed streams, damaged trace.dat magic, a cut-short ETW XML export,
# and the "syncs may be invisible" warning on the real captures.
. "$(dirname "$0")/cli-lib.sh"

SAMPLES=$TESTS_DIR/../traces/samples
DMT=$SAMPLES/linux-leak.bug.dmt
XML=$SAMPLES/etw-busmaster.xml
CSV=$SAMPLES/etw-busmaster.csv
need_capture buggy || finish
need_capture nic || finish
need_capture disk || finish
need_capture nic-coherent || finish
BUGGY=$CAPTURES/buggy/trace.dat
# temporary files go here: each check that reads one also sees it gone
export TMPDIR="$TMP/tmpdir"
mkdir -p "$TMPDIR"

no_tmp_left() {
	[ -z "$(ls -A "$TMPDIR")" ]
}

# contains FILE TEXT: FILE holds TEXT (fixed string)
contains() {
	grep -qF -- "$2" "$1"
}

# same_report FILE OTHER-NAME: `check` of OTHER-NAME printed what `check FILE`
# does, its name aside ($TMP/out holds it)
same_report() {
	"$DMASCOPE" check --device "$3" "$1" >"$TMP/want" 2>/dev/null
	# the name given appears as the file's name and in each FILE:LINE: of a .dmt
	sed "s#$2:#$1:#g" "$TMP/out" | cmp -s - "$TMP/want"
}

# ---- --device names no device of the trace --------------------------------------------
expect_status 2 "check --device unknown" "$DMASCOPE" check --device nope "$CAPTURES/nic/trace.dat"
check "check --device unknown lists the devices" contains "$TMP/err" \
	"nic/trace.dat: no device 'nope' in this trace (its devices: 0000:00:02.0, 0000:00:03.0)"
expect_status 2 "check --format json --device unknown" \
	"$DMASCOPE" check --format json --device nope "$DMT"
check "the JSON report says so too" contains "$TMP/out" "no device 'nope' in this trace (its devices: dmabug)"
expect_status 2 "convert --device unknown" "$DMASCOPE" convert --device nope "$XML" -o "$TMP/x.dmt"
check "convert --device unknown lists the devices" contains "$TMP/err" "its devices: "
check "convert wrote nothing" test ! -e "$TMP/x.dmt"
# a warning about another device is not printed under --device
expect_status 0 "check --device one NIC" \
	"$DMASCOPE" check --device 0000:00:03.0 "$CAPTURES/nic-coherent/trace.dat"
check "its own warnings are given" contains "$TMP/out" "device 0000:00:03.0: streaming mappings"
check "no warning about the other NIC" sh -c "! grep -q 0000:00:02.0 '$TMP/out'"

# ---- standard input, every format -------------------------------------------------
for f in "$DMT" "$XML" "$CSV" "$BUGGY"; do
	dev=dmabug
	case $f in *.xml|*.csv) dev=nic0 ;; esac
	expect_status 1 "check - < $f" sh -c "'$DMASCOPE' check --device $dev - < '$f'"
	check "check - < $f: the report names <stdin>" contains "$TMP/out" "<stdin>: "
	check "check - < $f: same report as from the file" same_report "$f" "<stdin>" $dev
	check "no temporary file left after check - < $f" no_tmp_left
	expect_status 0 "stat - < $f" sh -c "'$DMASCOPE' stat - < '$f'"
	check "stat - names <stdin>" contains "$TMP/out" "<stdin>"
	expect_status 0 "convert - < $f" sh -c "'$DMASCOPE' convert - -o '$TMP/in.dmt' < '$f'"
	"$DMASCOPE" convert "$f" -o "$TMP/file.dmt" 2>/dev/null
	check "convert - < $f writes what convert $f does" cmp -s "$TMP/in.dmt" "$TMP/file.dmt"
done
# through a pipe (not seekable), compressed on the way
expect_status 1 "xz -c trace.dat | check -" \
	sh -c "xz -c '$BUGGY' | '$DMASCOPE' check --device dmabug -"
check "a piped compressed capture: same report as the file" same_report "$BUGGY" "<stdin>" dmabug
check "no temporary file left after a pipe" no_tmp_left
# a named pipe (as bash's <(...) gives) is read once, like standard input
mkfifo "$TMP/fifo"
gzip -c "$DMT" > "$TMP/fifo" &
expect_status 1 "check a FIFO fed a .gz" "$DMASCOPE" check --device dmabug "$TMP/fifo"
wait
check "a FIFO: same report as the file" same_report "$DMT" "$TMP/fifo" dmabug
check "no temporary file left after a FIFO" no_tmp_left
expect_status 2 "check - with nothing on stdin" sh -c "'$DMASCOPE' check - < /dev/null"
check "empty stdin is named" contains "$TMP/err" "<stdin>: offset 0: empty file"
echo "not a trace" > "$TMP/junk"
expect_status 2 "check - with junk" sh -c "'$DMASCOPE' check - < '$TMP/junk'"
check "junk on stdin is named" contains "$TMP/err" "<stdin>: offset 0: not a trace dmascope reads"

# ---- compressed traces: the same findings as the plain file --------------------------
for f in "$BUGGY" "$DMT"; do
	for z in xz zstd gzip; do
		c=$TMP/copy.$z         # names say nothing: the magic bytes decide
		$z -c "$f" > "$c"
		expect_status 1 "check $z copy of $f" "$DMASCOPE" check --device dmabug "$c"
		check "$z copy of $f: same report as the plain file" same_report "$f" "$c" dmabug
		expect_status 1 "check - < $z copy of $f" \
			sh -c "'$DMASCOPE' check --device dmabug - < '$c'"
		check "$z copy on stdin: same report" same_report "$f" "<stdin>" dmabug
		check "no temporary file left after the $z copy" no_tmp_left
	done
done
# the JSON findings agree too
xz -c "$BUGGY" > "$TMP/b.xz"
"$DMASCOPE" check --format json --device dmabug "$BUGGY" | sed "s#$BUGGY#F#" > "$TMP/plain.json"
"$DMASCOPE" check --format json --device dmabug "$TMP/b.xz" | sed "s#$TMP/b.xz#F#" > "$TMP/xz.json"
check "JSON findings of the .xz copy equal the plain file's" cmp -s "$TMP/plain.json" "$TMP/xz.json"

# ---- damaged compressed streams ---------------------------------------------------------
for z in xz zstd gzip; do
	case $z in xz) ext=.xz ;; zstd) ext=.zst ;; gzip) ext=.gz ;; esac
	$z -c "$BUGGY" > "$TMP/full"
	size=$(wc -c < "$TMP/full")
	head -c $((size / 2)) "$TMP/full" > "$TMP/cut"
	expect_status 2 "$z stream cut in half" "$DMASCOPE" check "$TMP/cut"
	check "$z cut: named as a damaged $ext file that ends early" contains "$TMP/err" \
		"$TMP/cut: offset "
	check "$z cut: says damaged $ext" contains "$TMP/err" "damaged $ext file: the compressed data ends early"
	cp "$TMP/full" "$TMP/bad"
	printf 'XXXXXXXXXXXXXXXXXXXXXXXX' | dd of="$TMP/bad" bs=1 seek=$((size / 3)) conv=notrunc 2>/dev/null
	expect_status 2 "$z stream with bytes overwritten" "$DMASCOPE" check "$TMP/bad"
	check "$z overwritten: named as a damaged $ext file" grep -qE "$TMP/bad: offset [0-9]+: damaged \\$ext file: " "$TMP/err"
	expect_status 2 "$z stream cut, on stdin" sh -c "'$DMASCOPE' stat - < '$TMP/cut'"
	check "$z cut on stdin: named <stdin>" contains "$TMP/err" "<stdin>: offset "
	check "no temporary file left after a damaged $z stream" no_tmp_left
done

# ---- a trace.dat with damaged magic ------------------------------------------------
damage() {   # damage OFFSET BYTES: a copy of buggy/trace.dat with BYTES at OFFSET
	cp "$BUGGY" "$TMP/dmg.dat"
	printf "$2" | dd of="$TMP/dmg.dat" bs=1 seek="$1" conv=notrunc 2>/dev/null
}
damage 5 'X'
expect_status 2 "trace.dat with one magic byte wrong" "$DMASCOPE" check "$TMP/dmg.dat"
check "named as a damaged trace.dat at offset 5" contains "$TMP/err" \
	"$TMP/dmg.dat: offset 5: damaged trace.dat: the magic bytes read \\x17\\x08\\x44trXcing"
damage 0 '\000\000\000TRACING'
expect_status 2 "trace.dat with its magic zeroed, version field intact" "$DMASCOPE" check "$TMP/dmg.dat"
check "named as a damaged trace.dat at offset 0" contains "$TMP/err" "$TMP/dmg.dat: offset 0: damaged trace.dat"
head -c 6 "$BUGGY" > "$TMP/short.dat"
expect_status 2 "trace.dat cut within its magic" "$DMASCOPE" check "$TMP/short.dat"
check "cut within the magic: damaged trace.dat" contains "$TMP/err" \
	"offset 6: damaged trace.dat: the file ends within the magic bytes"
head -c 20000 /dev/zero | tr '\0' 'a' > "$TMP/unrelated"
expect_status 2 "an unrelated file" "$DMASCOPE" check "$TMP/unrelated"
check "an unrelated file is not a damaged trace.dat" contains "$TMP/err" \
	"$TMP/unrelated: offset 0: not a trace dmascope reads"

# ---- an ETW XML export cut short ------------------------------------------------------
head -c 20000 "$XML" > "$TMP/cut.xml"
lines=$(($(wc -l < "$TMP/cut.xml") + 1))   # the last line is partial
expect_status 2 "an XML export cut short" "$DMASCOPE" check "$TMP/cut.xml"
check "the cut XML says where it ends" contains "$TMP/err" \
	"$TMP/cut.xml:$lines:1: the file ends early at line $lines"

# ---- the "syncs may be invisible" warning ----------------------------------------------
w="no dma_sync_* events, and no swiotlb bounces"
for c in nic disk buggy; do
	"$DMASCOPE" stat "$CAPTURES/$c/trace.dat" > "$TMP/stat" 2>&1
	check "$c (swiotlb=force): no invisible-sync warning" sh -c "! grep -qF '$w' '$TMP/stat'"
done
"$DMASCOPE" stat "$CAPTURES/nic-coherent/trace.dat" > "$TMP/stat" 2>&1
check "nic-coherent: warned for e1000" contains "$TMP/stat" "device 0000:00:02.0: streaming mappings but $w"
check "nic-coherent: warned for e1000e" contains "$TMP/stat" "device 0000:00:03.0: streaming mappings but $w"

finish
