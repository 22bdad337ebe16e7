"""Each kind of question and its answer function, chosen once per question.

A kind is a type of :mod:`qa.questions.kinds`; its answer function takes the plan, the retriever
and the :class:`~qa.answer.result.Request` and returns an :class:`~qa.answer.result.Answer`. A new
kind adds its entry here (see docs/architecture.md, "Adding a kind").
"""

from __future__ import annotations

from collections.abc import Callable

from qa.answer.figures import answer_compare, answer_each, answer_years
from qa.answer.mentions import answer_mentions
from qa.answer.result import NEEDS_CONTEXT, STARTED_OVER, Answer, Request
from qa.answer.single import answer_single
from qa.answer.targets import answer_target_result
from qa.answer.which import answer_which
from qa.questions import (
    Compare,
    Each,
    FirstMention,
    Kind,
    NeedsContext,
    Plan,
    Single,
    StartOver,
    TargetResult,
    Timeline,
    Which,
    Years,
)
from qa.retrieval import Retriever

AnswerFunction = Callable[[Plan, Retriever, Request], Answer]


def _needs_context(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    return Answer(plan.question, False, NEEDS_CONTEXT.format(question=plan.question), (), (), plan.text, plan.kind)


def _started_over(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    return Answer(plan.question, False, STARTED_OVER, (), (), plan.text, plan.kind)


ANSWERS: dict[type[Kind], AnswerFunction] = {
    Single: answer_single,
    Which: answer_which,
    Each: answer_each,
    Compare: answer_compare,
    Years: answer_years,
    TargetResult: answer_target_result,
    FirstMention: answer_mentions,
    Timeline: answer_mentions,
    StartOver: _started_over,
    NeedsContext: _needs_context,
}


def answer_plan(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """The answer to a question understood (``plan``), by its kind's answer function."""
    return ANSWERS[type(plan.kind)](plan, retriever, request)
