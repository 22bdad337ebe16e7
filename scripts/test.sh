#!/usr/bin/env bash
# Set up (scripts/setup.sh test), make sure Chromium is there for the browser test, run ruff, check
# that the wheel installs and answers (scripts/check-wheel.sh), run the tests.
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
# The OCR tests draw their scans with a real CJK font (Debian's fonts-noto-cjk), browser or not.
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && [ ! -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing Debian fonts-noto-cjk for the OCR tests"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
    else
        echo "fonts-noto-cjk is missing and cannot be installed here: the OCR tests will be skipped"
    fi
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/python -m ruff check qa tests app.py eval bench
# The wheel as a user installs it, in a fresh environment outside the checkout (a few minutes).
bash scripts/check-wheel.sh
.venv/bin/python -m pytest "$@"
