"""Years: the one home of the year pattern; years in questions (one year, a range, relative years)
and whether a question asks for a target or an actual figure.

A government work report of year Y sets Y's targets and reviews year Y-1, so a question about a
target of Y is answered by Y's report and one about what Y achieved by Y+1's (:func:`report_year`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from qa.text import RANGE_DASH

Basis = Literal["target", "actual", "unknown"]

FIRST_YEAR, LAST_YEAR = 1949, 2100
# A year as a report or a question writes it, 1940..2100 (a regular-expression group, without lookarounds);
# FIRST_YEAR..LAST_YEAR bound a date read as one.
YEAR = r"(?:19[4-9]\d|20\d\d|2100)"
_RANGE = re.compile(
    rf"(?:从|自)?\s*(?P<a>{YEAR})\s*年?(?:度)?\s*{RANGE_DASH}\s*(?P<b>{YEAR})\s*年?(?:度)?"
    rf"|from\s+(?P<c>{YEAR})\s+(?:to|until|through|till)\s+(?P<d>{YEAR})"
    rf"|between\s+(?P<e>{YEAR})\s+and\s+(?P<f>{YEAR})",
    re.IGNORECASE,
)
_SINGLE = re.compile(rf"(?<![\d.])(?P<y>{YEAR})(?:\s*年(?:度)?)?(?![\d.%％万亿])")
_RECENT = re.compile(r"(?:近|最近|过去|前)(?P<n>[一二两三四五六七八九十\d]{1,2})年|last\s+(?P<e>\w+)\s+years", re.I)
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ENGLISH_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# Relative to the newest report in the index (the "present" of the corpus).
_ABSOLUTE_RELATIVE = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "this year": 0,
                      "last year": -1, "next year": 1}  # fmt: skip
# Relative to the year of the previous question in a conversation.
RELATIVE_TO_PREVIOUS = {"前一年": -1, "上一年": -1, "头一年": -1, "再前一年": -2, "下一年": 1, "后一年": 1,
                        "次年": 1, "第二年": 1, "the year before": -1, "previous year": -1, "the year after": 1,
                        "following year": 1, "next year": 1}  # fmt: skip
_ALL_YEARS = ("历年", "每年", "各年", "每一年", "every year", "each year")
_ACTUAL = re.compile(
    r"实际|完成了?|实现了|增长了|达到了|取得了|下降了|提高了|新增了|创造了|已经?(?:占|达|有|超|突破|建成|累计)|"
    r"actual|achieved|already|so far|to date|grew|did .{0,40}(?:grow|create|reach|achieve)|how much did|reached",
    re.IGNORECASE,
)
_TARGET = re.compile(r"目标|预期|计划|力争|要达到|定了|定下|提出|安排|拟|将达到|target|goal|plan|aim|expect", re.I)


@dataclass(frozen=True)
class YearSpan:
    """The years a question is about: ``first``..``last`` (one year when equal); ``all_years`` for
    历年 / every year; ``relative`` for 今年/去年/近五年, already made absolute against the newest year."""

    first: int | None = None
    last: int | None = None
    all_years: bool = False
    text: str = ""  # the words that said it, to show or replace in a follow-up

    @property
    def years(self) -> list[int]:
        if self.first is None or self.last is None:
            return []
        return list(range(self.first, self.last + 1))

    @property
    def is_range(self) -> bool:
        return self.all_years or (self.first is not None and self.last is not None and self.last > self.first)

    @property
    def single(self) -> int | None:
        return self.first if self.first is not None and self.first == self.last else None


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in _ENGLISH_NUMBERS:
        return _ENGLISH_NUMBERS[word]
    if len(word) == 1:
        return _NUMERALS.get(word)
    if word.startswith("十"):
        return 10 + _NUMERALS.get(word[1:], 0)
    return None


def find_years(text: str, newest: int | None = None) -> YearSpan:
    """The years ``text`` (a question in simplified script: :func:`qa.text.to_simplified`) names;
    ``newest`` (the newest report's year) anchors 今年, 去年, 近五年."""
    lowered = text.lower()
    match = _RANGE.search(text)
    if match:
        pairs = [(match["a"], match["b"]), (match["c"], match["d"]), (match["e"], match["f"])]
        first, last = next((int(a), int(b)) for a, b in pairs if a and b)
        return YearSpan(min(first, last), max(first, last), text=match.group().strip())
    recent = _RECENT.search(lowered)
    if recent and newest is not None:
        count = _number(recent["n"] or recent["e"] or "")
        if count:
            return YearSpan(newest - count + 1, newest, text=recent.group())
    if any(word in lowered for word in _ALL_YEARS):
        return YearSpan(all_years=True, text=next(word for word in _ALL_YEARS if word in lowered))
    single = _SINGLE.search(text)
    if single:
        year = int(single["y"])
        return YearSpan(year, year, text=single.group().strip())
    if newest is not None:
        for word, offset in _ABSOLUTE_RELATIVE.items():
            if word in lowered:
                return YearSpan(newest + offset, newest + offset, text=word)
    return YearSpan()


def basis(text: str) -> Basis:
    """Whether a question (in simplified script) asks for a target (目标, 预期, 计划) or what was
    achieved (实际, 完成, 增长了)."""
    if _ACTUAL.search(text):
        return "actual"
    if _TARGET.search(text):
        return "target"
    return "unknown"


def report_year(year: int, question_basis: Basis, available: set[int] | frozenset[int]) -> list[int]:
    """The years of the reports that answer a question about ``year``, best first: its own report
    for a target, the next year's (which reviews it) for an actual figure; for a question that
    does not say, its own report where there is one, then the next."""
    if question_basis == "target":
        order = [year]
    elif question_basis == "actual":
        order = [year + 1]
    else:
        order = [year, year + 1]
    return [candidate for candidate in order if candidate in available] or order[:1]
