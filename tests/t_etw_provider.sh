#!/bin/sh
# The Windows side of ETW capture, checked without Windows (issue 12,
# docs/capturing-windows.md):
#
# 1. traces/etw/provider/dmascope_etw.h compiles into a kernel-mode driver
#    (tests/data/etw-driver-stub.c) with Debian's mingw-w64 cross compiler,
#    warnings as errors, linked against ntoskrnl as a native-subsystem image
#    that imports EtwRegister, EtwWriteTransfer and EtwUnregister from
#    ntoskrnl.exe.  Without the cross compiler the test fails and names the
#    packages: it never passes silently.
# 2. The scripted session of tests/test_etw_render.c, rendered as tracerpt's
#    CSV and XML, gives the findings of its .dmt twin under `dmascope check`
#    (event, device, finding), and the expected ones (DC009, DC011).
#
# env: DMASCOPE (the binary), BUILD (build directory: its tests/ holds
# test_etw_render; scratch files go to BUILD/t_etw_provider)
set -u
: "${DMASCOPE:?set DMASCOPE to the dmascope binary}"
build="${BUILD:-build}"
dir="$build/t_etw_provider"
mkdir -p "$dir"
cc=x86_64-w64-mingw32-gcc
objdump=x86_64-w64-mingw32-objdump
ddk=/usr/share/mingw-w64/include/ddk

if ! command -v "$cc" >/dev/null 2>&1 || ! command -v "$objdump" >/dev/null 2>&1 ||
   [ ! -f "$ddk/wdm.h" ]; then
	echo "t_etw_provider: the mingw-w64 cross compiler (x86_64) or its DDK headers are missing;"
	echo "  run as root: apt-get update && apt-get install -y --no-install-recommends" \
	     "gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev"
	exit 1
fi

# ---- 1. the header in a driver ---------------------------------------------------
sys="$dir/etw-driver-stub.sys"
rm -f "$sys"
if ! "$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -Wshadow -I"$ddk" -Itraces/etw/provider \
	-nostdlib -shared -Wl,--subsystem,native -Wl,--entry,DriverEntry \
	-Wl,--exclude-all-symbols -o "$sys" tests/data/etw-driver-stub.c -lntoskrnl \
	>"$dir/cc.log" 2>&1; then
	echo "t_etw_provider: the driver stub does not build:"
	cat "$dir/cc.log"
	exit 1
fi
# and once more with -Wconversion, the DDK as system headers (its own inline
# helpers convert signs freely): the provider's headers must stay clean
if ! "$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -Wshadow -Wconversion -isystem "$ddk" \
	-Itraces/etw/provider -c -o "$dir/etw-driver-stub.o" tests/data/etw-driver-stub.c \
	>"$dir/cc-conversion.log" 2>&1; then
	echo "t_etw_provider: the driver stub has conversion warnings:"
	cat "$dir/cc-conversion.log"
	exit 1
fi
"$objdump" -p "$sys" >"$dir/objdump.txt" || exit 1
grep -q 'Subsystem.*(NT native)' "$dir/objdump.txt" || {
	echo "t_etw_provider: $sys is not a native-subsystem image"
	exit 1
}
# the names listed under "DLL Name: ntoskrnl.exe", up to the next blank line
imports=$(sed -n '/DLL Name: ntoskrnl.exe/,/^$/p' "$dir/objdump.txt" | awk 'NF >= 3 { print $NF }')
for f in EtwRegister EtwWriteTransfer EtwUnregister; do
	printf '%s\n' "$imports" | grep -qx "$f" || {
		echo "t_etw_provider: $sys does not import $f from ntoskrnl.exe; it imports:"
		printf '  %s\n' $imports
		exit 1
	}
done

# ---- 2. the rendered exports against the .dmt --------------------------------------
"$build/tests/test_etw_render" --render "$dir" || {
	echo "t_etw_provider: $build/tests/test_etw_render --render failed"
	exit 1
}
cp tests/data/etw-provider-session.dmt "$dir/session.dmt"
fail=0
for f in session.csv session.xml session.dmt; do
	"$DMASCOPE" check --platform nt-busmaster "$dir/$f" >"$dir/$f.out" 2>"$dir/$f.err"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "t_etw_provider: dmascope check $dir/$f exited $rc:"
		cat "$dir/$f.err"
		fail=1
	fi
	# "  event 10 at 0.000090  nic0  DC009 flush-status-ignored" -> "10 nic0 DC009"
	awk '$1 == "event" && $3 == "at" { print $2, $5, $6 }' "$dir/$f.out" >"$dir/$f.findings"
done
[ "$fail" = 0 ] || exit 1
for want in DC009 DC011; do
	grep -q " $want\$" "$dir/session.csv.findings" || {
		echo "t_etw_provider: no $want among the CSV's findings:"
		cat "$dir/session.csv.findings"
		exit 1
	}
done
for f in session.xml session.dmt; do
	if ! cmp -s "$dir/session.csv.findings" "$dir/$f.findings"; then
		echo "t_etw_provider: $f and session.csv disagree (event device finding):"
		diff "$dir/session.csv.findings" "$dir/$f.findings"
		fail=1
	fi
done
[ "$fail" = 0 ] || exit 1
echo "t_etw_provider: the driver stub imports EtwRegister/EtwWriteTransfer/EtwUnregister;" \
     "$(wc -l <"$dir/session.csv.findings") findings, the same from CSV, XML and .dmt"
