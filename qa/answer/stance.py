"""Whether a sentence sets a target or reports what was achieved: its stance, against a question's basis.

A government work report of year Y sets Y's targets and reviews Y-1; a question asks for one or the
other (:func:`qa.years.basis`), and a sentence that says the other thing does not answer it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.quantities import HELD_AT, PLAN_BOUNDS, alternatives
from qa.text import to_simplified

# Whether a sentence (with its section path) sets a target or reports what was achieved.
_TARGET_WORDS = re.compile(r"目标|预期目标|预期增长|力争|计划|确保|今年|明年|将(?:超过|达到|突破|实现|增长|提高|翻)")
# A bound that marks a planned figure; 控制在/保持在/稳定在 also report a figure held (涨幅控制在3.3%).
_PLAN_BOUNDS = re.compile(alternatives(PLAN_BOUNDS))
_BOUNDS = re.compile(alternatives(PLAN_BOUNDS + HELD_AT))
_REVIEW_CUES = re.compile(
    r"回顾|过去一年|过去五年|上一年|去年|工作总结|实现了|完成了|达到了|同比|比上年|符合预期|预计|突破|创.{0,6}新高|[高低]于全国"
)
# "超过全年预期目标", "完成年度目标": a target met, said in a review.
# (完成国家下达目标 in a list of targets is still to be done: only the past tense counts.)
_TARGET_MET = re.compile(r"超过[^，。；]{0,6}目标|超额完成|(?:完成|实现|达到)了[^，。；]{0,6}目标|好于预期")


@dataclass(frozen=True)
class Stance:
    """Whether a sentence sets a target (目标, 力争), states a bound (左右, 以上) or reports what
    was achieved (回顾, 同比, 突破) — its section path counts for the last."""

    target: bool
    bound: bool
    review: bool
    plan_bound: bool

    @classmethod
    def of(cls, sentence: str, section: str = "") -> Stance:
        return cls.read(to_simplified(sentence), to_simplified(section))

    @classmethod
    def read(cls, said: str, placed: str) -> Stance:
        """:meth:`of` a sentence and its section path already in simplified script."""
        met = bool(_TARGET_MET.search(said))
        review = met or bool(_REVIEW_CUES.search(said) or _REVIEW_CUES.search(placed))
        target = bool(_TARGET_WORDS.search(said)) and not met
        return cls(target, bool(_BOUNDS.search(said)), review, bool(_PLAN_BOUNDS.search(said)))

    def against(self, question_basis: str) -> bool:
        """Whether the sentence says the other thing than the question asks: what was achieved
        for a target question, a target or a planned bound for a question about what was achieved."""
        if question_basis == "target":
            return self.review and not self.target
        if question_basis == "actual":  # 覆盖率达60%以上 outside a review is a plan's bound
            return (self.target or self.plan_bound) and not self.review
        return False
