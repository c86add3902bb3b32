#!/usr/bin/env bash
# Opt-in check: loads every Terraform/Terragrunt tree of the shared corpus with guard's HCL loader
# and reports files that fail to parse or evaluate. Not part of `cargo test`.
#
#   scripts/corpus-hcl.sh [CORPUS_DIR] [--diag]
#
# CORPUS_DIR defaults to ../shared/corpus/tf (relative to the repository root). Each repository
# directory is loaded separately; the last line is the total. Real-world files must all load; the
# errors listed are deliberate fixtures (invalid syntax kept by the upstream projects' tests) or
# modules that are not downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus/tf}"
shift || true
cargo run --quiet --release --example load_corpus -- "$corpus" --each "$@"
