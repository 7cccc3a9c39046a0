#!/usr/bin/env bash
# The GPU check of the torch backend (issue 11), in one run of at most 8 minutes on a lent GPU:
#   1. the torch tests on CUDA (every zoo and EPFL < 30k circuit in both modes, random circuits of
#      every gate kind, looped circuits with halting; held against Numba and the naive evaluator);
#   2. `crosscheck --zoo` on CUDA (Numba vs. both torch modes, with throughput);
#   3. benchmarks/bench_torch.py on CUDA (plain, CUDA graph, dense; Numba on 2 threads beside it).
# Usage: OUT=DIR bash benchmarks/gpu_check.sh     (results in DIR; the device tool sets OUT)
#        DEVICE=cpu bash benchmarks/gpu_check.sh  (a dry run of the same steps on the CPU, quick sizes)
# Runs from the source tree without installing (the GPU image has numpy, numba, torch, pytest...).
# The EPFL circuits do not travel with the checkout: copy them into .epfl/ (git-ignored through
# .git/info/exclude) and carry that folder; the script points SERIALCOMP_EPFL at it.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/gpu_check}
mkdir -p "$OUT"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 SERIALCOMP_NO_CACHE=0
PY=${PYTHON:-python3}
DEVICE=${DEVICE:-cuda}
QUICK=""; RANDOM_PATTERNS=65536
[ "$DEVICE" = cpu ] && QUICK="--quick --patterns 65536" && RANDOM_PATTERNS=2048
[ -f .epfl/ctrl.aig ] && export SERIALCOMP_EPFL="$PWD/.epfl"
status=0
{ [ "$DEVICE" = cpu ] || nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  $PY -c "import sys, torch, numba, numpy; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'numba', numba.__version__, 'numpy', numpy.__version__); sys.exit(0 if sys.argv[1] == 'cpu' or torch.cuda.is_available() else 'no CUDA GPU visible')" "$DEVICE"; } 2>&1 | tee "$OUT/env.txt" || exit 1
echo "== tests ($DEVICE)"
timeout 240 $PY -m pytest -q -x -p no:cacheprovider -o addopts="" tests/torch --device "$DEVICE" 2>&1 | tail -15 | tee "$OUT/tests.txt" || status=1
echo "== crosscheck --zoo ($DEVICE)"
timeout 60 $PY -m serialcomp crosscheck --zoo circuits --device "$DEVICE" --random "$RANDOM_PATTERNS" --json > "$OUT/crosscheck.json" 2> "$OUT/crosscheck.err" || status=1
$PY - "$OUT/crosscheck.json" <<'PY' | tee "$OUT/crosscheck.txt" || status=1
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{len(r['circuits'])} zoo circuits on {r['device']}: identical = {r['identical']}")
PY
echo "== bench_torch ($DEVICE)"
timeout 150 $PY benchmarks/bench_torch.py --device "$DEVICE" $QUICK --out "$OUT/bench_torch_$DEVICE.md" 2>&1 | tail -12 || status=1
exit $status
