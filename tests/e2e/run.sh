#!/usr/bin/env bash
# Runs the browser tests (node:test + playwright-core + Debian's /usr/bin/chromium) against a nengli server.
#   NENGLI_URL=http://127.0.0.1:8080 tests/e2e/run.sh
# The server must hold the demo data (`nengli demo`). Without NENGLI_URL, the script starts one itself from
# NENGLI_BIN (default ./build/nengli) on a fresh temporary database and stops it at the end.
# Screenshots of every page visited are written to tests/e2e/screenshots/ (kept as artefacts).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
rm -rf "$here/screenshots"
mkdir -p "$here/screenshots"

server_pid=""
tmp=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT

if [ -z "${NENGLI_URL:-}" ]; then
  bin="${NENGLI_BIN:-$root/build/nengli}"
  if [ ! -x "$bin" ]; then
    echo "run.sh: set NENGLI_URL to a running demo server, or build $bin first" >&2
    exit 2
  fi
  tmp=$(mktemp -d)
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  if ! "$bin" demo --db "$tmp/e2e.db" >"$tmp/demo.log" 2>&1; then
    cat "$tmp/demo.log" >&2
    echo "run.sh: nengli demo failed" >&2
    exit 1
  fi
  "$bin" serve --db "$tmp/e2e.db" --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
  server_pid=$!
  export NENGLI_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if node -e 'fetch(process.argv[1]+"/healthz").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$NENGLI_URL"; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$tmp/serve.log" >&2; echo "run.sh: the server did not start" >&2; exit 1; fi
    sleep 0.2
  done
fi

echo "e2e: testing $NENGLI_URL"
cd "$root"
node --test tests/e2e/
