"""Answering a question: understood after the conversation so far, then answered by its kind.

``answer(question, retriever=..., history=[...])`` understands the question (:mod:`qa.questions`:
a follow-up is filled in from the earlier questions) and hands its plan to the answer function of
its kind (:mod:`qa.answer.registry`). A caller that keeps the conversation passes it instead of the
history, and takes the next one from the answer: ``conversation.after(result.plan)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from qa.answer.config import AnswerConfig
from qa.answer.registry import answer_plan
from qa.answer.result import NOT_FOUND, Answer, Request
from qa.errors import QuestionError
from qa.questions import StartOver
from qa.questions.conversation import Conversation
from qa.questions.plan import has_content, matchable
from qa.retrieval import Filters, Retriever

NOT_A_QUESTION = (
    "这不是一个问题：请用文字提问，例如 湖北处理了多少个违规直播间？ "
    "Not a question: it holds no words or numbers; ask e.g. How many livestreams did Hubei close?"
)


def answer(
    question: str,
    *,
    retriever: Retriever,
    k: int = 5,
    filters: Filters | None = None,
    config: AnswerConfig | None = None,
    history: Sequence[str] = (),
    conversation: Conversation | None = None,
) -> Answer:
    """Answer ``question``; ``history`` holds the previous questions of the conversation (oldest
    first), against which a follow-up ("那重庆呢？") is resolved, or ``conversation`` the
    conversation so far (then ``history`` is not read)."""
    if k < 1:
        raise QuestionError("k must be at least 1")
    if isinstance(question, str) and question.strip() and not has_content(question):
        return Answer(question, False, NOT_A_QUESTION, (), ())
    vocabulary = retriever.vocabulary
    if conversation is None:
        conversation = Conversation.of(history, vocabulary)
    plan = conversation.plan(question, vocabulary, region_filtered=bool(filters and filters.region))
    if not isinstance(plan.kind, StartOver) and not matchable(plan):
        # asdfghjkl: no word the reports hold, so no passage is evidence (shown, not cited)
        hits = retriever.search_plan(plan, k=k, filters=filters)
        return Answer(plan.question, False, NOT_FOUND, (), tuple(hits), plan.text, plan.kind, plan=plan)
    result = answer_plan(plan, retriever, Request(k, filters, config or AnswerConfig()))
    return replace(result, question=plan.question, resolved_question=plan.text, plan=plan)
