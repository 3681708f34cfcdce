#!/usr/bin/env bash
# run.sh — `make test-valgrind`: valgrind memcheck over the unit tests and the API suite (SQLite), on a debug build
# without sanitizers. Fails on any memcheck error or any definitely lost block (other leak kinds are reported in the
# logs, not failed: libraries keep some memory until exit on purpose). Suppressions: tests/valgrind/nengli.supp.
#
#   tests/valgrind/run.sh [BUILD_DIR [API_TEST_FILE...]]   (default build-valgrind; every tests/api file not skipped)
#
# VALGRIND_UNIT=0 leaves out the unit tests (to re-run a few API files).
# The API suite runs with NENGLI_TEST_SLOW=1 (tests/api/lib.mjs: request and start-up timeouts × 6; timing-sensitive
# tests relax or skip themselves) and the server, `nengli init` and every extra server the tests start run under
# valgrind through a wrapper. It runs in batches of test files (scripts/test-api gives one `node --test` 10 minutes),
# each on a fresh database. VALGRIND_SKIP (space-separated file names) leaves files out; the default skips those whose
# point is timing under load (listed below) — they run under ASan in `make test`.
# Logs: tests/artifacts/valgrind/, or VALGRIND_ARTIFACTS (unit-*.log, api-*.log: one per valgrind process, with its
# command line; emptied at the start).
set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
BUILD=${1:-build-valgrind}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
[ $# -gt 0 ] && shift
ART=${VALGRIND_ARTIFACTS:-$ROOT/tests/artifacts/valgrind}   # emptied first
SUPP=$ROOT/tests/valgrind/nengli.supp
BATCH=${VALGRIND_BATCH:-5}
# load.test.mjs: 256 connections answered within a time bound; crash*.test.mjs / backup_restore.test.mjs: bursts of
# writes racing a SIGKILL or a backup with time limits — valgrind's 20–50× slowdown says nothing about memory there.
SKIP=${VALGRIND_SKIP-load.test.mjs crash.test.mjs crash_safety.test.mjs backup_restore.test.mjs}

say() { printf 'test-valgrind: %s\n' "$*" >&2; }
command -v valgrind >/dev/null 2>&1 || { say "valgrind is missing (apt-get install valgrind)"; exit 1; }
[ -x "$BUILD/nengli" ] || { say "no $BUILD/nengli: meson setup $BUILD --buildtype=debug && ninja -C $BUILD"; exit 1; }

rm -rf "$ART"
mkdir -p "$ART"
VG="valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
--error-exitcode=99 --num-callers=40 --track-origins=yes --suppressions=$SUPP"

# --- unit tests ------------------------------------------------------------------------------------------------------
unit_rc=0
if [ "${VALGRIND_UNIT:-1}" != 0 ]; then
  say "unit tests under valgrind ($BUILD)"
  meson test -C "$BUILD" --suite unit --print-errorlogs --timeout-multiplier 30 \
    --wrapper "$VG --log-file=$ART/unit-%p.log" || unit_rc=$?
fi

# --- the API suite ---------------------------------------------------------------------------------------------------
WRAP=$(mktemp -d /tmp/nengli-vg.XXXXXX)
trap 'rm -rf "$WRAP"' EXIT
cat >"$WRAP/nengli" <<EOF
#!/bin/sh
# nengli under valgrind memcheck (written by tests/valgrind/run.sh)
exec $VG --log-file=$ART/api-%p.log "$BUILD/nengli" "\$@"
EOF
chmod +x "$WRAP/nengli"

FILES=()
SKIPPED=()
if [ $# -gt 0 ]; then CANDIDATES=("$@"); else CANDIDATES=("$ROOT"/tests/api/*.test.mjs); fi
for f in "${CANDIDATES[@]}"; do
  case "$f" in /*) ;; *) f=$(pwd -P)/$f ;; esac
  name=$(basename "$f")
  if [[ " $SKIP " == *" $name "* ]]; then SKIPPED+=("$name"); else FILES+=("$f"); fi
done
say "API suite (SQLite) under valgrind: ${#FILES[@]} files in batches of $BATCH; skipped: ${SKIPPED[*]:-none}"
api_rc=0
failed_batches=()
for ((i = 0; i < ${#FILES[@]}; i += BATCH)); do
  batch=("${FILES[@]:i:BATCH}")
  say "batch $((i / BATCH + 1)): $(for f in "${batch[@]}"; do basename "$f"; done | tr '\n' ' ')"
  if ! NENGLI_TEST_SLOW=1 "$ROOT/scripts/test-api" sqlite "$WRAP/nengli" "${batch[@]}"; then
    api_rc=1
    failed_batches+=("$(for f in "${batch[@]}"; do basename "$f"; done | tr '\n' ' ')")
    cp "$ROOT/tests/artifacts/api-sqlite/server.log" "$ART/server-batch-$((i / BATCH + 1)).log" 2>/dev/null || true
  fi
done

# --- the verdict: every valgrind log --------------------------------------------------------------------------------
bad=0
nlogs=0
for log in "$ART"/*.log; do
  case "$log" in */server-batch-*) continue ;; esac
  nlogs=$((nlogs + 1))
  errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
  lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1 | tr -d ,)
  [ -n "$errs" ] || continue    # no summary: a process a test killed on purpose (SIGKILL)
  if [ "$errs" != 0 ] || [ "${lost:-0}" != 0 ]; then
    bad=$((bad + 1))
    say "$(basename "$log"): $errs errors, ${lost:-0} bytes definitely lost — $(grep -m1 'Command:' "$log" | sed 's/.*Command: //')"
  fi
done
say "valgrind logs: $nlogs processes checked, $bad with errors or definite leaks ($ART)"
[ $unit_rc -eq 0 ] || say "unit tests failed under valgrind (meson test exit $unit_rc)"
for b in "${failed_batches[@]}"; do say "API batch failed: $b"; done
[ ${#SKIPPED[@]} -eq 0 ] || say "skipped (timing under load, run under ASan in make test): ${SKIPPED[*]}"
if [ $bad -ne 0 ] || [ $unit_rc -ne 0 ] || [ $api_rc -ne 0 ]; then say "FAILED"; exit 1; fi
say "passed"
