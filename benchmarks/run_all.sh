#!/usr/bin/env bash
# Run every benchmark and assemble docs/BENCHMARKS.md (machine, date, then each script's tables).
# Usage: bash benchmarks/run_all.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
tmp=$(mktemp -d)
# assembled beside its target and renamed when whole: a failing benchmark leaves the old file as it was
doc=$(mktemp docs/.BENCHMARKS.md.XXXXXX)
trap 'rm -rf "$tmp" "$doc"' EXIT
python benchmarks/bench_sim.py ${quick} --out "$tmp/sim.md" > /dev/null
python benchmarks/bench_io_depth.py --out "$tmp/io.md" > /dev/null
python benchmarks/bench_problems_part1.py ${quick} > "$tmp/p1.md"
python benchmarks/bench_problems_part2.py ${quick} --out "$tmp/p2.md" > /dev/null
python benchmarks/bench_study.py --out "$tmp/study.md" > /dev/null
python benchmarks/bench_simulate_cli.py --out "$tmp/simcli.md" > /dev/null
python benchmarks/bench_torch.py ${quick} --out "$tmp/torch.md" > /dev/null
python benchmarks/bench_scale.py --grid "$([ -n "$quick" ] && echo default || echo large)" --inproc --out "$tmp/scale.md" > /dev/null
{
  echo "# Benchmarks"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores of $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB,"
  echo "Python $(python -c 'import platform; print(platform.python_version())'), numba $(python -c 'import numba; print(numba.__version__)'),"
  echo "$(berkeley-abc -c 'version' 2>/dev/null | grep -o 'UC Berkeley, ABC [0-9.]*' | head -1 | sed 's/UC Berkeley, //')."
  echo "The machine is shared and noisy: compare the ratios, measured side by side in the same run,"
  echo "not the absolute times. Regenerate with \`bash benchmarks/run_all.sh\`."
  echo
  echo "## Simulator (issue 2)"; echo; cat "$tmp/sim.md"; echo
  echo "## The simulate command end to end, beside ABC (issue 9)"; echo; cat "$tmp/simcli.md"; echo
  echo "## Reading and depth (issue 2)"; echo; cat "$tmp/io.md"; echo
  echo "## Problem generators, part 1 (issue 3)"; echo; cat "$tmp/p1.md"; echo
  echo "## Problem generators, part 2 (issue 3)"; echo; cat "$tmp/p2.md"; echo
  echo "## The study (issues 4 and 10)"; echo; cat "$tmp/study.md"; echo
  echo "## The torch backend (issue 11)"; echo; cat "$tmp/torch.md"
  echo; echo "## Scale-out on Dask (issue 15)"; echo; cat "$tmp/scale.md"
  echo; echo "## Test-time compute (issue 14)"; echo; python benchmarks/bench_chains.py ${quick}
} > "$doc"
chmod 644 "$doc"
mv "$doc" docs/BENCHMARKS.md
echo "wrote docs/BENCHMARKS.md"
