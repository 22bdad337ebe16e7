"""The kinds of question, as types, and the rules that tell them apart.

A kind says what shape of answer a question wants: one answer from the best passages
(:class:`Single`), one row per report, region or year across reports (:class:`Which`,
:class:`Each`, :class:`Compare`, :class:`Years`), or the archive over time: a target against its
result (:class:`TargetResult`), a term's first mention and its count year by year
(:class:`FirstMention`, :class:`Timeline`; :mod:`qa.questions.archive`). Each kind has its own
answer function (``qa.answer.registry.ANSWERS``). A new kind is a class here, a rule in :data:`RULES` (in the order
the rules are tried) and its answer function in the registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from qa.questions.archive import asks_first_mention, asks_target_result, asks_timeline
from qa.regions import NATIONAL
from qa.years import YearSpan


@dataclass(frozen=True)
class Kind:
    """What shape of answer a question wants. ``name`` is the kind as the JSON of an answer shows it."""

    name: ClassVar[str] = ""
    across_reports: ClassVar[bool] = True  # answered by rows across reports, not by the best passages
    per_report: ClassVar[bool] = False  # one row per report (the reports of the level the question names)
    asks_mention: ClassVar[bool] = False  # its subject is a thing the reports mention (else an attribute)
    keeps_frame: ClassVar[bool] = False  # a follow-up naming another subject ("居民消费价格呢？") asks it anew

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Single(Kind):
    """One answer, from the sentences of the best passages: 湖北处理了多少个违规直播间？"""

    name: ClassVar[str] = "single"
    across_reports: ClassVar[bool] = False


@dataclass(frozen=True)
class Which(Kind):
    """Which reports mention the subject: 哪些省份提到了人形机器人？ 西藏有没有提到量子计算？"""

    name: ClassVar[str] = "which"
    per_report: ClassVar[bool] = True
    asks_mention: ClassVar[bool] = True


@dataclass(frozen=True)
class Each(Kind):
    """A figure of each report: 各省2025年经济增长目标分别是多少？"""

    name: ClassVar[str] = "each"
    per_report: ClassVar[bool] = True


@dataclass(frozen=True)
class Compare(Kind):
    """The named regions side by side: 比较广东、江苏、浙江三省的研发投入强度"""

    name: ClassVar[str] = "compare"


@dataclass(frozen=True)
class Years(Kind):
    """A run of years: 2005年到2012年的国内生产总值增长目标分别是多少？"""

    name: ClassVar[str] = "years"


@dataclass(frozen=True)
class TargetResult(Kind):
    """A target against what was achieved, by year or region: 2023年国内生产总值增长目标完成了吗？
    2015年到2023年国内生产总值增长目标和实际增长分别是多少？ 各省2024年经济增长实际完成情况与2025年目标"""

    name: ClassVar[str] = "target_result"
    keeps_frame: ClassVar[bool] = True


@dataclass(frozen=True)
class FirstMention(Kind):
    """When a term first (and last) appeared across the reports: 新质生产力是哪一年首次出现在政府工作报告中的？"""

    name: ClassVar[str] = "first_mention"
    keeps_frame: ClassVar[bool] = True


@dataclass(frozen=True)
class Timeline(Kind):
    """How often a term was said, year by year: 高质量发展在历年政府工作报告中出现了多少次？"""

    name: ClassVar[str] = "timeline"
    keeps_frame: ClassVar[bool] = True


@dataclass(frozen=True)
class StartOver(Kind):
    """Not a question: "/new", "重新开始" or "start over" clears the conversation."""

    name: ClassVar[str] = "start_over"
    across_reports: ClassVar[bool] = False


@dataclass(frozen=True)
class NeedsContext(Kind):
    """A first question that only follows up ("那贵州呢？", "固定资产投资呢？", "And Jiangsu?"): with no
    question before it, searching it alone would answer something else with confidence."""

    name: ClassVar[str] = "needs_context"
    across_reports: ClassVar[bool] = False


class Clues(NamedTuple):
    """What the kind of a question is told by: its text (simplified), regions and years."""

    simplified: str
    regions: tuple[str, ...]
    years: YearSpan

    @property
    def provinces(self) -> list[str]:
        return [region for region in self.regions if region != NATIONAL]


WHICH = re.compile(
    r"哪(?:些|几个|一些|个)(?:省|地区|地方|城市|报告|市|地市|区县|自治区)|(?:有|共)?(?:几|多少)个(?:省|地区|城市)"
    r"|\bwhich (?:of the )?(?:provinces?|provincial|regions?|reports?|cities|places|localities)\b",
    re.IGNORECASE,
)
EACH = re.compile(
    r"各省|各地|各市|各区|各个省|各自治区|每个省|每个地区|每个省份|每个城市|所有省|全部省|31个省|三十一个省|各省区市"
    r"|\beach (?:province|region|city|report)\b|\bevery (?:province|region|city|report)\b"
    r"|\ball (?:the )?(?:provinces|regions|cities|reports)\b|\bprovince by province\b",
    re.IGNORECASE,
)
# "西藏有没有提到量子计算？", "广东是否提及低空经济", "Does Hubei's report mention 5G?": asked of the
# regions it names, answered like a which-question (a row per report: its sentence, or not stated),
# so that a passage merely about the region is never taken for a yes.
_YES_NO_MENTION = re.compile(
    r"(?:有没有|是否|有无|是不是)(?:提到|提及|谈到|谈及|涉及|讲到|写到|写入|部署)"
    r"|(?:提到|提及|谈到|谈及|涉及)了?[^？?。]{1,30}(?:吗|么|没有)[？?]?\s*$"
    r"|^\s*(?:does|did|do)\b.*\b(?:mention|talk about|refer to|discuss)",
    re.IGNORECASE,
)


def _asks_each(clues: Clues) -> bool:
    return EACH.search(clues.simplified) is not None and len(clues.provinces) != 1  # 贵州全省各地各部门: one


def _asks_which(clues: Clues) -> bool:
    text = clues.simplified
    return bool(WHICH.search(text) or _asks_each(clues) and "哪些" in text
                or clues.regions and _YES_NO_MENTION.search(text))  # fmt: skip


def _names_several(clues: Clues) -> bool:
    return len(clues.regions) >= 2


# "过去五年全国的高铁里程一共增加了多少？" asks one figure over the recent years (a report's review of
# its term), not a row per year.
_IN_ALL = re.compile(r"一共|总共|累计|共计|合计|总计|\bin total\b|\baltogether\b|\bcumulative", re.IGNORECASE)


def _spans_years(clues: Clues) -> bool:
    years = clues.years
    return years.is_range and not (years.recent and _IN_ALL.search(clues.simplified))


def _asks_first_mention(clues: Clues) -> bool:
    return asks_first_mention(clues.simplified)


def _asks_timeline(clues: Clues) -> bool:
    return asks_timeline(clues.simplified)


def _asks_target_result(clues: Clues) -> bool:
    return asks_target_result(clues.simplified)


# Tried in order; the first that holds gives the kind, and a question none holds is Single.
RULES: tuple[tuple[Callable[[Clues], bool], type[Kind]], ...] = (
    (_asks_first_mention, FirstMention),
    (_asks_timeline, Timeline),
    (_asks_target_result, TargetResult),
    (_asks_which, Which),
    (_asks_each, Each),
    (_names_several, Compare),
    (_spans_years, Years),
)


def kind_of(clues: Clues) -> Kind:
    return next((kind() for holds, kind in RULES if holds(clues)), Single())
