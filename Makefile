# nengli — the usual commands. `make run` and `make test` install what is missing (scripts/install-deps) first.
#   make run     build, create a demo database (var/demo.db) and serve http://127.0.0.1:8080
#   make test    build with AddressSanitizer + UBSan and run every suite (unit, API on SQLite and PostgreSQL, browser)
#   make build   release build in build/ (with the web UI embedded)
#   make bench   short benchmarks (make bench-full: the large ones)
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
	bench/http.sh --short $(BUILD)/nengli
	bench/kpi.sh --short $(BUILD)

bench-full: build
	bench/http.sh $(BUILD)/nengli
	bench/kpi.sh --full $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist
