#!/usr/bin/env bash
# Starts the demo shop on a free loopback port with a throwaway data dir and checks that it answers.
set -euo pipefail
cd "$(dirname "$0")/.."
data="$(mktemp -d)"
port="${SMOKE_PORT:-18181}"
log="$data/server.log"
cleanup() {
  # npm start runs node as its child: signal the whole process group that `set -m` gave it.
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

set -m
DATA_DIR="$data" PORT="$port" LOG_LEVEL=warn npm start --silent >"$log" 2>&1 &
pid=$!
set +m
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "smoke: counterpi exited early"; cat "$log"; exit 1; fi
  sleep 0.2
done
ready="$(curl -fsS "http://127.0.0.1:$port/ready")" || { echo "smoke: /ready did not answer"; cat "$log"; exit 1; }
health="$(curl -fsS "http://127.0.0.1:$port/health")"
echo "smoke: /health $health"
echo "smoke: /ready $ready"
case "$ready" in *'"status":"ready"'*) ;; *) echo "smoke: not ready"; exit 1 ;; esac
