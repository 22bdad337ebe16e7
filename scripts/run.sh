#!/usr/bin/env bash
# Set up .venv (the first time, and again when pyproject.toml changes) and open the web UI over
# data/ at once: the reports the index does not hold yet are indexed in the background, with the
# progress on the page. Extra arguments go to app.py, e.g. --port 8000.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.report-qa-setup
if [ ! -x .venv/bin/python ] || [ ! -e "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    bash scripts/setup.sh
    touch "$stamp"
fi
exec .venv/bin/python app.py "$@"
