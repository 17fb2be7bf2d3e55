#!/bin/sh
# House metrics for the production code (engine/ traces/ tui/ lessons/):
# function lengths from ctags (first to last line, body and signature),
# and the files over 800 lines.  Used by `make check-layers` (the file size
# rule) and quoted in docs/architecture.md.
#   usage: scripts/house.sh [DIR...]   exit 1 when a file is over 800 lines
set -eu
cd "$(dirname "$0")/.."
dirs=${*:-engine traces tui lessons}
files=$(find $dirs -name '*.c' -o -name '*.h' | sort)
[ -n "$files" ] || { echo "house: no sources"; exit 1; }
ctags --fields=+ne --c-kinds=f -o - $files |
awk -F'\t' '{ l = e = 0
	for (i = 4; i <= NF; i++) { if ($i ~ /^line:/) l = substr($i, 6); if ($i ~ /^end:/) e = substr($i, 5) }
	if (l && e) print e - l + 1 }' | sort -n |
awk '{ a[NR] = $1; s += $1 } END {
	if (!NR) { print "house: no functions"; exit 1 }
	m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	printf "house: %d functions, median %s lines, mean %.1f, longest %d\n", NR, m, s / NR, a[NR] }'
big=$(wc -l $files | awk '$2 != "total" && $1 > 800 { print $2 " (" $1 " lines)" }')
if [ -n "$big" ]; then echo "house: files over 800 lines:"; echo "$big"; exit 1; fi
echo "house: no file over 800 lines"
