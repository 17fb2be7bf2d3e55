#!/bin/sh
# The ETW sample scenario, exported as tracerpt CSV and XML, and its .dmt
# twin must replay to the same findings (docs/etw.md, "Samples"): run
# `dmascope check --format json` on each and compare every finding's id,
# event, device, addr and len, in order.  The scenario is built to have
# findings, so an empty list is a failure too, as is a file dmascope cannot
# read (exit 2).
#
# env: DMASCOPE (the binary), BUILD (a scratch directory)
set -u
: "${DMASCOPE:?set DMASCOPE to the dmascope binary}"
dir="${BUILD:-build}/t_etw_samples"
mkdir -p "$dir"
samples=traces/samples
platform=nt-busmaster
fail=0

for f in etw-busmaster.csv etw-busmaster.xml etw-busmaster.dmt; do
	"$DMASCOPE" check --platform "$platform" --format json "$samples/$f" \
		>"$dir/$f.json" 2>"$dir/$f.err"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "t_etw_samples: dmascope check $samples/$f exited $rc:"
		cat "$dir/$f.err"
		fail=1
	fi
done
[ "$fail" = 0 ] || exit 1

# One line per finding: id event device addr len.  The JSON is searched for
# objects carrying "id" and "event", wherever the report nests them.
python3 - "$dir" <<'PY' || exit 1
import json, sys

d = sys.argv[1]

def findings(node, out):
    if isinstance(node, dict):
        if "id" in node and "event" in node:
            out.append(node)
            return out
        for v in node.values():
            findings(v, out)
    elif isinstance(node, list):
        for v in node:
            findings(v, out)
    return out

def key(f):
    return "%s event=%s device=%s addr=%s len=%s" % (
        f.get("id"), f.get("event"), f.get("device"), f.get("addr"), f.get("len"))

rows = {}
for name in ("etw-busmaster.csv", "etw-busmaster.xml", "etw-busmaster.dmt"):
    try:
        with open("%s/%s.json" % (d, name)) as fh:
            rows[name] = [key(f) for f in findings(json.load(fh), [])]
    except (OSError, ValueError) as e:
        print("t_etw_samples: %s: no JSON report: %s" % (name, e))
        sys.exit(1)

ref = rows["etw-busmaster.csv"]
ok = True
if not ref:
    print("t_etw_samples: the CSV sample gives no findings; the scenario has bugs in it")
    ok = False
ids = {r.split()[0] for r in ref}
for want in ("DC003", "DC009", "DC011"):
    if want not in ids:
        print("t_etw_samples: no %s among the CSV sample's findings %s" % (want, sorted(ids)))
        ok = False
for name in ("etw-busmaster.xml", "etw-busmaster.dmt"):
    if rows[name] != ref:
        ok = False
        print("t_etw_samples: %s and etw-busmaster.csv disagree:" % name)
        for i in range(max(len(ref), len(rows[name]))):
            a = ref[i] if i < len(ref) else "-"
            b = rows[name][i] if i < len(rows[name]) else "-"
            print("  %s %-60s | %s" % ("  " if a == b else "!=", a, b))
if ok:
    print("t_etw_samples: %d findings, the same from CSV, XML and .dmt" % len(ref))
sys.exit(0 if ok else 1)
PY
