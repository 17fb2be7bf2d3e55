# tmux-lib.sh - driving a program in a detached tmux pane, for the tmux
# tests (t_replay_tmux.sh, t_lesson_tmux.sh); sourced after cli-lib.sh.
# The test sets TM (its tmux command, with a server of its own) and starts
# a shell whose prompt is "$ ".

# capture FILE: the pane's text, trailing blanks dropped
capture() {
	$TM capture-pane -p -t t 2>/dev/null | sed 's/[[:space:]]*$//' >"$1"
}

# type text literally, then named keys (tmux names: Enter, Escape, C-u, ...)
type_text() {
	$TM send-keys -t t -l "$1"
}

press() {
	$TM send-keys -t t "$@"
}

# wait_for TEXT [TENTHS]: the pane shows TEXT within TENTHS tenths of a second
wait_for() {
	i=0
	while [ "$i" -lt "${2:-100}" ]; do
		capture "$TMP/pane"
		grep -qF -- "$1" "$TMP/pane" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# run COMMAND in the shell, recording its status and stty before and after
run_in_shell() {
	rm -f "$TMP/rc"
	type_text "clear; stty -a >$TMP/stty.before; $1; st=\$?; stty -a >$TMP/stty.after; echo \$st >$TMP/rc"
	press Enter
}

# wait_rc: the command ended; prints its status
wait_rc() {
	i=0
	while [ ! -s "$TMP/rc" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	cat "$TMP/rc" 2>/dev/null
}

# pane_is FILE: the pane shows FILE's text (polled, up to 5 s)
pane_is() {
	i=0
	while [ "$i" -lt 50 ]; do
		capture "$TMP/pane"
		cmp -s "$TMP/pane" "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
