#!/usr/bin/env bash
# The fuzz targets (the plan loader and the HCL loader, each followed by the policies and every
# renderer).
#
#   .ci/fuzz.sh                    checks that the targets build (`cargo check`, seconds: the
#                                  regression corpus already replays in `cargo test`)
#   GUARD_CI_FULL=1 .ci/fuzz.sh [SECONDS]
#                                  fuzzes each target for SECONDS (default 60; FUZZ_SECONDS also
#                                  works) and fails on a crash: a panic, a stack overflow, an abort
#                                  or a timeout
#
# cargo-fuzz is installed from crates.io into target/ci-tools/. It needs nightly flags; the stable
# toolchain accepts them with RUSTC_BOOTSTRAP=1. A crashing input is left in
# target/fuzz/artifacts/<target>/: minimize it (`cargo fuzz tmin`) and add it to
# testdata/fuzz-regressions/<target>/, where tests/it/fuzz_regressions.rs replays it on every
# `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ "${GUARD_CI_FULL:-}" != 1 ]; then
  # The shared target directory: the dependencies' metadata is the same as clippy's.
  CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target} cargo check --quiet --manifest-path fuzz/Cargo.toml --bins
  echo "fuzz targets build (set GUARD_CI_FULL=1 to fuzz them)"
  exit 0
fi

seconds=${1:-${FUZZ_SECONDS:-60}}
tools=$root/target/ci-tools
export PATH="$tools/bin:$PATH" RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=$root/target/fuzz/build

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --root "$tools" cargo-fuzz --locked
fi

# Without a sanitizer: guard has no unsafe code, and what fuzzing looks for here (panics, stack
# overflows, hangs, runaway memory) needs none. Debug assertions stay on, so overflows panic.
flags=(--sanitizer none --debug-assertions --fuzz-dir fuzz)
cargo fuzz build "${flags[@]}" -O
triple=$(rustc -vV | sed -n 's/^host: //p')

status=0
for target in plan_loader hcl_loader; do
  corpus=$root/target/fuzz/corpus/$target
  artifacts=$root/target/fuzz/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  # Seeds: the repository's own inputs and every past regression.
  case $target in
    plan_loader) seeds=$(find testdata -name '*.json' -size -256k -not -path '*/github/*') ;;
    hcl_loader) seeds=$(find testdata -name '*.tf' -size -256k) ;;
  esac
  i=0
  for f in $seeds; do cp "$f" "$corpus/seed-$i-$(basename "$f")"; i=$((i + 1)); done
  if [ -d "testdata/fuzz-regressions/$target" ]; then
    find "testdata/fuzz-regressions/$target" -type f -exec cp {} "$corpus/" \;
  fi
  echo "fuzzing $target for ${seconds}s"
  log=$root/target/fuzz/$target.log
  set +e
  # The binary built above, run directly: `cargo fuzz run` would rebuild it.
  "$CARGO_TARGET_DIR/$triple/release/$target" "$corpus" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=65536 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
  code=$?
  set -e
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+== ERROR|SUMMARY|thread .* panicked|Test unit written)' "$log" || true
  if [ "$code" -ne 0 ] || grep -qE 'Test unit written|deadly signal' "$log"; then
    echo "fuzz: $target failed (exit $code); the input is in $artifacts/, the log in $log"
    tail -40 "$log"
    status=1
  fi
done
exit $status
