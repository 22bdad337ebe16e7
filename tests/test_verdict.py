"""The verdict rule (docs/archive.md): direction, 左右, ranges, units, and when nothing can be said."""

from __future__ import annotations

from qa.answer.values import Figure
from qa.answer.verdict import bounds, judge


def figure(value: float | tuple[float, float], unit: str = "%", qualifier: str | None = None) -> Figure:
    return Figure(value, unit, qualifier, 0, 0)


def test_a_floor_is_met_at_or_above_it_and_about_widens_it() -> None:
    assert judge("floor", figure(7.5, qualifier="左右"), figure(7.4)).verdict == "met"  # 2014: within 0.2 points
    assert judge("floor", figure(5.5, qualifier="左右"), figure(3)).verdict == "missed"  # 2022
    assert judge("floor", figure(7.5), figure(7.4)).verdict == "missed"  # no 左右: the figure itself
    assert judge("floor", figure(900, "万人", "以上"), figure(900, "万人")).verdict == "met"
    assert judge("floor", figure(1200, "万人", "左右"), figure(1177, "万人")).verdict == "met"  # 2 % of the figure
    assert judge("floor", figure(1200, "万人", "左右"), figure(1175, "万人")).verdict == "missed"


def test_a_ceiling_is_met_at_or_below_it() -> None:
    assert judge("ceiling", figure(3, qualifier="以内"), figure(4.8)).verdict == "missed"  # CPI 2007
    assert judge("ceiling", figure(3, qualifier="左右"), figure(3.3)).verdict == "missed"  # CPI 2010
    assert judge("ceiling", figure(3, qualifier="左右"), figure(3.2)).verdict == "met"
    assert judge("ceiling", figure(2.8, qualifier="左右"), figure(2.8)).verdict == "met"  # the deficit ratio, 2022


def test_a_range_and_the_difference() -> None:
    judged = judge("floor", figure((6.5, 7.0)), figure(6.7))  # 2016
    assert judged.verdict == "met" and judged.difference == 0.2 and judged.unit == "个百分点"
    assert judge("floor", figure((6.0, 6.5)), figure(5.9)).verdict == "missed"
    assert judge("ceiling", figure((2.0, 3.0)), figure(3.1)).verdict == "missed"
    assert bounds(figure(5, qualifier="左右")) == (4.8, 5.2)


def test_weights_are_converted_and_other_units_are_not_comparable() -> None:
    grain = judge("floor", figure(1.3, "万亿斤", "以上"), figure(6.5, "亿吨"))  # 1.3 万亿斤 = 6.5 亿吨
    assert grain.verdict == "met" and grain.difference == 0 and grain.unit == "万亿斤"
    assert judge("floor", figure(1.3, "万亿斤", "以上"), figure(6.4, "亿吨")).verdict == "missed"
    assert judge("floor", figure(5, "%"), figure(900, "万人")).verdict == "not_comparable"


def test_what_cannot_be_judged() -> None:
    assert judge("floor", figure(5), None).verdict is None
    assert judge("floor", None, figure(5)).verdict is None
    assert judge("floor", figure(5), figure((5.0, 5.5))).verdict == "not_comparable"  # a range as the result
    assert judge("ceiling", figure(3), figure(2, qualifier="以上")).verdict == "not_comparable"  # "more than 2"
    assert judge("floor", figure(5), figure(6, qualifier="以上")).verdict == "met"  # more than 6 is at least 5
    assert judge("ceiling", figure(5.5), figure(5.0), same_measure=False).verdict == "not_comparable"
