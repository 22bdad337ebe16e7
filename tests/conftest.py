"""Shared fixtures: paths to the sample reports and to ../shared, skipped with a reason when absent."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
GUIZHOU = DATA / "guizhou-2022-online-civility.txt"
HUBEI = DATA / "hubei-2024-online-civility.txt"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpora live beside the checkout in ../shared")
    return path


@pytest.fixture(scope="session")
def gwr_reports() -> list[Path]:
    folder = shared_path("corpora", "gwr2025")
    reports = sorted(folder.glob("*.docx"))
    assert len(reports) == 31, f"expected the 31 provincial reports in {folder}"
    return reports


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_samples(folder: Path) -> Path:
    """A data folder holding the two sample reports."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(GUIZHOU, folder)
    shutil.copy(HUBEI, folder)
    return folder
