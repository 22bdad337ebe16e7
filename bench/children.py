"""Running a ``bench.child_*`` module in a fresh Python process and reading the JSON it prints last."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.corpus import ROOT


class ChildFailed(RuntimeError):
    pass


def run_child(module: str, *arguments: str, env: dict[str, str] | None = None) -> dict:
    """``python -m <module> <arguments>`` from the repository root, with ``env`` added to this
    process's environment; the JSON object on the last line of its output."""
    command = [sys.executable, "-m", module, *arguments]
    completed = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, check=False
    )
    if completed.returncode != 0:
        raise ChildFailed(f"{module} exited with {completed.returncode}:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
