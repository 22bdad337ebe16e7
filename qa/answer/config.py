"""Every tunable of answer composition, with where its value was measured."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerConfig:
    # Below both of these the best passage is not taken as an answer (calibrated on the gold
    # questions and on off-topic questions; README "Quality"). e5 similarities run higher between
    # Chinese texts than across languages, hence two dense thresholds.
    min_dense_chinese: float = 0.875
    min_dense_other: float = 0.76
    min_term_coverage: float = 0.5
    sentence_pool: int = 6  # sentences are drawn from this many top passages
    max_sentences: int = 2
    quantity_reach: int = 6  # a quantity belongs to a term this many characters before it (活动累计1.9万余次)
    # Sentence score = cosine + lexical * coverage + quantity * cue + rank * 1 / (passage rank + 1);
    # a second sentence is taken when it scores within ``close`` of the best.
    lexical_weight: float = 0.5
    quantity_weight: float = 0.08
    rank_weight: float = 0.04
    close: float = 0.03
