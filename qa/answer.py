"""Answer composition: a short extractive answer whose every sentence cites the passage it is from.

The answer is made of the sentences of the top passages that best answer the question, each
followed by the marker ``[n]`` of the hit it came from; passages are the hits themselves, so a
citation cannot drift from its text. When the best passage is not relevant enough, the answer
says so instead of passing weak matches off as an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from qa.retrieval import Filters, Hit, Retriever
from qa.text import asks_for_quantity, bigram_tokens, is_cjk, quantity_starts
from qa.translation import is_english, translate_terms

NOT_FOUND = "没有找到能回答这个问题的段落。No passage in the indexed reports answers this question."

# Below these, the best passage is not taken as an answer (calibrated on the gold questions and
# on off-topic questions; see README "Quality").
# e5 similarities run higher between Chinese texts than across languages, hence two thresholds.
MIN_DENSE_SCORE_CHINESE = 0.875
MIN_DENSE_SCORE_OTHER = 0.76
MIN_TERM_COVERAGE = 0.5
SENTENCE_POOL = 6  # sentences are drawn from this many top passages
QUANTITY_REACH = 6  # a quantity belongs to a term this many characters before it (活动累计1.9万余次)

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*[”’」』）)]*")
_QUESTION_WORDS = {"多少", "什么", "哪些", "如何", "怎么", "怎样", "是否", "哪个", "为什", "么时", "时候", "了多"}


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    marker: int  # 1-based: the hit this sentence came from is hits[marker - 1]
    start: int  # offsets of the sentence within that hit's text
    end: int


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    text: str
    sentences: tuple[AnswerSentence, ...]
    hits: tuple[Hit, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.text,
            "sentences": [{"text": s.text, "marker": s.marker, "start": s.start, "end": s.end} for s in self.sentences],
            "hits": [hit.to_dict() for hit in self.hits],
        }


def answer(
    question: str,
    *,
    retriever: Retriever,
    k: int = 5,
    filters: Filters | None = None,
    max_sentences: int = 2,
) -> Answer:
    hits = retriever.search(question, k=max(k, SENTENCE_POOL), filters=filters)
    terms = question
    if is_english(question):  # match the sentences against the question's Chinese translation
        terms = " ".join(translate_terms(question, retriever.lexical.knows)) or question
    if not hits or not is_relevant(question, hits[0], terms):
        return Answer(question, False, NOT_FOUND, (), tuple(hits[:k]))
    candidates = _candidate_sentences(hits[:SENTENCE_POOL])
    if not candidates:
        return Answer(question, False, NOT_FOUND, (), tuple(hits[:k]))
    scores = _score_sentences(question, terms, candidates, retriever)
    chosen = _choose(candidates, scores, max_sentences)
    hits, chosen = _cited_first(hits, chosen, k)
    text = "".join(f"{sentence.text}[{sentence.marker}]" for sentence in chosen)
    return Answer(question, True, text, tuple(chosen), tuple(hits))


def _cited_first(hits: list[Hit], chosen: list[AnswerSentence], k: int) -> tuple[list[Hit], list[AnswerSentence]]:
    """Put the passages the answer cites first, in the order of the answer, so that [1] is the
    passage of the first sentence; the other hits follow in their retrieval order (k in all)."""
    cited = list(dict.fromkeys(sentence.marker for sentence in chosen))
    order = cited + [number for number in range(1, len(hits) + 1) if number not in cited]
    new_number = {old: new for new, old in enumerate(order, start=1)}
    reordered = [hits[old - 1] for old in order][: max(k, len(cited))]
    renumbered = [replace(sentence, marker=new_number[sentence.marker]) for sentence in chosen]
    return reordered, renumbered


def question_terms(question: str) -> set[str]:
    return {token for token in bigram_tokens(question) if token not in _QUESTION_WORDS}


def term_coverage(question: str, text: str) -> float:
    """Share of the question's terms (bigrams, words, numbers) that occur in ``text``."""
    terms = question_terms(question)
    if not terms:
        return 0.0
    present = set(bigram_tokens(text))
    return len(terms & present) / len(terms)


def quantity_cue(terms: str, text: str, reach: int = QUANTITY_REACH) -> float:
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


def is_relevant(question: str, hit: Hit, terms: str | None = None) -> bool:
    """Whether the best passage is good enough to answer from: similar enough to the question,
    or holding at least half of its terms (of ``terms``: its translation, for an English question)."""
    dense = hit.dense_score or 0.0
    chinese = any(is_cjk(char) for char in question)
    threshold = MIN_DENSE_SCORE_CHINESE if chinese else MIN_DENSE_SCORE_OTHER
    return dense >= threshold or term_coverage(terms or question, hit.text) >= MIN_TERM_COVERAGE


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        if end - start >= 4:
            spans.append((start, end))
    return spans


def _candidate_sentences(hits: list[Hit]) -> list[AnswerSentence]:
    return [
        AnswerSentence(hit.text[start:end], number, start, end)
        for number, hit in enumerate(hits, start=1)
        for start, end in split_sentences(hit.text)
    ]


def _score_sentences(question: str, terms: str, candidates: list[AnswerSentence], retriever: Retriever) -> np.ndarray:
    query = retriever.encode_query(question)[0]
    vectors = retriever.encode_passages([c.text for c in candidates])
    dense = vectors @ query
    lexical = np.array([term_coverage(terms, c.text) for c in candidates])
    numbers = np.array([quantity_cue(terms, c.text) for c in candidates]) if asks_for_quantity(question) else 0.0
    rank_prior = np.array([1.0 / (c.marker + 1) for c in candidates])
    return dense + 0.5 * lexical + 0.08 * numbers + 0.04 * rank_prior


def _choose(candidates: list[AnswerSentence], scores: np.ndarray, max_sentences: int) -> list[AnswerSentence]:
    """The best sentence, plus the next best ones that score close to it. The best sentence's
    passage comes first; sentences of one passage keep their reading order."""
    order = np.argsort(-scores)
    best = scores[order[0]]
    picked = [int(order[0])]
    for position in order[1:]:
        if len(picked) >= max_sentences or scores[position] < best - 0.03:
            break
        picked.append(int(position))
    chosen = [candidates[i] for i in picked]
    passage_order = list(dict.fromkeys(sentence.marker for sentence in chosen))
    return sorted(chosen, key=lambda sentence: (passage_order.index(sentence.marker), sentence.start))
