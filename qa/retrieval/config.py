"""Every tunable of a search, in one frozen record, each with where its value was measured."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mode = Literal["hybrid", "dense", "lexical"]
Fusion = Literal["scores", "rrf"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "lexical")
FUSIONS: tuple[Fusion, ...] = ("scores", "rrf")


@dataclass(frozen=True)
class SearchConfig:
    mode: Mode = "hybrid"
    # "scores": weighted normalised scores; "rrf": reciprocal rank. Scores won on every set of
    # `qa eval` (gold R@1 0.825 vs 0.782, DRCD 0.947 vs 0.897; README, Quality).
    fusion: Fusion = "scores"
    # Candidates taken from each retriever (at least 4 k). Every candidate is then scored by every
    # signal, so a larger pool only matters for passages neither retriever ranks in its top 50.
    candidates: int = 50
    # The dense signals (one per question vector) share this much of the weight, BM25 the rest; a
    # share of 0.4-0.6 moved each `qa eval` set by a few questions in no consistent direction.
    dense_share: float = 0.5
    # The rankings within a province the question names count this much as those over the whole
    # index: at 1.0 CMRC questions naming a province were pulled onto its report (R@1 0.971 vs 0.980).
    region_weight: float = 0.5
    # A region ranking is only added where it narrows: the region holds at most this share of chunks.
    region_max_share: float = 1 / 3
    # Added to the fused score of a passage stating a quantity (5263个, 1.9万余次) when the question
    # asks for one (多少, how many): neutral on CMRC/DRCD, +0.005 R@5 on the gold set.
    quantity_weight: float = 0.2
    # Near-duplicate passages (character-trigram Jaccard at or above this) are shown once.
    near_duplicate: float = 0.85
    # Of the dense weight, this share goes to each passage's best sentence (stored sentence
    # vectors: a passage about many things whose one clause answers a paraphrase), the rest to the
    # passage's own vector; candidates are also gathered by their best sentence. 0: off.
    # On the tuning halves of the gold, national and meaning sets, the answer's passage in the top
    # 5 / first: 0 138 / 115, 0.25 142 / 119, 0.5 143 / 119, 0.75 143 / 120, 1 143 / 117 of 151
    # (docs/meaning.md).
    sentence_share: float = 0.5

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}: one of {', '.join(MODES)}")
        if self.fusion not in FUSIONS:
            raise ValueError(f"unknown fusion {self.fusion!r}: one of {', '.join(FUSIONS)}")
        if self.candidates < 1 or not 0.0 <= self.dense_share <= 1.0 or not 0.0 <= self.sentence_share <= 1.0:
            raise ValueError("candidates must be at least 1, and dense_share and sentence_share within 0..1")
