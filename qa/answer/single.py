"""The answer to a single question: a short extractive answer from the best passages.

The answer is made of the sentences of the top passages that best answer the question, each
followed by the marker ``[n]`` of the hit it came from. The passages of the reports the question
points at (its province, its year's report: :meth:`qa.retrieval.Retriever.find`) come first. When
no passage is relevant enough, the answer says so instead of passing weak matches off as an answer.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from qa.answer.config import AnswerConfig
from qa.answer.result import NOT_FOUND, UNRENDERED, Answer, AnswerSentence, Request
from qa.answer.sentences import is_relevant, phrase_coverage, quantity_cue, rare_term_coverage, term_coverage
from qa.answer.stance import Stance, question_basis
from qa.quantities import quantity_starts
from qa.questions import Plan
from qa.retrieval import Filters, Hit, Retriever
from qa.retrieval.retriever import Found
from qa.text import split_sentences, to_simplified


def answer_single(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    config = request.config
    k = request.k
    found = retriever.find(plan, k=max(k, config.sentence_pool), filters=request.filters)
    hits, pool = found.hits, found.pool
    absent = plan.region if plan.region is not None and not _indexed(plan.region, retriever) else None
    if absent is not None:  # no report of the region it names: only a passage naming it may answer (台湾问题)
        hits, pool = _naming(hits, absent), _naming(pool, absent)
        if not pool:  # 那台湾呢？ after Hubei's question is not answered by Hubei's 5263
            return Answer(plan.text, False, _no_report_of(absent, pool), (), tuple(hits[:k]))
    ordered = pool + [hit for hit in hits if hit not in pool]
    candidates = _candidate_sentences(ordered[: config.sentence_pool], limit=len(pool))
    meaning = _meaning(retriever, found, ordered, candidates)
    best = float(np.nanmax(meaning)) if meaning is not None else None
    if not _answerable(plan, retriever, pool, meaning, config):
        if plan.unrendered and not absent:  # words not understood: no finding that the reports do not say it
            quoted = [f"“{word}”" for word in plan.unrendered]
            message = UNRENDERED.format(words_zh="、".join(quoted), words_en=", ".join(quoted))
            return Answer(plan.text, False, message, (), _nearest(plan, hits, retriever, request), meaning=best,
                          unrendered=plan.unrendered)  # fmt: skip
        message = (_no_report_of(absent, pool) if absent else
                   _not_stated_in(plan) if found.narrowed and plan.region else NOT_FOUND)  # fmt: skip
        return Answer(plan.text, False, message, (), _nearest(plan, hits, retriever, request), meaning=best)
    chosen = choose_sentences(plan, ordered, candidates, meaning, retriever, config)
    if not chosen:
        return Answer(plan.text, False, NOT_FOUND, (), _nearest(plan, hits, retriever, request), meaning=best)
    cited, chosen = _cited_first(ordered, chosen, k)
    text = "".join(f"{sentence.text}[{sentence.marker}]" for sentence in chosen)
    return Answer(plan.text, True, text, tuple(chosen), tuple(cited), meaning=best)


def choose_sentences(plan: Plan, ordered: list[Hit], candidates: list[AnswerSentence], meaning: np.ndarray | None,
                     retriever: Retriever, config: AnswerConfig) -> list[AnswerSentence]:  # fmt: skip
    """The sentences that answer the question, out of the candidates of the passages found
    (``ordered``; ``meaning``: their stored cosines with the question, when the index has them)."""
    asked = question_basis(plan.basis, plan.simplified) if config.time_words else plan.basis
    kept = [position for position, c in enumerate(candidates)
            if not Stance.of(c.text, " ".join(ordered[c.marker - 1].citation.section)).against(asked)]  # fmt: skip
    if not candidates:
        return []
    if meaning is not None and config.score_before_stance:
        # scored among all the candidates (the meaning's spread and the terms' rarity are theirs),
        # then those saying the other thing than the question asks are set aside
        scores = _score_sentences(plan, ordered, candidates, retriever, config, meaning)
        if kept:
            candidates, scores = [candidates[position] for position in kept], scores[kept]
        return _choose(candidates, scores, config)
    if kept:  # a target question is not answered by what was achieved, nor the reverse
        candidates = [candidates[position] for position in kept]
        meaning = meaning[kept] if meaning is not None else None
    embed_below = config.embed_below_for(retriever.manifest.encoder.name)
    if meaning is None and not config.sentence_vectors and _best_coverage(plan.terms, candidates) < embed_below:
        config = config.embedded()  # a paraphrase: no sentence holds enough of its words
        candidates = _worth_embedding(plan.asks_quantity, candidates, config.embed_limit)
    scores = _score_sentences(plan, ordered, candidates, retriever, config, meaning)
    return _choose(candidates, scores, config)


def _meaning(retriever: Retriever, found: Found, hits: list[Hit],
             candidates: list[AnswerSentence]) -> np.ndarray | None:  # fmt: skip
    """Each candidate sentence's cosine with the question, from the index's stored sentence vectors
    (no encoder call: the question's vectors are the search's); None without them."""
    if found.vectors is None or not candidates or not retriever.has_sentence_vectors():
        return None
    spans = [(hits[c.marker - 1].chunk_id, c.start, c.end) for c in candidates]
    similarities = retriever.sentence_similarities(found.vectors, spans)
    return None if np.isnan(similarities).all() else similarities


def _answerable(plan: Plan, retriever: Retriever, pool: list[Hit], meaning: np.ndarray | None,
                config: AnswerConfig) -> bool:  # fmt: skip
    """Whether the passages found answer the question. With sentence vectors: a sentence of them
    means the question (its cosine reaches the encoder's threshold, calibrated on off-topic
    questions), or a passage passes the checks below; "not stated" is never said from the
    question's words missing alone. Without: a top passage is similar enough to the question, or
    holds enough of its terms."""
    encoder = retriever.manifest.encoder.name
    if meaning is not None:
        threshold = config.meaning_threshold_for(encoder, english=plan.english)
        if float(np.nanmax(meaning)) >= threshold:
            return True
    chinese, other = config.thresholds_for(encoder)
    parts = plan.translated_parts if plan.english and config.english_phrases else ()
    return any(
        is_relevant(plan.text, hit, plan.terms, min_dense_chinese=chinese, min_dense_other=other,
                    min_term_coverage=config.min_term_coverage, parts=parts)
        for hit in pool[: config.relevance_depth]
    )  # fmt: skip


def _nearest(plan: Plan, hits: list[Hit], retriever: Retriever, request: Request) -> tuple[Hit, ...]:
    """The passages beside a not-found answer: for a question naming a region whose reports are in
    the index, that region's nearest passages only (from a search of its reports when none is among
    the hits), since another region's passage shown first reads as the answer ("那贵州呢？" after
    Hubei's 5263 must not lead with Hubei's 5263); else the hits."""
    region, k = plan.region, request.k
    if region is None or not _indexed(region, retriever):
        return tuple(hits[:k])
    own = [hit for hit in hits if hit.citation.region == region]
    if not own:
        own = retriever.search_plan(plan, k=k, filters=replace(request.filters or Filters(), region=region))
    return tuple(own[:k])


def _indexed(region: str, retriever: Retriever) -> bool:
    """Whether the index holds a report of ``region``."""
    return any(entry.region == region for entry in retriever.manifest.documents.values())


def _naming(hits: list[Hit], region: str) -> list[Hit]:
    """The passages that name ``region`` (in their text or their report's title)."""
    return [hit for hit in hits if region in to_simplified(hit.text) or region in to_simplified(hit.citation.title)]


def _no_report_of(region: str, naming: list[Hit]) -> str:
    """Not found, for a question about a region the index holds no report of: whether any passage
    even names it (``naming``: those that do)."""
    if not naming:
        return (f"索引中没有{region}的报告，也没有段落提到{region}。"
                f"The index holds no report of {region}, and no passage mentions {region}.")  # fmt: skip
    return (f"索引中没有{region}的报告，提到{region}的段落也没有回答这个问题。"
            f"The index holds no report of {region}, and no passage mentioning {region} answers it.")  # fmt: skip


def _not_stated_in(plan: Plan) -> str:
    region = plan.region or ""
    return f"{region}的报告中没有找到能回答这个问题的段落。No passage in the reports of {region} answers this question."


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


def _best_coverage(terms: frozenset[str], candidates: list[AnswerSentence]) -> float:
    return max((term_coverage(terms, c.text) for c in candidates), default=0.0)


def _worth_embedding(asks_quantity: bool, candidates: list[AnswerSentence], limit: int) -> list[AnswerSentence]:
    """At most ``limit`` candidates, in passage order: for a how-much question those stating a
    quantity come first (an answer to 多少 states one)."""
    if asks_quantity:  # a stable sort: passage order within each group
        candidates = sorted(candidates, key=lambda c: not quantity_starts(c.text))
    return candidates[:limit]


def _score_sentences(plan: Plan, hits: list[Hit], candidates: list[AnswerSentence], retriever: Retriever,
                     config: AnswerConfig, meaning: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """Each candidate's score: its meaning (the stored sentence vector's cosine with the question),
    or the rarity-weighted share of the question's terms it holds, or (the paraphrase fallback)
    its cosine embedded now; plus its terms, its quantity, its passage's rank and score."""
    terms = plan.terms
    texts = [c.text for c in candidates]
    lexical = np.array([term_coverage(terms, text) for text in texts])
    if meaning is not None:
        rare = rare_term_coverage(terms, texts)
        if plan.english and plan.translated_parts and config.english_phrases:  # by phrase, not by bigram
            rare = phrase_coverage(plan.translated_parts, texts)
        known = np.where(np.isnan(meaning), np.nanmin(meaning), meaning)
        if config.meaning_spread:
            known = (known - known.min()) / max(float(known.max() - known.min()), 1e-6)
        dense = config.meaning_weight * known + config.rare_weight * rare
    elif config.sentence_vectors:
        query = retriever.encode_queries([plan.text])[0]
        dense = retriever.encode_passages(texts) @ query
    else:
        dense = rare_term_coverage(terms, texts)
    numbers = 0.0
    if plan.asks_quantity:
        numbers = np.array([quantity_cue(terms, text, config.quantity_reach) for text in texts])
    rank_prior = np.array([1.0 / (c.marker + 1) for c in candidates])
    score = dense + config.lexical_weight * lexical + config.quantity_weight * numbers + config.rank_weight * rank_prior
    passage_weight = config.meaning_passage_weight if meaning is not None else config.passage_weight
    if not config.sentence_vectors and passage_weight:
        best = max(hit.score for hit in hits) or 1.0
        score = score + passage_weight * np.array([hits[c.marker - 1].score / best for c in candidates])
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
