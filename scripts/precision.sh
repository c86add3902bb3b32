#!/usr/bin/env bash
# Measures guard's findings on real code: per code and share, duplicates, "unknown" findings.
#
#   scripts/precision.sh [DIR...] [-- GUARD_ARGS...]
#
# Each DIR is scanned separately with `guard DIR --format json` (default: every repository under
# $CORPUS, else ../shared/corpus/tf relative to the repository root). Printed per DIR and in total:
#   - findings per code, with each code's share of all findings;
#   - duplicates: findings of one scan sharing code, file, line and message (each extra copy counts);
#   - low-severity findings about values guard could not evaluate ("known only after apply",
#     "cannot be confirmed", "unknown");
#   - evaluation warnings (the report's diagnostics), counted.
# Set GUARD to a built binary to skip `cargo build`; set FINDINGS=FILE to also write every finding
# as one TSV line (repo, code, severity, file, line, address, message) for reading by hand.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    *) dirs+=("$1"); shift ;;
  esac
done
extra=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  corpus="${CORPUS:-$root/../shared/corpus/tf}"
  [ -d "$corpus" ] || { echo "precision.sh: no DIR given and $corpus does not exist" >&2; exit 2; }
  for d in "$corpus"/*/; do dirs+=("${d%/}"); done
fi
guard="${GUARD:-}"
[ -z "$guard" ] || guard="$(cd "$(dirname "$guard")" && pwd)/$(basename "$guard")"
if [ -z "$guard" ]; then
  (cd "$root" && cargo build --quiet --bin guard)
  guard="$root/target/debug/guard"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
i=0
for d in "${dirs[@]}"; do
  i=$((i + 1))
  # Exit 1 (policy failure) is a normal result here; 2 is reported by the summary below.
  (cd "$(dirname "$d")" && "$guard" "$(basename "$d")" --format json ${extra[@]+"${extra[@]}"} \
    >"$tmp/$i.json" 2>"$tmp/$i.err") || true
  printf '%s\n' "$(basename "$d")" >"$tmp/$i.name"
done
python3 - "$tmp" "$i" "${FINDINGS:-}" <<'PY'
import json, sys, collections, os
tmp, count, tsv = sys.argv[1], int(sys.argv[2]), sys.argv[3]
UNKNOWN_WORDS = ("after apply", "cannot be confirmed", "unknown", "not checked")
total = collections.Counter()
total_dups = total_unknown = total_warn = 0
rows = []
def pct(n, d):
    return f"{100.0 * n / d:5.1f}%" if d else "    -"
for i in range(1, count + 1):
    name = open(os.path.join(tmp, f"{i}.name")).read().strip()
    try:
        doc = json.load(open(os.path.join(tmp, f"{i}.json")))
    except Exception:
        err = open(os.path.join(tmp, f"{i}.err")).read().strip()
        print(f"== {name}: guard gave no JSON: {err[:300]}")
        continue
    findings = [f for f in doc.get("findings", []) if not f.get("suppressed")]
    per_code = collections.Counter(f["code"] for f in findings)
    keys = collections.Counter((f["code"], f.get("file"), f.get("line"), f["message"]) for f in findings)
    dups = sum(n - 1 for n in keys.values() if n > 1)
    unknown = [f for f in findings if f["severity"] == "low"
               and any(w in f["message"] for w in UNKNOWN_WORDS)]
    warns = doc.get("diagnostics", doc.get("warnings", []))
    total.update(per_code)
    total_dups += dups
    total_unknown += len(unknown)
    total_warn += len(warns)
    n = len(findings)
    print(f"== {name}: {n} findings, {dups} duplicates, {len(unknown)} unknown-value (low), "
          f"{len(warns)} evaluation warnings, exit {doc['summary']['exit_code']}")
    for code, c in sorted(per_code.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"   {code:7} {c:5} {pct(c, n)}")
    for (code, file, line, msg), c in keys.items():
        if c > 1:
            print(f"   duplicate x{c}: {code} {file}:{line} {msg}")
    for f in findings:
        rows.append((name, f["code"], f["severity"], f.get("file") or "", str(f.get("line") or ""),
                     f.get("address") or "", f["message"].replace("\t", " ").replace("\n", " ")))
n = sum(total.values())
print(f"== TOTAL: {n} findings, {total_dups} duplicates, {total_unknown} unknown-value (low), "
      f"{total_warn} evaluation warnings")
for code, c in sorted(total.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"   {code:7} {c:5} {pct(c, n)}")
if tsv:
    with open(tsv, "w") as out:
        for r in rows:
            out.write("\t".join(r) + "\n")
PY
