#!/usr/bin/env bash
# run.sh — the bounded mixed read/write load test (issue 9.3): `nengli serve` on a fresh demo database (SQLite),
# a warm-up, then wrk with tests/load/mixed.lua at saturation on loopback; fails unless every answer was 2xx/3xx,
# wrk saw no socket error, and the server's resident memory after the run is within LOAD_RSS_LIMIT_PCT of after warm-up.
#
#   tests/load/run.sh [BINARY]            (default build/nengli; give it a release build — RSS under ASan means nothing)
#
# Environment: LOAD_SECONDS (60), LOAD_WARMUP_SECONDS (60), LOAD_THREADS (wrk -t, 2), LOAD_CONNECTIONS (wrk -c, 64),
#   LOAD_RSS_LIMIT_PCT (10), LOAD_TASKS (work items taking the progress reports, 100), LOAD_PRELOAD_TICKETS (20000),
#   LOAD_KEEP=1 (keep the temporary directory: database, server log, wrk output).
# Prints requests/s, p50/p99, totals, RSS after warm-up and after the run (and every 5 s during it), and verifies the
# audit chain afterwards; exits 0 on success, 1 on a failed check.
# The warm-up is the same mix: the heap (malloc arenas, SQLite's page caches) grows to its working size in the first
# minute or two of load and then stays there; RSS measured before that would count the growth to it, not a leak.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${1:-$ROOT/build/nengli}
SECONDS_RUN=${LOAD_SECONDS:-60}
WARMUP=${LOAD_WARMUP_SECONDS:-60}
THREADS=${LOAD_THREADS:-2}
CONNS=${LOAD_CONNECTIONS:-64}
RSS_LIMIT=${LOAD_RSS_LIMIT_PCT:-10}

say() { printf 'load: %s\n' "$*" >&2; }
die() { printf 'load: FAILED: %s\n' "$*" >&2; exit 1; }

command -v wrk >/dev/null 2>&1 || die "wrk is missing (apt-get install wrk; scripts/install-deps installs it)"
command -v curl >/dev/null 2>&1 || die "curl is missing"
[ -x "$BIN" ] || die "no nengli binary at $BIN (make build)"
BIN=$(readlink -f "$BIN")

TMP=$(mktemp -d /tmp/nengli-load.XXXXXX)
PID=""
# shellcheck disable=SC2317  # invoked by trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] || [ -n "${LOAD_KEEP:-}" ]; then say "kept $TMP (server.log, wrk-*.txt)"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status"; }

# --- a demo database, a token of the planner (records.write and task.progress everywhere), the server ----------------
DB=$TMP/load.db
"$BIN" init --db "$DB" >"$TMP/init.log" 2>&1 || { cat "$TMP/init.log" >&2; die "nengli init"; }
"$BIN" demo --db "$DB" >>"$TMP/init.log" 2>&1 || { cat "$TMP/init.log" >&2; die "nengli demo"; }
TOKEN=$("$BIN" token create --user planner --name load --db "$DB" 2>>"$TMP/init.log" | tail -n 1)
[ -n "$TOKEN" ] || die "nengli token create gave no token"
# LOAD_PRELOAD_TICKETS tickets (imported) of the last 300 days: a database in use, not an empty one — the ticket
# lists page through them and the KPI table counts them.
YEAR=$(date -u +%Y)
python3 - "${LOAD_PRELOAD_TICKETS:-20000}" "$DB" >"$TMP/tickets.csv" <<'EOF'
import datetime, random, sqlite3, sys
n = int(sys.argv[1])
depts = [r[0] for r in sqlite3.connect(sys.argv[2]).execute("SELECT code FROM departments ORDER BY id")]
rnd = random.Random(20261128)
start = datetime.datetime.utcnow().replace(microsecond=0) - datetime.timedelta(days=300)
fmt = lambda t: t.strftime("%Y-%m-%d %H:%M:%S")
print("external_id,title,channel,category,priority,department,opened_at,assigned_at,first_response_at,resolved_at,closed_at")
for i in range(n):
    t = start + datetime.timedelta(seconds=rnd.randrange(0, 298 * 86400))
    m = lambda minutes: fmt(t + datetime.timedelta(minutes=minutes))
    print(f"PRELOAD-{i:06d},预置工单 {i},{rnd.choice(['phone', 'email', 'web'])},{rnd.choice(['network', 'server', 'desktop'])},"
          f"P{rnd.randrange(1, 5)},{rnd.choice(depts)},{m(0)},{m(10)},{m(30)},{m(200)},{m(260)}")
EOF
"$BIN" import tickets --format csv --source preload --db "$DB" "$TMP/tickets.csv" >>"$TMP/init.log" 2>&1 \
  || { tail -n 20 "$TMP/init.log" >&2; die "nengli import tickets (the preload)"; }

PORT=$(free_port)
URL=http://127.0.0.1:$PORT
# warn: the access log would write a line per request (millions of lines) and measure the disk, not the server
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --log-level warn >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
  kill -0 "$PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "the server exited at start"; }
  curl -fs -o /dev/null --max-time 1 "$URL/healthz" && break
  sleep 0.1
done
curl -fs -o /dev/null "$URL/healthz" || die "the server did not answer /healthz"

# The writes' targets: the demo's current year, a department with work items, and LOAD_TASKS new work items of it
# that take the progress reports in turn (so that no item collects an unbounded history of reports).
AUTH=(-H "Authorization: Bearer $TOKEN")
TASKS=$(python3 - "$URL" "$TOKEN" "$YEAR" "${LOAD_TASKS:-100}" <<'EOF'
import json, sys, urllib.request
url, token, year, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def call(method, path, body=None):
    req = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
dept = next(t["department_id"] for t in call("GET", f"/api/v1/tasks?year={year}&limit=200")["items"])
ids = [call("POST", "/api/v1/tasks", {"year": int(year), "department_id": dept, "title": f"负载测试工作项 {i}",
                                       "planned_start": f"{year}-01-01", "planned_end": f"{year}-12-31"})["id"]
       for i in range(n)]
print(dept, ",".join(map(str, ids)))
EOF
) || die "could not create the work items the load reports progress on"
read -r DEPT TASK <<<"$TASKS"

# run_wrk NAME SECONDS: wrk with the mix; the output in $TMP/wrk-NAME.txt; echoes nothing.
run_wrk() {
  wrk -t"$THREADS" -c"$CONNS" -d"$2s" --timeout 10s --latency -s "$HERE/mixed.lua" "$URL" \
    -- "$TOKEN" "$1-$$-$RANDOM" "$TASK" "$DEPT" "$YEAR" "${LOAD_PRELOAD_TICKETS:-20000}" >"$TMP/wrk-$1.txt" 2>&1 || {
      cat "$TMP/wrk-$1.txt" >&2; die "wrk ($1) failed"; }
}
# field NAME FILE: the value of NAME= on the nengli-load lines
field() { grep -o "\b$1=[0-9.]*" "$2" | head -n 1 | cut -d= -f2; }

# check NAME: every answer 2xx/3xx, no socket error, all requests answered
check() {
  local f=$TMP/wrk-$1.txt
  grep -q '^nengli-load: requests=' "$f" || { cat "$f" >&2; die "$1: no summary from mixed.lua"; }
  local s4 s5 sock non
  s4=$(field s4xx "$f"); s5=$(field s5xx "$f")
  sock=$(grep -E '^ *Socket errors:' "$f" || true)
  non=$(grep -E '^ *Non-2xx or 3xx responses:' "$f" || true)
  if [ "$s4" != 0 ] || [ "$s5" != 0 ] || [ -n "$non" ]; then
    cat "$f" >&2; die "$1: $s5 answers 5xx and $s4 answers 4xx (every answer must be 2xx/3xx) ${non}"
  fi
  [ -z "$sock" ] || { cat "$f" >&2; die "$1: wrk reports ${sock# }"; }
}

say "server pid $PID on $URL (db $DB); warm-up ${WARMUP}s, then ${SECONDS_RUN}s at -t$THREADS -c$CONNS"
run_wrk warmup "$WARMUP"
check warmup
# Both readings are taken idle, 11 s after the load stopped: the server hands freed heap pages back every 10 s, so a
# reading right after the load would count buffers still held for requests just answered.
sleep 11
RSS0=$(rss_kib)
# resident memory every 5 s during the run, printed at the end (bounded growth levels off; a leak climbs)
( while kill -0 "$PID" 2>/dev/null; do sleep 5; rss_kib; done >"$TMP/rss.txt" 2>/dev/null ) &
SAMPLER=$!
run_wrk run "$SECONDS_RUN"
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
check run
sleep 11
RSS1=$(rss_kib)
kill -0 "$PID" 2>/dev/null || die "the server died during the run"
curl -fs -o /dev/null "$URL/healthz" || die "the server does not answer /healthz after the run"
VERIFY=$("$BIN" audit verify --db "$DB" 2>&1 | tail -n 1) || die "nengli audit verify after the run: $VERIFY"

F=$TMP/wrk-run.txt
GROWTH=$(python3 -c "import sys; a, b = int(sys.argv[1]), int(sys.argv[2]); print(f'{(b - a) * 100 / a:.1f}')" "$RSS0" "$RSS1")
printf 'load: %s s mixed load, wrk -t%s -c%s, %s\n' "$SECONDS_RUN" "$THREADS" "$CONNS" "$(basename "$BIN")"
printf 'load:   requests      %s (writes answered 201: %s)\n' "$(field requests "$F")" "$(field writes "$F")"
printf 'load:   requests/s    %s\n' "$(field rps "$F")"
printf 'load:   latency       p50 %s ms, p99 %s ms, max %s ms\n' "$(field p50_ms "$F")" "$(field p99_ms "$F")" "$(field max_ms "$F")"
printf 'load:   answers       2xx %s, 3xx %s, 4xx %s, 5xx %s; socket errors: none\n' \
  "$(field s2xx "$F")" "$(field s3xx "$F")" "$(field s4xx "$F")" "$(field s5xx "$F")"
printf 'load:   resident      %s KiB after warm-up, %s KiB after the run (%s%%, limit %s%%)\n' "$RSS0" "$RSS1" "$GROWTH" "$RSS_LIMIT"
printf 'load:   RSS every 5 s %s KiB\n' "$(tr '\n' ' ' <"$TMP/rss.txt")"
printf 'load:   audit chain   %s\n' "$VERIFY"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$GROWTH" "$RSS_LIMIT" \
  || die "resident memory grew by $GROWTH% during the run (limit $RSS_LIMIT%)"
say "passed"
