#!/bin/sh
# Runs guard over checkov's own fixtures for its security-group, S3, RDS and EBS checks and prints
# every case where the two disagree (see policies/PARITY.md for why each one differs).
#
#   scripts/checkov-parity.sh [path/to/checkov-tests]
#
# Opt-in: the fixtures live outside the repository (default ../shared/corpus/checkov-tests).
set -eu
cd "$(dirname "$0")/.."
CHECKOV_TESTS="${1:-${CHECKOV_TESTS:-../shared/corpus/checkov-tests}}"
export CHECKOV_TESTS
cargo test --quiet --test it policy_parity -- --ignored --nocapture 2>&1 |
  sed -n '/^guard agrees/,/^test result/p' | grep -v -e '^test result' -e '^\.*$'
