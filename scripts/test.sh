#!/usr/bin/env bash
# Install everything the tests need on a fresh machine (Debian's berkeley-abc and yosys, the package
# with its dev, torch and dask extras), then run the whole test suite.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v berkeley-abc >/dev/null || ! command -v yosys >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq berkeley-abc yosys >/dev/null
fi
# torch (the CPU build on local disk, through constraints.txt) so the torch Dataset wrapper is tested
# with the real library; dask (dask[dataframe,distributed]) so the scale-out tests run on a real
# LocalCluster; SERIALCOMP_REQUIRE_TOOLS makes a missing ABC or Yosys an error, not a skip.
bash scripts/install.sh dev,torch,dask
export SERIALCOMP_REQUIRE_TOOLS=1
# Two workers on the two cores; numba's on-disk cache is shared between them.
python3 -m pytest -n 2 --dist loadfile "$@"
