#!/bin/sh
# bench-table.sh - the one table `make bench` ends with: every "@row" line the
# benches printed (tests/bench-table.h: figure, dmascope's value, the value of
# the tool compared with, the ratio, the target, met/MISSED), in the order
# the benches ran, as a Markdown table, with the date and the machine.
#
# usage: scripts/bench-table.sh LOG...
set -u
echo
echo "## make bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(getconf _NPROCESSORS_ONLN) cores${QUICK:+, QUICK=$QUICK}"
echo
printf '| figure | dmascope | compared with | ratio | target | |\n'
printf '|---|---:|---:|---:|---:|---|\n'
cat "$@" | awk -F '\t' '$1 == "@row" {
	printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7
	n++; if ($7 == "MISSED") missed++
}
END { printf "\n%d figures, %d MISSED\n", n, missed + 0 }'
