#!/usr/bin/env bash
# Every place that names guard's version or its release assets agrees (run by .ci/run and by the
# release workflow before it builds anything):
#
#   .ci/release-check.sh [TAG]     with TAG (v1.2.3), also that the tag is that version
#
# - Cargo.toml (guard-iac and its guard-policies dependency), policies/Cargo.toml,
#   scripts/install.sh's GUARD_RELEASE_VERSION, the root pyproject.toml (the pre-commit package and
#   its pinned guard-iac dependency), a CHANGELOG.md section, and the `rev:`/`@v` examples in
#   README.md and docs/ that users copy;
# - the cargo-binstall URL and archive layout, rendered for each target the release workflow
#   builds, are the asset names scripts/dist.sh writes and scripts/install.sh downloads;
# - every target install.sh can detect is one the release workflow builds.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - "${1:-}" <<'PYEOF'
import re, sys, tomllib, pathlib

tag = sys.argv[1]
errors = []
def check(ok, msg):
    if not ok:
        errors.append(msg)

cargo = tomllib.loads(pathlib.Path("Cargo.toml").read_text())
version = cargo["package"]["version"]
check(cargo["package"]["name"] == "guard-iac", "Cargo.toml: the package is published as guard-iac")
check(cargo["dependencies"]["guard-policies"]["version"] == version,
      f"Cargo.toml: guard-policies dependency version is not {version}")
policies = tomllib.loads(pathlib.Path("policies/Cargo.toml").read_text())
check(policies["package"]["version"] == version, f"policies/Cargo.toml: version is not {version}")

install = pathlib.Path("scripts/install.sh").read_text()
m = re.search(r'^GUARD_RELEASE_VERSION="([^"]*)"$', install, re.M)
check(m and m.group(1) == version, f"scripts/install.sh: GUARD_RELEASE_VERSION is not {version}")

pre = tomllib.loads(pathlib.Path("pyproject.toml").read_text())
check(pre["project"]["version"] == version, f"pyproject.toml: version is not {version}")
check(pre["project"]["dependencies"] == [f"guard-iac=={version}"],
      f"pyproject.toml: the hook must depend on exactly guard-iac=={version}")
wheel = tomllib.loads(pathlib.Path("python/pyproject.toml").read_text())
check(wheel["project"]["name"] == "guard-iac", "python/pyproject.toml: the wheel is guard-iac")
check(wheel["project"].get("dynamic") == ["version"], "python/pyproject.toml: the version comes from Cargo.toml")
check(wheel["tool"]["maturin"]["bindings"] == "bin", "python/pyproject.toml: bindings = \"bin\"")

changelog = pathlib.Path("CHANGELOG.md").read_text()
check(re.search(rf"^## {re.escape(version)}$", changelog, re.M), f"CHANGELOG.md: no '## {version}' section")
if tag:
    check(tag == f"v{version}", f"the tag {tag} is not v{version}")

# What users copy: pre-commit revs, action refs, install script URLs, Docker tags.
major = version.split(".")[0]
for path in ["README.md", "docs/pre-commit.md", "docs/github.md", "docs/examples/guard.yml", "CHANGELOG.md"]:
    p = pathlib.Path(path)
    if not p.exists():
        continue
    for n, line in enumerate(p.read_text().splitlines(), 1):
        for m in re.finditer(r"rev: v([0-9][0-9.]*)", line):
            check(m.group(1) == version, f"{path}:{n}: rev v{m.group(1)} is not v{version}")
        for m in re.finditer(r"guard-iac/guard@v([0-9][0-9.]*)", line):
            check(m.group(1) in (version, major), f"{path}:{n}: action ref v{m.group(1)} is not v{version} or v{major}")
        for m in re.finditer(r"releases/download/v([0-9][0-9.]*)/", line):
            check(m.group(1) == version, f"{path}:{n}: download URL for v{m.group(1)}, not v{version}")
        for m in re.finditer(r"guard-iac==([0-9][0-9.]*)", line):
            check(m.group(1) == version, f"{path}:{n}: guard-iac=={m.group(1)} is not {version}")

# Release assets: the workflow's targets, binstall's URL, dist.sh's and install.sh's names.
workflow = pathlib.Path(".github/workflows/release.yml").read_text()
targets = re.findall(r"^\s*- target: (\S+)$", workflow, re.M)
check(set(targets) == {"x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl", "x86_64-apple-darwin",
                       "aarch64-apple-darwin", "x86_64-pc-windows-msvc"},
      f"release.yml builds {targets}")
check("scripts/dist.sh dist" in workflow, "release.yml must build the archives with scripts/dist.sh")
binstall = cargo["package"]["metadata"]["binstall"]
repo = cargo["workspace"]["package"]["repository"] if "workspace" in cargo else None
for target in targets:
    windows = "windows" in target
    suffix = ".zip" if windows else ".tar.gz"
    fmt = binstall.get("overrides", {}).get(target, {}).get("pkg-fmt", binstall["pkg-fmt"])
    check(fmt == ("zip" if windows else "tgz"), f"binstall pkg-fmt for {target} is {fmt}")
    url = (binstall["pkg-url"].replace("{ repo }", repo).replace("{ version }", version)
           .replace("{ target }", target).replace("{ archive-suffix }", suffix))
    want = f"https://github.com/guard-iac/guard/releases/download/v{version}/guard-{target}{suffix}"
    check(url == want, f"binstall pkg-url for {target} is {url}, the release asset is {want}")
    bindir = (binstall["bin-dir"].replace("{ target }", target).replace("{ bin }", "guard")
              .replace("{ binary-ext }", ".exe" if windows else ""))
    check(bindir == f"guard-{target}/guard{'.exe' if windows else ''}", f"binstall bin-dir for {target} is {bindir}")
dist = pathlib.Path("scripts/dist.sh").read_text()
check("name=guard-$target" in dist and 'cp "$bin" "$stage/$name/guard$exe"' in dist,
      "scripts/dist.sh no longer packs guard-<target>/guard")
check("name=guard-$target" in install and "bin=$tmp/x/$name/guard$exe" in install
      and 'url=$base/v$version/$archive' in install,
      "scripts/install.sh no longer reads v<version>/guard-<target>.<ext> with guard-<target>/guard inside")
check('base=${GUARD_DOWNLOAD_BASE:-https://github.com/guard-iac/guard/releases/download}' in install,
      "scripts/install.sh: the default download base is not this repository's releases")
detectable = {f"{a}-{s}" for a in ("x86_64", "aarch64") for s in ("unknown-linux-musl", "apple-darwin")}
detectable.add("x86_64-pc-windows-msvc")
check(detectable <= set(targets), f"install.sh can detect targets the workflow does not build: {detectable - set(targets)}")

if errors:
    for e in errors:
        print(f"release-check: {e}", file=sys.stderr)
    sys.exit(1)
print(f"release-check: version {version} and the release assets agree")
PYEOF
