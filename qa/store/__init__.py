"""Where the index lives: a local folder (default) or Milvus, behind one seam (:mod:`qa.store.base`).

``open_store(location)`` opens an index for reading and ``open_writer(location)`` for an update.
A location is a folder path, a Milvus Lite database (a path ending in ``.db``) or a Milvus server
(``http://`` / ``https://`` URI).
"""

from __future__ import annotations

from pathlib import Path

from qa.store.base import Change, Progress, Store, Writer, no_progress
from qa.store.folder import StoredChunk
from qa.store.local import LocalStore, LocalWriter
from qa.store.manifest import FORMAT_VERSION, DocumentEntry, IndexConfig, Manifest, check_compatible

__all__ = [
    "FORMAT_VERSION",
    "Change",
    "DocumentEntry",
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
    "open_store",
    "open_writer",
]


def is_milvus(location: Path | str) -> bool:
    text = str(location)
    return text.startswith(("http://", "https://")) or text.endswith(".db")


def index_exists(location: Path | str) -> bool:
    return open_writer(location).current() is not None


def open_store(location: Path | str) -> Store:
    return LocalStore.open(location)


def open_writer(location: Path | str) -> Writer:
    return LocalWriter(location)
