#!/bin/sh
# Installs a released guard binary, checked against its published sha256:
#
#   curl -fsSL https://github.com/guard-iac/guard/releases/download/v0.2.0/install.sh | sh
#
# Settings (environment):
#   GUARD_VERSION        the release to install (default: the release this script ships with)
#   GUARD_INSTALL_DIR    where `guard` goes (default: ~/.local/bin)
#   GUARD_DOWNLOAD_BASE  where releases are (default: this repository's GitHub releases); the
#                        archive is ${GUARD_DOWNLOAD_BASE}/v${GUARD_VERSION}/guard-<target>.tar.gz
#   GUARD_TARGET         the target triple to fetch, when the detected one is not wanted
#
# It fails closed: a checksum mismatch, a missing asset, an archive without a working binary or an
# unknown platform stops it with a message, and nothing is installed (a guard already installed
# stays as it was; the new binary replaces it in one rename). The action (action.yml) runs it.
set -eu

# The release this script belongs to; .ci/release-check.sh keeps it equal to Cargo.toml's version.
GUARD_RELEASE_VERSION="0.2.0"

version=${GUARD_VERSION:-$GUARD_RELEASE_VERSION}
version=${version#v}
base=${GUARD_DOWNLOAD_BASE:-https://github.com/guard-iac/guard/releases/download}
base=${base%/}
install_dir=${GUARD_INSTALL_DIR:-${HOME:?HOME is not set; set GUARD_INSTALL_DIR}/.local/bin}

say() { printf 'guard install: %s\n' "$*" >&2; }
die() {
  printf 'guard install: error: %s\n' "$*" >&2
  exit 1
}

detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case $arch in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no release binary for this processor ($arch); build from source: cargo install --locked guard-iac" ;;
  esac
  case $os in
    Linux)
      # Static musl binaries: they run on every Linux distribution, glibc or not.
      echo "$arch-unknown-linux-musl"
      ;;
    Darwin)
      # A shell under Rosetta reports x86_64 on Apple silicon: take the native binary.
      if [ "$arch" = x86_64 ] && [ "$(sysctl -n hw.optional.arm64 2>/dev/null || echo 0)" = 1 ]; then
        arch=aarch64
      fi
      echo "$arch-apple-darwin"
      ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      [ "$arch" = x86_64 ] || die "no release binary for Windows on $arch; build from source: cargo install --locked guard-iac"
      echo "x86_64-pc-windows-msvc"
      ;;
    *) die "no release binary for this system ($os $arch); build from source: cargo install --locked guard-iac" ;;
  esac
}

# download URL FILE: fails on any HTTP error (a missing asset is a 404, never an HTML page).
download() {
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --tries=3 --output-document="$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
  else
    die "no sha256 tool (sha256sum, shasum or openssl) to verify the download"
  fi
}

target=${GUARD_TARGET:-$(detect_target)}
case $target in
  *windows*) ext=zip exe=.exe ;;
  *) ext=tar.gz exe= ;;
esac
name=guard-$target
archive=$name.$ext
url=$base/v$version/$archive

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t guard-install)
staged=
cleanup() {
  rm -rf "$tmp"
  [ -z "$staged" ] || rm -f "$staged"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

say "downloading guard $version for $target"
download "$url" "$tmp/$archive" || die "could not download $url (is there a release v$version with a $target binary?)"
download "$url.sha256" "$tmp/$archive.sha256" || die "could not download the checksum $url.sha256; not installing an unverified binary"

expected=$(cut -d ' ' -f 1 <"$tmp/$archive.sha256" | tr 'A-F' 'a-f')
case $expected in
  *[!0-9a-f]* | '') die "$url.sha256 is not a sha256 checksum; not installing" ;;
esac
[ ${#expected} -eq 64 ] || die "$url.sha256 is not a sha256 checksum; not installing"
actual=$(sha256_of "$tmp/$archive")
[ "$actual" = "$expected" ] || die "checksum mismatch for $archive: expected $expected, got $actual; not installing"

mkdir "$tmp/x"
case $ext in
  zip) (cd "$tmp/x" && unzip -q "../$archive") || die "could not unpack $archive" ;;
  *) (cd "$tmp/x" && tar -xzf "../$archive") || die "could not unpack $archive" ;;
esac
bin=$tmp/x/$name/guard$exe
[ -f "$bin" ] || die "$archive does not contain $name/guard$exe; not installing"
chmod 755 "$bin"
# The binary must start and be the version asked for before it replaces anything.
reported=$("$bin" --version 2>/dev/null) || die "the guard in $archive does not run on this machine; not installing"
[ "$reported" = "guard $version" ] || die "$archive holds '$reported', not guard $version; not installing"

mkdir -p "$install_dir" || die "cannot create $install_dir"
# Copy next to the destination, then rename: the switch is atomic, never a half-written guard.
staged=$install_dir/.guard.$$.tmp$exe
cp "$bin" "$staged" || die "cannot write to $install_dir"
chmod 755 "$staged"
mv -f "$staged" "$install_dir/guard$exe" || die "cannot install into $install_dir"
staged=
say "installed guard $version to $install_dir/guard$exe"
case ":${PATH:-}:" in
  *":$install_dir:"*) ;;
  *) say "$install_dir is not on PATH; add it, e.g. export PATH=\"$install_dir:\$PATH\"" ;;
esac
