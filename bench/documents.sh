#!/usr/bin/env bash
# Documents benchmark (issue 6): how long the records take to render — the `all` workbook and the evaluation report
# PDF first (the issue's target: under 1 s each for a year with 10 million tickets behind it, the figures coming from
# the measures engine, not from rescanning tickets), then the other formats, for
#   (a) the demo organisation's current year, on a database that also holds N generated tickets (bench/kpigen.c) so
#       that the monthly trends come from the measures engine over real aggregates, and
#   (b) a large synthetic year: T work items (each with a progress report and a check), M monthly metrics with their
#       12 values, 40 plan items — written straight into SQLite.
# Builds nothing: give it a build directory (a release build). SQLite only (the documents read through the same domain
# calls on PostgreSQL; the API tests run both).
#
# Usage: bench/documents.sh [--tickets N] [--tasks T] [--metrics M] [--runs R] [--targets-only] [--out FILE | --no-record] [BUILD_DIR]
#   BUILD_DIR      default build/ (nengli, bench/nengli-kpigen)
#   --tickets N    generated tickets (default 1000000; 10000000 is the issue's size, ~1.5 min to generate)
#   --tasks T      work items of the synthetic year (default 10000)
#   --metrics M    monthly metrics of the synthetic year (default 200)
#   --runs R       timed downloads of each document through `nengli serve` (default 5; the median is reported)
#   --targets-only only the `all` workbook and the evaluation PDF (of both years) and the cold exports (`make bench`)
#   --out FILE     append the markdown record to FILE (default bench/results/documents-YYYYMMDD.md)
#   --no-record    print only
# Each document is timed as a client sees it: `curl` against a warm `nengli serve` (fonts warmed at start, the measures
# engine's copy loaded by a first request), from the request to the last byte. One cold `nengli export` (a new process:
# migrations check, fonts, the engine's copy loaded from kpi_daily) is timed too.
# NENGLI_BENCH_SUMMARY=FILE: also append the target documents' times as tab-separated lines (bench/run.sh).
# Exit status: 0 when every document rendered (timings are reported, not enforced), 1 otherwise, 2 on bad usage.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD=""
TICKETS=1000000
TASKS=10000
METRICS=200
RUNS=5
RECORD=1
TARGETS_ONLY=0
declare -A MEDIAN_MS=()
OUT=""
DEMO_YEAR=2026
BIG_YEAR=2024

usage() { sed -n '11,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
say() { printf 'bench/documents: %s\n' "$*" >&2; }
die() { printf 'bench/documents: %s\n' "$*" >&2; exit 1; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }   # arithmetic on decimals without bc (not in a minimal Debian)

while [ $# -gt 0 ]; do
  case "$1" in
    --tickets) [ $# -ge 2 ] || usage; TICKETS=$2; shift ;;
    --tasks) [ $# -ge 2 ] || usage; TASKS=$2; shift ;;
    --metrics) [ $# -ge 2 ] || usage; METRICS=$2; shift ;;
    --runs) [ $# -ge 2 ] || usage; RUNS=$2; shift ;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
    --no-record) RECORD=0 ;;
    --targets-only) TARGETS_ONLY=1 ;;
    -h|--help) usage ;;
    -*) say "unknown option $1"; usage ;;
    *) BUILD=$1 ;;
  esac
  shift
done
BUILD=${BUILD:-$REPO/build}
BIN=$BUILD/nengli
GEN=$BUILD/bench/nengli-kpigen
[ -x "$BIN" ] || die "no $BIN (meson setup $BUILD --buildtype=release && ninja -C $BUILD)"
[ "$TICKETS" -eq 0 ] || [ -x "$GEN" ] || die "no $GEN"
for t in curl sqlite3; do command -v "$t" >/dev/null || die "$t is needed"; done
[ -n "$OUT" ] || OUT=$REPO/bench/results/documents-$(date -u +%Y%m%d).md

TMP=$(mktemp -d /tmp/nengli-bench-docs.XXXXXX)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
DB=$TMP/bench.db

say "database: init, $TICKETS tickets, the demo organisation"
printf 'bench-admin-%s\n' "$RANDOM$RANDOM" >"$TMP/pw"
"$BIN" init --db "$DB" --admin-password-file "$TMP/pw" >/dev/null
t0=$(date +%s.%N)
[ "$TICKETS" -eq 0 ] || "$GEN" sqlite "$DB" "$TICKETS" >/dev/null
t1=$(date +%s.%N)
"$BIN" demo --db "$DB" >/dev/null
say "tickets generated in $(calc "$t1 - $t0") s"

say "synthetic year $BIG_YEAR: $TASKS work items, $METRICS monthly metrics"
sqlite3 "$DB" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
INSERT INTO plans (year, title, doc_number, version, status, review_achievements, review_problems, review_carryover,
  tracking_plan, tracking_frequency, tracking_checkpoints, tracker_user_id, prepared_by, submitted_by, submitted_at,
  approved_by, approved_at, created_at, updated_at)
VALUES ($BIG_YEAR, '${BIG_YEAR}年度服务能力管理计划（基准测试）', 'NL-CAP-$BIG_YEAR', 1, 'approved', '上年度回顾。', '问题。', '结转。',
  '质量管理部每月跟踪。', 'month', '每月 5 日', 5, 3, 3, '$((BIG_YEAR - 1))-12-20T02:00:00Z', 2,
  '$((BIG_YEAR - 1))-12-22T08:00:00Z', '$((BIG_YEAR - 1))-12-01T02:00:00Z', '$((BIG_YEAR - 1))-12-22T08:00:00Z');
INSERT INTO plan_history (plan_id, version, action, at, by_user_id, by_name, comment)
SELECT id, 1, 'created', created_at, 3, '李明', '' FROM plans WHERE year = $BIG_YEAR;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 39)
INSERT INTO plan_items (plan_id, element, area, current_state, objective, measures, owner_department_id, owner_user_id,
  due_date, budget, sort, created_at, updated_at)
SELECT p.id, e.element, e.area, '现状描述 ' || i, '年度目标 ' || i, '措施一；措施二；措施三。', 2, 3,
  printf('%d-%02d-28', $BIG_YEAR, 1 + i % 12), '预算 ' || i || ' 万元', i, p.created_at, p.created_at
FROM n, plans p, (SELECT 0 AS k, 'people' AS element, 'people.training' AS area UNION ALL SELECT 1, 'process', 'process.incident'
  UNION ALL SELECT 2, 'technology', 'technology.solving' UNION ALL SELECT 3, 'resources', 'resources.knowledge_base') e
WHERE p.year = $BIG_YEAR AND e.k = i % 4;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $METRICS - 1)
INSERT INTO metrics (year, code, name, name_en, element, definition, unit, direction, target, warning, frequency, source,
  method, owner_department_id, created_at, updated_at)
SELECT $BIG_YEAR, printf('BM-%04d', i), '基准指标 ' || i, 'Benchmark metric ' || i,
  CASE i % 4 WHEN 0 THEN 'people' WHEN 1 THEN 'process' WHEN 2 THEN 'technology' ELSE 'resources' END,
  '完成数÷计划数', 'ratio', 'higher_better', 0.95, 0.9, 'month', 'manual', '每月统计', 2,
  '$((BIG_YEAR - 1))-12-25T02:00:00Z', '$((BIG_YEAR - 1))-12-25T02:00:00Z'
FROM n;
WITH RECURSIVE m(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM m WHERE k < 12)
INSERT INTO metric_values (metric_id, period, numerator, denominator, actual, target, warning, rate, status, origin,
  deviation_analysis, corrective_action, evidence, recorded_by, recorded_at, reviewed_by, reviewed_at)
SELECT id, printf('%d-%02d', $BIG_YEAR, k), num, 100, num / 100.0, 0.95, 0.9, num / 95.0,
  CASE WHEN num >= 95 THEN 'met' WHEN num >= 90 THEN 'warning' ELSE 'missed' END, 'manual',
  CASE WHEN num < 90 THEN '偏差分析 ' || id ELSE '' END, CASE WHEN num < 90 THEN '纠正措施 ' || id ELSE '' END,
  '统计表', 6, printf('%d-%02d-05T02:00:00Z', $BIG_YEAR, k), 5, printf('%d-%02d-10T02:00:00Z', $BIG_YEAR, k)
FROM (SELECT x.id AS id, m.k AS k, 85 + ((x.id * 7 + m.k * 13) % 15) AS num FROM metrics x, m WHERE x.year = $BIG_YEAR);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $TASKS - 1)
INSERT INTO tasks (year, department_id, title, plan_item_id, metric_id, owner_user_id, planned_start, planned_end,
  actual_end, deliverable, status, percent, created_by, created_at, updated_at)
SELECT $BIG_YEAR, 2 + i % 3, '基准工作项 ' || i || '：巡检脚本开发与上线',
  (SELECT min(id) FROM plan_items WHERE plan_id = (SELECT id FROM plans WHERE year = $BIG_YEAR)) + i % 40,
  NULL, 3 + i % 4, printf('%d-%02d-01', $BIG_YEAR, 1 + i % 12), printf('%d-%02d-28', $BIG_YEAR, 1 + i % 12),
  CASE WHEN i % 3 = 0 THEN printf('%d-%02d-%02d', $BIG_YEAR, 1 + i % 12, 20 + i % 9) END, '交付物 ' || i,
  CASE i % 5 WHEN 0 THEN 'done' WHEN 3 THEN 'done' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'delayed' ELSE 'cancelled' END,
  CASE i % 5 WHEN 0 THEN 100 WHEN 3 THEN 100 WHEN 1 THEN 50 WHEN 2 THEN 30 ELSE 0 END, 3,
  '$BIG_YEAR-01-02T02:00:00Z', '$BIG_YEAR-01-02T02:00:00Z'
FROM n;
UPDATE tasks SET actual_end = printf('%d-%02d-25', $BIG_YEAR, 1 + id % 12) WHERE year = $BIG_YEAR AND status = 'done' AND actual_end IS NULL;
INSERT INTO task_progress (task_id, percent, status, note, evidence, reported_by, reported_at)
SELECT id, percent, status, '进度说明', '证据 ' || id, owner_user_id, '$BIG_YEAR-06-30T02:00:00Z' FROM tasks WHERE year = $BIG_YEAR;
INSERT INTO task_checks (task_id, checked_on, finding, deviation_reason, corrective_action, due_date, checker_user_id,
  verified, created_at)
SELECT id, '$BIG_YEAR-07-05', '检查发现 ' || id, '偏差原因', '纠正措施', NULL, 5, 0, '$BIG_YEAR-07-05T02:00:00Z'
FROM tasks WHERE year = $BIG_YEAR;
COMMIT;
SQL
say "synthetic year written: $(sqlite3 "$DB" "SELECT count(*) FROM tasks WHERE year = $BIG_YEAR") work items," \
  "$(sqlite3 "$DB" "SELECT count(*) FROM metric_values v JOIN metrics m ON m.id = v.metric_id WHERE m.year = $BIG_YEAR") values"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$port
"$BIN" serve --db "$DB" --listen "127.0.0.1:$port" >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
TOKEN=$("$BIN" token create --user admin --name bench --db "$DB" | grep -o 'nl_[A-Za-z0-9_-]*' | head -1)
[ -n "$TOKEN" ] || die "no API token"

FAIL=0
ROWS=()
# time_doc LABEL PATH: RUNS downloads; records median / max seconds and the size
time_doc() {
  local label=$1 path=$2 times=() t size code
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL$path" || true   # warm-up (engine copy, caches)
  for _ in $(seq 1 "$RUNS"); do
    read -r code t size < <(curl -s -o "$TMP/doc" -w '%{http_code} %{time_total} %{size_download}\n' \
      -H "Authorization: Bearer $TOKEN" "$URL$path")
    if [ "$code" != 200 ]; then say "$label: HTTP $code"; FAIL=1; return; fi
    times+=("$t")
  done
  local sorted median max
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  median=$(printf '%s\n' "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  max=$(printf '%s\n' "$sorted" | tail -1)
  MEDIAN_MS[$label]=$(printf '%.0f' "$(calc "$median * 1000")")
  ROWS+=("| $label | $(printf '%.0f' "$(calc "$median * 1000")") | $(printf '%.0f' "$(calc "$max * 1000")") | $(( size / 1024 )) |")
  say "$label: median ${median}s, max ${max}s, $(( size / 1024 )) KiB"
}

E=/api/v1/exports
time_doc "demo $DEMO_YEAR — all, XLSX (target < 1 s)" "$E/all?year=$DEMO_YEAR&format=xlsx"
time_doc "demo $DEMO_YEAR — evaluation, PDF (target < 1 s)" "$E/evaluation?year=$DEMO_YEAR&format=pdf"
if [ "$TARGETS_ONLY" -eq 0 ]; then
time_doc "demo $DEMO_YEAR — achievement, PDF (trends from the measures engine)" "$E/achievement?year=$DEMO_YEAR&format=pdf"
time_doc "demo $DEMO_YEAR — all, PDF" "$E/all?year=$DEMO_YEAR&format=pdf"
time_doc "demo $DEMO_YEAR — all, DOCX" "$E/all?year=$DEMO_YEAR&format=docx"
fi
time_doc "synthetic $BIG_YEAR — all, XLSX" "$E/all?year=$BIG_YEAR&format=xlsx"
time_doc "synthetic $BIG_YEAR — evaluation, PDF" "$E/evaluation?year=$BIG_YEAR&format=pdf"
if [ "$TARGETS_ONLY" -eq 0 ]; then
time_doc "synthetic $BIG_YEAR — tracking, XLSX" "$E/tracking?year=$BIG_YEAR&format=xlsx"
time_doc "synthetic $BIG_YEAR — tracking, PDF" "$E/tracking?year=$BIG_YEAR&format=pdf"
time_doc "synthetic $BIG_YEAR — achievement, XLSX" "$E/achievement?year=$BIG_YEAR&format=xlsx"
time_doc "synthetic $BIG_YEAR — tracking, DOCX" "$E/tracking?year=$BIG_YEAR&format=docx"
fi

# One cold process: what `nengli export` costs from the command line.
t0=$(date +%s.%N)
"$BIN" export all --year "$DEMO_YEAR" --format xlsx -o "$TMP/cold.xlsx" --db "$DB" >/dev/null || FAIL=1
t1=$(date +%s.%N)
"$BIN" export evaluation --year "$DEMO_YEAR" --format pdf -o "$TMP/cold.pdf" --db "$DB" >/dev/null || FAIL=1
t2=$(date +%s.%N)
COLD_XLSX=$(printf '%.0f' "$(calc "($t1 - $t0) * 1000")")
COLD_PDF=$(printf '%.0f' "$(calc "($t2 - $t1) * 1000")")
say "cold nengli export: all XLSX ${COLD_XLSX} ms, evaluation PDF ${COLD_PDF} ms"
if [ -n "${NENGLI_BENCH_SUMMARY:-}" ]; then
  # what<TAB>nengli<TAB>reference<TAB>ratio (target ÷ time: above 1 meets it)<TAB>target
  for label in "demo $DEMO_YEAR — all, XLSX (target < 1 s)" "demo $DEMO_YEAR — evaluation, PDF (target < 1 s)" \
      "synthetic $BIG_YEAR — all, XLSX" "synthetic $BIG_YEAR — evaluation, PDF"; do
    ms=${MEDIAN_MS[$label]:-}
    [ -n "$ms" ] || continue
    printf 'export %s (%s tickets, %s work items)\t%s ms\t1000 ms (target)\t%s\t>= 1 (under 1 s)\n' "${label% (target < 1 s)}" \
      "$TICKETS" "$TASKS" "$ms" "$(awk -v m="$ms" 'BEGIN { printf "%.1f", 1000 / (m > 0 ? m : 1) }')" >>"$NENGLI_BENCH_SUMMARY"
  done
  printf 'export cold `nengli export` all XLSX / evaluation PDF\t%s ms / %s ms\t1000 ms (target)\t-\t-\n' "$COLD_XLSX" "$COLD_PDF" >>"$NENGLI_BENCH_SUMMARY"
fi
PAGES=$(pdfinfo "$TMP/doc" 2>/dev/null | awk '/^Pages/ {print $2}' || true)

RSS=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status" 2>/dev/null || echo "?")
REC=$(cat <<EOF

## Documents — $(date -u +%Y-%m-%dT%H:%MZ)

Machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r);
$(dpkg-query -W -f='${Package} ${Version}, ' libxlsxwriter1 libcairo2 libpango-1.0-0 2>/dev/null)SQLite $(sqlite3 --version | cut -d' ' -f1).
Database: $TICKETS generated tickets (measures engine), the demo organisation, and a synthetic year $BIG_YEAR with
$TASKS work items (each with a progress report and a check), $METRICS monthly metrics (12 values each), 40 plan items.
Timed with curl against a warm \`nengli serve\`, $RUNS downloads each after one warm-up; median and max of the runs.

| document | median ms | max ms | KiB |
|---|---:|---:|---:|
$(printf '%s\n' "${ROWS[@]}")

Cold \`nengli export\` (a new process): all XLSX $COLD_XLSX ms, evaluation PDF $COLD_PDF ms.
Server peak RSS after the run: ${RSS} kB.
EOF
)
printf '%s\n' "$REC"
if [ "$RECORD" -eq 1 ]; then
  mkdir -p "$(dirname "$OUT")"
  printf '%s\n' "$REC" >>"$OUT"
  say "recorded in $OUT"
fi
[ -z "$PAGES" ] || say "last document: $PAGES pages"
exit $FAIL
