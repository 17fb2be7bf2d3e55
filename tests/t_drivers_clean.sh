#!/bin/sh
# t_drivers_clean.sh - the correct drivers of the real captures (nic, disk,
# and big unless under ASan, SAN=1, since it is large) give no finding
# DC001-DC012 under any Linux preset, without --strict; checked from the JSON.
. "$(dirname "$0")/cli-lib.sh"

captures="nic disk"
if [ "${SAN:-}" = 1 ]; then
	skip "big: too large to replay under ASan"
else
	captures="$captures big"
fi

for cap in $captures; do
	need_capture "$cap" || continue
	for p in x86 x86-swiotlb arm-noncoherent arm-speculative; do
		"$DMASCOPE" check --platform "$p" --format json "$CAPTURES/$cap/trace.dat" \
			>"$TMP/out.json" 2>"$TMP/err"
		got=$?
		if [ "$got" -eq 2 ]; then
			fail "$cap on $p: not readable: $(head -c 300 "$TMP/err")"
			continue
		fi
		jsontool errors "$TMP/out.json" >"$TMP/errors"
		n=$(wc -l <"$TMP/errors")
		if [ "$n" -eq 0 ] && [ "$got" -eq 0 ]; then
			ok
		else
			fail "$cap on $p: exit $got, $n findings among DC001-DC012, e.g.:"
			head -5 "$TMP/errors"
		fi
	done
done

finish
