#!/bin/sh
# same-results.sh - does dmascope still give, byte for byte, the results it
# gave before a change meant only to make it faster?
#
#   scripts/same-results.sh [--write] [--big] [--json]
#
# Two halves, both against files saved in tests/data/same-results/:
#  - json.txt: `dmascope check --format json` of every sample of
#    traces/samples (.dmt, .csv, .xml) and every capture's trace.dat on x86,
#    arm-noncoherent, arm-speculative, x86-swiotlb and nt-busmaster: one line
#    per input and preset with the exit status and the SHA-256 of the report
#    (run from the file's directory, so the name in it is the same anywhere);
#  - engine.txt: build/tests/test_same_results, the state hashes along the
#    replay and every field of every finding (see that test).
# --write saves the figures of this build instead of comparing: run it on the
# build before the change. --big adds the capture `big` (5 to 10 minutes);
# without it the saved lines of big are not checked. --json does only the
# first half (tests/t_same_results.sh; the second is a unit test of its own).
# Environment: DMASCOPE (./dmascope), CAPTURES (tests/data/captures), BUILD
# (build), SAN=1 (the sanitizer build: samples only, the captures are slow).
# Exit status 0 when every line is the same, 1 otherwise.
top=$(cd "$(dirname "$0")/.." && pwd)
DMASCOPE=${DMASCOPE:-$top/dmascope}
CAPTURES=${CAPTURES:-$top/tests/data/captures}
BUILD=${BUILD:-build}
saved=$top/tests/data/same-results
presets="x86 arm-noncoherent arm-speculative x86-swiotlb nt-busmaster"
write=0 big=0 jsononly=0
for a in "$@"; do
	case $a in
	--write) write=1 ;;
	--big) big=1 ;;
	--json) jsononly=1 ;;
	*) echo "usage: $0 [--write] [--big] [--json]" >&2; exit 2 ;;
	esac
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/same-results.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# json_line DIR FILE NAME: one line per preset for DIR/FILE, called NAME
json_line() {
	for p in $presets; do
		(cd "$1" && "$DMASCOPE" check --platform "$p" --format json "$2") \
			>"$tmp/out" 2>"$tmp/err"
		echo "$3 $p status=$? json=$(sha256sum <"$tmp/out" | cut -c1-64)" \
			"err=$(sha256sum <"$tmp/err" | cut -c1-16)"
	done
}

json_lines() {
	for f in $(cd "$top/traces/samples" && ls | grep -E '\.(dmt|csv|xml)$' | sort); do
		json_line "$top/traces/samples" "$f" "$f"
	done
	[ "${SAN:-}" = 1 ] && return
	for c in $(cd "$CAPTURES" && ls */trace.dat | sort); do
		case $c in big/*) [ $big = 1 ] || continue ;; esac
		json_line "$CAPTURES/${c%/trace.dat}" trace.dat "$c"
	done
}

# compare SAVED GOT: every line of GOT as saved; every saved line's input
# replayed unless it is big's (or, under SAN, a capture's)
compare() {
	st=0
	while read -r name preset rest; do
		want=$(grep -F "$name $preset " "$1" | head -1)
		if [ "$want" != "$name $preset $rest" ]; then
			printf 'differs:\n  saved %s\n  now   %s\n' "${want:-(none)}" "$name $preset $rest"
			st=1
		fi
	done <"$2"
	while read -r name preset rest; do
		case $name in big/*) continue ;; */trace.dat) [ "${SAN:-}" = 1 ] && continue ;; esac
		grep -qF "$name $preset " "$2" || { echo "not replayed: $name $preset"; st=1; }
	done <"$1"
	return $st
}

json_lines >"$tmp/json.txt"
if [ $write = 1 ]; then
	mkdir -p "$saved" && cp "$tmp/json.txt" "$saved/json.txt"
	echo "same-results.sh: wrote tests/data/same-results/json.txt ($(wc -l <"$tmp/json.txt") lines)"
	st=0
else
	compare "$saved/json.txt" "$tmp/json.txt"
	st=$?
	echo "same-results.sh: json: $(wc -l <"$tmp/json.txt") lines, $([ $st = 0 ] && echo same || echo DIFFERENT)"
fi
[ $jsononly = 1 ] && exit $st
(cd "$top" && SAME_RESULTS_WRITE=$write SAME_RESULTS_BIG=$big CAPTURES=$CAPTURES \
	"$BUILD/tests/test_same_results") >"$tmp/engine" 2>&1
est=$?
grep -v '^\[' "$tmp/engine"
if [ $write = 1 ]; then
	echo "same-results.sh: engine: $([ $est = 0 ] && echo wrote tests/data/same-results/engine.txt || echo FAILED)"
else
	echo "same-results.sh: engine: $([ $est = 0 ] && echo same || echo DIFFERENT)"
fi
[ $est = 0 ] || st=1
exit $st
