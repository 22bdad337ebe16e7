#!/usr/bin/env bash
# Create .venv and install report-qa into it. torch is pinned to the CPU build 2.13.0 first, so
# that nothing pulls the multi-gigabyte CUDA build. Usage: scripts/setup.sh [extra], e.g. "test".
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
if [ -n "$extra" ]; then
    .venv/bin/python -m pip install --quiet -e ".[$extra]" "torch==2.13.0"
else
    .venv/bin/python -m pip install --quiet -e . "torch==2.13.0"
fi
