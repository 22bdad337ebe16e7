"""Answers: a short extractive answer whose every sentence cites its passage (:mod:`qa.answer.compose`)."""

from qa.answer.compose import NOT_FOUND, Answer, AnswerSentence, answer
from qa.answer.config import AnswerConfig
from qa.answer.sentences import quantity_cue, question_terms, split_sentences, term_coverage

__all__ = [
    "NOT_FOUND",
    "Answer",
    "AnswerConfig",
    "AnswerSentence",
    "answer",
    "quantity_cue",
    "question_terms",
    "split_sentences",
    "term_coverage",
]
