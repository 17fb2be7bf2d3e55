#!/bin/sh
# t_help.sh - every option a subcommand's --help lists (help and parser are
# made from one table per command, tui/cli/cli_opts.c) is one the parser
# takes, with a value when the help names one, and README.md and the man
# page name it.
. "$(dirname "$0")/cli-lib.sh"

COMMANDS="replay check stat convert platforms explain run fix lesson whatif"
readme=$TESTS_DIR/../README.md
man=$TESTS_DIR/../docs/dmascope.1

# the options of a --help text on stdin, one per line: SHORT NAME ARG
# ("-" for none): "  -p, --platform NAME   ..." or "      --info   ..."
help_options() {
	awk '/^  -[A-Za-z], --[a-z]|^      --[a-z]/ {
		s = $0; sub(/^ +/, "", s); split(s, part, /  +/)
		n = split(part[1], w, " ")
		if (w[1] ~ /^-.,$/) { short = substr(w[1], 2, 1); name = w[2]; arg = w[3] }
		else { short = "-"; name = w[1]; arg = w[2] }
		sub(/^--/, "", name)
		print short, name, (arg == "" ? "-" : arg)
	}'
}

# accepted COMMAND DESCRIPTION ARGS...: the parser knows the option
accepted() {
	c=$1
	what=$2
	shift 2
	"$DMASCOPE" "$c" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
	check "$what is an option of $c ($(head -c 200 "$TMP/err"))" \
		sh -c '! grep -q "unknown option" "$1"' sh "$TMP/err"
}

for c in $COMMANDS; do
	expect_status 0 "dmascope $c --help" "$DMASCOPE" "$c" --help
	help_options <"$TMP/out" >"$TMP/opts.$c"
	check "$c --help lists --help" grep -q '^h help -$' "$TMP/opts.$c"
	while read -r short name arg; do
		manname=$(printf '%s' "$name" | sed 's/-/\\-/g')
		check "README.md names $c --$name" grep -qe "--$name\\b" "$readme"
		check "the man page names $c --$name" grep -qF -- "\\-\\-$manname" "$man"
		if [ "$arg" = - ]; then
			accepted "$c" "--$name" "--$name"
			[ "$short" = - ] || accepted "$c" "-$short" "-$short"
			continue
		fi
		accepted "$c" "--$name $arg" "--$name" x
		[ "$short" = - ] || accepted "$c" "-$short $arg" "-$short" x
		"$DMASCOPE" "$c" "--$name" </dev/null >"$TMP/out" 2>"$TMP/err"
		check "$c --$name without its $arg asks for one" grep -q "needs a value" "$TMP/err"
	done <"$TMP/opts.$c"
done
check "check --help lists its ten options and --help" test "$(wc -l <"$TMP/opts.check")" -eq 11
check "convert --help lists its four options and --help" \
	test "$(wc -l <"$TMP/opts.convert")" -eq 5

finish
