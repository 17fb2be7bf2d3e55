#!/usr/bin/env python3
"""Queries on `dmascope check --format json` output, for the shell tests.

usage: cli_json.py COMMAND JSONFILE [ARGS]
  errors JSON           print "id event ts" of every DC001-DC012 finding (roots and
                        consequences); exit 0
  findings JSON         print "id event ts" of every finding, sorted
  count JSON ID...      print how many findings have one of the ids
  status JSON           print the exit status the findings call for (2 unreadable
                        file, 1 a DC001-DC012 finding, else 0)
  field JSON KEY        print files[0][KEY]
  score JSON TSV        match the DC001-DC012 findings to the sequences of an
                        expected.tsv by timestamp ([first_ts, last_ts + 1e-6));
                        print each BUG sequence with none and each OK sequence
                        with some, then "caught X/Y bugs, Z false alarms"; exit 1
                        unless every bug is caught with no false alarm
  stale JSON TSV        compare, per sequence of an expected.tsv, the DC001/DC002
                        findings in [first_ts, last_ts + 1e-6) with the numerator of
                        observed_this_run; print mismatches and the totals; exit 1
                        on a mismatch
  Of check --platform all|LIST (findings with a "platforms" list):
  presets JSON          print "name coherent bounce speculative" (0/1, the device
                        default) of each preset, in order
  seqs JSON TSV         print "sequence preset id" for every DC001-DC012 finding
                        in a sequence's time window, sorted and unique
  pairs JSON [PRESET]   print "id event preset" of every DC001-DC012 finding, sorted
                        (PRESET: the one of a report of one platform)
  sarif-pairs SARIF     the same from a SARIF log
  text-pairs TEXT       the same from the text report's matrix
"""
import csv
import json
import re
import sys

ERROR_ID = re.compile(r"DC0(0[1-9]|1[0-2])$")


def walk(findings):
    for f in findings:
        yield f
        yield from walk(f.get("consequences", []))


def all_findings(doc):
    for fobj in doc["files"]:
        yield from walk(fobj.get("findings", []))


def line(f):
    return f"{f['id']} {f['event']} {f['ts']:.6f}"


def stale(doc, tsv):
    reads = [f for f in all_findings(doc) if f["id"] in ("DC001", "DC002")]
    bad = total_seen = total_want = 0
    for row in csv.DictReader(open(tsv), delimiter="\t"):
        lo, hi = float(row["first_ts"]), float(row["last_ts"])
        want = int(row["observed_this_run"].split("=")[1].split("/")[0])
        seen = sum(1 for f in reads if lo - 1e-9 <= f["ts"] < hi + 1e-6)
        total_seen += seen
        total_want += want
        if seen != want:
            bad += 1
            print(f"round {row['round']} {row['id']}: {seen} stale reads reported, "
                  f"{want} observed")
    print(f"stale reads: {total_seen} reported, {total_want} observed")
    return 1 if bad else 0


def sequences(tsv):
    """Rows of an expected.tsv with their time window as floats."""
    for row in csv.DictReader(open(tsv), delimiter="\t"):
        yield row, float(row["first_ts"]), float(row["last_ts"]) + 1e-6


def score(doc, tsv):
    times = [f["ts"] for f in all_findings(doc) if ERROR_ID.match(f["id"])]
    bugs = caught = alarms = 0
    for row, lo, hi in sequences(tsv):
        inside = sum(1 for t in times if lo - 1e-9 <= t < hi)
        if row["verdict"] == "BUG":
            bugs += 1
            caught += inside > 0
            if not inside:
                print(f"missed round {row['round']} {row['id']} ({row['class']})")
        elif inside:
            alarms += 1
            print(f"false alarm round {row['round']} {row['id']}: {inside} findings")
    print(f"caught {caught}/{bugs} bugs, {alarms} false alarms")
    return 0 if caught == bugs and alarms == 0 else 1


def presets(doc):
    for p in doc["files"][0]["platforms"]:
        plat, dev = p["platform"], p["platform"]["device_default"]
        print(p["name"], int(dev["coherent"]), int(dev["bounce"]), int(plat["speculative"]))


def seqs(doc, tsv):
    found = [f for f in all_findings(doc) if ERROR_ID.match(f["id"])]
    out = set()
    for row, lo, hi in sequences(tsv):
        for f in found:
            if lo - 1e-9 <= f["ts"] < hi:
                out.update(f"{row['id']} {p} {f['id']}" for p in f["platforms"])
    for text in sorted(out):
        print(text)


def pairs(doc, preset):
    out = {f"{f['id']} {f['event']} {p}" for f in all_findings(doc)
           if ERROR_ID.match(f["id"]) for p in f.get("platforms", [preset])}
    for text in sorted(out):
        print(text)


def sarif_pairs(doc):
    out = set()
    for r in doc["runs"][0]["results"]:
        props = r["properties"]
        if ERROR_ID.match(r["ruleId"]):
            out.update(f"{r['ruleId']} {props['event']} {p}" for p in props["platforms"])
    for text in sorted(out):
        print(text)


def text_pairs(path):
    """Rows "  DC006 event 13   x  .  x" of the matrix, columns from the legend."""
    rows, names = [], {}
    for text in open(path):
        m = re.match(r"\s+(DC\d{3}) event (\d+)\s+((?:[x.]\s*)+)$", text)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3).split()))
        for num, name in re.findall(r"(\d+)=([\w-]+)", text):
            names[int(num)] = name
    out = {f"{fid} {ev} {names[k + 1]}" for fid, ev, cells in rows
           for k, c in enumerate(cells) if c == "x" and ERROR_ID.match(fid)}
    for text in sorted(out):
        print(text)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "text-pairs":
        return text_pairs(path)
    doc = json.load(open(path))
    if cmd == "errors":
        for f in all_findings(doc):
            if ERROR_ID.match(f["id"]):
                print(line(f))
    elif cmd == "findings":
        for text in sorted(line(f) for f in all_findings(doc)):
            print(text)
    elif cmd == "count":
        print(sum(1 for f in all_findings(doc) if f["id"] in sys.argv[3:]))
    elif cmd == "status":
        if any("error" in fobj for fobj in doc["files"]):
            print(2)
        else:
            print(1 if any(ERROR_ID.match(f["id"]) for f in all_findings(doc)) else 0)
    elif cmd == "field":
        print(doc["files"][0][sys.argv[3]])
    elif cmd == "score":
        return score(doc, sys.argv[3])
    elif cmd == "stale":
        return stale(doc, sys.argv[3])
    elif cmd == "presets":
        presets(doc)
    elif cmd == "seqs":
        seqs(doc, sys.argv[3])
    elif cmd == "pairs":
        pairs(doc, sys.argv[3] if len(sys.argv) > 3 else None)
    elif cmd == "sarif-pairs":
        sarif_pairs(doc)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


sys.exit(main())
