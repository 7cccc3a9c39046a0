#!/usr/bin/env bash
# The GPU run of the learned looped models (issue 13), in one run of at most 8 minutes on a lent GPU
# (the timeouts below add up to 450 s; expected: about 6 minutes):
#   1. train the gpu-s5 config (word:S5 with prefix products at n = 16, width 512, 2 layers, up to 32
#      loops per batch) for at most TRAIN_SECONDS;
#   2. the loops study at n = 4 .. 64: accuracy against loops 1..MAX_LOOPS, fixed-point and confidence
#      halting, L*(n) and its growth fit beside the circuit families' depth (the tree's
#      2*ceil(log2 n) + 1 among them) -> results/loops.parquet, loops.png, study.md;
#   3. goal.md: the goal, >= 0.95 at n = 64 with fixed-point halting (FPRM reports 0.99 / 0.95 / 0.89
#      over 3 seeds training at 32 and testing at 128, 2 layers of width 512).
# Usage: OUT=DIR bash benchmarks/gpu_loops.sh     (results in DIR; the device tool sets OUT)
# Every setting can be overridden from the environment; the tests run it on the CPU with
#   CONFIG=tiny DEVICE=cpu STEPS=5 TRAIN_SECONDS=60 NS="2 4" MAX_LOOPS=2 COUNT=16
# Runs from the source tree without installing (the GPU image has numpy, numba, torch, pandas...).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/gpu_loops}
CONFIG=${CONFIG:-gpu-s5}
DEVICE=${DEVICE:-cuda}
TRAIN_SECONDS=${TRAIN_SECONDS:-240}   # the training budget; steps beyond it are skipped (metadata says how many ran)
STEPS=${STEPS:-}                      # empty: the config's
NS=${NS:-4 8 16 32 64}
MAX_LOOPS=${MAX_LOOPS:-96}
COUNT=${COUNT:-1024}
mkdir -p "$OUT"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}
SC="$PY -m serialcomp"
status=0
{
  if [ "$DEVICE" != cpu ]; then nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv; fi
  $PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'gpu', torch.cuda.is_available())"
  echo "config=$CONFIG device=$DEVICE train_seconds=$TRAIN_SECONDS steps=${STEPS:-config} ns=$NS max_loops=$MAX_LOOPS count=$COUNT"
} 2>&1 | tee "$OUT/env.txt" || exit 1

echo "== train ($CONFIG, at most $TRAIN_SECONDS s)"
timeout $((TRAIN_SECONDS + 60)) $SC loops train --config "$CONFIG" ${STEPS:+--steps "$STEPS"} --device "$DEVICE" \
  --time-limit "$TRAIN_SECONDS" --quiet --out "$OUT/model.pt" 2>&1 | tee "$OUT/train.txt" || exit 1
$SC loops info "$OUT/model.pt" --json > "$OUT/info.json" || status=1

echo "== study (accuracy against loops, halting, L*(n) beside the circuit families' depth)"
timeout 150 $SC loops study --model "$OUT/model.pt" --ns $NS --max-loops "$MAX_LOOPS" --count "$COUNT" \
  --device "$DEVICE" --out "$OUT/results" | tee "$OUT/study.md" || status=1

echo "== the goal: fixed-point halting at the largest n"
$PY - "$OUT/results/loops.parquet" "$OUT/info.json" <<'PY' | tee "$OUT/goal.md" || status=1
import json, sys
import pandas as pd
t = pd.read_parquet(sys.argv[1])
info = json.load(open(sys.argv[2]))
m = t[t["kind"] == "model"]
fp = m[m["halt"] == "fixed-point"].sort_values("n")
fixed = m[m["halt"] == "fixed"]
lt = info["loops_train"]
print(f"{info['problem']} {json.dumps(info['params'])} trained at n = {info['n_train']} "
      f"({info['metadata']['steps_done']} of {info['metadata']['steps']} steps in {info['metadata']['train_seconds']} s "
      f"on {info['metadata']['device']})\n")
print(f"| n | fixed L = 1 | fixed L = {lt} | fixed-point accuracy | loops mean | loops max | halted | L*(n) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in fp.itertuples():
    acc = lambda L: fixed[(fixed["n"] == r.n) & (fixed["loops"] == L)]["accuracy"]
    one, tr = acc(1), acc(lt)
    print(f"| {r.n} | {one.iloc[0] if len(one) else float('nan'):.4f} | {tr.iloc[0] if len(tr) else float('nan'):.4f} | "
          f"{r.accuracy:.4f} | {r.loops_mean:.2f} | {int(r.loops_max)} | {r.halted:.3f} | {r.l_star:g} |")
big = fp.iloc[-1]
print(f"\ngoal (>= 0.95 at n = {big['n']} with fixed-point halting): {'met' if big['accuracy'] >= 0.95 else 'not met'} "
      f"({big['accuracy']:.4f})")
PY
exit $status
