#!/usr/bin/env bash
# External black-box checks of dockerhub-mcp (issue 10), run by .ci/run after the tests:
#   1. the MCP Inspector CLI against `dockerhub-mcp --emulator`: tools/list with --strict (the schemas
#      must suit the strictest common clients) and one tools/call over stdio; tools/list over HTTP with
#      the bearer token, and refused without it;
#   2. the official conformance suite: every server scenario that applies to this server, on each
#      protocol revision it serves, against `dockerhub-mcp --emulator --transport http`. The scenarios
#      that do not apply are listed below with the reason, and the run fails if the suite has one that
#      is in neither list (a new version of the suite must be looked at, not skipped).
# Prints one PASS/FAIL line per check and exits non-zero when any fails.
#
# Both tools are pinned and installed on first use into node_modules/.cache/mcp-external-checks (not
# devDependencies: together ~160 MB, a web UI with native modules, that every `npm install` of the
# project would otherwise fetch for a check only CI runs). They need Node >= 22.19: the node@24
# devDependency (node_modules/.bin first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

INSPECTOR=@modelcontextprotocol/inspector@2.12.0
CONFORMANCE=@modelcontextprotocol/conformance@0.2.0-alpha.12
BASELINE=scripts/mcp-conformance-baseline.yml

# revision:scenario — the conformance server scenarios that apply to dockerhub-mcp, each on the revisions
# it has and the server serves. (server-sse-multiple-streams runs on 2026-07-28 only: on the 2025 wire it
# needs a session id to open its streams, and a stateless server has none, so it would check nothing.)
APPLICABLE=(
  2025-06-18:server-initialize 2025-06-18:ping 2025-06-18:tools-list
  2025-11-25:server-initialize 2025-11-25:ping 2025-11-25:tools-list 2025-11-25:dns-rebinding-protection
  2026-07-28:server-stateless 2026-07-28:tools-list 2026-07-28:server-sse-multiple-streams
  2026-07-28:dns-rebinding-protection 2026-07-28:caching 2026-07-28:http-header-validation
  2026-07-28:input-required-result-unsupported-methods
)

declare -A NOT_APPLICABLE
fixture='calls a fixture tool only the suite'\''s reference server has (test_*); tools/call behaviour is tested in tests/mcp with real tools'
for s in tools-call-simple-text tools-call-image tools-call-audio tools-call-embedded-resource \
  tools-call-mixed-content tools-call-with-logging tools-call-error tools-call-with-progress \
  tools-call-sampling tools-call-elicitation elicitation-sep1034-defaults elicitation-sep1330-enums \
  json-schema-2020-12; do
  NOT_APPLICABLE[$s]="$fixture"
done
for s in basic-elicitation basic-sampling basic-list-roots request-state multiple-input-requests \
  multi-round missing-input-response non-tool-request result-type tampered-state capability-check \
  ignore-extra-params validate-input; do
  NOT_APPLICABLE[input-required-result-$s]='calls the suite'\''s test_input_required_result_* fixture tools; the server'\''s one input-required use (confirming a destructive call on 2026-07-28) is tested in tests/mcp'
done
for s in resources-list resources-read-text resources-read-binary resources-templates-read \
  resources-subscribe resources-unsubscribe sep-2164-resource-not-found; do
  NOT_APPLICABLE[$s]='the server has no resources'
done
for s in prompts-list prompts-get-simple prompts-get-with-args prompts-get-embedded-resource prompts-get-with-image; do
  NOT_APPLICABLE[$s]='the server has no prompts'
done
NOT_APPLICABLE[completion-complete]='no prompts or resource templates, so no completions capability'
NOT_APPLICABLE[logging-set-level]='no logging capability: logs go to the server'\''s stderr, never to the client'
NOT_APPLICABLE[server-session-lifecycle]='stateless: there is no MCP-Session-Id, so no session lifecycle'
NOT_APPLICABLE[server-sse-polling]='SSE resumption (event ids, retry, reconnect) belongs to sessionful servers; this one is stateless'
NOT_APPLICABLE[http-custom-header-server-validation]='no tool maps a parameter to an x-mcp-header (SEP-2243 custom headers)'
for s in lifecycle capability-negotiation wire-fields request-state-removal mrtr-input request-headers \
  dispatch-and-envelope status-notifications required-task-error mrtr-composition; do
  NOT_APPLICABLE[tasks-$s]='the tasks extension is not implemented'
done
for s in directory enumeration manifest; do
  NOT_APPLICABLE[sep-2640-skills-$s]='the skills extension is not implemented'
done

export PATH="$PWD/node_modules/.bin:$PATH"
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)'; then
  echo "mcp-conformance: needs Node >= 22.19 (run npm install for the node@24 devDependency); found $(node --version)" >&2
  exit 2
fi
[ -f dist/bin/dockerhub-mcp.js ] || npm run build >/dev/null

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }
# Shows the end of a log under a failure.
show() { sed 's/\x1b\[[0-9;]*m//g' "$1" | tail -n "${2:-25}" | sed 's/^/      | /'; }

# --- the tools, pinned, installed once ------------------------------------------------------------------
cache="$PWD/node_modules/.cache/mcp-external-checks"
install_tool() { # dir spec
  local dir="$cache/$1" spec="$2"
  if [ "$(cat "$dir/.spec" 2>/dev/null)" != "$spec" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$spec" >"$work/install-$1.log" 2>&1; then
      echo "mcp-conformance: could not install $spec" >&2
      show "$work/install-$1.log" >&2
      exit 2
    fi
    echo "$spec" >"$dir/.spec"
  fi
}
install_tool inspector "$INSPECTOR"
install_tool conformance "$CONFORMANCE"
# The Inspector keeps a catalog and OAuth state under HOME: give it a scratch one.
inspector() { HOME="$work/home" MCP_CATALOG_PATH="$work/catalog.json" timeout 180 "$cache/inspector/node_modules/.bin/mcp-inspector" --cli "$@"; }
conformance() { timeout 300 "$cache/conformance/node_modules/.bin/conformance" "$@"; }
mkdir -p "$work/home"

echo "== MCP external checks: Inspector ${INSPECTOR##*@}, conformance ${CONFORMANCE##*@}, Node $(node --version)"

# Starts `dockerhub-mcp` in the background with the given environment and flags; sets URL.
start_server() { # name env-assignments… -- flags…
  local name="$1" log="$work/$1.stderr"
  shift
  : >"$log"
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" node dist/bin/dockerhub-mcp.js "$@" >/dev/null 2>"$log" &
  pids+=("$!")
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q 'listening on http' "$log" && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "mcp-conformance: dockerhub-mcp ($name) did not start" >&2
      show "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  URL="$(grep -o 'listening on http[^ ]*' "$log" | head -1 | cut -d' ' -f3)"
}

# --- 1. the MCP Inspector CLI ---------------------------------------------------------------------------
stdio=(-- node dist/bin/dockerhub-mcp.js --emulator)
if inspector --method tools/list --strict "${stdio[@]}" >"$work/list.json" 2>"$work/list.err" &&
  names="$(node -e 'const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).tools; if (!t.some((x) => x.name === "hub_repos")) process.exit(1); console.log(`${t.length} tool(s): ${t.map((x) => x.name).join(", ")}`)' "$work/list.json")"; then
  pass "inspector stdio tools/list --strict: $names; $(grep -c '^Warning:' "$work/list.err" || true) portability warning(s), no errors"
else
  fail "inspector stdio tools/list --strict"
  show "$work/list.err"
fi

if inspector --method tools/call --tool-name hub_repos --tool-arg action=list namespace=acme "${stdio[@]}" \
  >"$work/call.json" 2>"$work/call.err" &&
  repos="$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const s = r.structuredContent; if (r.isError || s.status !== "ok" || !s.data.length) process.exit(1); console.log(s.data.map((x) => `${x.namespace}/${x.name}`).join(", "))' "$work/call.json")"; then
  pass "inspector stdio tools/call hub_repos list namespace=acme: $repos"
else
  fail "inspector stdio tools/call hub_repos list"
  show "$work/call.err"
  show "$work/call.json" 10
fi

token="ci-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
start_server http-token "MCP_AUTH_TOKEN=$token" -- --emulator --transport http --port 0
if inspector --method tools/list --transport http --server-url "$URL" --header "Authorization: Bearer $token" \
  >"$work/http-list.json" 2>"$work/http-list.err" && grep -q '"name": "hub_repos"' "$work/http-list.json"; then
  pass "inspector http tools/list with the bearer token ($URL)"
else
  fail "inspector http tools/list with the bearer token"
  show "$work/http-list.err"
fi
if inspector --method tools/list --transport http --server-url "$URL" >"$work/http-anon.json" 2>&1; then
  fail "inspector http tools/list without the token was served"
else
  pass "inspector http tools/list without the token is refused ($(grep -o '"code":"[a-z_]*"' "$work/http-anon.json" | head -1))"
fi

# --- 2. the conformance suite ---------------------------------------------------------------------------
# No scenario sends credentials, so the suite talks to an unauthenticated server on loopback; the
# authentication gate is covered by tests/mcp/http*.test.ts and the Inspector checks above.
start_server conformance -- --emulator --transport http --port 0 --allow-unauthenticated

declare -A classified
for entry in "${APPLICABLE[@]}"; do classified[${entry#*:}]=1; done
for s in "${!NOT_APPLICABLE[@]}"; do classified[$s]=1; done
conformance list --server >"$work/scenarios.txt"
while read -r s; do
  [ -n "${classified[$s]:-}" ] || fail "conformance: scenario $s of the suite is neither applicable nor marked not applicable"
done < <(sed -n 's/^ *- \([a-z0-9-]*\).*/\1/p' "$work/scenarios.txt")

for entry in "${APPLICABLE[@]}"; do
  revision="${entry%%:*}" scenario="${entry#*:}"
  log="$work/conformance-$revision-$scenario.log"
  if conformance server --url "$URL" --scenario "$scenario" --spec-version "$revision" \
    --expected-failures "$BASELINE" -o "$work/results" >"$log" 2>&1; then
    counts="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -o 'Passed: .*' | tail -1)"
    baselined="$(grep -c "^  ~ $scenario:" "$log" || true)"
    note=""
    [ "$baselined" -gt 0 ] && note=" ($baselined check(s) baselined in $BASELINE)"
    pass "conformance $revision $scenario: ${counts:-no result line}$note"
  else
    fail "conformance $revision $scenario"
    show "$log" 40
  fi
done
for s in $(printf '%s\n' "${!NOT_APPLICABLE[@]}" | sort); do echo "n/a   conformance $s: ${NOT_APPLICABLE[$s]}"; done

echo "== MCP external checks: $passed passed, $failed failed (${#NOT_APPLICABLE[@]} conformance scenarios not applicable)"
[ "$failed" -eq 0 ]
