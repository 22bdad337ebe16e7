"""Sentences of a passage and the signals that tell which of them answers a question (or a row of one)."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import cached_property

import numpy as np

from qa.answer.config import AnswerConfig
from qa.answer.stance import Stance
from qa.answer.values import Figure, clause_of, figure_for
from qa.indicators import mentioned
from qa.quantities import quantity_starts
from qa.questions import Plan
from qa.retrieval import Hit
from qa.text import bigram_tokens, bigrams, is_cjk, to_simplified

# A figure said of a run of years (粮食产量连年稳定在1.3万亿斤以上, 五年年均增长5.2%, 累计, 连续3年) is
# no one year's own: a row's sentence stating the year's own figure is preferred.
_OVER_YEARS = re.compile(r"连年|连续[^，。；]{0,3}年|多年|年均|累计|[一二三四五六七八九十两\d]+年来")


class Sentence:
    """One sentence of a passage, ``text[start:end]``, read once for a question (``plan``): in
    simplified script, the indicators it names, whether it sets a target or reviews (``stance``, with
    its section path and the text before it: ``placed``; ``said``, alone) and whether it says the
    other thing than the question asks; read when first asked, its bigrams, the figure of the
    question's indicators it states (:func:`qa.answer.values.figure_for`) and where it names them."""

    def __init__(self, text: str, start: int, end: int, placed: str, plan: Plan) -> None:
        self.text, self.start, self.end, self.placed = text, start, end, placed
        self.indicators, self.basis = plan.indicators, plan.basis
        self.simplified = to_simplified(text[start:end])
        self.named = mentioned(self.simplified)

    @cached_property
    def stance(self) -> Stance:
        return Stance.read(self.simplified, to_simplified(self.placed))

    @cached_property
    def said(self) -> Stance:
        return Stance.read(self.simplified, "")

    @cached_property
    def against(self) -> bool:
        """Whether the sentence says the other thing than the question asks (its basis)."""
        return self.stance.against(self.basis)

    @cached_property
    def bigrams(self) -> set[str]:
        return set(bigrams(self.simplified))

    @cached_property
    def figure(self) -> Figure | None:
        return figure_for(self.simplified, self.indicators)

    def row_score(self, plan: Plan, rank: int, config: AnswerConfig) -> float | None:
        """How well the sentence (of a passage ranked ``rank`` in its report) answers a question of
        each report, region or year, or None when it does not (the gate)."""
        wanted = plan.indicators
        if wanted and not any(group in wanted for group in self.named):
            return None
        figure = self.figure if plan.asks_quantity or wanted else None
        if plan.asks_quantity and figure is None:
            return None
        stance = self.stance
        if self.against:
            return None  # what a report says it achieved is not its target, nor the reverse
        if plan.basis == "target" and wanted and not (stance.target or stance.bound or figure is not None):
            return None  # a target is a figure or a bound
        if plan.basis == "actual" and not stance.review:
            return None  # what was achieved is said in a review of the year
        coverage = self._coverage(plan)
        if not wanted and coverage < config.row_min_coverage:
            return None
        said = self.said
        on_basis = plan.basis == "target" and (said.target or said.bound) or plan.basis == "actual" and said.review
        own = figure is not None and not self.over_years
        return coverage + (0.3 if own else 0.0) + (0.5 if on_basis else 0.0) + config.row_rank_weight / rank

    @cached_property
    def over_years(self) -> bool:
        """Whether its figure is said of a run of years (年均, 累计, 连续N年), not of one year."""
        figure = self.figure
        return figure is not None and bool(_OVER_YEARS.search(self._clause_before(figure.start)))

    def _clause_before(self, position: int) -> str:
        """The sentence's words from the start of the clause holding ``position`` up to it."""
        said = self.simplified[:position]
        return said[max(said.rfind(mark) for mark in "，；：,;:") + 1 :]

    def _coverage(self, plan: Plan) -> float:
        """The share of the terms of what the question asks that the sentence holds, the names of
        the indicator it asks about counting as its words where the sentence names it in its own."""
        terms = plan.subject.terms if plan.subject else frozenset()
        if not terms:
            return 0.0
        present = self.bigrams
        for group, names in zip(plan.indicators, plan.indicator_terms, strict=True):
            if group in self.named:
                present = present | names
        return len(terms & present) / len(terms)

    def clause(self, figure: Figure) -> tuple[int, int, Figure]:
        """The clause of the sentence that names the indicator and states ``figure`` (地区生产总值增长5%左右
        out of a long list of targets): its offsets in the passage, and the figure's moved to it."""
        left, right = clause_of(self.simplified, figure, self.indicators)
        moved = replace(figure, start=figure.start - left, end=figure.end - left)
        return self.start + left, self.start + right, moved


def term_coverage(terms: frozenset[str], text: str) -> float:
    """Share of a question's terms (:attr:`qa.questions.Plan.terms`) that occur in ``text``."""
    if not terms:
        return 0.0
    present = set(bigram_tokens(text))
    return len(terms & present) / len(terms)


def rare_term_coverage(terms: frozenset[str], texts: list[str]) -> np.ndarray:
    """For each text, the share of a question's terms it holds, each term weighted by how rare it
    is among the texts (a term every sentence has tells them apart least): log(1 + n / (1 + df))."""
    ordered = sorted(terms)
    if not ordered or not texts:
        return np.zeros(len(texts))
    present = [set(bigram_tokens(text)) for text in texts]
    weights = np.array([math.log(1 + len(texts) / (1 + sum(term in tokens for tokens in present))) for term in ordered])
    held = np.array([[term in tokens for term in ordered] for tokens in present], dtype=float)
    return held @ weights / weights.sum()


def phrase_coverage(parts: tuple[tuple[str, ...], ...], texts: list[str]) -> np.ndarray:
    """For an English question, each text's share of the question's phrases it renders (``parts``:
    the Chinese words found for each phrase, :attr:`qa.questions.Plan.translated_parts`; a phrase
    is rendered when the text holds one of its words), each weighted by how specific it is: rare
    among the texts (log(1 + n / (1 + df))) and of few alternatives (a word of many senses,
    "capacity": 容量 才能 潜力, tells least what was asked)."""
    if not parts or not texts:
        return np.zeros(len(texts))
    simplified = [to_simplified(text) for text in texts]
    held = np.array([[any(word in text for word in part) for part in parts] for text in simplified], dtype=float)
    rarity = np.log1p(len(texts) / (1 + held.sum(axis=0)))
    weights = rarity / np.array([len(part) for part in parts])
    return held @ weights / max(float(weights.sum()), 1e-9)


def quantity_cue(terms: frozenset[str], text: str, reach: int = 6) -> float:
    """For a how-many question: 1 when ``text`` states a quantity right after one of the question's
    terms (直播间5263个, 活动累计1.9万余次), 0.5 for a quantity elsewhere, 0 for none."""
    starts = quantity_starts(text)
    if not starts:
        return 0.0
    for start in starts:  # bigram_tokens simplifies, and t2s keeps offsets
        if terms & set(bigram_tokens(text[max(0, start - reach) : start])):
            return 1.0
    return 0.5


def is_relevant(question: str, hit: Hit, terms: frozenset[str], *, min_dense_chinese: float, min_dense_other: float,
                min_term_coverage: float, parts: tuple[tuple[str, ...], ...] = ()) -> bool:  # fmt: skip
    """Whether a passage is good enough to answer from: similar enough to the question, or holding
    enough of its terms — at least two of them, numbers aside, so that a one-word translation
    (capital of France: 巴黎) or a year alone never makes a passage an answer. For an English
    question (``parts``: the Chinese words of each of its phrases) a term is a phrase, held when
    the passage says any of its words: the bigrams of every alternative of a word of many senses
    (容量 才能 潜力) would count it several times, and hide a passage that says the others; it needs
    more than half of the phrases."""
    dense = hit.dense_score or 0.0
    chinese = any(is_cjk(char) for char in question)
    threshold = min_dense_chinese if chinese else min_dense_other
    if dense >= threshold:
        return True
    if parts:
        said = to_simplified(hit.text)
        phrases = [part for part in parts if not all(word.isdigit() for word in part)]
        rendered = sum(any(word in said for word in part) for part in phrases)
        return rendered >= 2 and rendered / len(phrases) > min_term_coverage
    wanted = {term for term in terms if not term.isdigit()}
    held = wanted & set(bigram_tokens(hit.text))
    return bool(wanted) and len(held) >= 2 and len(held) / len(wanted) >= min_term_coverage
