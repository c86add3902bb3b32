#!/usr/bin/env bash
# The install steps of the composite action (action.yml), kept here so that .ci/action.sh can run
# them outside GitHub against a local release server.
#
#   action-install.sh resolve   which guard to install; writes mode, version, cache-key and
#                               lock-hash to $GITHUB_OUTPUT
#   action-install.sh install   installs it into $GUARD_BIN_DIR
#   action-install.sh path      checks the binary in $GUARD_BIN_DIR and adds it to $GITHUB_PATH
#
# resolve reads GUARD_ACTION_PATH (the action's checkout, named after its ref), GUARD_ACTION_REF
# (github.action_ref, empty in some composite-action contexts) and GUARD_INPUT_VERSION. A version
# input or a release tag (v1.2.3, or v1 / v1.2, which point at a release) installs the released
# binary; any other ref (a branch, a commit, `uses: ./`) builds the action's own source.
set -euo pipefail

action_path=${GUARD_ACTION_PATH:?GUARD_ACTION_PATH is not set}
say() { printf 'guard action: %s\n' "$*" >&2; }
die() {
  printf '::error title=guard install::%s\n' "$*"
  exit 1
}

sha256_stdin() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d ' ' -f 1; else shasum -a 256 | cut -d ' ' -f 1; fi
}

resolve() {
  local ref=${GUARD_ACTION_REF:-} input=${GUARD_INPUT_VERSION:-} mode version key
  [ -n "$ref" ] || ref=$(basename "$action_path")
  local shipped
  shipped=$(sed -n 's/^GUARD_RELEASE_VERSION="\(.*\)"$/\1/p' "$action_path/scripts/install.sh")
  [ -n "$shipped" ] || die "cannot read the release version from $action_path/scripts/install.sh"
  if [ -n "$input" ]; then
    mode=release version=${input#v}
  elif [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    mode=release version=${ref#v}
  elif [[ $ref =~ ^v[0-9]+(\.[0-9]+)?$ ]]; then
    # A moving major or minor tag points at a release commit: the release its install.sh names.
    mode=release version=$shipped
  else
    mode=source version=$shipped
  fi
  [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || die "not a guard version: '$version'"
  local lock_hash
  lock_hash=$(sha256_stdin <"$action_path/Cargo.lock")
  if [ "$mode" = release ]; then
    key=guard-bin-$version
  else
    # The binary of a source build is as new as the source: key it by the files it is built from.
    local src_hash
    src_hash=$(cd "$action_path" && find Cargo.toml Cargo.lock src policies/Cargo.toml policies/src -type f |
      LC_ALL=C sort | while IFS= read -r f; do printf '%s  ' "$f"; sha256_stdin <"$f"; done | sha256_stdin)
    key=guard-src-${src_hash:0:32}
  fi
  say "guard $version ($mode; ref '$ref')"
  {
    echo "mode=$mode"
    echo "version=$version"
    echo "cache-key=$key"
    echo "lock-hash=${lock_hash:0:32}"
  } >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
}

install() {
  local bin_dir=${GUARD_BIN_DIR:?GUARD_BIN_DIR is not set}
  case ${GUARD_MODE:-} in
    release)
      GUARD_VERSION=${GUARD_VERSION:?} GUARD_INSTALL_DIR=$bin_dir sh "$action_path/scripts/install.sh" ||
        die "could not install guard ${GUARD_VERSION} (see above); nothing was installed"
      ;;
    source)
      command -v cargo >/dev/null 2>&1 || die "this ref of the action builds guard from source and needs cargo; use a release tag (uses: guard-iac/guard@v0) or set the version input"
      local root
      root=$(mktemp -d)
      CARGO_TARGET_DIR=${GUARD_CARGO_TARGET_DIR:-$root/target} \
        cargo install --locked --quiet --path "$action_path" --root "$root" --bin guard ||
        die "cargo install of guard from $action_path failed"
      mkdir -p "$bin_dir"
      cp "$root/bin/"guard* "$bin_dir/"
      rm -rf "$root"
      ;;
    *) die "unknown install mode '${GUARD_MODE:-}'" ;;
  esac
}

# Checks the installed (or restored) binary before anything runs it, then puts it on PATH.
path() {
  local bin_dir=${GUARD_BIN_DIR:?GUARD_BIN_DIR is not set} reported
  reported=$("$bin_dir/guard" --version) || die "the guard in $bin_dir does not run"
  if [ "${GUARD_MODE:-}" = release ] && [ "$reported" != "guard ${GUARD_VERSION:-}" ]; then
    die "the guard in $bin_dir reports '$reported', not guard ${GUARD_VERSION:-}"
  fi
  say "$reported"
  echo "$bin_dir" >>"${GITHUB_PATH:?GITHUB_PATH is not set}"
}

case ${1:-} in
  resolve) resolve ;;
  install) install ;;
  path) path ;;
  *)
    echo "usage: $0 resolve|install|path" >&2
    exit 2
    ;;
esac
