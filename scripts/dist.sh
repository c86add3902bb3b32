#!/usr/bin/env bash
# Builds guard's release binary and packs it the way a GitHub release ships it:
#
#   scripts/dist.sh OUTDIR
#
# writes OUTDIR/guard-<target>.tar.gz (a .zip for Windows targets), holding
# guard-<target>/{guard,README.md,CHANGELOG.md,LICENSE}, and OUTDIR/guard-<target>.tar.gz.sha256
# in `sha256sum` format. The target is the host's unless GUARD_DIST_TARGET names another (the
# release workflow passes the musl, macOS and Windows targets). The build is the plain
# `cargo build --release` that `cargo run --release` and CI use, in CARGO_TARGET_DIR when set, so
# calling this after any release build only packs. .github/workflows/release.yml calls it for every
# target and .ci/dist.sh tests it; scripts/install.sh reads exactly this layout.
set -euo pipefail

out=${1:?usage: scripts/dist.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
host=$(rustc -vV | sed -n 's/^host: //p')
target=${GUARD_DIST_TARGET:-$host}
target_dir=${CARGO_TARGET_DIR:-$root/target}
case $target_dir in /*) ;; *) target_dir=$root/$target_dir ;; esac

exe=
archive_ext=tar.gz
case $target in
  *windows*) exe=.exe archive_ext=zip ;;
esac

cd "$root"
if [ "$target" = "$host" ] && [ -z "${GUARD_DIST_TARGET:-}" ]; then
  # No --target: the artifacts are shared with every other release build of this checkout.
  cargo build --release --locked --bin guard
  bin=$target_dir/release/guard$exe
else
  cargo build --release --locked --bin guard --target "$target"
  bin=$target_dir/$target/release/guard$exe
fi
[ -f "$bin" ] || { echo "dist: the build did not produce $bin" >&2; exit 1; }

name=guard-$target
archive=$name.$archive_ext
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$bin" "$stage/$name/guard$exe"
cp README.md CHANGELOG.md LICENSE "$stage/$name/"
if [ "$target" = "$host" ]; then
  # A binary that cannot start must never be packed.
  "$stage/$name/guard$exe" --version >/dev/null
fi

rm -f "$out/$archive" "$out/$archive.sha256"
case $archive_ext in
  zip)
    if command -v 7z >/dev/null 2>&1; then
      (cd "$stage" && 7z a -tzip -bd "$out/$archive" "$name" >/dev/null)
    else
      (cd "$stage" && zip -qr "$out/$archive" "$name")
    fi
    ;;
  *)
    # GNU tar (Linux) can make the archive reproducible; bsdtar (macOS) packs it as it is.
    if tar --version 2>/dev/null | grep -q 'GNU tar'; then
      mtime=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
      (cd "$stage" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
        -cf - "$name" | gzip -n -9 >"$out/$archive")
    else
      (cd "$stage" && tar -czf "$out/$archive" "$name")
    fi
    ;;
esac

# sha256sum format ("<hex>  <file name>"), checked by `sha256sum -c` in OUTDIR and by install.sh.
if command -v sha256sum >/dev/null 2>&1; then
  (cd "$out" && sha256sum "$archive" >"$archive.sha256")
else
  (cd "$out" && shasum -a 256 "$archive" >"$archive.sha256")
fi
echo "$out/$archive"
echo "$out/$archive.sha256"
