"""Quantities in report text: the units a count or a figure carries and the words that bound a figure.

One home for these facts: :mod:`qa.answer.values` parses figures with them, the retriever and the
answer ask whether a passage or a sentence states a quantity, and a sentence's stance reads its
bounds (:mod:`qa.answer.sentences`).
"""

from __future__ import annotations

import re

from qa.text import to_simplified

# Measure words after a counted quantity (5263个, 1.9万余次, 51.7%): a passage stating one is preferred
# for a how-many question.
COUNTING_UNITS = (
    "个", "次", "家", "人", "项", "件", "元", "份", "条", "款", "期", "%", "％", "公里", "千米", "米", "亩", "公顷",
    "吨", "座", "所", "张", "套", "倍", "户", "名", "场", "天", "台", "辆", "列", "颗", "架", "艘", "部", "篇", "批",
    "处", "种", "例", "届", "岁", "万", "亿",
)  # fmt: skip
# The units a figure of an indicator is given in, longest first where one ends another (万人 before 人).
FIGURE_UNITS = (
    "个百分点", "万亿元", "亿元", "万元", "元", "万人次", "万人", "人", "万亿斤", "亿斤", "亿公斤", "亿吨", "万吨",
    "吨", "万亩", "亩", "万千瓦",
    "千瓦", "万户", "户", "万家", "家", "万个", "个", "万辆", "辆", "公里", "倍", "天", "%",
)  # fmt: skip

# Bounds written after a figure (5%左右, 110万人以上) and before it (不低于6%); a figure's qualifier.
ABOUT = "左右"  # "about": the bound a target of roughly a figure carries
BOUNDS_AFTER = (ABOUT, "以上", "以内", "以下", "上下")
BOUNDS_BEFORE = ("不低于", "不少于", "不超过", "不高于", "超过", "高于", "低于")
# Those that mark a planned figure (a target is "5%左右", "不低于6%"); 控制在 / 保持在 / 稳定在 also report
# a figure held (涨幅控制在3.3%), so they bound a figure without making it a plan.
PLAN_BOUNDS = ("左右", "以上", "以内", "不低于", "不少于", "不超过")
HELD_AT = ("保持在", "稳定在", "控制在")


def alternatives(words: tuple[str, ...]) -> str:
    """``words`` as a regular-expression alternation (escaped, in their order)."""
    return "|".join(re.escape(word) for word in words)


_QUANTITY = re.compile(rf"\d+(?:[.,]\d+)*\s*(?:万|亿|千|百)?(?:余|多)?\s*(?:{alternatives(COUNTING_UNITS)})")


def states_quantity(text: str) -> bool:
    """Whether a text states a counted quantity (a number with a unit: 5263个, 1.9万余次, 51.7%)."""
    return bool(_QUANTITY.search(to_simplified(text)))


def quantity_starts(text: str) -> list[int]:
    """Where the counted quantities in ``text`` begin (offsets in ``text``; t2s keeps them)."""
    return [match.start() for match in _QUANTITY.finditer(to_simplified(text))]


def quantity_starts_in(simplified: str) -> list[int]:
    """:func:`quantity_starts` of a text already in simplified script."""
    return [match.start() for match in _QUANTITY.finditer(simplified)]
