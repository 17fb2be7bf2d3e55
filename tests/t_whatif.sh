#!/bin/sh
# t_whatif.sh - `dmascope whatif FILE --omit-each`: the table and the JSON
# name each maintenance call, whether leaving it out breaks the run and
# with which findings; the exit status is 1 when some omission breaks the
# run, 0 when none does, 2 for bad input (a missing file, an unknown
# platform, a damaged trace, no action), each message naming what is wrong.
. "$(dirname "$0")/cli-lib.sh"

S=$TESTS_DIR/../traces/samples
RX=$S/linux-rx-nosync.ok.dmt

# The receive path needs its first sync_for_cpu: leaving it out (event 3)
# gives the stale read of linux-rx-nosync.bug.dmt; exit 1.
expect_status 1 "whatif --omit-each on linux-rx-nosync.ok" \
	"$DMASCOPE" whatif "$RX" --omit-each
check "the table names the file and the platform" \
	grep -q "linux-rx-nosync.ok.dmt: 11 events on arm-noncoherent, 5 maintenance calls" "$TMP/out"
check "event 3, dma_sync_single_for_cpu, breaks with DC001 and DC006" \
	grep -Eq "^ +3  dma_sync_single_for_cpu +yes +DC001, DC006 " "$TMP/out"
check "its first wrong read is the cpu_read at event 4" \
	grep -Eq "^ +3  .*at event 4$" "$TMP/out"
check "the unmap at event 9 leaks when left out" \
	grep -Eq "^ +9  dma_unmap_page +yes +DC012" "$TMP/out"

# A KeFlushIoBuffers that nt-busmaster does not need, nt-v3 does.
expect_status 1 "whatif --omit-each on flush-status.ok" \
	"$DMASCOPE" whatif "$S/flush-status.ok.dmt" --omit-each
check "a call with no effect here says where it is needed" \
	grep -Eq "^ +0  KeFlushIoBuffers +no +.*needed on: nt-v3" "$TMP/out"

# No maintenance call at all: nothing can break; exit 0.
printf 'dmascope-trace 1\nplatform arm-noncoherent\ndevice d\n%s\n%s\n%s\n' \
	"dma_alloc_coherent dev=d addr=0x1000 bus=0x1000 len=4096" \
	"cpu_write addr=0x1000 len=64" "dev_read dev=d addr=0x1000 len=64" >"$TMP/coherent.dmt"
expect_status 0 "whatif --omit-each with no maintenance call" \
	"$DMASCOPE" whatif "$TMP/coherent.dmt" --omit-each
check "it says nothing breaks" grep -q "0 maintenance calls; leaving out any one of them breaks nothing" "$TMP/out"

# JSON: the same rows.
expect_status 1 "whatif --omit-each --format json" \
	"$DMASCOPE" whatif "$RX" --omit-each --format json
cp "$TMP/out" "$TMP/rx.json"
check "the JSON has the rows the table has" python3 - "$TMP/rx.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["platform"]["name"] == "arm-noncoherent" and d["events"] == 11
assert d["calls"] == len(d["rows"]) == 5 and d["broken"] == 4
r = {x["event"]: x for x in d["rows"]}
assert r[3]["call"] == "dma_sync_single_for_cpu" and r[3]["kind"] == "dma_sync_for_cpu"
assert r[3]["broke"] and r[3]["added"] == {"DC001": 1, "DC006": 1}
assert r[3]["first_wrong"]["event"] == 4 and r[3]["wrong_bytes"] == 14
assert r[5]["broke"] is False and r[5]["first_wrong"] is None and r[5]["needed_on"] == []
assert r[9]["added"] == {"DC012": 1}
EOF

# Standard input: one worker, the same rows.
cat "$RX" | "$DMASCOPE" whatif - --omit-each --format json >"$TMP/stdin.json" 2>"$TMP/err"
check "standard input gives the same rows" python3 - "$TMP/rx.json" "$TMP/stdin.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["rows"] == b["rows"] and b["file"] == "<stdin>"
EOF

# --edits: leaving out the sync (event 3) of the .ok file adds the .bug
# file's findings (exit 1); inserting it into the .bug file removes them.
printf 'dmascope-whatif 1\ndelete 3\n' >"$TMP/rx.whatif"
expect_status 1 "whatif --edits deleting the sync" "$DMASCOPE" whatif "$RX" --edits "$TMP/rx.whatif"
check "the run diverges at event 3" grep -q "the runs diverge at event 3" "$TMP/out"
check "DC006 at the read (event 4) is added" grep -Eq "^    event 4 +DC006 ownership-violation" "$TMP/out"
printf 'dmascope-whatif 1\ninsert before 3: %s\n' \
	"dma_sync_for_cpu dev=eth0 bus=0x80000 len=2048 dir=FROM_DEVICE" >"$TMP/bug.whatif"
expect_status 0 "whatif --edits inserting the sync" \
	"$DMASCOPE" whatif "$S/linux-rx-nosync.bug.dmt" --edits "$TMP/bug.whatif" --format json
check "the JSON lists the findings removed" python3 - "$TMP/out" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["nedits"] == 1 and d["added"] == []
assert sorted(f["id"] for f in d["removed"]) == ["DC001", "DC006"]
assert d["diverge"]["inserted"] is True and d["diverge"]["event"] == 3
EOF2
printf 'dmascope-whatif 1\ndelete 999\n' >"$TMP/bad.whatif"
expect_status 2 "a damaged edit file" "$DMASCOPE" whatif "$RX" --edits "$TMP/bad.whatif"
check "the message names the edit file and its line" grep -q "bad.whatif:2" "$TMP/err"

# Bad input.
expect_status 2 "a missing file" "$DMASCOPE" whatif "$TMP/none.dmt" --omit-each
check "the message names the missing file" grep -q "none.dmt" "$TMP/err"
expect_status 2 "an unknown platform" "$DMASCOPE" whatif "$RX" --omit-each --platform vax
check "the message names the platform" grep -q "vax" "$TMP/err"
printf 'dmascope-trace 1\ndevice d\ndma_map dev=d addr=zzz len=4\n' >"$TMP/damaged.dmt"
expect_status 2 "a damaged trace" "$DMASCOPE" whatif "$TMP/damaged.dmt" --omit-each
check "the message names the damaged file" grep -q "damaged.dmt" "$TMP/err"
expect_status 2 "no action" "$DMASCOPE" whatif "$RX"
expect_status 2 "an unknown format" "$DMASCOPE" whatif "$RX" --omit-each --format xml
expect_status 0 "--help" "$DMASCOPE" whatif --help
check "--help says what exit status 1 means" grep -q "1 leaving out some call" "$TMP/out"

finish
