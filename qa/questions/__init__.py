"""Understanding questions: a question and the conversation so far in, one typed, frozen plan out.

:class:`Conversation` (the state, turn by turn) -> :mod:`~qa.questions.followups` (a follow-up filled
in) -> :class:`Plan` (:mod:`~qa.questions.plan`: text, regions, years, kind...), with the kinds in
:mod:`~qa.questions.kinds` and English questions translated by :mod:`~qa.questions.translation`.
Nothing here touches an index: retrieval takes a plan, and each kind's answer is in :mod:`qa.answer`.
"""

from qa.questions.conversation import START_OVER, Conversation
from qa.questions.kinds import (
    Compare,
    Each,
    FirstMention,
    Kind,
    NeedsContext,
    Single,
    StartOver,
    TargetResult,
    Timeline,
    Which,
    Years,
)
from qa.questions.plan import Plan, Subject, Vocabulary, checked, plan_question, question_terms

__all__ = [
    "START_OVER",
    "Compare",
    "Conversation",
    "Each",
    "FirstMention",
    "Kind",
    "NeedsContext",
    "Plan",
    "Single",
    "StartOver",
    "Subject",
    "TargetResult",
    "Timeline",
    "Vocabulary",
    "Which",
    "Years",
    "checked",
    "plan_question",
    "question_terms",
]
