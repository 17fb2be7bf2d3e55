#!/bin/sh
# bench_check_platforms.sh - `make bench`: `dmascope check` of the big
# capture on one preset (the trace's default) against `check --platform all`
# (every preset, replayed in parallel on the machine's cores).  Target: all
# presets within 3x of one preset's wall time.  QUICK=1 uses nic instead.
CAPTURES=${CAPTURES:-tests/data/captures}
DMASCOPE=${DMASCOPE:-./dmascope}
name=big
case "${QUICK:-}" in ''|0) ;; *) name=nic ;; esac
file=$CAPTURES/$name/trace.dat
if [ ! -f "$file" ]; then
	echo "check --platform all: SKIP ($file missing)"
	exit 0
fi

# wall seconds of one run of "$@" (report to /dev/null), or exit on failure
wall() {
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	st=$?
	t1=$(date +%s.%N)
	if [ "$st" -gt 1 ]; then
		echo "check --platform all: FAILED: $* (exit $st)" >&2
		exit 1
	fi
	echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }'
}

presets=$("$DMASCOPE" platforms | grep -c '^[a-z]')
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
one=$(wall "$DMASCOPE" check -q "$file") || exit 1
all=$(wall "$DMASCOPE" check -q --platform all "$file") || exit 1
echo "$one $all" | awk -v name="$name" -v n="$presets" -v cpus="$cpus" '{
	ratio = $1 > 0 ? $2 / $1 : 0
	printf "| figure (%s, %d presets, %d cores) | seconds | target | |\n", name, n, cpus
	printf "|---|---:|---:|---|\n"
	printf "| check, one preset (the default) | %.2f | | |\n", $1
	printf "| check --platform all | %.2f | %.2f | %s |\n", $2, 3 * $1,
		ratio <= 3 ? "met" : "MISSED"
	printf "| ratio | %.2f | 3.00 | %s |\n", ratio, ratio <= 3 ? "met" : "MISSED"
}'
