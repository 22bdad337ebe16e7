"""Where things are: the default data and index folders, and the shared corpora beside a checkout."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA = Path("data")
DEFAULT_INDEX = Path("index")
SHARED_ENV = "QA_SHARED"
# Notes about a folder of reports (where they come from, how to use them), never indexed as reports.
FOLDER_NOTES = frozenset({"readme.md", "sources.md"})


def is_folder_note(name: str) -> bool:
    return name.lower() in FOLDER_NOTES


def find_shared(start: Path | str | None = None) -> Path | None:
    """The shared corpora and benchmarks (``shared/`` with ``corpora/`` or ``bench/`` in it): the
    folder named by ``$QA_SHARED``, else the first ``shared`` folder found in ``start`` (default:
    the working directory) or one of its parents, so that ``../shared`` beside a checkout is found
    from inside it. None when there is none."""
    named = os.environ.get(SHARED_ENV)
    if named:
        return Path(named)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "shared"
        if (candidate / "corpora").is_dir() or (candidate / "bench").is_dir():
            return candidate
    return None
