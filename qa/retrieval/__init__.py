"""Retrieval: a question in, cited passages out (see :mod:`qa.retrieval.retriever` for the stages).

``retrieve(question)`` for a one-off question; a :class:`Retriever` opens the index once for many
questions and picks up a newer one (after ``qa index``) on :meth:`Retriever.refresh`.
"""

from qa.errors import QuestionError
from qa.retrieval.config import FUSIONS, MODES, SearchConfig
from qa.retrieval.filters import Filters
from qa.retrieval.results import Citation, Hit, Source
from qa.retrieval.retriever import Found, Retriever, retrieve

__all__ = [
    "FUSIONS",
    "MODES",
    "Citation",
    "Filters",
    "Found",
    "Hit",
    "QuestionError",
    "Retriever",
    "SearchConfig",
    "Source",
    "retrieve",
]
