#!/bin/sh
# t_replay_tmux.sh - the real `dmascope replay` on a terminal: tmux runs it
# in a detached 80x24 pane, the test types keys and reads the pane back.
# After each key the pane must show what `--script --dump-screen` draws for
# the same keys (so the screen under a terminal is the screen of the golden
# tests); then quitting by q, SIGINT and SIGTERM leaves the shell's terminal
# as it was (`stty -a` unchanged), TERM=dumb is refused, NO_COLOR drops the
# colours, the what-if keys work on a terminal, and the big capture opens
# and steps while it is still replaying.
. "$(dirname "$0")/cli-lib.sh"
. "$(dirname "$0")/tmux-lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	skip "tmux is not installed: the screen is not driven in a terminal"
	finish
fi

SAMPLE=$(cd "$TESTS_DIR/../traces/samples" && pwd)/linux-rx-nosync.bug.dmt
SOCK=dmascope-test-$$
TM="tmux -L $SOCK -f $TMP/tmux.conf"
trap '$TM kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT INT TERM
printf 'set -g default-terminal screen\nset -g status off\n' >"$TMP/tmux.conf"
W=80
H=24

# ---- driving the pane ---------------------------------------------------------------
# a shell in a fresh tmux session of W x H; its prompt is "$ "
start_shell() {
	$TM kill-server >/dev/null 2>&1
	$TM new-session -d -s t -x "$W" -y "$H" \
		"env -i PATH='$PATH' HOME='$TMP' TERM=screen LC_ALL=C.UTF-8 PS1='$ ' sh"
	wait_for '$'
}

# the frame --script --dump-screen draws after the keys of $TMP/keys.script
expected() {
	"$DMASCOPE" replay --script "$TMP/keys.script" --dump-screen --size "${W}x$H" "$SAMPLE" |
		sed 's/[[:space:]]*$//' >"$TMP/expected"
}

# same_as_script WHAT SCRIPT-KEYS: after the keys just typed into the pane,
# it shows what the script draws after the same keys
same_as_script() {
	[ -n "$2" ] && printf 'key %s\n' "$2" >>"$TMP/keys.script"
	expected
	pane_is "$TMP/expected"
	check "$1: the pane is the script's frame $(diff "$TMP/expected" "$TMP/pane" | head -5)" \
		cmp -s "$TMP/pane" "$TMP/expected"
}

# ---- a session on a sample: every kind of key -----------------------------------------
start_shell
: >"$TMP/keys.script"
run_in_shell "'$DMASCOPE' replay '$SAMPLE'"
check "first frame" wait_for "Timeline"
same_as_script "first frame"
press j j
same_as_script "two steps forward" "jj"
press k
same_as_script "a step back" "k"
press ']'
same_as_script "to the next finding" "]"
type_text "g/dma_unmap"
press Enter
same_as_script "search" "g/dma_unmap<Enter>"
press n
same_as_script "search again" "n"
type_text "gbdma_unmap"
press Enter
same_as_script "set a breakpoint" "gbdma_unmap<Enter>"
press c
check "continue: breakpoint hit" wait_for "breakpoint hit at event"
same_as_script "continue forward to the breakpoint" "c"
press G C
check "continue backward: breakpoint hit" wait_for "breakpoint hit at event"
same_as_script "continue backward to the breakpoint" "GC"
type_text "w0x80000"
press Enter
check "watch: the byte's history" wait_for "Watch 0x80000"
same_as_script "watch a byte" "w0x80000<Enter>"
press Escape W
check "jump to the last writer" wait_for "last written by event"
same_as_script "last writer" "<Esc>W"
$TM resize-window -t t -x 60 -y 20
check "60x20: too small" wait_for "terminal too small (60x20, needs 80x24)"
$TM resize-window -t t -x 80 -y 24
same_as_script "back to 80x24" ""
press p C-u
type_text "x86"
press Enter
check "platform switched" wait_for "replayed on x86"
same_as_script "switch the platform" "p<C-u>x86<Enter>"
press '?'
check "help screen" wait_for "dmascope replay: keys"
press Escape q
check "q: the command ended with status 0" test "$(wait_rc)" = 0
check "q: stty -a unchanged" cmp -s "$TMP/stty.before" "$TMP/stty.after"
check "q: back at the shell" wait_for '$'

# ---- what-if on a terminal: insert the missing sync, the diff, the omission matrix ----
run_in_shell "'$DMASCOPE' replay '$SAMPLE'"
check "what-if: first frame" wait_for "Timeline"
press j j j i
check "i: the sync inserted before the read" wait_for "what-if: inserted"
press D
check "D: the diff drops the stale read" wait_for "- DC001 stale-cpu-read at event 3"
press O
check "O: the omission matrix" wait_for "Omission matrix on arm-noncoherent"
press Escape q
check "what-if: q ends with status 0" test "$(wait_rc)" = 0

# ---- signals: SIGINT (^C), SIGTERM --------------------------------------------------------
run_in_shell "'$DMASCOPE' replay '$SAMPLE'"
check "before ^C: first frame" wait_for "Timeline"
press C-c
check "^C: status 130" test "$(wait_rc)" = 130
check "^C: stty -a unchanged" cmp -s "$TMP/stty.before" "$TMP/stty.after"

run_in_shell "sh -c 'echo \$\$ >$TMP/pid; exec \"$DMASCOPE\" replay \"$SAMPLE\"'"
check "before SIGTERM: first frame" wait_for "Timeline"
kill -TERM "$(cat "$TMP/pid")"
check "SIGTERM: status 143" test "$(wait_rc)" = 143
check "SIGTERM: stty -a unchanged" cmp -s "$TMP/stty.before" "$TMP/stty.after"
capture "$TMP/pane"
check "SIGTERM: the screen is gone" sh -c "! grep -q Timeline '$TMP/pane'"

# ---- TERM=dumb, NO_COLOR ------------------------------------------------------------
run_in_shell "TERM=dumb '$DMASCOPE' replay '$SAMPLE'"
check "TERM=dumb: status 2" test "$(wait_rc)" = 2
check "TERM=dumb: says why" wait_for "TERM=dumb"

sgr_colours() {
	grep -c "$(printf '\033')\[[0-9;]*3[0-7]m\|$(printf '\033')\[[0-9;]*4[0-7]m" "$1"
}
# the pane with its attributes into $1 once grep -q $2 finds it there (the
# first frame may still be arriving when "Timeline" shows: a slow run, ASan)
capture_sgr() {
	i=0
	while [ "$i" -lt 50 ]; do
		$TM capture-pane -p -e -t t >"$1"
		grep -q "$2" "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
}
run_in_shell "'$DMASCOPE' replay '$SAMPLE'"
wait_for "Timeline" >/dev/null
capture_sgr "$TMP/colour" "$(printf '\033')\[[0-9;]*3[0-7]m"
press q
wait_rc >/dev/null
run_in_shell "NO_COLOR=1 '$DMASCOPE' replay '$SAMPLE'"
wait_for "Timeline" >/dev/null
capture_sgr "$TMP/mono" "$(printf '\033')\[7m"
press q
wait_rc >/dev/null
check "colours on a colour terminal" test "$(sgr_colours "$TMP/colour")" -gt 0
check "NO_COLOR: no colours" test "$(sgr_colours "$TMP/mono")" -eq 0
check "NO_COLOR: still reverse video for the status line" grep -q "$(printf '\033')\[7m" "$TMP/mono"

# ---- the big capture: the screen opens and steps while it replays -------------------------
# the event the status line of frame FILE says is current
status_event() {
	tail -1 "$1" | sed -n 's/^ *event \([0-9]*\) .*/\1/p'
}

if need_capture big; then
	$TM resize-window -t t -x 200 -y 60
	run_in_shell "'$DMASCOPE' replay '$CAPTURES/big/trace.dat'"
	# reading the file takes a few seconds (many more under ASan)
	slow=300
	[ "${SAN:-}" = 1 ] && slow=1500
	check "big: first frame with a progress bar" wait_for "%" 50
	check "big: replaying while the screen is up" wait_for "replaying" "$slow"
	capture "$TMP/before"
	at=$(status_event "$TMP/before")
	press j j j
	# the frame comes once the replay's slice lets the keys in: on a loaded
	# machine that may take more than a moment, so wait for it
	i=0
	while [ "$i" -lt "$slow" ]; do
		capture "$TMP/after"
		[ "$(status_event "$TMP/after")" != "$at" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	check "big: stepping moves the current event (from $at to $(status_event "$TMP/after"))" \
		sh -c "test -n '$at' && test '$(status_event "$TMP/after")' != '$at'"
	check "big: stepping while the progress is below 100%" \
		sh -c "tail -1 '$TMP/after' | grep -Eq 'replaying .*[^0-9]([0-9]|[1-9][0-9])%'"
	press q
	check "big: q ends it mid-replay" test "$(wait_rc)" = 0
	check "big: stty -a unchanged" cmp -s "$TMP/stty.before" "$TMP/stty.after"
fi

finish
