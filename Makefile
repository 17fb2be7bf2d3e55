# dmascope: a plain Makefile (GNU make).
#
#   make            build ./dmascope
#   make run        build and open the lesson menu on the first lesson
#   make test       every test, then every test again under ASan + UBSan;
#                   the last line adds them up: "N passed, N failed"
#   make bench      speed and memory figures (QUICK=1: small runs, under a minute)
#   make fuzz       run each reader's fuzz target (FUZZ_SECONDS each)
#   make install    PREFIX=/usr/local DESTDIR= (the binary, man page, lessons and the
#                   message catalogues in $(PREFIX)/share/locale)
#   make po         extract the marked messages (_(), N_()) into po/dmascope.pot and
#                   merge it into each po/LANG.po (po/README.md: translating)
#   make check-layers   the layering rules: engine/ includes no curses, Lua or
#                   trace-cmd header and exports only coh_ symbols; no two
#                   files call each other in a circle; no file over 800 lines
#
# Sources are found by directory, subdirectories included: engine/ -> libcoh.a,
# traces/ -> libdmtrace.a, lessons/ -> libdmlesson.a, tui/ -> the dmascope binary
# (tui/cli/main.c, the rest in libdmtui.a),
# tests/test_*.c -> one CMocka binary each, tests/t_*.sh -> shell tests,
# tests/bench_*.c -> benchmarks, tests/fuzz_*.c -> libFuzzer targets.

VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
CAPTURES ?= $(abspath $(CURDIR)/tests/data/captures)
SAN      ?=
V        ?= 0
CC       ?= cc
FUZZ_SECONDS ?= 60

ifeq ($(V),1)
Q :=
else
Q := @
endif

ifeq ($(SAN),1)
OPT      := -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
else
OPT      := -O2 -g
SANFLAGS :=
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
        -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
BASE_CFLAGS := -std=c11 $(OPT) $(WARN) $(SANFLAGS) -MMD -MP -Iengine $(EXTRA_CFLAGS)

PKGS_TRACE  := libtracecmd libtraceevent libtracefs expat jansson liblzma libzstd zlib
PKGS_LESSON := lua5.4
PKGS_TUI    := ncursesw
PKGS_TEST   := cmocka
PKGS_ALL    := $(PKGS_TRACE) $(PKGS_LESSON) $(PKGS_TUI)

pkg_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pkg_libs   = $(shell pkg-config --libs $(1) 2>/dev/null)

ENGINE_CFLAGS := $(BASE_CFLAGS)
TRACE_CFLAGS  := $(BASE_CFLAGS) -D_GNU_SOURCE -Itraces $(call pkg_cflags,$(PKGS_TRACE))
LESSON_CFLAGS := $(BASE_CFLAGS) -D_GNU_SOURCE -Itraces -Ilessons $(call pkg_cflags,$(PKGS_LESSON))
TUI_CFLAGS    := $(BASE_CFLAGS) -D_GNU_SOURCE -Itraces -Ilessons -Itui -Itui/cli -Itui/report \
                 -DDMASCOPE_VERSION='"$(VERSION)"' -DDMASCOPE_DATADIR='"$(PREFIX)/share/dmascope"' \
                 -DDMASCOPE_LOCALEDIR='"$(PREFIX)/share/locale"' \
                 $(call pkg_cflags,$(PKGS_TRACE) $(PKGS_LESSON))
# only the screen (tui/screen*.c, tui/view_*.c) includes curses
CURSES_CFLAGS := $(call pkg_cflags,$(PKGS_TUI))
TEST_CFLAGS   := $(TUI_CFLAGS) $(call pkg_cflags,$(PKGS_TEST))

LIBS      := $(call pkg_libs,$(PKGS_ALL)) -lcsv -lpthread -lm
TEST_LIBS := $(call pkg_libs,$(PKGS_TEST))
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)

# sources are found in each directory and its subdirectories (traces/ftrace/...)
srcs = $(sort $(shell find $(1) -name '*.c' 2>/dev/null))
ENGINE_SRC := $(call srcs,engine)
TRACE_SRC  := $(call srcs,traces)
LESSON_SRC := $(call srcs,lessons)
TUI_SRC    := $(filter-out tui/cli/main.c,$(call srcs,tui))
TEST_SRC   := $(wildcard tests/test_*.c)
BENCH_SRC  := $(wildcard tests/bench_*.c)
FUZZ_SRC   := $(wildcard tests/fuzz_*.c)
SHELL_TESTS := $(sort $(wildcard tests/t_*.sh))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

LIBCOH    := $(BUILD)/libcoh.a
LIBTRACE  := $(BUILD)/libdmtrace.a
LIBLESSON := $(BUILD)/libdmlesson.a
LIBTUI    := $(BUILD)/libdmtui.a
# libraries with no sources yet are left out (an empty archive has no index)
ALL_LIBS  := $(if $(TUI_SRC),$(LIBTUI)) $(if $(LESSON_SRC),$(LIBLESSON)) \
             $(if $(TRACE_SRC),$(LIBTRACE)) $(LIBCOH)

ifeq ($(BUILD),build)
BIN := dmascope
else
BIN := $(BUILD)/dmascope
endif

TEST_BINS  := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
BENCH_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(BENCH_SRC))

.PHONY: all deps run test unit-tests shell-tests check-layers test-build bench bench-run fuzz \
        install uninstall clean lint golden po pot locales
.DEFAULT_GOAL := all
# test objects are intermediate files to make; keep them so builds stay incremental
.SECONDARY:

# deps may install packages, and pkg-config flags are read when make starts:
# so every entry point runs deps first, then builds in a fresh make
all: deps
	$(Q)$(MAKE) --no-print-directory $(BIN) locales

deps:
	$(Q)scripts/deps.sh

# ---- objects --------------------------------------------------------------
$(BUILD)/engine/%.o: engine/%.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(ENGINE_CFLAGS) -c $< -o $@
$(BUILD)/traces/%.o: traces/%.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(TRACE_CFLAGS) -c $< -o $@
$(BUILD)/lessons/%.o: lessons/%.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(LESSON_CFLAGS) -c $< -o $@
$(BUILD)/tui/%.o: tui/%.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(TUI_CFLAGS) $(if $(filter tui/screen% tui/view_%,$<),$(CURSES_CFLAGS)) -c $< -o $@
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(TEST_CFLAGS) -Itests -c $< -o $@

# ---- libraries and binaries -------------------------------------------------
define mklib
$(1): $(call obj,$(2))
	@mkdir -p $$(@D)
	$$(if $$(Q),@echo "  AR      $$@")
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
endef
$(eval $(call mklib,$(LIBCOH),$(ENGINE_SRC)))
$(eval $(call mklib,$(LIBTRACE),$(TRACE_SRC)))
$(eval $(call mklib,$(LIBLESSON),$(LESSON_SRC)))
$(eval $(call mklib,$(LIBTUI),$(TUI_SRC)))

# the demo's scenarios, four of traces/samples/, as C strings in the binary:
# tui/cli/demo.c reads them back through the .dmt reader
DEMO_DMT := $(addprefix traces/samples/,linux-rx-nosync.bug.dmt linux-rx-nosync.ok.dmt \
	    common-buffer-clobber.bug.dmt common-buffer-clobber.ok.dmt)
$(LIBTUI): $(BUILD)/tui/cli/demo_files.o
$(BUILD)/tui/cli/demo_files.c: $(DEMO_DMT) scripts/embed-dmt.awk
	@mkdir -p $(@D)
	$(if $(Q),@echo "  GEN     $@")
	$(Q)awk -f scripts/embed-dmt.awk $(DEMO_DMT) >$@.tmp && mv $@.tmp $@
$(BUILD)/tui/cli/demo_files.o: $(BUILD)/tui/cli/demo_files.c
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(TUI_CFLAGS) -c $< -o $@

$(BIN): $(call obj,tui/cli/main.c) $(ALL_LIBS)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(ALL_LIBS) $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(ALL_LIBS)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(ALL_LIBS) $(LIBS) $(TEST_LIBS)

# ---- message catalogues (po/README.md) ------------------------------------------
# build/locale whatever BUILD is: the binary of any build in this tree finds
# them there (tui/i18n.c), before the installed $(PREFIX)/share/locale
LINGUAS  := $(shell cat po/LINGUAS 2>/dev/null)
MO_FILES := $(patsubst %,build/locale/%/LC_MESSAGES/dmascope.mo,$(LINGUAS))
# what xgettext reads: every C source and header of tui/ and lessons/ (its
# lesson_words() marks), with these marks
POT_SRC  = $(sort $(shell find tui lessons -name '*.[ch]'))
XGETTEXT_FLAGS := --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
	--keyword=cli_usage_error:2 --keyword=lesson_words:2 --add-comments=TRANSLATORS: --add-location=file \
	--package-name=dmascope --package-version=$(VERSION) --msgid-bugs-address='the dmascope issue tracker' \
	--sort-by-file

locales: $(MO_FILES)

build/locale/%/LC_MESSAGES/dmascope.mo: po/%.po
	@mkdir -p $(@D)
	$(if $(Q),@echo "  MSGFMT  $<")
	$(Q)msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# `make pot POT=FILE`: the template alone (tests/t_i18n.sh compares the
# catalogues with what the sources mark now)
POT ?= po/dmascope.pot
pot:
	$(Q)xgettext $(XGETTEXT_FLAGS) -o $(POT) $(POT_SRC)

po: pot
	$(Q)for l in $(LINGUAS); do \
		msgmerge --quiet --update --backup=none po/$$l.po po/dmascope.pot || exit 1; \
		printf '%-8s' $$l; msgfmt --statistics -o /dev/null po/$$l.po; \
	done

# ---- running ----------------------------------------------------------------
# the lesson menu on the first lesson (`dmascope` with no arguments); the
# replay screen is `dmascope replay FILE`, the demo `dmascope run`
run: deps
	$(Q)$(MAKE) --no-print-directory $(BIN) locales
	./$(BIN)

test-build: $(BIN) $(TEST_BINS) $(MO_FILES)

# TOTALS: where scripts/run-tests.sh appends this run's counts
TOTALS ?= $(BUILD)/test-totals
# Tests run in the same environment on every machine: no locale, language,
# colour or terminal-size choice of the user's (tests that need one set it),
# and lesson progress kept under build/, never in the user's home.
TEST_ENV = env -u LANG -u LC_ALL -u LC_MESSAGES -u LC_CTYPE -u LANGUAGE -u NO_COLOR \
	-u COLUMNS -u LINES XDG_STATE_HOME=$(abspath $(BUILD))/test-state \
	CAPTURES=$(CAPTURES) DMASCOPE=$(abspath $(BIN)) SAN=$(SAN) BUILD=$(BUILD)

unit-tests: test-build
	$(Q)$(TEST_ENV) scripts/run-tests.sh $(TOTALS) $(TEST_BINS)

shell-tests: test-build
	$(Q)$(TEST_ENV) scripts/run-tests.sh $(TOTALS) $(SHELL_TESTS)

# Regenerate tests/golden/ (the text reports t_report.sh compares), then
# review `git diff tests/golden`: after engine rule changes, for instance.
golden: $(BIN)
	$(Q)CAPTURES=$(CAPTURES) DMASCOPE=$(abspath $(BIN)) sh scripts/golden.sh

check-layers: $(ALL_LIBS)
	$(Q)BUILD=$(BUILD) scripts/check-layers.sh

# The whole suite, then the whole suite again under AddressSanitizer + UBSan;
# both passes run to the end, then one line adds up everything they ran.
test: deps
	$(Q)rm -f build/test-totals; mkdir -p build; st=0; \
	$(MAKE) --no-print-directory check-layers || st=1; \
	$(MAKE) -k --no-print-directory TOTALS=$(CURDIR)/build/test-totals \
		unit-tests shell-tests || st=1; \
	$(MAKE) -k --no-print-directory BUILD=build/asan SAN=1 TOTALS=$(CURDIR)/build/test-totals \
		unit-tests shell-tests || st=1; \
	scripts/run-tests.sh --sum build/test-totals $$st

bench: deps
	$(Q)$(MAKE) --no-print-directory bench-run

# Each bench's output is shown and kept in $(BUILD)/bench/; the "@row" lines
# they print (tests/bench-table.h) become the one table at the end.  They run
# in name order and share BENCH_DIR (that directory): bench_check leaves there
# the version-6 copy of big and its trace-cmd report timings, which bench_load
# uses instead of making and timing them again; the copy is removed at the end.
bench-run: $(BIN) $(BENCH_BINS)
	$(Q)rm -rf $(BUILD)/bench; mkdir -p $(BUILD)/bench; \
	trap 'rm -f $(BUILD)/bench/big-v6.dat' EXIT; \
	i=10; for b in $(sort $(BENCH_BINS)) $(sort $(wildcard tests/bench_*.sh)); do \
		echo "== $$b"; i=$$((i + 1)); log=$(BUILD)/bench/$$i-$${b##*/}.log; \
		case $$b in *.sh) run="sh $$b" ;; *) run=$$b ;; esac; \
		QUICK=$(QUICK) CAPTURES=$(CAPTURES) DMASCOPE=$(abspath $(BIN)) \
			BENCH_DIR=$(abspath $(BUILD)/bench) $$run >$$log 2>&1; \
		st=$$?; grep -v '^@row' $$log; [ $$st -eq 0 ] || { echo "$$b failed ($$st)"; exit 1; }; \
	done; \
	QUICK=$(QUICK) sh scripts/bench-table.sh $(BUILD)/bench/*.log | tee $(BUILD)/bench/table.md

# libFuzzer targets, built with clang into build/fuzz.
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
fuzz:
	$(Q)scripts/deps.sh --fuzz
	$(Q)$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
		EXTRA_CFLAGS="$(FUZZ_FLAGS) -O1 -g" fuzz-run

FUZZ_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(FUZZ_SRC))
$(BUILD)/tests/fuzz_%: $(BUILD)/tests/fuzz_%.o $(ALL_LIBS)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) -fsanitize=fuzzer,address,undefined -o $@ $< $(ALL_LIBS) $(LIBS)

fuzz-run: $(FUZZ_BINS)
	$(Q)for f in $(FUZZ_BINS); do \
		name=$${f##*/fuzz_}; corpus=$(BUILD)/corpus/$$name; mkdir -p $$corpus; \
		CAPTURES=$(CAPTURES) scripts/fuzz-seeds.sh $$name $$corpus; \
		echo "== $$f ($(FUZZ_SECONDS)s)"; \
		extra=; [ $$name = ftrace ] && extra="-max_len=10000000 -len_control=0"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
			-print_final_stats=1 $$extra $$corpus || exit 1; \
	done

# what lessons may dma.load(), installed under the same relative paths
LESSON_DATA := $(wildcard traces/samples/*.dmt) tests/data/captures/buggy/trace.dat

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/dmascope
	install -m 644 docs/dmascope.1 $(DESTDIR)$(PREFIX)/share/man/man1/dmascope.1
	$(Q)for f in $$(cd lessons && find . -type f -name '*.lua'); do \
		install -D -m 644 lessons/$$f $(DESTDIR)$(PREFIX)/share/dmascope/lessons/$$f; done
	$(Q)for f in $(LESSON_DATA); do \
		install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/dmascope/$$f; done
	$(Q)for l in $(LINGUAS); do \
		install -D -m 644 build/locale/$$l/LC_MESSAGES/dmascope.mo \
			$(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/dmascope.mo; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dmascope $(DESTDIR)$(PREFIX)/share/man/man1/dmascope.1
	rm -rf $(DESTDIR)$(PREFIX)/share/dmascope
	rm -f $(patsubst %,$(DESTDIR)$(PREFIX)/share/locale/%/LC_MESSAGES/dmascope.mo,$(LINGUAS))

clean:
	rm -rf build dmascope

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
