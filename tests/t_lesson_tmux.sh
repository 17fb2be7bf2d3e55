#!/bin/sh
# t_lesson_tmux.sh - the lesson screen on a real terminal: tmux runs
# `dmascope lesson kef-read` in a detached 80x24 pane, and the test walks
# lesson 2 as a student would, in English, Russian (--lang ru) and Chinese
# (LANG=zh_CN.UTF-8): it reads the first steps, pages through the events,
# makes a WRONG prediction and sees the answer revealed, answers the other
# questions, reaches the last step, goes back to the menu, which shows the
# lesson done, and quits; a terminal made too small says so.  At each stop
# the pane must show what `--script --dump-screen` draws after the same
# keys; the progress file (in an isolated XDG_STATE_HOME) says done, 3
# answered, 2 right the first time; the terminal is restored (`stty -a`
# unchanged), after q and after ^C.  tmux is a dependency (scripts/deps.sh
# installs it): without it the test fails.
. "$(dirname "$0")/cli-lib.sh"
. "$(dirname "$0")/tmux-lib.sh"

# a server of its own for each language: one killed is never reused
TM="tmux -u -L dmascope-lesson-$$ -f $TMP/tmux.conf"
trap '$TM kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT INT TERM
printf 'set -g default-terminal screen\nset -g status off\n' >"$TMP/tmux.conf"

if ! command -v tmux >/dev/null 2>&1; then
	fail "tmux is not installed (scripts/deps.sh installs it)"
	finish
fi

start_shell() {
	$TM kill-server >/dev/null 2>&1
	TM="tmux -u -L dmascope-lesson-$$-$1 -f $TMP/tmux.conf"
	$TM new-session -d -s t -x 80 -y 24 \
		"env -i PATH='$PATH' HOME='$TMP' TERM=screen LC_ALL=C.UTF-8 LANGUAGE=en PS1='$ ' sh"
	wait_for '$'
}

# same_as_script WHAT KEYS: after the keys just pressed, the pane shows what
# the script draws after every key so far (in a progress state of its own)
same_as_script() {
	[ -n "$2" ] && printf 'key %s\n' "$2" >>"$TMP/keys.script"
	rm -rf "$TMP/script-state"
	XDG_STATE_HOME="$TMP/script-state" LANGUAGE=en "$DMASCOPE" lesson kef-read --lang "$L" \
		--script "$TMP/keys.script" --dump-screen --size 80x24 |
		sed 's/[[:space:]]*$//' >"$TMP/expected"
	pane_is "$TMP/expected"
	check "[$L] $1: the pane is the script's frame $(diff "$TMP/expected" "$TMP/pane" | head -5)" \
		cmp -s "$TMP/pane" "$TMP/expected"
}

# walk LANG HOW FIRST-TEXT WRONG-EXPLAINED: lesson 2, as a student
walk() {
	L=$1
	: >"$TMP/keys.script"
	rm -rf "$TMP/state-$L"
	start_shell "$L"
	run_in_shell "XDG_STATE_HOME='$TMP/state-$L' $2"
	check "[$L] the lesson opens on its first step" wait_for "$3"
	same_as_script "step 1" ""
	$TM resize-window -t t -x 60 -y 20
	case $L in
	ru) small="терминал мал (60x20, нужно 80x24)" ;;
	zh) small="终端太小（60x20，需要 80x24）" ;;
	*) small="terminal too small (60x20, needs 80x24)" ;;
	esac
	check "[$L] 60x20: too small, in the lesson's language" wait_for "$small"
	$TM resize-window -t t -x 80 -y 24
	same_as_script "back to 80x24" ""
	press n
	same_as_script "step 2: the events applied" "n"
	press Space
	same_as_script "step 2, its second page" " "
	press n Enter
	type_text 0
	press Enter
	check "[$L] a wrong prediction: the answer revealed" wait_for "$4"
	same_as_script "the wrong answer revealed" "n<Enter>0<Enter>"
	press n n n 2 Enter
	same_as_script "a right answer" "nnn2<Enter>"
	press n n n n 1 3 Enter
	same_as_script "the last step, answered" "nnnn13<Enter>"
	press q
	check "[$L] back in the menu" wait_for "KeFlushIoBuffers"
	same_as_script "the menu: lesson 2 done" "q"
	check "[$L] the menu marks lesson 2 done" grep -q '^  2 \[x\]' "$TMP/pane"
	press q
	check "[$L] q ends with status 0" test "$(wait_rc)" = 0
	check "[$L] stty -a unchanged" cmp -s "$TMP/stty.before" "$TMP/stty.after"
	check "[$L] progress: done, 3 answered, 2 right the first time" \
		grep -q '^lesson kef-read done=1 answered=3 first_try=2$' "$TMP/state-$L/dmascope/progress"
}

walk en "'$DMASCOPE' lesson kef-read" "A bus-master network card" \
	"0xaa: the asynchronous DMA write"
walk ru "'$DMASCOPE' lesson kef-read --lang ru" "Сетевая карта DMA master шины" \
	"0xaa: асинхронная операция DMA"
walk zh "LC_ALL= LANG=zh_CN.UTF-8 '$DMASCOPE' lesson kef-read" "一块总线主控 DMA 网卡" \
	"0xaa：异步 DMA"

# dmascope with no arguments: the menu, on the first lesson
start_shell menu
run_in_shell "XDG_STATE_HOME='$TMP/state-menu' '$DMASCOPE'"
check "dmascope alone opens the menu on lesson 1" wait_for "Caches, memory and a device"
press q
check "the menu: q ends with status 0" test "$(wait_rc)" = 0

# ^C in a lesson: status 130, the terminal as it was
start_shell sig
run_in_shell "XDG_STATE_HOME='$TMP/state-sig' '$DMASCOPE' lesson kef-read"
check "before ^C: the lesson" wait_for "A bus-master network card"
press C-c
check "^C: status 130" test "$(wait_rc)" = 130
check "^C: stty -a unchanged" cmp -s "$TMP/stty.before" "$TMP/stty.after"

finish
