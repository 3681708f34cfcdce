#!/usr/bin/env bash
# HTTP benchmark: authenticated GET /api/v1/me on `nengli serve` (SQLite), against nginx serving a static file of the
# same size on the same machine in the same run (the floor). Builds nothing: give it a binary (a release build).
#
# Usage: bench/http.sh [--short] [--kpis N] [--nginx-only] [--out FILE | --no-record] [NENGLI_BINARY]
#   NENGLI_BINARY  default build/nengli (relative to the repository); `make bench` passes a release build
#   --short        3 s per measurement instead of 10 s (for `make bench`); records to http-YYYYMMDD-short.md
#   --kpis N       also the dashboard's KPI call (GET /api/v1/kpis, 12 months per month, the six measures of the
#                  dashboard's cards) over N generated tickets (nengli-kpigen next to the binary),
#                  against nginx serving its body; and the server's memory (RSS idle, peak under load)
#   --nginx-only   measure only nginx, with a synthetic JSON body (NENGLI_BENCH_BYTES, default 200): checks the machine
#   --out FILE     append the markdown record to FILE (default bench/results/http-YYYYMMDD[-short].md)
#   --no-record    print only, write no record
# Environment: NENGLI_BENCH_THREADS (wrk -t, default 2), NENGLI_BENCH_CONNS (default 64), NENGLI_BENCH_HIGH (default 256),
#   NENGLI_BENCH_DURATION (seconds, overrides --short), NENGLI_BENCH_KEEP=1 (keep the temporary directory after a failure).
# Order: warm-up of each target, then nengli, nginx, nengli, nginx at NENGLI_BENCH_CONNS connections, then one round of
# each at NENGLI_BENCH_HIGH (no stall allowed). Summary: mean req/s of the rounds, the worst p99, ratio nengli/nginx (target >= 0.5).
# Exit status: 0 when every measurement ran with only 2xx answers and no stall (the ratio is reported, not enforced:
# benchmarks are not timed tests), 1 when a measurement is invalid or the setup failed, 2 on bad usage.
# NENGLI_BENCH_SUMMARY=FILE: also append the ratios as tab-separated lines (bench/run.sh prints them as one table).
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BIN=""
SHORT=0
NGINX_ONLY=0
KPIS=0
# the dashboard's KPI cards (web/src/views/dashboard/KpiCards.vue): 12 months per month, six measures; the dates are
# the last 12 months of nengli-kpigen's data (2025-01-01..2026-12-31) as the dashboard would ask them in December 2026
KPI_PATH='/api/v1/kpis?from=2025-12-01&to=2026-11-30&period=month&measures=tickets,sla_response_rate,sla_resolution_rate,response_minutes_avg,resolution_hours_avg,satisfaction_avg'
RECORD=1
OUT=""
THREADS=${NENGLI_BENCH_THREADS:-2}
CONNS=${NENGLI_BENCH_CONNS:-64}
HIGH=${NENGLI_BENCH_HIGH:-256}
TARGET_RATIO=0.5
PY=/usr/bin/python3

usage() { sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
say() { printf 'bench/http: %s\n' "$*" >&2; }
die() { printf 'bench/http: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --short) SHORT=1 ;;
    --nginx-only) NGINX_ONLY=1 ;;
    --kpis) [ $# -ge 2 ] || usage; KPIS=$2; shift ;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
    --out=*) OUT=${1#--out=} ;;
    --no-record) RECORD=0 ;;
    -h|--help) usage ;;
    -*) say "unknown option $1"; usage ;;
    *) [ -z "$BIN" ] || usage; BIN=$1 ;;
  esac
  shift
done
if [ "$SHORT" -eq 1 ]; then DURATION=3; KPI_ROUNDS=1; else DURATION=10; KPI_ROUNDS=2; fi
DURATION=${NENGLI_BENCH_DURATION:-$DURATION}

for tool in wrk nginx curl "$PY"; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (scripts/install-deps installs it)"
done
if [ "$NGINX_ONLY" -eq 0 ]; then
  BIN=${BIN:-$REPO/build/nengli}
  [ -x "$BIN" ] || die "no nengli binary at $BIN (make build gives a release build there)"
  BIN=$(readlink -f "$BIN")
fi

# --- Temporary world, removed with every process we started ----------------------------------------------------------
TMP=$(mktemp -d /tmp/nengli-bench.XXXXXX)
chmod 755 "$TMP"                    # nginx workers run as nobody when started by root
NENGLI_PID=""
NGINX_PID=""
# shellcheck disable=SC2317  # invoked by trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$NENGLI_PID" ]; then kill "$NENGLI_PID" 2>/dev/null || true; fi
  if [ -n "$NGINX_PID" ]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; fi
  for pid in $NENGLI_PID $NGINX_PID; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ "$rc" -ne 0 ] && [ -n "${NENGLI_BENCH_KEEP:-}" ]; then say "logs kept in $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL PID: until URL answers (any status) or PID dies, at most 10 s.
wait_http() {
  local i
  for i in $(seq 1 100); do
    kill -0 "$2" 2>/dev/null || return 1
    if curl -s -o /dev/null --max-time 1 "$1"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# --- nengli: database, token, server --------------------------------------------------------------------------------
AUTH=()
if [ "$NGINX_ONLY" -eq 0 ]; then
  DB=$TMP/bench.db
  head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$TMP/admin.pw"
  "$BIN" init --db "$DB" --admin-password-file "$TMP/admin.pw" >"$TMP/init.log" 2>&1 \
    || { cat "$TMP/init.log" >&2; die "nengli init failed"; }
  if [ "$KPIS" -gt 0 ]; then
    GEN=$(dirname "$BIN")/bench/nengli-kpigen
    [ -x "$GEN" ] || die "--kpis needs $GEN (built with the binary)"
    say "filling $KPIS tickets (nengli-kpigen)"
    "$GEN" sqlite "$DB" "$KPIS" >"$TMP/fill.log" 2>&1 || { cat "$TMP/fill.log" >&2; die "the fill failed"; }
  fi

  NPORT=$(free_port)
  NURL=http://127.0.0.1:$NPORT
  "$BIN" serve --db "$DB" --listen "127.0.0.1:$NPORT" >"$TMP/serve.log" 2>&1 &
  NENGLI_PID=$!
  wait_http "$NURL/healthz" "$NENGLI_PID" || { tail -n 20 "$TMP/serve.log" >&2; die "nengli serve did not start"; }

  # An API token: `nengli token create` (the contract), or through the API as the admin would.
  TOKEN=""
  if "$BIN" token create --user admin --name bench --db "$DB" >"$TMP/token.out" 2>"$TMP/token.err"; then
    TOKEN=$("$PY" -c '
import json, sys
lines = [l.strip() for l in open(sys.argv[1]) if l.strip()]
t = lines[-1] if lines else ""
try:
    t = json.loads(t).get("token", "")
except ValueError:
    t = t.split()[-1] if t else ""
print(t)' "$TMP/token.out")
  fi
  if [ -z "$TOKEN" ]; then
    say "nengli token create gave no token ($(head -c 200 "$TMP/token.err")); creating one through the API"
    login=$("$PY" -c 'import json, sys; print(json.dumps({"username": "admin", "password": open(sys.argv[1]).read().strip()}))' "$TMP/admin.pw")
    csrf=$(curl -sf -c "$TMP/cookies" -H 'Content-Type: application/json' -d "$login" "$NURL/api/v1/session" \
      | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])') || die "POST /api/v1/session failed"
    TOKEN=$(curl -sf -b "$TMP/cookies" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
      -d '{"name":"bench"}' "$NURL/api/v1/tokens" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])') \
      || die "POST /api/v1/tokens failed"
  fi
  AUTH=(-H "Authorization: Bearer $TOKEN")

  code=$(curl -s -o "$TMP/me.json" -D "$TMP/me.headers" -w '%{http_code}' "${AUTH[@]}" "$NURL/api/v1/me")
  [ "$code" = 200 ] || { head -c 300 "$TMP/me.json" >&2; echo >&2; die "GET /api/v1/me answered $code with the token"; }
  BYTES=$(stat -c %s "$TMP/me.json")
  if [ "$KPIS" -gt 0 ]; then
    # the first request refreshes the measures engine's aggregates of the fill (what the first request after an import pays)
    out=$(curl -s -o "$TMP/kpis.json" -w '%{http_code} %{time_total}' "${AUTH[@]}" "$NURL$KPI_PATH")
    [ "${out%% *}" = 200 ] || { head -c 300 "$TMP/kpis.json" >&2; echo >&2; die "GET /api/v1/kpis answered ${out%% *}"; }
    KPI_FIRST_MS=$("$PY" -c 'import sys; print("%.0f" % (float(sys.argv[1]) * 1000))' "${out#* }")
    KPI_BYTES=$(stat -c %s "$TMP/kpis.json")
    curl -s -o /dev/null "${AUTH[@]}" "$NURL$KPI_PATH"
    sleep 1
    RSS_IDLE_MB=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$NENGLI_PID/status")
    say "GET /api/v1/kpis: $KPI_BYTES bytes, first request ${KPI_FIRST_MS} ms; server RSS idle ${RSS_IDLE_MB} MB"
  fi
  NENGLI_VERSION=$("$BIN" version 2>/dev/null | head -n 1 || true)
else
  BYTES=${NENGLI_BENCH_BYTES:-200}
  "$PY" -c '
import json, sys
n = int(sys.argv[1]); base = {"id": 1, "username": "admin", "roles": ["admin"], "department_id": None, "pad": ""}
base["pad"] = "x" * max(0, n - len(json.dumps(base, separators=(",", ":"))))
sys.stdout.write(json.dumps(base, separators=(",", ":")))' "$BYTES" >"$TMP/me.json"
  BYTES=$(stat -c %s "$TMP/me.json")
fi

# --- nginx: the floor, same bytes as a static file ------------------------------------------------------------------
mkdir -p "$TMP/nginx/www" "$TMP/nginx/tmp"
cp "$TMP/me.json" "$TMP/nginx/www/me.json"
if [ "$KPIS" -gt 0 ]; then cp "$TMP/kpis.json" "$TMP/nginx/www/kpis.json"; fi
chmod -R a+rX "$TMP/nginx"
GPORT=$(free_port)
GURL=http://127.0.0.1:$GPORT
cat >"$TMP/nginx/nginx.conf" <<EOF
# Generated by bench/http.sh: a private nginx serving one static file.
worker_processes $(nproc);
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $TMP/nginx/tmp/body;
  proxy_temp_path $TMP/nginx/tmp/proxy;
  fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
  uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
  scgi_temp_path $TMP/nginx/tmp/scgi;
  types { }
  default_type application/json;
  server {
    listen 127.0.0.1:$GPORT;
    location = /api/v1/me { alias $TMP/nginx/www/me.json; }
    location = /api/v1/kpis { alias $TMP/nginx/www/kpis.json; }
  }
}
EOF
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" >"$TMP/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
wait_http "$GURL/api/v1/me" "$NGINX_PID" || { cat "$TMP/nginx/error.log" >&2; die "nginx did not start"; }
code=$(curl -s -o "$TMP/nginx.body" -D "$TMP/nginx.headers" -w '%{http_code}' "$GURL/api/v1/me")
if [ "$code" != 200 ] || ! cmp -s "$TMP/nginx.body" "$TMP/me.json"; then die "nginx does not serve the file (status $code)"; fi

# keepalive URL: "yes" when a second request reuses the first connection.
keepalive() {
  local n
  n=$(curl -s -o /dev/null -o /dev/null -w '%{num_connects}\n' "${AUTH[@]}" "$1" "$1" | tail -n 1)
  if [ "$n" = 0 ]; then echo yes; else echo no; fi
}

# --- Measurements ----------------------------------------------------------------------------------------------------
# measure NAME URL CONNS SECONDS: runs wrk; prints "NAME CONNS RPS P50_MS P99_MS SOCKET_ERRORS NON2XX OTHER_CPU_PCT".
# OTHER_CPU_PCT: the share of the machine used during the round by other work (other people's builds and tests);
# the summary flags a round as NOISY above 20%.
measure() {
  local name=$1 url=$2 conns=$3 secs=$4
  "$PY" - "$name" "$conns" "$TMP/wrk-$name-$conns-$RANDOM.txt" "$NENGLI_PID $NGINX_PID" \
    wrk -t"$THREADS" -c"$conns" -d"${secs}s" --latency "${AUTH[@]}" "$url" <<'EOF'
import os, re, subprocess, sys, time
name, conns, path, pids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()

tck, ncpu = os.sysconf("SC_CLK_TCK"), os.cpu_count()
me = str(os.getpid())

def ours():                         # the servers with their children (nginx workers), and this process (wrk's parent)
    todo, seen = list(pids), {me}
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            for t in os.listdir("/proc/%s/task" % pid):
                todo += open("/proc/%s/task/%s/children" % (pid, t)).read().split()
        except OSError:
            pass
    return seen

def others():                       # CPU ticks of every other process, with the children it has reaped
    mine, total = ours(), 0
    for pid in os.listdir("/proc"):
        if pid.isdigit() and pid not in mine:
            try:
                f = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
                total += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
            except (OSError, IndexError, ValueError):
                pass
    return total

# Other work during the round (other people's builds and tests), as a share of the machine. A process's own and reaped
# children's CPU summed over all live processes only grows by the CPU used meanwhile: an ended process's time moves to
# its parent when reaped, so short compiler runs under a make or ninja count too.
o0, w0 = others(), time.monotonic()
with open(path, "w") as out:
    subprocess.run(sys.argv[5:], stdout=out, stderr=subprocess.STDOUT)
wall = time.monotonic() - w0
other = max(0.0, 100.0 * (others() - o0) / (wall * tck * ncpu))

text = open(path).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if not rps or not p99:
    sys.stderr.write(text)
    print(name, conns, "nan nan nan - -1 %.0f" % other)
    sys.exit(0)
e = "c%s/r%s/w%s/t%s" % errs.groups() if errs else "0"
print(name, conns, rps.group(1), "%.3f" % ms(p50.group(1)), "%.3f" % ms(p99.group(1)), e,
      non2xx.group(1) if non2xx else 0, "%.0f" % other)
EOF
}

TARGETS=(nginx)
URLS=("$GURL/api/v1/me")
if [ "$NGINX_ONLY" -eq 0 ]; then TARGETS=(nengli nginx); URLS=("$NURL/api/v1/me" "$GURL/api/v1/me"); fi

# Other work on the machine skews every figure: note how idle it was just before measuring.
cpu_idle_pct() {
  "$PY" -c '
import time
def snap():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return v[3] + v[4], sum(v)
i0, t0 = snap(); time.sleep(2); i1, t1 = snap()
print(round(100.0 * (i1 - i0) / max(1, t1 - t0)))'
}
IDLE=$(cpu_idle_pct)
if [ "$IDLE" -lt 80 ]; then say "warning: the machine was only $IDLE% idle before the run (other work skews the figures)"; fi
say "body $BYTES bytes; wrk -t$THREADS, ${DURATION}s per round; $(nproc) cores, $IDLE% idle before the run"
for i in "${!TARGETS[@]}"; do measure "${TARGETS[$i]}" "${URLS[$i]}" "$CONNS" 1 >/dev/null; done   # warm-up
RESULTS=()
for round in 1 2; do
  for i in "${!TARGETS[@]}"; do
    line=$(measure "${TARGETS[$i]}" "${URLS[$i]}" "$CONNS" "$DURATION")
    say "round $round: $line"
    RESULTS+=("$line")
  done
done
for i in "${!TARGETS[@]}"; do
  line=$(measure "${TARGETS[$i]}" "${URLS[$i]}" "$HIGH" "$DURATION")
  say "high: $line"
  RESULTS+=("$line")
done
if [ "$KPIS" -gt 0 ]; then
  measure nengli-kpis "$NURL$KPI_PATH" "$CONNS" 1 >/dev/null
  measure nginx-kpis "$GURL/api/v1/kpis" "$CONNS" 1 >/dev/null
  for round in $(seq 1 "$KPI_ROUNDS"); do
    for t in nengli-kpis nginx-kpis; do
      if [ "$t" = nengli-kpis ]; then u="$NURL$KPI_PATH"; else u="$GURL/api/v1/kpis"; fi
      line=$(measure "$t" "$u" "$CONNS" "$DURATION")
      say "kpis round $round: $line"
      RESULTS+=("$line")
    done
  done
  RSS_PEAK_MB=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$NENGLI_PID/status")
  RSS_AFTER_MB=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$NENGLI_PID/status")
fi

# --- Summary and record ----------------------------------------------------------------------------------------------
CPU=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
KERNEL=$(uname -r)
NGINX_V=$(nginx -v 2>&1 | sed "s|^nginx version: nginx/||")
WRK_V=$( (wrk -v 2>&1 || true) | head -n 1 | awk '{print $2}')
MHD_V=$(dpkg-query -W -f='${Version}' libmicrohttpd12 2>/dev/null || echo "?")
COMMIT=$(git -C "$REPO" rev-parse -q --verify --short 'HEAD^{commit}' 2>/dev/null || echo "none")
if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]; then COMMIT="$COMMIT+changes"; fi
BUILDTYPE="?"
BUILT="-"
[ "$NGINX_ONLY" -eq 1 ] || BUILT=$(date -u -r "$BIN" +%Y-%m-%dT%H:%M:%SZ)
if [ "$NGINX_ONLY" -eq 0 ] && [ -f "$(dirname "$BIN")/meson-info/intro-buildoptions.json" ]; then
  BUILDTYPE=$("$PY" -c 'import json, sys; print(next(o["value"] for o in json.load(open(sys.argv[1])) if o["name"] == "buildtype"))' \
    "$(dirname "$BIN")/meson-info/intro-buildoptions.json")
fi
# Configuration given to the server through the environment (NENGLI_* other than this script's own knobs).
SERVE_ENV=$( (env | grep '^NENGLI_' | grep -v '^NENGLI_BENCH_' || true) | sort | tr '\n' ' ' | sed 's/ $//')
[ -z "$SERVE_ENV" ] || SERVE_ENV=", environment: \`$SERVE_ENV\`"
NGINX_KA=$(keepalive "$GURL/api/v1/me")
NENGLI_KA="-"
if [ "$NGINX_ONLY" -eq 0 ]; then NENGLI_KA=$(keepalive "$NURL/api/v1/me"); fi

export CONNS HIGH TARGET_RATIO
SUMMARY=$(printf '%s\n' "${RESULTS[@]}" | "$PY" -c '
import math, os, sys
conns, high, target = os.environ["CONNS"], os.environ["HIGH"], float(os.environ["TARGET_RATIO"])
NOISY = 20                          # % of the machine used by other work in a round: its figures are suspect
rows = [l.split() for l in sys.stdin if l.strip()]
def agg(name, c):
    rs = [r for r in rows if r[0] == name and r[1] == c]
    if not rs:
        return None
    rps = sum(float(r[2]) for r in rs) / len(rs)
    p99 = max(float(r[4]) for r in rs)
    bad = sum(int(r[6]) for r in rs) != 0 or any(math.isnan(float(r[2])) for r in rs)
    errs = [r[5] for r in rs if r[5] != "0"]
    noisy = sum(1 for r in rs if float(r[7]) > NOISY)
    return rps, p99, bad, errs, len(rs), noisy
status = 0
summ = os.environ.get("NENGLI_BENCH_SUMMARY", "")
what = {"": "GET /api/v1/me", "-kpis": "GET /api/v1/kpis (dashboard)"}
for sfx, c, label in (("", conns, "c" + conns), ("", high, "c" + high), ("-kpis", conns, "kpis c" + conns)):
    res = {n: agg(n + sfx, c) for n in ("nengli", "nginx")}
    for n, a in res.items():
        if a is None:
            continue
        rps, p99, bad, errs, k, noisy = a
        note = ""
        if noisy:
            note += "  NOISY: other work in %d round%s" % (noisy, "s" if noisy > 1 else "")
        if bad:
            note += "  INVALID (non-2xx answers or no result)"; status = 1
        if errs:
            note += "  socket errors " + " ".join(errs)
        print("%-6s %-5s %10.0f req/s  p99 %8.2f ms  (%d round%s)%s" % (n, label, rps, p99, k, "s" if k > 1 else "", note))
    if res["nengli"] and res["nginx"]:
        ratio = res["nengli"][0] / res["nginx"][0]
        verdict = "ok" if ratio >= target else "below target %.1f" % target
        print("ratio  %-5s %10.2f nengli/nginx  (%s)" % (label, ratio, verdict))
        if summ:
            with open(summ, "a") as f:
                f.write("%s, %s connections vs nginx (static file)\t%.0f req/s, p99 %.1f ms\t%.0f req/s, p99 %.1f ms\t%.2f\t>= %.1f\n"
                        % (what[sfx], c, res["nengli"][0], res["nengli"][1], res["nginx"][0], res["nginx"][1], ratio, target))
    lo, hi = agg("nengli", conns), agg("nengli", high)
    if c == high and lo and hi and hi[0] < 0.2 * lo[0]:
        print("STALL  nengli at %s connections: %.0f req/s against %.0f at %s" % (high, hi[0], lo[0], conns)); status = 1
print("status", status)
')
STATUS=$(printf '%s\n' "$SUMMARY" | awk '$1 == "status" { print $2 }')
if [ "$NGINX_ONLY" -eq 0 ]; then
  nwarn=$(grep -c '"level":"\(warn\|error\)"' "$TMP/serve.log" || true)
  [ "$nwarn" -eq 0 ] || SUMMARY=$(printf '%s\nnengli logged %s warning or error lines, e.g.: %s' "$SUMMARY" "$nwarn" \
    "$(grep -m1 '"level":"\(warn\|error\)"' "$TMP/serve.log" | head -c 300)")
fi
SUMMARY=$(printf '%s\n' "$SUMMARY" | grep -v '^status ')
if [ "$KPIS" -gt 0 ]; then
  SUMMARY=$(printf '%s\nmemory: server RSS %s MB idle (after the first KPI request, %s tickets), %s MB after the load, peak %s MB\nkpis: body %s bytes, first request after start %s ms' \
    "$SUMMARY" "$RSS_IDLE_MB" "$KPIS" "$RSS_AFTER_MB" "$RSS_PEAK_MB" "$KPI_BYTES" "$KPI_FIRST_MS")
  if [ -n "${NENGLI_BENCH_SUMMARY:-}" ]; then
    printf 'memory: server RSS idle / peak under load (%s tickets)\t%s MB / %s MB\t-\t-\t-\n' "$KPIS" "$RSS_IDLE_MB" "$RSS_PEAK_MB" >>"$NENGLI_BENCH_SUMMARY"
  fi
fi
printf '%s\n' "$SUMMARY"

# shellcheck disable=SC2016  # backquotes are markdown
if [ "$RECORD" -eq 1 ]; then
  if [ -z "$OUT" ]; then
    suffix=""; [ "$SHORT" -eq 1 ] && suffix="-short"; [ "$NGINX_ONLY" -eq 1 ] && suffix="$suffix-nginx-only"
    mkdir -p "$HERE/results"
    OUT=$HERE/results/http-$(date +%Y%m%d)$suffix.md
  fi
  # One file per day; each run appends its own section, so a day's record keeps every run, good or bad.
  [ -s "$OUT" ] || printf '# HTTP benchmark runs of %s\n\nMethod: [BENCHMARKS.md](../../BENCHMARKS.md).\n\n' "$(date +%Y-%m-%d)" >"$OUT"
  {
    printf '## bench/http.sh — %s\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    if [ "$NGINX_ONLY" -eq 0 ]; then
      printf 'Authenticated `GET /api/v1/me` (API token, SQLite) on `nengli serve`; nginx serves the same %s bytes as a static file.\n\n' "$BYTES"
    else
      printf 'nginx only: a static %s-byte JSON file (the machine'"'"'s floor).\n\n' "$BYTES"
    fi
    printf -- '- nengli: %s, repository at commit %s, binary built %s, buildtype %s, libmicrohttpd %s; `nengli serve` with its defaults (access log to a file)%s\n' \
      "${NENGLI_VERSION:-n/a}" "$COMMIT" "$BUILT" "$BUILDTYPE" "$MHD_V" "$SERVE_ENV"
    printf -- '- machine: %s cores, %s, kernel %s, %s%% idle before the run; nginx %s (worker_processes %s, access_log off); wrk %s\n' \
      "$(nproc)" "$CPU" "$KERNEL" "$IDLE" "$NGINX_V" "$(nproc)" "$WRK_V"
    printf -- '- wrk -t%s, %s s per round, `--latency`, on 127.0.0.1; rounds interleaved nengli, nginx, nengli, nginx at %s connections, then one each at %s\n' \
      "$THREADS" "$DURATION" "$CONNS" "$HIGH"
    printf -- '- response: body %s bytes; headers nengli %s bytes, nginx %s bytes; keep-alive nengli %s, nginx %s\n\n' \
      "$BYTES" "$(stat -c %s "$TMP/me.headers" 2>/dev/null || echo -)" "$(stat -c %s "$TMP/nginx.headers")" "$NENGLI_KA" "$NGINX_KA"
    printf '| target | connections | req/s | p50 ms | p99 ms | socket errors | non-2xx | other CPU %% |\n'
    printf '|---|---:|---:|---:|---:|---|---:|---:|\n'
    for line in "${RESULTS[@]}"; do
      read -r n c r p50 p99 e x o <<<"$line"
      printf '| %s | %s | %.0f | %s | %s | %s | %s | %s |\n' "$n" "$c" "$r" "$p50" "$p99" "$e" "$x" "$o"
    done
    printf '\n"other CPU %%": CPU used during the round by processes other than wrk, nengli and nginx, as a share of the\n'
    printf 'machine (2 cores = 100%%); above 20%% the round is flagged NOISY.\n'
    printf '\nSummary (mean req/s, worst p99):\n\n```\n%s\n```\n\n' "$SUMMARY"
  } >>"$OUT"
  say "record: ${OUT#"$REPO"/}"
fi
exit "${STATUS:-1}"
