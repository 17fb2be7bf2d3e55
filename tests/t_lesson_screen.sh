#!/bin/sh
# t_lesson_screen.sh - the lesson menu and screen through --script and
# --dump-screen (no terminal): the menu shows every lesson's title, its
# progress and its prerequisites (marked while not done), in the language
# asked for; a damaged progress file shows a warning and its lines are kept
# in progress.bad; a student's walk writes the progress (answers, right the
# first time, done); a lesson that errs shows its file, line and message,
# then the menu; the help lists the lesson keys; a tiny screen says so.
. "$(dirname "$0")/cli-lib.sh"

export XDG_STATE_HOME="$TMP/state"
export LANGUAGE=en
PG="$TMP/state/dmascope/progress"

# screen FILE ARGS...: run the keys of FILE, frames to $TMP/out
screen() {
	script=$1
	shift
	expect_status 0 "lesson $* --script $(basename "$script")" \
		"$DMASCOPE" lesson "$@" --script "$script" --dump-screen
}

# fresh NAME FILE ARGS...: screen with a progress of its own (the answers
# it gives stay out of the progress the other checks read)
fresh() {
	name=$1
	shift
	XDG_STATE_HOME="$TMP/$name-state"
	screen "$@"
	XDG_STATE_HOME="$TMP/state"
}

# ---- the menu ----------------------------------------------------------------------
printf 'dump\n' >"$TMP/menu.keys"
screen "$TMP/menu.keys" --lang en
check "the menu names lesson 1" grep -q ' 1 \[ \]  Caches, memory and a device' "$TMP/out"
check "the menu marks lesson 2, whose prerequisite is not done" \
	grep -q ' 2 \[ \]! DMA into a cached buffer without KeFlushIoBuffers' "$TMP/out"
check "the selected lesson says what it teaches" grep -q 'A CPU write can sit in the processor cache' "$TMP/out"
check "... and its progress" grep -q 'Progress: not started' "$TMP/out"

printf 'key j\ndump\n' >"$TMP/second.keys"
screen "$TMP/second.keys" --lang en
check "lesson 2's prerequisite, not done" grep -q 'Requires: dma-cache (not done)' "$TMP/out"

mkdir -p "$TMP/state/dmascope"
printf 'dmascope-progress 1\nlesson dma-cache done=1 answered=2 first_try=1\n' >"$PG"
printf 'lesson kef-read done=0 answered=1 first_try=0\n' >>"$PG"
screen "$TMP/second.keys" --lang en
check "a lesson done is marked" grep -q ' 1 \[x\]  Caches' "$TMP/out"
check "a lesson started is marked, its prerequisite done" grep -q ' 2 \[~\]  DMA into' "$TMP/out"
check "the progress in full" grep -q 'Progress: started, 1 answered, 0 right the first time' "$TMP/out"
check "a prerequisite done is not marked" grep -q 'Requires: dma-cache *$' "$TMP/out"

screen "$TMP/menu.keys" --lang ru
check "the menu in Russian" grep -q 'DMA в кэшированный буфер без KeFlushIoBuffers' "$TMP/out"
screen "$TMP/menu.keys" --lang zh
check "the menu in Chinese" grep -q '不调用 KeFlushIoBuffers 时 DMA 写入已缓存的缓冲区' "$TMP/out"

# the mouse in the menu: a click selects, a click on the selected lesson
# opens it, the wheel moves the selection
printf 'click 10 3\ndump\nwheel-down 10 3\ndump\nclick 10 4\ndump\n' >"$TMP/mouse.keys"
screen "$TMP/mouse.keys" --lang en
check "a click selects lesson 3" sh -c 'sed -n 13p "$1" | grep -q "The write-back that overwrites"' sh "$TMP/out"
check "the wheel selects lesson 4" sh -c 'sed -n 37p "$1" | grep -q "DMA out of a cached buffer"' sh "$TMP/out"
check "a click on the selected lesson opens it" \
	grep -q 'dmascope lesson 4 (kef-write) - step 1 of' "$TMP/out"

# the mouse in a lesson: a click on a choice picks it, a click elsewhere does
# nothing, a click on the choice picked answers with it
cat >"$TMP/choice.keys" <<'KEYS'
key nn
key <Enter>170<Enter>
key nnn
click 10 5
click 10 6
dump
click 10 3
click 10 6
dump
KEYS
fresh click "$TMP/choice.keys" kef-read --lang en
check "a click picks the choice under it, the one before unpicked" \
	sh -c 'sed -n 6p "$1" | grep -q "( ) 1  FlushAdapterBuffers" &&
	       sed -n 7p "$1" | grep -q "(\*) 2  KeFlushIoBuffers"' sh "$TMP/out"
check "... not answered yet" sh -c 'sed -n 1,24p "$1" | grep -q "Press 1-4 to pick one"' \
	sh "$TMP/out"
check "a click on the choice picked answers with it" \
	sh -c 'sed -n 25,48p "$1" | grep -q "Your answer: 2 KeFlushIoBuffers"' sh "$TMP/out"

# ---- a damaged progress file ---------------------------------------------------------
printf 'dmascope-progress 1\nlesson dma-cache done=1 answered=2 first_try=1\nbroken line\n' >"$PG"
screen "$TMP/menu.keys" --lang en
check "a damaged progress file: a warning on the menu" \
	sh -c 'tr -s " \n" "  " <"$1" | grep -q "Warning: .*1 line could not be read and was skipped"' \
	sh "$TMP/out"
check "... and the rest is kept" grep -q ' 1 \[x\]  Caches' "$TMP/out"

# ---- a student's walk: lesson 2, a wrong answer, then right ones ----------------------
cat >"$TMP/walk.keys" <<'KEYS'
key nn
key <Enter>0<Enter>
dump
key nnn2<Enter>
key nnnn13<Enter>
dump
key q
dump
KEYS
screen "$TMP/walk.keys" kef-read --lang en
check "the wrong value is judged wrong" grep -q 'Not right\.' "$TMP/out"
check "... and the answer revealed" grep -q 'The answer: 170 (0xaa)' "$TMP/out"
check "the last step says the lesson is done" grep -q 'the lesson is done' "$TMP/out"
check "the menu shows lesson 2 done" grep -q ' 2 \[x\]  DMA into' "$TMP/out"
check "the progress file: done, 3 answered, 2 right the first time" \
	grep -q '^lesson kef-read done=1 answered=3 first_try=2$' "$PG"
check "... the other lesson's progress kept" grep -q '^lesson dma-cache done=1' "$PG"
check "... the damaged file kept as progress.bad" grep -q 'broken line' "$PG.bad"

# answering again later does not count as a first try
printf 'key nn<Enter>170<Enter>\nkey q\n' >"$TMP/again.keys"
screen "$TMP/again.keys" kef-read --lang en
check "an answer given before is not counted again" \
	grep -q '^lesson kef-read done=1 answered=3 first_try=2$' "$PG"

# ---- the omission step in each language: its rows and verdicts are the runtime's
# own words, translated like the rest of the screen ---------------------------------
printf 'key nn\nkey <Enter>170<Enter>\nkey nnn2<Enter>\nkey nnn\ndump\n' >"$TMP/omit.keys"
screen "$TMP/omit.keys" kef-read --lang en --size 100x50
check "omission rows in English" grep -q 'without KeFlushIoBuffers (event 4): DC001' "$TMP/out"
check "... and their verdicts" \
	grep -q 'holds: without KeFlushIoBuffers (event 4): expected DC001, the engine found DC001' \
	"$TMP/out"
screen "$TMP/omit.keys" kef-read --lang ru --size 100x50
check "omission rows in Russian" grep -q 'без KeFlushIoBuffers (событие 4): DC001' "$TMP/out"
check "... and their verdicts" \
	grep -q 'выполняется: без KeFlushIoBuffers (событие 4): ожидалось: DC001; движок нашёл: DC001' \
	"$TMP/out"
check "... no English row left" sh -c '! grep -q "without\|expected\|the engine found" "$1"' \
	sh "$TMP/out"
screen "$TMP/omit.keys" kef-read --lang zh --size 100x50
check "omission rows in Chinese" grep -q '省略 KeFlushIoBuffers（事件 4）：DC001' "$TMP/out"
check "... and their verdicts" grep -q '成立：省略 KeFlushIoBuffers（事件 4）：预期 DC001；引擎发现 DC001' \
	"$TMP/out"
check "... no English row left" sh -c '! grep -q "without\|expected\|the engine found" "$1"' \
	sh "$TMP/out"

# ---- a lesson that errs -------------------------------------------------------------
mkdir -p "$TMP/mine"
cat >"$TMP/mine/errs.lua" <<'LUA'
return {
  id = "errs", order = 90, languages = {"en"}, title = "Errs", teaches = "nothing",
  steps = {
    { narrate = "first" },
    { run = function() error("boom") end },
  },
}
LUA
printf 'key n\ndump\nkey q\ndump\n' >"$TMP/errs.keys"
screen "$TMP/errs.keys" errs --lessons "$TMP/mine" --lang en
check "a lesson error names the file, the line and the message" \
	grep -q 'step 2 (run): .*errs.lua:5: boom' "$TMP/out"
check "... then q returns to the menu" grep -q 'dmascope lessons (' "$TMP/out"

# a teacher's question with more choices than digit keys: the line says a
# click picks them, and a click on choice 11 picks it
cat >"$TMP/mine/many.lua" <<'LUA'
return {
  id = "many", order = 91, languages = {"en"}, title = "Many", teaches = "choices",
  steps = {
    { predict = "Which one?",
      choices = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"},
      answer = 11, explain = "k" },
  },
}
LUA
printf 'dump
click 10 15
dump
' >"$TMP/many.keys"
fresh many "$TMP/many.keys" many --lessons "$TMP/mine" --lang en
split -l 24 -a 1 -d "$TMP/out" "$TMP/many."
check "more than 9 choices: the line says a click picks them" \
	grep -q 'Press 1-9 or click a choice to pick one' "$TMP/many.0"
check "... and choice 11 is picked by a click" grep -q '(\*) 11  k' "$TMP/many.1"

# ---- help, errors, sizes ------------------------------------------------------------------
printf 'key ?\ndump\n' >"$TMP/help.keys"
screen "$TMP/help.keys" kef-read --lang en
check "the help lists the lesson keys" grep -q 'the next step (once the question is answered)' "$TMP/out"
check "... and the replay key" grep -q 'the replay panes on this step' "$TMP/out"
check "... its help wrapped, not cut" grep -q 'memory, controller, findings; q or Esc comes back  *|' "$TMP/out"

printf 'key nr\ndump\nkey q\ndump\n' >"$TMP/replay.keys"
screen "$TMP/replay.keys" kef-read --lang en
check "r shows the replay panes on the step's simulation" grep -q 'Timeline' "$TMP/out"
check "... with its events" grep -q 'MapTransfer dev=nic' "$TMP/out"
check "... q returns to the lesson" grep -q 'step 2 of 10' "$TMP/out"

printf 'dump\nkey n\ndump\n' >"$TMP/tall.keys"
screen "$TMP/tall.keys" kef-read --lang en --size 100x40
check "a tall terminal: no replay panes before a simulation" \
	sh -c 'head -40 "$1" | grep -q "Timeline"; test $? -ne 0' sh "$TMP/out"
check "... then the replay panes above the lesson pane" \
	sh -c 'tail -40 "$1" | head -24 | grep -q "^ Timeline  9 events"' sh "$TMP/out"
check "... and the lesson pane under them" \
	sh -c 'tail -16 "$1" | grep -q "step 2 of 10"' sh "$TMP/out"

# a prediction not yet answered: the replay panes keep the findings back
# (the bytes are the evidence, the finding names the answer); once answered
# they show
cat >"$TMP/veil.keys" <<'KEYS'
key nn
dump
key r
key ]
dump
key bDC001<Enter>
key gc
dump
key G
key q
key <Enter>170<Enter>
dump
KEYS
fresh veil "$TMP/veil.keys" kef-read --lang en --size 110x44
split -l 44 -a 1 -d "$TMP/out" "$TMP/veil."     # its frames: veil.0, veil.1, ...
check "a prediction: the findings pane says they come after the answer" \
	grep -q 'Findings show once the prediction is answered' "$TMP/veil.0"
check "... no finding in it, no count on the status line" \
	sh -c '! grep -q "DC001\|so far\|1 finding" "$1"' sh "$TMP/veil.0"
check "... no finding mark on the timeline" sh -c '! grep -q "^  !" "$1"' sh "$TMP/veil.0"
check "... the bytes are shown" grep -q '+00 aa aa aa aa' "$TMP/veil.0"
check "... ] (next finding) is refused under it" \
	sh -c 'tail -1 "$1" | grep -q "Findings show once the prediction is answered"' sh \
	"$TMP/veil.1"
check "... and so is c to a breakpoint on a finding id" \
	sh -c 'tail -1 "$1" | grep -q "Findings show once the prediction is answered"' sh \
	"$TMP/veil.2"
check "answered: the finding, its count and its mark" \
	sh -c 'grep -q "DC001 stale-cpu-read" "$1" && grep -q "1 finding" "$1" &&
	       grep -q "^  !" "$1"' sh "$TMP/veil.3"

# a what-if diff made at a run step stays on the prediction after it: veiled
# there too, shown once answered
cat >"$TMP/veil-diff.keys" <<'KEYS'
key n
key r
key :2<Enter>
key x
key D
key q
key n
dump
key <Enter>170<Enter>
dump
KEYS
fresh veil-diff "$TMP/veil-diff.keys" kef-read --lang en --size 110x44
split -l 44 -a 1 -d "$TMP/out" "$TMP/vdiff."
check "the diff under a veil: its divergence, not its findings" \
	sh -c 'grep -q "First divergence: event 2" "$1" &&
	       grep -q "Findings show once the prediction is answered" "$1" &&
	       ! grep -q "Findings removed\|DC001" "$1"' sh "$TMP/vdiff.0"
check "... answered: the finding the edit removes" \
	grep -q -- '- DC001 stale-cpu-read at event 8' "$TMP/vdiff.1"

screen "$TMP/menu.keys" --size 60x20
check "a tiny terminal says so" grep -q 'terminal too small (60x20, needs 80x24)' "$TMP/out"

expect_status 0 "lesson --keys" "$DMASCOPE" lesson --keys
sed -n '/^<!-- keys: dmascope lesson --keys -->$/,/^<!-- \/keys -->$/p' "$TESTS_DIR/../README.md" |
	sed '1d;$d' >"$TMP/readme-keys"
check "README's lesson key table is 'dmascope lesson --keys' (regenerate it)" \
	cmp -s "$TMP/out" "$TMP/readme-keys"

expect_status 2 "no such lesson" "$DMASCOPE" lesson nosuch --dump-screen
check "... is named" grep -q "no lesson 'nosuch'" "$TMP/err"

finish
