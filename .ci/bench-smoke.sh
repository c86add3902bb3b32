#!/usr/bin/env bash
# Keeps the benchmark tooling of issue 9 working: generates every bench input at a tiny size,
# runs guard once on each (it must load them: exit 0 or 1, never 2 or a crash), runs the raw-parse
# baseline on each, then the bench script itself once. No timing is asserted: never a timed test.
# GUARD_CI_FULL=1 then runs the full benchmark (scripts/bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
data="$target_dir/bench-smoke"
rm -rf "$data"
cargo build --release --quiet --bin guard --example gen_bench --example parse_baseline
guard="$target_dir/release/guard"
"$target_dir/release/examples/gen_bench" all "$data" tiny

check() { # label expected-kind path...
  local label=$1; shift
  set +e
  "$guard" --format json "$@" >"$data/out.json" 2>"$data/err.txt"
  local code=$?
  set -e
  case $code in
    0|1) echo "ok: $label (exit $code)" ;;
    *) echo "FAIL: $label: guard exited $code"; head -c 2000 "$data/out.json" "$data/err.txt"; exit 1 ;;
  esac
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["scanned"]["resources"] > 0, d["summary"]' "$data/out.json"
}

check "plan" "$data/plan-100k.json"
"$target_dir/release/examples/parse_baseline" plan "$data/plan-100k.json" >/dev/null
for dir in tf-2000 mono-20k tg-500 small; do
  check "$dir" "$data/$dir"
  "$target_dir/release/examples/parse_baseline" hcl "$data/$dir" >/dev/null
done

SCALE=tiny RUNS=1 NO_CHECKOV=1 NO_TRIVY=1 BENCH_DATA="$data" BENCH_RESULTS="$data/results.md" scripts/bench.sh >/dev/null
echo "bench smoke passed"
if [ "${GUARD_CI_FULL:-}" = 1 ]; then
  # The full benchmark (minutes; checkov from PyPI): results in $target_dir/bench-results.md.
  scripts/bench.sh
fi
