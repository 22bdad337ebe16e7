"""Planning a search: what the question asks, before any index is touched.

The checked question text, its Chinese translation (English questions), the province it names
(a soft preference) and whether it asks for a quantity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qa.errors import QuestionError
from qa.limits import MAX_QUESTION_CHARS
from qa.regions import mentioned_region
from qa.retrieval.translation import is_english, translate_terms
from qa.text import asks_for_quantity, scrub_surrogates


@dataclass(frozen=True)
class QueryPlan:
    text: str
    translated: str = ""  # Chinese words for an English question's content words
    region: str | None = None  # the one province the question names, preferred in the ranking
    asks_quantity: bool = False

    @property
    def queries(self) -> list[str]:
        """The texts embedded as query vectors: the question, and its translation if any."""
        return [self.text, self.translated] if self.translated else [self.text]

    @property
    def lexical_query(self) -> str:
        return self.translated or self.text


def checked(question: object) -> str:
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("the question is empty: type a question, e.g. 湖北处理了多少个违规直播间？")
    # A lone surrogate (JSON can carry "\ud800") cannot be encoded for the model: replace it.
    return scrub_surrogates(question).strip()[:MAX_QUESTION_CHARS]


def plan_query(question: object, known: Callable[[str], bool], *, region_filtered: bool = False) -> QueryPlan:
    """``known`` tells which Chinese words the index holds (translations keep only those); a
    question already filtered to a region gets no region preference."""
    text = checked(question)
    translated = " ".join(translate_terms(text, known)) if is_english(text) else ""
    region = None if region_filtered else mentioned_region(text + translated)
    return QueryPlan(text, translated, region, asks_for_quantity(text))
