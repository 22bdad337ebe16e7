#!/usr/bin/env bash
# Set up and open the web UI over data/ (the index is built on first run). Extra arguments go
# to app.py, e.g. --port 8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python app.py "$@"
