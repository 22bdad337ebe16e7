"""Sentences of a passage and the signals that tell which of them answers a question."""

from __future__ import annotations

import re

from qa.retrieval import Hit
from qa.text import bigram_tokens, is_cjk, quantity_starts

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*[”’」』）)]*")
_QUESTION_WORDS = {"多少", "什么", "哪些", "如何", "怎么", "怎样", "是否", "哪个", "为什", "么时", "时候", "了多"}


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        if end - start >= 4:
            spans.append((start, end))
    return spans


def question_terms(question: str) -> set[str]:
    return {token for token in bigram_tokens(question) if token not in _QUESTION_WORDS}


def term_coverage(question: str, text: str) -> float:
    """Share of the question's terms (bigrams, words, numbers) that occur in ``text``."""
    terms = question_terms(question)
    if not terms:
        return 0.0
    present = set(bigram_tokens(text))
    return len(terms & present) / len(terms)


def quantity_cue(terms: str, text: str, reach: int = 6) -> float:
    """For a how-many question: 1 when ``text`` states a quantity right after one of the question's
    terms (直播间5263个, 活动累计1.9万余次), 0.5 for a quantity elsewhere, 0 for none."""
    starts = quantity_starts(text)
    if not starts:
        return 0.0
    wanted = question_terms(terms)
    for start in starts:  # bigram_tokens simplifies, and t2s keeps offsets
        if wanted & set(bigram_tokens(text[max(0, start - reach) : start])):
            return 1.0
    return 0.5


def is_relevant(question: str, hit: Hit, terms: str, *, min_dense_chinese: float, min_dense_other: float,
                min_term_coverage: float) -> bool:  # fmt: skip
    """Whether the best passage is good enough to answer from: similar enough to the question, or
    holding enough of its terms (of ``terms``: its translation, for an English question)."""
    dense = hit.dense_score or 0.0
    chinese = any(is_cjk(char) for char in question)
    threshold = min_dense_chinese if chinese else min_dense_other
    return dense >= threshold or term_coverage(terms or question, hit.text) >= min_term_coverage
