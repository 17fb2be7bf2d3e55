#!/bin/sh
# The Dmascope.Dma provider GUID is the EventSource/TraceLogging hash of its
# name (docs/etw.md): recompute it, check the hash against the pair that
# TraceLoggingProvider.h's quick-start comment gives ("MyProvider"), and
# check that the reader and the docs use it.
set -eu
guid() {
	python3 - "$1" <<'PY'
import hashlib, sys, uuid
ns = bytes.fromhex("482C2DB2C39047C887F81A15BFC130FB")
h = bytearray(hashlib.sha1(ns + sys.argv[1].upper().encode("utf-16-be")).digest()[:16])
h[7] = (h[7] & 0x0F) | 0x50
print(uuid.UUID(bytes_le=bytes(h)))
PY
}
fail=0
known=$(guid MyProvider)
[ "$known" = b3864c38-4273-58c5-545b-8b3608343471 ] || { echo "hash gives $known for MyProvider"; fail=1; }
g=$(guid Dmascope.Dma)
grep -q "ETW_PROVIDER_GUID  \"$g\"" traces/etw/etw-local.h || { echo "traces/etw/etw-local.h: not $g"; fail=1; }
grep -q "{$g}" docs/etw.md || { echo "docs/etw.md: not $g"; fail=1; }
grep -q "GUID = \"$g\"" traces/samples/make-etw-samples.py || { echo "make-etw-samples.py: not $g"; fail=1; }
# the TRACELOGGING_DEFINE_PROVIDER form in the docs
form=$(python3 -c 'import sys, uuid
u = uuid.UUID(sys.argv[1])
f = u.fields
print("(0x%08x, 0x%04x, 0x%04x, " % f[:3] + ", ".join("0x%02x" % b for b in u.bytes[8:]) + ")")' "$g")
grep -qF "$form" docs/etw.md || { echo "docs/etw.md: no $form"; fail=1; }
[ "$fail" = 0 ] && echo "t_etw_guid: Dmascope.Dma = {$g}"
exit $fail
