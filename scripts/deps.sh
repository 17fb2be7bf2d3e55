#!/bin/sh
# Make sure the Debian packages dmascope builds and tests with are installed.
# Idempotent: checks first; installs with apt-get only when something is
# missing and we are root; otherwise prints the exact apt-get line and fails.
#
# usage: scripts/deps.sh [--fuzz]     (--fuzz adds clang for `make fuzz`)
set -u

# package  check (a pkg-config module, a header under /usr/include, or a command)
PKGS='
pkg-config          cmd:pkg-config
make                cmd:make
gcc                 cmd:gcc
libncurses-dev      pc:ncursesw
libtraceevent-dev   pc:libtraceevent
libtracefs-dev      pc:libtracefs
libtracecmd-dev     pc:libtracecmd
liblua5.4-dev       pc:lua5.4
libcmocka-dev       pc:cmocka
libexpat1-dev       pc:expat
libcsv-dev          hdr:csv.h
libjansson-dev      pc:jansson
liblzma-dev         pc:liblzma
libzstd-dev         pc:libzstd
zlib1g-dev          pc:zlib
trace-cmd           cmd:trace-cmd
tmux                cmd:tmux
xz-utils            cmd:xz
zstd                cmd:zstd
gzip                cmd:gzip
python3             cmd:python3
universal-ctags     cmd:ctags
binutils            cmd:nm
gcc-mingw-w64-x86-64 cmd:x86_64-w64-mingw32-gcc
mingw-w64-x86-64-dev file:/usr/share/mingw-w64/include/ddk/wdm.h
gettext             cmd:msgfmt
'
FUZZ_PKGS='
clang               cmd:clang
libclang-rt-14-dev  file:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
'

have() {
	case "$1" in
	pc:*)   pkg-config --exists "${1#pc:}" 2>/dev/null ;;
	hdr:*)  [ -f "/usr/include/${1#hdr:}" ] ;;
	cmd:*)  command -v "${1#cmd:}" >/dev/null 2>&1 ;;
	file:*) [ -e "${1#file:}" ] ;;
	esac
}

list="$PKGS"
[ "${1:-}" = "--fuzz" ] && list="$PKGS$FUZZ_PKGS"

missing=$(printf '%s\n' "$list" | while read -r pkg check; do
	[ -n "$pkg" ] || continue
	have "$check" || printf '%s ' "$pkg"
done)

[ -z "$missing" ] && exit 0

line="apt-get update && apt-get install -y --no-install-recommends $missing"
if [ "$(id -u)" != 0 ]; then
	echo "dmascope needs these Debian packages: $missing" >&2
	echo "run as root:  $line" >&2
	exit 1
fi
echo "deps: installing $missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >&2 || {
	echo "deps: apt-get failed; run: $line" >&2
	exit 1
}
