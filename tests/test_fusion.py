from __future__ import annotations

import pytest

from qa.retrieval.fusion import (
    collapse_duplicates,
    drop_near_duplicates,
    normalised_scores,
    ranks,
    reciprocal_rank_fusion,
    score_fusion,
)


def test_rrf_rewards_agreement_between_rankings() -> None:
    dense = [(1, 0.9), (2, 0.8), (3, 0.7)]
    lexical = [(3, 12.0), (1, 9.0), (4, 1.0)]
    fused = reciprocal_rank_fusion([dense, lexical], k=60)
    assert [item for item, _ in fused] == [1, 3, 2, 4]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_rrf_ignores_raw_scores_and_honours_weights() -> None:
    fused = reciprocal_rank_fusion([[("a", 1000.0), ("b", 0.1)], [("b", 0.2), ("a", 0.1)]], weights=[1.0, 2.0])
    assert fused[0][0] == "b"
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[("a", 1.0)]], weights=[1.0, 2.0])


def test_rrf_of_one_empty_ranking_is_the_other() -> None:
    assert [item for item, _ in reciprocal_rank_fusion([[], [(7, 1.0), (8, 0.5)]])] == [7, 8]


def test_normalised_scores_span_zero_to_one_or_start_at_the_floor() -> None:
    assert normalised_scores([("a", 0.9), ("b", 0.8), ("c", 0.7)]) == pytest.approx({"a": 1.0, "b": 0.5, "c": 0.0})
    assert normalised_scores([("a", 8.0), ("b", 2.0)], floor=0.0) == pytest.approx({"a": 1.0, "b": 0.25})
    assert normalised_scores([("a", 0.5), ("b", 0.5)]) == {"a": 0.0, "b": 0.0}
    assert normalised_scores([]) == {}


def test_score_fusion_keeps_a_clear_lexical_lead_that_rrf_levels() -> None:
    # BM25 puts "a" far ahead; dense barely prefers "b". RRF sees two rank-1s and calls it a tie
    # broken by order; score fusion keeps the wide lexical margin.
    dense = [("b", 0.86), ("a", 0.85), ("c", 0.70)]
    lexical = [("a", 30.0), ("b", 3.0), ("c", 2.0)]
    assert [item for item, _ in score_fusion([dense, lexical], floors=[None, 0.0])][0] == "a"
    assert [item for item, _ in reciprocal_rank_fusion([dense, lexical])][0] == "b"


def test_score_fusion_weights_missing_ids_and_argument_checks() -> None:
    fused = dict(score_fusion([[("a", 1.0), ("b", 0.0)], [("c", 5.0), ("a", 0.0)]], weights=[2.0, 1.0]))
    assert fused == pytest.approx({"a": 2.0, "b": 0.0, "c": 1.0})
    with pytest.raises(ValueError):
        score_fusion([[("a", 1.0)]], weights=[1.0, 1.0])


def test_ranks_are_one_based() -> None:
    assert ranks([(5, 0.3), (9, 0.1)]) == {5: 1, 9: 2}


def test_duplicates_collapse_to_the_best_ranked() -> None:
    ranking = [(1, 0.5), (2, 0.4), (3, 0.3)]
    assert collapse_duplicates(ranking, {1: "x", 2: "x", 3: "y"}) == [(1, 0.5), (3, 0.3)]


def test_near_duplicates_are_dropped_but_different_texts_kept() -> None:
    texts = {
        1: "处理违规直播间5263个，处置账号6169个。",
        2: "处理违规直播间5263个，处置账号6169个",
        3: "贵州开展网络文明建设活动1.9万余次。",
    }
    kept = drop_near_duplicates([(1, 0.5), (2, 0.4), (3, 0.3)], texts)
    assert [item for item, _ in kept] == [1, 3]
