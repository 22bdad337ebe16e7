"""The local store: an index folder of generations (FAISS + bm25s + JSONL), opened as a snapshot.

:class:`LocalStore` is an immutable view of one generation; a newer generation is opened as a new
snapshot and swapped in by the retriever. :class:`LocalWriter` applies an update's
:class:`~qa.store.Change` by writing a complete new generation and publishing it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from qa.errors import IndexProblem
from qa.store.base import Change, DocumentText, Progress, SentenceVectors
from qa.store.dense import DenseIndex
from qa.store.folder import (
    DENSE,
    LEXICAL,
    SENTENCE_SPANS,
    SENTENCE_VECTORS,
    IndexFolder,
    StoredChunk,
    read_chunks,
    sync_tree,
    write_chunks,
    write_manifest,
)
from qa.store.lexical import LexicalIndex
from qa.store.manifest import Manifest, read_manifest

log = logging.getLogger(__name__)


class LocalStore:
    """One generation of a local index folder, read into memory. Thread-safe for reading."""

    def __init__(self, folder: IndexFolder, generation: Path, manifest: Manifest) -> None:
        self.folder, self.generation, self.manifest = folder, generation, manifest
        self._chunks = {chunk.id: chunk for chunk in read_chunks(generation)}
        self._dense = DenseIndex.load(generation / DENSE, manifest.dense_type)
        self._lexical = LexicalIndex.load(generation / LEXICAL, manifest.lexical)
        self._ids_of_file = {
            name: np.array(sorted(entry.chunk_ids), dtype=np.int64) for name, entry in manifest.documents.items()
        }
        self._texts: dict[str, DocumentText] = {}  # the last few documents opened in the source view
        self._texts_lock = threading.Lock()
        dimension = manifest.encoder.dimension
        self._sentences = read_sentences(generation, dimension) if manifest.sentences else None

    @classmethod
    def open(cls, location: Path | str, attempts: int = 3) -> LocalStore:
        """The current generation. An update may publish (and later remove an old generation) while
        this reads, so a generation that vanishes under us is retried with the new one."""
        folder = IndexFolder(location)
        for attempt in range(attempts):
            generation = folder.current()
            if generation is None:
                raise IndexProblem(f"no index in {folder.path}: build it with 'qa index --index {folder.path}'")
            try:
                store = cls(folder, generation, read_manifest(generation))
                log.info("opened %s: %d chunks", generation, len(store))
                return store
            except (FileNotFoundError, RuntimeError):
                if attempt == attempts - 1:
                    raise
                log.info("index generation changed while opening it; opening the new one")
        raise AssertionError("unreachable")

    @property
    def location(self) -> str:
        return str(self.folder.path)

    @property
    def version(self) -> str:
        return self.generation.name

    def stale(self) -> bool:
        current = self.folder.current()
        return current is not None and current != self.generation

    def __len__(self) -> int:
        return len(self._chunks)

    def __iter__(self) -> Iterator[StoredChunk]:
        return iter(sorted(self._chunks.values(), key=lambda chunk: chunk.id))

    def chunk(self, chunk_id: int) -> StoredChunk:
        return self._chunks[chunk_id]

    def ids_of(self, files: Iterable[str]) -> np.ndarray:
        arrays = [self._ids_of_file[name] for name in files if name in self._ids_of_file]
        return np.unique(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=np.int64)

    def dense_search(
        self, vectors: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        if not len(self._dense):
            return [[] for _ in vectors]
        scores, ids = self._dense.search(vectors, k, allowed)
        return [
            [(int(i), float(s)) for s, i in zip(row_scores, row_ids, strict=True) if i >= 0]
            for row_scores, row_ids in zip(scores, ids, strict=True)
        ]

    def dense_scores(self, vectors: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Cosine of each candidate with each query vector: shape (len(vectors), len(ids))."""
        return np.asarray(vectors, dtype=np.float32) @ self._dense.vectors(ids).T

    def has_vectors(self) -> bool:
        return len(self._dense) > 0

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return self._dense.vectors(ids)

    def has_sentence_vectors(self) -> bool:
        return self._sentences is not None and len(self._sentences) > 0

    def sentence_vectors(self, ids: np.ndarray) -> SentenceVectors:
        if self._sentences is None:
            return SentenceVectors.empty(self.manifest.encoder.dimension)
        return sentences_of(self._sentences, ids)

    def sentence_search(
        self, vectors: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        if not self.has_sentence_vectors():
            return [[] for _ in vectors]
        return nearest_chunks(self._sentences, vectors, k, allowed)  # type: ignore[arg-type]

    def lexical_search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        return self._lexical.search(query, k, allowed)

    def lexical_scores(self, query: str, ids: np.ndarray) -> np.ndarray:
        return self._lexical.scores(query, ids)

    def knows(self, text: str) -> bool:
        return self._lexical.knows(text)

    def document_text(self, file: str) -> DocumentText | None:
        entry = self.manifest.documents.get(file)
        if entry is None or entry.text_sha256 is None:
            return None
        with self._texts_lock:
            cached = self._texts.get(entry.text_sha256)
        if cached is None:
            path = self.generation / TEXTS / f"{entry.text_sha256}.json"
            try:
                cached = DocumentText.from_json(json.loads(path.read_text(encoding="utf-8")))
            except FileNotFoundError:
                return None
            with self._texts_lock:
                self._texts[entry.text_sha256] = cached
                while len(self._texts) > 8:
                    self._texts.pop(next(iter(self._texts)))
        return cached

    def problems(self) -> list[str]:
        """What disagrees between the manifest, the chunk store, the dense and the lexical index
        (empty for a sound generation)."""
        listed = sorted(chunk_id for entry in self.manifest.documents.values() for chunk_id in entry.chunk_ids)
        found = {
            "chunk store": sorted(self._chunks),
            "dense index": sorted(int(i) for i in self._dense.ids()),
            "lexical index": sorted(int(i) for i in self._lexical.ids),
        }
        problems = [f"the {name} holds {len(ids)} chunks, the manifest lists {len(listed)}"
                    for name, ids in found.items() if ids != listed]  # fmt: skip
        if (self.manifest.dense_count, self.manifest.lexical_count) != (len(self._dense), len(self._lexical)):
            problems.append("the manifest's counts differ from the indexes")
        if self._sentences is not None:
            problems += sentence_problems(self._sentences, set(listed), self.manifest.sentence_count)
        return problems


TEXTS = "texts"


def read_sentences(generation: Path, dimension: int) -> SentenceVectors:
    """The sentence vectors of a generation (stored as float16, used as float32)."""
    spans = np.load(generation / SENTENCE_SPANS, allow_pickle=False).astype(np.int64).reshape(-1, 3)
    vectors = np.load(generation / SENTENCE_VECTORS, allow_pickle=False).astype(np.float32).reshape(-1, dimension)
    if len(spans) != len(vectors):
        raise IndexProblem(f"{generation}: {len(spans)} sentences but {len(vectors)} sentence vectors; rebuild it")
    return SentenceVectors(spans, vectors)


def write_sentences(generation: Path, sentences: SentenceVectors) -> None:
    # float16 halves the file and the memory mapped from it; cosines move by under 0.001.
    np.save(generation / SENTENCE_SPANS, sentences.spans.astype(np.int64), allow_pickle=False)
    np.save(generation / SENTENCE_VECTORS, sentences.vectors.astype(np.float16), allow_pickle=False)


def sentences_of(sentences: SentenceVectors, ids: np.ndarray) -> SentenceVectors:
    """The sentences of the chunks ``ids`` (``sentences`` ordered by chunk id), in the order of ``ids``."""
    owners = sentences.spans[:, 0]
    rows = [np.arange(np.searchsorted(owners, chunk_id, "left"), np.searchsorted(owners, chunk_id, "right"))
            for chunk_id in np.asarray(ids, dtype=np.int64)]  # fmt: skip
    taken = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return SentenceVectors(sentences.spans[taken], sentences.vectors[taken])


def nearest_chunks(
    sentences: SentenceVectors, vectors: np.ndarray, k: int, allowed: np.ndarray | None
) -> list[list[tuple[int, float]]]:
    """For each query vector, the ``k`` chunks whose best sentence is nearest it (exact search)."""
    spans, matrix = sentences.spans, sentences.vectors
    if allowed is not None:
        keep = np.isin(spans[:, 0], np.asarray(allowed, dtype=np.int64))
        spans, matrix = spans[keep], matrix[keep]
    found = []
    for row in np.asarray(vectors, dtype=np.float32) @ matrix.T:
        best: dict[int, float] = {}
        for position in np.argsort(-row, kind="stable"):
            chunk_id = int(spans[position, 0])
            if chunk_id not in best:
                best[chunk_id] = float(row[position])
                if len(best) >= k:
                    break
        found.append(list(best.items()))
    return found


def sentence_problems(sentences: SentenceVectors, listed: set[int], count: int) -> list[str]:
    owners = {int(chunk_id) for chunk_id in sentences.spans[:, 0]}
    problems = []
    if not owners <= listed:
        problems.append(f"sentence vectors of {len(owners - listed)} chunks the manifest does not list")
    if len(sentences) != count:
        problems.append(f"{len(sentences)} sentence vectors, the manifest counts {count}")
    return problems


class LocalWriter:
    """Updates a local index folder: each :meth:`apply` writes and publishes a new generation."""

    def __init__(self, location: Path | str) -> None:
        self.folder = IndexFolder(location)
        self._previous: LocalStore | None = None

    @property
    def location(self) -> str:
        return str(self.folder.path)

    @contextmanager
    def locked(self, timeout: float = 0):
        lock = self.folder.lock(timeout=timeout)
        try:
            self.folder.remove_stale()
            yield self
        finally:
            lock.release()

    def current(self) -> Manifest | None:
        generation = self.folder.current()
        return read_manifest(generation) if generation is not None else None

    def _opened(self) -> LocalStore:
        if self._previous is None or self._previous.stale():
            self._previous = LocalStore.open(self.folder.path)
        return self._previous

    def chunks_of(self, files: Iterable[str]) -> list[StoredChunk]:
        if self.folder.current() is None:
            return []
        store = self._opened()
        return [store.chunk(int(chunk_id)) for chunk_id in store.ids_of(files)]

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return self._opened().vectors(ids)

    def sentence_vectors(self, ids: np.ndarray) -> SentenceVectors:
        return self._opened().sentence_vectors(ids)

    def apply(self, change: Change, progress: Progress) -> Manifest:
        previous = self._opened() if self.folder.current() is not None and not change.rebuild else None
        replaced = set(change.documents) | set(change.removed)
        kept = [chunk for chunk in previous if chunk.file not in replaced] if previous else []
        removed_ids = previous.ids_of(replaced) if previous else np.zeros(0, dtype=np.int64)
        new_ids = np.array([chunk.id for chunk in change.chunks], dtype=np.int64)
        if previous is not None:
            dense = previous._dense.updated(removed_ids, new_ids, change.vectors)
        else:
            dense = DenseIndex.build(change.dimension, new_ids, change.vectors)
        chunks = sorted(kept + list(change.chunks), key=lambda chunk: chunk.id)
        progress("lexical index", 0, 1)
        lexical = LexicalIndex.build(
            [c.id for c in chunks], [c.embedding_text() for c in chunks], change.config.lexical
        )
        progress("lexical index", 1, 1)
        documents = dict(previous.manifest.documents) if previous else {}
        for name in replaced:
            documents.pop(name, None)
        documents.update(change.documents)
        sentences = None
        if change.sentences is not None:
            kept_ids = np.array([chunk.id for chunk in kept], dtype=np.int64)
            before = previous.sentence_vectors(kept_ids) if previous else SentenceVectors.empty(change.dimension)
            sentences = SentenceVectors.joined([before, change.sentences], change.dimension)
        manifest = change.manifest(documents, dense_type=dense.kind, dense_count=len(dense), lexical_count=len(lexical),
                                   sentence_count=len(sentences) if sentences is not None else 0)  # fmt: skip
        generation = self.folder.new_generation()
        dense.save(generation / DENSE)
        lexical.save(generation / LEXICAL)
        if sentences is not None:
            write_sentences(generation, sentences)
        write_chunks(generation, chunks)
        self._write_texts(generation, previous, documents, change)
        sync_tree(generation)
        write_manifest(generation, manifest.to_json())  # last: a generation without one is never used
        self.folder.publish(generation)
        log.info("index %s: %d chunks in %d documents", generation, len(chunks), len(documents))
        return manifest

    @staticmethod
    def _write_texts(generation: Path, previous: LocalStore | None, documents: dict, change: Change) -> None:
        """Every document's cleaned text, by its hash: new ones written, unchanged ones linked from
        the generation before."""
        folder = generation / TEXTS
        folder.mkdir()
        for digest, text in change.texts.items():
            (folder / f"{digest}.json").write_text(json.dumps(text.to_json(), ensure_ascii=False), encoding="utf-8")
        for entry in documents.values():
            digest = entry.text_sha256
            if digest is None or (folder / f"{digest}.json").exists() or previous is None:
                continue
            source = previous.generation / TEXTS / f"{digest}.json"
            if source.exists():
                _link_or_copy(source, folder / f"{digest}.json")


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())
