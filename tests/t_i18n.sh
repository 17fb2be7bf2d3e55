#!/bin/sh
# t_i18n.sh - the message catalogues (po/) and the languages they give:
# every catalogue translates every message the sources mark now (a string
# wrapped in _() without a translation fails here, by its text); --lang and
# LANG/LC_ALL choose Russian, Chinese or English for help and errors, even
# on a machine with no ru_RU or zh_CN locale; the replay screen in Russian
# and Chinese fits 80x24 and its help screen is not cut; JSON and SARIF stay
# the same in every language.
. "$(dirname "$0")/cli-lib.sh"

TOP=$(cd "$TESTS_DIR/.." && pwd)
PO=$TOP/po
SAMPLE=$TOP/traces/samples/linux-rx-nosync.bug.dmt
pocheck() {
	python3 "$TESTS_DIR/po_check.py" "$@"
}
# the environment with no language in it, then the arguments
run_env() {
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u LANG "$@"
}

# ---- the catalogues ----------------------------------------------------------
LINGUAS=$(cat "$PO/LINGUAS")
check "po/LINGUAS names ru and zh_CN" test "$(echo $LINGUAS)" = "ru zh_CN"
if make --no-print-directory -s -C "$TOP" pot POT="$TMP/now.pot" >"$TMP/pot.log" 2>&1; then
	ok
else
	fail "xgettext over the sources: $(head -c 300 "$TMP/pot.log")"
fi
check "the sources mark more than 300 messages" \
	test "$(grep -c '^msgid ' "$TMP/now.pot")" -gt 300
for l in $LINGUAS; do
	if msgfmt --check --statistics -o /dev/null "$PO/$l.po" 2>"$TMP/stat"; then
		ok
	else
		fail "$l.po: msgfmt --check: $(head -c 300 "$TMP/stat")"
	fi
	if grep -q 'untranslated\|fuzzy' "$TMP/stat"; then
		fail "$l.po: $(cat "$TMP/stat")"
	else
		ok
	fi
	if pocheck missing "$TMP/now.pot" "$PO/$l.po" >"$TMP/missing"; then
		ok
	else
		fail "$l.po lacks translations of (make po, then translate):"
		sed 's/^/    /' "$TMP/missing"
	fi
	check "build/locale/$l/LC_MESSAGES/dmascope.mo is built" \
		test -s "$TOP/build/locale/$l/LC_MESSAGES/dmascope.mo"
done

# ---- the languages of the command line ----------------------------------------
SUMMARY="replay traces and report coherency findings"
BADOPT="unknown option '%s'"
# lang_is LANG DESCRIPTION: $TMP/out holds the command summaries and
# $TMP/err the bad-option error in LANG (a catalogue name, or en)
expect_lang() {
	l=$1
	what=$2
	if [ "$l" = en ]; then
		sum=$SUMMARY
		err=$(printf "$BADOPT" --bogus)
	else
		sum=$(pocheck msgstr "$PO/$l.po" "$SUMMARY")
		err=$(printf "$(pocheck msgstr "$PO/$l.po" "$BADOPT")" --bogus)
	fi
	check "$what: help in $l" grep -qF "$sum" "$TMP/out"
	check "$what: error in $l" grep -qF "$err" "$TMP/err"
	if [ "$l" != en ]; then
		check "$what: no English help" sh -c "! grep -qF '$SUMMARY' '$TMP/out'"
	fi
}
# lang_case LANG DESCRIPTION ENV...: --help and a bad option with ENV
lang_case() {
	l=$1
	what=$2
	shift 2
	run_env "$@" "$DMASCOPE" --help >"$TMP/help" 2>/dev/null
	run_env "$@" "$DMASCOPE" check --bogus "$SAMPLE" >/dev/null 2>"$TMP/err"
	mv "$TMP/help" "$TMP/out"
	expect_lang "$l" "$what"
}
lang_case ru "LANG=ru_RU.UTF-8" LANG=ru_RU.UTF-8
lang_case zh_CN "LANG=zh_CN.UTF-8" LANG=zh_CN.UTF-8
lang_case en "LANG=C" LANG=C
lang_case en "no LANG" 
lang_case zh_CN "LC_ALL before LANG" LC_ALL=zh_CN.UTF-8 LANG=ru_RU.UTF-8
lang_case ru "LC_MESSAGES before LANG" LC_MESSAGES=ru_RU.UTF-8 LANG=zh_CN.UTF-8
lang_case ru "LANGUAGE does not override" LANG=ru_RU.UTF-8 LANGUAGE=zh_CN

# --lang before the command, after it, as --lang=, over LANG
for spec in "ru:ru" "zh:zh_CN" "en:en" "ru_RU.UTF-8:ru"; do
	arg=${spec%%:*}
	l=${spec#*:}
	run_env LANG=zh_CN.UTF-8 "$DMASCOPE" --lang "$arg" --help >"$TMP/out" 2>/dev/null
	run_env LANG=zh_CN.UTF-8 "$DMASCOPE" --lang "$arg" check --bogus "$SAMPLE" \
		>/dev/null 2>"$TMP/err"
	expect_lang "$l" "--lang $arg COMMAND"
	run_env LANG=C "$DMASCOPE" check "--lang=$arg" --bogus "$SAMPLE" >/dev/null 2>"$TMP/err"
	run_env LANG=C "$DMASCOPE" "--lang=$arg" --help >"$TMP/out" 2>/dev/null
	expect_lang "$l" "COMMAND --lang=$arg"
done
expect_status 2 "--lang xx" "$DMASCOPE" --lang xx check "$SAMPLE"
check "--lang xx: says which languages" grep -q "en, ru or zh" "$TMP/err"
expect_status 1 "--lang ru check: the exit status of findings" "$DMASCOPE" --lang ru check "$SAMPLE"

# a subcommand's help: the option lines keep their form, the text is Russian
run_env "$DMASCOPE" --lang ru check --help >"$TMP/out"
check "check --help in Russian: its --help row" \
	grep -qF "$(pocheck msgstr "$PO/ru.po" "show this help")" "$TMP/out"
check "check --help in Russian: the option column" grep -q '^  -p, --platform NAME   ' "$TMP/out"
# a translation makes no --help wider than 80 columns (or the English one)
for c in "" replay check stat convert platforms explain fix run lesson whatif; do
	"$DMASCOPE" --lang en $c --help >"$TMP/help.en" 2>&1
	cols=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import po_check
print(max([80] + [po_check.width(l.rstrip("\n")) for l in open(sys.argv[2], encoding="utf-8")]))' \
		"$TESTS_DIR" "$TMP/help.en")
	for l in ru zh; do
		if "$DMASCOPE" --lang $l $c --help 2>&1 | pocheck width "$cols" >"$TMP/wide"; then
			ok
		else
			fail "--lang $l ${c:-dmascope} --help: lines over $cols columns:"
			sed 's/^/    /' "$TMP/wide"
		fi
	done
done
# the defaults check --help names are the ones traces/trace.h sets
for d in TRACE_DEFAULT_LINUX TRACE_DEFAULT_WINDOWS; do
	name=$(sed -n "s/^#define $d *\"\\(.*\\)\"/\\1/p" "$TOP/traces/trace.h")
	check "check --help names $d ($name)" sh -c \
		"'$DMASCOPE' --lang en check --help | grep -q '$name'"
done

# what tools parse stays the same in every language, but for the system's
# own words for an unreadable file (strerror follows the language)
printf 'not a trace\n' >"$TMP/bad.dmt"
for fmt in json sarif; do
	"$DMASCOPE" --lang en check --format $fmt "$SAMPLE" "$TMP/bad.dmt" "$TMP/none" \
		>"$TMP/en.$fmt" 2>/dev/null
	for l in ru zh; do
		"$DMASCOPE" --lang $l check --format $fmt "$SAMPLE" "$TMP/bad.dmt" "$TMP/none" \
			>"$TMP/$l.$fmt" 2>/dev/null
		grep -q 'No such file' "$TMP/en.$fmt" || fail "check --format $fmt: no missing file"
		for f in en $l; do
			sed 's/: No such file or directory"$/: ENOENT"/; s/: [^"]*[^ -~"][^"]*"$/: ENOENT"/' \
				"$TMP/$f.$fmt" >"$TMP/$f.$fmt.cmp"
		done
		check "check --format $fmt: the same with --lang $l" \
			cmp -s "$TMP/en.$fmt.cmp" "$TMP/$l.$fmt.cmp"
	done
done

# ---- the replay screen in Russian and Chinese at 80x24 -------------------------
cat >"$TMP/walk.script" <<'EOF'
dump
key jjj
dump
key <Tab>
dump
key <Tab>
dump
key ?
dump
key jjjjjjjjjjjjjjjjjjjj
dump
key jjjjjjjjjjjjjjjjjjjj
dump
key q
key M
dump
key <Esc>
key x
dump
key e
dump
key D
dump
key U
key O
dump
key <Esc>
key w
dump
key 0x80000<Enter>
dump
key <Esc>
key b
dump
key dma_map<Enter>
key B
dump
key <Esc>
key :
dump
EOF
for l in ru zh; do
	for f in linux-rx-nosync.bug.dmt common-buffer-clobber.bug.dmt; do
		expect_status 0 "replay --lang $l $f" run_env "$DMASCOPE" --lang $l replay \
			--script "$TMP/walk.script" --dump-screen --size 80x24 "$TOP/traces/samples/$f"
		cp "$TMP/out" "$TMP/screen"
		if pocheck width 80 24 <"$TMP/screen" >"$TMP/wide"; then
			ok
		else
			fail "replay --lang $l $f: lines over 80 columns:"
			sed 's/^/    /' "$TMP/wide"
		fi
		# a message cut inside a UTF-8 sequence by a buffer sized for English
		check "replay --lang $l $f: no broken UTF-8" sh -c "! grep -q '$(printf '\357\277\275')' '$TMP/screen'"
		if pocheck clipped <"$TMP/screen" >"$TMP/cut"; then
			ok
		else
			fail "replay --lang $l $f: help text cut by the border:"
			sed 's/^/    /' "$TMP/cut"
		fi
	done
	cat=$l
	[ $l = zh ] && cat=zh_CN
	title=$(pocheck msgstr "$PO/$cat.po" "dmascope replay: keys")
	check "replay --lang $l: the help screen's title" grep -qF "$title" "$TMP/screen"
done
# the same walk in English draws what it drew before the catalogues
run_env LANG=ru_RU.UTF-8 "$DMASCOPE" --lang en replay --script "$TMP/walk.script" \
	--dump-screen "$SAMPLE" >"$TMP/en1"
run_env LANG=C "$DMASCOPE" replay --script "$TMP/walk.script" --dump-screen "$SAMPLE" >"$TMP/en2"
check "replay --lang en under LANG=ru_RU is the English screen" cmp -s "$TMP/en1" "$TMP/en2"
check "the English screen has English labels" grep -q "dmascope replay: keys" "$TMP/en2"

finish
