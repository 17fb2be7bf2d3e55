#!/bin/sh
# t_stat.sh - the per-event counts `dmascope stat` prints equal those of
# `trace-cmd report` on the same file, for every capture except big, in its
# version-7 form (trace.dat) and its version-6 form (trace-v6.dat.xz).
. "$(dirname "$0")/cli-lib.sh"

if ! command -v trace-cmd >/dev/null 2>&1; then
	skip "trace-cmd is not installed (scripts/deps.sh installs it)"
	finish
fi

# compare REPORT STAT: per event name, the lines of `trace-cmd report` (by the
# event-name column) against the "events per kind" section of `dmascope stat`
compare() {
	python3 - "$1" "$2" <<'EOF'
import collections, re, sys

event = re.compile(r"\[\d+\]\s+\d+\.\d+:\s+(\S+?):?\s")
want = collections.Counter()
for line in open(sys.argv[1], errors="replace"):
    m = event.search(line)
    if m:
        want[m.group(1)] += 1

got, total, section = {}, None, False
for line in open(sys.argv[2]):
    if line.startswith("  events: "):
        total = int(line.split()[1])
    if line.startswith("  ") and not line.startswith("   "):
        section = line.strip() == "events per kind:"
        continue
    if section and line.startswith("    ") and line.strip() != "(none)":
        name, count = line.rsplit(None, 1)
        got[name.strip()] = int(count)

bad = 0
for name in sorted(set(want) | set(got)):
    if want.get(name, 0) != got.get(name, 0):
        print(f"  {name}: trace-cmd report {want.get(name, 0)}, dmascope stat {got.get(name, 0)}")
        bad = 1
if total != sum(want.values()):
    print(f"  events: trace-cmd report {sum(want.values())}, dmascope stat {total}")
    bad = 1
sys.exit(bad)
EOF
}

for cap in buggy nic disk nic-coherent; do
	need_capture "$cap" || continue
	dir=$CAPTURES/$cap
	files="$dir/trace.dat"
	if [ -f "$dir/trace-v6.dat.xz" ]; then
		xz -dc "$dir/trace-v6.dat.xz" >"$TMP/$cap-v6.dat"
		files="$files $TMP/$cap-v6.dat"
	fi
	for f in $files; do
		name="$cap/$(basename "$f")"
		trace-cmd report "$f" >"$TMP/report" 2>/dev/null
		"$DMASCOPE" stat "$f" >"$TMP/stat" 2>"$TMP/err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			fail "$name: dmascope stat exit $rc: $(head -c 300 "$TMP/err")"
			continue
		fi
		if compare "$TMP/report" "$TMP/stat" >"$TMP/diff"; then
			ok
		else
			fail "$name: per-event counts differ:"
			cat "$TMP/diff"
		fi
		check "$name: stat names the format" grep -q "^  format: ftrace" "$TMP/stat"
		# the time span's ends as trace-cmd report prints them (rounded)
		first=$(sed -n 's/^  time span: \([0-9.]*\) \.\. .*/\1/p' "$TMP/stat")
		last=$(sed -n 's/^  time span: .* \.\. \([0-9.]*\) .*/\1/p' "$TMP/stat")
		check "$name: first timestamp $first is trace-cmd's" \
			test "$(grep -m1 -o ' [0-9]*\.[0-9]\{6\}: ' "$TMP/report")" = " $first: "
		check "$name: last timestamp $last is trace-cmd's" \
			test "$(grep -o ' [0-9]*\.[0-9]\{6\}: ' "$TMP/report" | tail -1)" = " $last: "
	done
done

finish
