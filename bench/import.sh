#!/usr/bin/env bash
# Import benchmark: `nengli import tickets --format csv` of N generated tickets into a fresh SQLite database, against
# `sqlite3 :memory: '.import --csv'` of the same file in the same run (the floor: SQLite's own CSV loader into an
# index-less table of text columns). Builds nothing: give it a binary (a release build).
#
# Usage: bench/import.sh [--rows N] [--out FILE | --no-record] [NENGLI_BINARY]
#   --rows N       tickets to generate (default 1000000; NENGLI_BENCH_ROWS)
#   NENGLI_BINARY  default build/nengli (relative to the repository)
#   --out FILE     append the markdown record to FILE (default bench/results/import-YYYYMMDD.md)
#   --no-record    print only, write no record
# Prints rows/s of: the first import (every ticket inserted), the same import again (every ticket unchanged),
# sqlite3's .import, and — for scale — sqlite3 copying the imported rows into the real tickets table with
# INSERT … SELECT (what SQLite itself needs for that table's 31 columns, 4 indexes and foreign keys: the ceiling of any
# import into it); the ratio nengli/sqlite3 .import (target >= 1.0). Exit status 0 when every measurement ran (the ratio is
# reported, not enforced), 1 when a step failed, 2 on bad usage.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
ROWS=${NENGLI_BENCH_ROWS:-1000000}
RECORD=1
OUT=""
BIN=""

usage() { sed -n '6,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
say() { printf 'bench/import: %s\n' "$*" >&2; }
die() { printf 'bench/import: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; ROWS=$2; shift ;;
    --rows=*) ROWS=${1#--rows=} ;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
    --out=*) OUT=${1#--out=} ;;
    --no-record) RECORD=0 ;;
    -h|--help) usage ;;
    -*) say "unknown option $1"; usage ;;
    *) [ -z "$BIN" ] || usage; BIN=$1 ;;
  esac
  shift
done
case "$ROWS" in ''|*[!0-9]*) say "--rows needs a number"; usage ;; esac
BIN=${BIN:-$REPO/build/nengli}
case "$BIN" in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
[ -x "$BIN" ] || die "binary not found: $BIN (build it: meson setup build --buildtype=release && ninja -C build)"
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3)"
command -v node >/dev/null || die "node not found"

TMP=$(mktemp -d /tmp/nengli-bench-import.XXXXXX)
cleanup() { [ "${KEEP_LOGS:-0}" = 1 ] && say "kept $TMP" || rm -rf "$TMP"; }
trap cleanup EXIT

now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

say "generating $ROWS tickets"
node "$HERE/gen_tickets.mjs" "$ROWS" "$TMP/tickets.csv"
BYTES=$(stat -c %s "$TMP/tickets.csv")

DB=$TMP/nengli.db
head -c 24 /dev/urandom | base64 >"$TMP/pw"
"$BIN" init --db "$DB" --admin-password-file "$TMP/pw" >"$TMP/init.log" 2>&1 || die "nengli init failed ($TMP/init.log)"
# the 20 departments the file names (bench only: written with sqlite3, not through the API)
{
  echo "BEGIN;"
  for i in $(seq -w 1 20); do
    echo "INSERT INTO departments (code, name, name_en, created_at, updated_at) VALUES ('BENCH$i', 'Bench $i', 'Bench $i', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');"
  done
  echo "COMMIT;"
} | sqlite3 "$DB"

run_nengli() {   # run_nengli LABEL → seconds on stdout; the report in $TMP/LABEL.json
  local t0 t1
  t0=$(now)
  "$BIN" import tickets --format csv --source bench --db "$DB" "$TMP/tickets.csv" >"$TMP/$1.json" 2>"$TMP/$1.err" ||
    die "nengli import failed: $(tail -n 3 "$TMP/$1.err")"
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

say "sqlite3 .import (floor)"
t0=$(now)
sqlite3 :memory: ".import --csv $TMP/tickets.csv t" "SELECT count(*) FROM t;" >"$TMP/sqlite.out" || die "sqlite3 .import failed"
t1=$(now)
S_SQLITE=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
say "nengli import (insert)"
S_INSERT=$(run_nengli insert)
say "nengli import again (unchanged)"
S_AGAIN=$(run_nengli again)
say "sqlite3 .import (floor, again)"
t0=$(now)
sqlite3 :memory: ".import --csv $TMP/tickets.csv t" "SELECT count(*) FROM t;" >/dev/null
t1=$(now)
S_SQLITE2=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
S_SQLITE=$(awk -v a="$S_SQLITE" -v b="$S_SQLITE2" 'BEGIN { printf "%.3f", (a < b ? a : b) }')

say "sqlite3 INSERT INTO tickets SELECT (the schema's ceiling)"
sqlite3 "$DB" "CREATE TABLE bench_copy AS SELECT * FROM tickets; DELETE FROM tickets;" || die "copying the tickets failed"
t0=$(now)
sqlite3 "$DB" "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; INSERT INTO tickets SELECT * FROM bench_copy;" ||
  die "INSERT … SELECT failed"
t1=$(now)
S_CEIL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')

INS=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(r.inserted)' "$TMP/insert.json")
UNCH=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(r.unchanged)' "$TMP/again.json")
[ "$INS" = "$ROWS" ] || die "the first import inserted $INS of $ROWS"
[ "$UNCH" = "$ROWS" ] || die "the second import left $UNCH of $ROWS unchanged"

R_SQLITE=$(rate "$ROWS" "$S_SQLITE")
R_INSERT=$(rate "$ROWS" "$S_INSERT")
R_AGAIN=$(rate "$ROWS" "$S_AGAIN")
R_CEIL=$(rate "$ROWS" "$S_CEIL")
RATIO=$(awk -v a="$R_INSERT" -v b="$R_SQLITE" 'BEGIN { printf "%.2f", a / b }')
SUMMARY=$(printf '%-34s %9s rows/s  %7s s\n' "sqlite3 :memory: .import --csv" "$R_SQLITE" "$S_SQLITE" \
  "nengli import (all inserted)" "$R_INSERT" "$S_INSERT" "nengli import again (unchanged)" "$R_AGAIN" "$S_AGAIN" \
  "sqlite3 INSERT INTO tickets SELECT" "$R_CEIL" "$S_CEIL"
  printf 'ratio nengli/sqlite3 %.2f (target >= 1.0)\n' "$RATIO")
echo "$SUMMARY"

if [ "$RECORD" = 1 ]; then
  DAY=$(date -u +%Y%m%d)
  OUT=${OUT:-$REPO/bench/results/import-$DAY.md}
  COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [ -z "$(git -C "$REPO" status --porcelain 2>/dev/null)" ] || COMMIT="$COMMIT+changes"
  BT=$(grep -o "buildtype[^,]*" "$(dirname "$BIN")/meson-info/intro-buildoptions.json" 2>/dev/null | head -n 1 || true)
  BTYPE=$(node -e 'try{const o=require(process.argv[1]).find(x=>x.name==="buildtype");console.log(o.value)}catch{console.log("unknown")}' \
    "$(dirname "$BIN")/meson-info/intro-buildoptions.json" 2>/dev/null || echo unknown)
  : "$BT"
  [ -f "$OUT" ] || printf '# Import benchmark runs of %s\n\nMethod: bench/README.md (`bench/import.sh`).\n' "$(date -u +%Y-%m-%d)" >"$OUT"
  {
    printf '\n## bench/import.sh — %s\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf -- '- %s tickets, %s bytes of CSV (bench/gen_tickets.mjs: 20 departments, 2 years)\n' "$ROWS" "$BYTES"
    printf -- '- nengli: %s, commit %s, buildtype %s; SQLite file database, synchronous NORMAL, one transaction\n' \
      "$("$BIN" version)" "$COMMIT" "$BTYPE"
    printf -- '- floor: %s, `sqlite3 :memory: .import --csv` (best of 2)\n' "$(sqlite3 --version | cut -d' ' -f1)"
    printf -- '- machine: %s cores, %s\n\n' "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    printf '```\n%s\n```\n' "$SUMMARY"
  } >>"$OUT"
  say "recorded in $OUT"
fi
