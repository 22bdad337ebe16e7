"""The local index folder: plain files, written as a new generation and swapped in.

Layout::

    index/
      CURRENT               name of the generation in use ("gen-000003"), replaced atomically
      gen-000003/
        manifest.json       format, encoder, chunking, lexical settings, every document (qa.store.manifest)
        dense.faiss         FAISS index (IndexIDMap2)
        lexical/            BM25 arrays (bm25s, no pickle) and ids.npy
        chunks.jsonl        one chunk per line: id, file, section, offsets, pages, text
        sentence_spans.npy  (chunk id, start, end) of every sentence of every chunk (int64)
        sentences.npy       their vectors (float16, L2-normalised; no pickle)

A build writes a complete new generation beside the one in use and then replaces ``CURRENT``;
an interrupted build leaves the previous generation in use. ``.lock`` keeps two builds apart.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from qa.chunking import embedding_text
from qa.errors import IndexBusy

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
DENSE = "dense.faiss"
LEXICAL = "lexical"
SENTENCE_SPANS = "sentence_spans.npy"
SENTENCE_VECTORS = "sentences.npy"


@dataclass(frozen=True)
class StoredChunk:
    id: int
    file: str
    index: int
    section: tuple[str, ...]
    start: int
    end: int
    text: str
    key: str  # hash of the normalised text: equal keys are duplicates
    page: int | None = None
    page_end: int | None = None
    ocr_confidence: float | None = None  # set for text read by OCR: its mean recognition confidence

    @property
    def ocr(self) -> bool:
        return self.ocr_confidence is not None

    def embedding_text(self) -> str:
        return embedding_text(self.section, self.text)

    def to_json(self) -> str:
        record = {
            "id": self.id,
            "file": self.file,
            "index": self.index,
            "section": list(self.section),
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "key": self.key,
        }
        if self.page is not None:
            record["page"] = self.page
        if self.page_end is not None:
            record["page_end"] = self.page_end
        if self.ocr_confidence is not None:
            record["ocr_confidence"] = self.ocr_confidence
        return json.dumps(record, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> StoredChunk:
        record = json.loads(line)
        record["section"] = tuple(record["section"])
        return cls(**record)


class IndexFolder:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def lock(self, timeout: float = 0) -> FileLock:
        """The build lock. Raises :class:`IndexBusy` if another build holds it past ``timeout``."""
        self.path.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path / ".lock"))
        try:
            lock.acquire(timeout=timeout)
        except Timeout as error:
            raise IndexBusy(
                f"another 'qa index' is updating {self.path} right now; wait for it to finish and try again"
            ) from error
        return lock

    def current(self) -> Path | None:
        try:
            name = (self.path / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        generation = self.path / name
        return generation if (generation / MANIFEST).exists() else None

    def exists(self) -> bool:
        return self.current() is not None

    def new_generation(self) -> Path:
        numbers = [int(p.name.split("-")[1]) for p in self.path.glob("gen-*") if p.name.split("-")[1].isdigit()]
        generation = self.path / f"gen-{max(numbers, default=0) + 1:06d}"
        generation.mkdir(parents=True)
        return generation

    def publish(self, generation: Path) -> None:
        """Make ``generation`` current (atomic rename), then remove the generations before the one
        it replaces. The replaced one stays until the next publish: a reader that read ``CURRENT``
        just before the swap can still open it."""
        replaced = self.current()
        pointer = self.path / f"{CURRENT}.tmp"
        pointer.write_text(generation.name, encoding="utf-8")
        fsync_file(pointer)
        os.replace(pointer, self.path / CURRENT)
        fsync_dir(self.path)
        self.remove_stale(keep=[generation] + ([replaced] if replaced else []))

    def remove_stale(self, keep: list[Path] | None = None) -> None:
        """Generations other than ``keep`` (by default the current one): leftovers of an
        interrupted build, or old ones. Only call this while holding the lock."""
        if keep is None:
            current = self.current()
            keep = [current] if current else []
        kept = {path.name for path in keep}
        for generation in self.path.glob("gen-*"):
            if generation.name not in kept:
                shutil.rmtree(generation, ignore_errors=True)


def read_chunks(generation: Path) -> list[StoredChunk]:
    with (generation / CHUNKS).open(encoding="utf-8") as handle:
        return [StoredChunk.from_json(line) for line in handle if line.strip()]


def write_chunks(generation: Path, chunks: list[StoredChunk]) -> None:
    path = generation / CHUNKS
    with path.open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(chunk.to_json() + "\n")
    fsync_file(path)


def write_manifest(generation: Path, record: dict) -> None:
    path = generation / MANIFEST
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    fsync_file(path)


def sync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fsync_file(path)
    fsync_dir(folder)


def fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
