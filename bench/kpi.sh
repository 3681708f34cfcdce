#!/usr/bin/env bash
# KPI benchmark: the full KPI table (every measure, 20 departments × 24 months, and the monthly totals) computed by
# nengli's measures engine, against the same aggregates as one SQL query, on SQLite and on PostgreSQL, over N
# deterministic tickets (bench/kpigen.c). Builds nothing: give it a build directory (a release build).
#
# Usage: bench/kpi.sh [--short | --full | --tickets N] [--engines sqlite,postgres] [--no-sql] [--no-http]
#                     [--runs R] [--out FILE | --no-record] [BUILD_DIR]
#   BUILD_DIR      default build/ (nengli, bench/nengli-kpigen, bench/nengli-kpi-bench); `make bench` passes a release build
#   --short        1,000,000 tickets (the default; `make bench`); records to kpi-YYYYMMDD-short.md
#   --full         10,000,000 tickets (`make bench-full`): the target is < 200 ms and >= 50x the SQL query
#   --tickets N    any other size
#   --engines L    sqlite, postgres or both (default both)
#   --no-sql       skip the one-SQL-query comparison (the slow part)
#   --no-http      skip GET /api/v1/kpis through `nengli serve`
#   --runs R       timed repetitions of each warm measurement (default 20)
#   --out FILE     append the markdown record to FILE (default bench/results/kpi-YYYYMMDD[-short].md)
#   --no-record    print only
# For each engine: `nengli init`, the fill (SQLite: nengli-kpigen's prepared inserts in one transaction;
# PostgreSQL: nengli-kpigen's CSV through psql \copy, then ANALYZE), every (department, day) pair marked dirty as an
# import marks them; then nengli-kpi-bench (in-process: the refresh of the import's dirty pairs, a cold first table,
# the warm table, one ticket changed then the table, the SQL query with a value-by-value check), then R requests
# GET /api/v1/kpis?from=2025-01-01&to=2026-12-31&period=month with a Bearer token against `nengli serve`.
# NENGLI_BENCH_SUMMARY=FILE: also append the ratios as tab-separated lines (bench/run.sh prints them as one table).
# Exit status: 0 when every measurement ran and the SQL and the engine agree on every value (the timings are
# reported, not enforced: benchmarks are not tests), 1 when a measurement failed or disagreed, 2 on bad usage.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD=""
TICKETS=1000000
SIZE=short
ENGINES=sqlite,postgres
DO_SQL=1
DO_HTTP=1
RUNS=20
RECORD=1
OUT=""
FROM=2025-01-01
TO=2026-12-31
TARGET_MS=200
TARGET_RATIO=50
PY=/usr/bin/python3

usage() { sed -n '6,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
say() { printf 'bench/kpi: %s\n' "$*" >&2; }
die() { printf 'bench/kpi: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --short) TICKETS=1000000; SIZE=short ;;
    --full) TICKETS=10000000; SIZE=full ;;
    --tickets) [ $# -ge 2 ] || usage; TICKETS=$2; SIZE=custom; shift ;;
    --engines) [ $# -ge 2 ] || usage; ENGINES=$2; shift ;;
    --no-sql) DO_SQL=0 ;;
    --no-http) DO_HTTP=0 ;;
    --runs) [ $# -ge 2 ] || usage; RUNS=$2; shift ;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
    --no-record) RECORD=0 ;;
    -h|--help) usage ;;
    -*) say "unknown option $1"; usage ;;
    *) [ -z "$BUILD" ] || usage; BUILD=$1 ;;
  esac
  shift
done
[[ $TICKETS =~ ^[1-9][0-9]*$ ]] || die "--tickets needs a positive number"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"
BUILD=$(readlink -f "${BUILD:-$REPO/build}")
BIN=$BUILD/nengli
GEN=$BUILD/bench/nengli-kpigen
KB=$BUILD/bench/nengli-kpi-bench
for f in "$BIN" "$GEN" "$KB"; do
  [ -x "$f" ] || die "missing $f (build first: meson setup build --buildtype=release && ninja -C build)"
done
for tool in curl "$PY"; do command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"; done
case ",$ENGINES," in *,postgres,*) command -v psql >/dev/null 2>&1 || die "psql is missing (apt-get install postgresql-client)" ;; esac

TMP=$(mktemp -d /tmp/nengli-kpi.XXXXXX)
chmod 755 "$TMP"
SERVER_PID=""
PG_DIR=""
# shellcheck disable=SC2317  # invoked by trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DIR" ]; then "$REPO/scripts/pg-temp" stop "$PG_DIR" >/dev/null 2>&1 || say "warning: pg-temp stop failed"; fi
  wait 2>/dev/null || true
  if [ "$rc" -ne 0 ] && [ -n "${KEEP_LOGS:-}" ]; then say "logs kept in $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
now() { date +%s.%N; }
elapsed() { "$PY" -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }

declare -A R=()     # results: R[engine.key]=value
STATUS=0

# run_bench ENGINE URL: nengli-kpi-bench's key/value lines into R[ENGINE.key].
run_bench() {
  local engine=$1 url=$2 key value args=()
  [ "$DO_SQL" -eq 1 ] || args+=(--no-sql)
  say "$engine: engine timings$([ "$DO_SQL" -eq 1 ] && echo ' and the SQL query (minutes on large sizes)')"
  "$KB" "$url" "$FROM" "$TO" "$RUNS" "${args[@]}" >"$TMP/$engine.bench" 2>"$TMP/$engine.bench.err" \
    || { cat "$TMP/$engine.bench.err" >&2; die "$engine: nengli-kpi-bench failed"; }
  while read -r key value; do
    case "$key" in
      '#') say "$engine: $value" ;;
      *) R[$engine.$key]=$value ;;
    esac
  done <"$TMP/$engine.bench"
  if [ "$DO_SQL" -eq 1 ] && [ "${R[$engine.sql_mismatches]:-1}" != 0 ]; then
    say "$engine: the SQL and the engine disagree on ${R[$engine.sql_mismatches]:-?} values"
    STATUS=1
  fi
}

# run_http ENGINE DB: GET /api/v1/kpis through `nengli serve` with a Bearer token, RUNS times after 2 warm-ups.
run_http() {
  local engine=$1 db=$2 port url login csrf token i code
  port=$(free_port)
  url=http://127.0.0.1:$port
  "$BIN" serve --db "$db" --listen "127.0.0.1:$port" --log-level warn >"$TMP/$engine.serve.log" 2>&1 &
  SERVER_PID=$!
  for i in $(seq 1 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    curl -s -o /dev/null --max-time 1 "$url/healthz" && break
    sleep 0.1
  done
  curl -s -o /dev/null --max-time 1 "$url/healthz" || { tail -n 20 "$TMP/$engine.serve.log" >&2; die "$engine: nengli serve did not start"; }
  login=$("$PY" -c 'import json, sys; print(json.dumps({"username": "admin", "password": open(sys.argv[1]).read().strip()}))' "$TMP/admin.pw")
  csrf=$(curl -sf -c "$TMP/cookies" -H 'Content-Type: application/json' -d "$login" "$url/api/v1/session" \
    | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])') || die "$engine: POST /api/v1/session failed"
  token=$(curl -sf -b "$TMP/cookies" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d '{"name":"bench-kpi"}' "$url/api/v1/tokens" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])') \
    || die "$engine: POST /api/v1/tokens failed"
  local q="$url/api/v1/kpis?from=$FROM&to=$TO&period=month"
  : >"$TMP/$engine.http"
  for i in $(seq 1 $((RUNS + 2))); do
    code=$(curl -s -o "$TMP/$engine.kpis.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" "$q")
    [ "${code%% *}" = 200 ] || { head -c 300 "$TMP/$engine.kpis.json" >&2; die "$engine: GET /kpis answered ${code%% *}"; }
    if [ "$i" -eq 1 ]; then R[$engine.http_first_ms]=$("$PY" -c "import sys; print('%.1f' % (float(sys.argv[1]) * 1000))" "${code#* }"); fi
    [ "$i" -gt 2 ] && echo "${code#* }" >>"$TMP/$engine.http"
  done
  read -r "R[$engine.http_min_ms]" "R[$engine.http_median_ms]" < <("$PY" -c '
import sys
t = sorted(float(l) * 1000 for l in open(sys.argv[1]) if l.strip())
print("%.1f %.1f" % (t[0], t[len(t) // 2]))' "$TMP/$engine.http")
  R[$engine.http_bytes]=$(stat -c %s "$TMP/$engine.kpis.json")
  R[$engine.http_rows]=$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$TMP/$engine.kpis.json")
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$TMP/admin.pw"
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)

for engine in ${ENGINES//,/ }; do
  case "$engine" in
    sqlite)
      DB=$TMP/kpi.db
      "$BIN" init --db "$DB" --admin-password-file "$TMP/admin.pw" >"$TMP/init.log" 2>&1 || { cat "$TMP/init.log" >&2; die "nengli init failed"; }
      say "sqlite: filling $TICKETS tickets"
      t0=$(now)
      "$GEN" sqlite "$DB" "$TICKETS" || die "sqlite: the fill failed"
      R[sqlite.fill_s]=$(elapsed "$t0" "$(now)")
      R[sqlite.db_mb]=$(( $(stat -c %s "$DB") / 1048576 ))
      run_bench sqlite "$DB"
      [ "$DO_HTTP" -eq 0 ] || run_http sqlite "$DB"
      ;;
    postgres|pg)
      engine=postgres
      PG_DIR=$TMP/pg
      DB=$("$REPO/scripts/pg-temp" start "$PG_DIR") || die "pg-temp start failed"
      "$BIN" init --db "$DB" --admin-password-file "$TMP/admin.pw" >"$TMP/init-pg.log" 2>&1 || { cat "$TMP/init-pg.log" >&2; die "nengli init (postgres) failed"; }
      say "postgres: filling $TICKETS tickets (psql \\copy)"
      t0=$(now)
      copy() {   # copy TABLE COLUMNS GEN_TABLE
        "$GEN" csv "$3" "$TICKETS" | psql -q -v ON_ERROR_STOP=1 "$DB" -c "\\copy $1 ($2) FROM STDIN WITH (FORMAT csv)" \
          || die "postgres: \\copy $1 failed"
      }
      copy departments "id, code, name, created_at, updated_at" departments
      copy tickets "id, source, external_id, channel, category, priority, status, department_id, opened_at, opened_day, assigned_at, first_response_at, resolved_at, closed_at, reassignment_count, reopen_count, response_minutes, resolution_minutes, wait_minutes, sla_response_met, sla_resolution_met, sla_source_made, created_at, updated_at" tickets
      copy ticket_ratings "ticket_id, score, rated_at, rated_day" ratings
      copy complaints "id, channel, ticket_id, department_id, category, content, received_at, received_day, answer_deadline, status, valid, answered_at, created_at, updated_at" complaints
      copy kpi_dirty "department_id, day" dirty
      psql -q -v ON_ERROR_STOP=1 "$DB" -c "SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT MAX(id) FROM tickets)); ANALYZE" >/dev/null \
        || die "postgres: ANALYZE failed"
      R[postgres.fill_s]=$(elapsed "$t0" "$(now)")
      R[postgres.db_mb]=$(psql -At "$DB" -c "SELECT pg_database_size(current_database()) / 1048576")
      run_bench postgres "$DB"
      [ "$DO_HTTP" -eq 0 ] || run_http postgres "$DB"
      "$REPO/scripts/pg-temp" stop "$PG_DIR" >/dev/null 2>&1 || say "warning: pg-temp stop failed"
      PG_DIR=""
      ;;
    *) die "unknown engine $engine" ;;
  esac
done

# --- Summary ---------------------------------------------------------------------------------------------------------
CPU=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
MEM=$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
SQLITE_V=$("$PY" -c 'import sqlite3; print(sqlite3.sqlite_version)' 2>/dev/null || echo '?')
PG_V=$(psql --version 2>/dev/null | awk '{ print $3 }' || echo '?')
ratio() { "$PY" -c "import sys; a, b = sys.argv[1], sys.argv[2]; print('%.0fx' % (float(a) / float(b)) if a not in ('', '-') and b not in ('', '-') and float(b) > 0 else '-')" "${1:--}" "${2:--}"; }
verdict() { "$PY" -c "import sys; v = sys.argv[1]; print('-' if v in ('', '-') else 'yes' if float(v) < float(sys.argv[2]) else 'no')" "${1:--}" "$2"; }

REPORT=$TMP/report.md
{
  echo "### $(date -u +%Y-%m-%dT%H:%M:%SZ) — $TICKETS tickets ($SIZE)"
  echo
  echo "Machine: $(nproc) × $CPU, $MEM; SQLite $SQLITE_V, PostgreSQL $PG_V. Command: \`bench/kpi.sh $( [ "$SIZE" = custom ] && echo "--tickets $TICKETS" || echo "--$SIZE" ) $BUILD\`."
  echo "Load average (1 min) at the start / the end: $LOAD_START / $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores$("$PY" -c "import sys; print(' — NOISY (other work on the machine): compare timings with care' if max(float(sys.argv[1]), float(sys.argv[2])) > float(sys.argv[3]) else '')" "$LOAD_START" "$(cut -d' ' -f1 /proc/loadavg)" "$(nproc)")."
  echo "Table: from $FROM to $TO per month, ${R[sqlite.rows]:-${R[postgres.rows]:-?}} rows (20 departments × 24 months + 24 totals), every measure."
  echo
  echo "| | SQLite | PostgreSQL |"
  echo "|---|---|---|"
  row() { echo "| $1 | ${R[sqlite.$2]:--} | ${R[postgres.$2]:--} |"; }
  row "fill (s)" fill_s
  row "database (MB)" db_mb
  row "refresh of the fill's dirty pairs (ms)" refresh_ms
  row "of which reading the records and recomputing (ms)" refresh_read_ms
  row "dirty pairs refreshed" refresh_pairs
  row "cold first table: load kpi_daily + table (ms)" cold_ms
  row "in-memory copy (MB)" copy_mb
  row "**full table, in-engine, warm median (ms)**" warm_median_ms
  row "full table, in-engine, warm min (ms)" warm_min_ms
  row "the same table asked again, from the engine's cache of finished tables (ms)" cached_median_ms
  row "one ticket changed → next table (ms)" after_write_table_ms
  row "**GET /api/v1/kpis over HTTP, median (ms)**" http_median_ms
  row "GET /api/v1/kpis, first request after start (ms)" http_first_ms
  row "response size (bytes)" http_bytes
  row "same aggregates as one SQL query (ms)" sql_ms
  row "SQL rows compared" sql_rows
  row "values where SQL and engine disagree (15 significant digits)" sql_mismatches
  echo "| **SQL ÷ engine (warm)** | $(ratio "${R[sqlite.sql_ms]:-}" "${R[sqlite.warm_median_ms]:-}") | $(ratio "${R[postgres.sql_ms]:-}" "${R[postgres.warm_median_ms]:-}") |"
  echo "| SQL ÷ HTTP | $(ratio "${R[sqlite.sql_ms]:-}" "${R[sqlite.http_median_ms]:-}") | $(ratio "${R[postgres.sql_ms]:-}" "${R[postgres.http_median_ms]:-}") |"
  echo "| engine < ${TARGET_MS} ms | $(verdict "${R[sqlite.warm_median_ms]:-}" $TARGET_MS) | $(verdict "${R[postgres.warm_median_ms]:-}" $TARGET_MS) |"
  echo
} >"$REPORT"
cat "$REPORT"
if [ -n "${NENGLI_BENCH_SUMMARY:-}" ] && [ "$DO_SQL" -eq 1 ]; then
  # what<TAB>nengli<TAB>reference<TAB>ratio<TAB>target (bench/run.sh prints them as one table)
  for e in sqlite postgres; do
    [ -n "${R[$e.sql_ms]:-}" ] || continue
    name=SQLite; [ "$e" = postgres ] && name=PostgreSQL
    printf 'KPI table, %s tickets: engine (computed, warm) vs the same aggregates as SQL in %s\t%s ms (repeated: %s ms; HTTP %s ms)\t%s ms\t%s\t>= %sx\n' \
      "$TICKETS" "$name" "${R[$e.warm_median_ms]:--}" "${R[$e.cached_median_ms]:--}" "${R[$e.http_median_ms]:--}" "${R[$e.sql_ms]}" \
      "$(ratio "${R[$e.sql_ms]}" "${R[$e.warm_median_ms]:-}")" "$TARGET_RATIO" >>"$NENGLI_BENCH_SUMMARY"
  done
fi
if [ "$RECORD" -eq 1 ]; then
  if [ -z "$OUT" ]; then
    mkdir -p "$HERE/results"
    suffix=""
    [ "$SIZE" = full ] || suffix=-$SIZE
    OUT=$HERE/results/kpi-$(date +%Y%m%d)$suffix.md
  fi
  [ -s "$OUT" ] || printf '# KPI table benchmark (bench/kpi.sh)\n\n' >"$OUT"
  cat "$REPORT" >>"$OUT"
  say "recorded in ${OUT#"$REPO"/}"
fi
exit "$STATUS"
