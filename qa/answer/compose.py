"""Answer composition: a short extractive answer whose every sentence cites the passage it is from.

The answer is made of the sentences of the top passages that best answer the question, each
followed by the marker ``[n]`` of the hit it came from; passages are the hits themselves, so a
citation cannot drift from its text. When the best passage is not relevant enough, the answer
says so instead of passing weak matches off as an answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from qa.answer.config import AnswerConfig
from qa.answer.conversation import resolve_history
from qa.answer.rows import Row, cross_report
from qa.answer.sentences import (
    Stance,
    is_relevant,
    quantity_cue,
    rare_term_coverage,
    split_sentences,
    term_coverage,
)
from qa.errors import QuestionError
from qa.retrieval import Filters, Hit, QueryPlan, Retriever
from qa.text import quantity_starts

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
    """``question`` as typed, ``resolved_question`` as understood (a follow-up filled in from the
    conversation); ``kind`` "single", or one across reports ("which", "each", "compare", "years")
    with one :class:`~qa.answer.rows.Row` per report, region or year."""

    question: str
    found: bool
    text: str
    sentences: tuple[AnswerSentence, ...]
    hits: tuple[Hit, ...]
    resolved_question: str = ""
    kind: str = "single"
    rows: tuple[Row, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "resolved_question": self.resolved_question or self.question,
            "kind": self.kind,
            "found": self.found,
            "answer": self.text,
            "sentences": [sentence.to_dict() for sentence in self.sentences],
            "rows": [row.to_dict() for row in self.rows],
            "hits": [hit.to_dict() for hit in self.hits],
        }


STARTED_OVER = "已重新开始，请提出新问题。Started over: ask a new question."
NEEDS_CONTEXT = ("「{question}」是追问，但前面没有可接的问题：请把问题问完整（问什么、哪个地区、哪一年）。"
                 "This follows up on a question, but there is none before it: ask the whole question "
                 "(what, where, which year).")  # fmt: skip


def answer(
    question: str,
    *,
    retriever: Retriever,
    k: int = 5,
    filters: Filters | None = None,
    config: AnswerConfig | None = None,
    history: Sequence[str] = (),
) -> Answer:
    """Answer ``question``; ``history`` holds the previous questions of the conversation (oldest
    first), against which a follow-up ("那重庆呢？") is resolved."""
    config = config or AnswerConfig()
    if k < 1:
        raise QuestionError("k must be at least 1")
    years = retriever.manifest.years
    resolution = resolve_history(question, list(history), known=retriever.knows, newest=max(years) if years else None)
    if resolution.kind == "start_over":
        return Answer(resolution.question, False, STARTED_OVER, (), (), resolution.resolved, "start_over")
    if resolution.kind == "needs_context":
        return Answer(resolution.question, False, NEEDS_CONTEXT.format(question=resolution.question), (), (),
                      resolution.resolved, "needs_context")  # fmt: skip
    plan = retriever.plan(resolution.resolved, filters)
    if plan.across_reports:
        return _across_reports(resolution.question, plan, retriever, filters, config)
    result = _single(plan, retriever, k, filters, config)
    return replace(result, question=resolution.question, resolved_question=plan.text)


def _single(plan: QueryPlan, retriever: Retriever, k: int, filters: Filters | None, config: AnswerConfig) -> Answer:
    hits = retriever.search_plan(plan, k=max(k, config.sentence_pool), filters=filters)
    terms = plan.translated or plan.text  # an English question is matched by its Chinese translation
    pool = _of_named_region(plan, hits, retriever)
    if pool is not None and not pool:
        return Answer(plan.text, False, _not_stated_in(plan), (), _nearest(plan, hits, retriever, k, filters))
    pool = _of_asked_year(plan, pool or hits, retriever, k=max(k, config.sentence_pool), filters=filters)
    chinese, other = config.thresholds_for(retriever.manifest.encoder.name)
    relevant = any(
        is_relevant(plan.text, hit, terms, min_dense_chinese=chinese, min_dense_other=other,
                    min_term_coverage=config.min_term_coverage)
        for hit in pool[: config.relevance_depth]
    )  # fmt: skip
    if not relevant:
        message = _not_stated_in(plan) if pool is not hits else NOT_FOUND
        return Answer(plan.text, False, message, (), _nearest(plan, hits, retriever, k, filters))
    ordered = pool + [hit for hit in hits if hit not in pool]
    candidates = _candidate_sentences(ordered[: config.sentence_pool], limit=len(pool))
    on_basis = [c for c in candidates if not Stance.of(c.text, " ".join(ordered[c.marker - 1].citation.section))
                .against(plan.basis)]  # fmt: skip
    candidates = on_basis or candidates  # a target question is not answered by what was achieved, nor the reverse
    if not candidates:
        return Answer(plan.text, False, NOT_FOUND, (), _nearest(plan, hits, retriever, k, filters))
    embed_below = config.embed_below_for(retriever.manifest.encoder.name)
    if not config.sentence_vectors and _best_coverage(terms, candidates) < embed_below:
        config = config.embedded()  # a paraphrase: no sentence holds enough of its words
        candidates = _worth_embedding(plan.asks_quantity, candidates, config.embed_limit)
    scores = _score_sentences(plan.text, terms, plan.asks_quantity, ordered, candidates, retriever, config)
    chosen = _choose(candidates, scores, config)
    cited, chosen = _cited_first(ordered, chosen, k)
    text = "".join(f"{sentence.text}[{sentence.marker}]" for sentence in chosen)
    return Answer(plan.text, True, text, tuple(chosen), tuple(cited))


def _nearest(plan: QueryPlan, hits: list[Hit], retriever: Retriever, k: int,
             filters: Filters | None) -> tuple[Hit, ...]:  # fmt: skip
    """The passages beside a not-found answer: for a question naming a region whose reports are in
    the index, that region's nearest passages only (from a search of its reports when none is among
    the hits), since another region's passage shown first reads as the answer ("那贵州呢？" after
    Hubei's 5263 must not lead with Hubei's 5263); else the hits."""
    region = plan.region
    if region is None or not any(entry.region == region for entry in retriever.manifest.documents.values()):
        return tuple(hits[:k])
    own = [hit for hit in hits if hit.citation.region == region]
    if not own:
        own = retriever.search_plan(plan, k=k, filters=replace(filters or Filters(), region=region))
    return tuple(own[:k])


def _of_named_region(plan: QueryPlan, hits: list[Hit], retriever: Retriever) -> list[Hit] | None:
    """For a question naming one province whose reports are in the index: its passages among the
    hits (the answer comes from them, or says that province's reports do not state it); None for
    any other question."""
    region = plan.region
    if region is None or not any(entry.region == region for entry in retriever.manifest.documents.values()):
        return None
    return [hit for hit in hits if hit.citation.region == region]


def _of_asked_year(plan: QueryPlan, hits: list[Hit], retriever: Retriever, *, k: int,
                   filters: Filters | None) -> list[Hit]:  # fmt: skip
    """For a question about one year over several years of government reports: the passages of the
    report that answers it (a target of Y in Y's report, what Y achieved in Y+1's), from the hits
    or, when none of them is from it, from a search of that year's reports. The search only prefers
    them, and a 2013 sentence saying "今年的经济增长目标" must not answer "2024年的经济增长目标是多少？"
    nor "今年…" asked in 2025. Without such reports: the hits as they are."""
    years = retriever.answering_years(plan)
    if not years:
        return hits
    documents = retriever.manifest.documents
    kept = [hit for hit in hits if (entry := documents.get(hit.citation.file)) and entry.shown_year in years]
    if kept or (filters and filters.year):
        return kept or hits
    found = retriever.search_plan(plan, k=k, filters=replace(filters or Filters(), year=min(years)))
    return [hit for hit in found if hit.citation.region == plan.region] if plan.region else found


def _not_stated_in(plan: QueryPlan) -> str:
    region = plan.region or ""
    return f"{region}的报告中没有找到能回答这个问题的段落。No passage in the reports of {region} answers this question."


def _across_reports(question: str, plan: QueryPlan, retriever: Retriever, filters: Filters | None,
                    config: AnswerConfig) -> Answer:  # fmt: skip
    table = cross_report(plan, retriever, filters, config)
    sentences = tuple(
        AnswerSentence(row.sentence, row.marker, row.start, row.end)
        for row in table.rows
        if row.found and row.sentence is not None and row.marker is not None and row.start is not None
        and row.end is not None
    )  # fmt: skip
    lines = [table.summary] + [f"{row.label}：{row.sentence}[{row.marker}]" for row in table.rows if row.found]
    return Answer(question, bool(sentences), "\n".join(lines), sentences, table.hits, plan.text, table.kind,
                  table.rows)  # fmt: skip


def _cited_first(hits: list[Hit], chosen: list[AnswerSentence], k: int) -> tuple[list[Hit], list[AnswerSentence]]:
    """Put the passages the answer cites first, in the order of the answer, so that [1] is the
    passage of the first sentence; the other hits follow in their retrieval order (k in all)."""
    cited = list(dict.fromkeys(sentence.marker for sentence in chosen))
    order = cited + [number for number in range(1, len(hits) + 1) if number not in cited]
    new_number = {old: new for new, old in enumerate(order, start=1)}
    reordered = [hits[old - 1] for old in order][: max(k, len(cited))]
    renumbered = [replace(sentence, marker=new_number[sentence.marker]) for sentence in chosen]
    return reordered, renumbered


def _candidate_sentences(hits: list[Hit], limit: int | None = None) -> list[AnswerSentence]:
    """The sentences of the hits (of the first ``limit`` of them: a named region's passages)."""
    return [
        AnswerSentence(hit.text[start:end], number, start, end)
        for number, hit in enumerate(hits[:limit] if limit else hits, start=1)
        for start, end in split_sentences(hit.text)
    ]


def _best_coverage(terms: str, candidates: list[AnswerSentence]) -> float:
    return max((term_coverage(terms, c.text) for c in candidates), default=0.0)


def _worth_embedding(asks_quantity: bool, candidates: list[AnswerSentence], limit: int) -> list[AnswerSentence]:
    """At most ``limit`` candidates, in passage order: for a how-much question those stating a
    quantity come first (an answer to 多少 states one)."""
    if asks_quantity:  # a stable sort: passage order within each group
        candidates = sorted(candidates, key=lambda c: not quantity_starts(c.text))
    return candidates[:limit]


def _score_sentences(
    question: str,
    terms: str,
    asks_quantity: bool,
    hits: list[Hit],
    candidates: list[AnswerSentence],
    retriever: Retriever,
    config: AnswerConfig,
) -> np.ndarray:
    lexical = np.array([term_coverage(terms, c.text) for c in candidates])
    if config.sentence_vectors:
        query = retriever.encode_queries([question])[0]
        dense = retriever.encode_passages([c.text for c in candidates]) @ query
    else:
        dense = rare_term_coverage(terms, [c.text for c in candidates])
    numbers = 0.0
    if asks_quantity:
        numbers = np.array([quantity_cue(terms, c.text, config.quantity_reach) for c in candidates])
    rank_prior = np.array([1.0 / (c.marker + 1) for c in candidates])
    score = dense + config.lexical_weight * lexical + config.quantity_weight * numbers + config.rank_weight * rank_prior
    if not config.sentence_vectors and config.passage_weight:
        best = max(hit.score for hit in hits) or 1.0
        score = score + config.passage_weight * np.array([hits[c.marker - 1].score / best for c in candidates])
    return score


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
