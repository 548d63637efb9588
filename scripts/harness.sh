# shellcheck shell=bash
# Sourced by scripts/conformance.sh and scripts/conformance-auth.sh: starts counterpi's loopback
# conformance harness (src/bench/conformance-server.ts) from a throwaway data dir, so no .env applies,
# with every setting that could reach beyond loopback pinned, and waits until /ready answers.

# prepare_run LABEL BASELINE: checks the baseline exists and CONFORMANCE_RESULTS_DIR (if given) is
# empty, then sets work (a temporary dir the caller removes), data, results (absolute) and log.
prepare_run() {
  local label=$1 baseline=$2
  [ -f "$baseline" ] || { echo "$label: no baseline at $baseline" >&2; exit 1; }
  if [ -n "${CONFORMANCE_RESULTS_DIR:-}" ] && [ -n "$(ls -A "$CONFORMANCE_RESULTS_DIR" 2>/dev/null)" ]; then
    echo "$label: CONFORMANCE_RESULTS_DIR=$CONFORMANCE_RESULTS_DIR is not empty; old results would be judged too" >&2
    exit 1
  fi
  work="$(mktemp -d)"
  data="$work/data"
  results="${CONFORMANCE_RESULTS_DIR:-$work/results}"
  mkdir -p "$data" "$results"
  results="$(cd "$results" && pwd)"
  log="$results/server.log"
}

# start_harness LABEL PORT DATA_DIR LOG_FILE ROOT: sets HARNESS_PID (the leader of its own process
# group, so the caller's cleanup can signal all of it); exits the calling script if it never serves.
start_harness() {
  local label=$1 port=$2 data=$3 log=$4 root=$5
  local base="http://127.0.0.1:$port"
  set -m
  (cd "$data" && exec env DATA_DIR="$data" PORT="$port" HOST=127.0.0.1 PUBLIC_URL="$base" \
    PRINTER=sim GPIO=sim PAYMENTS=demo LOG_LEVEL=warn node "$root/dist/bench/conformance-server.js") >"$log" 2>&1 &
  HARNESS_PID=$!
  set +m
  wait_ready "$label" "$base" "$HARNESS_PID" "$log"
}

# wait_ready LABEL BASE PID LOG_FILE: waits until BASE/ready answers; exits the calling script if the
# process PID stops first or it never answers.
wait_ready() {
  local label=$1 base=$2 pid=$3 log=$4
  for _ in $(seq 1 100); do
    if curl -fsS --max-time 2 "$base/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "$label: counterpi exited early" >&2; cat "$log" >&2; exit 1; fi
    sleep 0.2
  done
  curl -fsS --max-time 2 "$base/ready" >/dev/null || { echo "$label: $base/ready did not answer" >&2; cat "$log" >&2; exit 1; }
}
