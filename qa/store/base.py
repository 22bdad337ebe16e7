"""The store seam: what retrieval needs from an index, and what an update hands to one.

Two implementations: the local folder (:mod:`qa.store.local`, the default) and Milvus
(:mod:`qa.store.milvus`, for corpora beyond one machine). Retrieval, fusion, answers and the UI
only see :class:`Store`; indexing only sees :class:`Writer`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from qa.progress import Progress
from qa.store.folder import StoredChunk
from qa.store.manifest import DocumentEntry, EncoderInfo, FailedFile, IndexConfig, Manifest


class Store(Protocol):
    """An opened index: an immutable snapshot that retrieval reads from several threads at once."""

    manifest: Manifest

    @property
    def location(self) -> str: ...

    @property
    def version(self) -> str: ...

    def stale(self) -> bool:
        """Whether the index has changed since this snapshot was opened."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[StoredChunk]: ...

    def chunk(self, chunk_id: int) -> StoredChunk: ...

    def ids_of(self, files: Iterable[str]) -> np.ndarray:
        """Chunk ids of these documents (a filter is resolved to documents, then to their chunks)."""

    def has_vectors(self) -> bool: ...

    def dense_search(
        self, vectors: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """The ``k`` nearest chunks of each query vector, (id, cosine) best first."""

    def dense_scores(self, vectors: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Cosine of each of ``ids`` with each query vector, shape (len(vectors), len(ids))."""

    def vectors(self, ids: np.ndarray) -> np.ndarray: ...

    def lexical_search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``k`` best chunks by BM25 with a positive score, (id, score) best first."""

    def lexical_scores(self, query: str, ids: np.ndarray) -> np.ndarray:
        """BM25 score of each of ``ids`` (0 for a chunk sharing no term with the query)."""

    def knows(self, text: str) -> bool:
        """Whether every token of ``text`` occurs in the indexed chunks."""

    def document_text(self, file: str) -> DocumentText | None:
        """The cleaned text of an indexed document (None for one indexed before texts were kept)."""


@dataclass(frozen=True)
class DocumentText:
    """A document's cleaned text, which every citation's offsets point into, and where its pages
    begin (offset, page) for formats with pages."""

    text: str
    pages: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "pages": [list(pair) for pair in self.pages]}

    @classmethod
    def from_json(cls, record: Mapping[str, object]) -> DocumentText:
        pages = tuple((int(offset), int(page)) for offset, page in record.get("pages", ()))  # type: ignore[union-attr]
        return cls(str(record["text"]), pages)

    def page_at(self, offset: int) -> int | None:
        page = None
        for start, number in self.pages:
            if start > offset:
                break
            page = number
        return page


@dataclass(frozen=True)
class Change:
    """What an update does: documents added or replaced (their entries, new chunks and vectors)
    and documents removed. ``rebuild`` starts the index from nothing."""

    config: IndexConfig
    dimension: int
    documents: Mapping[str, DocumentEntry]
    removed: tuple[str, ...]
    chunks: tuple[StoredChunk, ...]
    vectors: np.ndarray
    next_id: int
    rebuild: bool = False
    texts: Mapping[str, DocumentText] = field(default_factory=dict)  # by text_sha256 of the entries
    failed_files: Mapping[str, FailedFile] = field(default_factory=dict)  # the folder's files not indexed

    def manifest(self, documents: Mapping[str, DocumentEntry], **counts: object) -> Manifest:
        """The manifest after this change, given every document the index then holds."""
        return Manifest(
            encoder=EncoderInfo(self.config.model, self.dimension, "l2", self.config.simplify),
            chunking=self.config.chunking,
            lexical=self.config.lexical,
            documents=dict(sorted(documents.items())),
            next_id=self.next_id,
            updated=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            failed_files=dict(sorted(self.failed_files.items())),
            **counts,  # type: ignore[arg-type]
        )


class Writer(Protocol):
    """What an update needs from the index it brings up to date."""

    @property
    def location(self) -> str: ...

    def locked(self, timeout: float = 0) -> AbstractContextManager[Writer]:
        """Hold the index's write lock (raises :class:`~qa.errors.IndexBusy` past ``timeout``)."""

    def current(self) -> Manifest | None:
        """The index as it is, None when there is none yet."""

    def chunks_of(self, files: Iterable[str]) -> list[StoredChunk]: ...

    def vectors(self, ids: np.ndarray) -> np.ndarray: ...

    def apply(self, change: Change, progress: Progress) -> Manifest:
        """Make the change; an interruption leaves every document wholly old or wholly new."""
