#!/bin/sh
# The latent flag of a DC001 after a DMA_ATTR_SKIP_CPU_SYNC unmap with no
# dma_sync_*_for_cpu (docs/engine.md, "Linux rules"): "(latent)" in the text
# report and "latent": true in JSON on arm-noncoherent; a plain DC001 on
# arm-speculative and x86-swiotlb; nothing on x86.
#
. "$(dirname "$0")/cli-lib.sh"
bug="$TESTS_DIR/../traces/samples/skip-unmap-nosync.bug.dmt"

# latent JSON PLATFORM: the "latent" values of the DC001 findings, one a line
latent() {
	python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["files"][0]["findings"]:
    if f["id"] == "DC001":
        print(str(f["latent"]).lower())' "$1"
}

expect_status 1 "text report on arm-noncoherent" \
	"$DMASCOPE" check --platform arm-noncoherent "$bug"
check "text: the DC001 says (latent)" grep -q 'DC001 stale-cpu-read (latent)$' "$TMP/out"

for p in arm-noncoherent arm-speculative x86-swiotlb; do
	"$DMASCOPE" check --platform "$p" --format json "$bug" >"$TMP/$p.json" 2>"$TMP/err"
	want=false
	[ "$p" = arm-noncoherent ] && want=true
	check "$p: one DC001, latent $want (got '$(latent "$TMP/$p.json" | tr '\n' ' ')')" \
		test "$(latent "$TMP/$p.json")" = "$want"
done
expect_status 0 "x86: a coherent device owes no sync" \
	"$DMASCOPE" check --platform x86 "$bug"
check "text: no (latent) on x86" sh -c "! grep -q latent '$TMP/out'"

finish
