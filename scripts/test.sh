#!/usr/bin/env bash
# Set up (scripts/setup.sh test), make sure Chromium is there for the browser test, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing Debian chromium and chromium-driver for the browser test"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            chromium chromium-driver fonts-noto-cjk >/dev/null
    else
        echo "chromium is missing and cannot be installed here: the browser test will be skipped"
    fi
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/python -m ruff check qa tests app.py eval bench
.venv/bin/python -m pytest "$@"
