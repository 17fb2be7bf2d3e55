#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the ETW sample scenario (docs/etw.md, "Samples") as the three files
dmascope reads it from:

    etw-busmaster.csv   what `tracerpt trace.etl -of CSV` prints
    etw-busmaster.xml   what `tracerpt trace.etl -of XML` prints
    etw-busmaster.dmt   the same events in the native text format

The scenario is written once, below, so the three cannot drift apart.
Run from anywhere: python3 traces/samples/make-etw-samples.py
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROVIDER = "Dmascope.Dma"
GUID = "5d575051-8be8-565a-febc-6f88289697b8"
EVENTTRACE_GUID = "68fdd900-4a3e-11d1-84f4-0000f80464e3"
POWER_GUID = "331c3b3a-2005-44c2-ac5e-77220c37d6b4"
NS = "http://schemas.microsoft.com/win/2004/08/events/event"
FT_BASE = 133594614000000000          # 2024-05-06T09:30:00Z as a FILETIME

# field order of each event, as docs/etw.md and traces/etw_schema.c give it
MDL = ["MdlCount", "MdlPhysicalAddress", "MdlByteCount"]
HEAD = ["Device", "Irp", "Mdl", "MapRegisterBase", "Offset", "Length", "WriteToDevice"]
SCHEMA = {
    "AllocateCommonBuffer": ["Device", "Length", "CacheEnabled", "LogicalAddress",
                             "PhysicalAddress", "VirtualAddress"],
    "FreeCommonBuffer": ["Device", "Length", "LogicalAddress", "PhysicalAddress",
                         "VirtualAddress", "CacheEnabled"],
    "KeFlushIoBuffers": ["Device", "Irp", "Mdl", "PhysicalAddress", "ByteCount",
                         "ReadOperation", "DmaOperation"],
    "MapTransfer": HEAD + MDL + ["LogicalAddress"],
    "MapTransferEx": HEAD + MDL + ["LogicalAddress", "Status"],
    "FlushAdapterBuffers": HEAD + MDL + ["Result"],
    "FlushAdapterBuffersEx": HEAD + MDL + ["Status"],
    "GetScatterGatherList": ["Device", "Irp", "Mdl", "ScatterGatherList", "Offset", "Length",
                             "WriteToDevice", "ElementCount", "ElementPhysicalAddress",
                             "ElementLogicalAddress", "ElementLength", "Status"],
    "PutScatterGatherList": ["Device", "Irp", "ScatterGatherList", "WriteToDevice"],
    "FreeMapRegisters": ["Device", "Irp", "MapRegisterBase", "NumberOfMapRegisters"],
    "FreeAdapterChannel": ["Device", "Irp"],
    "IoCompleteRequest": ["Device", "Irp", "Status", "Information"],
    "CpuRead": ["PhysicalAddress", "Length"],
    "CpuWrite": ["PhysicalAddress", "Length", "Data"],
    "DeviceRead": ["Device", "LogicalAddress", "Length"],
    "DeviceWrite": ["Device", "LogicalAddress", "Length", "Data"],
    "DeviceDone": ["Device", "MapRegisterBase"],
    "Mark": ["Text"],
    "SequenceBegin": ["Name"],
    "SequenceEnd": ["Name"],
}

STATUS = {"STATUS_SUCCESS": 0, "STATUS_INVALID_PARAMETER": 0xC000000D}


def ptr(v):
    return "0x%016X" % v


def hexa(v):
    return "0x%X" % v


# ---- the scenario ---------------------------------------------------------------------

def irp(n):
    return 0xFFFFA50F10000000 + n * 0x1000


def mdl(n):
    return 0xFFFFA50F20000000 + n * 0x100


def mrb(n):
    return 0xFFFFA50F30000000 + n * 0x40


class Scenario:
    def __init__(self):
        self.events = []     # (provider, name, cpu, tick, fields) ; provider None = ours
        self.tick = 0

    def at(self, dt):
        self.tick += dt

    def ev(self, name, cpu=0, **f):
        assert list(f) == SCHEMA[name], (name, list(f))
        self.tick += 37
        self.events.append((None, name, cpu, self.tick, f))

    def foreign(self, kind, cpu, fields):
        self.tick += 11
        self.events.append((kind, None, cpu, self.tick, fields))


def transfer(s, dev, n, buf, nbytes, wtd, cpu_dpc=1):
    """Arguments shared by MapTransfer and FlushAdapterBuffers of one packet."""
    return dict(Device=dev, Irp=irp(n), Mdl=mdl(n), MapRegisterBase=mrb(n), Offset=0,
                Length=nbytes, WriteToDevice=wtd, MdlCount=1, MdlPhysicalAddress=[buf],
                MdlByteCount=[nbytes])


def v2_receive(s, name, n, buf, flush_ok):
    s.ev("SequenceBegin", Name=name)
    s.ev("KeFlushIoBuffers", Device="nic0", Irp=irp(n), Mdl=mdl(n), PhysicalAddress=buf,
         ByteCount=512, ReadOperation=True, DmaOperation=True)
    s.ev("MapTransfer", **transfer(s, "nic0", n, buf, 512, False), LogicalAddress=buf)
    s.ev("DeviceWrite", Device="nic0", LogicalAddress=buf, Length=512, Data=b"")
    s.ev("DeviceDone", Device="nic0", MapRegisterBase=mrb(n))
    s.ev("FlushAdapterBuffers", cpu=1, **transfer(s, "nic0", n, buf, 512, False),
         Result=flush_ok)
    s.ev("FreeMapRegisters", cpu=1, Device="nic0", Irp=irp(n), MapRegisterBase=mrb(n),
         NumberOfMapRegisters=1)
    s.ev("IoCompleteRequest", cpu=1, Device="nic0", Irp=irp(n), Status="STATUS_SUCCESS",
         Information=512)
    s.ev("CpuRead", cpu=1, PhysicalAddress=buf, Length=512)
    s.ev("SequenceEnd", Name=name)


def v2_transmit(s):
    n, buf = 2, 0x10001000
    payload = bytes((0x40 + i) for i in range(64))
    s.ev("SequenceBegin", Name="v2-transmit-correct")
    s.ev("CpuWrite", PhysicalAddress=buf, Length=64, Data=payload)
    s.ev("KeFlushIoBuffers", Device="nic0", Irp=irp(n), Mdl=mdl(n), PhysicalAddress=buf,
         ByteCount=64, ReadOperation=False, DmaOperation=True)
    s.ev("MapTransfer", **transfer(s, "nic0", n, buf, 64, True), LogicalAddress=buf)
    s.ev("DeviceRead", Device="nic0", LogicalAddress=buf, Length=64)
    s.ev("DeviceDone", Device="nic0", MapRegisterBase=mrb(n))
    s.ev("FlushAdapterBuffers", cpu=1, **transfer(s, "nic0", n, buf, 64, True), Result=True)
    s.ev("FreeAdapterChannel", cpu=1, Device="nic0", Irp=irp(n))
    s.ev("IoCompleteRequest", cpu=1, Device="nic0", Irp=irp(n), Status="STATUS_SUCCESS",
         Information=64)
    s.ev("SequenceEnd", Name="v2-transmit-correct")


def common_buffer(s):
    phys, va = 0x20000000, 0xFFFFA50F40000000
    s.ev("SequenceBegin", Name="common-buffer-missing-KeFlushIoBuffers")
    s.ev("AllocateCommonBuffer", Device="snd0", Length=256, CacheEnabled=True,
         LogicalAddress=phys, PhysicalAddress=phys, VirtualAddress=va)
    s.ev("CpuWrite", PhysicalAddress=phys, Length=64, Data=b"")
    s.ev("DeviceWrite", Device="snd0", LogicalAddress=phys, Length=128, Data=b"")
    s.ev("CpuRead", PhysicalAddress=phys, Length=128)
    s.ev("FreeCommonBuffer", Device="snd0", Length=256, LogicalAddress=phys,
         PhysicalAddress=phys, VirtualAddress=va, CacheEnabled=True)
    s.ev("SequenceEnd", Name="common-buffer-missing-KeFlushIoBuffers")


def chain(n, bufs, lens, wtd, off, length):
    return dict(Device="disk0", Irp=irp(n), Mdl=mdl(n), MapRegisterBase=mrb(n), Offset=off,
                Length=length, WriteToDevice=wtd, MdlCount=len(bufs), MdlPhysicalAddress=bufs,
                MdlByteCount=lens)


def v3_bad_offset(s):
    n, bufs, lens, logical = 4, [0x30000000, 0x30002000], [512, 512], 0x80000000
    s.ev("SequenceBegin", Name="v3-FlushAdapterBuffersEx-bad-offset")
    s.ev("MapTransferEx", **chain(n, bufs, lens, False, 0, 1024), LogicalAddress=logical,
         Status="STATUS_SUCCESS")
    s.ev("DeviceWrite", Device="disk0", LogicalAddress=logical, Length=1024, Data=b"")
    s.ev("DeviceDone", Device="disk0", MapRegisterBase=mrb(n))
    s.ev("FlushAdapterBuffersEx", cpu=1, **chain(n, bufs, lens, False, 2048, 1024),
         Status="STATUS_INVALID_PARAMETER")
    s.ev("FreeMapRegisters", cpu=1, Device="disk0", Irp=irp(n), MapRegisterBase=mrb(n),
         NumberOfMapRegisters=2)
    s.ev("IoCompleteRequest", cpu=1, Device="disk0", Irp=irp(n),
         Status="STATUS_INVALID_PARAMETER", Information=0)
    s.ev("SequenceEnd", Name="v3-FlushAdapterBuffersEx-bad-offset")


def v3_transmit(s):
    n, bufs, lens, logical = 5, [0x30004000, 0x30006000], [128, 128], 0x80010000
    s.ev("SequenceBegin", Name="v3-transmit-correct")
    s.ev("CpuWrite", PhysicalAddress=bufs[0], Length=128, Data=b"")
    s.ev("CpuWrite", PhysicalAddress=bufs[1], Length=128, Data=b"")
    s.ev("MapTransferEx", **chain(n, bufs, lens, True, 0, 256), LogicalAddress=logical,
         Status="STATUS_SUCCESS")
    s.ev("DeviceRead", Device="disk0", LogicalAddress=logical, Length=256)
    s.ev("DeviceDone", Device="disk0", MapRegisterBase=mrb(n))
    s.ev("FlushAdapterBuffersEx", cpu=1, **chain(n, bufs, lens, True, 0, 256),
         Status="STATUS_SUCCESS")
    s.ev("FreeMapRegisters", cpu=1, Device="disk0", Irp=irp(n), MapRegisterBase=mrb(n),
         NumberOfMapRegisters=2)
    s.ev("IoCompleteRequest", cpu=1, Device="disk0", Irp=irp(n), Status="STATUS_SUCCESS",
         Information=256)
    s.ev("SequenceEnd", Name="v3-transmit-correct")


def scatter_gather(s):
    n, buf, sgl = 6, 0x30008000, 0xFFFFA50F50000000
    s.ev("SequenceBegin", Name="scatter-gather-receive")
    s.ev("KeFlushIoBuffers", Device="disk0", Irp=irp(n), Mdl=mdl(n), PhysicalAddress=buf,
         ByteCount=4096, ReadOperation=True, DmaOperation=True)
    s.ev("GetScatterGatherList", Device="disk0", Irp=irp(n), Mdl=mdl(n), ScatterGatherList=sgl,
         Offset=0, Length=4096, WriteToDevice=False, ElementCount=2,
         ElementPhysicalAddress=[buf, buf + 2048], ElementLogicalAddress=[0x90000000, 0x90010000],
         ElementLength=[2048, 2048], Status="STATUS_SUCCESS")
    s.ev("DeviceWrite", Device="disk0", LogicalAddress=0x90000000, Length=2048, Data=b"")
    s.ev("DeviceWrite", Device="disk0", LogicalAddress=0x90010000, Length=2048, Data=b"")
    s.ev("DeviceDone", Device="disk0", MapRegisterBase=sgl)
    s.ev("PutScatterGatherList", cpu=1, Device="disk0", Irp=irp(n), ScatterGatherList=sgl,
         WriteToDevice=False)
    s.ev("IoCompleteRequest", cpu=1, Device="disk0", Irp=irp(n), Status="STATUS_SUCCESS",
         Information=4096)
    s.ev("CpuRead", cpu=1, PhysicalAddress=buf, Length=4096)
    s.ev("SequenceEnd", Name="scatter-gather-receive")


def scenario():
    s = Scenario()
    s.foreign("header", 0, None)
    s.ev("Mark", Text="dmademo driver self-test, 6 sequences")
    v2_receive(s, "v2-receive-correct", 1, 0x10000000, True)
    v2_transmit(s)
    s.foreign("power", 1, ["0x0", "2"])
    common_buffer(s)
    v2_receive(s, "FlushAdapterBuffers-fails-IRP-succeeds", 3, 0x10002000, False)
    v3_bad_offset(s)
    v3_transmit(s)
    scatter_gather(s)
    s.ev("Mark", Text='done: "all" transfers ended, see findings')
    return s


# ---- rendering values as tracerpt does ----------------------------------------------------

def render(name, field, v):
    """One scalar value as text (arrays are handled by the callers)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, bytes):
        return "0x" + v.hex().upper() if v else ""
    if isinstance(v, str):
        if field == "Status":
            return "0x%08X" % STATUS[v]
        return v
    if field in ("Irp", "Mdl", "MapRegisterBase", "ScatterGatherList", "VirtualAddress"):
        return ptr(v)
    if "Address" in field:
        return hexa(v)
    return str(v)


def values(name, f):
    """(field, [text, ...]) in schema order; arrays give one text per element."""
    out = []
    for field in SCHEMA[name]:
        v = f[field]
        items = v if isinstance(v, list) else [v]
        out.append((field, [render(name, field, x) for x in items]))
    return out


def filetime(tick):
    return FT_BASE + tick


def iso(tick):
    ft = filetime(tick)
    secs, frac = divmod(ft, 10**7)
    days, rem = divmod(secs, 86400)
    import datetime
    d = datetime.datetime(1601, 1, 1) + datetime.timedelta(days=days, seconds=rem)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%07dZ" % frac


HEADER_FIELDS = [("BufferSize", "65536"), ("Version", "83951626"), ("ProviderVersion", "22631"),
                 ("NumberOfProcessors", "2"), ("EndTime", str(FT_BASE + 100000)),
                 ("TimerResolution", "156250"), ("MaxFileSize", "0"),
                 ("LogFileMode", "0x00000001"), ("BuffersWritten", "2"), ("StartBuffers", "1"),
                 ("PointerSize", "8"), ("EventsLost", "0"), ("CPUSpeed", "2496"),
                 ("LoggerName", "dmademo"), ("LogFileName", "C:\\traces\\dmademo.etl"),
                 ("BootTime", str(FT_BASE - 36000000000)), ("PerfFreq", "10000000"),
                 ("StartTime", str(FT_BASE)), ("ReservedFlags", "1"), ("BuffersLost", "0")]
POWER_FIELDS = ["Reason", "Count"]


# ---- CSV ------------------------------------------------------------------------------------

CSV_COLS = ["Event Name", "Type", "Event ID", "Version", "Channel", "Level", "Opcode", "Task",
            "Keyword", "PID", "TID", "Processor Number", "Instance ID", "Parent Instance ID",
            "Activity ID", "Related Activity ID", "Clock-Time", "Kernel(ms)", "User(ms)",
            "User Data"]
ZERO_GUID = "{00000000-0000-0000-0000-000000000000}"


def csv_cell(s):
    if any(c in s for c in ',"\r\n') or s != s.strip():
        return '"' + s.replace('"', '""') + '"'
    return s


def csv_row(cells):
    return ", ".join(csv_cell(c) for c in cells) + "\r\n"


def csv_fixed(evname, typ, evid, ver, level, task, pid, tid, cpu, tick):
    return [evname, typ, str(evid), str(ver), "0", str(level), "0", task,
            "0x0000000000000000", "0x%08X" % pid, "0x%08X" % tid, str(cpu), "", "", ZERO_GUID,
            "", str(filetime(tick)), "0", "0"]


def write_csv(s, path):
    out = [csv_row(CSV_COLS)]
    for prov, name, cpu, tick, f in s.events:
        if prov == "header":
            row = csv_fixed("EventTrace", "Header", 0, 2, 0, "0", 0, 0, cpu, tick)
            row += [v for _, v in HEADER_FIELDS]
        elif prov == "power":
            row = csv_fixed("Microsoft-Windows-Kernel-Power", "Info", 95, 0, 4, "0", 4, 0x58,
                            cpu, tick) + f
        else:
            row = csv_fixed(PROVIDER, "Info", 0, 0, 5, name, 4, 0x78 + cpu, cpu, tick)
            for _, items in values(name, f):
                row += items
        out.append(csv_row(row))
    with open(path, "w", newline="") as fh:
        fh.write("".join(out))


# ---- XML ------------------------------------------------------------------------------------

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def xml_system(prov_attrs, evid, ver, level, pid, tid, cpu, tick):
    return ("\t<System>\n"
            "\t\t<Provider %s/>\n"
            "\t\t<EventID>%d</EventID>\n"
            "\t\t<Version>%d</Version>\n"
            "\t\t<Level>%d</Level>\n"
            "\t\t<Task>0</Task>\n"
            "\t\t<Opcode>0</Opcode>\n"
            "\t\t<Keywords>0x0</Keywords>\n"
            "\t\t<TimeCreated SystemTime=\"%s\"/>\n"
            "\t\t<Correlation ActivityID=\"%s\"/>\n"
            "\t\t<Execution ProcessID=\"%d\" ThreadID=\"%d\" ProcessorID=\"%d\" KernelTime=\"0\" "
            "UserTime=\"0\"/>\n"
            "\t\t<Channel/>\n"
            "\t\t<Computer/>\n"
            "\t</System>\n") % (prov_attrs, evid, ver, level, iso(tick), ZERO_GUID, pid, tid, cpu)


def xml_data(pairs):
    if not pairs:
        return "\t<EventData/>\n"
    body = "".join("\t\t<Data Name=\"%s\">%s</Data>\n" % (n, esc(v)) for n, v in pairs)
    return "\t<EventData>\n" + body + "\t</EventData>\n"


def xml_render(opcode, provider, task, trace_name=None):
    s = "\t<RenderingInfo Culture=\"en-US\">\n\t\t<Opcode>%s</Opcode>\n" % opcode
    s += "\t\t<Provider>%s</Provider>\n" % provider
    if task:
        s += "\t\t<Task>%s</Task>\n" % task
    if trace_name:
        s += ("\t\t<EventName xmlns=\"http://schemas.microsoft.com/win/2004/08/events/trace\">"
              "%s</EventName>\n") % trace_name
    return s + "\t</RenderingInfo>\n"


def write_xml(s, path):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n']
    for prov, name, cpu, tick, f in s.events:
        out.append('<Event xmlns="%s">\n' % NS)
        if prov == "header":
            out.append(xml_system('Guid="{%s}" ' % EVENTTRACE_GUID, 0, 2, 0, 0, 0, cpu, tick))
            out.append(xml_data(HEADER_FIELDS))
            out.append(xml_render("Header", "MSNT_SystemTrace", None, "EventTrace"))
        elif prov == "power":
            out.append(xml_system('Name="Microsoft-Windows-Kernel-Power" Guid="{%s}" '
                                  % POWER_GUID, 95, 0, 4, 4, 0x58, cpu, tick))
            out.append(xml_data(list(zip(POWER_FIELDS, f))))
            out.append(xml_render("Info", "Microsoft-Windows-Kernel-Power", "Idle"))
        else:
            out.append(xml_system('Name="%s" Guid="{%s}" ' % (PROVIDER, GUID), 0, 0, 5, 4,
                                  0x78 + cpu, cpu, tick))
            pairs = [(field, item) for field, items in values(name, f) for item in items]
            out.append(xml_data(pairs))
            out.append(xml_render("Info", PROVIDER, name))
        out.append("</Event>\n")
    out.append("</Events>\n")
    with open(path, "w", newline="\n") as fh:
        fh.write("".join(out))


# ---- .dmt (docs/trace-format.md) ---------------------------------------------------------

DMT_HEAD = """\
# etw-busmaster.dmt: the ETW sample scenario of docs/etw.md ("Samples") in the
# native format, written with etw-busmaster.csv and .xml by
# make-etw-samples.py (edit that, not this file).  The same engine events as
# the two exports, so `dmascope check` must report the same findings on all
# three (tests/t_etw_samples.sh):
#
# - timestamps are those of the exports, in seconds since their first
#   Dmascope.Dma event;
# - src= gives each event its index in the exports, which also hold the
#   EventTrace header (event 0) and an event of another provider (event 22);
# - no platform line: like an ETW export, the file leaves the platform to
#   `dmascope check --platform` (the exports were meant for nt-busmaster);
# - `ends open`: a capture that simply stops leaks nothing at its end;
# - what the engine does not replay is left out, as the readers leave it out
#   (IRPs of calls that take none, Mdl pointers, the status of MapTransferEx
#   and GetScatterGatherList, IoCompleteRequest's device).
#
# Sequences: v2-receive-correct, v2-transmit-correct (nothing to report);
# common-buffer-missing-KeFlushIoBuffers (DC003, stale read as consequence);
# FlushAdapterBuffers-fails-IRP-succeeds (DC009); v3-FlushAdapterBuffersEx-
# bad-offset (DC011); v3-transmit-correct, scatter-gather-receive (nothing).
dmascope-trace 1
device nic0
device snd0
device disk0
ends open
"""


def dmt_text(t):
    return '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dmt_bool(v):
    return "TRUE" if v else "FALSE"


def dmt_chain(f, with_bus=False):
    if "ElementCount" in f:
        return ["seg=0x%x,0x%x,%d" % (a, b, n) for a, b, n in
                zip(f["ElementPhysicalAddress"], f["ElementLogicalAddress"], f["ElementLength"])]
    return ["seg=0x%x,-,%d" % (a, n) for a, n in zip(f["MdlPhysicalAddress"], f["MdlByteCount"])]


def dmt_xfer(kind, f, base, tail):
    out = [kind, "dev=" + f["Device"]]
    if "LogicalAddress" in f:
        out.append("bus=0x%x" % f["LogicalAddress"])
    out += dmt_chain(f)
    if f["Offset"]:
        out.append("off=%d" % f["Offset"])
    out += ["len=%d" % f["Length"], "handle=0x%x" % f[base], "irp=0x%x" % f["Irp"],
            "WriteToDevice=" + dmt_bool(f["WriteToDevice"])]
    return out + tail


def dmt_fields(name, f):
    if name == "Mark":
        return ["mark", "text=" + dmt_text(f["Text"])]
    if name in ("SequenceBegin", "SequenceEnd"):
        return ["begin" if name == "SequenceBegin" else "end", "scope=seq",
                "text=" + dmt_text(f["Name"])]
    if name in ("CpuRead", "CpuWrite"):
        out = ["cpu_read" if name == "CpuRead" else "cpu_write",
               "addr=0x%x" % f["PhysicalAddress"], "len=%d" % f["Length"]]
        return out + (["data=" + f["Data"].hex()] if f.get("Data") else [])
    if name in ("DeviceRead", "DeviceWrite"):
        out = ["dev_read" if name == "DeviceRead" else "dev_write", "dev=" + f["Device"],
               "addr=0x%x" % f["LogicalAddress"], "len=%d" % f["Length"]]
        return out + (["data=" + f["Data"].hex()] if f.get("Data") else [])
    if name == "DeviceDone":
        return ["dev_done", "dev=" + f["Device"], "handle=0x%x" % f["MapRegisterBase"]]
    if name in ("AllocateCommonBuffer", "FreeCommonBuffer"):
        out = [name, "dev=" + f["Device"], "addr=0x%x" % f["PhysicalAddress"],
               "bus=0x%x" % f["LogicalAddress"], "len=%d" % f["Length"]]
        return out + (["CacheEnabled=" + dmt_bool(f["CacheEnabled"])]
                      if name == "AllocateCommonBuffer" else [])
    if name == "KeFlushIoBuffers":
        return [name, "dev=" + f["Device"], "seg=0x%x,-,%d" % (f["PhysicalAddress"],
                f["ByteCount"]), "ReadOperation=" + dmt_bool(f["ReadOperation"]),
                "DmaOperation=" + dmt_bool(f["DmaOperation"])]
    if name in ("MapTransfer", "MapTransferEx"):
        return dmt_xfer(name, f, "MapRegisterBase", [])
    if name == "FlushAdapterBuffers":
        return dmt_xfer(name, f, "MapRegisterBase", ["status=" + dmt_bool(f["Result"])])
    if name == "FlushAdapterBuffersEx":
        return dmt_xfer(name, f, "MapRegisterBase", ["status=" + f["Status"]])
    if name == "GetScatterGatherList":
        return dmt_xfer(name, f, "ScatterGatherList", [])
    if name == "PutScatterGatherList":
        return [name, "dev=" + f["Device"], "handle=0x%x" % f["ScatterGatherList"],
                "WriteToDevice=" + dmt_bool(f["WriteToDevice"])]
    if name == "FreeMapRegisters":
        return [name, "dev=" + f["Device"], "handle=0x%x" % f["MapRegisterBase"]]
    if name == "FreeAdapterChannel":
        return [name, "dev=" + f["Device"]]
    if name == "IoCompleteRequest":
        return [name, "irp=0x%x" % f["Irp"], "status=" + f["Status"]]
    raise ValueError(name)


def write_dmt(s, path):
    out = [DMT_HEAD, "\n"]
    first = next(tick for prov, _, _, tick, _ in s.events if prov is None)
    ordinal = 0
    for src, (prov, name, cpu, tick, f) in enumerate(s.events):
        if prov is not None:
            continue
        ns = (tick - first) * 100
        words = dmt_fields(name, f)
        if cpu:
            words.insert(1, "cpu=%d" % cpu)
        if src != ordinal:
            words.append("src=%d" % src)
        ts = "%d.%09d " % divmod(ns, 10**9) if ns else ""
        out.append(ts + " ".join(words) + "\n")
        ordinal += 1
    with open(path, "w", newline="\n") as fh:
        fh.write("".join(out))


def main():
    s = scenario()
    write_csv(s, os.path.join(HERE, "etw-busmaster.csv"))
    write_xml(s, os.path.join(HERE, "etw-busmaster.xml"))
    write_dmt(s, os.path.join(HERE, "etw-busmaster.dmt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
