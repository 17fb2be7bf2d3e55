#!/usr/bin/env python3
"""report_props.py - properties every `dmascope check` report of a trace.dat
must have, checked against `trace-cmd report`'s own text for the same file
(whatever findings the engine fires, so the checks survive rule changes):

  - each finding's timestamp is the one trace-cmd prints for its event index;
  - each finding's event line and related lines (map, unmap, write) are
    trace-cmd's lines for those indices;
  - every call named as omitted is a real Linux or Windows function, never
    an engine kind (dma_sync_for_cpu) or a device signal (dev_done);
  - a Linux finding's message and explanation name no Windows call, and a
    Windows finding's no Linux one;
  - the seq and phase named are the marker sequence and phase open at the
    event in trace-cmd's text.

usage: report_props.py TRACE_CMD_REPORT.txt CHECK.txt CHECK.json [CHECK.sarif]
Prints one line per violation; exit 0 when there is none, 1 otherwise.
"""
import json
import re
import sys

REAL = {
    "dma_map_single", "dma_map_page", "dma_unmap_single", "dma_unmap_page",
    "dma_map_sg", "dma_unmap_sg", "dma_map_resource", "dma_unmap_resource",
    "dma_sync_single_for_cpu", "dma_sync_single_for_device",
    "dma_sync_sg_for_cpu", "dma_sync_sg_for_device",
    "dma_alloc_coherent", "dma_free_coherent", "dma_alloc_pages", "dma_free_pages",
    "dma_alloc_noncoherent", "dma_free_noncoherent",
    "KeFlushIoBuffers", "MapTransfer", "MapTransferEx", "FlushAdapterBuffers",
    "FlushAdapterBuffersEx", "GetScatterGatherList", "PutScatterGatherList",
    "FreeMapRegisters", "FreeAdapterChannel", "AllocateCommonBuffer",
    "FreeCommonBuffer", "IoCompleteRequest",
}
# engine kinds that are no kernel function
ENGINE_ONLY = re.compile(r"\b(dma_sync_for_cpu|dma_sync_for_device|dma_map|dma_unmap"
                         r"|dev_done)\b(?![_*])")
# the lines quoting the trace: "trace:  LINE", "map:    event N: LINE", ...
QUOTE = re.compile(r"^ +(?:(trace): {2}()|(map|alloc|unmap|freed|write): +event (\d+): )(.*)$",
                   re.M)
WINDOWS_WORDS = re.compile(r"KeFlushIoBuffers|FlushAdapterBuffers|MapTransfer|ScatterGatherList"
                           r"|CommonBuffer|IoCompleteRequest")
LINUX_WORDS = re.compile(r"\bdma_[a-z_*]+")
TS = re.compile(r"\]\s+(\d+\.\d{6}):")

errors = []


def bad(msg):
    errors.append(msg)
    print("violation: " + msg)


def trace_cmd_lines(path):
    """trace-cmd report's event lines, index = dmascope's event index."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("cpus=") or not TS.search(line):
                continue
            out.append(line)
    return out


def scopes(lines):
    """Per event index: the innermost open seq and phase, as markers say."""
    open_ = []
    per = []
    mark = re.compile(r"\b(seq|phase) (begin|end) (id|name)=(\S+)")
    for line in lines:
        m = mark.search(line)
        if m and m.group(2) == "begin":
            open_.append((m.group(1), "%s begin %s=%s" % (m.group(1), m.group(3), m.group(4))))
        elif m:
            for i in range(len(open_) - 1, -1, -1):
                if open_[i][0] == m.group(1):
                    del open_[i:]
                    break
        seq = next((t for k, t in reversed(open_) if k == "seq"), None)
        phase = next((t for k, t in reversed(open_) if k == "phase"), None)
        per.append((seq, phase))
    return per


def line_at(lines, idx):
    return lines[idx].lstrip() if idx is not None and 0 <= idx < len(lines) else None


def walk(findings):
    for f in findings:
        yield f
        yield from walk(f.get("consequences", []))


def check_json(doc, lines, scope):
    n = 0
    for f in walk(doc["files"][0]["findings"]):
        n += 1
        ev = f["event"]
        want = line_at(lines, ev)
        if want is None:
            bad("event %s is not in trace-cmd's report" % ev)
            continue
        if f["line"] != want:
            bad("event %d: line %r, trace-cmd prints %r" % (ev, f["line"], want))
        if f["ts_text"] != TS.search(want).group(1):
            bad("event %d: ts %s, trace-cmd prints %s" % (ev, f["ts_text"], want))
        if abs(f["ts"] - float(f["ts_text"])) > 5e-7:
            bad("event %d: ts %r differs from ts_text %s" % (ev, f["ts"], f["ts_text"]))
        if f["omitted"] is not None and f["omitted"] not in REAL:
            bad("event %d: omitted %r is no API function" % (ev, f["omitted"]))
        advice = f["message"] + " " + (f["explanation"] or "")
        other = WINDOWS_WORDS if f["api"] == "linux" else LINUX_WORDS
        if other.search(advice):
            bad("event %d: a %s finding gives %s advice: %r" % (
                ev, f["api"], "Windows" if f["api"] == "linux" else "Linux",
                other.search(advice).group(0)))
        for r in f["related"]:
            if r["line"] != line_at(lines, r["event"]):
                bad("event %d: related %s event %s line %r, trace-cmd prints %r" % (
                    ev, r["role"], r["event"], r["line"], line_at(lines, r["event"])))
        if (f["seq"], f["phase"]) != scope[ev]:
            bad("event %d: in %r/%r, the markers say %r" % (ev, f["seq"], f["phase"],
                                                            scope[ev]))
    return n


def check_text(text, lines):
    n = 0
    for m in re.finditer(r"event (\d+) at (\d+\.\d{6})  ", text):
        n += 1
        want = line_at(lines, int(m.group(1)))
        if want is None or TS.search(want).group(1) != m.group(2):
            bad("text: event %s at %s, trace-cmd prints %r" % (m.group(1), m.group(2), want))
    for m in QUOTE.finditer(text):
        label, idx = m.group(1) or m.group(3), m.group(4)
        if idx is None:       # the finding's own event: the head line before it
            heads = re.findall(r"event (\d+) at ", text[:m.start()])
            idx = heads[-1] if heads else None
        if line_at(lines, int(idx)) != m.group(5):
            bad("text: %s line of event %s is %r, trace-cmd prints %r" % (
                label, idx, m.group(5), line_at(lines, int(idx))))
    flat = re.sub(r"\s+", " ", QUOTE.sub("", text))
    for m in re.finditer(r"call omitted or misplaced: (\S+?)[.;]?(?= |$)", flat):
        if m.group(1) not in REAL:
            bad("text: call omitted %r is no API function" % m.group(1))
    for m in ENGINE_ONLY.finditer(flat):
        bad("text: engine kind %r where a function belongs: ...%s..." % (
            m.group(1), flat[max(0, m.start() - 60):m.end() + 20]))
    return n


def check_sarif(doc, lines):
    for r in doc["runs"][0]["results"]:
        loc = r["locations"][0]
        if "region" in loc["physicalLocation"]:
            bad("sarif: a trace.dat result has a line region")
        name = loc["logicalLocations"][0]["name"]
        ev = r["properties"]["event"]
        if name != "event %d" % ev:
            bad("sarif: logical location %r for event %d" % (name, ev))
        if r["properties"]["line"] != line_at(lines, ev):
            bad("sarif: event %d line differs from trace-cmd's" % ev)


def main():
    lines = trace_cmd_lines(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        text = f.read()
    with open(sys.argv[3], encoding="utf-8") as f:
        doc = json.load(f)
    nj = check_json(doc, lines, scopes(lines))
    nt = check_text(text, lines)
    if len(sys.argv) > 4:
        with open(sys.argv[4], encoding="utf-8") as f:
            check_sarif(json.load(f), lines)
    print("checked %d JSON findings, %d text heads: %d violations" % (nj, nt, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
