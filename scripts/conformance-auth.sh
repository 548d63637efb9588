#!/usr/bin/env bash
# Runs the MCP conformance suite's authorization-server scenarios (@modelcontextprotocol/conformance
# `authorization`) against the issuer of a freshly built counterpi on a free loopback port with a
# throwaway data dir, and compares the result with test/conformance/auth-baseline.txt. Fails on a
# check that fails without being in the baseline, and on a baseline entry that no longer fails.
#
# authorization-server-metadata-endpoint runs on its own. authorization-code-grant needs a client whose
# redirect URI is the suite's loopback callback, and someone to sign in: this script registers a public
# client through our dynamic client registration endpoint, and scripts/drive-sign-in.mjs plays the
# customer's browser on the authorization URL the suite prints.
#
#   scripts/conformance-auth.sh
#   CONFORMANCE_RESULTS_DIR=out scripts/conformance-auth.sh   # keep every checks.json and log in out/
#   CONFORMANCE_BUDGET=120 scripts/conformance-auth.sh        # seconds for the whole run (default 120)
#   CONFORMANCE_BASELINE=file scripts/conformance-auth.sh     # judge against another baseline (default test/conformance/auth-baseline.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
# shellcheck source=scripts/harness.sh
. "$root/scripts/harness.sh"

# The suite filters an authorization server's checks by revision cumulatively: at the newest revision
# /mcp serves, every check of the earlier ones runs too.
spec_version=2026-07-28
baseline="$(realpath "${CONFORMANCE_BASELINE:-test/conformance/auth-baseline.txt}")"
conformance="$root/node_modules/.bin/conformance"
budget="${CONFORMANCE_BUDGET:-120}"
per_scenario_seconds=45
deadline=$((SECONDS + budget))

prepare_run conformance-auth "$baseline"
# Each background job got its own process group from `set -m`: signal all of it, then wait for it.
stop_group() {
  if [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; then kill -TERM -- "-$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi
}
cleanup() {
  stop_group "${driver:-}"
  stop_group "${suite:-}"
  stop_group "${pid:-${HARNESS_PID:-}}"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Seconds left for a step: the smaller of its own limit and what is left of the whole budget.
remaining() {
  local left=$((deadline - SECONDS))
  if [ "$left" -le 0 ]; then echo "conformance-auth: out of time (CONFORMANCE_BUDGET=${budget}s)" >&2; exit 1; fi
  echo $((left < $1 ? left : $1))
}

judge() {
  COMMAND=authorization TITLE=conformance-auth BASELINE="$baseline" RESULTS="$results" \
    node "$root/scripts/conformance-judge.mjs" "$1"
}

free_port() { node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'; }
# One string member of a JSON object read from stdin.
json_member() { node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];if(typeof v!=="string")process.exit(1);process.stdout.write(v)})' "$1"; }

[ -x "$conformance" ] || { echo "conformance-auth: $conformance is missing; run npm ci" >&2; exit 1; }
judge check

t="$(remaining 30)"
scenarios="$(timeout "$t" "$conformance" list --authorization --spec-version "$spec_version" | sed -n 's/^  - \([^ ]*\).*/\1/p')"
[ -n "$scenarios" ] || { echo "conformance-auth: the suite lists no authorization scenarios at $spec_version" >&2; exit 1; }

echo "conformance-auth: building"
npm run build --silent || { echo "conformance-auth: the build failed" >&2; exit 1; }

port="$(free_port)"
issuer="http://127.0.0.1:$port"
# The harness differs from the product only in how /mcp names its caller; the authorization server is the same.
start_harness conformance-auth "$port" "$data" "$log" "$root"
pid=$HARNESS_PID
echo "conformance-auth: counterpi ready, issuer $issuer; suite $("$conformance" --version)"

server_alive() {
  kill -0 "$pid" 2>/dev/null && return 0
  echo "conformance-auth: counterpi stopped during $1; its log:" >&2
  tail -n 30 "$log" >&2
  exit 1
}

# A public client (PKCE, no secret, refresh tokens) as MCP clients register, whose only redirect URI is
# the suite's callback, registered at the registration endpoint the metadata names. (Given a secret, the
# suite would still pick `none`, since our metadata lists it, and send none.)
register_client() {
  local endpoint
  endpoint="$(json_member registration_endpoint <<<"$metadata")" || { echo "conformance-auth: no registration_endpoint in the metadata" >&2; return 1; }
  case "$endpoint" in "$issuer"/*) ;; *) echo "conformance-auth: registration endpoint $endpoint is not under $issuer" >&2; return 1 ;; esac
  curl -fsS --max-time 5 -X POST -H 'content-type: application/json' "$endpoint" -d "$(
    printf '{"client_name":"MCP conformance suite","redirect_uris":["%s"],"token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"],"response_types":["code"]}' "$1"
  )" | json_member client_id
}

# The suite serves http://127.0.0.1:PORT/callback, prints the authorization URL and waits for the
# browser to arrive there. It only runs authorization-code-grant after the metadata scenario in the same
# invocation (it reads the endpoints from that run), so this invocation has no --scenario and runs both.
run_authorization_code_grant() {
  local dir="$1" metadata authorization_endpoint callback_port client_id url="" t rc=0
  metadata="$(curl -fsS --max-time 5 "$issuer/.well-known/oauth-authorization-server")"
  authorization_endpoint="$(json_member authorization_endpoint <<<"$metadata")"
  callback_port="$(free_port)"
  client_id="$(register_client "http://127.0.0.1:$callback_port/callback")" || {
    echo "conformance-auth: dynamic client registration failed" >&2
    exit 1
  }
  t="$(remaining "$per_scenario_seconds")"
  : >"$dir/run.log" # exists before the loop below reads it; the job opens it only once forked
  set -m
  timeout "$t" "$conformance" authorization --url "$issuer" --client-id "$client_id" --port "$callback_port" \
    --resource "$issuer/mcp" --spec-version "$spec_version" --output-dir "$dir" >"$dir/run.log" 2>&1 &
  suite=$!
  set +m
  # The URL is the line that starts with our authorization endpoint.
  while kill -0 "$suite" 2>/dev/null; do
    url="$(awk -v ep="$authorization_endpoint?" 'index($0, ep) == 1 { print; exit }' "$dir/run.log")"
    [ -n "$url" ] && break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "conformance-auth: the suite printed no URL starting with $authorization_endpoint; see its log" >&2
  fi
  if [ -n "$url" ]; then
    # In the background, so that `wait` (unlike a foreground command) lets INT and TERM through at once.
    t="$(remaining 30)"
    set -m
    timeout "$t" node "$root/scripts/drive-sign-in.mjs" "$url" >"$dir/drive.log" 2>&1 &
    driver=$!
    set +m
    if ! wait "$driver"; then
      # Nobody will reach the callback: stop the suite now rather than let it wait out its timeout.
      echo "conformance-auth: the sign-in driver did not reach the suite's callback; its log:" >&2
      sed 's/^/  /' "$dir/drive.log" >&2
      kill -TERM -- "-$suite" 2>/dev/null || true
    fi
    driver=""
  fi
  wait "$suite" || rc=$?
  suite=""
  echo "$rc" >"$dir/rc"
}

started=$SECONDS
for scenario in $scenarios; do
  dir="$results/$spec_version/$scenario"
  mkdir -p "$dir"
  if [ "$scenario" = authorization-code-grant ]; then
    run_authorization_code_grant "$dir"
  else
    rc=0
    t="$(remaining "$per_scenario_seconds")"
    timeout "$t" "$conformance" authorization --url "$issuer" --scenario "$scenario" \
      --spec-version "$spec_version" --output-dir "$dir" >"$dir/run.log" 2>&1 || rc=$?
    echo "$rc" >"$dir/rc"
  fi
  server_alive "$scenario"
done
echo "conformance-auth: ran the suite in $((SECONDS - started))s"
echo
judge report || { echo "conformance-auth: the last lines of counterpi's log ($log):"; tail -n 30 "$log"; exit 1; }
