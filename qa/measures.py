"""The measures a target is set for and a result reported on, year after year: their names in a
question and in a report, the units their figure takes and which way is better.

One home for these facts: a question naming one (:mod:`qa.questions.archive`) is asked of the
target in year Y's report and the result in year Y+1's (:mod:`qa.answer.targets`), and the verdict
(:mod:`qa.answer.verdict`) reads its direction: a *floor* (GDP growth, new urban jobs, grain
output: more is better, met at or above the target) or a *ceiling* (consumer prices, the deficit
ratio, unemployment: met at or below it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Direction = Literal["floor", "ceiling"]


@dataclass(frozen=True)
class Measure:
    """One measure. ``asked`` finds it in a question (simplified Chinese or English, lower case);
    ``names`` are its names in a report's sentence (simplified), longest first; its figure follows
    one of them (:mod:`qa.answer.targets` reads the words between), in one of ``units``.
    ``variants`` tell measures apart that share a name (调查失业率 and 登记失业率 are two): a target
    and a result of different variants are not comparable."""

    key: str
    label: str
    english: str
    direction: Direction
    asked: re.Pattern[str]
    names: tuple[str, ...]
    units: tuple[str, ...]
    variants: tuple[str, ...] = ()

    def variant(self, name: str) -> str | None:
        return next((word for word in self.variants if word in name), None)


MEASURES: tuple[Measure, ...] = (
    # Tried in this order: a deficit ratio is "财政赤字占国内生产总值的比重", not GDP.
    Measure(
        "deficit",
        "赤字率",
        "deficit ratio",
        "ceiling",
        re.compile(r"赤字|deficit"),
        ("财政赤字占国内生产总值的比重", "赤字占国内生产总值的比重", "财政赤字率", "赤字率"),
        ("%",),
    ),  # fmt: skip
    Measure(
        "unemployment",
        "城镇失业率",
        "urban unemployment rate",
        "ceiling",
        re.compile(r"失业率|unemployment"),
        ("城镇调查失业率", "城镇登记失业率", "调查失业率", "登记失业率", "失业率"),
        ("%",),
        ("调查", "登记"),
    ),  # fmt: skip
    Measure(
        "cpi",
        "居民消费价格涨幅",
        "consumer price inflation (CPI)",
        "ceiling",
        re.compile(r"居民消费价格|消费价格|物价|cpi|通胀|通货膨胀|consumer price|inflation"),
        ("居民消费价格总水平", "居民消费价格", "消费价格总水平", "物价总水平", "消费价格", "CPI"),
        ("%",),
    ),  # fmt: skip
    Measure(
        "jobs",
        "城镇新增就业",
        "new urban jobs",
        "floor",
        re.compile(r"新增就业|新增城镇就业|城镇新增就业|就业目标|urban jobs|new jobs|jobs"),
        ("城镇新增就业", "新增城镇就业", "新增就业"),
        ("万人", "人"),
    ),  # fmt: skip
    Measure(
        "grain",
        "粮食产量",
        "grain output",
        "floor",
        re.compile(r"粮食|grain"),
        ("粮食总产量", "粮食产量", "粮食总产", "粮食生产"),
        ("万亿斤", "亿斤", "万吨", "亿吨", "亿公斤", "吨", "斤"),
    ),  # fmt: skip
    Measure(
        "gdp",
        "经济增长（生产总值增速）",
        "GDP growth",
        "floor",
        re.compile(
            r"国内生产总值|地区生产总值|生产总值|gdp|经济增长|经济增速|经济实际增长|经济.{0,3}增"
            r"|economy|economic growth"
        ),
        ("国内生产总值", "地区生产总值", "全市生产总值", "全省生产总值", "生产总值", "GDP", "经济增长", "经济增速"),
        ("%",),
    ),  # fmt: skip
)
BY_KEY = {measure.key: measure for measure in MEASURES}
_GROWTH = re.compile(r"增长|增速|\bgrow")


def measures_asked(text: str) -> list[Measure]:
    """The measures a question (simplified script; English is matched in lower case) asks about, in
    the order of :data:`MEASURES`; the words naming one are not read again for the next
    (财政赤字占国内生产总值的比重 is the deficit ratio, not also GDP); a question naming none but
    asking about growth (增长目标, did the economy grow) asks about GDP."""
    lowered = text.lower()
    found: list[Measure] = []
    for measure in MEASURES:
        match = measure.asked.search(lowered)
        if match is None:
            continue
        found.append(measure)
        for words in sorted({*(name.lower() for name in measure.names), match.group()}, key=len, reverse=True):
            lowered = lowered.replace(words, " " * len(words))
    if not found and _GROWTH.search(lowered):
        found.append(BY_KEY["gdp"])
    return found
