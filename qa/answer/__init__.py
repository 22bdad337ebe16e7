"""Answers: a question understood (:mod:`qa.questions`), answered by its kind, every sentence cited.

:func:`answer` (:mod:`qa.answer.compose`) -> the kind's answer function (:mod:`qa.answer.registry`):
:mod:`~qa.answer.single` for one answer from the best passages, :mod:`~qa.answer.which` and
:mod:`~qa.answer.figures` for rows across reports (:mod:`~qa.answer.rows`).
"""

from qa.answer.compose import answer
from qa.answer.config import AnswerConfig
from qa.answer.result import NOT_FOUND, STARTED_OVER, Answer, AnswerSentence, Request, Row
from qa.answer.sentences import quantity_cue, split_sentences, term_coverage
from qa.questions import Conversation, question_terms

__all__ = [
    "NOT_FOUND",
    "STARTED_OVER",
    "Answer",
    "AnswerConfig",
    "AnswerSentence",
    "Conversation",
    "Request",
    "Row",
    "answer",
    "quantity_cue",
    "question_terms",
    "split_sentences",
    "term_coverage",
]
