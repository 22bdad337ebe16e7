"""The package as it installs: every folder of qa is a package the wheel carries, and one version.

The wheel itself is built, installed into a fresh environment and used (index, ask) by
scripts/check-wheel.sh, a step of scripts/test.sh: it needs minutes and the package index, not a
unit test's second.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

import setuptools

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_folder_of_qa_is_a_package_the_wheel_carries() -> None:
    include = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    found = set(setuptools.find_packages(str(ROOT), include=include))
    folders = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in [ROOT / "qa", *(ROOT / "qa").rglob("*")]
        if folder.is_dir() and any(folder.glob("*.py"))
    }
    assert folders <= found, f"not in the wheel (no __init__.py?): {sorted(folders - found)}"
    assert {"qa.questions", "qa.answer", "qa.retrieval", "qa.store.milvus", "qa.web", "qa.cli"} <= found


def test_qa_version_is_the_one_of_pyproject() -> None:
    shown = subprocess.run([sys.executable, "-m", "qa.cli", "--version"], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == f"qa (report-qa) {PYPROJECT['project']['version']}"
