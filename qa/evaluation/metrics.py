"""Retrieval metrics: pure functions over the 1-based rank of the first correct passage (None: not found)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

KS = (1, 5, 10)
DEPTH = 10


def first_correct_rank(correct: Iterable[bool]) -> int | None:
    """1-based position of the first true flag in a ranking, None if there is none."""
    for rank, flag in enumerate(correct, start=1):
        if flag:
            return rank
    return None


def recall_at_k(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose first correct passage is within the top ``k`` (0.0 for no questions)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not ranks:
        return 0.0
    return sum(1 for rank in ranks if rank is not None and rank <= k) / len(ranks)


def mrr_at_k(ranks: Sequence[int | None], k: int = DEPTH) -> float:
    """Mean reciprocal rank of the first correct passage, counting 0 beyond rank ``k``."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not ranks:
        return 0.0
    return sum(1.0 / rank for rank in ranks if rank is not None and rank <= k) / len(ranks)


def summarise(ranks: Sequence[int | None], ks: Sequence[int] = KS, depth: int = DEPTH) -> dict[str, float | int]:
    """``{"n": ..., "recall@1": ..., ..., "mrr@10": ...}``, figures rounded to four places."""
    summary: dict[str, float | int] = {"n": len(ranks)}
    for k in ks:
        summary[f"recall@{k}"] = round(recall_at_k(ranks, k), 4)
    summary[f"mrr@{depth}"] = round(mrr_at_k(ranks, depth), 4)
    return summary


def summarise_groups(ranks: Sequence[int | None], groups: Sequence[str]) -> dict[str, dict[str, float | int]]:
    """:func:`summarise` of each group (questions paired with ``groups`` by position), in sorted order."""
    if len(ranks) != len(groups):
        raise ValueError("one group per rank")
    by_group: dict[str, list[int | None]] = {}
    for rank, group in zip(ranks, groups, strict=True):
        by_group.setdefault(group, []).append(rank)
    return {group: summarise(by_group[group]) for group in sorted(by_group)}


def compact(text: str) -> str:
    """Text without any white space: the cleaner may join or re-space lines of a report."""
    return "".join(text.split())


def contains_answer(passage: str, answer: str) -> bool:
    """Whether ``answer`` occurs in ``passage``, ignoring white space (an empty answer never does)."""
    needle = compact(answer)
    return bool(needle) and needle in compact(passage)


def same_file_name(cited: str, gold: str) -> bool:
    """A citation's file (relative to the data folder) names the gold file (a bare file name)."""
    return Path(cited).name == Path(gold).name


def spread_sample(items: Sequence, limit: int | None) -> list:
    """At most ``limit`` items spread evenly over ``items`` (all of them when ``limit`` is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    return [items[index * len(items) // limit] for index in range(limit)]
