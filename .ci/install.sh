#!/usr/bin/env bash
# End-to-end test of the release archive, the install script and the action's install steps,
# against a release server on 127.0.0.1 (python3 -m http.server) laid out like GitHub's:
#   <base>/v<version>/guard-<target>.tar.gz and .sha256
#
# 1. scripts/dist.sh packs the release build (the one .ci/run already made: CARGO_TARGET_DIR is
#    shared, so this only packs) and the archive's binary runs.
# 2. scripts/install.sh, run as the README says (`curl -fsSL .../install.sh | sh`):
#    a good archive installs and runs; a tampered archive, a missing archive, a missing checksum
#    and an unknown platform each fail with a clear message and install nothing (a guard already
#    there is left as it was, no temporary file is left behind); detection picks the static musl
#    build on Linux.
# 3. scripts/action-install.sh (the action's install steps): a release tag resolves to the
#    released binary and installs it from the server; a branch ref resolves to a source build; a
#    cached binary of another version is refused.
#
# Writes the archive to target/ci-tools/dist/ for .ci/docker.sh and .ci/wheel.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools=$root/target/ci-tools
dist=$tools/dist
host=$(rustc -vV | sed -n 's/^host: //p')
version=$(sed -n 's/^GUARD_RELEASE_VERSION="\(.*\)"$/\1/p' scripts/install.sh)

say() { printf -- '--- %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

say "scripts/dist.sh $dist"
rm -rf "$dist"
scripts/dist.sh "$dist" >/dev/null
archive=guard-$host.tar.gz
[ -f "$dist/$archive" ] && [ -f "$dist/$archive.sha256" ] || fail "dist.sh did not write $archive and its .sha256"
(cd "$dist" && sha256sum -c --quiet "$archive.sha256") || fail "$archive.sha256 does not verify with sha256sum -c"
listing=$(tar -tzf "$dist/$archive" | LC_ALL=C sort | tr '\n' ' ')
[ "$listing" = "guard-$host/ guard-$host/CHANGELOG.md guard-$host/LICENSE guard-$host/README.md guard-$host/guard " ] ||
  fail "unexpected archive layout: $listing"

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
tar -xzf "$dist/$archive" -C "$work"
[ "$("$work/guard-$host/guard" --version)" = "guard $version" ] || fail "the archive's binary does not report guard $version"
set +e
"$work/guard-$host/guard" testdata/plans/incident/plan.json >/dev/null
code=$?
set -e
[ "$code" -eq 1 ] || fail "the archive's binary on the README example: expected exit 1, got $code"

# The release server: good, tampered and checksum-less releases side by side.
srv=$work/srv
mkdir -p "$srv/good/v$version" "$srv/tampered/v$version" "$srv/nosum/v$version"
cp "$dist/$archive" "$dist/$archive.sha256" "$srv/good/v$version/"
cp scripts/install.sh "$srv/install.sh"
# Tampered: a different, well-formed archive (its binary altered) under the real checksum.
mkdir "$work/evil"
tar -xzf "$dist/$archive" -C "$work/evil"
printf 'tampered' >>"$work/evil/guard-$host/guard"
(cd "$work/evil" && tar -czf "$srv/tampered/v$version/$archive" "guard-$host")
cp "$dist/$archive.sha256" "$srv/tampered/v$version/"
cp "$dist/$archive" "$srv/nosum/v$version/"

python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$srv" >"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's/.*Serving HTTP on 127\.0\.0\.1 port \([0-9]*\).*/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "the local release server did not start: $(cat "$work/server.log")"
url=http://127.0.0.1:$port

# run_install NAME EXPECTED_EXIT [VAR=VALUE...]: pipes install.sh from the server into sh, as the
# README's command does, with a fresh install directory; output in $out.
run_install() {
  local name=$1 expected=$2
  shift 2
  dir=$work/install-$name
  mkdir -p "$dir"
  set +e
  out=$(curl -fsSL "$url/install.sh" | env GUARD_INSTALL_DIR="$dir" GUARD_TARGET="$host" "$@" sh 2>&1)
  local code=$?
  set -e
  [ "$code" -eq "$expected" ] || { printf '%s\n' "$out"; fail "$name: expected exit $expected, got $code"; }
}
expect() { printf '%s\n' "$out" | grep -qF -- "$1" || { printf '%s\n' "$out"; fail "expected output to contain: $1"; }; }
nothing_installed() {
  [ -z "$(ls -A "$dir")" ] || fail "$1: something was installed: $(ls -A "$dir")"
}

say "install.sh: a good release installs, and the installed guard runs"
run_install good 0 GUARD_DOWNLOAD_BASE="$url/good"
expect "installed guard $version to $dir/guard"
[ "$("$dir/guard" --version)" = "guard $version" ] || fail "the installed guard does not run"
[ "$(ls -A "$dir")" = guard ] || fail "install left files behind: $(ls -A "$dir")"

say "install.sh: a tampered archive fails on the checksum and installs nothing"
run_install tampered 1 GUARD_DOWNLOAD_BASE="$url/tampered"
expect "checksum mismatch for $archive"
nothing_installed tampered

say "install.sh: a tampered archive leaves an installed guard as it was"
cp "$work/install-good/guard" "$work/install-tampered/guard"
before=$(sha256sum "$work/install-tampered/guard")
run_install tampered 1 GUARD_DOWNLOAD_BASE="$url/tampered"
[ "$(sha256sum "$dir/guard")" = "$before" ] || fail "a failed install changed the installed guard"
[ "$(ls -A "$dir")" = guard ] || fail "a failed install left files behind: $(ls -A "$dir")"

say "install.sh: a missing release fails and installs nothing"
run_install missing 1 GUARD_DOWNLOAD_BASE="$url/good" GUARD_VERSION=99.0.0
expect "could not download $url/good/v99.0.0/$archive"
nothing_installed missing

say "install.sh: a missing checksum fails and installs nothing"
run_install nosum 1 GUARD_DOWNLOAD_BASE="$url/nosum"
expect "could not download the checksum"
nothing_installed nosum

say "install.sh: an unknown platform fails and installs nothing"
mkdir -p "$work/fake-bin"
# $1 belongs to the fake uname, not to this script:
# shellcheck disable=SC2016
printf '#!/bin/sh\ncase "$1" in -s) echo SunOS ;; -m) echo sparc64 ;; esac\n' >"$work/fake-bin/uname"
chmod +x "$work/fake-bin/uname"
dir=$work/install-unknown
mkdir -p "$dir"
set +e
out=$(env PATH="$work/fake-bin:$PATH" GUARD_INSTALL_DIR="$dir" GUARD_DOWNLOAD_BASE="$url/good" sh scripts/install.sh 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || { printf '%s\n' "$out"; fail "unknown platform: expected exit 1, got $code"; }
expect "no release binary for this processor (sparc64)"
nothing_installed unknown

if [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ]; then
  say "install.sh: on x86_64 Linux it fetches the static musl build"
  dir=$work/install-detect
  mkdir -p "$dir"
  set +e
  out=$(env GUARD_INSTALL_DIR="$dir" GUARD_DOWNLOAD_BASE="$url/good" sh scripts/install.sh 2>&1)
  set -e
  expect "downloading guard $version for x86_64-unknown-linux-musl"
  nothing_installed detect
fi

say "action: a release tag installs the released binary; a branch builds from source"
action=$work/actions/guard-iac/guard/v$version
mkdir -p "$(dirname "$action")"
ln -s "$root" "$action"
outputs=$work/github-output
: >"$outputs"
GUARD_ACTION_PATH=$action GUARD_ACTION_REF='' GUARD_INPUT_VERSION='' GITHUB_OUTPUT=$outputs \
  bash scripts/action-install.sh resolve 2>/dev/null
if ! { grep -qx "mode=release" "$outputs" && grep -qx "version=$version" "$outputs" &&
  grep -qx "cache-key=guard-bin-$version" "$outputs"; }; then
  fail "a v$version action path did not resolve to the release: $(cat "$outputs")"
fi
GUARD_ACTION_PATH=$action GUARD_MODE=release GUARD_VERSION=$version GUARD_BIN_DIR=$work/action-bin \
  GUARD_DOWNLOAD_BASE=$url/good GUARD_TARGET=$host bash scripts/action-install.sh install 2>/dev/null
[ "$("$work/action-bin/guard" --version)" = "guard $version" ] || fail "the action did not install guard $version"
: >"$work/github-path"
GUARD_ACTION_PATH=$action GUARD_MODE=release GUARD_VERSION=$version GUARD_BIN_DIR=$work/action-bin \
  GITHUB_PATH=$work/github-path bash scripts/action-install.sh path 2>/dev/null
[ "$(cat "$work/github-path")" = "$work/action-bin" ] || fail "the action did not put guard on PATH"
# A cached binary of another version is refused before anything runs it.
set +e
GUARD_ACTION_PATH=$action GUARD_MODE=release GUARD_VERSION=9.9.9 GUARD_BIN_DIR=$work/action-bin \
  GITHUB_PATH=$work/github-path bash scripts/action-install.sh path >/dev/null 2>&1
code=$?
set -e
[ "$code" -ne 0 ] || fail "the action accepted a cached guard of the wrong version"
: >"$outputs"
GUARD_ACTION_PATH=$root GUARD_ACTION_REF=main GUARD_INPUT_VERSION='' GITHUB_OUTPUT=$outputs \
  bash scripts/action-install.sh resolve 2>/dev/null
if ! { grep -qx "mode=source" "$outputs" && grep -q "^cache-key=guard-src-" "$outputs"; }; then
  fail "a branch ref did not resolve to a source build: $(cat "$outputs")"
fi
: >"$outputs"
GUARD_ACTION_PATH=$root GUARD_ACTION_REF=v0 GUARD_INPUT_VERSION='' GITHUB_OUTPUT=$outputs \
  bash scripts/action-install.sh resolve 2>/dev/null
if ! { grep -qx "version=$version" "$outputs" && grep -qx "mode=release" "$outputs"; }; then
  fail "@v0 did not resolve to the release install.sh names: $(cat "$outputs")"
fi
: >"$outputs"
set +e
GUARD_ACTION_PATH=$root GUARD_ACTION_REF=main GUARD_INPUT_VERSION='1.0; rm -rf /' GITHUB_OUTPUT=$outputs \
  bash scripts/action-install.sh resolve >/dev/null 2>&1
code=$?
set -e
if [ "$code" -eq 0 ] || [ -s "$outputs" ]; then fail "a malformed version input was accepted"; fi

say "install: all checks passed"
