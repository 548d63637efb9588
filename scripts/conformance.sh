#!/usr/bin/env bash
# Runs the MCP conformance suite (@modelcontextprotocol/conformance, `server` mode) against a freshly
# built counterpi on a free loopback port with a throwaway data dir, once per protocol version the
# target serves, and compares the result with the target's baseline. Fails on a check that fails
# without being in the baseline, and on a baseline entry that no longer fails. Targets:
#   mcp  /mcp, the customers' server (test/conformance/baseline.txt); the default
#   acp  /acp/mcp, the ACP MCP binding, called with an ACP API key made for the run
#        (test/conformance/acp-baseline.txt)
#
#   scripts/conformance.sh [mcp|acp]
#   CONFORMANCE_RESULTS_DIR=out scripts/conformance.sh    # keep every checks.json and log in out/
#   CONFORMANCE_BUDGET=300 scripts/conformance.sh         # seconds for the whole run (default 300)
#   CONFORMANCE_BASELINE=file scripts/conformance.sh      # judge against another baseline than the target's
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
# shellcheck source=scripts/harness.sh
. "$root/scripts/harness.sh"

target="${1:-mcp}"
case "$target" in
  mcp) path=/mcp default_baseline=test/conformance/baseline.txt ;;
  acp) path=/acp/mcp default_baseline=test/conformance/acp-baseline.txt ;;
  *) echo "usage: scripts/conformance.sh [mcp|acp]" >&2; exit 2 ;;
esac
# The protocol versions both endpoints serve (one transport, src/http/mcp-transport.ts): the two
# dated ones over the stateless legacy leg, and 2026-07-28.
spec_versions=(2025-06-18 2025-11-25 2026-07-28)
baseline="$(realpath "${CONFORMANCE_BASELINE:-$default_baseline}")"
conformance="$root/node_modules/.bin/conformance"
budget="${CONFORMANCE_BUDGET:-300}"
per_scenario_seconds=60
deadline=$((SECONDS + budget))

# Scenarios that are not run, with why. Each consists only of calls to a fixture of the suite's
# reference "everything server" (a tool, prompt or test:// resource with a fixed name and fixed
# output); a product server has none of them, so running them would say nothing about counterpi.
# Extension scenarios (tasks, skills) are not run either: `list --spec-version` leaves them out.
skip_list=$(
  cat <<'EOF'
tools-call-simple-text          # calls the fixture tool test_simple_text
tools-call-image                # calls the fixture tool test_image_content
tools-call-audio                # calls the fixture tool test_audio_content
tools-call-embedded-resource    # calls the fixture tool test_embedded_resource
tools-call-mixed-content        # calls the fixture tool test_multiple_content_types
tools-call-with-logging         # calls the fixture tool test_tool_with_logging (counterpi sends no MCP log messages)
tools-call-error                # calls the fixture tool test_error_handling (our tool errors: test/mcp-bad-input.test.ts)
tools-call-with-progress        # calls the fixture tool test_tool_with_progress
tools-call-sampling             # calls the fixture tool test_sampling (counterpi never asks the client to sample)
tools-call-elicitation          # calls the fixture tool test_elicitation (counterpi never elicits)
elicitation-sep1034-defaults    # calls the fixture tool test_elicitation_sep1034_defaults
elicitation-sep1330-enums       # calls the fixture tool test_elicitation_sep1330_enums
json-schema-2020-12             # calls the fixture tool json_schema_2020_12_tool
resources-read-text             # reads the fixture resource test://static-text
resources-read-binary           # reads the fixture resource test://static-binary
resources-templates-read        # reads the fixture template test://template/{id}/data
prompts-get-simple              # gets the fixture prompt test_simple_prompt
prompts-get-with-args           # gets the fixture prompt test_prompt_with_arguments
prompts-get-embedded-resource   # gets the fixture prompt test_prompt_with_embedded_resource
prompts-get-with-image          # gets the fixture prompt test_prompt_with_image
input-required-result-basic-elicitation        # calls the fixture tool test_input_required_result_elicitation
input-required-result-basic-sampling           # calls the fixture tool test_input_required_result_sampling
input-required-result-basic-list-roots         # calls the fixture tool test_input_required_result_list_roots
input-required-result-request-state            # calls the fixture tool test_input_required_result_request_state
input-required-result-multiple-input-requests  # calls the fixture tool test_input_required_result_multiple_inputs
input-required-result-multi-round              # calls the fixture tool test_input_required_result_multi_round
input-required-result-missing-input-response   # calls the fixture tool test_input_required_result_elicitation
input-required-result-non-tool-request         # gets the fixture prompt test_input_required_result_prompt
input-required-result-result-type              # calls the fixture tool test_input_required_result_elicitation
input-required-result-tampered-state           # calls the fixture tool test_input_required_result_tampered_state
input-required-result-capability-check         # calls the fixture tool test_input_required_result_capabilities
input-required-result-ignore-extra-params      # calls the fixture tool test_input_required_result_elicitation
input-required-result-validate-input           # calls the fixture tool test_input_required_result_elicitation
EOF
)
skipped=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' <<<"$skip_list")

prepare_run conformance "$baseline"
cleanup() {
  # `set -m` gave counterpi its own process group: signal all of it, then wait for it to stop.
  local leader="${pid:-${HARNESS_PID:-}}"
  if [ -n "$leader" ] && kill -0 "$leader" 2>/dev/null; then kill -TERM -- "-$leader" 2>/dev/null || true; wait "$leader" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Seconds left for a step: the smaller of its own limit and what is left of the whole budget.
remaining() {
  local left=$((deadline - SECONDS))
  if [ "$left" -le 0 ]; then echo "conformance: out of time (CONFORMANCE_BUDGET=${budget}s)" >&2; exit 1; fi
  echo $((left < $1 ? left : $1))
}

# The baseline grammar lives in one place, scripts/conformance-judge.mjs: `yaml` turns baseline.txt
# into the suite's own expected-failures file; `report` judges every run against it and prints the summary.
judge() {
  COMMAND=server TITLE="conformance $path" BASELINE="$baseline" RESULTS="$results" SKIPPED="$skipped" \
    node "$root/scripts/conformance-judge.mjs" "$1"
}

[ -x "$conformance" ] || { echo "conformance: $conformance is missing; run npm ci" >&2; exit 1; }
judge yaml >"$work/expected-failures.yml"

# Which scenarios the suite has, and which of them apply at each version.
t="$(remaining 30)"
all_scenarios="$(timeout "$t" "$conformance" list --server)"
names() { sed -n 's/^  - \([^ ]*\).*/\1/p'; }
for s in $skipped; do
  if ! names <<<"$all_scenarios" | grep -qx -- "$s"; then
    echo "conformance: skip list names $s, which this version of the suite does not have: remove it from the skip list" >&2
    exit 1
  fi
done

echo "conformance: building"
npm run build --silent || { echo "conformance: the build failed" >&2; exit 1; }

free_port() { node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'; }
port="${CONFORMANCE_PORT:-$(free_port)}"
if [ "$target" = acp ]; then
  # The suite cannot send an Authorization header: the harness makes an ACP API key and serves a
  # front on this port that adds it to every request (src/bench/bearer-proxy.ts).
  front="$(free_port)"
  export CONFORMANCE_ACP_PORT="$front"
  url="http://127.0.0.1:$front$path"
else
  url="http://127.0.0.1:$port$path"
fi
start_harness conformance "$port" "$data" "$log" "$root"
pid=$HARNESS_PID
if [ "$target" = acp ]; then wait_ready conformance "http://127.0.0.1:$front" "$pid" "$log"; fi
echo "conformance: counterpi ready at $url; suite $("$conformance" --version)"

started=$SECONDS
ran_somewhere=""
for version in "${spec_versions[@]}"; do
  t="$(remaining 30)"
  listed="$(timeout "$t" "$conformance" list --server --spec-version "$version" | names)"
  for scenario in $listed; do
    if grep -qx -- "$scenario" <<<"$skipped"; then continue; fi
    ran_somewhere+="$scenario"$'\n'
    dir="$results/$version/$scenario"
    mkdir -p "$dir"
    rc=0
    t="$(remaining "$per_scenario_seconds")"
    timeout "$t" "$conformance" server --url "$url" --scenario "$scenario" \
      --spec-version "$version" --expected-failures "$work/expected-failures.yml" \
      --timeout "$((per_scenario_seconds * 1000 / 2))" --output-dir "$dir" >"$dir/run.log" 2>&1 || rc=$?
    echo "$rc" >"$dir/rc"
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "conformance: counterpi stopped during $scenario @ $version; its log:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
  done
done
echo "conformance: ran the suite in $((SECONDS - started))s"

echo "conformance: skipped (need a fixture of the suite's reference server):"
sed -e '/^[[:space:]]*$/d' -e 's/^/  /' <<<"$skip_list"
not_served="$(names <<<"$all_scenarios" | grep -vxF -f <(printf '%s\n%s\n' "$skipped" "$ran_somewhere") || true)"
if [ -n "$not_served" ]; then
  echo "conformance: not run (extensions, or only for protocol versions $path does not serve):"
  while read -r s; do grep -F -- "  - $s [" <<<"$all_scenarios" | sed 's/^  - /  /'; done <<<"$not_served"
fi
echo
judge report || { echo "conformance: the last lines of counterpi's log ($log):"; tail -n 30 "$log"; exit 1; }
