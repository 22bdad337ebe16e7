"""A 10k-chunk index made from the real one, for the latency section at a larger size.

The real chunks, then chunks whose text mixes the sentences of a real chunk (shuffled, two
replaced by sentences of random other chunks) and whose vector is that chunk's vector plus a
little noise, renormalised. The texts are distinct, so BM25 and duplicate collapsing work as on
real text; the dense part is real-looking vectors. It is written through the store seam
(:class:`qa.store.Writer`) as one rebuild, so the dense type follows
:func:`qa.store.dense.choose_index_type` as in a real index.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench.machine import now
from qa.indexing import duplicate_key
from qa.store import Change, DocumentEntry, StoredChunk, no_progress, open_store, open_writer

_SENTENCE = re.compile(r"(?<=[。！？；])")
NOISE = 0.02


@dataclass
class Grown:
    """The chunks, vectors and documents of the index being made."""

    chunks: list[StoredChunk]
    vectors: list[np.ndarray]
    documents: dict[str, DocumentEntry]
    chunk_ids: dict[str, list[int]]
    next_id: int


def sentences_of(text: str) -> list[str]:
    return [sentence for sentence in _SENTENCE.split(text) if sentence.strip()]


def mixed_text(base: StoredChunk, sentences: list[str], rng: random.Random) -> str:
    parts = sentences_of(base.text) or [base.text]
    rng.shuffle(parts)
    for _ in range(2):
        parts[rng.randrange(len(parts))] = rng.choice(sentences)
    return "".join(parts)


def noisy(vector: np.ndarray, noise: np.random.Generator) -> np.ndarray:
    moved = vector + noise.normal(0.0, NOISE, len(vector)).astype(np.float32)
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def add_copy(grown: Grown, copy: int, base: StoredChunk, text: str, vector: np.ndarray, entry: DocumentEntry) -> None:
    file = f"copy{copy:02d}/{base.file}"
    chunk_id = grown.next_id
    grown.chunks.append(
        StoredChunk(chunk_id, file, base.index, base.section, base.start, base.end, text, duplicate_key(text))
    )
    grown.vectors.append(vector)
    grown.documents.setdefault(file, entry)
    grown.chunk_ids.setdefault(file, []).append(chunk_id)
    grown.next_id += 1


def grow(real: list[StoredChunk], real_vectors: np.ndarray, documents: dict, size: int, seed: int) -> Grown:
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    sentences = [sentence for chunk in real for sentence in sentences_of(chunk.text)]
    grown = Grown(list(real), list(real_vectors), {}, {}, max(chunk.id for chunk in real) + 1)
    copy = 0
    while len(grown.chunks) < size:
        copy += 1
        for position, base in enumerate(real):
            if len(grown.chunks) >= size:
                break
            text = mixed_text(base, sentences, rng)
            add_copy(grown, copy, base, text, noisy(real_vectors[position], noise), documents[base.file])
    return grown


def build_synthetic_index(source: Path, target: Path, size: int, seed: int = 7) -> dict[str, object]:
    """An index of ``size`` chunks at ``target`` made from the index at ``source``."""
    started = now()
    store = open_store(source)
    manifest = store.manifest
    real = list(store)
    real_vectors = store.vectors(np.array([chunk.id for chunk in real], dtype=np.int64))
    grown = grow(real, real_vectors, dict(manifest.documents), size, seed)
    copies = {file: replace(entry, chunk_ids=tuple(grown.chunk_ids[file])) for file, entry in grown.documents.items()}
    change = Change(
        config=manifest.config(),
        dimension=real_vectors.shape[1],
        documents={**manifest.documents, **copies},
        removed=(),
        chunks=tuple(grown.chunks),
        vectors=np.vstack(grown.vectors).astype(np.float32),
        next_id=grown.next_id,
        rebuild=True,
    )
    shutil.rmtree(target, ignore_errors=True)
    writer = open_writer(target)
    with writer.locked():
        written = writer.apply(change, no_progress)
    return {
        "chunks": len(grown.chunks),
        "real_chunks": len(real),
        "dense_type": written.dense_type,
        "build_s": round(now() - started, 2),
    }
