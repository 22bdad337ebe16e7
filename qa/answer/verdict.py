"""Whether a result met its target: the rule, in one place (docs/archive.md, "The verdict").

1. A side missing, or a side without a figure: no verdict.
2. Units: weights are compared in 斤 (吨 = 2000 斤, 公斤 = 2 斤; 万, 亿 multiply); any other units
   must be equal, and a different measure (a surveyed unemployment rate against a registered one)
   is never compared: "not comparable". A result given as a range, or a result "more than X"
   (超过, 以上…) against a ceiling, is not comparable either.
3. The target's bound: a range [low, high]; a single figure is both ends; 左右 (about) widens it
   by 0.2 percentage points for a percentage and by 2 % of the figure otherwise; 以上, 不低于,
   以内 and no qualifier keep the figure itself.
4. A floor (GDP growth, new jobs, grain output) is met when the result is at or above the low end;
   a ceiling (consumer prices, the deficit ratio, unemployment) when it is at or below the high end;
   else missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from qa.answer.values import Figure
from qa.measures import Direction
from qa.quantities import ABOUT

Verdict = Literal["met", "missed", "not_comparable"]
VERDICT_NAMES = {"met": "达成 met", "missed": "未达成 missed", "not_comparable": "不可比 not comparable"}

ABOUT_PERCENT = 0.2  # 左右 widens a percentage target by this many percentage points
ABOUT_SHARE = 0.02  # and any other figure by this share of itself
EPSILON = 1e-9
# Weights in 斤: a figure in another weight unit is converted before it is compared.
WEIGHT_IN_JIN = {"斤": 1.0, "亿斤": 1e8, "万亿斤": 1e12, "公斤": 2.0, "亿公斤": 2e8, "吨": 2000.0, "万吨": 2e7,
                 "亿吨": 2e11}  # fmt: skip
# A result "more than X" says nothing of whether a ceiling held.
MORE_THAN = frozenset({"以上", "不低于", "不少于", "超过", "高于", "多", "余"})


@dataclass(frozen=True)
class Judged:
    """A verdict (None: none can be given), the difference result - target in the target's unit
    (percentage points for a percentage; against the bound that decides, for a range), and the
    rule applied, in words."""

    verdict: Verdict | None
    difference: float | None
    unit: str | None
    reason: str


def _in_common_unit(value: float, unit: str) -> tuple[float, str]:
    if unit in WEIGHT_IN_JIN:
        return value * WEIGHT_IN_JIN[unit], "斤"
    return value, unit


def bounds(target: Figure) -> tuple[float, float]:
    """The target's [low, high] in its own unit, 左右 widened."""
    low, high = target.value if isinstance(target.value, tuple) else (target.value, target.value)
    if target.qualifier == ABOUT:
        tolerance = ABOUT_PERCENT if target.unit == "%" else ABOUT_SHARE * abs(low)
        low, high = low - tolerance, high + tolerance
    return low, high


def judge(direction: Direction, target: Figure | None, result: Figure | None, *, same_measure: bool = True) -> Judged:
    """The verdict of ``result`` against ``target`` for a measure of ``direction``."""
    if target is None or result is None:
        return Judged(None, None, None, "一方缺失 a side is missing: no verdict")
    if not same_measure:
        return Judged("not_comparable", None, None, "口径不同 different measures (e.g. surveyed vs registered)")
    if isinstance(result.value, tuple):
        return Judged("not_comparable", None, None, "结果是区间 the result is a range")
    target_unit = _in_common_unit(1.0, target.unit)[1]
    value, result_unit = _in_common_unit(result.value, result.unit)
    if target_unit != result_unit:
        return Judged("not_comparable", None, None, f"单位不同 units differ ({target.unit} vs {result.unit})")
    if direction == "ceiling" and result.qualifier in MORE_THAN:
        return Judged("not_comparable", None, None, f"结果为“{result.qualifier}”，无法判断上限 a 'more than' result")
    low, high = (_in_common_unit(bound, target.unit)[0] for bound in bounds(target))
    stated = target.value if not isinstance(target.value, tuple) else target.value[0 if direction == "floor" else 1]
    scale = _in_common_unit(1.0, target.unit)[0]
    difference = round(value / scale - stated, 6)
    unit = "个百分点" if target.unit == "%" else target.unit
    if direction == "floor":
        met = value >= low - EPSILON
        rule = f"下限 floor: 实际 ≥ {low / scale:g}{target.unit}"
    else:
        met = value <= high + EPSILON
        rule = f"上限 ceiling: 实际 ≤ {high / scale:g}{target.unit}"
    return Judged("met" if met else "missed", difference, unit, rule)
