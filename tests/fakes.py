"""A deterministic stand-in encoder for unit tests of storage and incremental updates.

It hashes character bigrams into a small vector: texts sharing words land close together, which
is all the storage tests need. Tests of retrieval quality use the real model.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from qa.embedding import normalise
from qa.indexing import update_index
from qa.retrieval import Retriever
from qa.store import IndexConfig
from qa.text import bigram_tokens


class HashingEncoder:
    name = "test-hashing"
    dimension = 64
    thread_safe = True

    def __init__(self) -> None:
        self.passages_encoded = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for token in bigram_tokens(text) or ["empty"]:
            digest = hashlib.md5(token.encode()).digest()
            vector[digest[0] % self.dimension] += 1.0
        return vector

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return normalise(np.array([self._vector(text) for text in texts]))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(texts)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        self.passages_encoded += len(texts)
        return self._vectors(texts)


def hashing_index_of(reports: Iterable[Path], root: Path) -> Retriever:
    """A retriever over an index of copies of ``reports`` (in ``root``) with the hashing encoder."""
    data = root / "data"
    data.mkdir()
    for report in reports:
        shutil.copy(report, data)
    update_index(data, root / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return Retriever(root / "index", encoder=HashingEncoder())
