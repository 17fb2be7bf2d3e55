#!/bin/sh
# t_lesson.sh - dmascope lesson: --list names every lesson with its title in
# the language asked for; --check passes every lesson in every language; a
# lesson whose claims the engine contradicts, or that errs, fails the check
# with exit 1 naming the lesson, the step and the reason; the checker writes
# no progress; the lesson screen without a terminal fails cleanly.
. "$(dirname "$0")/cli-lib.sh"

export XDG_STATE_HOME="$TMP/state"

expect_status 0 "lesson --list" "$DMASCOPE" lesson --list --lang en
check "--list names lesson 1" grep -q '^dma-cache ' "$TMP/out"
check "--list names lesson 2 and its prerequisite" grep -q 'requires: dma-cache' "$TMP/out"
expect_status 0 "lesson --list --lang ru" "$DMASCOPE" lesson --list --lang ru
check "--list --lang ru shows the Russian title" grep -q 'без KeFlushIoBuffers' "$TMP/out"
LANG=zh_CN.UTF-8 expect_status 0 "lesson --list under LANG=zh_CN" env LANG=zh_CN.UTF-8 \
	LC_ALL= LC_MESSAGES= "$DMASCOPE" lesson --list
check "LANG=zh_CN picks the Chinese titles" grep -q '缓存' "$TMP/out"

# progress: --list reads it; a line it cannot read is skipped with a warning
mkdir -p "$TMP/state/dmascope"
printf 'dmascope-progress 1\nlesson kef-read done=1 answered=3 first_try=2\n%%s\n' \
	'lesson dma-cache done=?' >"$TMP/state/dmascope/progress"
expect_status 0 "lesson --list with a damaged progress file" "$DMASCOPE" lesson --list --lang en
check "--list shows the progress kept" grep -q 'progress: done, 3 answered, 2 right the first time' "$TMP/out"
check "--list warns of the damaged line" grep -q 'warning: .*1 line could not be read' "$TMP/err"
rm -rf "$TMP/state"

"$DMASCOPE" lesson --list --lang en | awk '/^[a-z0-9]/ { print $1 }' >"$TMP/ids"
check "--list finds the eighteen lessons" test "$(wc -l <"$TMP/ids")" -ge 18
expect_status 0 "lesson --check --lang all" "$DMASCOPE" lesson --check --lang all
for id in $(cat "$TMP/ids"); do
	for l in en ru zh; do
		check "$id passes in $l" grep -q "^ok   $id \[$l\]" "$TMP/out"
	done
done
check "the checker writes no progress" test ! -e "$TMP/state/dmascope/progress"
expect_status 0 "lesson --check 2 (by number)" "$DMASCOPE" lesson --check 2 --lang en
check "--check 2 checks kef-read only" test "$(grep -c '^ok' "$TMP/out")" -eq 1
expect_status 2 "lesson --check of no such lesson" "$DMASCOPE" lesson --check nosuch
# the lesson screen without a terminal: a clear message and exit 2, at once
expect_status 2 "lesson NAME without a terminal fails cleanly" \
	timeout 20 "$DMASCOPE" lesson kef-read </dev/null
check "... saying it needs a terminal" grep -q 'must be a terminal' "$TMP/err"
check "... and nothing on standard output" test ! -s "$TMP/out"

# a teacher's lesson whose claims are wrong: the wrong id, the wrong byte
mkdir -p "$TMP/mine"
cat >"$TMP/mine/wrong.lua" <<'LUA'
local s
return {
  id = "wrong", languages = {"en"}, title = "Wrong claims", teaches = "nothing",
  steps = {
    { run = function()
        local p = dma.platform("arm-noncoherent")
        p:device("eth0")
        s = dma.sim(p)
        s:cpu_write{addr = 0x80000, len = 64}
        s:dma_map{dev = "eth0", addr = 0x80000, bus = 0x80000, len = 64, dir = "FROM_DEVICE"}
        s:dev_write{dev = "eth0", addr = 0x80000, len = 64, data = string.rep("55", 64)}
        s:cpu_read{addr = 0x80000, len = 4}
        s:dma_unmap{dev = "eth0", bus = 0x80000, len = 64, dir = "FROM_DEVICE"}
      end },
    { predict = "Which byte does the CPU read?", answer = 0xaa,
      verify = function() return s:cpu_byte(0x80000) end, explain = "..." },
    { expect = {"DC003"} },
    { omissions = {{ call = "dma_map", gives = {} }} },
  },
}
LUA
expect_status 1 "a lesson with wrong claims fails --check" \
	"$DMASCOPE" lesson --lessons "$TMP/mine" --check wrong --lang en
check "it names the lesson, step 2 and the engine's byte" \
	grep -q '^FAIL wrong \[en\] step 2 (predict): the engine answers' "$TMP/out"
check "it names step 3 and the findings" \
	grep -q '^FAIL wrong \[en\] step 3 (expect): expected DC003, the engine found DC001' "$TMP/out"
check "it names step 4 and the omission row" \
	grep -q '^FAIL wrong \[en\] step 4 (omissions): without dma_map' "$TMP/out"

# the engine's verdicts speak the language asked for, as the screen does
sed 's/id = "wrong", languages = {"en"}/id = "wrong-ru", languages = {"en", "ru"}/' \
	"$TMP/mine/wrong.lua" >"$TMP/mine/wrong-ru.lua"
expect_status 1 "the same lesson checked in Russian fails" \
	"$DMASCOPE" lesson --lessons "$TMP/mine" --check wrong-ru --lang ru
check "its verdicts are Russian" \
	grep -q '^FAIL wrong-ru \[ru\] step 3 (expect): ожидалось: DC003; движок нашёл: DC001' "$TMP/out"
check "... the omission row too" \
	grep -q '^FAIL wrong-ru \[ru\] step 4 (omissions): без dma_map (событие 2)' "$TMP/out"

# a lesson that errs at run time: file and line, and the others still run
cat >"$TMP/mine/errs.lua" <<'LUA'
return {
  id = "errs", languages = {"en"}, title = "Errs", teaches = "nothing",
  steps = {
    { narrate = "fine" },
    { run = function()
        local s = dma.sim("x86")
        s:dma_map{dev = "nodev", addr = 0, bus = 0, len = 8, dir = "TO_DEVICE"}
      end },
  },
}
LUA
expect_status 1 "a lesson that errs fails --check" \
	"$DMASCOPE" lesson --lessons "$TMP/mine" --check --lang en
check "it names the lesson, the step, the file and line" \
	grep -q "^FAIL errs \[en\] step 2 (run): .*errs.lua:7: " "$TMP/out"
check "the other lessons still pass" grep -q '^ok   kef-read \[en\]' "$TMP/out"

# the worked example of docs/lessons.md passes as written
mkdir -p "$TMP/doc"
awk '/^```lua$/ { on = 1; next } /^```$/ { if (on) exit } on' \
	"$TESTS_DIR/../docs/lessons.md" >"$TMP/doc/example.lua"
expect_status 0 "docs/lessons.md's worked example passes --check" \
	"$DMASCOPE" lesson --lessons "$TMP/doc" --check rx-nosync --lang all
check "... in its three languages" test "$(grep -c '^ok   rx-nosync' "$TMP/out")" -eq 3

# dma.load: a sample of the repository, by a path relative to its top
cat >"$TMP/mine/load.lua" <<'LUA'
return {
  id = "load", languages = {"en"}, title = "Load", teaches = "a sample",
  steps = {
    { run = function() dma.load("traces/samples/v2-recipe.bug.dmt") end },
    { expect = {"DC001"} },
    { run = function() dma.load("traces/samples/v2-recipe.ok.dmt", "nt-busmaster") end },
    { expect = {} },
    { run = function() dma.load("../../etc/passwd") end },
  },
}
LUA
expect_status 1 "dma.load" "$DMASCOPE" lesson --lessons "$TMP/mine" --check load --lang en
check "dma.load replays a sample, and the second on another preset" \
	sh -c '! grep -q "step [1-4] " "$1"' sh "$TMP/out"
check "dma.load refuses a path out of the repository" \
	grep -q "step 5 (run): .*load.lua:8: dma.load: '../../etc/passwd': give a path inside" "$TMP/out"

finish
