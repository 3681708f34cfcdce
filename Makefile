# nengli — the usual commands. `make run` and `make test` install what is missing (scripts/install-deps) first.
#   make run     build, create a demo database (var/demo.db) and serve http://127.0.0.1:8080
#   make test    build with AddressSanitizer + UBSan and run every suite (unit, API on SQLite and PostgreSQL, browser)
#   make build   release build in build/ (with the web UI embedded)
#   make bench   short benchmarks (make bench-full: the large ones)
#   make test-load, make test-valgrind   the 60-s mixed load, valgrind over the unit and API suites (RELIABILITY.md)
#   make clean   remove build output
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

BUILD      ?= build
ASAN_BUILD ?= build-asan
LISTEN     ?= 127.0.0.1:8080
DEMO_DB    ?= var/demo.db
WEB_SRC    := $(shell find web/src web/index.html web/vite.config.* web/package.json -type f 2>/dev/null)

export ASAN_OPTIONS  ?= detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS  ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

.PHONY: all deps web build build-asan run test test-unit test-api test-e2e bench bench-full clean

all: build

deps:
	@scripts/install-deps

# The web UI: npm ci when the lockfile changes, vite build when a source changes. The binary embeds web/dist.
web/node_modules/.nengli-stamp: web/package-lock.json
	(cd web && npm ci --no-audit --no-fund --loglevel=error)
	touch $@

web/dist/index.html: web/node_modules/.nengli-stamp $(WEB_SRC)
	(cd web && npm run --silent build)
	touch $@

web: $(if $(wildcard web/package.json),web/dist/index.html)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_ndebug=false >/dev/null

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

build: deps web $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-asan: deps web $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

run: build
	@mkdir -p var
	if [ ! -f $(DEMO_DB) ]; then
	  $(BUILD)/nengli init --db $(DEMO_DB) >/dev/null
	  $(BUILD)/nengli demo --db $(DEMO_DB) >/dev/null
	fi
	echo
	echo "  nengli is serving http://$(LISTEN)   (demo database: $(DEMO_DB); Ctrl-C stops)"
	echo "  Log in as planner / planner-demo — or admin, approver, hr, quality, member, auditor;"
	echo "  each password is the user name followed by -demo."
	echo
	exec $(BUILD)/nengli serve --db $(DEMO_DB) --listen $(LISTEN) --log-level warn

# The suites `make test` runs, in order, against the sanitizer build. Later blocks of this file add theirs
# (TEST_SUITES += ...) next to their own targets.
TEST_SUITES := test-unit test-api test-e2e
TEST_SUITES += test-load-short
TEST_SUITES += test-fuzz

test: build build-asan
	$(MAKE) --no-print-directory $(TEST_SUITES) BIN=$(ASAN_BUILD)/nengli
	echo "make test: every suite passed"

test-unit:
	meson test -C $(ASAN_BUILD) --suite unit --print-errorlogs

BIN ?= $(ASAN_BUILD)/nengli
test-api:
	scripts/test-api both $(BIN)

test-e2e:
	scripts/test-e2e $(BIN)

bench: build
	bench/run.sh --short $(BUILD)

bench-full: build
	bench/run.sh --full $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist

# Fuzzing (fuzz/README.md): the libFuzzer drivers, built with clang, ASan and UBSan in $(FUZZ_BUILD).
#   make fuzz        each target for FUZZ_SECONDS (default 300), FUZZ_JOBS at a time; new interesting inputs are
#                    kept in FUZZ_WORK (default var/fuzz, outside git) and reused by the next run
#   make test-fuzz   each target for 20 s on a copy of the committed corpus, after replaying fuzz/regressions/;
#                    fails on any crash, leak, timeout or sanitizer report (inputs and logs in tests/artifacts/fuzz/)
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_JOBS    ?= 2
.PHONY: fuzz fuzz-build test-fuzz

# -Dwerror=false: clang warns where gcc does not (e.g. -Wmissing-field-initializers on `{ NULL }`); the gcc builds
# keep -Werror, the fuzz build must not stop on a warning.
$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) --buildtype=debugoptimized -Dfuzz=true -Db_sanitize=address,undefined \
	  -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link -Dwerror=false >/dev/null

fuzz-build: $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) fuzzers

fuzz: fuzz-build
	FUZZ_WORK=$${FUZZ_WORK:-var/fuzz} scripts/fuzz-run long $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS)

test-fuzz: fuzz-build
	scripts/fuzz-run test $(FUZZ_BUILD) 20 $(FUZZ_JOBS)

# Load and leaks (RELIABILITY.md, "Load and leaks"): tests/load/run.sh — a mixed read/write load with wrk on loopback
# at saturation against a release build (resident memory is meaningless under ASan), failing on any answer that is
# not 2xx/3xx, any socket error, or resident memory growing more than 10% after the warm-up.
#   make test-load        LOAD_SECONDS (default 60) after a 60 s warm-up (the heap reaches its working size)
#   make test-load-short  15 s after a 10 s warm-up, memory bound 30% (part of `make test`, which passes BIN: ignored here)
#   make test-valgrind    valgrind memcheck over the unit tests and the API suite (SQLite) on a debug build without
#                         sanitizers in $(VALGRIND_BUILD); fails on any error or definite leak (tests/valgrind/run.sh)
LOAD_SECONDS   ?= 60
VALGRIND_BUILD ?= build-valgrind
.PHONY: test-load test-load-short test-valgrind

test-load: build
	LOAD_SECONDS=$(LOAD_SECONDS) tests/load/run.sh $(BUILD)/nengli

# The short run's heap has not reached its working size after 10 s (it levels off after ~100 s of load: RELIABILITY.md),
# so its resident-memory bound is a leak tripwire (30%), not the 10% of the full run.
test-load-short: build
	LOAD_SECONDS=15 LOAD_WARMUP_SECONDS=10 LOAD_RSS_LIMIT_PCT=30 tests/load/run.sh $(BUILD)/nengli

$(VALGRIND_BUILD)/build.ninja:
	meson setup $(VALGRIND_BUILD) --buildtype=debug >/dev/null

test-valgrind: deps web $(VALGRIND_BUILD)/build.ninja
	ninja -C $(VALGRIND_BUILD)
	tests/valgrind/run.sh $(VALGRIND_BUILD)
