#!/usr/bin/env bash
# Opt-in: run guard over every plan file of the shared corpus (../shared/corpus/plans) and count
# which load and which get a clear input error. Not part of `cargo test`: users do not have it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-"$root/../shared/corpus/plans"}
if [ -z "${GUARD:-}" ]; then
  cargo build --release --quiet --manifest-path "$root/Cargo.toml"
  GUARD="$root/target/release/guard"
fi
guard=$GUARD
loaded=0; rejected=0; crashed=0
while IFS= read -r -d '' plan; do
  set +e
  out=$("$guard" --format json "$plan" 2>&1)
  code=$?
  set -e
  case $code in
    0|1) loaded=$((loaded + 1)) ;;
    2) rejected=$((rejected + 1)); echo "rejected: ${plan#$corpus/}: $(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["errors"][0]["message"] if d["errors"] else d["summary"])' 2>/dev/null || echo "$out" | head -1)" ;;
    *) crashed=$((crashed + 1)); echo "CRASH ($code): $plan" ;;
  esac
done < <(find "$corpus" -name '*.json' ! -name '_catalogue.json' -print0 | sort -z)
echo "loaded: $loaded, rejected with a clear error: $rejected, crashed: $crashed"
[ "$crashed" -eq 0 ]
