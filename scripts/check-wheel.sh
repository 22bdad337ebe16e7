#!/usr/bin/env bash
# The package as a user installs it: build the wheel, install it (with the Milvus extra, and torch
# pinned to the CPU build) into a fresh virtual environment outside the checkout, import every
# module of qa, then index the sample reports of data/ and ask a question with the installed `qa`,
# from a folder where the source tree cannot be imported. pip's cache (and PIP_FIND_LINKS) is reused.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/qa-wheel.XXXXXX")"
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# Build from a copy of what the wheel is made of, so that no stale build/ of the checkout slips in.
mkdir -p "$work/src"
cp "$root/pyproject.toml" "$root/README.md" "$work/src/"
cp -r "$root/qa" "$work/src/qa"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
"$root/.venv/bin/python" -m pip wheel -qq --no-deps --no-build-isolation --wheel-dir "$work/dist" "$work/src"
wheel="$(ls "$work"/dist/report_qa-*.whl)"

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -qq "torch==2.13.0" "${wheel}[milvus]"
echo "wheel check: $(basename "$wheel") built and installed in $((SECONDS - started)) s"

# Only the top-level sample reports: data/ may hold many more in folders, which take long to index.
mkdir -p "$work/run/data"
find "$root/data" -maxdepth 1 -type f -exec cp {} "$work/run/data/" \;
cd "$work/run"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
unset PYTHONPATH
"$work/venv/bin/python" - <<'PY'
import importlib
import pathlib
import pkgutil

import qa

where = pathlib.Path(qa.__file__).resolve()
assert "site-packages" in where.parts, f"qa imported from {where}, not from the installed wheel"
# every module and package but qa.cli.__main__, which runs the command when imported
names = [module.name for module in pkgutil.walk_packages(qa.__path__, "qa.") if not module.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
print(f"wheel check: imported qa and its {len(names)} modules and packages from {where.parent}")
PY
"$work/venv/bin/qa" --version
"$work/venv/bin/qa" index --data data --index index --json > index.json
"$work/venv/bin/qa" ask "湖北处理了多少个违规直播间？" --index index --json --fields sentences,citation > answer.json
"$work/venv/bin/python" - <<'PY'
import json

summary = json.load(open("index.json", encoding="utf-8"))
answer = json.load(open("answer.json", encoding="utf-8"))
assert answer["found"] and "5263" in answer["answer"], answer["answer"]
cited = {answer["passages"][sentence["marker"] - 1]["citation"]["file"] for sentence in answer["sentences"]}
print(f"wheel check: indexed {summary.get('chunks_total', '?')} passages; answered {answer['answer'][:40]}… from {cited}")
PY
echo "wheel check passed in $((SECONDS - started)) s"
