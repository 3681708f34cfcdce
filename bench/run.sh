#!/usr/bin/env bash
# Every benchmark of issue 8 in one run, ending with one table of ratios (each against a reference measured in the
# same run on the same machine). `make bench` runs the short version, `make bench-full` the large one.
# Builds nothing: give it a build directory (a release build with bench/nengli-kpigen and bench/nengli-kpi-bench).
#
# Usage: bench/run.sh [--short | --full] [BUILD_DIR]        (default --short, build/)
#
#   --short (make bench, < 2 min on 2 cores; 200,000 tickets):
#     bench/http.sh --short --kpis 200000 BIN        GET /api/v1/me and the dashboard's KPI call vs nginx, p99, memory
#                                                    (NENGLI_BENCH_DURATION=2: 2 s rounds)
#     bench/import.sh --quick --rows 200000 --pg-rows 10000 BIN   vs sqlite3 .import and PostgreSQL COPY of the same CSV
#     bench/kpi.sh --tickets 200000 --runs 5 BUILD   the KPI table vs the same aggregates as SQL (SQLite, PostgreSQL)
#     bench/documents.sh --tickets 200000 --tasks 1000 --metrics 50 --runs 2 --targets-only BUILD
#   --full (make bench-full; 10,000,000 tickets, about 40 minutes):
#     bench/http.sh --kpis 10000000 BIN; bench/import.sh --rows 1000000 --pg-rows 100000 BIN;
#     bench/kpi.sh --full BUILD; bench/documents.sh --tickets 10000000 --targets-only BUILD
#
# Each script also writes its record in bench/results/ and can be run alone (bench/README.md). Exit status: 1 when
# a script failed (its measurement could not be made); ratios below target are reported, not failed.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
MODE=short
BUILD=""
while [ $# -gt 0 ]; do
  case "$1" in
    --short) MODE=short ;;
    --full) MODE=full ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    -*) echo "bench/run: unknown option $1" >&2; exit 2 ;;
    *) BUILD=$1 ;;
  esac
  shift
done
BUILD=$(readlink -f "${BUILD:-$REPO/build}")
BIN=$BUILD/nengli
[ -x "$BIN" ] || { echo "bench/run: no $BIN (make build)" >&2; exit 1; }

SUMMARY=$(mktemp /tmp/nengli-bench-summary.XXXXXX)
trap 'rm -f "$SUMMARY"' EXIT
export NENGLI_BENCH_SUMMARY=$SUMMARY
FAILED=()
START=$(date +%s)

step() {   # step NAME COMMAND...: runs one benchmark, keeps going when it fails
  local name=$1 t0 rc=0
  shift
  t0=$(date +%s)
  printf '\n=== bench/run: %s — %s\n' "$name" "$*" >&2
  "$@" || rc=$?
  printf '=== bench/run: %s: exit %s after %s s\n' "$name" "$rc" "$(( $(date +%s) - t0 ))" >&2
  [ "$rc" -eq 0 ] || FAILED+=("$name (exit $rc)")
}

if [ "$MODE" = short ]; then
  N=200000
  step http env NENGLI_BENCH_DURATION="${NENGLI_BENCH_DURATION:-2}" "$HERE/http.sh" --short --kpis $N "$BIN"
  step import "$HERE/import.sh" --quick --rows $N --pg-rows 10000 "$BIN"
  step kpi "$HERE/kpi.sh" --tickets $N --runs 5 "$BUILD"
  step documents "$HERE/documents.sh" --tickets $N --tasks 1000 --metrics 50 --runs 2 --targets-only "$BUILD"
else
  N=10000000
  step http "$HERE/http.sh" --kpis $N "$BIN"
  step import "$HERE/import.sh" --rows 1000000 --pg-rows 100000 "$BIN"
  step kpi "$HERE/kpi.sh" --full "$BUILD"
  step documents "$HERE/documents.sh" --tickets $N --targets-only "$BUILD"
fi

# --- The table of ratios -------------------------------------------------------------------------------------------
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
[ -n "$CPU" ] || CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
COMMIT=$(git -C "$REPO" rev-parse -q --short HEAD 2>/dev/null || echo none)
[ -z "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ] || COMMIT="$COMMIT+changes"
RECORD=$HERE/results/run-$(date -u +%Y%m%d)-$MODE.md
[ -s "$RECORD" ] || printf '# bench/run.sh --%s, %s\n\nMethod: [BENCHMARKS.md](../../BENCHMARKS.md).\n' "$MODE" "$(date -u +%Y-%m-%d)" >"$RECORD"
{
  echo
  echo "## bench/run.sh --$MODE — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(( $(date +%s) - START )) s"
  echo
  echo "Machine: $CPU, $(nproc) cores, $MEM, kernel $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "nengli $("$BIN" version 2>/dev/null | head -n 1), commit $COMMIT, build $BUILD."
  echo "Each ratio is nengli against a reference measured in the same run (req/s and rows/s: nengli ÷ reference;"
  echo "KPI: SQL time ÷ engine time; exports: the 1 s target ÷ time)."
  echo
  echo "| benchmark | nengli | reference | ratio | target |"
  echo "|---|---:|---:|---:|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$SUMMARY"
  if [ ${#FAILED[@]} -gt 0 ]; then
    echo
    echo "FAILED (no figures): ${FAILED[*]}"
  fi
} | tee -a "$RECORD"
[ ${#FAILED[@]} -eq 0 ]
