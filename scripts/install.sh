#!/usr/bin/env bash
# Install serialcomp (editable) with its runtime dependencies; torch, when asked for, comes from the
# CPU build on local disk through constraints.txt.  Usage: bash scripts/install.sh [EXTRAS]
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
spec="."
[ -n "$extras" ] && spec=".[${extras}]"
python3 -m pip install --disable-pip-version-check -q -c constraints.txt -e "$spec"
