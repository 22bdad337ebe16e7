"""Where the index lives: a local folder (default) or Milvus, behind one seam (:mod:`qa.store.base`).

``open_store(location)`` opens an index for reading and ``open_writer(location)`` for an update.
A location is a folder path, a Milvus Lite database (a path ending in ``.db``) or a Milvus server
(``http://`` / ``https://`` URI).
"""

from __future__ import annotations

from pathlib import Path

from qa.progress import Progress, no_progress
from qa.store.base import Change, DocumentText, Store, Writer
from qa.store.folder import StoredChunk
from qa.store.local import LocalStore, LocalWriter
from qa.store.manifest import FORMAT_VERSION, DocumentEntry, FailedFile, IndexConfig, Manifest, check_compatible

__all__ = [
    "FORMAT_VERSION",
    "Change",
    "DocumentEntry",
    "DocumentText",
    "FailedFile",
    "IndexConfig",
    "Manifest",
    "Progress",
    "Store",
    "StoredChunk",
    "Writer",
    "check_compatible",
    "index_exists",
    "is_milvus",
    "no_progress",
    "ocr_cache_dir",
    "open_store",
    "open_writer",
]


def is_milvus(location: Path | str) -> bool:
    text = str(location)
    return text.startswith(("http://", "https://")) or text.endswith(".db")


def index_exists(location: Path | str) -> bool:
    if is_milvus(location):
        return _milvus().index_exists(location)
    return open_writer(location).current() is not None


def open_store(location: Path | str) -> Store:
    if is_milvus(location):
        return _milvus().MilvusStore.open(location)
    return LocalStore.open(location)


def open_writer(location: Path | str) -> Writer:
    if is_milvus(location):
        return _milvus().MilvusWriter(location)
    return LocalWriter(location)


def ocr_cache_dir(location: Path | str) -> Path | None:
    """Where OCR results are kept for an index: inside a local folder, beside a ``.db`` (``kb.db.ocr-cache``),
    in the user's cache for a server (pages are cached by their pixels, so one cache serves every index)."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        return Path.home() / ".cache" / "report-qa" / "ocr"
    return Path(f"{text}.ocr-cache") if text.endswith(".db") else Path(location) / "ocr-cache"


def _milvus():
    """qa.store.milvus, imported only for a Milvus location (it needs the optional extra)."""
    from qa.store import milvus

    return milvus
