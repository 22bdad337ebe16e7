"""Fusion and scoring: pure functions over ranked (id, score) lists and candidate signals, no model needed."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    from qa.retrieval.candidates import Candidates
    from qa.retrieval.config import SearchConfig

Id = TypeVar("Id", bound=Hashable)

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[tuple[Id, float]]],
    *,
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[Id, float]]:
    """Fuse ranked lists by reciprocal rank: score(id) = sum_i w_i / (k + rank_i(id)), rank from 1.

    Each ranking is best first; the scores in them are ignored (only the order counts), which is
    what makes BM25 scores and cosine similarities comparable. Ties keep first-seen order.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: dict[Id, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: -pair[1])


def normalised_scores(ranking: Sequence[tuple[Id, float]], *, floor: float | None = None) -> dict[Id, float]:
    """Each id's score scaled to [0, 1]: (score - low) / (best - low), where ``low`` is the
    ranking's lowest score, or ``floor`` for scores with a natural zero (BM25: no shared term).
    A ranking whose scores are all equal says nothing: every id gets 0."""
    if not ranking:
        return {}
    scores = [score for _item, score in ranking]
    best = max(scores)
    low = min(scores) if floor is None else floor
    if best <= low:
        return {item: 0.0 for item, _score in ranking}
    return {item: (score - low) / (best - low) for item, score in ranking}


def score_fusion(
    rankings: Sequence[Sequence[tuple[Id, float]]],
    *,
    weights: Sequence[float] | None = None,
    floors: Sequence[float | None] | None = None,
) -> list[tuple[Id, float]]:
    """Fuse scored lists by the weighted sum of their normalised scores (see
    :func:`normalised_scores`); an id missing from a ranking gets 0 from it.

    Unlike reciprocal rank fusion this keeps how far ahead a retriever's best passage is: a BM25
    match that beats the rest by a wide margin is not pulled level with the runner-up.
    """
    weights = [1.0] * len(rankings) if weights is None else weights
    floors = [None] * len(rankings) if floors is None else floors
    if not len(weights) == len(floors) == len(rankings):
        raise ValueError("one weight and one floor per ranking")
    fused: dict[Id, float] = {}
    for ranking, weight, floor in zip(rankings, weights, floors, strict=True):
        for item, score in normalised_scores(ranking, floor=floor).items():
            fused[item] = fused.get(item, 0.0) + weight * score
    return sorted(fused.items(), key=lambda pair: -pair[1])


def ranks(ranking: Iterable[tuple[Id, float]]) -> dict[Id, int]:
    """1-based rank of each id in a ranking."""
    return {item: rank for rank, (item, _score) in enumerate(ranking, start=1)}


def collapse_duplicates(ranking: Sequence[tuple[Id, float]], key_of: dict[Id, str]) -> list[tuple[Id, float]]:
    """Keep the best-ranked item of each duplicate key (ids without a key are kept)."""
    seen: set[str] = set()
    kept: list[tuple[Id, float]] = []
    for item, score in ranking:
        key = key_of.get(item)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append((item, score))
    return kept


def char_ngrams(text: str, n: int = 3) -> set[str]:
    compact = "".join(text.split())
    return {compact[i : i + n] for i in range(max(1, len(compact) - n + 1))}


def jaccard(left: set[str], right: set[str]) -> float:
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def drop_near_duplicates(
    ranking: Sequence[tuple[Id, float]], text_of: dict[Id, str], *, threshold: float = 0.85
) -> list[tuple[Id, float]]:
    """Drop an item whose character trigrams overlap a better-ranked item's by ``threshold`` or more."""
    kept: list[tuple[Id, float]] = []
    kept_grams: list[set[str]] = []
    for item, score in ranking:
        grams = char_ngrams(text_of[item])
        if any(jaccard(grams, other) >= threshold for other in kept_grams):
            continue
        kept.append((item, score))
        kept_grams.append(grams)
    return kept


def ranking(ids: np.ndarray, scores: np.ndarray, *, positive: bool = False) -> list[tuple[int, float]]:
    """(id, score) best first; with ``positive``, only ids that score above zero."""
    order = np.argsort(-scores, kind="stable")
    return [(int(ids[i]), float(scores[i])) for i in order if not positive or scores[i] > 0]


Rankings = tuple[list[list[tuple[int, float]]], list[tuple[int, float]], list[list[tuple[int, float]]]]
"""(one ranking per dense query vector, the lexical ranking, one ranking by best sentence per query
vector) of one group of candidates."""


def rankings(candidates: Candidates, mask: np.ndarray | None = None) -> Rankings:
    """The candidates (or those ``mask`` keeps) ranked by each signal."""
    ids = candidates.ids if mask is None else candidates.ids[mask]
    dense = [ranking(ids, row if mask is None else row[mask]) for row in candidates.dense]
    lexical: list[tuple[int, float]] = []
    if candidates.lexical is not None:
        lexical = ranking(ids, candidates.lexical if mask is None else candidates.lexical[mask], positive=True)
    sentence = [ranking(ids, row if mask is None else row[mask]) for row in candidates.sentence]
    return dense, lexical, sentence


def fuse_groups(groups: Sequence[Rankings], config: SearchConfig, *, lexical: bool) -> list[tuple[int, float]]:
    """Fuse (dense rankings, lexical ranking, sentence rankings) groups: the first over all
    candidates, the next within the province the question names (weighted ``config.region_weight``)."""
    all_rankings: list[list[tuple[int, float]]] = []
    weights: list[float] = []
    floors: list[float | None] = []
    for number, (dense_rankings, lexical_ranking, sentence_rankings) in enumerate(groups):
        group_weight = 1.0 if number == 0 else config.region_weight
        if not lexical:
            dense_share = 1.0
        elif not dense_rankings:  # lexical mode, or an empty dense index
            dense_share = 0.0
        else:
            dense_share = config.dense_share
        sentence_share = config.sentence_share if sentence_rankings else 0.0
        for dense_ranking in dense_rankings:
            all_rankings.append(dense_ranking)
            weights.append(group_weight * dense_share * (1.0 - sentence_share) / len(dense_rankings))
            floors.append(None)
        for sentence_ranking in sentence_rankings:
            all_rankings.append(sentence_ranking)
            weights.append(group_weight * dense_share * sentence_share / len(sentence_rankings))
            floors.append(None)
        if lexical:
            all_rankings.append(lexical_ranking)
            weights.append(group_weight * (1.0 - dense_share))
            floors.append(0.0)  # BM25 is 0 for a passage that shares no term with the question
    if config.fusion == "rrf":
        return reciprocal_rank_fusion(all_rankings, weights=weights)
    return score_fusion(all_rankings, weights=weights, floors=floors)
