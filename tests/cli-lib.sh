# cli-lib.sh - what the dmascope shell tests share; sourced by tests/t_*.sh.
#
# Environment: DMASCOPE (the binary), CAPTURES (the real captures, by default
# tests/data/captures), BUILD (the build directory), SAN (1 under ASan).
# Each test counts its checks and ends with finish(), which prints the
# "N passed, N failed" line and sets the exit status.

DMASCOPE=${DMASCOPE:-./dmascope}
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
CAPTURES=${CAPTURES:-$TESTS_DIR/data/captures}
jsontool() {
	python3 "$TESTS_DIR/cli_json.py" "$@"
}
passed=0
failed=0
skipped=0

TMP=$(mktemp -d "${TMPDIR:-/tmp}/dmascope-test.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

ok() {
	passed=$((passed + 1))
}

fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

skip() {
	skipped=$((skipped + 1))
	echo "SKIP: $*"
}

# check COND-DESCRIPTION COMMAND...: count a check by the command's status
check() {
	what=$1
	shift
	if "$@"; then ok; else fail "$what"; fi
}

# expect_status N DESCRIPTION COMMAND...: run it (output to $TMP/out, $TMP/err)
expect_status() {
	want=$1
	what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok
	else
		fail "$what: exit $got, expected $want ($(head -c 300 "$TMP/err"))"
	fi
}

# need_capture NAME [FILE]: the capture's FILE (trace.dat) is there; if not,
# one failed check naming the missing file, and status 1
need_capture() {
	if [ -f "$CAPTURES/$1/${2:-trace.dat}" ]; then
		return 0
	fi
	fail "missing test input: $CAPTURES/$1/${2:-trace.dat}"
	return 1
}

finish() {
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
	exit $?
}
