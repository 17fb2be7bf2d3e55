#!/bin/sh
# Seed a fuzz corpus for one reader with the samples and captures.
# usage: scripts/fuzz-seeds.sh NAME CORPUS_DIR     (NAME: dmt, ftrace, etw_csv, etw_xml, packed)
set -eu
name=$1
dir=$2
captures=${CAPTURES:-$(dirname "$0")/../tests/data/captures}
mkdir -p "$dir"
seed() { [ -f "$1" ] && cp "$1" "$dir/seed-$(basename "$(dirname "$1")")-$(basename "$1")"; return 0; }
case $name in
dmt)     for f in traces/samples/*.dmt tests/data/*.dmt; do seed "$f"; done ;;
etw_csv) for f in traces/samples/*.csv tests/data/*.csv; do seed "$f"; done ;;
etw_xml) for f in traces/samples/*.xml tests/data/*.xml; do seed "$f"; done ;;
ftrace)  seed "$captures/buggy/trace.dat"
         if [ -f "$captures/buggy/trace-v6.dat.xz" ] && [ ! -f "$dir/seed-buggy-v6.dat" ]; then
		 xz -dc "$captures/buggy/trace-v6.dat.xz" > "$dir/seed-buggy-v6.dat"
	 fi ;;
packed)  for f in traces/samples/*.ok.dmt traces/samples/etw-busmaster.*; do
		 b=$(basename "$f")
		 xz -c "$f" > "$dir/seed-$b.xz"
		 zstd -qc "$f" > "$dir/seed-$b.zst"
		 gzip -c "$f" > "$dir/seed-$b.gz"
	 done ;;
*)       echo "fuzz-seeds: unknown reader $name" >&2; exit 1 ;;
esac
