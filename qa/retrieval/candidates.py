"""Gathering candidates from each retriever, then scoring every candidate by every signal.

A passage found by one retriever alone is still ranked by the other (plain reciprocal rank
fusion would count it in one list only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.questions import Plan
from qa.retrieval.config import SearchConfig
from qa.store import Store


@dataclass(frozen=True)
class Candidates:
    ids: np.ndarray
    dense: tuple[np.ndarray, ...]  # cosine of each candidate, one row per query vector
    lexical: np.ndarray | None  # BM25 of each candidate; None when lexical search is off
    inside: np.ndarray | None  # which candidates are in the question's province, when it names one


def gather(
    store: Store,
    plan: Plan,
    vectors: np.ndarray | None,
    config: SearchConfig,
    pool: int,
    allowed: np.ndarray | None,
) -> set[int]:
    """Ids of the best ``pool`` chunks of each dense query vector and of the lexical query."""
    found: set[int] = set()
    if vectors is not None and config.mode in ("hybrid", "dense"):
        for row in store.dense_search(vectors, pool, allowed):
            found.update(chunk_id for chunk_id, _score in row)
    if config.mode in ("hybrid", "lexical"):
        found.update(chunk_id for chunk_id, _score in store.lexical_search(plan.lexical_query, pool, allowed))
    return found


def score(
    store: Store,
    plan: Plan,
    vectors: np.ndarray | None,
    config: SearchConfig,
    found: set[int],
    within: np.ndarray | None,
) -> Candidates:
    ids = np.array(sorted(found), dtype=np.int64)
    dense = tuple(store.dense_scores(vectors, ids)) if vectors is not None else ()
    lexical = store.lexical_scores(plan.lexical_query, ids) if config.mode in ("hybrid", "lexical") else None
    inside = np.isin(ids, within) if within is not None else None
    return Candidates(ids, dense, lexical, inside)
