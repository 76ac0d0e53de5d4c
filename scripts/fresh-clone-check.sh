#!/usr/bin/env bash
# Fresh-clone check: clones this checkout's HEAD commit into a new temporary directory and runs the README's
# two commands there, as a newcomer would, with no system Chromium reachable:
#   1. `npm ci && npm start`: the service must answer /health/ready and serve the live reference site with the
#      printed key; then it is stopped with SIGTERM and must exit.
#   2. `npm test`: the whole suite (browser tests included, their Chromium comes from @sparticuz/chromium).
# `.ci/run` runs this script (TEST_DATABASE_URL / REQUIRE_POSTGRES pass through to `npm test`).
# Options: --start-only (skip step 2), --keep (leave the clone for inspection).
set -euo pipefail

START_ONLY=0
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --start-only) START_ONLY=1 ;;
    --keep) KEEP=1 ;;
    *) echo "usage: $0 [--start-only] [--keep]" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COMMIT="$(git -C "$ROOT" rev-parse HEAD)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tpp-fresh-clone-XXXXXX")"
SERVER_PID=""
descendants() { for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do descendants "$c"; echo "$c"; done; }
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    # shellcheck disable=SC2046
    kill -KILL $(descendants "$SERVER_PID") "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then echo "fresh-clone: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "fresh-clone: cloning $COMMIT into $WORK/tpp"
git clone --quiet --no-checkout "$ROOT" "$WORK/tpp"
git -C "$WORK/tpp" checkout --quiet --detach "$COMMIT"
cd "$WORK/tpp"

# No system Chromium: stubs that fail shadow every usual name on PATH; a fresh TMPDIR makes the tests
# decompress the packaged browser themselves instead of reusing an earlier extraction.
mkdir -p "$WORK/no-chromium" "$WORK/tmp"
for name in chromium chromium-browser google-chrome google-chrome-stable chrome; do
  printf '#!/bin/sh\necho "fresh-clone: a system %s was called; the tests must not need one" >&2\nexit 127\n' "$name" \
    >"$WORK/no-chromium/$name"
  chmod +x "$WORK/no-chromium/$name"
done
export PATH="$WORK/no-chromium:$PATH"
export TMPDIR="$WORK/tmp"
if [ -e /usr/bin/chromium ]; then
  echo "fresh-clone: note: /usr/bin/chromium exists on this machine; the tests take the packaged Chromium (test/support/browser.ts)"
fi

PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
# Command 1 of the README, `npm ci && npm start`: the install in the foreground (it may compile
# better-sqlite3, minutes on a busy machine), then the start in the background on a free port.
echo "fresh-clone: npm ci"
t0=$(date +%s)
npm ci --no-audit --no-fund
echo "fresh-clone: npm ci took $(($(date +%s) - t0)) s; npm start (port $PORT)"
t0=$(date +%s)
PORT="$PORT" npm start >"$WORK/start.log" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 600); do
  if curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  sleep 1
done
if [ "$ready" != 1 ]; then
  echo "fresh-clone: FAILED: the service did not become ready" >&2
  tail -n 50 "$WORK/start.log" >&2
  exit 1
fi
echo "fresh-clone: ready after $(($(date +%s) - t0)) s (build, first start with the live reference site)"
KEY="$(cat data/bootstrap-api-key.txt)"
approved="$(curl -sf -H "Authorization: Bearer $KEY" \
  "http://127.0.0.1:$PORT/v1/sites/jinshan-ev-plant/applications?state=approved" |
  node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).items.length))")"
if [ "${approved:-0}" -lt 1 ]; then
  echo "fresh-clone: FAILED: the reference site has no approved application" >&2
  exit 1
fi
echo "fresh-clone: the live reference site answers with $approved approved applications"

t1=$(date +%s%N)
kill -TERM "$SERVER_PID"
for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "fresh-clone: FAILED: npm start still running 10 s after SIGTERM" >&2
  exit 1
fi
wait "$SERVER_PID" || true
SERVER_PID=""
if curl -s "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then
  echo "fresh-clone: FAILED: something still answers on port $PORT after SIGTERM" >&2
  exit 1
fi
echo "fresh-clone: stopped $((($(date +%s%N) - t1) / 1000000)) ms after SIGTERM"

if [ "$START_ONLY" = 1 ]; then exit 0; fi
echo "fresh-clone: npm test"
npm test
echo "fresh-clone: both README commands succeeded on a fresh clone of $COMMIT"
