#!/bin/sh
# The layering rules of the house (docs/architecture.md), checked on the
# built objects; run by `make check-layers` and by `make test`.
#  1. engine/ includes no curses, Lua, libtraceevent or libtracecmd header;
#  2. every symbol libcoh.a exports starts with coh_ (it shares one binary
#     with Lua, ncurses and libtracecmd);
#  3. no two files call each other in a circle (scripts/call-graph.py),
#     within each library and between the libraries;
#  4. no source file over 800 lines (scripts/house.sh).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
st=0
fail() { echo "check-layers: $*" >&2; st=1; }

if grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses[a-z]*\.h|curses\.h|lua\.h|lauxlib\.h|lualib\.h|luaconf\.h|trace-cmd/|trace-cmd\.h|event-parse\.h|traceevent/|kbuffer\.h|trace-seq\.h|tracefs)' \
	--include='*.[ch]' engine; then
	fail "engine/ must not include curses, Lua, libtraceevent or libtracecmd headers"
fi

bad=$(nm -g --defined-only "$BUILD/libcoh.a" | awk 'NF == 3 && $2 ~ /^[TDBRC]$/ && $3 !~ /^coh_/ { print $3 }' | sort -u)
[ -z "$bad" ] || fail "engine symbols without the coh_ prefix: $(echo $bad)"

objs() { find "$BUILD/$1" -name '*.o' 2>/dev/null | sort; }
for lib in engine traces tui lessons; do
	o=$(objs $lib)
	[ -n "$o" ] || continue
	scripts/call-graph.py $o || fail "$lib/: files call each other in a circle (above)"
done
# between libraries, each library one node: tui -> lessons -> traces -> engine
names() { objs $1 | xargs -r -n1 basename | sed 's/\.o$/.c/' | tr '\n' ' '; }
scripts/call-graph.py --group "$(names engine)" --group "$(names traces)" \
	--group "$(names lessons)" --group "$(names tui)" \
	$(objs engine) $(objs traces) $(objs lessons) $(objs tui) >/dev/null ||
	fail "the libraries call each other in a circle (engine <- traces <- lessons <- tui)"

scripts/house.sh || fail "a file is over 800 lines"
[ $st = 0 ] && echo "check-layers: engine includes, coh_ prefix, no call circle, file sizes: clean"
exit $st
