"""Whether a sentence sets a target or reports what was achieved: its stance, against a question's basis.

A government work report of year Y sets Y's targets and reviews Y-1; a question asks for one or the
other (:func:`qa.years.basis`), and a sentence that says the other thing does not answer it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.quantities import HELD_AT, PLAN_BOUNDS, alternatives
from qa.text import to_simplified
from qa.years import basis as question_basis_of

# Whether a sentence (with its section path) sets a target or reports what was achieved; a budget
# is set by 拟 and 安排 (拟安排地方政府专项债券3.9万亿元, 安排地方专项债券4000亿元).
_TARGET_WORDS = re.compile(
    r"目标|预期目标|预期增长|力争|计划|确保|今年|明年|拟|安排|将(?:超过|达到|突破|实现|增长|提高|翻)"
)
# A bound that marks a planned figure; 控制在/保持在/稳定在 also report a figure held (涨幅控制在3.3%).
_PLAN_BOUNDS = re.compile(alternatives(PLAN_BOUNDS))
_BOUNDS = re.compile(alternatives(PLAN_BOUNDS + HELD_AT))
_REVIEW_CUES = re.compile(
    r"回顾|过去一年|过去五年|上一年|去年|工作总结|实现了|完成了|达到了|同比|比上年|符合预期|预计|突破|创.{0,6}新高|[高低]于全国"
)
# The part of a report that sets the year's work (二、2025年工作安排, 三、2025年重点工作, 主要目标任务,
# 总体部署, 对2018年政府工作的建议): a sentence there plans, unless its own words review.
_PLAN_SECTION = re.compile(
    r"工作安排|重点工作|重点任务|主要任务|目标任务|总体部署|总体要求|工作思路|主要工作|工作的建议"
)
# A question that says neither target nor result but names the year it asks of: the report's own
# year plans (今年, this year, 明年), the year before it is reviewed (去年, last year, did).
_QUESTION_PLANS = re.compile(r"今年|明年|本年|将要|打算|this year|next year|\bwill\b|\bgoing to\b", re.I)
_QUESTION_REVIEWS = re.compile(
    r"去年|上年|过去一年|已经|last year|previous year|past year|\bdid\b|\bhas\b|\bhave\b", re.I
)
_EXPECTED = re.compile(r"\bexpect", re.I)
# Indicators whose name holds a target word (预期寿命: life expectancy).
_NAMES_SAYING_TARGET = re.compile(r"预期寿命")
_TARGET_SAID = re.compile(r"目标|预期|计划|力争|target|goal|plan|aim", re.I)
# "超过全年预期目标", "完成年度目标": a target met, said in a review.
# (完成国家下达目标 in a list of targets is still to be done: only the past tense counts.)
_TARGET_MET = re.compile(r"超过[^，。；]{0,6}目标|超额完成|(?:完成|实现|达到)了[^，。；]{0,6}目标|好于预期")
# In the review part of a report the past tense goes unsaid: 顺利完成全年经济社会发展主要目标任务.
_TARGET_REACHED = re.compile(r"(?:完成|实现|达到|达成)[^，。；]{0,12}目标")


@dataclass(frozen=True)
class Stance:
    """Whether a sentence sets a target (目标, 力争), states a bound (左右, 以上) or reports what
    was achieved (回顾, 同比, 突破) — its section path counts for the last."""

    target: bool
    bound: bool
    review: bool
    plan_bound: bool
    planned: bool = False  # said in the part of the report that sets the year's work

    @classmethod
    def of(cls, sentence: str, section: str = "") -> Stance:
        return cls.read(to_simplified(sentence), to_simplified(section))

    @classmethod
    def read(cls, said: str, placed: str) -> Stance:
        """:meth:`of` a sentence and its section path already in simplified script."""
        met = bool(_TARGET_MET.search(said) or _REVIEW_CUES.search(placed) and _TARGET_REACHED.search(said))
        review = met or bool(_REVIEW_CUES.search(said) or _REVIEW_CUES.search(placed))
        target = bool(_TARGET_WORDS.search(said)) and not met
        planned = bool(_PLAN_SECTION.search(placed)) and not _REVIEW_CUES.search(placed)
        return cls(target, bool(_BOUNDS.search(said)), review, bool(_PLAN_BOUNDS.search(said)), planned)

    def against(self, question_basis: str) -> bool:
        """Whether the sentence says the other thing than the question asks: what was achieved
        for a target question, a target or a planned bound for a question about what was achieved."""
        if question_basis == "target":
            return self.review and not self.target
        if question_basis == "actual":  # 覆盖率达60%以上 outside a review is a plan's bound
            return (self.target or self.plan_bound or self.planned) and not self.review
        return False


def question_basis(basis: str, question: str) -> str:
    """A question's basis (:func:`qa.years.basis`), or, when that says neither, the one its time
    words or tense say: 今年/this year/will plan, 去年/last year/did review. English "expected"
    alone says neither: the reports' 预期 sets a target, their 预计 estimates a year just ended."""
    if basis == "target" and _EXPECTED.search(question) and not _TARGET_SAID.search(question):
        basis = "unknown"
    if basis == "target" and _NAMES_SAYING_TARGET.search(question):  # 人均预期寿命: a name, no target
        basis = question_basis_of(_NAMES_SAYING_TARGET.sub("", question))
    if basis != "unknown":
        return basis
    if _QUESTION_REVIEWS.search(question):
        return "actual"
    if _QUESTION_PLANS.search(question):
        return "target"
    return basis
