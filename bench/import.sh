#!/usr/bin/env bash
# Import benchmark: `nengli import tickets --format csv` of N generated tickets into a fresh SQLite database, against
# `sqlite3 :memory: '.import --csv'` of the same file in the same run (the floor: SQLite's own CSV loader into an
# index-less table of text columns). Builds nothing: give it a binary (a release build).
#
# Usage: bench/import.sh [--rows N] [--no-pg] [--out FILE | --no-record] [NENGLI_BINARY]
#   --rows N       tickets to generate (default 1000000; NENGLI_BENCH_ROWS)
#   --no-pg        skip PostgreSQL (by default: a throwaway cluster from scripts/pg-temp, `psql \copy` of the same file
#                  into an index-less table of text columns — PostgreSQL's floor — and `nengli import` into PostgreSQL)
#   --quick        skip the second import (unchanged tickets), the second .import and the INSERT … SELECT ceiling
#   --pg-rows N    import only the first N tickets of the file into PostgreSQL (default: all; rows/s are compared)
#   NENGLI_BINARY  default build/nengli (relative to the repository)
#   --out FILE     append the markdown record to FILE (default bench/results/import-YYYYMMDD.md)
#   --no-record    print only, write no record
# Prints rows/s of: the first import (every ticket inserted), the same import again (every ticket unchanged),
# sqlite3's .import, and — for scale — sqlite3 copying the imported rows into the real tickets table with
# INSERT … SELECT (what SQLite itself needs for that table's 31 columns, 4 indexes and foreign keys: the ceiling of any
# import into it); the ratio nengli/sqlite3 .import (target >= 1.0). Exit status 0 when every measurement ran (the ratio is
# reported, not enforced), 1 when a step failed, 2 on bad usage.
# NENGLI_BENCH_SUMMARY=FILE: also append the ratios as tab-separated lines (bench/run.sh prints them as one table).
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
ROWS=${NENGLI_BENCH_ROWS:-1000000}
RECORD=1
OUT=""
BIN=""
PG=1
QUICK=0
PG_ROWS=""

usage() { sed -n '6,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
say() { printf 'bench/import: %s\n' "$*" >&2; }
die() { printf 'bench/import: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; ROWS=$2; shift ;;
    --rows=*) ROWS=${1#--rows=} ;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
    --out=*) OUT=${1#--out=} ;;
    --no-record) RECORD=0 ;;
    --no-pg) PG=0 ;;
    --quick) QUICK=1 ;;
    --pg-rows) [ $# -ge 2 ] || usage; PG_ROWS=$2; shift ;;
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
if [ "$PG" = 1 ] && ! command -v psql >/dev/null; then say "psql not found: PostgreSQL skipped"; PG=0; fi

TMP=$(mktemp -d /tmp/nengli-bench-import.XXXXXX)
chmod 755 "$TMP"                    # the PostgreSQL cluster runs as postgres when started by root
PG_DIR=""
cleanup() {
  if [ -n "$PG_DIR" ]; then "$REPO/scripts/pg-temp" stop "$PG_DIR" >/dev/null 2>&1 || say "warning: pg-temp stop failed"; fi
  [ "${KEEP_LOGS:-0}" = 1 ] && say "kept $TMP" || rm -rf "$TMP"
}
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
S_AGAIN=""; S_CEIL=""
if [ "$QUICK" = 0 ]; then
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
fi

# --- PostgreSQL: COPY of the same file (the floor) and nengli import into PostgreSQL ---------------------------------
S_COPY=""; S_PGIMP=""
if [ "$PG" = 1 ]; then
  PG_DIR=$TMP/pg
  PGURL=$("$REPO/scripts/pg-temp" start "$PG_DIR") || die "pg-temp start failed"
  COLS=$(head -n 1 "$TMP/tickets.csv" | tr -d '\r' | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\" text", (i > 1 ? ", " : ""), $i }')
  psql -q -v ON_ERROR_STOP=1 "$PGURL" -c "CREATE TABLE bench_copy_floor ($COLS)" >/dev/null || die "CREATE TABLE failed"
  say "psql \\copy (PostgreSQL floor)"
  t0=$(now)
  psql -q -v ON_ERROR_STOP=1 "$PGURL" -c "\\copy bench_copy_floor FROM '$TMP/tickets.csv' WITH (FORMAT csv, HEADER true)" >/dev/null ||
    die "psql \\copy failed"
  t1=$(now)
  S_COPY=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  "$BIN" init --db "$PGURL" --admin-password-file "$TMP/pw" >"$TMP/init-pg.log" 2>&1 || die "nengli init (postgres) failed"
  for i in $(seq -w 1 20); do
    echo "INSERT INTO departments (code, name, name_en, created_at, updated_at) VALUES ('BENCH$i', 'Bench $i', 'Bench $i', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');"
  done | psql -q -v ON_ERROR_STOP=1 "$PGURL" >/dev/null || die "departments (postgres) failed"
  PG_ROWS=${PG_ROWS:-$ROWS}
  [ "$PG_ROWS" -le "$ROWS" ] || PG_ROWS=$ROWS
  head -n $((PG_ROWS + 1)) "$TMP/tickets.csv" >"$TMP/pg-tickets.csv"
  say "nengli import of $PG_ROWS tickets into PostgreSQL"
  t0=$(now)
  "$BIN" import tickets --format csv --source bench --db "$PGURL" "$TMP/pg-tickets.csv" >"$TMP/pg.json" 2>"$TMP/pg.err" ||
    die "nengli import (postgres) failed: $(tail -n 3 "$TMP/pg.err")"
  t1=$(now)
  S_PGIMP=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  PGINS=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(r.inserted)' "$TMP/pg.json")
  [ "$PGINS" = "$PG_ROWS" ] || die "the PostgreSQL import inserted $PGINS of $PG_ROWS"
  "$REPO/scripts/pg-temp" stop "$PG_DIR" >/dev/null 2>&1 || say "warning: pg-temp stop failed"
  PG_DIR=""
fi

INS=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(r.inserted)' "$TMP/insert.json")
[ "$INS" = "$ROWS" ] || die "the first import inserted $INS of $ROWS"
if [ "$QUICK" = 0 ]; then
  UNCH=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(r.unchanged)' "$TMP/again.json")
  [ "$UNCH" = "$ROWS" ] || die "the second import left $UNCH of $ROWS unchanged"
fi

R_SQLITE=$(rate "$ROWS" "$S_SQLITE")
R_INSERT=$(rate "$ROWS" "$S_INSERT")
R_AGAIN=-; R_CEIL=-
[ -z "$S_AGAIN" ] || R_AGAIN=$(rate "$ROWS" "$S_AGAIN")
[ -z "$S_CEIL" ] || R_CEIL=$(rate "$ROWS" "$S_CEIL")
RATIO=$(awk -v a="$R_INSERT" -v b="$R_SQLITE" 'BEGIN { printf "%.2f", a / b }')
R_COPY=""; R_PGIMP=""; RATIO_COPY=""; RATIO_PGCOPY=""
if [ -n "$S_COPY" ]; then
  R_COPY=$(rate "$ROWS" "$S_COPY")
  R_PGIMP=$(rate "$PG_ROWS" "$S_PGIMP")
  RATIO_COPY=$(awk -v a="$R_INSERT" -v b="$R_COPY" 'BEGIN { printf "%.2f", a / b }')
  RATIO_PGCOPY=$(awk -v a="$R_PGIMP" -v b="$R_COPY" 'BEGIN { printf "%.2f", a / b }')
fi
if [ -n "${NENGLI_BENCH_SUMMARY:-}" ]; then
  # what<TAB>nengli<TAB>reference<TAB>ratio<TAB>target
  {
    printf 'import %s tickets (SQLite) vs sqlite3 .import\t%s rows/s\t%s rows/s\t%s\t>= 1.0\n' "$ROWS" "$R_INSERT" "$R_SQLITE" "$RATIO"
    if [ -n "$S_COPY" ]; then
      printf 'import %s tickets (SQLite) vs PostgreSQL COPY\t%s rows/s\t%s rows/s\t%s\t-\n' "$ROWS" "$R_INSERT" "$R_COPY" "$RATIO_COPY"
      printf 'import %s tickets (PostgreSQL) vs PostgreSQL COPY\t%s rows/s\t%s rows/s\t%s\t-\n' "$PG_ROWS" "$R_PGIMP" "$R_COPY" "$RATIO_PGCOPY"
    fi
  } >>"$NENGLI_BENCH_SUMMARY"
fi
SUMMARY=$(printf '%-34s %9s rows/s  %7s s\n' "sqlite3 :memory: .import --csv" "$R_SQLITE" "$S_SQLITE" \
  "nengli import (all inserted)" "$R_INSERT" "$S_INSERT" "nengli import again (unchanged)" "$R_AGAIN" "${S_AGAIN:--}" \
  "sqlite3 INSERT INTO tickets SELECT" "$R_CEIL" "${S_CEIL:--}"
  printf 'ratio nengli/sqlite3 %.2f (target >= 1.0)\n' "$RATIO"
  if [ -n "$S_COPY" ]; then
    printf '%-34s %9s rows/s  %7s s\n' "psql \\copy (PostgreSQL floor)" "$R_COPY" "$S_COPY" \
      "nengli import into PostgreSQL ($PG_ROWS)" "$R_PGIMP" "$S_PGIMP"
    printf 'ratio nengli(SQLite)/COPY %.2f, nengli(PostgreSQL)/COPY %.2f\n' "$RATIO_COPY" "$RATIO_PGCOPY"
  fi)
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
