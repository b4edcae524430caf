#!/usr/bin/env bash
# Trainer epoch time of MlNetDeep against PyTorch, interleaved in the same rounds, on a quiet machine and with
# competing CPU-bound processes. Prints min/median/max seconds per epoch and each peer's ratio to PyTorch's best.
#
# Usage: build/bench/compare.sh [--rounds R (3)] [--epochs E (3)] [--rows N (48000)] [--load "0 1"] [--threads "1 2"] [--scoring-rounds S (5; 0 skips)]
#   --load: how many competing busy processes (one busy-looping core each) run during a condition.
#   --scoring-rounds: rounds of the scoring comparison (PredictionEngine and Transform of the lecture's model against
#   raw ONNX Runtime and ML.NET's SdcaMaximumEntropy, interleaved in one process; see MlNetDeep.Benchmarks scoring).
# Installs python3-torch (Debian's 1.13 with OpenBLAS) when missing. Timings are never a test's pass condition.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds=3 epochs=3 rows=48000 loads="0 1" threads="1 2" scoring_rounds=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --load) loads=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --scoring-rounds) scoring_rounds=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

python=/usr/bin/python3
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "installing python3-torch from Debian ..."
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -q python3-torch libopenblas0-pthread >/dev/null; else sudo apt-get install -y -q python3-torch libopenblas0-pthread >/dev/null; fi
fi
bash build/setup.sh >/dev/null
dotnet build -c Release build/bench/MlNetDeep.Benchmarks -v quiet -nologo >/dev/null
bench=(dotnet build/bench/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll)

# the machine's own load before we start: say so when it is not quiet
busy_fraction() { # share of both cores busy over one second, from /proc/stat
  read -r _ a b c d e f g _ < /proc/stat; t1=$((a+b+c+d+e+f+g)); i1=$((d+e))
  sleep 1
  read -r _ a b c d e f g _ < /proc/stat; t2=$((a+b+c+d+e+f+g)); i2=$((d+e))
  echo "scale=2; 1 - ($i2-$i1)/($t2-$t1)" | bc
}
before=$(busy_fraction)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, busy before start: ${before} of the machine ($(cut -d' ' -f1-3 /proc/loadavg) load average)"
if (( $(echo "$before > 0.10" | bc) )); then echo "WARNING: the machine is not quiet; other processes distort every figure below"; fi

results=$(mktemp)
trap 'rm -f "$results"; kill $(jobs -p) 2>/dev/null || true' EXIT
for load in $loads; do
  pids=()
  for ((i = 0; i < load; i++)); do "$python" -c "while True: pass" & pids+=($!); done
  for ((r = 1; r <= rounds; r++)); do
    for t in $threads; do
      "${bench[@]}" peer --threads "$t" --epochs "$epochs" --rows "$rows" | grep '^mlnetdeep' | sed "s/^/load=$load /" >> "$results"
      "$python" build/bench/peers/pytorch_peer.py --threads "$t" --epochs "$epochs" --rows "$rows" | sed "s/^/load=$load /" >> "$results"
    done
  done
  for p in "${pids[@]}"; do kill "$p"; done
  wait 2>/dev/null || true
done

# parallel folds or trials: two one-thread fits at once, each should keep its own core's speed
if [[ " $loads " == *" 0 "* ]]; then
  for ((r = 1; r <= rounds; r++)); do
    for k in 1 2; do
      "${bench[@]}" peer --threads 1 --epochs "$epochs" --rows "$rows" | grep '^mlnetdeep' | sed "s/^mlnetdeep threads=1/load=pair mlnetdeep threads=1x2/" >> "$results" &
    done
    wait
  done
fi

echo
echo "Fashion-MNIST $rows rows, 784 -> 512 -> 10, RMSprop, batch 128; $rounds rounds x $epochs epochs per peer, interleaved"
"$python" - "$results" <<'EOF'
import re, statistics, sys
rows, peaks = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r"load=(\w+) (\w+) threads=(\S+) epoch=(\d+) seconds=([\d.]+) loss=\S+ peak_mb=(\d+)", line)
    if m:
        load, peer, threads, _, seconds, peak = m.groups()
        rows.setdefault((load, peer, threads), []).append(float(seconds))
        peaks[(load, peer, threads)] = max(peaks.get((load, peer, threads), 0), int(peak))
print(f"{'busy processes':>14} {'peer':>10} {'threads':>7} {'min s':>7} {'median':>7} {'max':>7} {'median / PyTorch best median':>29} {'peak RSS MB':>11}")
quiet = min((statistics.median(v) for k, v in rows.items() if k[0] == "0" and k[1] == "pytorch"), default=None)
for load in sorted({k[0] for k in rows}, key=lambda l: (l == "pair", l)):
    best = min((statistics.median(v) for k, v in rows.items() if k[0] == load and k[1] == "pytorch"), default=quiet)
    for (l, peer, threads), v in sorted(rows.items()):
        if l == load:
            print(f"{load:>14} {peer:>10} {threads:>7} {min(v):>7.3f} {statistics.median(v):>7.3f} {max(v):>7.3f} {statistics.median(v) / best:>29.2f} {peaks[(l, peer, threads)]:>11}")
EOF
echo "'pair': two MlNetDeep fits with one thread each running at once (parallel folds or trials), against quiet PyTorch"
echo "busy after the runs: $(busy_fraction) of the machine"

# scoring the lecture's model: MlNetDeep against raw ONNX Runtime (batch 1 and 1,000) and SdcaMaximumEntropy
if (( scoring_rounds > 0 )); then
  echo
  "${bench[@]}" scoring --rounds "$scoring_rounds" --rows 20000 | sed -n '/^scoring:/,$p'
fi
