#!/usr/bin/env bash
# End-to-end test of the pre-commit hooks with the real pre-commit from PyPI.
#
# Makes a throwaway git repository with Terraform files and runs, through `pre-commit try-repo`:
#   - `guard` (language: python): pre-commit pip-installs the root pyproject.toml, which pulls the
#     guard-iac wheel; here pip resolves everything offline from the wheel .ci/wheel.sh built
#     (PIP_FIND_LINKS, PIP_NO_INDEX) and a local copy of the build backend;
#   - `guard-system` (language: system) with the release binary on PATH;
#   - `guard-rust` (language: rust), which makes pre-commit `cargo install` guard from a snapshot of
#     this checkout, in the same CARGO_TARGET_DIR as the rest of CI (only guard's own crates are
#     rebuilt; offline when the cargo cache is warm).
# Each must fail on a bad file with the right code, file and line, and pass once it is fixed.
#
# Caches under target/ci-tools/: the pre-commit venv and the build backend's wheels.
# Set GUARD_PRECOMMIT_SKIP_RUST=1 to skip the rust hook.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/target/ci-tools"
venv="$tools/precommit-venv"
PRE_COMMIT_VERSION="4.7.0"

say() { printf -- '--- %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# 1. pre-commit, cached.
if ! "$venv/bin/pre-commit" --version 2>/dev/null | grep -q "$PRE_COMMIT_VERSION"; then
  say "installing pre-commit $PRE_COMMIT_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
fi
pre_commit="$venv/bin/pre-commit"

# 2. The binary for the system hook (the release build CI already made), and what the python
#    hook installs: the wheel from .ci/wheel.sh and the build backend of the root pyproject.toml.
(cd "$root" && cargo build --release --quiet --bin guard)
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin_dir="$target_dir/release"
wheels="$tools/wheels"
[ -n "$(ls "$wheels"/guard_iac-*.whl 2>/dev/null)" ] || fail "no guard-iac wheel in $wheels: run .ci/wheel.sh first"
build_deps="$tools/pip-build-deps"
if [ ! -f "$build_deps/.complete" ]; then
  say "downloading the hook package's build backend into $build_deps"
  rm -rf "$build_deps"
  "$venv/bin/pip" download --quiet --disable-pip-version-check --dest "$build_deps" "hatchling==1.33.0"
  touch "$build_deps/.complete"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"
export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1
git config --global user.email "ci@example.invalid"
git config --global user.name "guard ci"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

# 3. A snapshot of this checkout as its own repository (committed and uncommitted files alike),
#    so try-repo builds exactly what is here without touching this repository's git state.
src="$work/guard-src"
mkdir -p "$src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
  (cd "$root" && xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' || true) |
  (cd "$root" && tar --null -T - -cf -) | (cd "$src" && tar -xf -)
(cd "$src" && git init --quiet && git add --all && git commit --quiet -m snapshot)

# 4. The sample repository.
repo="$work/sample"
mkdir -p "$repo/app" "$repo/net"
cat >"$repo/app/main.tf" <<'EOF'
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "-1"
  cidr_ipv4         = var.egress_cidr
}
EOF
cat >"$repo/app/variables.tf" <<'EOF'
variable "egress_cidr" {
  type    = string
  default = "0.0.0.0/0"
}
EOF
cat >"$repo/net/main.tf" <<'EOF'
# guard:ignore NET001 -- the NAT instance forwards all outbound traffic
resource "aws_vpc_security_group_egress_rule" "nat" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
EOF
mkdir -p "$repo/app/.terraform/modules/x"
echo 'resource "aws_vpc_security_group_egress_rule" "x" { cidr_ipv4 = "0.0.0.0/0" }' \
  >"$repo/app/.terraform/modules/x/main.tf"
cd "$repo"
git init --quiet
git add --all

# run_hook HOOK EXPECTED_EXIT FILES...: runs try-repo, checks the exit code, leaves output in $out.
run_hook() {
  local hook="$1" expected="$2"
  shift 2
  set +e
  out="$(PATH="$bin_dir:$PATH" "$pre_commit" try-repo "$src" "$hook" --color never --verbose --files "$@" 2>&1)"
  local code=$?
  set -e
  if [ "$code" -ne "$expected" ]; then
    printf '%s\n' "$out"
    fail "$hook on $*: expected exit $expected, got $code"
  fi
}

expect() {
  printf '%s\n' "$out" | grep -qF -- "$1" || { printf '%s\n' "$out"; fail "expected output to contain: $1"; }
}
reject() {
  if printf '%s\n' "$out" | grep -qF -- "$1"; then printf '%s\n' "$out"; fail "unexpected output: $1"; fi
}

# check_hook HOOK [quick]: `quick` runs only "bad fails" and "fixed passes" (try-repo installs the
# hook into a fresh store on every call, so each language: rust call is a cargo install).
check_hook() {
  local hook="$1" quick="${2:-}"
  say "$hook: a bad file fails with the code and the line of the value"
  git checkout --quiet -- . 2>/dev/null || true
  sed -i 's|default = "10.0.0.0/8"|default = "0.0.0.0/0"|' app/variables.tf
  run_hook "$hook" 1 app/main.tf
  expect "app/variables.tf:3:13: NET001 egress to the whole internet"
  expect "Failed"

  if [ -z "$quick" ]; then
    say "$hook: a suppressed finding passes; files in .terraform/ are never read"
    run_hook "$hook" 0 net/main.tf
    expect "Passed"
    reject "NET001"
  fi

  say "$hook: fixed, it passes"
  sed -i 's|default = "0.0.0.0/0"|default = "10.0.0.0/8"|' app/variables.tf
  run_hook "$hook" 0 app/main.tf app/variables.tf
  expect "Passed"
  [ -z "$quick" ] || { git add --all; return 0; }

  say "$hook: --all-files scans the repository once"
  sed -i 's|default = "10.0.0.0/8"|default = "0.0.0.0/0"|' app/variables.tf
  git add --all
  set +e
  out="$(PATH="$bin_dir:$PATH" "$pre_commit" try-repo "$src" "$hook" --color never --verbose --all-files 2>&1)"
  code=$?
  set -e
  [ "$code" -eq 1 ] || { printf '%s\n' "$out"; fail "$hook --all-files: expected exit 1, got $code"; }
  expect "app/variables.tf:3:13: NET001"
  reject ".terraform/"
  sed -i 's|default = "0.0.0.0/0"|default = "10.0.0.0/8"|' app/variables.tf
  git add --all
}

check_hook guard-system

# language: python. PATH without the release binary: the hook must run the wheel's guard.
say "guard (language: python): installing the guard-iac wheel offline from $wheels"
(
  export PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels $build_deps" PIP_DISABLE_PIP_VERSION_CHECK=1
  bin_dir="$work/no-guard-here"
  # No guard on PATH: whatever runs the hook comes from the wheel pre-commit installed.
  if PATH="$bin_dir:$PATH" command -v guard >/dev/null; then fail "a guard on PATH would hide the wheel's"; fi
  check_hook guard
)

if [ "${GUARD_PRECOMMIT_SKIP_RUST:-}" != "1" ]; then
  # language: rust runs `cargo install --path .` in the snapshot (without --locked: pre-commit
  # does not pass it). Offline when every crate is already in the cargo cache. The shared target
  # directory keeps every dependency the release build already compiled.
  host="$(rustc -vV | sed -n 's/^host: //p')"
  if (cd "$root" && cargo fetch --offline --quiet --target "$host" >/dev/null 2>&1); then
    export CARGO_NET_OFFLINE=true
  fi
  export CARGO_TARGET_DIR="$target_dir"
  say "guard-rust (language: rust): building from source (CARGO_NET_OFFLINE=${CARGO_NET_OFFLINE:-false})"
  check_hook guard-rust quick
fi

say "pre-commit hooks: all checks passed"
