#!/usr/bin/env bash
# Builds the guard-iac wheel with maturin from PyPI (python/pyproject.toml, bindings = "bin") and
# installs it the ways the README says, offline, from the built wheel only (pip reads PIP_*, uv and
# pipx, which installs through uv when it is there, read UV_*):
#   - `pip install guard-iac` into a fresh venv, then `guard --version` and the README example;
#   - `pipx run --spec guard-iac guard` and `uvx --from guard-iac guard` (pipx and uv from PyPI).
# maturin runs the same `cargo build --release` as the rest of CI in the same CARGO_TARGET_DIR, so
# the wheel packs the binary already built. The wheel is left in target/ci-tools/wheels/ for the
# pre-commit test (.ci/precommit.sh), which installs the `guard` hook from it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools=$root/target/ci-tools
venv=$tools/wheel-venv
wheels=$tools/wheels
MATURIN_VERSION=1.16.0
PIPX_VERSION=1.18.4
UV_VERSION=0.13.9
version=$(sed -n 's/^GUARD_RELEASE_VERSION="\(.*\)"$/\1/p' scripts/install.sh)

say() { printf -- '--- %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

if [ ! -f "$venv/.versions-$MATURIN_VERSION-$PIPX_VERSION-$UV_VERSION" ]; then
  say "installing maturin $MATURIN_VERSION, pipx $PIPX_VERSION and uv $UV_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "maturin==$MATURIN_VERSION" "pipx==$PIPX_VERSION" "uv==$UV_VERSION"
  touch "$venv/.versions-$MATURIN_VERSION-$PIPX_VERSION-$UV_VERSION"
fi

say "maturin build (reuses the release build)"
rm -rf "$wheels"
start=$(date +%s)
(cd python && "$venv/bin/maturin" build --release --locked --out "$wheels" --quiet)
echo "    built in $(($(date +%s) - start)) s: $(cd "$wheels" && ls)"
set -- "$wheels"/guard_iac-"$version"-py3-none-*.whl
[ -f "$1" ] || fail "no guard_iac-$version wheel in $wheels"
wheel=$1
# The wheel holds the binary as a script, nothing else to import.
python3 - "$wheel" "$version" <<'PYEOF' || fail "unexpected wheel contents"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
version = sys.argv[2]
scripts = [n for n in names if n.startswith(f"guard_iac-{version}.data/scripts/")]
assert scripts == [f"guard_iac-{version}.data/scripts/guard"], names
assert not [n for n in names if n.endswith(".py")], names
PYEOF

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PIP_NO_INDEX=1 PIP_FIND_LINKS=$wheels PIP_DISABLE_PIP_VERSION_CHECK=1

say "pip install guard-iac into a fresh venv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet guard-iac
[ "$("$work/venv/bin/guard" --version)" = "guard $version" ] || fail "the wheel's guard does not report guard $version"
set +e
"$work/venv/bin/guard" testdata/plans/incident/plan.json >/dev/null
code=$?
set -e
[ "$code" -eq 1 ] || fail "the wheel's guard on the README example: expected exit 1, got $code"

say "pipx run --spec guard-iac guard"
out=$(PIPX_HOME=$work/pipx PIPX_BIN_DIR=$work/pipx-bin UV_NO_INDEX=1 UV_FIND_LINKS=$wheels "$venv/bin/pipx" run --spec guard-iac guard --version 2>&1) ||
  fail "pipx run failed: $out"
[ "$(printf '%s\n' "$out" | tail -1)" = "guard $version" ] || fail "pipx run printed: $out"

say "uvx --from guard-iac guard"
out=$(UV_CACHE_DIR=$work/uv-cache UV_NO_INDEX=1 UV_FIND_LINKS=$wheels UV_PYTHON_DOWNLOADS=never \
  "$venv/bin/uvx" --from guard-iac guard --version 2>&1) || fail "uvx failed: $out"
[ "$(printf '%s\n' "$out" | tail -1)" = "guard $version" ] || fail "uvx printed: $out"

say "wheel: all checks passed"
