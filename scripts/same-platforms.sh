#!/bin/sh
# same-platforms.sh - does `dmascope check --platform all` report, byte for
# byte, what another build of dmascope reports?  Made for changes to how the
# platform matrix replays (engine/run_platforms.c) that must not change what
# it says.
#
#   scripts/same-platforms.sh [--big] [--old BINARY] [--rev REV]
#
# Compares the text, JSON and SARIF reports (standard output, standard error
# and exit status) of ./dmascope (DMASCOPE) with those of BINARY, or of a
# build of git revision REV (default: main) made in a temporary directory,
# on every sample in traces/samples, every .dmt under tests/data and the
# captures nic, disk, buggy and nic-coherent (--big adds big, minutes).
# Each file is checked from its own directory, so the two runs name it
# alike.  Prints one line per difference and a count; exit status 0 when
# every report is the same, 1 otherwise, 2 when the old build fails.
top=$(cd "$(dirname "$0")/.." && pwd)
DMASCOPE=${DMASCOPE:-$top/dmascope}
CAPTURES=${CAPTURES:-$top/tests/data/captures}
big=0 old= rev=main
while [ $# -gt 0 ]; do
	case $1 in
	--big) big=1 ;;
	--old) old=$2; shift ;;
	--rev) rev=$2; shift ;;
	*) echo "usage: $0 [--big] [--old BINARY] [--rev REV]" >&2; exit 2 ;;
	esac
	shift
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/same-platforms.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# build_old: $rev's tree into $tmp/src, built there
build_old() {
	mkdir "$tmp/src" && (cd "$top" && git archive "$rev") | tar -x -C "$tmp/src" &&
		make -C "$tmp/src" -j2 dmascope >"$tmp/build.log" 2>&1 ||
		{ tail -20 "$tmp/build.log" >&2; exit 2; }
	old=$tmp/src/dmascope
}

# inputs: DIR<TAB>FILE lines of every file to check
inputs() {
	for f in $(cd "$top/traces/samples" && ls | grep -E '\.(dmt|csv|xml)$' | sort); do
		printf '%s\t%s\n' "$top/traces/samples" "$f"
	done
	(cd "$top/tests/data" && find . -name '*.dmt' | sort) | while read -r f; do
		printf '%s\t%s\n' "$top/tests/data/$(dirname "$f")" "$(basename "$f")"
	done
	for c in nic disk buggy nic-coherent; do
		[ -f "$CAPTURES/$c/trace.dat" ] && printf '%s\t%s\n' "$CAPTURES/$c" trace.dat
	done
	[ $big = 1 ] && [ -f "$CAPTURES/big/trace.dat" ] &&
		printf '%s\t%s\n' "$CAPTURES/big" trace.dat
}

# report BIN DIR FILE FORMAT OUT: the report, its errors and status into OUT.*
report() {
	(cd "$2" && "$1" check --platform all --format "$4" "$3") >"$5.out" 2>"$5.err"
	echo $? >"$5.rc"
}

[ -n "$old" ] || build_old
n=0 bad=0
inputs >"$tmp/inputs"
while IFS='	' read -r dir file; do
	for fmt in text json sarif; do
		report "$old" "$dir" "$file" "$fmt" "$tmp/a"
		report "$DMASCOPE" "$dir" "$file" "$fmt" "$tmp/b"
		n=$((n + 1))
		for k in out err rc; do
			if ! cmp -s "$tmp/a.$k" "$tmp/b.$k"; then
				echo "differs: $dir/$file --format $fmt ($k)"
				bad=$((bad + 1))
				break
			fi
		done
	done
done <"$tmp/inputs"
echo "same-platforms: $((n - bad)) of $n reports the same"
[ $bad = 0 ]
