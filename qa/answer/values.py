"""Figures as values: a number, its unit and its qualifier, parsed from a row's own cited sentence.

"地区生产总值增长5%左右" -> 5, "%", "左右"; "5.0%—5.5%" -> (5.0, 5.5), "%"; "城镇新增就业110万人以上"
-> 110, "万人", "以上". A sentence without a figure gives none: nothing is ever invented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.indicators import mentioned, name_spans
from qa.quantities import BOUNDS_AFTER, BOUNDS_BEFORE, FIGURE_UNITS, HELD_AT, alternatives
from qa.text import RANGE_DASH

_NUMBER = r"\d+(?:\.\d+)?"
_UNIT = alternatives(FIGURE_UNITS)
_AFTER = alternatives(BOUNDS_AFTER)
# Qualifiers that say how the figure binds; 力争 / 控制在 / 达到 and the like are read past.
_BEFORE = rf"(?:力争|约|达到|{alternatives(HELD_AT)})?(?P<before>{alternatives(BOUNDS_BEFORE)})?"
_FIGURE = re.compile(
    rf"{_BEFORE}\s*(?P<low>{_NUMBER})\s*(?:%)?\s*{RANGE_DASH}\s*(?P<high>{_NUMBER})\s*(?P<runit>{_UNIT})"
    rf"(?P<rafter>{_AFTER})?"
    rf"|{_BEFORE.replace('before', 'before2')}\s*(?P<value>{_NUMBER})\s*(?P<unit>{_UNIT})"
    rf"(?P<after>{_AFTER}|多|余)?"
)
REACH = 16  # a figure belongs to an indicator named at most this many characters before it
CLAUSE_BREAKS = "，；：,;:"  # what separates the clauses of a sentence listing several targets
# "预期目标比去年多100万人": a difference, not the figure itself.
_COMPARED = re.compile(r"比(?:去年|上年|上一年|前一年)?(?:多|少|增加|减少|提高|降低|下降)")


@dataclass(frozen=True)
class Figure:
    value: float | tuple[float, float]
    unit: str
    qualifier: str | None
    start: int  # offsets of the figure in the sentence
    end: int

    @property
    def text(self) -> str:
        if isinstance(self.value, tuple):
            low, high = (_shown(number) for number in self.value)
            number = f"{low}–{high}"
        else:
            number = _shown(self.value)
        if self.qualifier in BOUNDS_AFTER:
            return f"{number}{self.unit}{self.qualifier}"
        return f"{self.qualifier or ''}{number}{self.unit}"

    def to_dict(self) -> dict[str, object]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"value": value, "unit": self.unit, "qualifier": self.qualifier, "text": self.text}


def _shown(number: float) -> str:
    return f"{number:g}"


_HALF_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def _normalised(simplified: str) -> str:
    """Full-width digits and signs as ASCII, same length (offsets stay valid)."""
    return simplified.translate(_HALF_WIDTH)


def figures(simplified: str) -> list[Figure]:
    """Every figure stated in a sentence (in simplified script: :func:`qa.text.to_simplified`), in order."""
    return _figures(_normalised(simplified))


def _figures(normalised: str) -> list[Figure]:
    found: list[Figure] = []
    for match in _FIGURE.finditer(normalised):
        if match["low"] is not None:
            value: float | tuple[float, float] = (float(match["low"]), float(match["high"]))
            unit, before, after = match["runit"], match["before"], match["rafter"]
        else:
            value, unit, before, after = float(match["value"]), match["unit"], match["before2"], match["after"]
        found.append(Figure(value, unit, after or before or None, match.start(), match.end()))
    return found


def figure_for(simplified: str, groups: tuple[tuple[str, ...], ...]) -> Figure | None:
    """The figure of the indicators a question names (``groups``, :attr:`qa.questions.Plan.indicators`)
    in a sentence (in simplified script): the first one after any of their names in the sentence
    (within :data:`REACH` characters); else the sentence's only figure; else none."""
    normalised = _normalised(simplified)
    stated = _figures(normalised)
    if not stated:
        return None
    respectively = _respectively(normalised, groups, stated)
    if respectively is not None:
        return respectively
    named = name_spans(simplified, list(groups)) if groups else []
    if named:  # its figure follows one of its names (物价总水平基本稳定，居民消费价格总水平涨幅在3%以内)
        after = [figure for figure in stated if any(_follows(normalised, end, figure) for _start, end in named)]
        return after[0] if after else None
    return stated[0] if len(stated) == 1 or not groups else None


def _follows(normalised: str, name_end: int, figure: Figure) -> bool:
    """Whether ``figure`` is the indicator's whose name ends at ``name_end``: within reach after it,
    not a difference from another year's."""
    gap = normalised[max(name_end, figure.start - 8) : figure.start]
    return name_end <= figure.start <= name_end + REACH and not _COMPARED.search(gap)


def _respectively(normalised: str, groups: tuple[tuple[str, ...], ...], stated: list[Figure]) -> Figure | None:
    """ "城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内": the k-th indicator named before 分别,
    in its clause, has the k-th figure after it. The indicators of the clauses before do not count:
    in "生产总值增长5%左右，…，城乡居民人均可支配收入分别增长5%、6%" 分别 spreads one indicator
    over two figures, and the growth target is the 5%左右 of the first clause."""
    simplified = normalised
    position = simplified.find("分别")
    if position < 0 or not groups:
        return None
    clause = max((simplified.rfind(mark, 0, position) for mark in CLAUSE_BREAKS + "。"), default=-1) + 1
    named = [group for group in mentioned(simplified[clause:position])]
    wanted = next((number for number, group in enumerate(named) if group in groups), None)
    after = [figure for figure in stated if figure.start > position]
    if wanted is None or len(named) < 2 or len(after) < len(named):
        return None
    return after[wanted]


def clause_of(simplified: str, figure: Figure, groups: Sequence[tuple[str, ...]]) -> tuple[int, int]:
    """``(start, end)`` in a sentence (in simplified script) of the clause that states ``figure``
    (地区生产总值增长5%左右 out of a sentence listing twelve targets): from the break before the last
    name of the indicator (of ``groups``) before the figure, or before the figure itself, to the break
    after it."""
    named = [simplified.rfind(name, 0, figure.start + 1) for group in groups for name in group]
    first = max((where for where in named if where >= 0), default=figure.start)
    left = max((simplified.rfind(mark, 0, first) for mark in CLAUSE_BREAKS), default=-1) + 1
    right = min((where for where in (simplified.find(mark, figure.end) for mark in CLAUSE_BREAKS) if where >= 0),
                default=len(simplified))  # fmt: skip
    return left, right
