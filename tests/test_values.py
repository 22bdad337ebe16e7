"""Figures parsed from a row's own sentence: number, unit, qualifier; none where the sentence has none."""

from __future__ import annotations

import pytest

from qa.answer.values import Figure
from qa.answer.values import figure_for as figure_of
from qa.indicators import mentioned
from qa.text import to_simplified


def figure_for(sentence: str, question: str) -> Figure | None:
    """The figure of the indicator ``question`` names, as a row reads it (both texts simplified once)."""
    return figure_of(to_simplified(sentence), tuple(mentioned(to_simplified(question))))


@pytest.mark.parametrize(
    ("sentence", "question", "value", "unit", "qualifier"),
    [
        ("地区生产总值增长5%左右，固定资产投资增长6%以上", "经济增长目标", 5.0, "%", "左右"),
        ("地区生产总值增长5%左右，固定资产投资增长6%以上", "固定资产投资", 6.0, "%", "以上"),
        ("全省地区生产总值增长5.0%—5.5%", "经济增长目标", (5.0, 5.5), "%", None),
        ("国内生产总值增长6%－6.5%", "国内生产总值增长目标", (6.0, 6.5), "%", None),
        ("城镇新增就业110万人以上", "城镇新增就业目标", 110.0, "万人", "以上"),
        ("城镇新增就业人数不低于900万人", "城镇新增就业", 900.0, "万人", "不低于"),
        ("地区生产总值增长5.5％左右", "经济增长", 5.5, "%", "左右"),
        ("城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内", "居民消费价格涨幅", 3.0, "%", "以内"),
        ("城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内", "失业率", 5.0, "%", None),
        ("地区生产总值增长7%以上、力争达到8%", "经济增长", 7.0, "%", "以上"),
        # growth said around the level, within one clause
        ("全省完成地区生产总值31534亿元、增长3.3%", "经济增长", 3.3, "%", None),
        ("全疆地区生产总值同比增长6.1%", "经济增长", 6.1, "%", None),
        # an output whose subject the clause before names
        ("粮食连续五年增产，总产量10570亿斤，创历史最高水平。", "粮食产量", 10570.0, "亿斤", None),
    ],
)
def test_the_figure_of_the_asked_indicator(sentence, question, value, unit, qualifier) -> None:
    figure = figure_for(sentence, question)
    assert figure is not None
    assert (figure.value, figure.unit, figure.qualifier) == (value, unit, qualifier)
    stated = sentence[figure.start : figure.end].replace("％", "%")
    assert unit in stated and str(value[0] if isinstance(value, tuple) else value).split(".")[0] in stated


def test_no_figure_is_invented() -> None:
    assert figure_for("固定资产投资增速保持在全国平均水平以上", "固定资产投资") is None
    assert figure_for("新建2.7万亩粮食生产无人农场", "粮食产量") is None  # the figure is not the indicator's


def test_an_indicator_said_apart_from_its_subject_is_named_only_where_it_is_its_own() -> None:
    assert [group[0] for group in mentioned("全省完成地区生产总值31534亿元、增长3.3%")] == ["地区生产总值", "经济增长"]
    assert [group[0] for group in mentioned("地区生产总值突破1万亿元，增长较快")] == ["地区生产总值"]
    assert mentioned("粮食播种面积稳定，棉花产量增长") == []  # another crop's output is not grain's


def test_an_indicator_named_twice_has_the_figure_after_its_nearer_name() -> None:
    # The 2007 national report: 物价 opens the clause, the figure follows the second, fuller name.
    sentence = "物价总水平基本稳定，居民消费价格总水平涨幅在 3%以内；"
    figure = figure_for(sentence, "2005年到2012年CPI涨幅的目标分别是多少？")
    assert figure is not None and (figure.value, figure.unit, figure.qualifier) == (3.0, "%", "以内")


@pytest.mark.parametrize(
    "sentence",
    # the 2012 and 2014 national reports: the level, then its growth against the year before
    ["国内生产总值47.2万亿元，比上年增长9.2％。", "国内生产总值达到56.9万亿元，比上年增长7.7%。"],
)
def test_growth_against_the_year_before_in_the_clause_after_the_level(sentence: str) -> None:
    figure = figure_for(sentence, "2010年到2014年国内生产总值实际增长了多少？")
    assert figure is not None and sentence[figure.start : figure.end].rstrip("%％") in ("9.2", "7.7")


def test_an_output_after_a_listed_clause_naming_its_subject() -> None:
    # Anhui's 2025 report: the grain output target follows the sown area, after 、
    sentence, question = "全年粮食播种面积1.1亿亩、产量825亿斤以上", "各省2025年粮食产量目标分别是多少？"
    assert mentioned(question)[0] in mentioned(sentence)  # a row's sentence must name the indicator
    figure = figure_for(sentence, question)
    assert figure is not None and (figure.value, figure.unit, figure.qualifier) == (825.0, "亿斤", "以上")
