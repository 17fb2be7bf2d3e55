#!/bin/sh
# t_test_env.sh - `make test` runs every test in the same environment on any
# machine: the user's locale, message language, NO_COLOR and terminal size
# are not passed on (a Russian LANG made English-output tests fail), and
# lesson progress goes under build/, not to the user's home.
. "$(dirname "$0")/cli-lib.sh"

for v in LANG LC_ALL LC_MESSAGES LC_CTYPE LANGUAGE NO_COLOR COLUMNS LINES; do
	check "$v is not set for the tests" sh -c "[ -z \"\${$v+set}\" ]"
done
case ${XDG_STATE_HOME:-} in
*/test-state) check "lesson progress goes under the build directory" true ;;
*) check "lesson progress goes under the build directory (XDG_STATE_HOME=${XDG_STATE_HOME:-unset})" false ;;
esac
expect_status 0 "the tool speaks English here" "$DMASCOPE" check --help
check "... its help is the English one" grep -q '^usage: dmascope check' "$TMP/out"
finish
