"""Answer composition: a short extractive answer whose every sentence cites the passage it is from.

The answer is made of the sentences of the top passages that best answer the question, each
followed by the marker ``[n]`` of the hit it came from; passages are the hits themselves, so a
citation cannot drift from its text. When the best passage is not relevant enough, the answer
says so instead of passing weak matches off as an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from qa.answer.config import AnswerConfig
from qa.answer.sentences import is_relevant, quantity_cue, split_sentences, term_coverage
from qa.errors import QuestionError
from qa.retrieval import Filters, Hit, Retriever

NOT_FOUND = "没有找到能回答这个问题的段落。No passage in the indexed reports answers this question."


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    marker: int  # 1-based: the hit this sentence came from is hits[marker - 1]
    start: int  # offsets of the sentence within that hit's text
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "marker": self.marker, "start": self.start, "end": self.end}


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
            "sentences": [sentence.to_dict() for sentence in self.sentences],
            "hits": [hit.to_dict() for hit in self.hits],
        }


def answer(
    question: str,
    *,
    retriever: Retriever,
    k: int = 5,
    filters: Filters | None = None,
    config: AnswerConfig | None = None,
) -> Answer:
    config = config or AnswerConfig()
    if k < 1:
        raise QuestionError("k must be at least 1")
    plan = retriever.plan(question, filters)
    hits = retriever.search_plan(plan, k=max(k, config.sentence_pool), filters=filters)
    terms = plan.translated or plan.text  # an English question is matched by its Chinese translation
    relevant = hits and is_relevant(
        plan.text, hits[0], terms, min_dense_chinese=config.min_dense_chinese,
        min_dense_other=config.min_dense_other, min_term_coverage=config.min_term_coverage,
    )  # fmt: skip
    if not relevant:
        return Answer(plan.text, False, NOT_FOUND, (), tuple(hits[:k]))
    candidates = _candidate_sentences(hits[: config.sentence_pool])
    if not candidates:
        return Answer(plan.text, False, NOT_FOUND, (), tuple(hits[:k]))
    scores = _score_sentences(plan.text, terms, plan.asks_quantity, candidates, retriever, config)
    chosen = _choose(candidates, scores, config)
    cited, chosen = _cited_first(hits, chosen, k)
    text = "".join(f"{sentence.text}[{sentence.marker}]" for sentence in chosen)
    return Answer(plan.text, True, text, tuple(chosen), tuple(cited))


def _cited_first(hits: list[Hit], chosen: list[AnswerSentence], k: int) -> tuple[list[Hit], list[AnswerSentence]]:
    """Put the passages the answer cites first, in the order of the answer, so that [1] is the
    passage of the first sentence; the other hits follow in their retrieval order (k in all)."""
    cited = list(dict.fromkeys(sentence.marker for sentence in chosen))
    order = cited + [number for number in range(1, len(hits) + 1) if number not in cited]
    new_number = {old: new for new, old in enumerate(order, start=1)}
    reordered = [hits[old - 1] for old in order][: max(k, len(cited))]
    renumbered = [replace(sentence, marker=new_number[sentence.marker]) for sentence in chosen]
    return reordered, renumbered


def _candidate_sentences(hits: list[Hit]) -> list[AnswerSentence]:
    return [
        AnswerSentence(hit.text[start:end], number, start, end)
        for number, hit in enumerate(hits, start=1)
        for start, end in split_sentences(hit.text)
    ]


def _score_sentences(
    question: str,
    terms: str,
    asks_quantity: bool,
    candidates: list[AnswerSentence],
    retriever: Retriever,
    config: AnswerConfig,
) -> np.ndarray:
    query = retriever.encode_queries([question])[0]
    vectors = retriever.encode_passages([c.text for c in candidates])
    dense = vectors @ query
    lexical = np.array([term_coverage(terms, c.text) for c in candidates])
    numbers = 0.0
    if asks_quantity:
        numbers = np.array([quantity_cue(terms, c.text, config.quantity_reach) for c in candidates])
    rank_prior = np.array([1.0 / (c.marker + 1) for c in candidates])
    return dense + config.lexical_weight * lexical + config.quantity_weight * numbers + config.rank_weight * rank_prior


def _choose(candidates: list[AnswerSentence], scores: np.ndarray, config: AnswerConfig) -> list[AnswerSentence]:
    """The best sentence, plus the next best ones that score close to it. The best sentence's
    passage comes first; sentences of one passage keep their reading order."""
    order = np.argsort(-scores)
    best = scores[order[0]]
    picked = [int(order[0])]
    for position in order[1:]:
        if len(picked) >= config.max_sentences or scores[position] < best - config.close:
            break
        picked.append(int(position))
    chosen = [candidates[i] for i in picked]
    passage_order = list(dict.fromkeys(sentence.marker for sentence in chosen))
    return sorted(chosen, key=lambda sentence: (passage_order.index(sentence.marker), sentence.start))
